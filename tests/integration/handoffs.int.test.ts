/**
 * Staff handoffs (issue #7) on the real database: an operator's outcome 50 makes a handoff (due by the SLA, with the
 * callback window); staff list, open, take, annotate, resolve or return it; a stale take is refused; the household
 * stays out of the calls while the handoff is open and re-enters the queue on return, with the instruction on the
 * operator's card at the next claim; every read and change is access-logged; other roles are refused.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { liveEvents, eventually } from '../helpers/events.ts';
import { testSql, resetDb } from '../helpers/db.ts';
import { newHousehold, newOperator, newSegment, newUser } from '../helpers/factories.ts';
import { claimNextHousehold, sweepQueue } from '../../src/lib/server/queue/claims.ts';
import { recordCallOutcome } from '../../src/lib/server/calls/calls.ts';
import { readHouseholdCard } from '../../src/lib/server/households/households.ts';
import {
	addHandoffNote,
	assignHandoff,
	handoffDetail,
	handoffSummary,
	handoffSummaryFor,
	listHandoffs,
	resolveHandoff,
	returnHandoff,
	saveHandoffSla,
	handoffSlaTargets,
	takeHandoff
} from '../../src/lib/server/handoffs/handoffs.ts';
import { closeDb, db } from '../../src/lib/server/db.ts';
import { isWorkingDay, RECALL_HORIZON_DAYS, slaDueAt } from '../../src/lib/domain/handoffs.ts';
import { placeHousehold } from '../../src/lib/server/queue/placement.ts';
import { explainHousehold } from '../../src/lib/server/segments/explain.ts';
import { addDays, describeWaitReason, tokyoAt } from '../../src/lib/domain/calling-rules.ts';
import { tokyoDate } from '../../src/lib/domain/format.ts';

const sql = testSql();
beforeEach(async () => {
	await resetDb(sql);
	await sql`
		insert into handoff_sla (reason, working_days) values ('installment', 2), ('hardship', 2), ('reduction', 2), ('complaint', 1), ('other', 2)
		on conflict (reason) do update set working_days = excluded.working_days, version = 1, updated_by = null`;
});
const events = liveEvents(sql);
afterAll(async () => {
	await sql.end();
	await closeDb();
});

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000);

/** An operator claims a household and hands it off (outcome 50) with a callback window. */
async function handedOff(reason: 'installment' | 'complaint' = 'installment') {
	const seg = await newSegment(sql);
	const h = await newHousehold(sql, { segmentId: seg, owed: 40_000 });
	const op = await newOperator(sql, [seg]);
	await claimNextHousehold(op);
	const from = inHours(24);
	const until = inHours(26);
	const r = await recordCallOutcome(op, {
		householdId: h,
		outcomeCode: '50',
		party: 'self',
		note: '分納を希望。月5千円なら可能とのこと',
		handoff: { reason, note: '平日午前の連絡希望', callbackFrom: from.toISOString(), callbackUntil: until.toISOString() }
	});
	const [ho] = await sql<{ id: number; status: string; version: number; dueAt: Date; createdAt: Date; callbackFrom: Date; callbackUntil: Date; callId: number }[]>`
		select id, status, version, due_at, created_at, callback_from, callback_until, call_id from handoffs where household_id = ${h}`;
	return { seg, h, op, ho, callId: r.callId, from, until, queueState: r.queueState };
}

const queueRow = async (h: number) =>
	(await sql<{ state: string; closedReason: string | null; waitReason: string | null }[]>`select state, closed_reason, wait_reason from call_queue where household_id = ${h}`)[0];
const handoffRow = async (id: number) =>
	(await sql<{ status: string; assignedTo: number | null; version: number; instruction: string | null; resolutionCode: string | null; firstContactAt: Date | null; closedBy: number | null }[]>`
		select status, assigned_to, version, instruction, resolution_code, first_contact_at, closed_by from handoffs where id = ${id}`)[0];
const historyOf = async (id: number) =>
	(await sql<{ kind: string; fromStatus: string | null; toStatus: string | null; userId: number | null; note: string | null }[]>`
		select kind, from_status, to_status, user_id, note from handoff_events where handoff_id = ${id} order by id`);

