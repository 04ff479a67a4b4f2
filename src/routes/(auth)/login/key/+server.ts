/**
 * POST /login/key: the sign-in key step. Body: { response: the JSON of navigator.credentials.get (as
 * @simplewebauthn/browser's startAuthentication returns it), next?: a path to go to }. Needs the step cookie the
 * password step set. 200 { redirect } with the session cookie; otherwise the error (docs/api.md).
 */
import { json } from '@sveltejs/kit';
import { SESSION_COOKIE } from '$lib/server/auth/sessions';
import { finishKeyStep, KEY_STEP_COOKIE } from '$lib/server/webauthn/login';
import { sessionCookieOptions } from '$lib/server/webauthn/cookies';
import { apiError } from '$lib/server/http';
import { readJson } from '$lib/server/http-json';
import { isDomainError } from '$lib/server/errors';
import { homePath } from '$lib/domain/roles';
import { sameOriginPath } from '$lib/server/redirects';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, cookies, url, getClientAddress, locals }) => {
	const meta = { ip: getClientAddress(), userAgent: request.headers.get('user-agent'), requestId: locals.requestId };
	// a body that is not JSON reaches the use case as null: refused there as malformed, and logged
	const raw = await readJson(request).catch(() => null);
	try {
		const s = await finishKeyStep(cookies.get(KEY_STEP_COOKIE), raw, { url, origin: request.headers.get('origin') }, meta);
		cookies.delete(KEY_STEP_COOKIE, { path: '/login' });
		cookies.set(SESSION_COOKIE, s.token, sessionCookieOptions(s.expiresAt, url));
		return json({ ok: true, redirect: sameOriginPath(s.next, url.origin) ?? homePath[s.actor.role] });
	} catch (e) {
		// a step that was used is gone (malformed input and a request from another site leave it): start again from the password
		if (isDomainError(e) && e.code !== 'invalid_input' && e.code !== 'forbidden') cookies.delete(KEY_STEP_COOKIE, { path: '/login' });
		return apiError(e);
	}
};
