/**
 * The randomized holdout (issue #8) against the real database: arms are recorded the first time placement puts a
 * household in a segment with a share, equal the keyed hash, and never move (share, filter or calling rules
 * changed); held-out households are never claimed (inbound calls still reach them); the effect report's figures
 * equal a direct computation over the payments; bad input is refused by field; only managers and supervisors read it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSql, resetDb } from '../helpers/db.ts';
import { newHousehold, newOperator, newSegment, newUser } from '../helpers/factories.ts';
import { closeDb } from '../../src/lib/server/db.ts';
import { claimNextHousehold } from '../../src/lib/server/queue/claims.ts';
import { placeHousehold } from '../../src/lib/server/queue/placement.ts';
import { recordCallOutcome } from '../../src/lib/server/calls/calls.ts';
import { createSegment, segmentDetail, updateSegment } from '../../src/lib/server/segments/segments.ts';
import { callingRulesState, saveCallingRules } from '../../src/lib/server/queue/rules.ts';
import { openInbound, releaseInbound } from '../../src/lib/server/search/inbound.ts';
import { effectChoices, effectReport } from '../../src/lib/server/reports/effect.ts';
import { isHeldOut, newcombeDifference, summarize, welchDifference } from '../../src/lib/domain/holdout.ts';
import { tokyoDate } from '../../src/lib/domain/format.ts';
import { addDays } from '../../src/lib/domain/tokyo-time.ts';
import type { Actor } from '../../src/lib/server/auth/actor.ts';

const sql = testSql();
afterAll(async () => {
	await sql.end();
	await closeDb();
});

type Arm = { householdId: number; heldOut: boolean; share: string };
const armsOf = async (segmentId: number) =>
	sql<Arm[]>`select household_id, held_out, share::text from holdout_assignments where segment_id = ${segmentId} order by household_id`;

describe('the randomized holdout', () => {
	let sv: Actor;
	let mgr: Actor;
	let seg: number;
	let households: number[];
	let seed: string;
	const today = tokyoDate();

	beforeAll(async () => {
		await resetDb(sql);
		seg = await newSegment(sql);
		households = [];
		for (let i = 0; i < 40; i++) households.push(await newHousehold(sql, { segmentId: seg, owed: 20_000 + i }));
		sv = await newUser(sql, 'supervisor');
		mgr = await newUser(sql, 'manager');
	});

	it('setting a share on a segment records every callable household’s arm, equal to the keyed hash, and closes the held-out ones', async () => {
		const s = await segmentDetail(sv, { segmentId: seg });
		expect(s.holdout).toMatchObject({ share: 0, heldOut: 0, called: 0, startedAt: null });
		const saved = await updateSegment(sv, { segmentId: seg, version: s.version, nameJa: s.nameJa, nameEn: s.nameEn, sortOrder: s.sortOrder, filter: s.filter, holdoutPercent: '20' });
		[{ seed }] = await sql<{ seed: string }[]>`select holdout_seed as seed from segments where id = ${seg}`;
		expect(seed).toMatch(/^[0-9a-f]{32}$/);
		const arms = await armsOf(seg);
		expect(arms.map((a) => a.householdId)).toEqual(households);
		for (const a of arms) {
			expect(a.heldOut).toBe(isHeldOut(seed, 0.2, a.householdId));
			expect(a.share).toBe('0.200');
		}
		const held = arms.filter((a) => a.heldOut).map((a) => a.householdId);
		expect(held.length).toBeGreaterThan(0);
		expect(held.length).toBeLessThan(40);
		expect(saved.holdout).toMatchObject({ share: 0.2, heldOut: held.length, called: 40 - held.length });
		expect(saved.holdout.startedAt).toBeInstanceOf(Date);
		const closed = await sql<{ householdId: number }[]>`select household_id from call_queue where state = 'closed' and closed_reason = 'holdout' order by household_id`;
		expect(closed.map((r) => r.householdId)).toEqual(held);
		// the supervisors' breakdown: closed:holdout
		const [row] = await sql<{ n: number }[]>`select count(*)::int as n from call_queue where segment_id = ${seg} and state = 'closed' and closed_reason = 'holdout'`;
		expect(row.n).toBe(held.length);
	});

	it('held-out households are never claimed; every other one is', async () => {
		const held = new Set((await armsOf(seg)).filter((a) => a.heldOut).map((a) => a.householdId));
		const op = await newOperator(sql, [seg]);
		const claimed: number[] = [];
		for (;;) {
			let c;
			try {
				c = await claimNextHousehold(op);
			} catch (e) {
				expect(e).toMatchObject({ code: 'queue_empty' });
				break;
			}
			claimed.push(c.householdId);
			expect(held.has(c.householdId)).toBe(false);
			await recordCallOutcome(op, { householdId: c.householdId, outcomeCode: '10' });
			expect(claimed.length).toBeLessThanOrEqual(40);
		}
		expect(claimed.sort((a, b) => a - b)).toEqual(households.filter((h) => !held.has(h)));
		// after the calls the held-out ones are still closed as holdout (placement after each outcome kept them)
		const [r] = await sql<{ n: number }[]>`select count(*)::int as n from call_queue where closed_reason = 'holdout'`;
		expect(r.n).toBe(held.size);
	});

	it('an inbound call from a held-out household is answered as usual; let go, it is held out again', async () => {
		const heldId = (await armsOf(seg)).find((a) => a.heldOut)!.householdId;
		const op = await newOperator(sql, [seg]);
		const { hold } = await openInbound(op, { householdId: heldId, note: '本人から入電' });
		expect(hold).toMatchObject({ householdId: heldId, kind: 'inbound' });
		await releaseInbound(op, { householdId: heldId });
		const [q] = await sql<{ state: string; closedReason: string }[]>`select state, closed_reason from call_queue where household_id = ${heldId}`;
		expect(q).toEqual({ state: 'closed', closedReason: 'holdout' });
	});

	it('a callback the household asked for is honoured: placed as usual while open, held out again once done', async () => {
		const heldId = (await armsOf(seg)).filter((a) => a.heldOut).at(-1)!.householdId;
		const op = await newOperator(sql, [seg]);
		const [cb] = await sql<{ id: number }[]>`
			insert into callbacks (household_id, due_at, only_me, operator_id) values (${heldId}, now() - interval '1 minute', false, ${op.id}) returning id`;
		await sql.begin((tx) => placeHousehold(tx as never, heldId));
		const [open] = await sql<{ state: string; closedReason: string | null }[]>`select state, closed_reason from call_queue where household_id = ${heldId}`;
		expect(open.closedReason).not.toBe('holdout');
		await sql`update callbacks set status = 'done', closed_at = now() where id = ${cb.id}`;
		await sql.begin((tx) => placeHousehold(tx as never, heldId));
		const [done] = await sql<{ state: string; closedReason: string | null }[]>`select state, closed_reason from call_queue where household_id = ${heldId}`;
		expect(done).toEqual({ state: 'closed', closedReason: 'holdout' });
	});

	it('arms are stable: a new share, a filter change and a calling-rules change move nobody; a new household gets the share of its day', async () => {
		const before = await armsOf(seg);
		let s = await segmentDetail(sv, { segmentId: seg });
		s = await updateSegment(sv, { segmentId: seg, version: s.version, nameJa: s.nameJa, nameEn: s.nameEn, sortOrder: s.sortOrder, filter: { minOwed: 1 }, holdoutPercent: '50' });
		expect(s.holdout.share).toBe(0.5);
		const rules = await callingRulesState(sv);
		await saveCallingRules(sv, { ...rules.rules, minGapMinutes: rules.rules.minGapMinutes + 1 }, rules.version);
		expect(await armsOf(seg)).toEqual(before);
		const [{ seedNow }] = await sql<{ seedNow: string }[]>`select holdout_seed as seed_now from segments where id = ${seg}`;
		expect(seedNow).toBe(seed);
		// a household first seen now: drawn with 50%
		const late = await newHousehold(sql, { segmentId: seg, owed: 30_000 });
		s = await segmentDetail(sv, { segmentId: seg });
		await updateSegment(sv, { segmentId: seg, version: s.version, nameJa: s.nameJa, nameEn: s.nameEn, sortOrder: s.sortOrder, filter: {}, holdoutPercent: '50' });
		const after = await armsOf(seg);
		expect(after.filter((a) => a.householdId !== late)).toEqual(before);
		expect(after.find((a) => a.householdId === late)).toEqual({ householdId: late, heldOut: isHeldOut(seed, 0.5, late), share: '0.500' });
		// share back to 0: nobody new is drawn, those held out stay held out
		s = await segmentDetail(sv, { segmentId: seg });
		await updateSegment(sv, { segmentId: seg, version: s.version, nameJa: s.nameJa, nameEn: s.nameEn, sortOrder: s.sortOrder, filter: {}, holdoutPercent: '0' });
		expect(await armsOf(seg)).toEqual(after);
		const [r] = await sql<{ n: number }[]>`select count(*)::int as n from call_queue where closed_reason = 'holdout'`;
		expect(r.n).toBe(after.filter((a) => a.heldOut).length);
	});

	it('a segment created with a share assigns its households at once', async () => {
		const created = await createSegment(sv, { code: 'holdout-new', nameJa: '新区分', nameEn: 'New', sortOrder: 0, filter: { minOwed: 20_020 }, holdoutPercent: '10' });
		expect(created.holdout.share).toBe(0.1);
		const arms = await armsOf(created.id);
		const [{ seed: s2 }] = await sql<{ seed: string }[]>`select holdout_seed as seed from segments where id = ${created.id}`;
		expect(s2).not.toBe(seed);
		expect(arms.length).toBeGreaterThan(0);
		for (const a of arms) expect(a.heldOut).toBe(isHeldOut(s2, 0.1, a.householdId));
		expect(created.holdout.heldOut + created.holdout.called).toBe(arms.length);
	});

	it('the effect report equals a direct computation over the payments', async () => {
		const arms = await armsOf(seg);
		// payments: some in both arms, one refund, one before the window, one on another day without paid_on
		let i = 0;
		for (const a of arms) {
			i++;
			if (i % 3 === 0) await sql`insert into payments (household_id, fiscal_year, period, amount, paid_on) values (${a.householdId}, 2025, 1, ${5_000 + i * 100}, ${today})`;
			if (i % 7 === 0) await sql`insert into payments (household_id, fiscal_year, period, amount, paid_on) values (${a.householdId}, 2025, 1, -1000, ${today})`;
			if (i % 5 === 0) await sql`insert into payments (household_id, fiscal_year, period, amount, paid_on) values (${a.householdId}, 2025, 1, 9999, ${addDays(today, -30)})`;
			if (i % 11 === 0) await sql`insert into payments (household_id, fiscal_year, period, amount, paid_on) values (${a.householdId}, 2025, 1, 3000, null)`;
		}
		const r = await effectReport(mgr, {});
		const e = r.segments.find((x) => x.segmentId === seg)!;
		expect(e).toBeDefined();
		expect(e.to).toBe(today);
		// direct: per household, its payments dated today (assigned today; the one 30 days ago is before it)
		const per = await sql<{ heldOut: boolean; amount: number; paid: boolean }[]>`
			select a.held_out, coalesce(sum(p.amount), 0)::int as amount, coalesce(bool_or(p.amount > 0), false) as paid
			from holdout_assignments a left join payments p on p.household_id = a.household_id and coalesce(p.paid_on, (p.recorded_at at time zone 'Asia/Tokyo')::date) >= ${today}::date
			where a.segment_id = ${seg} group by a.household_id, a.held_out`;
		for (const heldOut of [false, true]) {
			const mine = per.filter((p) => p.heldOut === heldOut);
			const fig = heldOut ? e.heldOut : e.called;
			expect(fig.households).toBe(mine.length);
			expect(fig.payers).toBe(mine.filter((p) => p.paid).length);
			expect(fig.amount).toBe(mine.reduce((s, p) => s + p.amount, 0));
			expect(fig.meanPerHousehold).toBeCloseTo(fig.amount / mine.length, 6);
		}
		const c = per.filter((p) => !p.heldOut);
		const h = per.filter((p) => p.heldOut);
		const rate = newcombeDifference(c.filter((p) => p.paid).length, c.length, h.filter((p) => p.paid).length, h.length)!;
		expect(e.rate!.lo).toBeCloseTo(rate.lo, 10);
		expect(e.rate!.hi).toBeCloseTo(rate.hi, 10);
		const mean = welchDifference(summarize(c.map((p) => p.amount)), summarize(h.map((p) => p.amount)));
		if (mean) {
			expect(e.mean!.difference).toBeCloseTo(mean.difference, 6);
			expect(e.mean!.lo).toBeCloseTo(mean.lo, 4);
			expect(e.extraYen!.estimate).toBeCloseTo(mean.difference * c.length, 4);
		}
		// a window in the past before the holdout: nobody assigned yet
		const past = await effectReport(mgr, { from: addDays(today, -40), to: addDays(today, -20), segment: seg });
		expect(past.segments[0]).toMatchObject({ verdict: 'no_data', called: { households: 0 }, heldOut: { households: 0 } });
		expect(JSON.stringify(past)).not.toContain('NaN');
		expect(past.segments[0]).toMatchObject({ state: 'complete', countedTo: addDays(today, -20) });
		// a window that has not begun counts nothing and says so; one not over yet is counted up to today
		const future = await effectReport(mgr, { from: addDays(today, 33), to: addDays(today, 64), segment: seg });
		expect(future.segments[0]).toMatchObject({ state: 'not_started', verdict: 'no_data', called: { households: 0 }, heldOut: { households: 0 } });
		const running = await effectReport(mgr, { from: addDays(today, -1), to: addDays(today, 30), segment: seg });
		expect(running.segments[0]).toMatchObject({ state: 'running', countedTo: today, to: addDays(today, 30), called: { households: e.called.households } });
		expect(e).toMatchObject({ state: 'complete', countedTo: today });
		// aggregates only: no names, addresses or NHI numbers
		expect(JSON.stringify(r)).not.toMatch(/試験|西新宿|householdId/);
	});

	it('refuses bad input by field', async () => {
		// stable codes the page words in the user's language (validation.*), never English sentences
		await expect(effectReport(mgr, { from: '2026-02-30' })).rejects.toMatchObject({ code: 'invalid_input', details: { from: 'no_such_date' }, params: { from: { value: '2026-02-30' } } });
		await expect(effectReport(mgr, { from: '2026-12-31', to: '2026-11-01' })).rejects.toMatchObject({ details: { to: 'date_order' } });
		await expect(effectReport(mgr, { segment: 'x' })).rejects.toMatchObject({ details: { segment: 'invalid' } });
		await expect(effectChoices(mgr)).resolves.toEqual(expect.arrayContaining([expect.objectContaining({ id: seg })]));
		const s = await segmentDetail(sv, { segmentId: seg });
		const base = { segmentId: seg, version: s.version, nameJa: s.nameJa, nameEn: s.nameEn, sortOrder: s.sortOrder, filter: s.filter };
		await expect(updateSegment(sv, { ...base, holdoutPercent: '60' })).rejects.toMatchObject({ code: 'invalid_input', details: { holdoutPercent: 'holdout_range' } });
		await expect(updateSegment(sv, { ...base, holdoutPercent: 'abc' })).rejects.toMatchObject({ details: { holdoutPercent: 'holdout_number' } });
		await expect(createSegment(sv, { code: 'bad-share', nameJa: 'x', nameEn: 'x', sortOrder: 1, filter: {}, holdoutPercent: '-5' })).rejects.toMatchObject({ details: { holdoutPercent: 'holdout_range' } });
	});

	it('only managers and supervisors read the report', async () => {
		await expect(effectReport(sv, {})).resolves.toBeDefined();
		for (const role of ['operator', 'staff', 'auditor', 'admin'] as const) await expect(effectReport(await newUser(sql, role), {})).rejects.toMatchObject({ code: 'forbidden' });
	});
});
