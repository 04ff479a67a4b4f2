import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { testSql, resetDb } from '../helpers/db.ts';
import { newHousehold, newOperator, newSegment, newUser } from '../helpers/factories.ts';
import { claimNextHousehold, currentClaim, releaseHousehold, sweepQueue } from '../../src/lib/server/queue/claims.ts';
import { closeDb } from '../../src/lib/server/db.ts';
import { DomainError } from '../../src/lib/server/errors.ts';

const sql = testSql();
afterAll(async () => {
	await sql.end();
	await closeDb();
});
beforeEach(() => resetDb(sql));

describe('claimNextHousehold', () => {
	it('gives 50 concurrent operators 50 distinct households', async () => {
		const seg = await newSegment(sql);
		for (let i = 0; i < 60; i++) await newHousehold(sql, { segmentId: seg });
		const ops = [];
		for (let i = 0; i < 50; i++) ops.push(await newOperator(sql, [seg]));

		const claims = await Promise.all(ops.map((op) => claimNextHousehold(op)));

		const ids = claims.map((c) => c.householdId);
		expect(new Set(ids).size).toBe(50);
		const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from call_queue where state = 'claimed'`;
		expect(n).toBe(50);
		const holders = await sql<{ claimedBy: number }[]>`select claimed_by from call_queue where state = 'claimed'`;
		expect(new Set(holders.map((h) => h.claimedBy)).size).toBe(50);
	});

	it('gives the largest arrears first, and only from the operator’s segments', async () => {
		const a = await newSegment(sql);
		const b = await newSegment(sql);
		await newHousehold(sql, { segmentId: a, owed: 5_000 });
		const big = await newHousehold(sql, { segmentId: a, owed: 90_000 });
		await newHousehold(sql, { segmentId: b, owed: 500_000 });
		const op = await newOperator(sql, [a]);
		expect((await claimNextHousehold(op)).householdId).toBe(big);
	});

	it('returns the household the operator already holds, with a renewed lease', async () => {
		const seg = await newSegment(sql);
		await newHousehold(sql, { segmentId: seg });
		await newHousehold(sql, { segmentId: seg });
		const op = await newOperator(sql, [seg]);
		const first = await claimNextHousehold(op);
		const again = await claimNextHousehold(op);
		expect(again.householdId).toBe(first.householdId);
		expect(again.resumed).toBe(true);
		expect((await currentClaim(op))?.householdId).toBe(first.householdId);
	});

	it('gives one operator pressing twice at once one household, without an error', async () => {
		const seg = await newSegment(sql);
		for (let i = 0; i < 5; i++) await newHousehold(sql, { segmentId: seg });
		const op = await newOperator(sql, [seg]);
		const [a, b, c] = await Promise.all([claimNextHousehold(op), claimNextHousehold(op), claimNextHousehold(op)]);
		expect(new Set([a.householdId, b.householdId, c.householdId]).size).toBe(1);
		const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from call_queue where claimed_by = ${op.id}`;
		expect(n).toBe(1);
	});

	it('ignores inactive segments', async () => {
		const seg = await newSegment(sql);
		await newHousehold(sql, { segmentId: seg });
		const op = await newOperator(sql, [seg]);
		await sql`update segments set active = false where id = ${seg}`;
		await expect(claimNextHousehold(op)).rejects.toMatchObject({ code: 'queue_empty' });
	});

	it('says queue_empty when nothing is callable, and never hands out waiting households', async () => {
		const seg = await newSegment(sql);
		await newHousehold(sql, { segmentId: seg, state: 'waiting' });
		const op = await newOperator(sql, [seg]);
		await expect(claimNextHousehold(op)).rejects.toMatchObject({ code: 'queue_empty' });
	});

	it('refuses roles that do not claim', async () => {
		const sv = await newUser(sql, 'supervisor');
		await expect(claimNextHousehold(sv)).rejects.toBeInstanceOf(DomainError);
		await expect(claimNextHousehold(sv)).rejects.toMatchObject({ code: 'forbidden' });
	});

	it('returns an abandoned household to the queue when its lease lapses', async () => {
		const seg = await newSegment(sql);
		const only = await newHousehold(sql, { segmentId: seg });
		const gone = await newOperator(sql, [seg]);
		const other = await newOperator(sql, [seg]);
		expect((await claimNextHousehold(gone)).householdId).toBe(only);
		await expect(claimNextHousehold(other)).rejects.toMatchObject({ code: 'queue_empty' });

		// the operator stops sending heartbeats; time passes beyond the lease
		await sql`update call_queue set claim_expires_at = now() - interval '1 second' where household_id = ${only}`;
		const swept = await sweepQueue();
		expect(swept.lapsed).toBe(1);

		expect((await claimNextHousehold(other)).householdId).toBe(only);
		expect(await currentClaim(gone)).toBeNull();
	});

	it('promotes waiting households when their time comes', async () => {
		const seg = await newSegment(sql);
		const h = await newHousehold(sql, { segmentId: seg, state: 'waiting' });
		await sql`update call_queue set next_eligible_at = now() - interval '1 minute' where household_id = ${h}`;
		expect((await sweepQueue()).promoted).toBe(1);
		const op = await newOperator(sql, [seg]);
		expect((await claimNextHousehold(op)).householdId).toBe(h);
	});

	it('lets an operator give a household back, and only one they hold', async () => {
		const seg = await newSegment(sql);
		const h = await newHousehold(sql, { segmentId: seg });
		const op = await newOperator(sql, [seg]);
		const other = await newOperator(sql, [seg]);
		await claimNextHousehold(op);
		await expect(releaseHousehold(other, { householdId: h })).rejects.toMatchObject({ code: 'claim_not_held' });
		await expect(releaseHousehold(op, { householdId: 'abc' })).rejects.toMatchObject({ code: 'invalid_input' });
		await releaseHousehold(op, { householdId: h });
		const [row] = await sql<{ state: string }[]>`select state from call_queue where household_id = ${h}`;
		expect(row.state).toBe('ready');
	});
});
