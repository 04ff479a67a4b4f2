/**
 * The supervisor console's live charts (floorCharts, issue #6) against real rows: calls recorded through the desk's
 * use cases (claim → outcome) and moved to fixed hours today and seven days ago, a payment, a household erased by
 * the retention sweep (its calls kept in stats_calls), and queue states placement left behind.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { testSql, resetDb } from '../helpers/db.ts';
import { newHousehold, newOperator, newSegment } from '../helpers/factories.ts';
import { claimNextHousehold } from '../../src/lib/server/queue/claims.ts';
import { recordCallOutcome, type OutcomeInput } from '../../src/lib/server/calls/calls.ts';
import { sweepRetention } from '../../src/lib/server/erasure/erasure.ts';
import { closeDb } from '../../src/lib/server/db.ts';
import { floorCharts } from '../../src/lib/server/live/charts.queries.ts';
import { tokyoDate } from '../../src/lib/domain/format.ts';
import { addDays, type FloorCharts } from '../../src/lib/domain/floor-charts.ts';
import type { Actor } from '../../src/lib/server/auth/actor.ts';

const sql = testSql();
beforeEach(async () => {
	await resetDb(sql);
	await sql`delete from stats_calls`;
	await sql`delete from stats_call_outcomes`;
	await sql`delete from stats_promises`;
	await sql`delete from stats_payments`;
	await sql`delete from stats_households`;
	await sql`delete from stats_receipts`;
	await sql`delete from stats_handoffs`;
});
afterAll(async () => {
	await sql.end();
	await closeDb();
});

const day = tokyoDate();
const at = (d: string, hour: number) => new Date(`${d}T${String(hour).padStart(2, '0')}:15:00+09:00`);

/** One call through the desk's use cases (the household made the only ready one, claimed, outcome recorded), then dated `when`. */
async function call(op: Actor, householdId: number, when: Date, outcome: Omit<OutcomeInput, 'householdId' | 'idempotencyKey'>) {
	await sql`update call_queue set state = 'ready', next_eligible_at = null, wait_reason = null where household_id = ${householdId}`;
	const claim = await claimNextHousehold(op);
	expect(claim.householdId).toBe(householdId);
	const r = await recordCallOutcome(op, { householdId, ...outcome });
	await sql`update calls set recorded_at = ${when}, started_at = ${when} where id = ${r.callId}`;
	return r;
}

const hour = (c: FloorCharts, h: number) => c.hourly.find((r) => r.hour === h)!;
const stages = (c: FloorCharts, segmentId: number) => Object.fromEntries(c.funnel.find((f) => f.segmentId === segmentId)!.stages.map((s) => [s.stage, s.count]));

