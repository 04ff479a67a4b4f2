/**
 * Recording outcomes completely (issue #5): callbacks, do-not-call instructions, late outcomes from the browser's
 * outbox (exactly once, never over another operator's work), numbers marked and added, inbound calls.
 * Real PostgreSQL; events observed through LISTEN.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { liveEvents, eventually } from '../helpers/events.ts';
import { testSql, resetDb } from '../helpers/db.ts';
import { newHousehold, newOperator, newSegment, newUser, TEST_PASSWORD } from '../helpers/factories.ts';
import { connectSocket, once, startInstance, type Instance } from '../helpers/server.ts';
import { signIn } from '../../src/lib/server/auth/sessions.ts';
import { claimNextHousehold } from '../../src/lib/server/queue/claims.ts';
import { placeHousehold } from '../../src/lib/server/queue/placement.ts';
import { recordCallOutcome } from '../../src/lib/server/calls/calls.ts';
import { cancelCallback, listCallbacks, liftDoNotCall } from '../../src/lib/server/callbacks/callbacks.ts';
import { addPhone, markPhone } from '../../src/lib/server/phones/phones.ts';
import { assignOperator } from '../../src/lib/server/segments/segments.ts';
import { closeDb, db } from '../../src/lib/server/db.ts';
import { addDays, defaultCallingRules, nextWindowOpen, tokyoAt } from '../../src/lib/domain/calling-rules.ts';
import { tokyoDate } from '../../src/lib/domain/format.ts';
import type { Actor } from '../../src/lib/server/auth/actor.ts';

const sql = testSql();
beforeEach(async () => {
	await resetDb(sql);
});
const events = liveEvents(sql);
afterAll(async () => {
	await sql.end();
	await closeDb();
});


let keySeq = 0;
const key = () => `test-key-${Date.now()}-${++keySeq}`;

async function setup(owed = 50_000) {
	const seg = await newSegment(sql);
	const h = await newHousehold(sql, { segmentId: seg, owed });
	const op = await newOperator(sql, [seg]);
	await claimNextHousehold(op);
	return { seg, h, op };
}

/** A time the default calling rules allow, a few hours ahead (the next window opening after now + 2 h). */
function callbackTime(): Date {
	return nextWindowOpen(defaultCallingRules, new Date(Date.now() + 2 * 3600_000))!;
}

/** The operator's claim lapses and the sweeper gives the household back (as after a network loss). */
async function lapse(h: number) {
	await sql`update call_queue set state = 'ready', claimed_by = null, claimed_at = null, claim_expires_at = null, version = version + 1 where household_id = ${h}`;
}

const count = async (table: 'calls' | 'callbacks' | 'do_not_call' | 'phones') => (await sql<{ n: number }[]>`select count(*)::int as n from ${sql(table)}`)[0].n;
const queueRow = async (h: number) =>
	(
		await sql<{ state: string; claimedBy: number | null; version: number; waitReason: string | null; closedReason: string | null; nextEligibleAt: Date | null; callbackAt: Date | null; reservedFor: number | null }[]>`
			select state, claimed_by, version, wait_reason, closed_reason, next_eligible_at, callback_at, reserved_for from call_queue where household_id = ${h}`
	)[0];

