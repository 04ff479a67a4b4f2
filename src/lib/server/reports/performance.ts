/**
 * The operators' performance for supervisors (issue #8): per operator over a range of Tokyo days, the measures of
 * docs/kpis.md from the live calls, talk time, attempts per hour worked and time in each state. For coaching, not
 * for ranking: the view lists operators by name, never on the wall. Aggregates about staff only (no household):
 * nothing here is written to the access log. Policy: floor.view (supervisors).
 */
import { db } from '../db.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { fieldProblems } from '../errors.ts';
import { dateRangeProblems } from '../../domain/date-range.ts';
import { problem } from '../../domain/field-problem.ts';
import { tokyoDate } from '../../domain/format.ts';
import { tokyoAt, addDays } from '../../domain/tokyo-time.ts';
import { additiveTotals, operatorPerformance, stateSeconds, type OperatorCounts, type OperatorPerformance } from '../../domain/performance.ts';
import * as q from './performance.queries.ts';

/** the longest range shown at once, in days (inclusive) */
export const PERFORMANCE_MAX_DAYS = 93;

export interface PerformanceReport {
	from: string;
	/** inclusive */
	to: string;
	operators: OperatorPerformance[];
	totals: ReturnType<typeof additiveTotals>;
	generatedAt: string;
}

const zero: OperatorCounts = { attempts: 0, answeredAttempts: 0, householdsAttempted: 0, householdsContacted: 0, rightPartyContacts: 0, promises: 0, promisedAmount: 0, inbound: 0, handoffs: 0, talkSeconds: 0, talkCalls: 0 };

/** Per operator from `from` to `to` (Tokyo days, inclusive; default today). */
export async function operatorPerformanceReport(actor: Actor, raw: { from?: unknown; to?: unknown } = {}, now = new Date()): Promise<PerformanceReport> {
	requirePermission(actor, 'floor.view');
	// each field's problem as a stable code (src/lib/domain/date-range.ts), worded by the page in the user's language
	const problems = dateRangeProblems({ from: raw.from || undefined, to: raw.to || undefined }, { required: false });
	const given = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
	const givenFrom = given(raw.from);
	const givenTo = given(raw.to);
	if (!problems.from && !problems.to && givenFrom && givenTo && addDays(givenFrom, PERFORMANCE_MAX_DAYS - 1) < givenTo)
		problems.to = problem('range_too_long', `at most ${PERFORMANCE_MAX_DAYS} days`, { max: PERFORMANCE_MAX_DAYS });
	if (Object.keys(problems).length) throw fieldProblems(problems);
	const today = tokyoDate(now);
	const fromDay = givenFrom ?? givenTo ?? today;
	const toDay = givenTo ?? (givenFrom && givenFrom > today ? givenFrom : today);
	const from = tokyoAt(fromDay);
	const to = tokyoAt(addDays(toDay, 1));
	const sql = db();
	const [ops, counts, changes] = await Promise.all([q.operators(sql, from, to), q.callCounts(sql, from, to), q.stateChanges(sql, from, to)]);
	const byOp = new Map(counts.map((c) => [c.operatorId, c]));
	const changesOf = new Map<number, { state: string; at: Date }[]>();
	for (const c of changes) changesOf.set(c.userId, [...(changesOf.get(c.userId) ?? []), c]);
	const operators = ops.map((o) => {
		const { operatorId: _id, ...c } = byOp.get(o.operatorId) ?? { operatorId: o.operatorId, ...zero };
		return operatorPerformance({ operatorId: o.operatorId, displayName: o.displayName }, { ...zero, ...c, promisedAmount: Number(c.promisedAmount) }, stateSeconds(changesOf.get(o.operatorId) ?? [], from, to, now));
	});
	return { from: fromDay, to: toDay, operators, totals: additiveTotals(operators), generatedAt: now.toISOString() };
}
