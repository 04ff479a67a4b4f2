import { json } from '@sveltejs/kit';
import { claimNextHousehold } from '$lib/server/queue/claims';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** POST /api/claims/next → 200 { householdId, segmentId, claimExpiresAt, version, resumed } | 404 queue_empty */
export const POST: RequestHandler = async ({ locals }) => {
	try {
		return json(await claimNextHousehold(locals.user!));
	} catch (e) {
		return apiError(e);
	}
};