describe('callbacks', () => {
	it('refuses a callback in the past, outside calling hours, beyond 30 days, or with an outcome that takes none', async () => {
		const { h, op } = await setup();
		const past = new Date(Date.now() - 60_000).toISOString();
		await expect(recordCallOutcome(op, { householdId: h, outcomeCode: '21', party: 'family', callback: { at: past, onlyMe: true }, idempotencyKey: key() })).rejects.toMatchObject({
			code: 'invalid_input',
			details: { 'callback.at': 'pastTime' },
			message: expect.stringMatching(/passed/)
		});
		// 03:00 Tokyo is outside every window (hard limits 08:00–21:00)
		const night = tokyoAt(addDays(tokyoDate(), 2), '03:00').toISOString();
		await expect(recordCallOutcome(op, { householdId: h, outcomeCode: '21', party: 'family', callback: { at: night, onlyMe: false }, idempotencyKey: key() })).rejects.toMatchObject({
			code: 'invalid_input',
			details: { 'callback.at': 'outsideHours' },
			// when calling hours start again, for the desk to say so in the operator's language
			params: { 'callback.at': { opensAt: nextWindowOpen(defaultCallingRules, new Date(night))!.toISOString() } },
			message: expect.stringMatching(/outside calling hours/)
		});
		const far = nextWindowOpen(defaultCallingRules, new Date(Date.now() + 31 * 86_400_000))!.toISOString();
		await expect(recordCallOutcome(op, { householdId: h, outcomeCode: '21', party: 'family', callback: { at: far, onlyMe: false }, idempotencyKey: key() })).rejects.toMatchObject({
			code: 'invalid_input',
			details: { 'callback.at': 'horizon' },
			params: { 'callback.at': { days: 30 } }
		});
		const at = callbackTime().toISOString();
		for (const o of [
			{ outcomeCode: '40', party: 'self', promise: { amount: 1000, dueDate: addDays(tokyoDate(), 5) } },
			{ outcomeCode: '50', party: 'self', handoff: { reason: 'hardship' } },
			{ outcomeCode: '60', doNotCall: { reason: '本人の申出' } }
		]) {
			await expect(recordCallOutcome(op, { householdId: h, ...o, callback: { at, onlyMe: false }, idempotencyKey: key() })).rejects.toMatchObject({
				code: 'invalid_input',
				details: { callback: expect.any(String) }
			});
		}
		expect(await count('calls')).toBe(0);
		expect(await count('callbacks')).toBe(0);
	});

	it('schedules a callback "only me": the household waits for it, reserved for the operator', async () => {
		const { h, op } = await setup();
		const at = callbackTime();
		const r = await recordCallOutcome(op, { householdId: h, outcomeCode: '21', party: 'family', callback: { at: at.toISOString(), onlyMe: true, note: '夕方なら本人在宅' }, idempotencyKey: key() });
		expect(r.callbackId).toEqual(expect.any(Number));
		const [cb] = await sql<{ id: number; dueAt: Date; onlyMe: boolean; operatorId: number; status: string; callId: number; note: string }[]>`
			select id, due_at, only_me, operator_id, status, call_id, note from callbacks`;
		expect(cb).toEqual({ id: r.callbackId, dueAt: at, onlyMe: true, operatorId: op.id, status: 'open', callId: r.callId, note: '夕方なら本人在宅' });
		const row = await queueRow(h);
		expect(row.state).toBe('waiting');
		expect(row.callbackAt).toEqual(at);
		expect(row.reservedFor).toBe(op.id);
		expect((await listCallbacks(op)).map((c) => c.id)).toEqual([cb.id]);
	});

	it('replaces the open callback with a new time (the old one cancelled, one open)', async () => {
		const { h, op } = await setup();
		const later = new Date(callbackTime().getTime() + 86_400_000 * 2);
		const [old] = await sql<{ id: number }[]>`
			insert into callbacks (household_id, due_at, only_me, operator_id) values (${h}, ${new Date(Date.now() + 5 * 86_400_000)}, false, ${op.id}) returning id`;
		const at = nextWindowOpen(defaultCallingRules, later)!;
		const r = await recordCallOutcome(op, { householdId: h, outcomeCode: '10', callback: { at: at.toISOString(), onlyMe: false }, idempotencyKey: key() });
		const rows = await sql<{ id: number; status: string; closedBy: number | null }[]>`select id, status, closed_by from callbacks order by id`;
		expect(rows).toEqual([
			{ id: old.id, status: 'cancelled', closedBy: op.id },
			{ id: r.callbackId, status: 'open', closedBy: null }
		]);
	});

	it('closes a due callback as done by the call that honours it, and links the call', async () => {
		const { h, op } = await setup();
		const [cb] = await sql<{ id: number }[]>`
			insert into callbacks (household_id, due_at, only_me, operator_id) values (${h}, ${new Date(Date.now() - 60_000)}, true, ${op.id}) returning id`;
		const r = await recordCallOutcome(op, { householdId: h, outcomeCode: '20', party: 'self', idempotencyKey: key() });
		const [row] = await sql<{ status: string; doneCallId: number }[]>`select status, done_call_id from callbacks where id = ${cb.id}`;
		expect(row).toEqual({ status: 'done', doneCallId: r.callId });
		const [call] = await sql<{ callbackId: number }[]>`select callback_id from calls where id = ${r.callId}`;
		expect(call.callbackId).toBe(cb.id);
	});

	it('goes round: a callback scheduled with an outcome comes due, is offered to its operator first, and the call honours it', async () => {
		const { h, op, seg } = await setup();
		const first = await recordCallOutcome(op, { householdId: h, outcomeCode: '21', party: 'family', callback: { at: callbackTime().toISOString(), onlyMe: true }, idempotencyKey: key() });
		// time passes: the callback is due (moved back in time), the queue places the household again
		await sql`update callbacks set due_at = now() - interval '1 minute' where id = ${first.callbackId!}`;
		await sql`update calls set recorded_at = now() - interval '1 day', started_at = now() - interval '1 day' where id = ${first.callId}`;
		const placed = await db().begin((tx) => placeHousehold(tx, h));
		expect(placed).toMatchObject({ state: 'ready', reservedFor: op.id });
		// another operator of the segment with a higher-priority household does not get it; its operator does
		await newHousehold(sql, { segmentId: seg, owed: 900_000 });
		const claim = await claimNextHousehold(op);
		expect(claim).toMatchObject({ householdId: h, kind: 'callback' });
		const r = await recordCallOutcome(op, { householdId: h, outcomeCode: '20', party: 'self', idempotencyKey: key() });
		expect((await sql<{ callbackId: number; direction: string }[]>`select callback_id, direction from calls where id = ${r.callId}`)[0]).toEqual({ callbackId: first.callbackId, direction: 'outbound' });
		expect((await sql<{ status: string; doneCallId: number }[]>`select status, done_call_id from callbacks where id = ${first.callbackId!}`)[0]).toEqual({ status: 'done', doneCallId: r.callId });
		expect((await queueRow(h)).callbackAt).toBeNull();
	});

	it('keeps a callback that is not due open after an unrelated call, unless the operator says it is settled', async () => {
		const { h, op } = await setup();
		const [cb] = await sql<{ id: number }[]>`
			insert into callbacks (household_id, due_at, only_me, operator_id) values (${h}, ${new Date(Date.now() + 3 * 86_400_000)}, false, ${op.id}) returning id`;
		await recordCallOutcome(op, { householdId: h, outcomeCode: '12', idempotencyKey: key() });
		expect((await sql<{ status: string }[]>`select status from callbacks where id = ${cb.id}`)[0].status).toBe('open');

		const seg2 = await newSegment(sql);
		const h2 = await newHousehold(sql, { segmentId: seg2 });
		const op2 = await newOperator(sql, [seg2]);
		await claimNextHousehold(op2);
		const [cb2] = await sql<{ id: number }[]>`
			insert into callbacks (household_id, due_at, only_me, operator_id) values (${h2}, ${new Date(Date.now() + 3 * 86_400_000)}, false, ${op2.id}) returning id`;
		const r = await recordCallOutcome(op2, { householdId: h2, outcomeCode: '20', party: 'self', callbackDone: true, idempotencyKey: key() });
		expect((await sql<{ status: string; doneCallId: number }[]>`select status, done_call_id from callbacks where id = ${cb2.id}`)[0]).toEqual({ status: 'done', doneCallId: r.callId });
	});

	it('lists open callbacks: an operator their own, a supervisor everyone’s; overdue = past the grace period', async () => {
		const seg = await newSegment(sql);
		const h1 = await newHousehold(sql, { segmentId: seg });
		const h2 = await newHousehold(sql, { segmentId: seg });
		const a = await newOperator(sql, [seg]);
		const b = await newOperator(sql, [seg]);
		const [missed] = await sql<{ id: number }[]>`
			insert into callbacks (household_id, due_at, only_me, operator_id) values (${h1}, now() - interval '20 minutes', true, ${a.id}) returning id`;
		const [soon] = await sql<{ id: number }[]>`
			insert into callbacks (household_id, due_at, only_me, operator_id) values (${h2}, now() + interval '1 hour', false, ${b.id}) returning id`;
		expect((await listCallbacks(a)).map((c) => [c.id, c.overdue])).toEqual([[missed.id, true]]);
		await expect(listCallbacks(a, { scope: 'all' })).rejects.toMatchObject({ code: 'forbidden' });
		const sv = await newUser(sql, 'supervisor');
		expect((await listCallbacks(sv, { scope: 'all' })).map((c) => c.id)).toEqual([missed.id, soon.id]);
		expect((await listCallbacks(sv, { scope: 'all', overdueOnly: true })).map((c) => c.id)).toEqual([missed.id]);
		await expect(listCallbacks(await newUser(sql, 'staff'))).rejects.toMatchObject({ code: 'forbidden' });
	});

	it('lets the operator who scheduled it, or a supervisor, cancel a callback; not another operator', async () => {
		const { h, op, seg } = await setup();
		const r = await recordCallOutcome(op, { householdId: h, outcomeCode: '21', party: 'family', callback: { at: callbackTime().toISOString(), onlyMe: true }, idempotencyKey: key() });
		const other = await newOperator(sql, [seg]);
		await expect(cancelCallback(other, { callbackId: r.callbackId })).rejects.toMatchObject({ code: 'forbidden' });
		await cancelCallback(op, { callbackId: r.callbackId });
		const [cb] = await sql<{ status: string; closedBy: number }[]>`select status, closed_by from callbacks where id = ${r.callbackId!}`;
		expect(cb).toEqual({ status: 'cancelled', closedBy: op.id });
		expect((await queueRow(h)).callbackAt).toBeNull();
		await expect(cancelCallback(op, { callbackId: r.callbackId })).rejects.toMatchObject({ code: 'conflict' });
	});
});

