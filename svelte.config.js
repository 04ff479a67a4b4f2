import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { pageCsp } from './src/lib/server/security/csp.js';

/** @type {import('@sveltejs/kit').Config} */
export default {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// server/ is bundled apart from build/handler.js and shares nothing with it but PostgreSQL:
		// keep src/lib/server free of $env/$app so that both can import it.
		alias: { $domain: 'src/lib/domain' },
		// a strict Content-Security-Policy on every page; SvelteKit adds nonces for its own inline script
		csp: { mode: 'auto', directives: pageCsp }
		// csrf.checkOrigin stays at its default (true): cross-site form posts are refused
	}
};
