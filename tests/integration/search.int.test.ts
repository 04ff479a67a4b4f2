import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { testSql, resetDb, clearLookupCounters } from '../helpers/db.ts';
import { newHousehold, newOperator, newSegment, newUser } from '../helpers/factories.ts';
import { searchHouseholds } from '../../src/lib/server/search/search.ts';
import { openInbound, releaseInbound } from '../../src/lib/server/search/inbound.ts';
import { claimNextHousehold, releaseHousehold } from '../../src/lib/server/queue/claims.ts';
import { recordCallOutcome } from '../../src/lib/server/calls/calls.ts';
import { closeDb } from '../../src/lib/server/db.ts';
import { closeRedis } from '../../src/lib/server/redis.ts';
import { nameForSearch, kanaForSearch } from '../../src/lib/domain/import/normalize.ts';
import { parsePhone } from '../../src/lib/domain/phone.ts';
import { EVENTS_CHANNEL } from '../../src/lib/realtime/events.ts';
import type { Actor } from '../../src/lib/server/auth/actor.ts';

const sql = testSql();
beforeEach(async () => {
	await resetDb(sql);
	await clearLookupCounters(sql);
});
afterAll(async () => {
	await clearLookupCounters(sql);
	await sql.end();
	await closeDb();
	await closeRedis();
});

/** Rename the factory's head of household (with the search keys the import writes) and set the district. */
async function person(h: number, name: string, kana: string, district = '西新宿') {
	await sql`update persons set name = ${name}, name_kana = ${kana}, name_search = ${nameForSearch(name)}, kana_search = ${kanaForSearch(kana)}
		where household_id = ${h}`;
	await sql`update households set district = ${district} where id = ${h}`;
}
async function member(h: number, resident: string, name: string, kana: string) {
	await sql`insert into persons (resident_number, household_id, fiscal_year, name, name_kana, name_search, kana_search, relationship)
		values (${resident}, ${h}, 2025, ${name}, ${kana}, ${nameForSearch(name)}, ${kanaForSearch(kana)}, '妻')`;
}
async function phone(h: number, raw: string) {
	const p = parsePhone(raw);
	await sql`insert into phones (household_id, raw, digits, kind, valid) values (${h}, ${raw}, ${p.digits}, ${p.kind}, ${p.valid})`;
}
async function nhiOf(h: number): Promise<string> {
	const [r] = await sql<{ nhiNumber: string }[]>`select nhi_number from households where id = ${h}`;
	return r.nhiNumber;
}
const ids = (a: { results: { householdId: number }[] }) => a.results.map((r) => r.householdId);

async function world() {
	const seg = await newSegment(sql);
	const yamada = await newHousehold(sql, { segmentId: seg, owed: 54_321, phone: '03-1234-5678' });
	await person(yamada, '山田　太郎', 'ヤマダ　タロウ');
	await member(yamada, 'R900000001', '山田　花子', 'ヤマダ　ハナコ');
	const suzuki = await newHousehold(sql, { segmentId: seg, owed: 20_000, phone: '090-1111-2222' });
	await person(suzuki, '鈴木　一郎', 'スズキ　イチロウ', '高田馬場');
	// the ward wrote this number without its area code
	const nakayama = await newHousehold(sql, { segmentId: seg, owed: 30_000, phone: null });
	await person(nakayama, '中山　次郎', 'ナカヤマ　ジロウ');
	await phone(nakayama, '8765-4321');
	const nguyen = await newHousehold(sql, { segmentId: seg, owed: 40_000, phone: '080-3333-4444' });
	await person(nguyen, 'NGUYEN VAN AN', 'グエン　ヴァン　アン');
	return { seg, yamada, suzuki, nakayama, nguyen };
}

