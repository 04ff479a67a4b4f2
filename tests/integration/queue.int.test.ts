/**
 * The queue engine on the real PostgreSQL: facts in SQL, placement by the calling rules (suppressions, rotation,
 * limits, gap), callbacks first (only me, then anyone after the grace), the calling window, one household one
 * caller across shared numbers, the sweeper (lapsed leases → claim:lost), operator states and the calling rules.
 * The calling window is enforced here (the other test files ignore it): claims pass a `now` inside a window.
 */
process.env.CALLING_WINDOW = 'enforce';

import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { liveEvents, eventually } from '../helpers/events.ts';
import { testSql, resetDb } from '../helpers/db.ts';
import { newHousehold, newOperator, newSegment, newUser } from '../helpers/factories.ts';
import { claimNextHousehold, openCallbacks, rebuildQueue, sweepQueue } from '../../src/lib/server/queue/claims.ts';
import { placeHousehold } from '../../src/lib/server/queue/placement.ts';
import { factsFor } from '../../src/lib/server/queue/facts.queries.ts';
import { callingRulesState, loadCallingRules, saveCallingRules } from '../../src/lib/server/queue/rules.ts';
import { setOperatorState } from '../../src/lib/server/queue/states.ts';
import { closeDb } from '../../src/lib/server/db.ts';
import { actionError } from '../../src/lib/server/http.ts';
import { rulesFromForm } from '../../src/lib/server/segments/rules-form.ts';
import { defaultCallingRules, nextWindowOpen, addDays, tokyoAt, tokyoDay, isWithinWindow } from '../../src/lib/domain/calling-rules.ts';
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

const HOUR = 3600_000;
const MIN = 60_000;
/** today in Tokyo (the facts' 7-day window is the database's clock) */
const TODAY = tokyoDay(new Date());
/** 10:00 on the next calling day after today (default rules: a weekday that is not a holiday) */
const OPEN = new Date(nextWindowOpen(defaultCallingRules, tokyoAt(addDays(TODAY, 1)))!.getTime() + HOUR);
/** a Sunday at 10:00 (no window by default) */
const SUNDAY = (() => {
	for (let d = addDays(TODAY, 1); ; d = addDays(d, 1)) if (new Date(`${d}T00:00:00Z`).getUTCDay() === 0) return tokyoAt(d, '10:00');
})();

const claim = (op: Actor) => claimNextHousehold(op, { now: OPEN });
const place = (id: number, opts: { now?: Date; retryAfter?: Date | null } = {}) => sql.begin((tx) => placeHousehold(tx, id, opts));
const row = async (id: number) =>
	(
		await sql<{ state: string; waitReason: string | null; closedReason: string | null; nextEligibleAt: Date | null; callbackAt: Date | null; reservedFor: number | null; reservedUntil: Date | null; sharesPhone: boolean; priority: number; priorityDetail: unknown; segmentId: number; claimedBy: number | null }[]>`
			select state, wait_reason, closed_reason, next_eligible_at, callback_at, reserved_for, reserved_until, shares_phone, priority, priority_detail, segment_id, claimed_by
			from call_queue where household_id = ${id}`
	)[0];

async function call(householdId: number, operatorId: number, at: Date, outcome = '10') {
	await sql`insert into calls (household_id, operator_id, party, outcome_code, started_at, recorded_at)
		values (${householdId}, ${operatorId}, ${outcome === '10' ? 'none' : 'family'}, ${outcome}, ${at}, ${at})`;
}
async function callback(householdId: number, operatorId: number, dueAt: Date, onlyMe: boolean) {
	await sql`insert into callbacks (household_id, due_at, only_me, operator_id) values (${householdId}, ${dueAt}, ${onlyMe}, ${operatorId})`;
}

