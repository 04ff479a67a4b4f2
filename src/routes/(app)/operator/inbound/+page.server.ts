import { currentClaim } from '$lib/server/queue/claims';
import { listOutcomeCodes } from '$lib/server/calls/calls';
import { searchHouseholds } from '$lib/server/search/search';
import { openInbound, releaseInbound } from '$lib/server/search/inbound';
import { heldHouseholdLabel, readHouseholdCard } from '$lib/server/households/households';
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
		// an inbound call held now is resumed here with its card and outcome form: a read of the household, logged
		// (without the note, which was logged when it was opened). Another claim (the desk's outbound or callback
		// household) is only named in the notice by its 国保記号番号, never by the internal id: its label alone,
		// not a read of the household (heldHouseholdLabel says why it is not logged as a view)
		const card = claim?.kind === 'inbound' ? await readHouseholdCard(actor, { householdId: claim.householdId, reason: 'inbound' }) : null;
		const named = claim && !card ? await heldHouseholdLabel(actor) : null;
		const label = card ? (card.nhiNumber ?? null) : named && named.householdId === claim?.householdId ? named.label : null;
		return {
			/** what the operator holds now; `label` is what the notice names it by */
			held: claim && (card || named) ? { householdId: claim.householdId, kind: claim.kind, label } : null,
			/** the inbound call held now, shown again with its outcome form (a reload, a language switch) */
			resumed: claim && card ? { householdId: claim.householdId, card } : null,
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