describe('searchHouseholds: every kind finds the household', () => {
	it('by phone in any format, exact first, by its last digits, and a stored number without area code', async () => {
		const w = await world();
		const op = await newOperator(sql, [w.seg]);
		for (const q of ['０３－１２３４－５６７８', '03(1234)5678', '0312345678', '+81 3-1234-5678']) {
			const a = await searchHouseholds(op, { q });
			expect(ids(a), q).toEqual([w.yamada]);
			expect(a.results[0]).toMatchObject({ matchedBy: 'phone', rank: 0, phoneMasked: '••••5678' });
		}
		expect((await searchHouseholds(op, { q: '5678' })).results.map((r) => [r.householdId, r.rank])).toEqual([[w.yamada, 1]]);
		expect(ids(await searchHouseholds(op, { q: '1111-2222' }))).toEqual([w.suzuki]);
		// the caller gives the full number; the ward's record has no area code
		expect(ids(await searchHouseholds(op, { q: '03-8765-4321' }))).toEqual([w.nakayama]);
	});

	it('by kana: partial, hiragana, half-width, with spaces', async () => {
		const w = await world();
		const op = await newOperator(sql, [w.seg]);
		for (const q of ['やまだ', 'ﾔﾏﾀﾞ', 'ヤマダ　タロウ', 'たろう', 'ﾀﾛｳ']) expect(ids(await searchHouseholds(op, { q })), q).toEqual([w.yamada]);
		// exact before prefix before contains: ナカ is the start of ナカヤマ and inside no other here
		const a = await searchHouseholds(op, { q: 'なかやま　じろう' });
		expect(a).toMatchObject({ kind: 'kana', normalized: 'ナカヤマジロウ' });
		expect(a.results[0]).toMatchObject({ householdId: w.nakayama, rank: 0, matchedBy: 'kana' });
		// one character: prefix only
		expect(ids(await searchHouseholds(op, { q: 'ス' }))).toEqual([w.suzuki]);
		expect(ids(await searchHouseholds(op, { q: 'ヴァン' }))).toEqual([w.nguyen]);
	});

	it('by name: kanji partial, Latin any width and case, a member other than the payer', async () => {
		const w = await world();
		const op = await newOperator(sql, [w.seg]);
		expect(ids(await searchHouseholds(op, { q: '山田' }))).toEqual([w.yamada]);
		expect(ids(await searchHouseholds(op, { q: '一郎' }))).toEqual([w.suzuki]);
		expect(ids(await searchHouseholds(op, { q: 'ｎｇｕｙｅｎ' }))).toEqual([w.nguyen]);
		expect(ids(await searchHouseholds(op, { q: 'van an' }))).toEqual([w.nguyen]);
		const wife = await searchHouseholds(op, { q: '花子' });
		expect(wife.results).toHaveLength(1);
		// the operator sees the payer and that a member matched, not the member's name (members are not theirs to read)
		expect(wife.results[0]).toMatchObject({ householdId: w.yamada, matchedMember: true, payerName: '山田　太郎' });
		expect(wife.results[0].memberName).toBeUndefined();
		// LIKE wildcards are literal
		expect(ids(await searchHouseholds(op, { q: '山%' }))).toEqual([]);
	});

	it('lists a household whose payer matched before one where only another member did (QA: イワサキ ミノル)', async () => {
		const w = await world();
		const op = await newOperator(sql, [w.seg]);
		// the payer イワサキ ミノル in one household; a member of the same name in another whose payer's kana sorts first
		const payer = await newHousehold(sql, { segmentId: w.seg, owed: 10_000, phone: null });
		await person(payer, '岩崎　実', 'イワサキ　ミノル');
		const other = await newHousehold(sql, { segmentId: w.seg, owed: 10_000, phone: null });
		await person(other, '相沢　花', 'アイザワ　ハナ');
		await member(other, 'R900000077', '岩崎　実', 'イワサキ　ミノル');
		const found = await searchHouseholds(op, { q: 'イワサキ　ミノル' });
		expect(found.results.map((r) => [r.householdId, r.matchedMember])).toEqual([
			[payer, false],
			[other, true]
		]);
	});

	it('by NHI number (exact, leading zeros) and resident number', async () => {
		const w = await world();
		const op = await newOperator(sql, [w.seg]);
		const nhi = await nhiOf(w.suzuki);
		expect(nhi).toMatch(/^0+\d+$/);
		const a = await searchHouseholds(op, { q: nhi });
		expect(a.kind).toBe('number');
		expect(a.results[0]).toMatchObject({ householdId: w.suzuki, matchedBy: 'nhi', rank: 0 });
		// leading zeros are part of the number: one more is another number
		expect((await searchHouseholds(op, { q: '0' + nhi })).results.filter((r) => r.matchedBy === 'nhi')).toEqual([]);
		expect(ids(await searchHouseholds(op, { q: 'r900000001' }))).toEqual([w.yamada]);
		expect((await searchHouseholds(op, { q: 'Ｒ９０００００００１' })).results[0]).toMatchObject({ householdId: w.yamada, matchedBy: 'resident' });
	});

	it('refuses empty input, fewer than four digits, and roles without household.search', async () => {
		const w = await world();
		const op = await newOperator(sql, [w.seg]);
		await expect(searchHouseholds(op, { q: '  ' })).rejects.toMatchObject({ code: 'invalid_input', details: { q: 'required' } });
		await expect(searchHouseholds(op, { q: '123' })).rejects.toMatchObject({ code: 'invalid_input' });
		for (const role of ['manager', 'admin', 'auditor'] as const)
			await expect(searchHouseholds(await newUser(sql, role), { q: '山田' })).rejects.toMatchObject({ code: 'forbidden' });
	});

	it('says when more households matched than shown', async () => {
		const seg = await newSegment(sql);
		for (let i = 0; i < 4; i++) await person(await newHousehold(sql, { segmentId: seg }), `佐藤　${i}`, `サトウ　${i}`);
		const op = await newOperator(sql, [seg]);
		const a = await searchHouseholds(op, { q: 'サトウ', limit: 3 });
		expect(a.results).toHaveLength(3);
		expect(a.more).toBe(true);
		expect((await searchHouseholds(op, { q: 'サトウ', limit: 4 })).more).toBe(false);
	});
});

