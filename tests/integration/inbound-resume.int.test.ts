/**
 * An inbound call (受電) held by the operator, read again: the desk's load and the inbound page's load must open
 * it with its card (QA: the desk answered 400 「入力内容を確認してください。」 because the held inbound household was
 * read with the reason 'inbound' and no note), only that household may be read so, the outcome must fit an
 * inbound call, and a refused search names its field by a stable code.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { testSql, resetDb, clearLookupCounters } from '../helpers/db.ts';
import { newHousehold, newOperator, newSegment } from '../helpers/factories.ts';
import { openInbound } from '../../src/lib/server/search/inbound.ts';
import { searchHouseholds } from '../../src/lib/server/search/search.ts';
import { claimNextHousehold } from '../../src/lib/server/queue/claims.ts';
import { readHouseholdCard } from '../../src/lib/server/households/households.ts';
import { recordCallOutcome } from '../../src/lib/server/calls/calls.ts';
import { closeDb } from '../../src/lib/server/db.ts';
import { closeRedis } from '../../src/lib/server/redis.ts';
import { load as deskLoad } from '../../src/routes/(app)/operator/+page.server.ts';
import { load as inboundLoad } from '../../src/routes/(app)/operator/inbound/+page.server.ts';
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

const note = '本人から電話、納付の相談';
const loadOf = (fn: unknown, user: Actor) => (fn as (e: unknown) => Promise<Record<string, unknown>>)({ locals: { user }, depends: () => {} });
async function nhiOf(h: number): Promise<string> {
	const [r] = await sql<{ nhiNumber: string }[]>`select nhi_number from households where id = ${h}`;
	return r.nhiNumber;
}

describe('a held inbound call, read again', () => {
	it('the desk opens it with its card (no 400), and so does the inbound page, naming it by its 国保記号番号', async () => {
		const seg = await newSegment(sql);
		const h = await newHousehold(sql, { segmentId: seg, phone: '03-1234-5678' });
		const op = await newOperator(sql, []);
		await openInbound(op, { householdId: h, note });

		const desk = await loadOf(deskLoad, op);
		expect(desk.claim).toMatchObject({ householdId: h, kind: 'inbound' });
		expect(desk.card).toMatchObject({ id: h, nhiNumber: await nhiOf(h) });

		const page = await loadOf(inboundLoad, op);
		expect(page.held).toEqual({ householdId: h, kind: 'inbound', label: await nhiOf(h) });
		expect(page.resumed).toMatchObject({ householdId: h, card: { id: h } });

		// each read again is logged as the held inbound call; the note's hash is in the row of the opening
		const reasons = await sql<{ reason: string }[]>`
			select reason from access_log where user_id = ${op.id} and household_id = ${h} and action = 'household.view' order by id`;
		expect(reasons.map((r) => r.reason)).toEqual([expect.stringMatching(/^inbound \(note sha256:[0-9a-f]{64}\)$/), 'inbound (held)', 'inbound (held)']);
	});

	it('an outbound claim is named on the inbound page by its 国保記号番号 without a household.view row (label only)', async () => {
		const seg = await newSegment(sql);
		await newHousehold(sql, { segmentId: seg, phone: '03-1234-5678' });
		await newHousehold(sql, { segmentId: seg, phone: '03-1234-5679' });
		const op = await newOperator(sql, [seg]);
		const claim = await claimNextHousehold(op);
		const before = await sql<{ id: number }[]>`select id from access_log where user_id = ${op.id}`;

		const page = await loadOf(inboundLoad, op);
		expect(page.held).toEqual({ householdId: claim.householdId, kind: 'outbound', label: await nhiOf(claim.householdId) });
		expect(page.resumed).toBeNull();
		// the claim was logged when taken (household.claim); naming it again reads no household data
		const after = await sql<{ action: string }[]>`select action from access_log where user_id = ${op.id} and id > ${before.at(-1)?.id ?? 0}`;
		expect(after).toEqual([]);
		// another operator, holding nothing, is told of nothing
		const other = await newOperator(sql, [seg]);
		expect((await loadOf(inboundLoad, other)).held).toBeNull();
	});

	it('once the inbound outcome is recorded, the desk loads with nothing held', async () => {
		const seg = await newSegment(sql);
		const h = await newHousehold(sql, { segmentId: seg, phone: '03-1234-5678' });
		const op = await newOperator(sql, []);
		await openInbound(op, { householdId: h, note });
		await recordCallOutcome(op, { householdId: h, outcomeCode: '20', party: 'self', note: '受電', idempotencyKey: crypto.randomUUID() });
		const desk = await loadOf(deskLoad, op);
		expect(desk.claim).toBeNull();
		expect(desk.card).toBeNull();
	});

	it('without a note, only the household held on an inbound call may be read: any other still needs the note', async () => {
		const seg = await newSegment(sql);
		const held = await newHousehold(sql, { segmentId: seg });
		const other = await newHousehold(sql, { segmentId: seg });
		const op = await newOperator(sql, [seg]);
		await expect(readHouseholdCard(op, { householdId: other, reason: 'inbound' })).rejects.toMatchObject({ code: 'invalid_input', details: { note: expect.any(String) } });
		// a household held on an outbound call is not an inbound call
		const claimed = await claimNextHousehold(op);
		await expect(readHouseholdCard(op, { householdId: claimed.householdId, reason: 'inbound' })).rejects.toMatchObject({ code: 'invalid_input' });
		await sql`update call_queue set state = 'ready', claimed_by = null, claim_expires_at = null, claim_kind = null where claimed_by = ${op.id}`;

		await openInbound(op, { householdId: held, note });
		expect((await readHouseholdCard(op, { householdId: held, reason: 'inbound' })).id).toBe(held);
		await expect(readHouseholdCard(op, { householdId: other, reason: 'inbound' })).rejects.toMatchObject({ code: 'invalid_input', details: { note: expect.any(String) } });
		// another operator cannot ride on this operator's hold
		const op2 = await newOperator(sql, []);
		await expect(readHouseholdCard(op2, { householdId: held, reason: 'inbound' })).rejects.toMatchObject({ code: 'invalid_input' });
	});
});

describe('the outcome of an inbound call', () => {
	it('refuses 不在 / 留守番電話 / 話中 / 番号誤り / 不使用 for an inbound call, and records one that fits', async () => {
		const seg = await newSegment(sql);
		const h = await newHousehold(sql, { segmentId: seg, phone: '03-1234-5678' });
		const op = await newOperator(sql, []);
		await openInbound(op, { householdId: h, note });
		const [phone] = await sql<{ id: number }[]>`select id from phones where household_id = ${h}`;
		for (const code of ['10', '11', '12', '30', '31']) {
			await expect(
				recordCallOutcome(op, { householdId: h, outcomeCode: code, phoneId: phone.id, idempotencyKey: crypto.randomUUID() }),
				code
			).rejects.toMatchObject({ code: 'invalid_input', details: { outcomeCode: 'notInbound' } });
		}
		const saved = await recordCallOutcome(op, { householdId: h, outcomeCode: '21', party: 'family', idempotencyKey: crypto.randomUUID() });
		const [call] = await sql<{ direction: string; outcomeCode: string }[]>`select direction, outcome_code from calls where id = ${saved.callId}`;
		expect(call).toEqual({ direction: 'inbound', outcomeCode: '21' });
	});

	it('an outbound call may still be 不在', async () => {
		const seg = await newSegment(sql);
		await newHousehold(sql, { segmentId: seg, phone: '03-1234-5678' });
		const op = await newOperator(sql, [seg]);
		const claim = await claimNextHousehold(op);
		const saved = await recordCallOutcome(op, { householdId: claim.householdId, outcomeCode: '10', idempotencyKey: crypto.randomUUID() });
		expect(saved.callId).toBeGreaterThan(0);
	});
});

describe('a refused inbound search', () => {
	it('names the field by a stable code and its limit (the page words it in the user’s language)', async () => {
		const op = await newOperator(sql, []);
		await expect(searchHouseholds(op, { q: 'あ'.repeat(500) })).rejects.toMatchObject({ code: 'invalid_input', details: { q: 'too_long' }, params: { q: { max: 100 } } });
	});
});