describe('facts', () => {
	it('computes a household’s facts in SQL as the pure rules read them', async () => {
		const seg = await newSegment(sql);
		const op = await newOperator(sql, [seg]);
		const h = await newHousehold(sql, { segmentId: seg, owed: 30_000, phone: '090-1111-2222' });
		const other = await newHousehold(sql, { segmentId: seg, phone: '090-1111-2222' });
		const fy = Number(TODAY.slice(5, 7)) >= 4 ? Number(TODAY.slice(0, 4)) : Number(TODAY.slice(0, 4)) - 1;
		// this year's period 2, overdue and unpaid; a future period (not overdue); a paid period
		await sql`insert into receipts (household_id, fiscal_year, period, assessed, received_total, due_date) values
			(${h}, ${fy}, 2, 5000, 1000, ${addDays(TODAY, -1)}), (${h}, ${fy}, 3, 7000, 0, ${addDays(TODAY, 30)}), (${h}, ${fy}, 1, 2000, 2000, ${addDays(TODAY, -60)})`;
		await sql`insert into phones (household_id, raw, digits, kind, valid, status) values (${h}, '03-0000-0000', '0300000000', 'landline', true, 'wrong_number')`;
		await sql`insert into bank_transfers (household_id, enabled) values (${h}, true)`;
		await sql`insert into household_years (household_id, fiscal_year, card_class) values (${h}, ${fy - 1}, '短期'), (${h}, ${fy}, '一般')`;
		await call(h, op.id, new Date(Date.now() - 2 * HOUR), '21');
		await call(h, op.id, new Date(Date.now() - 10 * 86_400_000), '10');
		await sql`insert into promises (household_id, amount, due_date, status, created_by, created_at) values
			(${h}, 1000, ${addDays(TODAY, -20)}, 'broken', ${op.id}, now() - interval '30 days'), (${h}, 2000, ${addDays(TODAY, 5)}, 'pending', ${op.id}, now())`;
		await callback(h, op.id, new Date(Date.now() + HOUR), false);
		await sql`insert into payments (household_id, fiscal_year, period, amount, paid_on) values (${h}, ${fy}, 1, 2000, ${addDays(TODAY, -3)})`;
		await sql`insert into handoffs (household_id, reason, status, created_by) values (${h}, 'hardship', 'new', ${op.id})`;
		await sql`insert into do_not_call (household_id, reason, until, created_by) values (${h}, '本人の希望', ${addDays(TODAY, 10)}, ${op.id})`;

		const [f] = await factsFor(sql, [h], TODAY);
		expect(f).toMatchObject({
			householdId: h,
			nationality: 'JP',
			owed: 30_000 + 4000,
			owedCurrentYear: 4000,
			owedCarriedOver: fy > 2025 ? 30_000 : 0,
			unpaidPeriods: 2,
			currentYearUnpaidPeriods: [2],
			oldestDueDate: '2025-06-30',
			phoneKinds: ['mobile'],
			hasInvalidPhone: true,
			sharesPhone: true,
			bankTransfer: true,
			cardClass: '一般',
			attempts: 2,
			promiseStatus: 'pending',
			openPromiseDueDate: addDays(TODAY, 5),
			brokenPromises: 1,
			lastPaidOn: addDays(TODAY, -3),
			openHandoff: true,
			doNotCallUntil: addDays(TODAY, 10)
		});
		expect(f.recentAttempts).toHaveLength(1); // the 10-day-old call is outside the 7 days
		expect(f.lastContactAt).toBe(f.lastAttemptAt);
		expect(f.callbackDueAt).not.toBeNull();
		const total = f.slotStats.morning.attempts + f.slotStats.afternoon.attempts + f.slotStats.evening.attempts;
		const answered = f.slotStats.morning.answered + f.slotStats.afternoon.answered + f.slotStats.evening.answered;
		expect([total, answered]).toEqual([2, 1]);
		const [o] = await factsFor(sql, [other], TODAY);
		expect(o.sharesPhone).toBe(true);
		expect(o.doNotCallUntil).toBeNull();
	});
});

