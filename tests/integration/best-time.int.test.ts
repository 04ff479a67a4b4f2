/**
 * Best time to call (issue #8) against the real database: the heatmap's cells equal direct counts of the call rows
 * by Tokyo weekday and hour, the segment and language filters narrow them, inbound calls are left out, bad input
 * is refused by field, and only managers and supervisors read it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSql, resetDb } from '../helpers/db.ts';
import { newHousehold, newOperator, newSegment, newUser } from '../helpers/factories.ts';
import { closeDb } from '../../src/lib/server/db.ts';
import { bestTime, clearSlotPriorCache, refreshSlotAnswerRates } from '../../src/lib/server/reports/best-time.ts';
import { factsFor } from '../../src/lib/server/queue/facts.queries.ts';
import { slotPriors } from '../../src/lib/domain/best-time.ts';
import { contactProbability } from '../../src/lib/domain/priority.ts';
import type { Actor } from '../../src/lib/server/auth/actor.ts';

const sql = testSql();
afterAll(async () => {
	await sql.end();
	await closeDb();
});

describe('best time to call', () => {
	let manager: Actor;
	let segA = 0;
	let segB = 0;
	let ha = 0;
	let hb = 0;
	beforeAll(async () => {
		await resetDb(sql);
		segA = await newSegment(sql);
		segB = await newSegment(sql);
		const op = await newOperator(sql, [segA, segB]);
		manager = await newUser(sql, 'manager');
		ha = await newHousehold(sql, { segmentId: segA });
		hb = await newHousehold(sql, { segmentId: segB });
		await sql`update households set language = 'vi' where id = ${hb}`;
		// Monday 2026-11-23 10:xx Tokyo: 3 attempts in A (1 answered); Wednesday 2026-11-25 19:xx: 2 in B (2 answered);
		// an inbound call on Monday 10:xx that must not count
		const call = (h: number, seg: number, at: string, code: string, direction = 'outbound') =>
			sql`insert into calls (household_id, segment_id, operator_id, direction, party, outcome_code, started_at, recorded_at)
				values (${h}, ${seg}, ${op.id}, ${direction}, 'none', ${code}, ${at}::timestamptz, ${at}::timestamptz)`;
		await call(ha, segA, '2026-11-23T10:05:00+09:00', '10');
		await call(ha, segA, '2026-11-23T10:20:00+09:00', '11');
		await call(ha, segA, '2026-11-23T10:40:00+09:00', '20');
		await call(ha, segA, '2026-11-23T10:50:00+09:00', '20', 'inbound');
		await call(hb, segB, '2026-11-25T19:10:00+09:00', '21');
		await call(hb, segB, '2026-11-25T19:30:00+09:00', '40');
	});

	const cell = (r: Awaited<ReturnType<typeof bestTime>>, w: number, h: number) => r.rows.find((x) => x.weekday === w)!.cells.find((c) => c.hour === h)!;

	it('counts outbound attempts and answers by Tokyo weekday and hour, as the call rows say', async () => {
		const r = await bestTime(manager, { from: '2026-11-01', to: '2026-11-30' });
		expect(cell(r, 1, 10)).toMatchObject({ attempts: 3, answered: 1 });
		expect(cell(r, 3, 19)).toMatchObject({ attempts: 2, answered: 2 });
		expect(r.attempts).toBe(5);
		const [direct] = await sql<{ n: number }[]>`select count(*)::int as n from calls where direction = 'outbound' and recorded_at >= '2026-11-01T00:00:00+09:00' and recorded_at < '2026-12-01T00:00:00+09:00'`;
		expect(r.attempts).toBe(direct.n);
		expect(r.overall).toBeCloseTo(3 / 5);
		// few attempts: no rate shown
		expect(cell(r, 1, 10).rate).toBeNull();
		expect(r.segments.map((s) => s.id)).toEqual(expect.arrayContaining([segA, segB]));
		expect(r.languages).toEqual(expect.arrayContaining(['ja', 'vi']));
	});

	it('narrows by segment and by language; a period with no calls has no rate', async () => {
		const a = await bestTime(manager, { from: '2026-11-01', to: '2026-11-30', segment: String(segA) });
		expect(a.attempts).toBe(3);
		const vi = await bestTime(manager, { from: '2026-11-01', to: '2026-11-30', language: 'vi' });
		expect(vi.attempts).toBe(2);
		expect((await bestTime(manager, { from: '2026-11-01', to: '2026-11-30', language: 'foreign' })).attempts).toBe(2);
		expect((await bestTime(manager, { from: '2026-11-01', to: '2026-11-30', language: 'ja' })).attempts).toBe(3);
		const empty = await bestTime(manager, { from: '2026-10-01', to: '2026-10-31' });
		expect(empty).toMatchObject({ attempts: 0, overall: null, best: [] });
	});

	it('refuses bad input by field, and operators, staff and administrators', async () => {
		// each field's problem as a stable code the page words in the user's language (date-range.ts)
		await expect(bestTime(manager, { from: '2026-13-01' })).rejects.toMatchObject({ code: 'invalid_input', details: { from: 'no_such_date' } });
		await expect(bestTime(manager, { from: '2026/11/01' })).rejects.toMatchObject({ code: 'invalid_input', details: { from: 'date_format' } });
		await expect(bestTime(manager, { from: '2026-11-30', to: '2026-11-01' })).rejects.toMatchObject({ details: { to: 'date_order' } });
		await expect(bestTime(manager, { language: 'Vietnamese' })).rejects.toMatchObject({ details: { language: 'invalid' } });
		await expect(bestTime(manager, { segment: 'x' })).rejects.toMatchObject({ details: { segment: 'invalid' } });
		for (const role of ['operator', 'staff', 'admin', 'auditor'] as const) await expect(bestTime(await newUser(sql, role), {})).rejects.toMatchObject({ code: 'forbidden' });
		expect((await bestTime(await newUser(sql, 'supervisor'), { from: '2026-11-01', to: '2026-11-30' })).attempts).toBe(5);
	});

	it('feeds the queue: the season’s answer rates per slot and language group become each household’s starting point', async () => {
		clearSlotPriorCache();
		// nothing counted yet: no prior, the household's own Laplace estimate
		expect((await factsFor(sql, [ha], '2026-11-29'))[0].slotPrior).toBeUndefined();
		const now = new Date('2026-11-29T12:00:00+09:00');
		expect(await refreshSlotAnswerRates(sql, { now })).toEqual({ refreshed: true, attempts: 5 });
		expect(await refreshSlotAnswerRates(sql, { now })).toEqual({ refreshed: false }); // fresh for 6 hours
		const rows = await sql<{ languageGroup: string; slot: string; attempts: number; answered: number }[]>`
			select language_group, slot, attempts::int, answered::int from slot_answer_rates order by 1, 2`;
		// as the call rows say: ja (household A) 3 morning attempts, 1 answered; other (B, vi) 2 evening, 2 answered; inbound not counted
		expect(rows).toEqual([
			{ languageGroup: 'ja', slot: 'morning', attempts: 3, answered: 1 },
			{ languageGroup: 'other', slot: 'evening', attempts: 2, answered: 2 }
		]);
		clearSlotPriorCache();
		const [fa] = await factsFor(sql, [ha], '2026-11-29');
		const [fb] = await factsFor(sql, [hb], '2026-11-29');
		expect(fa.slotPrior).toEqual(slotPriors([{ slot: 'morning', attempts: 3, answered: 1 }]));
		expect(fb.slotPrior).toEqual(slotPriors([{ slot: 'evening', attempts: 2, answered: 2 }]));
		// B's group answers in the evening: its evening estimate is above its morning one
		expect(contactProbability(fb, 'evening')).toBeGreaterThan(contactProbability(fb, 'morning'));
	});
});
