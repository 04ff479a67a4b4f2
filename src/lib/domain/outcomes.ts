/**
 * Outcome codes (応答区分) and what recording one does to the queue. Pure rules; the codes themselves live in the
 * outcome_codes table so that the administrator can relabel them (spec/import-format.md, "Suggested outcome codes").
 */
import { problem, type FieldProblem } from './field-problem.ts';

export type OutcomeKind = 'retry' | 'contact' | 'invalid_phone' | 'promise' | 'paid_claim' | 'refusal' | 'handoff' | 'stop';
export type Party = 'self' | 'family' | 'other' | 'none';
export const parties: readonly Party[] = ['self', 'family', 'other', 'none'];

export const handoffReasons = ['installment', 'hardship', 'reduction', 'complaint', 'other'] as const;
export type HandoffReason = (typeof handoffReasons)[number];

export interface OutcomeCode {
	code: string;
	labelJa: string;
	labelEn: string;
	kind: OutcomeKind;
	answered: boolean;
	rightParty: boolean;
	/** seconds until the household may be called again; null when not automatic */
	retryAfterSeconds: number | null;
}

/** Which contact parties make sense with an outcome; the first is the default the form preselects. */
export function partiesFor(o: Pick<OutcomeCode, 'answered' | 'rightParty' | 'code'>): Party[] {
	if (!o.answered) return ['none'];
	if (o.rightParty) return ['self'];
	if (o.code === '30') return ['other'];
	return ['family', 'other', 'self'];
}

/**
 * Whether an outcome can be the outcome of an inbound call (受電: the resident called the center). Someone is on the
 * line, so an outcome nobody answered (10 不在, 11 留守番電話, 12 話中, 31 現在使われていない) is impossible, and so is
 * a wrong number (30 番号誤り: the center dialled and reached someone else). The form offers only these for an
 * inbound call, and the server refuses the others (`notInbound`).
 */
export function fitsInboundCall(o: Pick<OutcomeCode, 'answered' | 'kind'>): boolean {
	return o.answered && o.kind !== 'invalid_phone';
}

export type QueueState = 'ready' | 'waiting' | 'claimed' | 'closed';

export interface NextQueueState {
	state: Exclude<QueueState, 'claimed'>;
	nextEligibleAt: Date | null;
	closedReason: string | null;
}

/** Days after a promise's date before the household is called again if the money has not arrived (posting lag). */
export const PROMISE_GRACE_DAYS = 3;

/**
 * Where a household goes after an outcome:
 * - retry / contact / refusal / paid claim: waits `retryAfter`, then is callable again;
 * - a wrong or dead number: retried soon on another number, or closed as a letter candidate when none is left;
 * - a promise: waits until the promised date plus grace (callback if not kept);
 * - a handoff or do-not-call: leaves the queue.
 */
export function nextQueueState(
	o: Pick<OutcomeCode, 'kind' | 'retryAfterSeconds'>,
	ctx: { now: Date; promiseDueDate?: string | null; hasCallablePhone: boolean; resolved?: boolean }
): NextQueueState {
	const wait = (seconds: number): NextQueueState => ({
		state: 'waiting',
		nextEligibleAt: new Date(ctx.now.getTime() + seconds * 1000),
		closedReason: null
	});
	const close = (reason: string): NextQueueState => ({ state: 'closed', nextEligibleAt: null, closedReason: reason });

	// an import resolved the household while the operator was on it: it leaves the queue whatever was said
	if (ctx.resolved && o.kind !== 'handoff' && o.kind !== 'stop') return close('resolved');
	switch (o.kind) {
		case 'handoff':
			return close('handoff');
		case 'stop':
			return close('do_not_call');
		case 'promise': {
			if (!ctx.promiseDueDate) throw new Error('a promise outcome needs its date');
			// 09:00 Tokyo (00:00 UTC) on the day after the grace period
			const due = new Date(`${ctx.promiseDueDate}T00:00:00Z`);
			due.setUTCDate(due.getUTCDate() + PROMISE_GRACE_DAYS + 1);
			return { state: 'waiting', nextEligibleAt: due, closedReason: null };
		}
		case 'invalid_phone':
			if (!ctx.hasCallablePhone) return close('no_phone');
			return wait(o.retryAfterSeconds ?? 3600);
		default:
			if (!ctx.hasCallablePhone) return close('no_phone');
			return o.retryAfterSeconds === null ? close('manual') : wait(o.retryAfterSeconds);
	}
}

/** How far ahead a promise may be dated (days), unless the calling rules say otherwise (promiseHorizonDays). */
export const PROMISE_HORIZON_DAYS = 90;

/**
 * Checks of a promise that need no database, as field problems: the amount is whole yen above 0 (`amount`) and
 * owed (`overOwed`, params.owed); the date is not past (`past`) and not beyond the horizon, the calling rules'
 * promiseHorizonDays (`horizon`, params.days).
 */
export function promiseFieldProblems(p: { amount: number; dueDate: string }, ctx: { today: string; owed: number; horizonDays?: number }): Record<string, FieldProblem> {
	const problems: Record<string, FieldProblem> = {};
	const horizonDays = ctx.horizonDays ?? PROMISE_HORIZON_DAYS;
	if (!Number.isInteger(p.amount) || p.amount <= 0) problems['promise.amount'] = problem('amount', 'must be a whole number of yen above 0');
	else if (p.amount > ctx.owed) problems['promise.amount'] = problem('overOwed', `must not exceed the amount owed (${ctx.owed})`, { owed: ctx.owed });
	if (p.dueDate < ctx.today) problems['promise.dueDate'] = problem('past', 'must not be in the past');
	else {
		const horizon = new Date(`${ctx.today}T00:00:00Z`);
		horizon.setUTCDate(horizon.getUTCDate() + horizonDays);
		if (p.dueDate > horizon.toISOString().slice(0, 10)) problems['promise.dueDate'] = problem('horizon', `must be within ${horizonDays} days`, { days: horizonDays });
	}
	return problems;
}

/** promiseFieldProblems as English sentences (field → text). */
export function promiseProblems(p: { amount: number; dueDate: string }, ctx: { today: string; owed: number; horizonDays?: number }): Record<string, string> {
	return Object.fromEntries(Object.entries(promiseFieldProblems(p, ctx)).map(([f, x]) => [f, x.text]));
}