describe('placement', () => {
	it('scores with reasons, and never takes a claimed household from its operator', async () => {
		const seg = await newSegment(sql);
		const op = await newOperator(sql, [seg]);
		const h = await newHousehold(sql, { segmentId: seg, owed: 50_000 });
		const placed = await place(h);
		expect(placed).toMatchObject({ state: 'ready', segmentId: seg });
		const r = await row(h);
		expect(r.priority).toBeGreaterThan(0);
		expect((r.priorityDetail as { code: string }[]).map((x) => x.code)).toContain('arrears');
		await claim(op);
		await sql`insert into do_not_call (household_id, reason, created_by) values (${h}, 'test', ${op.id})`;
		await place(h);
		expect(await row(h)).toMatchObject({ state: 'claimed', claimedBy: op.id });
	});

	it('suppresses after a payment, for an open promise, an open handoff, and do-not-call with and without an end date', async () => {
		const seg = await newSegment(sql);
		const op = await newOperator(sql, [seg]);
		const [paid, promised, handed, dncOpen, dncUntil] = await Promise.all([1, 2, 3, 4, 5].map(() => newHousehold(sql, { segmentId: seg })));
		await sql`insert into payments (household_id, fiscal_year, period, amount, paid_on) values (${paid}, 2025, 1, 100, ${addDays(TODAY, -2)})`;
		await sql`insert into promises (household_id, amount, due_date, created_by) values (${promised}, 1000, ${addDays(TODAY, 7)}, ${op.id})`;
		await sql`insert into handoffs (household_id, reason, created_by) values (${handed}, 'installment', ${op.id})`;
		await sql`insert into do_not_call (household_id, reason, created_by) values (${dncOpen}, '弁護士介入', ${op.id})`;
		await sql`insert into do_not_call (household_id, reason, until, created_by) values (${dncUntil}, '入院中', ${addDays(TODAY, 3)}, ${op.id})`;
		for (const h of [paid, promised, handed, dncOpen, dncUntil]) await place(h);

		expect(await row(paid)).toMatchObject({ state: 'waiting', waitReason: 'payment' });
		expect((await row(paid)).nextEligibleAt!.getTime()).toBeGreaterThanOrEqual(tokyoAt(addDays(TODAY, 12), '09:00').getTime());
		expect(await row(promised)).toMatchObject({ state: 'waiting', waitReason: 'promise' });
		expect((await row(promised)).nextEligibleAt!.getTime()).toBeGreaterThanOrEqual(tokyoAt(addDays(TODAY, 11), '09:00').getTime());
		expect(await row(handed)).toMatchObject({ state: 'closed', closedReason: 'handoff' });
		expect(await row(dncOpen)).toMatchObject({ state: 'closed', closedReason: 'do_not_call' });
		expect(await row(dncUntil)).toMatchObject({ state: 'waiting', waitReason: 'do_not_call' });
		expect((await row(dncUntil)).nextEligibleAt!.getTime()).toBeGreaterThanOrEqual(tokyoAt(addDays(TODAY, 4)).getTime());
		await expect(claim(op)).rejects.toMatchObject({ code: 'queue_empty' });

		// the instruction lifted, the handoff closed: callable again
		await sql`update do_not_call set lifted_at = now() where household_id = ${dncOpen}`;
		await sql`update handoffs set status = 'returned', instruction = '再架電してください' where household_id = ${handed}`;
		await place(dncOpen);
		await place(handed);
		expect(await row(dncOpen)).toMatchObject({ state: 'ready', closedReason: null });
		expect(await row(handed)).toMatchObject({ state: 'ready' });
	});

	it('rotates time slots: unanswered mornings put the next attempt in another slot', async () => {
		const seg = await newSegment(sql);
		const op = await newOperator(sql, [seg]);
		const h = await newHousehold(sql, { segmentId: seg });
		await call(h, op.id, tokyoAt(addDays(TODAY, -3), '10:00'));
		await call(h, op.id, tokyoAt(addDays(TODAY, -2), '10:30'));
		await place(h, { now: OPEN });
		const r = await row(h);
		expect(r).toMatchObject({ state: 'waiting', waitReason: 'slot' });
		expect(r.nextEligibleAt!.toISOString()).toBe(tokyoAt(tokyoDay(OPEN), '12:00').toISOString());
	});

	it('keeps to the daily and weekly limits and the minimum gap', async () => {
		const seg = await newSegment(sql);
		const op = await newOperator(sql, [seg]);
		const [daily, weekly, gap] = await Promise.all([1, 2, 3].map(() => newHousehold(sql, { segmentId: seg })));
		const now = tokyoAt(TODAY, '15:00');
		// answered calls: slot rotation plays no part
		await call(daily, op.id, tokyoAt(TODAY, '09:30'), '21');
		await call(daily, op.id, tokyoAt(TODAY, '12:00'), '21');
		for (let i = 1; i <= 5; i++) await call(weekly, op.id, tokyoAt(addDays(TODAY, -i), '18:00'), '21');
		await call(gap, op.id, new Date(now.getTime() - 30 * MIN), '21');
		for (const h of [daily, weekly, gap]) await place(h, { now });

		expect(await row(daily)).toMatchObject({ state: 'waiting', waitReason: 'daily_limit' });
		expect((await row(daily)).nextEligibleAt!.getTime()).toBeGreaterThanOrEqual(tokyoAt(addDays(TODAY, 1)).getTime());
		expect(await row(weekly)).toMatchObject({ state: 'waiting', waitReason: 'weekly_limit' });
		expect((await row(weekly)).nextEligibleAt!.getTime()).toBeGreaterThanOrEqual(tokyoAt(addDays(TODAY, 2), '18:00').getTime());
		expect(await row(gap)).toMatchObject({ state: 'waiting', waitReason: 'gap' });
		expect((await row(gap)).nextEligibleAt!.getTime()).toBeGreaterThanOrEqual(now.getTime() + 90 * MIN);
	});

	it('keeps an outcome’s retry time when placed again, and takes households no segment wants out of the queue', async () => {
		const seg = await newSegment(sql);
		await sql`update segments set filter = ${sql.json({ minOwed: 20_000 })} where id = ${seg}`;
		const big = await newHousehold(sql, { segmentId: seg, owed: 50_000 });
		const small = await newHousehold(sql, { segmentId: seg, owed: 5_000 });
		const retry = new Date(Date.now() + 3 * HOUR);
		await place(big, { retryAfter: retry });
		expect(await row(big)).toMatchObject({ state: 'waiting', waitReason: 'retry' });
		const r = await sql.begin((tx) => rebuildQueue(tx));
		expect(r.removed).toBe(1);
		expect(await row(small)).toBeUndefined();
		const again = await row(big);
		expect(again.state).toBe('waiting');
		expect(again.nextEligibleAt!.getTime()).toBeGreaterThanOrEqual(retry.getTime());
	});
});

