/** Cookie options for sign-in: the session (path /) and a key step's token (path /login only). */
import { loadConfig } from '../config.ts';

function secure(url: URL): boolean {
	const cfg = loadConfig();
	return cfg.COOKIE_SECURE === 'auto' ? url.protocol === 'https:' : cfg.COOKIE_SECURE;
}

export function sessionCookieOptions(expiresAt: Date, url: URL) {
	return { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: secure(url), expires: expiresAt };
}

/** Sent only to /login (the page and its key-step endpoints), gone after the step's lifetime. */
export function keyStepCookieOptions(maxAgeSeconds: number, url: URL) {
	return { path: '/login', httpOnly: true, sameSite: 'strict' as const, secure: secure(url), maxAge: maxAgeSeconds };
}