describe('do not call (60 架電停止)', () => {
	it('needs a reason with outcome 60 and refuses one with any other outcome', async () => {
		const { h, op } = await setup();
		await expect(recordCallOutcome(op, { householdId: h, outcomeCode: '60', idempotencyKey: key() })).rejects.toMatchObject({
			code: 'invalid_input',
			details: { 'doNotCall.reason': expect.any(String) }
		});
		await expect(recordCallOutcome(op, { householdId: h, outcomeCode: '60', doNotCall: { reason: '  ' }, idempotencyKey: key() })).rejects.toMatchObject({
			code: 'invalid_input',
			details: { 'doNotCall.reason': expect.any(String) }
		});
		await expect(recordCallOutcome(op, { householdId: h, outcomeCode: '20', party: 'self', doNotCall: { reason: 'x' }, idempotencyKey: key() })).rejects.toMatchObject({
			code: 'invalid_input',
			details: { doNotCall: expect.any(String) }
		});
		await expect(recordCallOutcome(op, { householdId: h, outcomeCode: '60', doNotCall: { reason: 'x', until: tokyoDate() }, idempotencyKey: key() })).rejects.toMatchObject({
			code: 'invalid_input',
			details: { 'doNotCall.until': expect.any(String) }
		});
		expect(await count('calls')).toBe(0);
		expect(await count('do_not_call')).toBe(0);
	});

	it('without an end date: closes the household until a supervisor lifts it, then it is placed again', async () => {
		const { h, op, seg } = await setup();
		const r = await recordCallOutcome(op, { householdId: h, outcomeCode: '60', doNotCall: { reason: '弁護士介入' }, idempotencyKey: key() });
		expect(r.queueState).toBe('closed');
		const [d] = await sql<{ reason: string; until: string | null; callId: number; createdBy: number }[]>`select reason, until::text, call_id, created_by from do_not_call`;
		expect(d).toEqual({ reason: '弁護士介入', until: null, callId: r.callId, createdBy: op.id });
		expect(await queueRow(h)).toMatchObject({ state: 'closed', closedReason: 'do_not_call' });

		await expect(liftDoNotCall(op, { householdId: h })).rejects.toMatchObject({ code: 'forbidden' });
		const sv = await newUser(sql, 'supervisor');
		await assignOperator(sql, sv.id, seg);
		await liftDoNotCall(sv, { householdId: h });
		const [lifted] = await sql<{ liftedBy: number }[]>`select lifted_by from do_not_call`;
		expect(lifted.liftedBy).toBe(sv.id);
		const row = await queueRow(h);
		expect(row.state).not.toBe('closed');
		expect(row.waitReason).not.toBe('do_not_call');
		const [log] = await sql<{ userId: number }[]>`select user_id from access_log where action = 'do_not_call.lift' and household_id = ${h}`;
		expect(log.userId).toBe(sv.id);
		await expect(liftDoNotCall(sv, { householdId: h })).rejects.toMatchObject({ code: 'not_found' });
	});

	it('with an end date: the household waits until the day after, then re-enters the queue', async () => {
		const { h, op } = await setup();
		const until = addDays(tokyoDate(), 10);
		const r = await recordCallOutcome(op, { householdId: h, outcomeCode: '60', doNotCall: { reason: '入院中（本人家族より）', until }, idempotencyKey: key() });
		expect(r.queueState).toBe('waiting');
		const row = await queueRow(h);
		expect(row.waitReason).toBe('do_not_call');
		expect(row.nextEligibleAt!.getTime()).toBeGreaterThanOrEqual(tokyoAt(addDays(until, 1)).getTime());
		// placed again when the instruction has ended (e.g. by the sweeper's promotion or the next placement)
		const after = nextWindowOpen(defaultCallingRules, tokyoAt(addDays(until, 3), '10:00'))!;
		const placed = await db().begin((tx) => placeHousehold(tx, h, { now: after }));
		expect(placed!.state).toBe('ready');
	});
});

