/**
 * Whether cookies get the Secure flag: COOKIE_SECURE=true/false, or auto (the default): when the request came
 * over HTTPS, as SvelteKit sees it (ORIGIN's protocol when ORIGIN is set, else the connection's own). Behind a
 * proxy that ends TLS, set ORIGIN=https://… (or COOKIE_SECURE=true) so that cookies are never sent in clear.
 */
import { loadConfig } from '../config.ts';

export function secureCookies(url: URL): boolean {
	const c = loadConfig().COOKIE_SECURE;
	return c === 'auto' ? url.protocol === 'https:' : c;
}