/** Make the household callable now (its pacing wait over) so that the next claim takes it. */
async function makeCallableNow(h: number) {
	await sql`update call_queue set state = 'ready', next_eligible_at = null, wait_reason = null, priority = 1000000000 where household_id = ${h}`;
}

describe('a handoff made by an outcome', () => {
	it('is new, due by the SLA in working days, with the callback window and the history; the household leaves the calls', async () => {
		const { h, ho, from, until, queueState, callId } = await handedOff();
		expect(ho.status).toBe('new');
		expect(ho.version).toBe(1);
		expect(ho.callId).toBe(callId);
		expect(ho.dueAt.toISOString()).toBe(slaDueAt(ho.createdAt, 2).toISOString());
		expect([ho.callbackFrom.getTime(), ho.callbackUntil.getTime()]).toEqual([from.getTime(), until.getTime()]);
		expect(await historyOf(ho.id)).toMatchObject([{ kind: 'created', toStatus: 'new' }]);
		expect(queueState).toBe('closed');
		expect(await queueRow(h)).toMatchObject({ state: 'closed', closedReason: 'handoff' });
		expect(await eventually(() => events.some((e) => e.type === 'handoff:changed' && e.data.handoffId === ho.id && e.data.what === 'created'))).toBe(true);
	});

	it('refuses a callback window that ends before it starts, and writes nothing', async () => {
		const seg = await newSegment(sql);
		const h = await newHousehold(sql, { segmentId: seg });
		const op = await newOperator(sql, [seg]);
		await claimNextHousehold(op);
		await expect(
			recordCallOutcome(op, { householdId: h, outcomeCode: '50', party: 'self', handoff: { reason: 'other', callbackFrom: inHours(5).toISOString(), callbackUntil: inHours(3).toISOString() } })
		).rejects.toMatchObject({ code: 'invalid_input', details: { 'handoff.callbackUntil': expect.any(String) } });
		expect((await sql`select 1 from handoffs`).length).toBe(0);
		expect((await sql`select 1 from calls`).length).toBe(0);
	});
});