describe('callbacks', () => {
	async function setup() {
		const seg = await newSegment(sql);
		const mine = await newOperator(sql, [seg]);
		const other = await newOperator(sql, [seg]);
		const top = await newHousehold(sql, { segmentId: seg, owed: 900_000 });
		const cb = await newHousehold(sql, { segmentId: seg, owed: 1_000 });
		await place(top);
		return { seg, mine, other, top, cb };
	}

	it('offers a callback “only me” first to its operator, and to another only after the grace period', async () => {
		const { mine, other, top, cb } = await setup();
		await callback(cb, mine.id, new Date(Date.now() - MIN), true);
		await place(cb);
		expect(await row(cb)).toMatchObject({ state: 'ready', reservedFor: mine.id });
		// another operator gets the household with the larger arrears, not the reserved callback
		expect((await claim(other)).householdId).toBe(top);
		await sql`update call_queue set state = 'ready', claimed_by = null, claimed_at = null, claim_expires_at = null where household_id = ${top}`;
		const c = await claim(mine);
		expect(c).toMatchObject({ householdId: cb, kind: 'callback' });
	});

	it('gives a callback whose operator did not come to anyone once the grace is over, before higher priorities', async () => {
		const { mine, other, cb } = await setup();
		await callback(cb, mine.id, new Date(Date.now() - 20 * MIN), true); // grace 15 minutes
		await place(cb);
		expect((await row(cb)).reservedUntil!.getTime()).toBeLessThan(Date.now());
		const c = await claim(other);
		expect(c).toMatchObject({ householdId: cb, kind: 'callback' });
		const [log] = await sql<{ reason: string }[]>`select reason from access_log where action = 'household.claim' and household_id = ${cb}`;
		expect(log.reason).toBe('callback');
		// never lost: the supervisors' list shows it with who holds it now
		const list = await openCallbacks(sql);
		expect(list).toEqual([expect.objectContaining({ householdId: cb, overdue: true, reservedLapsed: true, claimedBy: other.id })]);
	});

	it('offers a due callback for anyone before households with a higher priority', async () => {
		const { mine, other, cb } = await setup();
		await callback(cb, mine.id, new Date(Date.now() - MIN), false);
		await place(cb);
		expect((await claim(other)).householdId).toBe(cb);
	});

	it('offers a callback “only me” to its operator whatever their segments; a callback not yet due waits', async () => {
		const { seg, top, cb } = await setup();
		const elsewhere = await newSegment(sql);
		const op = await newOperator(sql, [elsewhere]);
		await newHousehold(sql, { segmentId: elsewhere, owed: 800_000 });
		await callback(cb, op.id, new Date(Date.now() - MIN), true);
		await place(cb);
		expect((await row(cb)).segmentId).toBe(seg);
		expect((await claim(op)).householdId).toBe(cb);

		await callback(top, op.id, new Date(Date.now() + 2 * HOUR), false);
		await place(top);
		expect(await row(top)).toMatchObject({ state: 'waiting', waitReason: 'callback' });
	});
});

