import { claimNextHousehold, currentClaim, releaseHousehold } from '$lib/server/queue/claims';
import { listOutcomeCodes, recordCallOutcome } from '$lib/server/calls/calls';
import { readHouseholdCard } from '$lib/server/households/households';
import { actionError, loadError } from '$lib/server/http';
import { loadConfig } from '$lib/server/config';
import { db } from '$lib/server/db';
import { loadCallingRules } from '$lib/server/queue/rules';
import { deskScriptContact, deskScripts } from '$lib/server/scripts/scripts';
import { isDomainError } from '$lib/server/errors';
import { tokyoDate } from '$lib/domain/format';
import { parseYenInput } from '$lib/components/operator/outcome-input';
import type { Actions, PageServerLoad } from './$types';


export const load: PageServerLoad = async ({ locals, depends }) => {
	depends('kansho:claim');
	const actor = locals.user!;
	try {
		const claim = await currentClaim(actor);
		// a household held for an incoming call is read as such (the access log says why it was opened)
		const card = claim ? await readHouseholdCard(actor, { householdId: claim.householdId, reason: claim.kind === 'inbound' ? 'inbound' : 'outbound' }) : null;
		const config = loadConfig();
		// wrap-up time and promise horizon as the supervisors set them (calling rules)
		const rules = await loadCallingRules(db());
		return {
			claim: claim ? { ...claim, claimExpiresAt: claim.claimExpiresAt.toISOString() } : null,
			card,
			outcomes: await listOutcomeCodes(actor),
			heartbeatSeconds: config.HEARTBEAT_SECONDS,
			wrapUpSeconds: rules.wrapUpSeconds,
			horizonDays: rules.promiseHorizonDays,
			/** Tokyo date: promise dates are checked against it in the browser too */
			today: tokyoDate(),
			/** the talk scripts as supervisors last saved them (the built-in texts where none was saved) */
			scripts: await deskScripts(actor),
			/** what the talk script says the center is (the reminder letter's contact block); unknown parts show as blanks */
			script: await deskScriptContact(actor)
		};
	} catch (e) {
		loadError(e);
	}
};

function str(form: FormData, key: string): string | undefined {
	const v = form.get(key);
	return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** The handoff's callback window from the form (date and times, Tokyo); the use case checks it. */
function handoffWindowOf(form: FormData): { callbackFrom?: string; callbackUntil?: string } {
	const date = str(form, 'handoffCallbackDate');
	if (!date) return {};
	return { callbackFrom: `${date}T${str(form, 'handoffCallbackFrom') ?? '00:00'}:00+09:00`, callbackUntil: `${date}T${str(form, 'handoffCallbackUntil') ?? '23:59'}:00+09:00` };
}

export const actions: Actions = {
	next: async ({ locals }) => {
		try {
			const claim = await claimNextHousehold(locals.user!);
			return { action: 'next', householdId: claim.householdId };
		} catch (e) {
			return actionError(e);
		}
	},
	release: async ({ locals, request }) => {
		const form = await request.formData();
		try {
			await releaseHousehold(locals.user!, { householdId: str(form, 'householdId') });
			return { action: 'release' };
		} catch (e) {
			return actionError(e, { householdId: str(form, 'householdId') });
		}
	},
	outcome: async ({ locals, request }) => {
		const form = await request.formData();
		const amount = str(form, 'promiseAmount');
		const date = str(form, 'promiseDate');
		const reason = str(form, 'handoffReason');
		const callbackAt = str(form, 'callbackAt');
		const dncReason = str(form, 'dncReason');
		const dncUntil = str(form, 'dncUntil');
		const input = {
			householdId: str(form, 'householdId'),
			outcomeCode: str(form, 'outcomeCode') ?? '',
			party: str(form, 'party'),
			phoneId: str(form, 'phoneId') ?? null,
			note: str(form, 'note') ?? null,
			startedAt: str(form, 'startedAt'),
			promise: amount || date ? { amount: parseYenInput(amount ?? '') ?? amount ?? '', dueDate: date ?? '' } : null,
			handoff: reason ? { reason, note: str(form, 'handoffNote') ?? null, ...handoffWindowOf(form) } : null,
			// the form's datetime-local is Tokyo time
			callback: callbackAt ? { at: `${callbackAt}:00+09:00`, onlyMe: form.get('callbackOnlyMe') === 'on', note: str(form, 'callbackNote') ?? null } : null,
			...(dncReason || dncUntil ? { doNotCall: { reason: dncReason ?? '', until: dncUntil ?? null } } : {}),
			idempotencyKey: str(form, 'idempotencyKey') ?? null,
			// the data set the page was opened on (issue #9): refused with mode_changed if the session changed since
			dataMode: str(form, 'dataMode')
		};
		let saved;
		try {
			saved = await recordCallOutcome(locals.user!, input);
		} catch (e) {
			return actionError(e, { householdId: input.householdId });
		}
		// the next household is offered at once; an empty queue is not an error of the save
		let nextHouseholdId: number | null = null;
		let queueEmpty = false;
		try {
			nextHouseholdId = (await claimNextHousehold(locals.user!)).householdId;
		} catch (e) {
			if (isDomainError(e) && e.code === 'queue_empty') queueEmpty = true;
			else throw e;
		}
		return { action: 'outcome', saved: { callId: saved.callId, outcomeCode: input.outcomeCode }, nextHouseholdId, queueEmpty };
	}
};
