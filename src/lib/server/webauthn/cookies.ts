/** Cookie options for sign-in: the session (path /) and a key step's token (path /login only). */
import { secureCookies as secure } from '../security/cookies.ts';

export function sessionCookieOptions(expiresAt: Date, url: URL) {
	return { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: secure(url), expires: expiresAt };
}

/** Sent only to /login (the page and its key-step endpoints), gone after the step's lifetime. */
export function keyStepCookieOptions(maxAgeSeconds: number, url: URL) {
	return { path: '/login', httpOnly: true, sameSite: 'strict' as const, secure: secure(url), maxAge: maxAgeSeconds };
}