describe('the staff workflow', () => {
	it('lists, takes, annotates and returns a handoff; the household re-enters the queue and the operator sees the instruction on the next claim', async () => {
		const { h, op, ho } = await handedOff();
		const staff = await newUser(sql, 'staff');

		// the list (open by default), with the household's NHI number and payer, access-logged
		const list = await listHandoffs(staff);
		expect(list.items.map((i) => [i.id, i.status, i.householdId, i.overdue])).toEqual([[ho.id, 'new', h, false]]);
		expect(list.items[0].nhiNumber).toMatch(/^\d{8}$/);
		expect(list.items[0].payerName).toContain('試験');

		// the detail: the operator's record and the staff card, logged with reason handoff
		const d = await handoffDetail(staff, { handoffId: ho.id });
		expect(d.call?.note).toBe('分納を希望。月5千円なら可能とのこと');
		expect(d.handoff.note).toBe('平日午前の連絡希望');
		expect(d.card.fields).toContain('members');
		expect(d.card.members?.length).toBeGreaterThan(0);

		const taken = await takeHandoff(staff, { handoffId: ho.id, version: ho.version });
		expect(taken).toMatchObject({ status: 'in_progress', version: 2 });
		expect(await handoffRow(ho.id)).toMatchObject({ status: 'in_progress', assignedTo: staff.id });

		await addHandoffNote(staff, { handoffId: ho.id, note: '本人へ電話。来週窓口に来庁予定', contacted: true });
		expect((await handoffRow(ho.id)).firstContactAt).not.toBeNull();

		// the household is still out of the calls while the handoff is open
		expect(await queueRow(h)).toMatchObject({ state: 'closed', closedReason: 'handoff' });

		const ret = await returnHandoff(staff, { handoffId: ho.id, version: 2, instruction: '月5千円の分納で了承済み。納付書の到着を確認してください' });
		expect(ret.status).toBe('returned');
		expect(ret.queueState).not.toBe('closed');
		const row = await queueRow(h);
		expect(row.state).not.toBe('closed');
		expect(row.closedReason).toBeNull();
		expect(await handoffRow(ho.id)).toMatchObject({ status: 'returned', closedBy: staff.id, instruction: '月5千円の分納で了承済み。納付書の到着を確認してください' });
		expect((await historyOf(ho.id)).map((e) => [e.kind, e.fromStatus, e.toStatus, e.userId])).toEqual([
			['created', null, 'new', op.id],
			['taken', 'new', 'in_progress', staff.id],
			['contact', 'in_progress', 'in_progress', staff.id],
			['returned', 'in_progress', 'returned', staff.id]
		]);

		// the next claim: the instruction is on the operator's card
		await makeCallableNow(h);
		const claim = await claimNextHousehold(op);
		expect(claim.householdId).toBe(h);
		const card = await readHouseholdCard(op, { householdId: h, reason: 'outbound' });
		expect(card.staffInstruction).toMatchObject({ handoffId: ho.id, instruction: '月5千円の分納で了承済み。納付書の到着を確認してください', reason: 'installment' });
		expect(card.handoffs).toBeUndefined(); // operators do not read the handoffs themselves
		// an answered call after the return: the instruction has been acted on
		await recordCallOutcome(op, { householdId: h, outcomeCode: '20', party: 'self' });
		const after = await readHouseholdCard(staff, { householdId: h, reason: 'handoff' });
		expect(after.staffInstruction).toBeNull();

		// every step is in the access log with the household
		const log = await sql<{ action: string; householdId: number; reason: string | null }[]>`
			select action, household_id, reason from access_log where user_id = ${staff.id} order by id`;
		expect(log.map((l) => l.action)).toEqual(['household.view', 'household.view', 'handoff.take', 'handoff.note', 'handoff.return', 'household.view']);
		expect(log.every((l) => l.householdId === h)).toBe(true);
		expect(log.slice(2, 5).every((l) => l.reason === `handoff ${ho.id}`)).toBe(true);
		expect(await eventually(() => events.some((e) => e.type === 'handoff:changed' && e.data.what === 'return' && e.data.status === 'returned'))).toBe(true);
	});

	it('a resolved handoff keeps the household out of the calls, unless the outcome lets them resume', async () => {
		const a = await handedOff();
		const staff = await newUser(sql, 'staff');
		await takeHandoff(staff, { handoffId: a.ho.id, version: 1 });
		await resolveHandoff(staff, { handoffId: a.ho.id, version: 2, code: 'installment_agreed', text: '分納誓約書を受理' });
		expect(await handoffRow(a.ho.id)).toMatchObject({ status: 'resolved', resolutionCode: 'installment_agreed' });
		expect(await queueRow(a.h)).toMatchObject({ state: 'closed', closedReason: 'handoff' });
		// closed: no more changes
		await expect(returnHandoff(staff, { handoffId: a.ho.id, version: 3, instruction: 'x' })).rejects.toMatchObject({ code: 'handoff_changed', details: { handoff: 'closed' } });

		const b = await handedOff();
		await takeHandoff(staff, { handoffId: b.ho.id, version: 1 });
		const r = await resolveHandoff(staff, { handoffId: b.ho.id, version: 2, code: 'resume_calls' });
		expect(r.queueState).not.toBe('closed');
		expect((await queueRow(b.h)).closedReason).toBeNull();
	});

	it('refuses to resolve or return a handoff nobody took, and names the field of bad input', async () => {
		const { ho } = await handedOff();
		const staff = await newUser(sql, 'staff');
		await expect(resolveHandoff(staff, { handoffId: ho.id, version: 1, code: 'paid' })).rejects.toMatchObject({ code: 'handoff_changed', details: { handoff: 'not_taken' } });
		await takeHandoff(staff, { handoffId: ho.id, version: 1 });
		await expect(resolveHandoff(staff, { handoffId: ho.id, version: 2, code: 'nonsense' })).rejects.toMatchObject({ code: 'invalid_input', details: { code: expect.any(String) } });
		await expect(returnHandoff(staff, { handoffId: ho.id, version: 2, instruction: '   ' })).rejects.toMatchObject({ code: 'invalid_input', details: { instruction: expect.any(String) } });
		expect(await handoffRow(ho.id)).toMatchObject({ status: 'in_progress', version: 2 });
	});
});

