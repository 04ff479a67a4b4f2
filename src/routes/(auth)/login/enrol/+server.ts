/**
 * POST /login/enrol: register a first security key during sign-in (a key is required, none is registered, the
 * user holds a registration allowance). Body: { name, response: the JSON of navigator.credentials.create }. Needs
 * the step cookie the password step set. 200 { step: 'key', options }: the key step follows with the new key
 * (its cookie replaces the old one); otherwise the error (docs/api.md).
 */
import { json } from '@sveltejs/kit';
import { finishEnrolStep, KEY_STEP_COOKIE } from '$lib/server/webauthn/login';
import { keyStepCookieOptions } from '$lib/server/webauthn/cookies';
import { apiError } from '$lib/server/http';
import { readJson } from '$lib/server/http-json';
import { isDomainError } from '$lib/server/errors';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, cookies, url, getClientAddress, locals }) => {
	const meta = { ip: getClientAddress(), userAgent: request.headers.get('user-agent'), requestId: locals.requestId };
	const raw = await readJson(request).catch(() => null);
	try {
		const r = await finishEnrolStep(cookies.get(KEY_STEP_COOKIE), raw, { url, origin: request.headers.get('origin') }, meta);
		cookies.set(KEY_STEP_COOKIE, r.token, keyStepCookieOptions(r.expiresInSeconds, url));
		return json({ ok: true, step: 'key', name: r.name, options: r.options });
	} catch (e) {
		if (isDomainError(e) && e.code !== 'invalid_input' && e.code !== 'forbidden') cookies.delete(KEY_STEP_COOKIE, { path: '/login' });
		return apiError(e);
	}
};
