import { json } from '@sveltejs/kit';
import { readHouseholdCard } from '$lib/server/households/households';
import { apiError } from '$lib/server/http';
import { limitLookups } from '$lib/server/security/rate-limit';
import type { RequestHandler } from './$types';

/**
 * GET /api/households/:id?reason=outbound|review|inbound|handoff[&note=…] → the card with only the field groups the
 * role may read; the household must be in the reader's scope for that reason (docs/field-policy.md). Logged.
 * At most LOOKUP_RATE_PER_MINUTE a minute per user: 429 rate_limited with Retry-After above that.
 */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	try {
		// LOOKUP_RATE_PER_MINUTE per user, refused ones included: reading households one after another is copying
		await limitLookups(locals.user!);
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