describe('floorCharts', () => {
	it('counts today by hour against the same weekday last week, with erased households kept, and a funnel per segment', async () => {
		const a = await newSegment(sql, 'seg-a');
		const b = await newSegment(sql, 'seg-b');
		// a takes households owing under ¥200,000, b the rest (placement after each call puts a household in the first
		// segment whose filter it matches)
		await sql`update segments set filter = '{"maxOwed": 200000}' where id = ${a}`;
		const op = await newOperator(sql, [a, b]);
		const hh = async (segmentId: number) => newHousehold(sql, { segmentId, state: 'waiting', owed: segmentId === a ? 100_000 : 300_000 });
		const [h1, h2, h3, h4, h5, h6, h7, h9] = [await hh(a), await hh(a), await hh(a), await hh(a), await hh(a), await hh(a), await hh(a), await hh(a)];
		const h8 = await hh(b);
		const promiseDue = addDays(day, 7);

		// today 10:xx: no answer
		await call(op, h1, at(day, 10), { outcomeCode: '10' });
		// h2: first called ten days ago, paid five days ago (after that first call), reached today 14:xx
		await call(op, h2, at(addDays(day, -10), 11), { outcomeCode: '10' });
		await call(op, h2, at(day, 14), { outcomeCode: '20', party: 'self' });
		// today 14:xx: a promise of ¥30,000
		await call(op, h3, at(day, 14), { outcomeCode: '40', party: 'self', promise: { amount: 30_000, dueDate: promiseDue } });
		// seven days ago 14:xx: someone else answered
		await call(op, h4, at(addDays(day, -7), 14), { outcomeCode: '21', party: 'family' });
		// segment b, today 14:xx: busy
		await call(op, h8, at(day, 14), { outcomeCode: '12' });
		// h9: today 14:xx a promise of ¥5,000, then the household is resolved and erased by the retention sweep
		await call(op, h9, at(day, 14), { outcomeCode: '40', party: 'self', promise: { amount: 5_000, dueDate: promiseDue } });

		// h1 paid before it was ever called (not "paid" in the funnel), h2 paid after its first call
		await sql`insert into payments (household_id, fiscal_year, period, amount, paid_on) values
			(${h1}, 2025, 1, 1000, ${addDays(day, -30)}), (${h2}, 2025, 1, 2000, ${addDays(day, -5)})`;
		// queue states a placement gives: h5 held back after a payment; h6 closed without a callable number; h7 callable
		await sql`update call_queue set state = 'waiting', wait_reason = 'payment', next_eligible_at = now() + interval '10 days' where household_id = ${h5}`;
		await sql`update call_queue set state = 'closed', closed_reason = 'no_phone', next_eligible_at = null where household_id = ${h6}`;
		await sql`update call_queue set state = 'ready', next_eligible_at = null, wait_reason = null where household_id = ${h7}`;

		await sql`update households set status = 'resolved', resolved_at = now() - interval '3 days' where id = ${h9}`;
		const swept = await sweepRetention({ days: 1 });
		expect(swept.households).toBe(1);
		expect((await sql`select 1 from households where id = ${h9}`).length).toBe(0);

		const c = await floorCharts(sql, new Date());
		expect(c.day).toBe(day);
		expect(c.lastWeekDay).toBe(addDays(day, -7));

		// 14:xx today: h2, h3, h8 live + h9 kept (erased): 4 attempts, 3 contacted, 3 payer reached, 2 promises
		expect(hour(c, 14).today).toMatchObject({
			attempts: 4,
			answeredAttempts: 3,
			householdsAttempted: 4,
			householdsContacted: 3,
			rightPartyContacts: 3,
			promises: 2,
			promisedAmount: 35_000,
			contactRate: 0.75,
			rightPartyRate: 0.75
		});
		expect(hour(c, 14).today.promiseRate).toBeCloseTo(2 / 3);
		expect(hour(c, 10).today).toMatchObject({ attempts: 1, householdsAttempted: 1, householdsContacted: 0, contactRate: 0, promiseRate: null });
		// the same hour a week ago: h4, answered by someone else
		expect(hour(c, 14).lastWeek).toMatchObject({ attempts: 1, householdsContacted: 1, rightPartyContacts: 0, contactRate: 1, rightPartyRate: 0, promiseRate: null });
		expect(hour(c, 10).lastWeek.attempts).toBe(0);
		// h2's call ten days ago is in neither day
		expect(c.hourly.reduce((n, r) => n + r.today.attempts + r.lastWeek.attempts, 0)).toBe(6);

		// whole days (households counted once a day)
		expect(c.today).toMatchObject({ attempts: 5, householdsAttempted: 5, householdsContacted: 3, rightPartyContacts: 3, promises: 2, promisedAmount: 35_000 });
		expect(c.today.contactRate).toBeCloseTo(3 / 5);
		expect(c.lastWeek).toMatchObject({ attempts: 1, householdsAttempted: 1, contactRate: 1 });

		// funnel of segment a: h1–h7 in its queue (h9 erased); dialable: h1, h2, h3 (called today), h4 (waiting to retry),
		// h7 (ready), not h5 (payment) or h6 (closed); attempted today h1, h2, h3; contacted h2, h3; promised h3; paid h2
		expect(stages(c, a)).toEqual({ households: 7, dialable: 5, attempted: 3, contacted: 2, promised: 1, paid: 1 });
		expect(stages(c, b)).toEqual({ households: 1, dialable: 1, attempted: 1, contacted: 0, promised: 0, paid: 0 });
		const fa = c.funnel.find((f) => f.segmentId === a)!;
		expect(fa).toMatchObject({ code: 'seg-a', nameJa: '区分seg-a' });
		expect(fa.stages.find((s) => s.stage === 'paid')).toMatchObject({ denominator: 'attempted', rate: 1 / 3 });

		// aggregates only: no household id, name or number anywhere in what viewers get
		const json = JSON.stringify(c);
		expect(json).not.toMatch(/household[_]?id|試験|090-|nhi/i);
	});

	it('gives zeros and "no data" rates on a day without calls, every chart hour present', async () => {
		const a = await newSegment(sql, 'empty');
		await newHousehold(sql, { segmentId: a });
		const c = await floorCharts(sql);
		expect(c.hourly.map((r) => r.hour)).toEqual(Array.from({ length: 14 }, (_, i) => i + 8));
		expect(c.today).toMatchObject({ attempts: 0, contactRate: null, promiseRate: null });
		expect(stages(c, a)).toEqual({ households: 1, dialable: 1, attempted: 0, contacted: 0, promised: 0, paid: 0 });
	});
});