describe('exactly once (idempotency key)', () => {
	it('requires the key on the socket and API paths', async () => {
		const { h, op } = await setup();
		await expect(recordCallOutcome(op, { householdId: h, outcomeCode: '10' }, { requireKey: true })).rejects.toMatchObject({
			code: 'invalid_input',
			details: { idempotencyKey: expect.any(String) }
		});
		expect(await count('calls')).toBe(0);
	});

	it('stores the same outcome sent twice once, one after the other and at the same moment', async () => {
		const { h, op } = await setup();
		const k = key();
		const input = { householdId: h, outcomeCode: '21', party: 'family', note: '夕方在宅', idempotencyKey: k };
		const a = await recordCallOutcome(op, input, { requireKey: true });
		const b = await recordCallOutcome(op, input, { requireKey: true });
		expect(b).toMatchObject({ callId: a.callId, duplicate: true });
		expect(await count('calls')).toBe(1);

		// the outbox resending while the first save is still in flight: two transactions at once
		await claimNextHousehold(op).catch(() => null);
		const seg2 = await newSegment(sql);
		const h2 = await newHousehold(sql, { segmentId: seg2 });
		const op2 = await newOperator(sql, [seg2]);
		await claimNextHousehold(op2);
		const k2 = key();
		const both = await Promise.all([1, 2, 3].map(() => recordCallOutcome(op2, { householdId: h2, outcomeCode: '10', idempotencyKey: k2 }, { requireKey: true })));
		expect(new Set(both.map((x) => x.callId)).size).toBe(1);
		expect(both.filter((x) => !x.duplicate)).toHaveLength(1);
		const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from calls where household_id = ${h2}`;
		expect(n).toBe(1);
		const [{ attempts }] = await sql<{ attempts: number }[]>`select attempts from call_queue where household_id = ${h2}`;
		expect(attempts).toBe(1);
	});

	it('refuses a key that belongs to another operator’s call', async () => {
		const { h, op, seg } = await setup();
		const k = key();
		await recordCallOutcome(op, { householdId: h, outcomeCode: '10', idempotencyKey: k });
		const h2 = await newHousehold(sql, { segmentId: seg });
		const op2 = await newOperator(sql, [seg]);
		await claimNextHousehold(op2);
		await expect(recordCallOutcome(op2, { householdId: h2, outcomeCode: '10', idempotencyKey: k })).rejects.toMatchObject({ code: 'conflict' });
	});
});

describe('late outcomes (the claim lapsed while the outcome was in the outbox)', () => {
	it('records the outcome late and places the household when nobody holds it', async () => {
		const { h, op } = await setup();
		await lapse(h);
		const r = await recordCallOutcome(op, { householdId: h, outcomeCode: '20', party: 'self', note: '回線切断後に保存', idempotencyKey: key() }, { requireKey: true });
		expect(r).toMatchObject({ late: true, duplicate: false, queueState: 'waiting' });
		const [call] = await sql<{ late: boolean; operatorId: number }[]>`select late, operator_id from calls where id = ${r.callId}`;
		expect(call).toEqual({ late: true, operatorId: op.id });
		const row = await queueRow(h);
		expect(row.state).toBe('waiting');
		// a claim covers one conversation: a second, different outcome on that old claim is refused
		await expect(recordCallOutcome(op, { householdId: h, outcomeCode: '10', idempotencyKey: key() })).rejects.toMatchObject({ code: 'claim_not_held' });
	});

	it('records a late outcome while another operator holds the household without touching their claim, and tells them', async () => {
		const { h, op, seg } = await setup();
		await lapse(h);
		const op2 = await newOperator(sql, [seg]);
		expect((await claimNextHousehold(op2)).householdId).toBe(h);
		const before = await queueRow(h);
		events.length = 0;
		const r = await recordCallOutcome(op, {
			householdId: h,
			outcomeCode: '40',
			party: 'self',
			promise: { amount: 10_000, dueDate: addDays(tokyoDate(), 7) },
			idempotencyKey: key()
		});
		expect(r).toMatchObject({ late: true, queueState: 'claimed' });
		expect(await queueRow(h)).toEqual(before);
		const [call] = await sql<{ late: boolean }[]>`select late from calls where id = ${r.callId}`;
		expect(call.late).toBe(true);
		expect((await sql<{ n: number }[]>`select count(*)::int as n from promises where call_id = ${r.callId}`)[0].n).toBe(1);
		expect(
			await eventually(() => events.some((e) => e.type === 'household:updated' && e.data.householdId === h && e.data.userId === op2.id && e.data.callId === r.callId))
		).toBe(true);
		// no state change is published for op2, and op's own state is left alone (they may be on another household)
		expect(events.some((e) => e.type === 'queue:changed' && e.data.householdId === h)).toBe(false);
		expect(events.some((e) => e.type === 'operator:state')).toBe(false);
		// op2 still records their own outcome normally
		const r2 = await recordCallOutcome(op2, { householdId: h, outcomeCode: '20', party: 'self', idempotencyKey: key() });
		expect(r2.late).toBe(false);
	});

	it('refuses an outcome from an operator who never claimed the household', async () => {
		const { h, seg } = await setup();
		await lapse(h);
		const stranger = await newOperator(sql, [seg]);
		await expect(recordCallOutcome(stranger, { householdId: h, outcomeCode: '20', party: 'self', idempotencyKey: key() })).rejects.toMatchObject({ code: 'claim_not_held' });
		expect(await count('calls')).toBe(0);
	});

	it('refuses a late outcome when the claim is older than 12 hours', async () => {
		const { h, op } = await setup();
		await lapse(h);
		// the claim's log row, as if written 13 hours ago (the log is append-only: move it through a fresh claim's time instead)
		await sql.begin(async (tx) => {
			await tx`alter table access_log disable trigger user`;
			await tx`update access_log set at = now() - interval '13 hours' where action = 'household.claim' and household_id = ${h}`;
			await tx`alter table access_log enable always trigger access_log_append_only`;
			await tx`alter table access_log enable always trigger access_log_insert_unsealed`;
			await tx`alter table access_log enable always trigger access_log_no_truncate`;
		});
		await expect(recordCallOutcome(op, { householdId: h, outcomeCode: '20', party: 'self', idempotencyKey: key() })).rejects.toMatchObject({ code: 'claim_not_held' });
	});

	it('answers a resend of an outcome that did arrive as a duplicate, even after the claim lapsed', async () => {
		const { h, op } = await setup();
		const k = key();
		const a = await recordCallOutcome(op, { householdId: h, outcomeCode: '10', idempotencyKey: k });
		await lapse(h);
		const b = await recordCallOutcome(op, { householdId: h, outcomeCode: '10', idempotencyKey: k });
		expect(b).toMatchObject({ callId: a.callId, duplicate: true });
		expect(await count('calls')).toBe(1);
	});
});

describe('inbound (受電)', () => {
	it('records direction inbound when the claim was an inbound hold', async () => {
		const { h, op } = await setup();
		await sql`update call_queue set claim_kind = 'inbound' where household_id = ${h}`;
		const r = await recordCallOutcome(op, { householdId: h, outcomeCode: '20', party: 'self', idempotencyKey: key() });
		const [call] = await sql<{ direction: string }[]>`select direction from calls where id = ${r.callId}`;
		expect(call.direction).toBe('inbound');
	});

	it('records outbound otherwise', async () => {
		const { h, op } = await setup();
		const r = await recordCallOutcome(op, { householdId: h, outcomeCode: '20', party: 'self', idempotencyKey: key() });
		const [call] = await sql<{ direction: string }[]>`select direction from calls where id = ${r.callId}`;
		expect(call.direction).toBe('outbound');
	});
});

describe('numbers', () => {
	const phoneOf = async (h: number) => (await sql<{ id: number }[]>`select id from phones where household_id = ${h} order by id limit 1`)[0].id;

	it('marks a number wrong and active again while holding the household, logged and published', async () => {
		const { h, op } = await setup();
		const phoneId = await phoneOf(h);
		const marked = await markPhone(op, { householdId: h, phoneId, status: 'not_in_service' });
		expect(marked.status).toBe('not_in_service');
		const [p] = await sql<{ status: string; statusChangedBy: number; statusChangedAt: Date }[]>`select status, status_changed_by, status_changed_at from phones where id = ${phoneId}`;
		expect(p).toMatchObject({ status: 'not_in_service', statusChangedBy: op.id, statusChangedAt: expect.any(Date) });
		expect(await eventually(() => events.some((e) => e.type === 'household:updated' && e.data.what === 'phone' && e.data.phoneId === phoneId))).toBe(true);
		expect((await markPhone(op, { householdId: h, phoneId, status: 'active' })).status).toBe('active');
		const logs = await sql<{ reason: string }[]>`select reason from access_log where action = 'phone.change' and household_id = ${h} order by id`;
		expect(logs.map((l) => l.reason)).toEqual([`phone ${phoneId}: active → not_in_service`, `phone ${phoneId}: not_in_service → active`]);
	});

	it('refuses an operator who does not hold the household, and roles that do not work numbers', async () => {
		const { h, seg } = await setup();
		const phoneId = await phoneOf(h);
		const other = await newOperator(sql, [seg]);
		await expect(markPhone(other, { householdId: h, phoneId, status: 'wrong_number' })).rejects.toMatchObject({ code: 'claim_not_held' });
		await expect(addPhone(other, { householdId: h, number: '03-1234-5678', source: 'research' })).rejects.toMatchObject({ code: 'claim_not_held' });
		for (const role of ['staff', 'manager', 'admin', 'auditor'] as const) {
			const u = await newUser(sql, role);
			await expect(markPhone(u, { householdId: h, phoneId, status: 'wrong_number' })).rejects.toMatchObject({ code: 'forbidden' });
		}
		const outsider = await newUser(sql, 'supervisor');
		await expect(markPhone(outsider, { householdId: h, phoneId, status: 'wrong_number' })).rejects.toMatchObject({ code: 'forbidden' });
		expect((await sql<{ status: string }[]>`select status from phones where id = ${phoneId}`)[0].status).toBe('active');
	});

	it('adds a number written in full-width digits, normalized, with its source; refuses invalid and duplicate numbers', async () => {
		const { h, op } = await setup();
		const added = await addPhone(op, { householdId: h, number: '０９０－８７６５－４３２１', source: 'self_report' });
		expect(added).toMatchObject({ digits: '09087654321', kind: 'mobile', valid: true, status: 'active', source: 'self_report', raw: '０９０－８７６５－４３２１' });
		const [row] = await sql<{ addedBy: number }[]>`select added_by from phones where id = ${added.id}`;
		expect(row.addedBy).toBe(op.id);
		await expect(addPhone(op, { householdId: h, number: '090 8765 4321', source: 'employer' })).rejects.toMatchObject({ code: 'conflict', details: { number: expect.any(String) } });
		await expect(addPhone(op, { householdId: h, number: '12345', source: 'research' })).rejects.toMatchObject({ code: 'invalid_input', details: { number: expect.any(String) } });
		await expect(addPhone(op, { householdId: h, number: '不明', source: 'research' })).rejects.toMatchObject({ code: 'invalid_input', details: { number: expect.any(String) } });
		await expect(addPhone(op, { householdId: h, number: '03-1234-5678', source: 'neighbour' })).rejects.toMatchObject({ code: 'invalid_input', details: { source: expect.any(String) } });
		expect(await count('phones')).toBe(2);
	});

	it('lets a supervisor of the household’s segment add a number to a household closed for want of one: it becomes callable', async () => {
		const seg = await newSegment(sql);
		const h = await newHousehold(sql, { segmentId: seg, phone: null });
		await sql`update call_queue set state = 'closed', closed_reason = 'no_phone' where household_id = ${h}`;
		const sv: Actor = await newUser(sql, 'supervisor');
		await assignOperator(sql, sv.id, seg);
		const added = await addPhone(sv, { householdId: h, number: '03(3209)1111', source: 'research' });
		expect(added.digits).toBe('0332091111');
		const row = await queueRow(h);
		expect(row.state).not.toBe('closed');
	});
});

describe('over the socket (a running instance)', () => {
	let inst: Instance;
	beforeAll(async () => {
		// this engineer's own port (E2E_PORT of the h2b brief), so that parallel runs do not collide
		inst = await startInstance({ port: Number(process.env.OUTCOMES_TEST_PORT ?? 3822), env: { REDIS_URL: undefined } });
	}, 90_000);
	afterAll(async () => {
		await inst?.stop();
	});

	async function socketFor(a: Actor) {
		const { token } = await signIn({ loginId: a.loginId, password: TEST_PASSWORD });
		const s = connectSocket(inst.url, token);
		await once(s, 'connect');
		return s;
	}

	it('needs the key for outcome:record, stores a resend once, and works numbers with phone:add / phone:mark', async () => {
		const seg = await newSegment(sql);
		const h = await newHousehold(sql, { segmentId: seg });
		const op = await newOperator(sql, [seg]);
		const s = await socketFor(op);
		try {
			const claim = await s.timeout(5000).emitWithAck('claim:next', {});
			expect(claim).toMatchObject({ ok: true, data: { householdId: h } });
			const added = await s.timeout(5000).emitWithAck('phone:add', { householdId: h, number: '０３（３２０９）１１１１', source: 'employer' });
			expect(added).toMatchObject({ ok: true, data: { digits: '0332091111', kind: 'landline', source: 'employer', status: 'active' } });
			const bad = await s.timeout(5000).emitWithAck('phone:add', { householdId: h, number: '０３（３２０９）１１１１', source: 'employer' });
			expect(bad).toMatchObject({ ok: false, code: 'conflict', details: { number: expect.any(String) } });
			const marked = await s.timeout(5000).emitWithAck('phone:mark', { householdId: h, phoneId: added.data.id, status: 'wrong_number' });
			expect(marked).toMatchObject({ ok: true, data: { id: added.data.id, status: 'wrong_number' } });

			const noKey = await s.timeout(5000).emitWithAck('outcome:record', { householdId: h, outcomeCode: '20', party: 'self' });
			expect(noKey).toMatchObject({ ok: false, code: 'invalid_input', details: { idempotencyKey: expect.any(String) } });
			// a refused field comes with its code and the values its message names (the desk translates them)
			const night = tokyoAt(addDays(tokyoDate(), 2), '23:00');
			const outside = await s.timeout(5000).emitWithAck('outcome:record', { householdId: h, outcomeCode: '20', party: 'self', callback: { at: night.toISOString(), onlyMe: false }, idempotencyKey: key() });
			expect(outside).toMatchObject({
				ok: false,
				code: 'invalid_input',
				details: { 'callback.at': 'outsideHours' },
				params: { 'callback.at': { opensAt: nextWindowOpen(defaultCallingRules, night)!.toISOString() } }
			});
			const k = key();
			const first = await s.timeout(5000).emitWithAck('outcome:record', { householdId: h, outcomeCode: '20', party: 'self', idempotencyKey: k });
			expect(first).toMatchObject({ ok: true, data: { duplicate: false, late: false } });
			const again = await s.timeout(5000).emitWithAck('outcome:record', { householdId: h, outcomeCode: '20', party: 'self', idempotencyKey: k });
			expect(again).toMatchObject({ ok: true, data: { callId: first.data.callId, duplicate: true } });
			expect(await count('calls')).toBe(1);
		} finally {
			s.close();
		}
	});

	it('tells the operator holding a household when another operator’s late outcome on it arrives', async () => {
		const { h, op, seg } = await setup();
		await lapse(h);
		const op2 = await newOperator(sql, [seg]);
		const s2 = await socketFor(op2);
		const s1 = await socketFor(op);
		try {
			expect(await s2.timeout(5000).emitWithAck('claim:next', {})).toMatchObject({ ok: true, data: { householdId: h } });
			const told = once<{ householdId: number; what: string; callId: number; by: number }>(s2, 'household:updated');
			const late = await s1.timeout(5000).emitWithAck('outcome:record', { householdId: h, outcomeCode: '21', party: 'family', idempotencyKey: key() });
			expect(late).toMatchObject({ ok: true, data: { late: true, queueState: 'claimed' } });
			expect(await told).toMatchObject({ householdId: h, what: 'call', callId: late.data.callId, by: op.id });
		} finally {
			s1.close();
			s2.close();
		}
	});
});
