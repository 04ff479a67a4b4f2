import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { testSql, resetDb } from '../helpers/db.ts';
import { newHousehold, newOperator, newSegment, newUser } from '../helpers/factories.ts';
import { claimNextHousehold } from '../../src/lib/server/queue/claims.ts';
import { readHouseholdCard } from '../../src/lib/server/households/households.ts';
import { closeDb } from '../../src/lib/server/db.ts';

const sql = testSql();
afterAll(async () => {
	await sql.end();
	await closeDb();
});
beforeEach(() => resetDb(sql));

describe('readHouseholdCard (field policy + access log)', () => {
	it('gives an operator the call card and nothing more, and logs what was disclosed', async () => {
		const seg = await newSegment(sql);
		const h = await newHousehold(sql, { segmentId: seg, owed: 12_345 });
		const op = await newOperator(sql, [seg]);
		await claimNextHousehold(op);
		const card = await readHouseholdCard(op, { householdId: h, reason: 'outbound' });
		expect(card.payerName).toMatch(/^試験　太郎/);
		expect(card.arrears?.total).toBe(12_345);
		expect(card.arrears?.periods).toEqual([{ fiscalYear: 2025, period: 1, dueDate: '2025-06-30', owed: 12_345 }]);
		expect(card.phones).toHaveLength(1);
		expect(card.address?.address).toBe('東京都新宿区西新宿1-1-1'); // for reminder letters
		// not selected at all for an operator
		expect(card.members).toBeUndefined();
		expect(card.income).toBeUndefined();
		expect(card.caseHistory).toBeUndefined();
		const [log] = await sql<{ action: string; householdId: number; fields: string[]; reason: string }[]>`
			select action, household_id, fields, reason from access_log where user_id = ${op.id} and action = 'household.view'`;
		expect(log.action).toBe('household.view');
		expect(log.householdId).toBe(h);
		expect(log.reason).toBe('outbound');
		expect(log.fields).toContain('phones');
		expect(log.fields).not.toContain('income');
	});

	it('lets an operator call on only the household they hold', async () => {
		const seg = await newSegment(sql);
		const held = await newHousehold(sql, { segmentId: seg, owed: 90_000 });
		const other = await newHousehold(sql, { segmentId: seg, owed: 1_000 });
		const op = await newOperator(sql, [seg]);
		expect((await claimNextHousehold(op)).householdId).toBe(held);
		await expect(readHouseholdCard(op, { householdId: other, reason: 'outbound' })).rejects.toMatchObject({ code: 'forbidden' });
		expect((await readHouseholdCard(op, { householdId: held, reason: 'outbound' })).id).toBe(held);
		const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from access_log where action = 'household.view'`;
		expect(n).toBe(1);
		const [{ denied }] = await sql<{ denied: number }[]>`select count(*)::int as denied from access_log where action = 'household.denied' and household_id = ${other}`;
		expect(denied).toBe(1);
	});

	it('gives ward staff the fuller record', async () => {
		const seg = await newSegment(sql);
		const h = await newHousehold(sql, { segmentId: seg });
		const staff = await newUser(sql, 'staff');
		await sql`insert into handoffs (household_id, reason, created_by) values (${h}, 'installment', ${staff.id})`;
		const card = await readHouseholdCard(staff, { householdId: h, reason: 'handoff' });
		expect(card.address?.address).toBe('東京都新宿区西新宿1-1-1');
		expect(card.members).toHaveLength(1);
	});

	it('refuses roles that read no household data, and logs the refusal', async () => {
		const seg = await newSegment(sql);
		const h = await newHousehold(sql, { segmentId: seg });
		for (const role of ['manager', 'admin', 'auditor'] as const) {
			const u = await newUser(sql, role);
			await expect(readHouseholdCard(u, { householdId: h, reason: 'review' })).rejects.toMatchObject({ code: 'forbidden' });
		}
		const actions = await sql<{ action: string }[]>`select action from access_log`;
		expect(actions.map((a) => a.action)).toEqual(['household.denied', 'household.denied', 'household.denied']);
	});

	it('names bad input, and answers an unknown household like one out of scope', async () => {
		const op = await newUser(sql, 'staff');
		await expect(readHouseholdCard(op, { householdId: 'abc', reason: 'outbound' })).rejects.toMatchObject({ code: 'invalid_input' });
		await expect(readHouseholdCard(op, { householdId: 1, reason: 'curiosity' })).rejects.toMatchObject({ code: 'invalid_input', details: { reason: expect.any(String) } });
		await expect(readHouseholdCard(op, { householdId: '1e20', reason: 'review' })).rejects.toMatchObject({ code: 'invalid_input' });
		await expect(readHouseholdCard(op, { householdId: 999999, reason: 'review' })).rejects.toMatchObject({ code: 'forbidden' });
	});
});
