/**
 * The outcome form's input, as plain functions: what the operator typed → the `outcome:record` payload
 * (src/lib/server/calls/calls.ts outcomeInput), with the checks the browser can make before sending. The server
 * stays the authority; its field errors use the same keys (`promise.amount`, `callback.at` …) so both show next
 * to the same field.
 */
import { promiseProblems, PROMISE_HORIZON_DAYS, type OutcomeKind } from '../../domain/outcomes.ts';

/** What the form holds (strings as typed). */
export interface OutcomeDraft {
	outcomeCode: string;
	party: string;
	phoneId: number | null;
	note: string;
	startedAt: string | null;
	promiseAmount: string;
	promiseDate: string;
	/** datetime-local, Tokyo time (YYYY-MM-DDTHH:mm) */
	callbackAt: string;
	callbackOnlyMe: boolean;
	callbackNote: string;
	handoffReason: string;
	handoffNote: string;
	/** the window the resident asked the ward to call in: a date and optional times (HH:mm, Tokyo) */
	handoffCallbackDate: string;
	handoffCallbackFrom: string;
	handoffCallbackUntil: string;
	dncReason: string;
	dncUntil: string;
}

export const emptyDraft = (): OutcomeDraft => ({
	outcomeCode: '',
	party: '',
	phoneId: null,
	note: '',
	startedAt: null,
	promiseAmount: '',
	promiseDate: '',
	callbackAt: '',
	callbackOnlyMe: false,
	callbackNote: '',
	handoffReason: '',
	handoffNote: '',
	handoffCallbackDate: '',
	handoffCallbackFrom: '',
	handoffCallbackUntil: '',
	dncReason: '',
	dncUntil: ''
});

/** Outcomes after which a callback may be agreed (retry later, spoke but no promise, refused, says paid). */
export const callbackKinds: readonly OutcomeKind[] = ['retry', 'contact', 'refusal', 'paid_claim'];

/**
 * An amount as operators type it: 12,000 / １２，０００ / 12000円 / ¥12,000 → 12000; null when it is not a whole
 * number of yen.
 */
export function parseYenInput(s: string): number | null {
	const t = s.normalize('NFKC').replace(/[\s,円¥￥\\]/g, '');
	if (!/^\d{1,12}$/.test(t)) return null;
	return Number(t);
}

