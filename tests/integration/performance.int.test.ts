/**
 * The operators' performance view (issue #8, supervisors) against the real database: per operator the figures
 * reconcile with the raw call rows, time in state comes from the recorded changes, bad ranges are refused by field,
 * and only supervisors may read it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSql, resetDb } from '../helpers/db.ts';
import { newHousehold, newOperator, newSegment, newUser } from '../helpers/factories.ts';
import { closeDb } from '../../src/lib/server/db.ts';
import { claimNextHousehold } from '../../src/lib/server/queue/claims.ts';
import { recordCallOutcome } from '../../src/lib/server/calls/calls.ts';
import { operatorPerformanceReport } from '../../src/lib/server/reports/performance.ts';
import { addDays } from '../../src/lib/domain/tokyo-time.ts';
import { tokyoDate } from '../../src/lib/domain/format.ts';
import type { Actor } from '../../src/lib/server/auth/actor.ts';

const sql = testSql();
afterAll(async () => {
	await sql.end();
	await closeDb();
});

describe('operator performance', () => {
	let sv: Actor;
	let a: Actor;
	let b: Actor;
	const today = tokyoDate();
	beforeAll(async () => {
		await resetDb(sql);
		const seg = await newSegment(sql);
		for (let i = 0; i < 6; i++) await newHousehold(sql, { segmentId: seg, owed: 50_000 + i });
		sv = await newUser(sql, 'supervisor');
		a = await newOperator(sql, [seg]);
		b = await newOperator(sql, [seg]);
		const work = async (op: Actor, input: Record<string, unknown>) => {
			const c = await claimNextHousehold(op);
			await recordCallOutcome(op, { householdId: c.householdId, ...input });
		};
		await work(a, { outcomeCode: '10' });
		await work(a, { outcomeCode: '40', party: 'self', promise: { amount: 12_000, dueDate: addDays(today, 5) } });
		await work(a, { outcomeCode: '21' });
		await work(b, { outcomeCode: '20', party: 'self' });
	});

	it('reconciles with the raw call rows, per operator and in total', async () => {
		const r = await operatorPerformanceReport(sv, {});
		expect(r).toMatchObject({ from: today, to: today });
		const raw = await sql<{ operatorId: number; n: number }[]>`select operator_id, count(*)::int as n from calls group by operator_id`;
		for (const row of raw) expect(r.operators.find((o) => o.operatorId === row.operatorId)?.attempts).toBe(row.n);
		expect(r.totals.attempts).toBe((await sql<{ n: number }[]>`select count(*)::int as n from calls`)[0].n);
		const pa = r.operators.find((o) => o.operatorId === a.id)!;
		expect(pa).toMatchObject({ attempts: 3, answeredAttempts: 2, householdsAttempted: 3, householdsContacted: 2, rightPartyContacts: 1, promises: 1, promisedAmount: 12_000, promiseRate: 1 });
		expect(pa.answerRate).toBeCloseTo(2 / 3);
		expect(r.operators.find((o) => o.operatorId === b.id)).toMatchObject({ attempts: 1, rightPartyContacts: 1, promises: 0, promiseRate: 0 });
		expect(r.totals.promisedAmount).toBe(12_000);
		expect(r.operators.every((o) => o.operatorId !== sv.id)).toBe(true);
	});

	it('counts time in state from the recorded changes of a past day exactly', async () => {
		const day = addDays(today, -3);
		const at = (hhmm: string) => new Date(`${day}T${hhmm}:00+09:00`);
		await sql`insert into operator_state_changes (user_id, state, at) values
			(${b.id}, 'available', ${at('08:55')}), (${b.id}, 'on_household', ${at('09:00')}), (${b.id}, 'wrap_up', ${at('09:06')}),
			(${b.id}, 'break', ${at('09:07')}), (${b.id}, 'offline', ${at('09:20')})`;
		const r = await operatorPerformanceReport(sv, { from: day, to: day });
		expect(r.operators.find((o) => o.operatorId === b.id)?.seconds).toEqual({ available: 5 * 60, on_household: 6 * 60, wrap_up: 60, break: 13 * 60 });
		expect(r.operators.find((o) => o.operatorId === b.id)?.attempts).toBe(0);
	});

	it('refuses a bad range by field, and everyone but supervisors', async () => {
		await expect(operatorPerformanceReport(sv, { from: '2026-02-30' })).rejects.toMatchObject({ code: 'invalid_input', details: { from: 'no_such_date' } });
		await expect(operatorPerformanceReport(sv, { from: '2026-05-02', to: '2026-05-01' })).rejects.toMatchObject({ details: { to: 'date_order' } });
		await expect(operatorPerformanceReport(sv, { from: '2026-01-01', to: '2026-12-31' })).rejects.toMatchObject({ details: { to: 'range_too_long' }, params: { to: { max: 93 } } });
		// 93 days inclusive is still shown
		expect((await operatorPerformanceReport(sv, { from: '2026-01-01', to: '2026-04-03' })).to).toBe('2026-04-03');
		for (const role of ['operator', 'manager', 'staff', 'admin', 'auditor'] as const)
			await expect(operatorPerformanceReport(await newUser(sql, role), {})).rejects.toMatchObject({ code: 'forbidden' });
	});
});
