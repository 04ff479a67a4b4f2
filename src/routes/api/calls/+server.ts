import { json } from '@sveltejs/kit';
import { recordCallOutcome } from '$lib/server/calls/calls';
import { apiError } from '$lib/server/http';
import { readJson } from '$lib/server/http-json';
import type { RequestHandler } from './$types';

/**
 * POST /api/calls { householdId, outcomeCode, party?, phoneId?, note?, startedAt?, promise?, handoff?, callback?,
 * callbackDone?, doNotCall?, idempotencyKey } → 201 (200 with duplicate: true when the key was recorded already).
 * The shape is outcomeInput in src/lib/server/calls/calls.ts; the key is required (a retried save is stored once).
 */
export const POST: RequestHandler = async ({ locals, request }) => {
	try {
		const r = await recordCallOutcome(locals.user!, await readJson(request), { requireKey: true });
		return json(r, { status: r.duplicate ? 200 : 201 });
	} catch (e) {
		return apiError(e);
	}
};
