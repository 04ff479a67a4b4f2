import { json } from '@sveltejs/kit';
import { readHouseholdCard } from '$lib/server/households/households';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/**
 * GET /api/households/:id?reason=outbound|review|inbound|handoff[&note=…] → the card with only the field groups the
 * role may read; the household must be in the reader's scope for that reason (docs/field-policy.md). Logged.
 */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	try {
		const card = await readHouseholdCard(locals.user!, {
			householdId: params.id,
			reason: url.searchParams.get('reason') ?? 'review',
			note: url.searchParams.get('note')
		});
		return json(card, { headers: { 'cache-control': 'no-store' } });
	} catch (e) {
		return apiError(e);
	}
};
