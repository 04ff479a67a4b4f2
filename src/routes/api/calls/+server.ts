import { json } from '@sveltejs/kit';
import { recordCallOutcome } from '$lib/server/calls/calls';
import { apiError } from '$lib/server/http';
import { readJson } from '$lib/server/http-json';
import type { RequestHandler } from './$types';

/** POST /api/calls { householdId, outcomeCode, party?, phoneId?, note?, promise?, handoff?, idempotencyKey? } → 201 */
export const POST: RequestHandler = async ({ locals, request }) => {
	try {
		const r = await recordCallOutcome(locals.user!, await readJson(request));
		return json(r, { status: r.duplicate ? 200 : 201 });
	} catch (e) {
		return apiError(e);
	}
};
