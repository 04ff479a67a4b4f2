/**
 * Operator performance for supervisors (issue #8: "operator performance views for supervisors, not for ranking on
 * the wall"), pure: time in each state from the recorded state changes, and one operator's figures with the rates
 * of kpi.ts. The server (src/lib/server/reports/performance.ts) reads the calls and the changes.
 */
import { rates, type CallCounts, type Rates } from './kpi.ts';

export const timedStates = ['available', 'on_household', 'wrap_up', 'break'] as const;
export type TimedState = (typeof timedStates)[number];

export interface StateChange {
	state: string;
	at: Date;
}

/**
 * Seconds in each state within [from, to): `changes` are one operator's changes in time order, the first may be
 * before `from` (the state they were in when the range began). Offline and unknown states count for nothing; a
 * range that reaches past `now` ends at `now`.
 */
export function stateSeconds(changes: readonly StateChange[], from: Date, to: Date, now: Date): Record<TimedState, number> {
	const out: Record<TimedState, number> = { available: 0, on_household: 0, wrap_up: 0, break: 0 };
	const end = Math.min(to.getTime(), now.getTime());
	for (let i = 0; i < changes.length; i++) {
		const state = changes[i].state as TimedState;
		if (!(timedStates as readonly string[]).includes(state)) continue;
		const a = Math.max(changes[i].at.getTime(), from.getTime());
		const b = Math.min(i + 1 < changes.length ? changes[i + 1].at.getTime() : end, end);
		if (b > a) out[state] += (b - a) / 1000;
	}
	for (const k of timedStates) out[k] = Math.round(out[k]);
	return out;
}

export interface OperatorCounts extends CallCounts {
	promisedAmount: number;
	inbound: number;
	handoffs: number;
	/** calls with a recorded end: their talk time in seconds, summed */
	talkSeconds: number;
	talkCalls: number;
}

export interface OperatorPerformance extends OperatorCounts, Rates {
	operatorId: number;
	displayName: string;
	team: string | null;
	seconds: Record<TimedState, number>;
	/** 架電件数 per hour worked (on a household, wrap-up and available): null when no time was recorded */
	attemptsPerHour: number | null;
	/** mean talk time of the calls with a recorded end, seconds */
	meanTalkSeconds: number | null;
}

/** One operator's figures with their rates (docs/kpis.md) and the derived per-hour and talk-time figures. */
export function operatorPerformance(o: { operatorId: number; displayName: string; team?: string | null }, c: OperatorCounts, seconds: Record<TimedState, number>): OperatorPerformance {
	const worked = seconds.available + seconds.on_household + seconds.wrap_up;
	return {
		operatorId: o.operatorId,
		displayName: o.displayName,
		team: o.team ?? null,
		...c,
		...rates(c),
		seconds,
		attemptsPerHour: worked > 0 ? Math.round((c.attempts / (worked / 3600)) * 10) / 10 : null,
		meanTalkSeconds: c.talkCalls > 0 ? Math.round(c.talkSeconds / c.talkCalls) : null
	};
}

/** Additive figures over operators (distinct households do not add up across operators: left out). */
export function additiveTotals(rows: readonly OperatorPerformance[]) {
	const sum = (f: (r: OperatorPerformance) => number) => rows.reduce((s, r) => s + f(r), 0);
	return {
		attempts: sum((r) => r.attempts),
		answeredAttempts: sum((r) => r.answeredAttempts),
		promises: sum((r) => r.promises),
		promisedAmount: sum((r) => r.promisedAmount),
		inbound: sum((r) => r.inbound),
		handoffs: sum((r) => r.handoffs),
		seconds: Object.fromEntries(timedStates.map((k) => [k, sum((r) => r.seconds[k])])) as Record<TimedState, number>
	};
}
