import { currentClaim } from '$lib/server/queue/claims';
import { listOutcomeCodes } from '$lib/server/calls/calls';
import { searchHouseholds } from '$lib/server/search/search';
import { openInbound, releaseInbound } from '$lib/server/search/inbound';
import { readHouseholdCard } from '$lib/server/households/households';
import { actionError, formText, loadError } from '$lib/server/http';
import { loadConfig } from '$lib/server/config';
import { tokyoDate } from '$lib/domain/format';
import { PROMISE_HORIZON_DAYS } from '$lib/domain/outcomes';
import type { Actions, PageServerLoad } from './$types';

/**
 * 受電 (inbound calls): search, open (hold + card, logged with the reason 'inbound' and the note), record with the
 * outcome form (socket + outbox, as on the desk), or let go. The query travels in a POST body, never in the URL
 * (a phone number or a name is personal data: no server log or browser history should hold it).
 */
export const load: PageServerLoad = async ({ locals, depends }) => {
	depends('kansho:claim');
	const actor = locals.user!;
	try {
		const claim = await currentClaim(actor);
		// the held household as this operator may see it: an inbound call is resumed here with its card and outcome
		// form (read again without the note, which was logged when it was opened); another claim is named by its
		// 国保記号番号 (or payer name) in the notice, never by the internal id
		const card = claim ? await readHouseholdCard(actor, { householdId: claim.householdId, reason: claim.kind === 'inbound' ? 'inbound' : 'outbound' }) : null;
		return {
			/** what the operator holds now; `label` is what the notice names it by */
			held: claim && card ? { householdId: claim.householdId, kind: claim.kind, label: card.nhiNumber ?? card.payerName ?? null } : null,
			/** the inbound call held now, shown again with its outcome form (a reload, a language switch) */
			resumed: claim && card && claim.kind === 'inbound' ? { householdId: claim.householdId, card } : null,
			outcomes: await listOutcomeCodes(actor),
			heartbeatSeconds: loadConfig().HEARTBEAT_SECONDS,
			horizonDays: PROMISE_HORIZON_DAYS,
			today: tokyoDate()
		};
	} catch (e) {
		loadError(e);
	}
};

export const actions: Actions = {
	search: async ({ locals, request }) => {
		const form = await request.formData();
		const q = formText(form, 'q') ?? '';
		try {
			return { action: 'search' as const, q, search: await searchHouseholds(locals.user!, { q }) };
		} catch (e) {
			return actionError(e, { action: 'search', q });
		}
	},
	open: async ({ locals, request }) => {
		const form = await request.formData();
		const householdId = formText(form, 'householdId');
		try {
			const opened = await openInbound(locals.user!, { householdId, note: formText(form, 'note') ?? '', releaseHeld: formText(form, 'releaseHeld') || null });
			return { action: 'open' as const, ...opened };
		} catch (e) {
			return actionError(e, { action: 'open', householdId, note: formText(form, 'note') ?? '' });
		}
	},
	release: async ({ locals, request }) => {
		const form = await request.formData();
		try {
			await releaseInbound(locals.user!, { householdId: formText(form, 'householdId') });
			return { action: 'release' as const };
		} catch (e) {
			return actionError(e, { action: 'release' });
		}
	}
};