describe('a return with "call again, but not before" (再架電は次の日以降)', () => {
	/** A working day at least `from` days ahead whose day before is a working day too (both inside a calling window). */
	function workingDayAhead(from: number): string {
		let d = addDays(tokyoDate(), from);
		while (!isWorkingDay(d) || !isWorkingDay(addDays(d, -1))) d = addDays(d, 1);
		return d;
	}
	const place = (h: number, now: Date) => db().begin((tx) => placeHousehold(tx, h, { now }));
	const nextEligible = async (h: number) => (await sql<{ at: Date | null }[]>`select next_eligible_at as at from call_queue where household_id = ${h}`)[0].at;

	it('keeps the household from the claim before that day and offers it from that day; the supervisor sees why, the operator sees the day', async () => {
		const { h, op, ho } = await handedOff();
		const staff = await newUser(sql, 'staff');
		await takeHandoff(staff, { handoffId: ho.id, version: 1 });
		const day = workingDayAhead(5);
		const ret = await returnHandoff(staff, { handoffId: ho.id, version: 2, instruction: '給料日の後に架電してください', notBefore: day });
		expect(ret.status).toBe('returned');
		expect((await sql<{ d: string }[]>`select to_char(not_before, 'YYYY-MM-DD') as d from handoff_instructions where handoff_id = ${ho.id}`)[0].d).toBe(day);
		expect((await handoffDetail(staff, { handoffId: ho.id })).handoff.recallNotBefore).toBe(day);
		// placed on return: waiting for the day, not before 09:00 (the calling window) on it
		expect(await queueRow(h)).toMatchObject({ state: 'waiting', waitReason: 'not_before' });
		expect((await nextEligible(h))!.getTime()).toBe(tokyoAt(day, '09:00').getTime());

		// the day before, at 10:00 (in the window, the pacing rules long satisfied): it would be ready but for the day
		await place(h, tokyoAt(addDays(day, -1), '10:00'));
		expect(await queueRow(h)).toMatchObject({ state: 'waiting', waitReason: 'not_before' });
		await sweepQueue();
		await expect(claimNextHousehold(op)).rejects.toMatchObject({ code: 'queue_empty' });

		// the supervisor's "why is it not callable now"
		const sv = await newUser(sql, 'supervisor');
		const why = await explainHousehold(sv, { householdId: h });
		expect(why.callableNow).toBe(false);
		expect(why.notCallable).toEqual([{ code: 'waiting', at: tokyoAt(day, '09:00').toISOString(), text: describeWaitReason('not_before', sv.locale) }]);
		expect(why.queue?.waitReason).toBe('not_before');

		// from that day the claim offers it, and the operator's card names the day with the instruction
		await place(h, tokyoAt(day, '10:00'));
		expect(await queueRow(h)).toMatchObject({ state: 'ready', waitReason: null });
		const claim = await claimNextHousehold(op);
		expect(claim.householdId).toBe(h);
		const card = await readHouseholdCard(op, { householdId: h, reason: 'outbound' });
		expect(card.staffInstruction).toMatchObject({ handoffId: ho.id, instruction: '給料日の後に架電してください', notBefore: day });
	});

	it('without a day, the household is not held by one (placed as before)', async () => {
		const { h, ho } = await handedOff();
		const staff = await newUser(sql, 'staff');
		await takeHandoff(staff, { handoffId: ho.id, version: 1 });
		await returnHandoff(staff, { handoffId: ho.id, version: 2, instruction: '通常どおり架電してください', notBefore: '' });
		expect((await sql<{ d: string | null }[]>`select not_before as d from handoff_instructions where handoff_id = ${ho.id}`)[0].d).toBeNull();
		expect((await queueRow(h)).waitReason).not.toBe('not_before');
		await place(h, tokyoAt(workingDayAhead(1), '10:00'));
		expect(await queueRow(h)).toMatchObject({ state: 'ready' });
	});

	it('refuses a day in the past or more than 90 days ahead, naming the field with its values, and changes nothing', async () => {
		const { h, ho } = await handedOff();
		const staff = await newUser(sql, 'staff');
		await takeHandoff(staff, { handoffId: ho.id, version: 1 });
		const today = tokyoDate();
		const before = await queueRow(h);
		await expect(returnHandoff(staff, { handoffId: ho.id, version: 2, instruction: 'x', notBefore: addDays(today, -1) })).rejects.toMatchObject({
			code: 'invalid_input',
			details: { notBefore: 'date_in_past' },
			params: { notBefore: { min: today } }
		});
		await expect(returnHandoff(staff, { handoffId: ho.id, version: 2, instruction: 'x', notBefore: addDays(today, RECALL_HORIZON_DAYS + 1) })).rejects.toMatchObject({
			code: 'invalid_input',
			details: { notBefore: 'date_beyond_horizon' },
			params: { notBefore: { max: addDays(today, RECALL_HORIZON_DAYS), days: RECALL_HORIZON_DAYS } }
		});
		// with another field's problem: both are named
		await expect(returnHandoff(staff, { handoffId: ho.id, version: 2, instruction: ' ', notBefore: '2026-02-30' })).rejects.toMatchObject({
			code: 'invalid_input',
			details: { notBefore: 'no_such_date', instruction: expect.any(String) }
		});
		expect(await handoffRow(ho.id)).toMatchObject({ status: 'in_progress', version: 2 });
		expect(await sql`select 1 from handoff_instructions where handoff_id = ${ho.id}`).toHaveLength(0);
		expect(await queueRow(h)).toEqual(before);
		// the last day allowed is taken
		await returnHandoff(staff, { handoffId: ho.id, version: 2, instruction: 'x', notBefore: addDays(today, RECALL_HORIZON_DAYS) });
		expect(await queueRow(h)).toMatchObject({ state: 'waiting', waitReason: 'not_before' });
	});
});