describe('claim', () => {
	it('refuses outside the calling window and says when calls resume', async () => {
		const seg = await newSegment(sql);
		await newHousehold(sql, { segmentId: seg });
		const op = await newOperator(sql, [seg]);
		expect(isWithinWindow(defaultCallingRules, SUNDAY)).toBe(false);
		const err = await claimNextHousehold(op, { now: SUNDAY }).catch((e) => e);
		expect(err).toMatchObject({ code: 'outside_window' });
		expect(err.details.opensAt).toBe(nextWindowOpen(defaultCallingRules, SUNDAY)!.toISOString());
		// the rules decide: Sundays opened 10:00–16:00
		const state = await callingRulesState(await newUser(sql, 'supervisor'));
		await saveCallingRules(await newUser(sql, 'supervisor'), { ...state.rules, windows: { ...state.rules.windows, sun: { start: '10:00', end: '16:00' } } }, state.version);
		expect((await claimNextHousehold(op, { now: SUNDAY })).kind).toBe('outbound');
	});

	it('never gives two households sharing a number to two operators at once, and keeps the gap after a call on one', async () => {
		const seg = await newSegment(sql);
		const a = await newHousehold(sql, { segmentId: seg, owed: 50_000, phone: '080-5555-0001' });
		const b = await newHousehold(sql, { segmentId: seg, owed: 40_000, phone: '080-5555-0001' });
		await place(a);
		await place(b);
		expect((await row(a)).sharesPhone).toBe(true);
		const ops = [await newOperator(sql, [seg]), await newOperator(sql, [seg])];
		const results = await Promise.allSettled(ops.map((op) => claim(op)));
		const won = results.filter((r) => r.status === 'fulfilled');
		expect(won).toHaveLength(1);
		expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'queue_empty' } });
		const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from call_queue where state = 'claimed'`;
		expect(n).toBe(1);
		const held = (won[0] as PromiseFulfilledResult<{ householdId: number }>).value.householdId;
		const otherId = held === a ? b : a;
		expect(await row(otherId)).toMatchObject({ state: 'waiting', waitReason: 'shared_phone' });

		// the holder calls and records; the other household is ready again (e.g. an import) but waits the gap
		const holder = (await row(held)).claimedBy!;
		await call(held, holder, new Date(Date.now() - 10 * MIN));
		await sql`update call_queue set state = 'waiting', next_eligible_at = now() + interval '4 hours', claimed_by = null, claimed_at = null, claim_expires_at = null where household_id = ${held}`;
		await sql`update call_queue set state = 'ready', next_eligible_at = null, wait_reason = null where household_id = ${otherId}`;
		const third = await newOperator(sql, [seg]);
		await expect(claim(third)).rejects.toMatchObject({ code: 'queue_empty' });
		const r = await row(otherId);
		expect(r).toMatchObject({ state: 'waiting', waitReason: 'shared_phone' });
		expect(r.nextEligibleAt!.getTime()).toBeGreaterThanOrEqual(Date.now() - 10 * MIN + 119 * MIN);
	});

	it('gives 50 concurrent operators 50 distinct households among callbacks and shared numbers (checked in the database)', async () => {
		const seg = await newSegment(sql);
		const seeder = await newOperator(sql, [seg]);
		for (let i = 0; i < 70; i++) {
			const h = await newHousehold(sql, { segmentId: seg, phone: i < 20 ? `070-1000-${String(1000 + (i >> 1))}` : undefined });
			if (i % 7 === 0) await callback(h, seeder.id, new Date(Date.now() - MIN), false);
			await place(h);
		}
		const ops = [];
		for (let i = 0; i < 50; i++) ops.push(await newOperator(sql, [seg]));
		const claims = await Promise.all(ops.map((op) => claim(op)));
		expect(new Set(claims.map((c) => c.householdId)).size).toBe(50);
		const held = await sql<{ householdId: number; claimedBy: number }[]>`select household_id, claimed_by from call_queue where state = 'claimed'`;
		expect(held).toHaveLength(50);
		expect(new Set(held.map((h) => h.claimedBy)).size).toBe(50);
		// no number is held twice
		const [{ n }] = await sql<{ n: number }[]>`
			select count(*)::int as n from (select p.digits from phones p join call_queue q on q.household_id = p.household_id and q.state = 'claimed'
			group by p.digits having count(*) > 1) x`;
		expect(n).toBe(0);
		expect(claims.filter((c) => c.kind === 'callback').length).toBe(10);
	});
});

describe('sweeper and states', () => {
	it('returns a lapsed household to the queue and tells its operator (claim:lost)', async () => {
		const seg = await newSegment(sql);
		const h = await newHousehold(sql, { segmentId: seg });
		const op = await newOperator(sql, [seg]);
		await claim(op);
		const [st] = await sql<{ state: string }[]>`select state from operator_states where user_id = ${op.id}`;
		expect(st.state).toBe('on_household');
		await sql`update call_queue set claim_expires_at = now() - interval '1 second' where household_id = ${h}`;
		expect((await sweepQueue()).lapsed).toBe(1);
		expect(await row(h)).toMatchObject({ state: 'ready', claimedBy: null });
		await expect.poll(() => events.find((e) => e.type === 'claim:lost')).toEqual({ type: 'claim:lost', data: { householdId: h, operatorId: op.id, reason: 'lapsed' } });
		const [after] = await sql<{ state: string }[]>`select state from operator_states where user_id = ${op.id}`;
		expect(after.state).toBe('available');
	});

	it('scores ready households with call history again for the new time slot, after the boundary', async () => {
		const seg = await newSegment(sql);
		const op = await newOperator(sql, [seg]);
		const h = await newHousehold(sql, { segmentId: seg });
		const fresh = await newHousehold(sql, { segmentId: seg });
		await call(h, op.id, tokyoAt(addDays(TODAY, -3), '10:00'));
		await call(h, op.id, tokyoAt(addDays(TODAY, -2), '10:00'));
		await place(h, { now: tokyoAt(TODAY, '11:00'), retryAfter: null });
		await place(fresh, { now: tokyoAt(TODAY, '11:00') });
		const noon = tokyoAt(TODAY, '12:05');
		await sql`update call_queue set state = 'ready', next_eligible_at = null, wait_reason = null, attempts = 2,
			updated_at = ${tokyoAt(TODAY, '11:00')} where household_id = ${h}`;
		await sql`update call_queue set updated_at = ${tokyoAt(TODAY, '11:00')} where household_id = ${fresh}`;
		const slotOf = async (id: number) => ((await row(id)).priorityDetail as { code: string; detail: { slot: string } }[]).find((r) => r.code === 'contact_probability')!.detail.slot;
		// scored for the morning before noon
		await sql`update call_queue set priority_detail = jsonb_set(priority_detail, '{4,detail,slot}', '"morning"') where household_id = ${h}`;
		expect(await slotOf(h)).toBe('morning');
		const swept = await sweepQueue({ now: noon });
		expect(swept.rescored).toBe(1); // only the household with history
		expect(await slotOf(h)).toBe('afternoon');
		// long after the boundary nothing is re-scored
		expect((await sweepQueue({ now: tokyoAt(TODAY, '13:30') })).rescored).toBe(0);
	});

	it('records an operator’s states: a break needs a reason, none while holding a household', async () => {
		const seg = await newSegment(sql);
		await newHousehold(sql, { segmentId: seg });
		const op = await newOperator(sql, [seg]);
		await expect(setOperatorState(op, { state: 'break' })).rejects.toMatchObject({ code: 'invalid_input', details: { breakReason: expect.any(String) } });
		const b = await setOperatorState(op, { state: 'break', breakReason: 'other', breakNote: '研修資料' });
		expect(b).toMatchObject({ state: 'break', breakReason: 'other: 研修資料' });
		await setOperatorState(op, { state: 'available' });
		await claim(op);
		await expect(setOperatorState(op, { state: 'break', breakReason: 'lunch' })).rejects.toMatchObject({ code: 'conflict' });
		const changes = await sql<{ state: string }[]>`select state from operator_state_changes where user_id = ${op.id} order by id`;
		expect(changes.map((c) => c.state)).toEqual(['break', 'available', 'on_household']);
		await expect.poll(() => events.filter((e) => e.type === 'operator:state').length).toBe(3);
		await expect(setOperatorState(await newUser(sql, 'supervisor'), { state: 'available' })).rejects.toMatchObject({ code: 'forbidden' });
	});
});

describe('calling rules', () => {
	it('defaults without a row; saves with a version, refuses a stale save with the current rules, and names bad fields', async () => {
		const sv = await newUser(sql, 'supervisor');
		expect(await loadCallingRules(sql)).toEqual(defaultCallingRules);
		const s0 = await callingRulesState(sv);
		expect(s0.version).toBe(0);
		const saved = await saveCallingRules(sv, { ...s0.rules, minGapMinutes: 180 }, 0);
		expect(saved.version).toBe(1);
		expect((await loadCallingRules(sql)).minGapMinutes).toBe(180);
		const stale = await saveCallingRules(sv, { ...s0.rules, minGapMinutes: 60 }, 0).catch((e) => e);
		expect(stale).toMatchObject({ code: 'conflict', details: { version: '1' } });
		expect(JSON.parse(stale.details.current).minGapMinutes).toBe(180);
		const bad = await saveCallingRules(sv, { ...s0.rules, windows: { ...s0.rules.windows, mon: { start: '07:30', end: '20:00' } } }, 1).catch((e) => e);
		expect(bad).toMatchObject({ code: 'invalid_input' });
		expect(Object.keys(bad.details)).toContain('windows.mon.start');
		await expect(saveCallingRules(await newOperator(sql, []), s0.rules, 1)).rejects.toMatchObject({ code: 'forbidden' });
		const [log] = await sql<{ action: string }[]>`select action from access_log where action = 'rules.update'`;
		expect(log).toBeDefined();
	});

	it('refuses a bad form with a stable code per field and the values it names, the English in the message (the page’s answer)', async () => {
		const sv = await newUser(sql, 'supervisor');
		const form = new URLSearchParams([
			...(['mon', 'tue', 'wed', 'thu', 'fri'] as const).flatMap((d): [string, string][] => [[`w.${d}.on`, 'true'], [`w.${d}.start`, '09:00'], [`w.${d}.end`, '20:00']]),
			['maxAttemptsPerDay', '4'],
			['maxAttemptsPerWeek', '3'],
			['minGapMinutes', 'abc'],
			['paymentSuppressDays', ''],
			['promiseGraceDays', '31'],
			['callbackGraceMinutes', '15'],
			['wrapUpSeconds', '30'],
			['promiseHorizonDays', '90']
		]);
		form.set('w.mon.start', '07:30');
		form.set('w.tue.end', '08:30');
		const e = await saveCallingRules(sv, rulesFromForm(form), 0).catch((x) => x);
		const answer = actionError(e) as unknown as { status: number; data: { code: string; message: string; details: Record<string, string>; params: Record<string, Record<string, unknown>> } };
		expect(answer.status).toBe(400);
		expect(answer.data.code).toBe('invalid_input');
		expect(answer.data.details).toEqual({
			'windows.mon.start': 'before_hard_limit',
			'windows.tue.end': 'end_not_after_start',
			minGapMinutes: 'whole_number',
			paymentSuppressDays: 'required',
			promiseGraceDays: 'max_value'
		});
		expect(answer.data.params).toEqual({ 'windows.mon.start': { limit: '08:00' }, 'windows.tue.end': { start: '09:00' }, promiseGraceDays: { max: 30 } });
		// API readers keep the English, each field named once
		expect(answer.data.message).toContain('windows.mon.start: must not be before 08:00 (hard limit)');
		expect(answer.data.message).toContain('promiseGraceDays: must be at most 30 (days)');
		expect(answer.data.message).not.toContain('windows.mon.start: windows.mon.start');

		// the cross-field rule (checked once every field is well formed) names the other field
		const cross = await saveCallingRules(sv, { ...defaultCallingRules, maxAttemptsPerDay: 4, maxAttemptsPerWeek: 3 }, 0).catch((x) => x);
		expect(cross.toJSON()).toEqual({
			code: 'invalid_input',
			message: 'maxAttemptsPerWeek: must not be less than the calls per day',
			details: { maxAttemptsPerWeek: 'max_below_min' },
			params: { maxAttemptsPerWeek: { other: 'maxAttemptsPerDay' } }
		});
		const v = await saveCallingRules(sv, defaultCallingRules, -1).catch((x) => x);
		expect(v.toJSON()).toMatchObject({ code: 'invalid_input', details: { version: 'whole_number' } });
		expect(await sql`select 1 from calling_rules`).toHaveLength(0);
	});
});
