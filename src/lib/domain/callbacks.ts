/**
 * Callbacks (折り返し・再架電の予約) and do-not-call instructions (架電停止) as an operator records them with an
 * outcome: which outcomes may carry them, and the checks of their times that need no database. Pure; the server
 * (src/lib/server/calls, src/lib/server/callbacks) applies them, the call screen may show the same messages early.
 */
import type { OutcomeKind } from './outcomes.ts';
import { isWithinWindow, nextWindowOpen, tokyoDay, type CallingRules } from './calling-rules.ts';
import { problem, type FieldProblem } from './field-problem.ts';

/** How far ahead a callback may be scheduled. */
export const CALLBACK_HORIZON_DAYS = 30;

/** Outcomes after which a callback makes sense (someone will be called again). */
export const callbackKinds: readonly OutcomeKind[] = ['retry', 'contact', 'refusal', 'paid_claim'];

export function allowsCallback(kind: OutcomeKind): boolean {
	return callbackKinds.includes(kind);
}

/** Outcomes that close the household's open callback when they do not honour it: the household leaves the calls. */
export function cancelsOpenCallback(kind: OutcomeKind): boolean {
	return kind === 'promise' || kind === 'handoff' || kind === 'stop';
}

/**
 * The problem with a callback time, or null when it is fine: it must lie in the future (`pastTime`), within 30
 * days (`horizon`, params.days), and inside a calling window (`outsideHours`: no calls at night, on closed days, on
 * holidays; params.opensAt = when the next calling hours start, ISO, '' when none within 14 days).
 */
export function callbackTimeProblem(rules: CallingRules, at: Date, now: Date): FieldProblem | null {
	if (at.getTime() <= now.getTime()) return problem('pastTime', 'the callback time has passed: choose a later time');
	if (at.getTime() > now.getTime() + CALLBACK_HORIZON_DAYS * 86_400_000)
		return problem('horizon', `a callback can be at most ${CALLBACK_HORIZON_DAYS} days ahead`, { days: CALLBACK_HORIZON_DAYS });
	if (!isWithinWindow(rules, at)) {
		const open = nextWindowOpen(rules, at);
		const hint = open ? ` (the next calling hours start ${tokyoDay(open)} ${fmtTokyoTime(open)})` : '';
		return problem('outsideHours', `outside calling hours: we do not call at that time${hint}`, { opensAt: open ? open.toISOString() : '' });
	}
	return null;
}

/**
 * Whether a call honours the household's open callback: its time has come (a due callback is what the claim
 * offered first), or the call came from a callback claim, or the operator says so.
 */
export function honoursCallback(cb: { dueAt: Date }, ctx: { now: Date; claimKind?: string | null; operatorSaysDone?: boolean }): boolean {
	return cb.dueAt.getTime() <= ctx.now.getTime() || ctx.claimKind === 'callback' || ctx.operatorSaysDone === true;
}

/** The problem with a do-not-call end date, or null: it must lie after today (Tokyo; `notFuture`). */
export function doNotCallUntilProblem(until: string | null | undefined, today: string): FieldProblem | null {
	if (!until) return null;
	if (until <= today) return problem('notFuture', 'the end date must be after today');
	return null;
}

function fmtTokyoTime(at: Date): string {
	return new Date(at.getTime() + 9 * 3600_000).toISOString().slice(11, 16);
}
