/**
 * POST /account/keys/options: options for registering another security key (navigator.credentials.create), with
 * a challenge bound to this session and valid WEBAUTHN_TIMEOUT_SECONDS. Any signed-in user, for themselves.
 */
import { json } from '@sveltejs/kit';
import { ownRegistrationOptions } from '$lib/server/webauthn/keys';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ locals, request, url }) => {
	try {
		return json(await ownRegistrationOptions(locals.user!, { url, origin: request.headers.get('origin') }));
	} catch (e) {
		return apiError(e);
	}
};