describe('stale edits', () => {
	it('two staff taking the same handoff: one gets it, the other a clear refusal, and nothing else changes', async () => {
		const { ho } = await handedOff();
		const s1 = await newUser(sql, 'staff');
		const s2 = await newUser(sql, 'staff');
		const results = await Promise.allSettled([takeHandoff(s1, { handoffId: ho.id, version: 1 }), takeHandoff(s2, { handoffId: ho.id, version: 1 })]);
		const ok = results.filter((r) => r.status === 'fulfilled');
		const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
		expect(ok.length).toBe(1);
		expect(refused.length).toBe(1);
		expect(refused[0].reason).toMatchObject({ code: 'handoff_changed' });
		const row = await handoffRow(ho.id);
		expect(row.version).toBe(2);
		expect([s1.id, s2.id]).toContain(row.assignedTo);
		expect((await historyOf(ho.id)).filter((e) => e.kind === 'taken').length).toBe(1);
		// the loser no longer sees it (assigned to the other), and its page answers not found (logged as denied)
		const loser = row.assignedTo === s1.id ? s2 : s1;
		expect((await listHandoffs(loser)).items).toEqual([]);
		await expect(handoffDetail(loser, { handoffId: ho.id })).rejects.toMatchObject({ code: 'not_found' });
		const [denied] = await sql<{ action: string }[]>`select action from access_log where user_id = ${loser.id} and action = 'household.denied'`;
		expect(denied).toBeDefined();
	});

	it('a change from a page showing an older version is refused with the current state', async () => {
		const { ho } = await handedOff();
		const s1 = await newUser(sql, 'staff');
		await takeHandoff(s1, { handoffId: ho.id, version: 1 });
		await assignHandoff(s1, { handoffId: ho.id, version: 2, assignee: '' }); // back to the pool
		await expect(takeHandoff(s1, { handoffId: ho.id, version: 2 })).rejects.toMatchObject({ code: 'handoff_changed', details: { handoff: 'changed', status: 'new' } });
		expect(await handoffRow(ho.id)).toMatchObject({ status: 'new', assignedTo: null, version: 3 });
	});

	it('assigns only to active staff members', async () => {
		const { ho } = await handedOff();
		const s1 = await newUser(sql, 'staff');
		const s2 = await newUser(sql, 'staff');
		const sv = await newUser(sql, 'supervisor');
		await expect(assignHandoff(s1, { handoffId: ho.id, version: 1, assignee: sv.id })).rejects.toMatchObject({ code: 'invalid_input', details: { assignee: expect.any(String) } });
		await assignHandoff(s1, { handoffId: ho.id, version: 1, assignee: s2.id });
		expect(await handoffRow(ho.id)).toMatchObject({ status: 'new', assignedTo: s2.id });
		expect((await listHandoffs(s2, { assignee: 'mine' })).items.map((i) => i.id)).toEqual([ho.id]);
		expect((await listHandoffs(s1)).items).toEqual([]);
	});
});

