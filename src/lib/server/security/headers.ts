/**
 * Security headers on every response, including those Express and Socket.IO send themselves (/healthz, static
 * files, long-polling): server/index.ts sets them before the SvelteKit handler, which replaces only the
 * Content-Security-Policy of its pages with the stricter per-page one (csp.js, with a nonce). Pure: one list,
 * used by Express, Socket.IO's engine and the tests. Why each value: docs/operations.md ("Web security").
 */

/**
 * Browser features kansho never uses are turned off for every frame. Security keys are allowed for our own
 * origin: WebAuthn (`publickey-credentials-get`/`-create`) is how USB keys sign in, and it does not go through
 * WebUSB, so `usb=()` does not block them.
 */
export const PERMISSIONS_POLICY = [
	'accelerometer=()',
	'autoplay=()',
	'camera=()',
	'display-capture=()',
	'geolocation=()',
	'gyroscope=()',
	'magnetometer=()',
	'microphone=()',
	'midi=()',
	'payment=()',
	'usb=()',
	'publickey-credentials-get=(self)',
	'publickey-credentials-create=(self)'
].join(', ');

/**
 * The policy of every response that is not a SvelteKit page (JSON, CSV downloads, src/error.html, static files):
 * nothing may load from it or frame it. The error page's own `<style>` is the one inline thing it allows.
 */
export const FALLBACK_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** HSTS for a year, only when kansho is served over HTTPS (ORIGIN https://…); not for subdomains, which are not ours. */
export const HSTS = 'max-age=31536000';

/**
 * The headers, for an origin served over HTTPS or not. Referrer-Policy is `same-origin`, not `no-referrer`:
 * with `no-referrer` browsers send `Origin: null` on form posts, and SvelteKit's CSRF check then refuses every
 * form of the application.
 */
export function securityHeaders(opts: { https: boolean }): Record<string, string> {
	return {
		'content-security-policy': FALLBACK_CSP,
		'x-content-type-options': 'nosniff',
		'x-frame-options': 'DENY',
		'referrer-policy': 'same-origin',
		'permissions-policy': PERMISSIONS_POLICY,
		'cross-origin-opener-policy': 'same-origin',
		'cross-origin-resource-policy': 'same-origin',
		'x-permitted-cross-domain-policies': 'none',
		...(opts.https ? { 'strict-transport-security': HSTS } : {})
	};
}

/** Largest request body for a JSON API call (a call outcome with a 4,000-character note is under 20 KB). */
export const API_BODY_LIMIT = 64 * 1024;
/** Largest request body for a form post other than the import upload. */
export const FORM_BODY_LIMIT = 1024 * 1024;
/** The pages whose form actions take the ward's files (limited by UPLOAD_LIMIT_MB instead). */
export const UPLOAD_PATHS = ['/admin/imports'];

/** The largest body a request to this path may carry. */
export function maxBodyBytes(pathname: string, uploadLimitMb: number): number {
	if (UPLOAD_PATHS.some((p) => pathname === p || pathname.startsWith(p + '/'))) return uploadLimitMb * 1024 * 1024;
	if (pathname.startsWith('/api/')) return API_BODY_LIMIT;
	return FORM_BODY_LIMIT;
}

/**
 * A browser's WebSocket/long-polling handshake may come only from our own pages: its Origin must be ORIGIN when
 * set, or else name the host the browser asked for (the Host header; the scheme is not compared, so that a TLS
 * proxy in front does not break sockets). A request with no Origin (not a browser: tests, tools) still needs a
 * session cookie. Against cross-site WebSocket hijacking; SameSite=Strict on the session cookie already keeps it
 * out of cross-site handshakes in current browsers.
 */
export function handshakeOriginAllowed(origin: string | undefined, host: string | undefined, configuredOrigin?: string): boolean {
	if (origin === undefined) return true;
	let given: URL;
	try {
		given = new URL(origin);
	} catch {
		return false; // 'null' (sandboxed frames, file:) and garbage
	}
	if (configuredOrigin) return given.origin === new URL(configuredOrigin).origin;
	return host !== undefined && given.host === host.toLowerCase();
}
