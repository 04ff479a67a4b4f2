/**
 * POST /account/keys: register a security key. Body: { name, response: the JSON of navigator.credentials.create
 * for options from POST /account/keys/options }. 200 { id, name }; otherwise the error (docs/api.md).
 */
import { json } from '@sveltejs/kit';
import { registerOwnKey } from '$lib/server/webauthn/keys';
import { apiError } from '$lib/server/http';
import { readJson } from '$lib/server/http-json';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ locals, request, url }) => {
	// a body that is not JSON reaches the use case as null: refused there as malformed, and logged
	const raw = await readJson(request).catch(() => null);
	try {
		return json(await registerOwnKey(locals.user!, raw, { url, origin: request.headers.get('origin') }));
	} catch (e) {
		return apiError(e);
	}
};
