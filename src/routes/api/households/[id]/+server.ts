import { json } from '@sveltejs/kit';
import { readHouseholdCard } from '$lib/server/households/households';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** GET /api/households/:id?reason=outbound|inbound|handoff|review → the card, fields by role; logged. */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	try {
		const card = await readHouseholdCard(locals.user!, { householdId: params.id, reason: url.searchParams.get('reason') ?? 'review' });
		return json(card, { headers: { 'cache-control': 'no-store' } });
	} catch (e) {
		return apiError(e);
	}
};
