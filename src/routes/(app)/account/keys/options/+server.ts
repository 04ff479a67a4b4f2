/**
 * POST /account/keys/options: options for registering another security key (navigator.credentials.create), with
 * a challenge bound to this session and valid WEBAUTHN_TIMEOUT_SECONDS. Body: { password } (the current one, a
 * fresh proof; a wrong one counts towards the sign-in lockout). Any signed-in user, for themselves.
 */
import { json } from '@sveltejs/kit';
import { ownRegistrationOptions } from '$lib/server/webauthn/keys';
import { apiError } from '$lib/server/http';
import { readJson } from '$lib/server/http-json';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ locals, request, url }) => {
	// a body that is not JSON reaches the use case as null: refused there (invalid_input)
	const raw = await readJson(request).catch(() => null);
	try {
		return json(await ownRegistrationOptions(locals.user!, raw, { url, origin: request.headers.get('origin') }));
	} catch (e) {
		return apiError(e);
	}
};
