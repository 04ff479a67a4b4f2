import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { liveEvents, eventually } from '../helpers/events.ts';
import { testSql, resetDb } from '../helpers/db.ts';
import { newHousehold, newOperator, newSegment, newUser } from '../helpers/factories.ts';
import { claimNextHousehold } from '../../src/lib/server/queue/claims.ts';
import { recordCallOutcome } from '../../src/lib/server/calls/calls.ts';
import { closeDb } from '../../src/lib/server/db.ts';
import { tokyoDate } from '../../src/lib/domain/format.ts';

const sql = testSql();
beforeEach(async () => {
	await resetDb(sql);
});
const events = liveEvents(sql);
afterAll(async () => {
	await sql.end();
	await closeDb();
});


async function setup(owed = 50_000) {
	const seg = await newSegment(sql);
	const h = await newHousehold(sql, { segmentId: seg, owed });
	const op = await newOperator(sql, [seg]);
	await claimNextHousehold(op);
	// the claim's own events arrive asynchronously: let them land before watching for the outcome's
	await eventually(() => events.some((e) => e.type === 'operator:state'));
	events.length = 0;
	return { seg, h, op };
}

const count = async (table: 'calls' | 'promises' | 'handoffs') => (await sql<{ n: number }[]>`select count(*)::int as n from ${sql(table)}`)[0].n;