describe('roles', () => {
	it('refuses every role but staff the list, the detail and the changes; SLA targets only to supervisors and administrators', async () => {
		const { ho } = await handedOff();
		for (const role of ['operator', 'supervisor', 'manager', 'admin', 'auditor'] as const) {
			const u = await newUser(sql, role);
			await expect(listHandoffs(u), role).rejects.toMatchObject({ code: 'forbidden' });
			await expect(handoffDetail(u, { handoffId: ho.id }), role).rejects.toMatchObject({ code: 'forbidden' });
			await expect(takeHandoff(u, { handoffId: ho.id, version: 1 }), role).rejects.toMatchObject({ code: 'forbidden' });
			await expect(returnHandoff(u, { handoffId: ho.id, version: 1, instruction: 'x' }), role).rejects.toMatchObject({ code: 'forbidden' });
		}
		const staff = await newUser(sql, 'staff');
		await expect(saveHandoffSla(staff, { reason: 'other', workingDays: 3, version: 1 })).rejects.toMatchObject({ code: 'forbidden' });
		await expect(handoffSummaryFor(staff)).rejects.toMatchObject({ code: 'forbidden' });
		expect(await handoffRow(ho.id)).toMatchObject({ status: 'new', version: 1 });
	});
});

describe('SLA targets and the summary', () => {
	it('a supervisor changes a target; open handoffs of that reason are due anew; a stale save is refused', async () => {
		const { ho } = await handedOff('complaint');
		const sv = await newUser(sql, 'supervisor');
		const [complaint] = (await handoffSlaTargets(sv)).filter((t) => t.reason === 'complaint');
		expect(complaint.workingDays).toBe(1);
		const r = await saveHandoffSla(sv, { reason: 'complaint', workingDays: '3', version: complaint.version });
		expect(r).toEqual({ reason: 'complaint', workingDays: 3, recomputed: 1 });
		const [row] = await sql<{ dueAt: Date }[]>`select due_at from handoffs where id = ${ho.id}`;
		expect(row.dueAt.toISOString()).toBe(slaDueAt(ho.createdAt, 3).toISOString());
		await expect(saveHandoffSla(sv, { reason: 'complaint', workingDays: 2, version: complaint.version })).rejects.toMatchObject({ code: 'conflict' });
		await expect(saveHandoffSla(sv, { reason: 'complaint', workingDays: 0, version: 2 })).rejects.toMatchObject({ code: 'invalid_input', details: { workingDays: expect.any(String) } });
		const [log] = await sql<{ action: string; reason: string }[]>`select action, reason from access_log where user_id = ${sv.id} and action = 'handoff.sla'`;
		expect(log).toEqual({ action: 'handoff.sla', reason: 'complaint 3' });
	});

	it('counts open, untaken and overdue handoffs by reason, for the console and managers', async () => {
		const a = await handedOff('complaint');
		await handedOff('installment');
		// one made long ago: overdue
		await sql`update handoffs set created_at = now() - interval '10 days', due_at = now() - interval '1 day' where id = ${a.ho.id}`;
		const s = await handoffSummary(db());
		expect(s.byReason.find((r) => r.reason === 'complaint')).toMatchObject({ open: 1, untaken: 1, overdue: 1 });
		expect(s.byReason.find((r) => r.reason === 'complaint')!.oldestHours).toBeGreaterThanOrEqual(240);
		expect(s.total).toMatchObject({ open: 2, untaken: 2, overdue: 1 });
		const mgr = await newUser(sql, 'manager');
		expect((await handoffSummaryFor(mgr)).total.open).toBe(2);
		// the staff list's overdue filter and sorting by due time
		const staff = await newUser(sql, 'staff');
		expect((await listHandoffs(staff, { overdue: '1' })).items.map((i) => i.id)).toEqual([a.ho.id]);
		expect((await listHandoffs(staff, { sort: 'due' })).items[0].id).toBe(a.ho.id);
		expect((await listHandoffs(staff, { reason: 'installment' })).items.every((i) => i.reason === 'installment')).toBe(true);
		await expect(listHandoffs(staff, { state: 'bogus' })).rejects.toMatchObject({ code: 'invalid_input', details: { state: expect.any(String) } });
	});
});
