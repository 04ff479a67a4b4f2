import { json } from '@sveltejs/kit';
import { releaseHousehold } from '$lib/server/queue/claims';
import { apiError } from '$lib/server/http';
import { readJson } from '$lib/server/http-json';
import type { RequestHandler } from './$types';

/** POST /api/claims/release { householdId } → 200 { ok: true } | 409 claim_not_held */
export const POST: RequestHandler = async ({ locals, request }) => {
	try {
		await releaseHousehold(locals.user!, await readJson(request));
		return json({ ok: true });
	} catch (e) {
		return apiError(e);
	}
};
