/**
 * Promise tracking on the real PostgreSQL: the reconciliation at the end of an import (same transaction: a refused
 * import leaves promises as they were), the daily job (once a day, single-flight, idempotent), the manual run, the
 * broken-promises segment with its priority boost (claimed first), the supervisor's view and the kept rate.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { testSql, resetDb } from '../helpers/db.ts';
import { newUser } from '../helpers/factories.ts';
import { filesOf, household, writeSet } from '../helpers/ward-files.ts';
import { runImport } from '../../src/lib/server/imports/imports.ts';
import { systemActor, type Actor } from '../../src/lib/server/auth/actor.ts';
import { assignOperator, brokenPromisesSegment, upsertSegment } from '../../src/lib/server/segments/segments.ts';
import { promisesView, reconcileNow, runDailyReconciliation } from '../../src/lib/server/promises/promises.ts';
import { keptRateFor } from '../../src/lib/server/reports/reports.ts';
import { claimNextHousehold } from '../../src/lib/server/queue/claims.ts';
import { rebuildQueue } from '../../src/lib/server/queue/placement.ts';
import { closeDb } from '../../src/lib/server/db.ts';
import { addDays } from '../../src/lib/domain/promises.ts';
import { tokyoDate } from '../../src/lib/domain/format.ts';

const sql = testSql();
const admin = systemActor('cli:test');
const AS_OF = '2026-11-27';
let brokenSeg = 0;
let generalSeg = 0;

afterAll(async () => {
	await sql.end();
	await closeDb();
});
beforeEach(async () => {
	await resetDb(sql);
	await sql`truncate imports, import_rejections, payments, promise_reconciliations restart identity cascade`;
	brokenSeg = await upsertSegment(sql, brokenPromisesSegment);
	generalSeg = await upsertSegment(sql, { code: 'general', nameJa: '一般', nameEn: 'General', filter: {}, sortOrder: 90 });
});

const apply = (dir: string, asOf = AS_OF) => runImport(admin, filesOf(dir), { mode: 'apply', asOf, source: 'test' });

type P = { id: number; householdId: number; status: string; paidAmount: number; reconciledAt: Date | null; settledAt: Date | null };
const promisesNow = () =>
	sql<P[]>`select id, household_id, status, paid_amount, reconciled_at, settled_at from promises order by id`;

async function households(): Promise<Record<string, number>> {
	const rows = await sql<{ id: number; nhiNumber: string }[]>`select id, nhi_number from households`;
	return Object.fromEntries(rows.map((r) => [r.nhiNumber, r.id]));
}

async function promise(householdId: number, by: Actor, amount: number, due: string, madeAt: string): Promise<number> {
	const [r] = await sql<{ id: number }[]>`
		insert into promises (household_id, amount, due_date, created_by, created_at) values (${householdId}, ${amount}, ${due}, ${by.id}, ${madeAt}) returning id`;
	return r.id;
}

describe('reconciliation at the end of an import', () => {
	it('reconciles in the import: kept, partly kept, broken, pending, with the payments that counted', async () => {
		await apply(writeSet([household('00000071', '1000000071'), household('00000072', '1000000072'), household('00000073', '1000000073'), household('00000074', '1000000074')]));
		const h = await households();
		const op = await newUser(sql, 'operator');
		// all made on 2026-11-10 (Tokyo); grace 3 days (default rules): judged from 11-24 on
		const kept = await promise(h['00000071'], op, 15_000, '2026-11-20', '2026-11-10T03:00:00Z');
		const broken = await promise(h['00000072'], op, 10_000, '2026-11-15', '2026-11-10T03:00:00Z');
		const partly = await promise(h['00000073'], op, 20_000, '2026-11-20', '2026-11-10T03:00:00Z');
		const pending = await promise(h['00000074'], op, 10_000, '2026-12-05', '2026-11-10T03:00:00Z');
		// 71 pays 10,000 + 5,000 on 11-18 / 11-19; 73 pays 5,000 on 11-12 and 3,000 on 11-09 (before the promise: not counted)
		const p71 = household('00000071', '1000000071', { paid: [10_000, 5_000] });
		p71.収納[0].最終納付年月日 = '2026/11/18';
		p71.収納[1].最終納付年月日 = '令和8年11月19日';
		const p73 = household('00000073', '1000000073', { paid: [5_000, 3_000] });
		p73.収納[0].最終納付年月日 = '2026/11/12';
		p73.収納[1].最終納付年月日 = '2026/11/09';
		const r = await apply(writeSet([p71, household('00000072', '1000000072'), p73, household('00000074', '1000000074')], { files: ['収納'] }));
		expect(r.status).toBe('applied');
		expect(r.changes).toMatchObject({ promisesKept: 1, promisesPartlyKept: 1, promisesBroken: 1 });

		const ps = new Map((await promisesNow()).map((p) => [p.id, p]));
		expect(ps.get(kept)).toMatchObject({ status: 'kept', paidAmount: 15_000 });
		expect(ps.get(broken)).toMatchObject({ status: 'broken', paidAmount: 0 });
		expect(ps.get(partly)).toMatchObject({ status: 'partly_kept', paidAmount: 5_000 });
		expect(ps.get(pending)).toMatchObject({ status: 'pending', paidAmount: 0, settledAt: null });
		for (const id of [kept, broken, partly]) expect(ps.get(id)!.settledAt).not.toBeNull();
		for (const id of [kept, broken, partly, pending]) expect(ps.get(id)!.reconciledAt).not.toBeNull();

		// which payments counted: both of 71's, the 11-12 one of 73 (not the 11-09 one)
		const counted = await sql<{ promiseId: number; amount: number; paidOn: string }[]>`
			select pp.promise_id, pp.amount, y.paid_on::text as paid_on from promise_payments pp join payments y on y.id = pp.payment_id order by pp.promise_id, y.paid_on`;
		expect(counted).toEqual([
			{ promiseId: kept, amount: 10_000, paidOn: '2026-11-18' },
			{ promiseId: kept, amount: 5_000, paidOn: '2026-11-19' },
			{ promiseId: partly, amount: 5_000, paidOn: '2026-11-12' }
		]);
		const runs = await sql<{ source: string; runOn: string; counts: Record<string, number> }[]>`
			select source, run_on::text as run_on, counts from promise_reconciliations where import_id = ${r.importId}`;
		expect(runs).toEqual([{ source: 'import', runOn: AS_OF, counts: expect.objectContaining({ checked: 4, changed: 3, kept: 1, partlyKept: 1, broken: 1 }) }]);

		// the queue was rebuilt after it: broken and partly kept households are in the broken-promises segment
		const q = await sql<{ householdId: number; segmentId: number }[]>`select household_id, segment_id from call_queue order by household_id`;
		const seg = new Map(q.map((x) => [x.householdId, x.segmentId]));
		expect(seg.get(h['00000072'])).toBe(brokenSeg);
		expect(seg.get(h['00000073'])).toBe(brokenSeg);
		expect(seg.get(h['00000071'])).toBe(generalSeg);
		expect(seg.get(h['00000074'])).toBe(generalSeg);
	});

	it('a refused import changes no promise (same transaction)', async () => {
		await apply(writeSet([household('00000081', '1000000081')]));
		const h = await households();
		const op = await newUser(sql, 'operator');
		await promise(h['00000081'], op, 10_000, '2026-11-15', '2026-11-10T03:00:00Z');
		const before = await promisesNow();
		const runsBefore = (await sql`select 1 from promise_reconciliations`).length;
		// a payment that would keep it, and an invalid row in the same file: the whole import is refused
		const paid = household('00000081', '1000000081', { paid: [10_000] });
		paid.収納[0].最終納付年月日 = '2026/11/12';
		paid.収納[3].調定額 = '12.5';
		const r = await apply(writeSet([paid], { files: ['収納'] }));
		expect(r.status).toBe('rejected');
		expect(await promisesNow()).toEqual(before);
		expect(before[0]).toMatchObject({ status: 'pending', reconciledAt: null });
		expect((await sql`select 1 from promise_payments`).length).toBe(0);
		expect((await sql`select 1 from promise_reconciliations`).length).toBe(runsBefore);
	});

	it('an on-time payment that arrives after the grace turns a broken promise into kept, and the household leaves the segment', async () => {
		await apply(writeSet([household('00000091', '1000000091')]));
		const h = await households();
		const op = await newUser(sql, 'operator');
		const id = await promise(h['00000091'], op, 10_000, '2026-11-15', '2026-11-10T03:00:00Z');
		await apply(writeSet([household('00000091', '1000000091')], { files: ['収納'] }), '2026-11-20');
		expect((await promisesNow())[0]).toMatchObject({ id, status: 'broken' });
		expect((await sql<{ segmentId: number }[]>`select segment_id from call_queue`)[0].segmentId).toBe(brokenSeg);
		// the ward's next file, a week later, has the payment made on 11-14
		const paid = household('00000091', '1000000091', { paid: [10_000] });
		paid.収納[0].最終納付年月日 = '2026/11/14';
		await apply(writeSet([paid], { files: ['収納'] }));
		expect((await promisesNow())[0]).toMatchObject({ id, status: 'kept', paidAmount: 10_000 });
		expect((await sql<{ segmentId: number }[]>`select segment_id from call_queue`)[0].segmentId).toBe(generalSeg);
	});
});

describe('the daily job and the manual run', () => {
	const today = tokyoDate();
	it('runs once a day across instances, judges due promises, re-places the households, and is idempotent', async () => {
		await apply(writeSet([household('00000101', '1000000101'), household('00000102', '1000000102')]));
		const h = await households();
		const op = await newUser(sql, 'operator');
		// due 10 days ago (judged), and due in 5 days (pending)
		const overdue = await promise(h['00000101'], op, 10_000, addDays(today, -10), `${addDays(today, -20)}T03:00:00Z`);
		const notYet = await promise(h['00000102'], op, 10_000, addDays(today, 5), `${addDays(today, -1)}T03:00:00Z`);
		await sql`update promises set status = 'pending', settled_at = null, paid_amount = 0`;
		await sql`truncate promise_reconciliations`;
		await sql.begin((tx) => rebuildQueue(tx, today));

		// two instances at once: one runs, the other finds it busy or done
		const [a, b] = await Promise.all([runDailyReconciliation(), runDailyReconciliation()]);
		const ran = [a, b].filter((x) => x.ran);
		expect(ran).toHaveLength(1);
		expect(ran[0]).toMatchObject({ ran: true, counts: { checked: 2, changed: 1, broken: 1 } });
		expect(await runDailyReconciliation()).toEqual({ ran: false, why: 'done' });
		const ps = new Map((await promisesNow()).map((p) => [p.id, p]));
		expect(ps.get(overdue)!.status).toBe('broken');
		expect(ps.get(notYet)!.status).toBe('pending');
		const [row] = await sql<{ segmentId: number }[]>`select segment_id from call_queue where household_id = ${h['00000101']}`;
		expect(row.segmentId).toBe(brokenSeg);
		expect(await sql<{ source: string }[]>`select source from promise_reconciliations`).toEqual([{ source: 'daily' }]);

		// the same data again (manual run): nothing changes
		const before = await sql`select id, status, paid_amount, settled_at from promises order by id`;
		const sup = await newUser(sql, 'supervisor');
		expect(await reconcileNow(sup)).toMatchObject({ checked: 1, changed: 0 });
		expect(await sql`select id, status, paid_amount, settled_at from promises order by id`).toEqual(before);
		const [log] = await sql<{ action: string; userId: number }[]>`select action, user_id from access_log where action = 'promises.reconcile'`;
		expect(log).toEqual({ action: 'promises.reconcile', userId: sup.id });
	});

	it('only supervisors may run it by hand', async () => {
		const op = await newUser(sql, 'operator');
		await expect(reconcileNow(op)).rejects.toMatchObject({ code: 'forbidden' });
		const mgr = await newUser(sql, 'manager');
		await expect(reconcileNow(mgr)).rejects.toMatchObject({ code: 'forbidden' });
	});
});

describe('broken promises in the queue', () => {
	it('a broken promise puts the household in the broken-promises segment, claimed before a household owing far more', async () => {
		// 112 owes ten times as much (¥500,000 overdue against ¥50,000): without the boost it would come first
		const big = () => {
			const x = household('00000112', '1000000112');
			for (const r of x.収納) r.調定額 = '100,000';
			return x;
		};
		await apply(writeSet([household('00000111', '1000000111'), big()]));
		const h = await households();
		const op = await newUser(sql, 'operator');
		await assignOperator(sql, op.id, brokenSeg);
		await assignOperator(sql, op.id, generalSeg);
		await promise(h['00000111'], op, 5_000, '2026-11-15', '2026-11-10T03:00:00Z');
		await apply(writeSet([household('00000111', '1000000111'), big()], { files: ['収納'] }));
		const q = await sql<{ householdId: number; segmentId: number; priority: number; state: string; priorityDetail: { code: string; points: number }[] }[]>`
			select household_id, segment_id, priority, state, priority_detail from call_queue order by household_id`;
		const broken = q.find((x) => x.householdId === h['00000111'])!;
		const other = q.find((x) => x.householdId === h['00000112'])!;
		expect(broken).toMatchObject({ segmentId: brokenSeg, state: 'ready' });
		expect(broken.priorityDetail).toContainEqual({ code: 'segment', points: 1000, detail: { boost: 1000 } });
		expect(broken.priorityDetail).toContainEqual(expect.objectContaining({ code: 'broken_promise', points: 100 }));
		expect(other).toMatchObject({ segmentId: generalSeg, state: 'ready' });
		expect(broken.priority).toBeGreaterThan(other.priority);
		expect(broken.priority - 1000).toBeLessThan(other.priority);
		const claim = await claimNextHousehold(op);
		expect(claim.householdId).toBe(h['00000111']);
	});
});

describe("the supervisor's view and the kept rate", () => {
	it('lists promises due today, this week and broken since yesterday, and logs each household shown', async () => {
		const today = tokyoDate();
		await apply(writeSet([household('00000121', '1000000121'), household('00000122', '1000000122'), household('00000123', '1000000123')]));
		const h = await households();
		const op = await newUser(sql, 'operator');
		await promise(h['00000121'], op, 10_000, today, `${addDays(today, -3)}T03:00:00Z`);
		await promise(h['00000122'], op, 12_000, addDays(today, 3), `${addDays(today, -3)}T03:00:00Z`);
		const b = await promise(h['00000123'], op, 8_000, addDays(today, -10), `${addDays(today, -20)}T03:00:00Z`);
		await sql`update promises set status = 'broken', settled_at = now() where id = ${b}`;
		const sup = await newUser(sql, 'supervisor');
		const v = await promisesView(sup);
		expect(v.dueToday.map((r) => [r.householdId, r.amount, r.status])).toEqual([[h['00000121'], 10_000, 'pending']]);
		expect(v.dueThisWeek.map((r) => [r.householdId, r.dueDate])).toEqual([[h['00000122'], addDays(today, 3)]]);
		expect(v.brokenSinceYesterday.map((r) => [r.householdId, r.status])).toEqual([[h['00000123'], 'broken']]);
		const logged = await sql<{ householdId: number; fields: string[] }[]>`
			select household_id, fields from access_log where action = 'household.view' and reason = 'promises' and user_id = ${sup.id} order by household_id`;
		expect(logged.map((r) => r.householdId)).toEqual([h['00000121'], h['00000122'], h['00000123']]);
		expect(logged[0].fields).toEqual(['identity', 'promises']);
		await expect(promisesView(op)).rejects.toMatchObject({ code: 'forbidden' });
		await expect(promisesView(sup, { limit: 'x' })).rejects.toMatchObject({ code: 'invalid_input' });
	});

	it('kept rate = kept ÷ promises falling due in the period (partly kept and pending in the denominator, cancelled out)', async () => {
		await apply(writeSet([household('00000131', '1000000131')]));
		const h = await households();
		const op = await newUser(sql, 'operator');
		const ids = [];
		for (const due of ['2026-10-05', '2026-10-10', '2026-10-15', '2026-10-20', '2026-10-25', '2026-11-05'])
			ids.push(await promise(h['00000131'], op, 10_000, due, '2026-10-01T03:00:00Z'));
		const states = ['kept', 'partly_kept', 'broken', 'pending', 'cancelled', 'kept'];
		for (const [i, id] of ids.entries()) await sql`update promises set status = ${states[i]} where id = ${id}`;
		const mgr = await newUser(sql, 'manager');
		const r = await keptRateFor(mgr, { from: '2026-10-01', to: '2026-11-01' });
		expect(r).toMatchObject({ due: 4, kept: 1, partlyKept: 1, broken: 1, pending: 1, keptRate: 0.25 });
		expect(r.formula.ja).toContain('約束履行率 = 履行した約束 ÷ 期間内に期日を迎えた約束');
		await expect(keptRateFor(mgr, { from: '2026-11-01', to: '2026-10-01' })).rejects.toMatchObject({ code: 'invalid_input' });
		await expect(keptRateFor(op, { from: '2026-10-01', to: '2026-11-01' })).rejects.toMatchObject({ code: 'forbidden' });
	});
});