function inDays(n: number): string {
	const d = new Date(`${tokyoDate()}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + n);
	return d.toISOString().slice(0, 10);
}

describe('recordCallOutcome', () => {
	it('writes the call, moves the household, releases the claim and publishes after commit', async () => {
		const { h, op } = await setup();
		const r = await recordCallOutcome(op, { householdId: h, outcomeCode: '10', note: '呼出音のみ' });
		expect(r.queueState).toBe('waiting');
		const [call] = await sql<{ outcomeCode: string; party: string; operatorId: number }[]>`select outcome_code, party, operator_id from calls where id = ${r.callId}`;
		expect(call).toEqual({ outcomeCode: '10', party: 'none', operatorId: op.id });
		const [q] = await sql<{ state: string; claimedBy: number | null; attempts: number }[]>`select state, claimed_by, attempts from call_queue where household_id = ${h}`;
		expect(q).toEqual({ state: 'waiting', claimedBy: null, attempts: 1 });
		expect(await eventually(() => events.some((e) => e.type === 'call:recorded' && e.data.callId === r.callId))).toBe(true);
		expect(events.some((e) => e.type === 'queue:changed' && e.data.householdId === h && e.data.to === 'waiting')).toBe(true);
		const [log] = await sql<{ action: string; userId: number }[]>`select action, user_id from access_log where action = 'call.record'`;
		expect(log).toEqual({ action: 'call.record', userId: op.id });
	});

	it('writes nothing and publishes nothing when the transaction fails part-way', async () => {
		const { h, op } = await setup();
		// a real failure inside PostgreSQL after the call row has been inserted
		await sql`create function fail_promise() returns trigger language plpgsql as $$ begin raise exception 'disk full (test)'; end $$`;
		await sql`create trigger fail_promise before insert on promises for each row execute function fail_promise()`;
		try {
			await expect(
				recordCallOutcome(op, { householdId: h, outcomeCode: '40', party: 'self', promise: { amount: 10_000, dueDate: inDays(7) } })
			).rejects.toThrow(/disk full/);
		} finally {
			await sql`drop trigger fail_promise on promises`;
			await sql`drop function fail_promise()`;
		}
		expect(await count('calls')).toBe(0);
		expect(await count('promises')).toBe(0);
		const [q] = await sql<{ state: string; claimedBy: number }[]>`select state, claimed_by from call_queue where household_id = ${h}`;
		expect(q).toEqual({ state: 'claimed', claimedBy: op.id });
		// give a NOTIFY time to arrive if one had been sent
		await new Promise((r) => setTimeout(r, 300));
		expect(events).toEqual([]);
	});

	it('refuses an outcome for a household the operator does not hold, and writes nothing', async () => {
		const { h } = await setup();
		const seg2 = await newSegment(sql);
		const intruder = await newOperator(sql, [seg2]);
		await expect(recordCallOutcome(intruder, { householdId: h, outcomeCode: '10' })).rejects.toMatchObject({ code: 'claim_not_held' });
		expect(await count('calls')).toBe(0);
		await new Promise((r) => setTimeout(r, 200));
		expect(events).toEqual([]);
	});

	it('records a promise and waits for its date; refuses one above the arrears or in the past', async () => {
		const { h, op } = await setup(30_000);
		await expect(
			recordCallOutcome(op, { householdId: h, outcomeCode: '40', party: 'self', promise: { amount: 30_001, dueDate: inDays(7) } })
		).rejects.toMatchObject({ code: 'invalid_input', details: { 'promise.amount': 'overOwed' }, params: { 'promise.amount': { owed: 30_000 } } });
		await expect(
			recordCallOutcome(op, { householdId: h, outcomeCode: '40', party: 'self', promise: { amount: 1_000, dueDate: inDays(-1) } })
		).rejects.toMatchObject({ code: 'invalid_input', details: { 'promise.dueDate': 'past' } });
		await expect(recordCallOutcome(op, { householdId: h, outcomeCode: '40', party: 'self' })).rejects.toMatchObject({
			code: 'invalid_input',
			details: { promise: expect.any(String) }
		});
		expect(await count('calls')).toBe(0);

		const r = await recordCallOutcome(op, { householdId: h, outcomeCode: '40', party: 'self', promise: { amount: 30_000, dueDate: inDays(10) } });
		expect(r.queueState).toBe('waiting');
		expect(r.nextEligibleAt!.toISOString().slice(0, 10) > inDays(10)).toBe(true);
		const [p] = await sql<{ amount: number; status: string }[]>`select amount, status from promises`;
		expect(p).toEqual({ amount: 30_000, status: 'pending' });
	});

	it('hands off to ward staff with a reason and closes the household', async () => {
		const { h, op } = await setup();
		await expect(recordCallOutcome(op, { householdId: h, outcomeCode: '50', party: 'self' })).rejects.toMatchObject({ code: 'invalid_input' });
		const r = await recordCallOutcome(op, { householdId: h, outcomeCode: '50', party: 'self', handoff: { reason: 'installment', note: '分納希望' } });
		expect(r.queueState).toBe('closed');
		const [ho] = await sql<{ reason: string; status: string }[]>`select reason, status from handoffs`;
		expect(ho).toEqual({ reason: 'installment', status: 'new' });
	});

	it('marks a wrong number and closes the household as a letter candidate when no number is left', async () => {
		const { h, op } = await setup();
		const [phone] = await sql<{ id: number }[]>`select id from phones where household_id = ${h}`;
		const r = await recordCallOutcome(op, { householdId: h, outcomeCode: '30', party: 'other', phoneId: phone.id });
		expect(r.queueState).toBe('closed');
		const [p] = await sql<{ status: string }[]>`select status from phones where id = ${phone.id}`;
		expect(p.status).toBe('wrong_number');
		const [q] = await sql<{ closedReason: string }[]>`select closed_reason from call_queue where household_id = ${h}`;
		expect(q.closedReason).toBe('no_phone');
	});

	it('needs to know which number was wrong while the household has numbers', async () => {
		const { h, op } = await setup();
		await expect(recordCallOutcome(op, { householdId: h, outcomeCode: '31' })).rejects.toMatchObject({ code: 'invalid_input', details: { phoneId: expect.any(String) } });
		expect(await count('calls')).toBe(0);
	});

	it('records two simultaneous saves of one form once (double press)', async () => {
		const { h, op } = await setup();
		const key = 'form-double-press-1';
		const [a, b] = await Promise.all([
			recordCallOutcome(op, { householdId: h, outcomeCode: '10', idempotencyKey: key }),
			recordCallOutcome(op, { householdId: h, outcomeCode: '10', idempotencyKey: key })
		]);
		expect(a.callId).toBe(b.callId);
		expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
		expect(await count('calls')).toBe(1);
	});

	it('refuses impossible dates and times', async () => {
		const { h, op } = await setup();
		await expect(
			recordCallOutcome(op, { householdId: h, outcomeCode: '40', party: 'self', promise: { amount: 1_000, dueDate: '2026-02-30' } })
		).rejects.toMatchObject({ code: 'invalid_input', details: { 'promise.dueDate': 'not a real date' } });
		await expect(recordCallOutcome(op, { householdId: h, outcomeCode: '10', startedAt: '2099-01-01T00:00:00Z' })).rejects.toMatchObject({
			code: 'invalid_input',
			details: { startedAt: expect.any(String) }
		});
		expect(await count('calls')).toBe(0);
	});

	it('records a retried save once (idempotency key)', async () => {
		const { h, op } = await setup();
		const key = 'form-1234567890';
		const a = await recordCallOutcome(op, { householdId: h, outcomeCode: '12', idempotencyKey: key });
		const b = await recordCallOutcome(op, { householdId: h, outcomeCode: '12', idempotencyKey: key });
		expect(b.callId).toBe(a.callId);
		expect(b.duplicate).toBe(true);
		expect(await count('calls')).toBe(1);
	});

	it('names what is wrong with malformed input', async () => {
		const { h, op } = await setup();
		await expect(recordCallOutcome(op, { householdId: 'x', outcomeCode: '1' })).rejects.toMatchObject({
			code: 'invalid_input',
			details: { householdId: expect.any(String), outcomeCode: expect.any(String) }
		});
		await expect(recordCallOutcome(op, { householdId: h, outcomeCode: '99' })).rejects.toMatchObject({ code: 'invalid_input', details: { outcomeCode: 'unknown' } });
		await expect(recordCallOutcome(op, { householdId: h, outcomeCode: '20', party: 'none' })).rejects.toMatchObject({ code: 'invalid_input', details: { party: expect.any(String) } });
		await expect(recordCallOutcome(op, null)).rejects.toMatchObject({ code: 'invalid_input' });
		expect(await count('calls')).toBe(0);
	});

	it('refuses roles that do not record calls', async () => {
		const { h } = await setup();
		for (const role of ['supervisor', 'staff', 'manager', 'admin', 'auditor'] as const) {
			const u = await newUser(sql, role);
			await expect(recordCallOutcome(u, { householdId: h, outcomeCode: '10' })).rejects.toMatchObject({ code: 'forbidden' });
		}
		expect(await count('calls')).toBe(0);
	});
});
