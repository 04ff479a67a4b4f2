/**
 * The Content-Security-Policy of kansho's pages, given to SvelteKit as `kit.csp` (svelte.config.js, mode 'auto'):
 * SvelteKit adds a nonce (server-rendered pages) or a hash (prerendered ones) for the inline script it writes
 * itself, so `script-src` needs no 'unsafe-inline' and nothing else inline can run. Plain JavaScript because
 * svelte.config.js loads it without a TypeScript loader; the choices are explained in docs/operations.md
 * ("Web security").
 *
 * - scripts: only our own files (`'self'`) plus SvelteKit's nonce; no eval, no inline handlers
 * - styles: `<style>`/`<link>` elements only from our own files (`style-src-elem 'self'`); inline `style="…"`
 *   attributes are allowed (`style-src-attr 'unsafe-inline'`), because app.html and Svelte's `style:` directives
 *   write them; a style attribute cannot run script. `style-src` repeats both for browsers without CSP level 3.
 * - connect: `'self'` covers fetch and Socket.IO's same-origin ws:/wss: (CSP level 3 matches ws/wss against
 *   'self'); nothing may be sent anywhere else
 * - no plugins, no <base>, forms post only to us, and no site may frame kansho (clickjacking)
 *
 * @type {NonNullable<NonNullable<import('@sveltejs/kit').KitConfig['csp']>['directives']>}
 */
export const pageCsp = {
	'default-src': ['self'],
	'script-src': ['self'],
	'style-src': ['self', 'unsafe-inline'],
	'style-src-elem': ['self'],
	'style-src-attr': ['unsafe-inline'],
	'img-src': ['self', 'data:'],
	'font-src': ['self'],
	'connect-src': ['self'],
	'worker-src': ['self'],
	'manifest-src': ['self'],
	'media-src': ['none'],
	'frame-src': ['none'],
	'object-src': ['none'],
	'base-uri': ['none'],
	'form-action': ['self'],
	'frame-ancestors': ['none']
};