describe('searchHouseholds: field policy, access log, rate limit', () => {
	it('selects the columns by role: operator and supervisor the call card part, staff also the matched member', async () => {
		const w = await world();
		const op = await newOperator(sql, [w.seg]);
		const sv = await newUser(sql, 'supervisor');
		const staff = await newUser(sql, 'staff');
		const keys = async (a: Actor) => Object.keys((await searchHouseholds(a, { q: '花子' })).results[0]).sort();
		// phoneMasked: every role here may read phones (the household's first callable number, QA: the column was blank)
		const base = ['district', 'heldByMe', 'held', 'heldInbound', 'householdId', 'matchedBy', 'matchedMember', 'nhiNumber', 'owed', 'payerKana', 'payerName', 'phoneMasked', 'rank', 'status'];
		expect(await keys(op)).toEqual([...base].sort());
		expect(await keys(sv)).toEqual([...base].sort());
		expect(await keys(staff)).toEqual([...base, 'memberName', 'memberKana'].sort());
		const s = (await searchHouseholds(staff, { q: '花子' })).results[0];
		expect(s).toMatchObject({ memberName: '山田　花子', memberKana: 'ヤマダ　ハナコ', owed: 54_321, district: '西新宿' });
		// a name search shows the household's first callable number, masked but its last four digits
		const byName = (await searchHouseholds(op, { q: '花子' })).results[0];
		expect(byName.phoneMasked).toBe('••••5678');
		// a phone search shows the matched number (masked)
		const p = (await searchHouseholds(op, { q: '03-1234-5678' })).results[0];
		expect(p.phoneMasked).toBe('••••5678');
		expect(JSON.stringify(p)).not.toContain('1234');
		// a number that may not be dialled is not the household's callable number
		await sql`update phones set status = 'not_in_service' where digits = '0312345678'`;
		expect((await searchHouseholds(op, { q: '花子' })).results[0].phoneMasked).toBeNull();
	});

	it('logs the search (kind, hash, the normalized query as an erasable note) and each household shown', async () => {
		const w = await world();
		const op = await newOperator(sql, [w.seg]);
		await searchHouseholds(op, { q: 'やまだ' });
		const rows = await sql<{ id: number; householdId: number | null; fields: string[] | null; reason: string; note: string | null }[]>`
			select a.id, a.household_id, a.fields, a.reason, n.note from access_log a left join access_log_notes n on n.access_log_id = a.id
			where a.user_id = ${op.id} and a.action = 'search' order by a.id`;
		expect(rows).toHaveLength(2);
		expect(rows[0].householdId).toBeNull();
		expect(rows[0].reason).toMatch(/^search kana: 1 results \(note sha256:[0-9a-f]{64}\)$/);
		expect(rows[0].reason).not.toContain('ヤマダ');
		expect(rows[0].note).toBe('ヤマダ');
		expect(rows[1]).toMatchObject({ householdId: w.yamada, reason: `search result (log ${rows[0].id})`, note: null });
		expect(rows[1].fields).toEqual(['identity', 'payer', 'address', 'phones', 'arrears']);
		// a phone search shows the masked number: phones disclosed
		await searchHouseholds(op, { q: '0312345678' });
		const [last] = await sql<{ fields: string[] }[]>`select fields from access_log where user_id = ${op.id} and action = 'search' order by id desc limit 1`;
		expect(last.fields).toContain('phones');
	});

	it('limits searches per user to LOOKUP_RATE_PER_MINUTE (60), and a refused search reads nothing', async () => {
		const w = await world();
		const op = await newOperator(sql, [w.seg]);
		const other = await newOperator(sql, [w.seg]);
		for (let i = 0; i < 60; i++) await searchHouseholds(op, { q: 'スズキ' });
		await expect(searchHouseholds(op, { q: 'スズキ' })).rejects.toMatchObject({ code: 'rate_limited' });
		const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from access_log where user_id = ${op.id} and action = 'search' and household_id is null`;
		expect(n).toBe(60);
		expect((await searchHouseholds(other, { q: 'スズキ' })).results).toHaveLength(1);
	});
});

describe('openInbound: the inbound hold', () => {
	const note = '本人から電話、納付の相談';

	async function queueRow(h: number) {
		const [r] = await sql<{ state: string; claimedBy: number | null; claimKind: string | null; nextEligibleAt: Date | null; closedReason: string | null; segmentId: number }[]>`
			select state, claimed_by, claim_kind, next_eligible_at, closed_reason, segment_id from call_queue where household_id = ${h}`;
		return r;
	}

	it('holds a ready household for the operator as inbound, opens the card with the reason inbound and the note', async () => {
		const w = await world();
		const op = await newOperator(sql, []);
		const { hold, card } = await openInbound(op, { householdId: w.suzuki, note });
		expect(hold).toMatchObject({ householdId: w.suzuki, kind: 'inbound', tookFromOther: false });
		expect(card.payerName).toBe('鈴木　一郎');
		expect(await queueRow(w.suzuki)).toMatchObject({ state: 'claimed', claimedBy: op.id, claimKind: 'inbound' });
		const logs = await sql<{ action: string; reason: string; note: string | null }[]>`
			select a.action, a.reason, n.note from access_log a left join access_log_notes n on n.access_log_id = a.id
			where a.user_id = ${op.id} and a.household_id = ${w.suzuki} order by a.id`;
		expect(logs.map((l) => l.action)).toEqual(['household.claim', 'household.view']);
		expect(logs[0].reason).toBe('inbound');
		expect(logs[1].reason).toMatch(/^inbound \(note sha256:[0-9a-f]{64}\)$/);
		expect(logs[1].note).toBe(note);
		const [{ state }] = await sql<{ state: string }[]>`select state from operator_states where user_id = ${op.id}`;
		expect(state).toBe('on_household');
		// nobody else gets it from the queue meanwhile
		const other = await newOperator(sql, [w.seg]);
		const got = new Set<number>();
		for (;;) {
			try {
				got.add((await claimNextHousehold(other)).householdId);
				await sql`update call_queue set state = 'closed', closed_reason = 'test', claimed_by = null, claim_expires_at = null where claimed_by = ${other.id}`;
			} catch {
				break;
			}
		}
		expect(got.has(w.suzuki)).toBe(false);
		expect(got.size).toBe(3);
	});

	it('records the outcome as an inbound call, and placement puts the household back', async () => {
		const w = await world();
		const op = await newOperator(sql, []);
		await openInbound(op, { householdId: w.suzuki, note });
		const saved = await recordCallOutcome(op, { householdId: w.suzuki, outcomeCode: '20', party: 'self', note: '受電', idempotencyKey: crypto.randomUUID() });
		const [call] = await sql<{ direction: string }[]>`select direction from calls where id = ${saved.callId}`;
		expect(call.direction).toBe('inbound');
		const r = await queueRow(w.suzuki);
		expect(r.state).not.toBe('claimed');
		expect(r.claimedBy).toBeNull();
	});

	it('holds a waiting or closed household, and letting go restores its state', async () => {
		const w = await world();
		const op = await newOperator(sql, []);
		const until = new Date(Date.now() + 3 * 3600_000);
		await sql`update call_queue set state = 'waiting', next_eligible_at = ${until}, wait_reason = 'retry' where household_id = ${w.suzuki}`;
		await sql`update call_queue set state = 'closed', closed_reason = 'refused' where household_id = ${w.yamada}`;

		await openInbound(op, { householdId: w.suzuki, note });
		expect(await queueRow(w.suzuki)).toMatchObject({ state: 'claimed', claimedBy: op.id, claimKind: 'inbound' });
		await releaseInbound(op, { householdId: w.suzuki });
		const back = await queueRow(w.suzuki);
		expect(back).toMatchObject({ state: 'waiting', claimedBy: null, claimKind: null });
		// the retry wait is kept (placement may move it to the next calling window, never earlier)
		expect(back.nextEligibleAt!.getTime()).toBeGreaterThanOrEqual(until.getTime());

		await openInbound(op, { householdId: w.yamada, note });
		expect(await queueRow(w.yamada)).toMatchObject({ state: 'claimed', claimKind: 'inbound' });
		await releaseInbound(op, { householdId: w.yamada });
		expect(await queueRow(w.yamada)).toMatchObject({ state: 'closed', closedReason: 'refused', claimedBy: null });
	});

	it('the desk’s own give-back (releaseHousehold) of an inbound hold also restores a closed household, not ready', async () => {
		const w = await world();
		const op = await newOperator(sql, []);
		await sql`update call_queue set state = 'closed', closed_reason = 'refused' where household_id = ${w.yamada}`;
		await openInbound(op, { householdId: w.yamada, note });
		await releaseHousehold(op, { householdId: w.yamada });
		expect(await queueRow(w.yamada)).toMatchObject({ state: 'closed', closedReason: 'refused', claimedBy: null, claimKind: null });
	});

	it('holds a household with no queue row in its segment, or the catch-all segment when none takes it', async () => {
		const w = await world();
		const op = await newOperator(sql, []);
		await sql`delete from call_queue where household_id = ${w.suzuki}`;
		await openInbound(op, { householdId: w.suzuki, note });
		expect(await queueRow(w.suzuki)).toMatchObject({ state: 'claimed', claimedBy: op.id, claimKind: 'inbound', segmentId: w.seg });

		// a household no active segment takes: held in the fallback segment, and out of the queue after its outcome
		const narrow = await sql<{ id: number }[]>`insert into segments (code, name_ja, name_en, filter, sort_order, active)
			values ('other', '他', 'Other', '{}', 99, false) returning id`;
		await sql`update segments set active = false where id = ${w.seg}`;
		await sql`delete from call_queue where household_id = ${w.nguyen}`;
		const op2 = await newOperator(sql, []);
		await openInbound(op2, { householdId: w.nguyen, note });
		const held = await queueRow(w.nguyen);
		expect(held).toMatchObject({ state: 'claimed', claimedBy: op2.id, claimKind: 'inbound' });
		expect([w.seg, narrow[0].id]).toContain(held.segmentId);
		await recordCallOutcome(op2, { householdId: w.nguyen, outcomeCode: '20', party: 'self', idempotencyKey: crypto.randomUUID() });
		expect(await queueRow(w.nguyen)).toBeUndefined();
	});

	it('takes the household from another operator on an outbound call, who is told (claim:lost, reason inbound)', async () => {
		const w = await world();
		const outbound = await newOperator(sql, [w.seg]);
		const claimed = await claimNextHousehold(outbound);
		const op = await newOperator(sql, []);
		const events: unknown[] = [];
		const listener = await sql.listen(EVENTS_CHANNEL, (p) => events.push(JSON.parse(p)));
		const { hold } = await openInbound(op, { householdId: claimed.householdId, note });
		expect(hold.tookFromOther).toBe(true);
		expect(await queueRow(claimed.householdId)).toMatchObject({ state: 'claimed', claimedBy: op.id, claimKind: 'inbound' });
		await expect.poll(() => events.find((e) => (e as { type: string }).type === 'claim:lost')).toMatchObject({
			type: 'claim:lost',
			data: { householdId: claimed.householdId, operatorId: outbound.id, reason: 'inbound' }
		});
		await listener.unlisten();
		const [{ state }] = await sql<{ state: string }[]>`select state from operator_states where user_id = ${outbound.id}`;
		expect(state).toBe('available');
		// the outbound operator may take the next household: they hold nothing now
		expect((await claimNextHousehold(outbound)).householdId).not.toBe(claimed.householdId);
	});

	it('never two operators: a second inbound on the same household is refused; two at once, one wins', async () => {
		const w = await world();
		const a = await newOperator(sql, []);
		const b = await newOperator(sql, []);
		const both = await Promise.allSettled([openInbound(a, { householdId: w.yamada, note }), openInbound(b, { householdId: w.yamada, note })]);
		expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		expect(both.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'conflict' } });
		const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from call_queue where household_id = ${w.yamada} and state = 'claimed'`;
		expect(n).toBe(1);
	});

	it('asks an operator who holds another household to give it back first', async () => {
		const w = await world();
		const op = await newOperator(sql, [w.seg]);
		const mine = await claimNextHousehold(op);
		const target = [w.yamada, w.suzuki, w.nakayama, w.nguyen].find((h) => h !== mine.householdId)!;
		await expect(openInbound(op, { householdId: target, note })).rejects.toMatchObject({ code: 'already_claimed', details: { heldHouseholdId: String(mine.householdId) } });
		await openInbound(op, { householdId: target, note, releaseHeld: mine.householdId });
		expect(await queueRow(target)).toMatchObject({ state: 'claimed', claimedBy: op.id });
		expect(await queueRow(mine.householdId)).toMatchObject({ state: 'ready', claimedBy: null });
		// reopening what one holds resumes it
		expect((await openInbound(op, { householdId: target, note })).hold.resumed).toBe(true);
	});

	it('needs a note, and only operators hold households', async () => {
		const w = await world();
		const op = await newOperator(sql, []);
		await expect(openInbound(op, { householdId: w.yamada, note: '' })).rejects.toMatchObject({ code: 'invalid_input', details: { note: expect.any(String) } });
		await expect(openInbound(await newUser(sql, 'supervisor'), { householdId: w.yamada, note })).rejects.toMatchObject({ code: 'forbidden' });
		await expect(openInbound(op, { householdId: 999_999, note })).rejects.toMatchObject({ code: 'not_found' });
	});
});
