import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// server/ is bundled apart from build/handler.js and shares nothing with it but PostgreSQL:
		// keep src/lib/server free of $env/$app so that both can import it.
		alias: { $domain: 'src/lib/domain' }
	}
};