/** A Tokyo wall-clock time from a datetime-local input as an ISO instant (+09:00); null when malformed. */
export function tokyoLocalToIso(local: string): string | null {
	const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(local.trim());
	if (!m) return null;
	const d = new Date(`${m[1]}T${m[2]}:${m[3]}:00+09:00`);
	return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/**
 * The callback window of a handoff from the form's date and times (Tokyo): no date = no window; a date alone = the
 * whole day; a start or end time narrows it. Problems under `handoff.callbackFrom` / `handoff.callbackUntil`.
 */
export function handoffWindow(date: string, from: string, until: string, now: Date): { from: string | null; until: string | null; problems: Problems } {
	const problems: Problems = {};
	const day = date.trim();
	if (!day) {
		if (from.trim() || until.trim()) problems['handoff.callbackFrom'] = 'date';
		return { from: null, until: null, problems };
	}
	const f = tokyoLocalToIso(`${day}T${from.trim() || '00:00'}`);
	const u = tokyoLocalToIso(`${day}T${until.trim() || '23:59'}`);
	if (!f) problems['handoff.callbackFrom'] = 'date';
	if (!u) problems['handoff.callbackUntil'] = 'date';
	else if (new Date(u).getTime() <= now.getTime()) problems['handoff.callbackUntil'] = 'pastTime';
	else if (f && new Date(u).getTime() <= new Date(f).getTime()) problems['handoff.callbackUntil'] = 'order';
	if (Object.keys(problems).length) return { from: null, until: null, problems };
	return { from: f, until: u, problems };
}

/** A problem found in the browser: the field key (as the server names it) and an i18n key of the message. */
export type Problems = Record<string, string>;

export interface BuildContext {
	kind: OutcomeKind | null;
	householdId: number;
	/** Tokyo date today (YYYY-MM-DD) */
	today: string;
	/** the arrears total, when the reader may see it (the promise may not exceed it) */
	owed: number | null;
	now: Date;
	horizonDays?: number;
}

/**
 * The payload to send, or the problems to fix first. Messages are i18n keys under `operator.problems`.
 */
export function buildOutcome(d: OutcomeDraft, ctx: BuildContext): { payload: Record<string, unknown> | null; problems: Problems } {
	const problems: Problems = {};
	if (!d.outcomeCode || !ctx.kind) problems.outcomeCode = 'required';
	const kind = ctx.kind;

	let promise: { amount: number; dueDate: string } | null = null;
	if (kind === 'promise') {
		const amount = parseYenInput(d.promiseAmount);
		if (d.promiseAmount.trim() === '') problems['promise.amount'] = 'required';
		else if (amount === null || amount <= 0) problems['promise.amount'] = 'amount';
		if (!/^\d{4}-\d{2}-\d{2}$/.test(d.promiseDate)) problems['promise.dueDate'] = d.promiseDate ? 'date' : 'required';
		if (amount !== null && amount > 0 && ctx.owed !== null && promiseProblems({ amount, dueDate: ctx.today }, { today: ctx.today, owed: ctx.owed })['promise.amount'])
			problems['promise.amount'] = 'overOwed';
		if (!problems['promise.dueDate']) {
			const horizon = new Date(`${ctx.today}T00:00:00Z`);
			horizon.setUTCDate(horizon.getUTCDate() + (ctx.horizonDays ?? PROMISE_HORIZON_DAYS));
			if (d.promiseDate < ctx.today) problems['promise.dueDate'] = 'past';
			else if (d.promiseDate > horizon.toISOString().slice(0, 10)) problems['promise.dueDate'] = 'horizon';
		}
		if (amount !== null && amount > 0 && /^\d{4}-\d{2}-\d{2}$/.test(d.promiseDate)) promise = { amount, dueDate: d.promiseDate };
	}

	let handoff: { reason: string; note: string | null; callbackFrom: string | null; callbackUntil: string | null } | null = null;
	if (kind === 'handoff') {
		const w = handoffWindow(d.handoffCallbackDate, d.handoffCallbackFrom, d.handoffCallbackUntil, ctx.now);
		Object.assign(problems, w.problems);
		if (!d.handoffReason) problems['handoff.reason'] = 'required';
		else if (!Object.keys(w.problems).length) handoff = { reason: d.handoffReason, note: d.handoffNote.trim() || null, callbackFrom: w.from, callbackUntil: w.until };
	}

	let callback: { at: string; onlyMe: boolean; note: string | null } | null = null;
	if (kind && callbackKinds.includes(kind) && d.callbackAt.trim() !== '') {
		const at = tokyoLocalToIso(d.callbackAt);
		if (!at) problems['callback.at'] = 'date';
		else if (new Date(at).getTime() <= ctx.now.getTime()) problems['callback.at'] = 'pastTime';
		else callback = { at, onlyMe: d.callbackOnlyMe, note: d.callbackNote.trim() || null };
	}

	let doNotCall: { reason: string; until: string | null } | null = null;
	if (kind === 'stop') {
		if (!d.dncReason.trim()) problems['doNotCall.reason'] = 'required';
		if (d.dncUntil && !/^\d{4}-\d{2}-\d{2}$/.test(d.dncUntil)) problems['doNotCall.until'] = 'date';
		else if (d.dncUntil && d.dncUntil <= ctx.today) problems['doNotCall.until'] = 'notFuture';
		if (!problems['doNotCall.reason'] && !problems['doNotCall.until']) doNotCall = { reason: d.dncReason.trim(), until: d.dncUntil || null };
	}

	if (Object.keys(problems).length) return { payload: null, problems };
	return {
		payload: {
			householdId: ctx.householdId,
			outcomeCode: d.outcomeCode,
			...(d.party ? { party: d.party } : {}),
			phoneId: d.phoneId,
			note: d.note.trim() || null,
			...(d.startedAt ? { startedAt: d.startedAt } : {}),
			promise,
			handoff,
			callback,
			...(kind === 'stop' ? { doNotCall } : {})
		},
		problems
	};
}
