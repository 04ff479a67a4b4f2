import { error, redirect } from '@sveltejs/kit';
import { DISPLAY_COOKIE, DISPLAY_COOKIE_MAX_AGE, DISPLAY_COOKIE_PATHS, resolveDisplayToken } from '$lib/server/display/display';
import { secureCookies } from '$lib/server/security/cookies';
import { translator } from '$lib/i18n';
import type { RequestHandler } from './$types';

/**
 * GET /wall/t/<token>: a wall PC opens the URL a supervisor issued. The token goes into an httpOnly, SameSite=Strict
 * cookie scoped to /wall and the socket path, and the browser is sent to /wall, so that the token leaves the
 * address bar and the history (the query string, e.g. ?panels=, is kept). An unknown or revoked token: 404.
 */
export const GET: RequestHandler = async ({ params, url, cookies, locals, getClientAddress }) => {
	const display = await resolveDisplayToken(params.token, { via: 'link', ip: clientAddress(getClientAddress), requestId: locals.requestId });
	if (!display) error(404, { message: translator(locals.locale)('wall.tokenInvalid'), code: 'not_found' });
	for (const path of DISPLAY_COOKIE_PATHS)
		cookies.set(DISPLAY_COOKIE, params.token, { path, httpOnly: true, sameSite: 'strict', secure: secureCookies(url), maxAge: DISPLAY_COOKIE_MAX_AGE });
	redirect(303, `/wall${url.search}`);
};

function clientAddress(get: () => string): string | null {
	try {
		return get();
	} catch {
		return null;
	}
}
