import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { testSql, resetDb } from '../helpers/db.ts';
import { newHousehold, newOperator, newSegment, newUser } from '../helpers/factories.ts';
import {
	createSegment,
	previewSegment,
	segmentsOverview,
	setAssignments,
	setSegmentActive,
	StaleSegmentError,
	updateSegment
} from '../../src/lib/server/segments/segments.ts';
import { explainHousehold, findHouseholdByNhi } from '../../src/lib/server/segments/explain.ts';
import { claimNextHousehold } from '../../src/lib/server/queue/claims.ts';
import { rebuildQueue } from '../../src/lib/server/queue/placement.ts';
import { closeDb } from '../../src/lib/server/db.ts';
import { DomainError } from '../../src/lib/server/errors.ts';
import type { Actor } from '../../src/lib/server/auth/actor.ts';

const sql = testSql();
afterAll(async () => {
	await sql.end();
	await closeDb();
});
beforeEach(async () => {
	await resetDb(sql);
	await sql`delete from calling_rules`;
});

/** A Tuesday at 10:00 in Tokyo: inside the default calling window, whatever time the tests run. */
const TUESDAY_10AM = new Date('2026-11-24T01:00:00Z');

async function refusal(p: Promise<unknown>): Promise<DomainError> {
	try {
		await p;
	} catch (e) {
		if (e instanceof DomainError) return e;
		throw e;
	}
	throw new Error('expected a refusal');
}

async function logRows(action: string) {
	return sql<{ userId: number | null; reason: string | null; householdId: number | null; fields: string[] | null }[]>`
		select user_id, reason, household_id, fields from access_log where action = ${action} order by id`;
}

/** A catch-all segment and households owing 5,000 … 200,000, placed from their facts. */
async function floor(): Promise<{ general: number; sv: Actor; owed: Map<number, number> }> {
	const general = await newSegment(sql, 'general');
	await sql`update segments set sort_order = 90 where id = ${general}`;
	const owed = new Map<number, number>();
	for (const amount of [5_000, 20_000, 60_000, 80_000, 150_000, 200_000]) owed.set(await newHousehold(sql, { segmentId: general, owed: amount }), amount);
	await sql.begin((tx) => rebuildQueue(tx));
	const sv = await newUser(sql, 'supervisor');
	return { general, sv, owed };
}

const base = { nameJa: '高額', nameEn: 'High', description: '', sortOrder: 10 };

describe('creating a segment', () => {
	it('refuses bad input and names each field', async () => {
		const { sv } = await floor();
		const e = await refusal(createSegment(sv, { code: 'Bad Code', nameJa: '', nameEn: 'x', sortOrder: 'ten', filter: { minOwed: '5万', languages: [] } }));
		expect(e.code).toBe('invalid_input');
		expect(Object.keys(e.details!).sort()).toEqual(['code', 'filter.languages', 'filter.minOwed', 'nameJa', 'sortOrder']);
		expect(e.details!.code).toBe('code_format');
		expect(e.details!.nameJa).toBe('required');
		// the filter's problems are codes too (the editor words them next to the field), its English in the message
		expect(e.details!['filter.minOwed']).toBe('whole_number');
		expect(e.details!['filter.languages']).toBe('choose_one');
		expect(e.message).toContain('filter.minOwed: must be an amount in yen');
		expect((await sql`select count(*)::int as n from segments`)[0].n).toBe(1);
	});

	it('refuses a code in use', async () => {
		const { sv } = await floor();
		const e = await refusal(createSegment(sv, { ...base, code: 'general', filter: {} }));
		expect(e.details).toEqual({ code: 'taken' });
	});

	it('is for supervisors only', async () => {
		await floor();
		const op = await newUser(sql, 'operator');
		expect((await refusal(createSegment(op, { ...base, code: 'high', filter: {} }))).code).toBe('forbidden');
		expect((await refusal(previewSegment(op, { sortOrder: 1, filter: {} }))).code).toBe('forbidden');
	});

	it('the preview count equals the households placed in it after the save, and the save is logged and re-places the queue', async () => {
		const { sv, general, owed } = await floor();
		const filter = { minOwed: 50_000, maxOwed: 180_000 };
		const preview = await previewSegment(sv, { sortOrder: 10, filter });
		expect(preview).toMatchObject({ matching: 3, placed: 3, households: 6 });

		const s = await createSegment(sv, { ...base, code: 'high', filter });
		const placed = await sql<{ householdId: number }[]>`select household_id from call_queue where segment_id = ${s.id} order by household_id`;
		expect(placed.length).toBe(preview.placed);
		expect(placed.map((r) => owed.get(r.householdId)).sort((a, b) => a! - b!)).toEqual([60_000, 80_000, 150_000]);
		expect(s.counts.size).toBe(3);
		expect((await sql`select count(*)::int as n from call_queue where segment_id = ${general}`)[0].n).toBe(3);

		const log = await logRows('segment.create');
		expect(log).toHaveLength(1);
		expect(log[0]).toMatchObject({ userId: sv.id, householdId: null });
		expect(log[0].reason).toContain(`segment ${s.id} high`);
	});

	it('a new segment with the same order as an existing one comes after it (higher id): the preview says so too', async () => {
		const { sv, general } = await floor();
		const [{ sortOrder }] = await sql<{ sortOrder: number }[]>`select sort_order from segments where id = ${general}`;
		const preview = await previewSegment(sv, { sortOrder, filter: { minOwed: 50_000 } });
		expect(preview).toMatchObject({ matching: 4, placed: 0 });
		const s = await createSegment(sv, { ...base, code: 'tie', sortOrder, filter: { minOwed: 50_000 } });
		expect(s.counts.size).toBe(preview.placed);
	});

	it('a segment after the catch-all in order previews as matching but taking nothing', async () => {
		const { sv } = await floor();
		const preview = await previewSegment(sv, { sortOrder: 100, filter: { minOwed: 50_000 } });
		expect(preview).toMatchObject({ matching: 4, placed: 0 });
		const s = await createSegment(sv, { ...base, code: 'late', sortOrder: 100, filter: { minOwed: 50_000 } });
		expect(s.counts.size).toBe(0);
	});

	it('lists segments with their live counts and operators', async () => {
		const { sv, general } = await floor();
		const op = await newOperator(sql, [general]);
		const o = await segmentsOverview(sv);
		expect(o.segments).toHaveLength(1);
		expect(o.segments[0]).toMatchObject({ id: general, counts: { ready: 6, size: 6, claimed: 0, waiting: 0, closed: 0 } });
		expect(o.segments[0].operators.map((x) => x.id)).toEqual([op.id]);
		expect(o.segments[0].filterText).toEqual(['全世帯（条件なし）']);
	});
});

describe('editing a segment', () => {
	it('a stale save is refused with the current values, never overwriting them', async () => {
		const { sv } = await floor();
		const other = await newUser(sql, 'supervisor');
		const s = await createSegment(sv, { ...base, code: 'high', filter: { minOwed: 50_000 } });

		const first = await updateSegment(other, { ...base, segmentId: s.id, version: s.version, nameJa: '高額（先に保存）', filter: { minOwed: 100_000 } });
		expect(first.version).toBe(s.version + 1);

		const e = await refusal(updateSegment(sv, { ...base, segmentId: s.id, version: s.version, nameJa: '高額（後から）', filter: { minOwed: 10_000 } }));
		expect(e).toBeInstanceOf(StaleSegmentError);
		expect(e.code).toBe('conflict');
		const current = (e as StaleSegmentError).current;
		expect(current).toMatchObject({ version: first.version, nameJa: '高額（先に保存）', filter: { minOwed: 100_000 } });
		const [row] = await sql<{ nameJa: string; filter: unknown; version: number }[]>`select name_ja, filter, version from segments where id = ${s.id}`;
		expect(row).toEqual({ nameJa: '高額（先に保存）', filter: { minOwed: 100_000 }, version: first.version });
		// the winner's filter placed the queue: 150,000 and 200,000
		expect((await sql`select count(*)::int as n from call_queue where segment_id = ${s.id}`)[0].n).toBe(2);
		expect(await logRows('segment.update')).toHaveLength(1);
	});

	it('saving again from the current version goes through', async () => {
		const { sv } = await floor();
		const s = await createSegment(sv, { ...base, code: 'high', filter: {} });
		const a = await updateSegment(sv, { ...base, segmentId: s.id, version: s.version, filter: { minOwed: 1 } });
		const b = await updateSegment(sv, { ...base, segmentId: s.id, version: a.version, filter: { minOwed: 2 } });
		expect(b.version).toBe(s.version + 2);
	});

	it('pause moves its households to the next segment; resume takes them back', async () => {
		const { sv, general } = await floor();
		const s = await createSegment(sv, { ...base, code: 'high', filter: { minOwed: 100_000 } });
		expect(s.counts.size).toBe(2);
		const paused = await setSegmentActive(sv, { segmentId: s.id, version: s.version, active: false });
		expect(paused.active).toBe(false);
		expect((await sql`select count(*)::int as n from call_queue where segment_id = ${general}`)[0].n).toBe(6);
		expect((await refusal(setSegmentActive(sv, { segmentId: s.id, version: s.version, active: true }))).code).toBe('conflict');
		const resumed = await setSegmentActive(sv, { segmentId: s.id, version: paused.version, active: true });
		expect(resumed.counts.size).toBe(2);
		expect((await logRows('segment.update')).map((r) => r.reason)).toEqual([expect.stringContaining('paused'), expect.stringContaining('resumed')]);
	});

	it('publishes segment:changed with the new version', async () => {
		const { sv } = await floor();
		const listener = testSql();
		const got: unknown[] = [];
		await listener.listen('kansho_events', (p) => {
			const e = JSON.parse(p);
			if (e.type === 'segment:changed') got.push(e.data);
		});
		const s = await createSegment(sv, { ...base, code: 'high', filter: {} });
		await updateSegment(sv, { ...base, segmentId: s.id, version: s.version, filter: { minOwed: 1 } });
		await expect.poll(() => got.length).toBe(2);
		expect(got).toEqual([{ segmentId: s.id, version: s.version }, { segmentId: s.id, version: s.version + 1 }]);
		await listener.end();
	});
});

describe('assignments', () => {
	it('change what the next claim returns, and are logged', async () => {
		const { sv, general, owed } = await floor();
		const high = await createSegment(sv, { ...base, code: 'high', filter: { minOwed: 100_000 } });
		const op = await newOperator(sql, [general]);

		const first = await claimNextHousehold(op, { now: TUESDAY_10AM });
		expect(first.segmentId).toBe(general);
		expect(owed.get(first.householdId)).toBeLessThan(100_000);
		await sql`update call_queue set state = 'ready', claimed_by = null, claimed_at = null, claim_expires_at = null where household_id = ${first.householdId}`;

		const r = await setAssignments(sv, { operatorIds: [op.id], segmentIds: [general, high.id], pairs: [{ userId: op.id, segmentId: high.id }] });
		expect(r).toEqual({ added: 1, removed: 1 });
		const next = await claimNextHousehold(op, { now: TUESDAY_10AM });
		expect(next.segmentId).toBe(high.id);
		expect(owed.get(next.householdId)).toBe(200_000);

		const log = await logRows('segment.assign');
		expect(log.map((x) => x.reason).sort()).toEqual([`operator ${op.id} assigned to segment ${high.id}`, `operator ${op.id} unassigned from segment ${general}`]);
	});

	it('only touch the operators and segments the form showed', async () => {
		const { sv, general } = await floor();
		const other = await newSegment(sql, 'other');
		const op = await newOperator(sql, [general, other]);
		await setAssignments(sv, { operatorIds: [op.id], segmentIds: [general], pairs: [] });
		const rows = await sql<{ segmentId: number }[]>`select segment_id from operator_segments where user_id = ${op.id}`;
		expect(rows.map((x) => x.segmentId)).toEqual([other]);
	});

	it('refuse a checked pair outside what was shown, and non-operators are not assigned', async () => {
		const { sv, general } = await floor();
		const op = await newOperator(sql, []);
		expect((await refusal(setAssignments(sv, { operatorIds: [], segmentIds: [general], pairs: [{ userId: op.id, segmentId: general }] }))).code).toBe('invalid_input');
		const r = await setAssignments(sv, { operatorIds: [sv.id], segmentIds: [general], pairs: [{ userId: sv.id, segmentId: general }] });
		expect(r.added).toBe(0);
	});
});

describe('why is this household next', () => {
	it('explains its segment, the segments before it, its queue state, score and place in line, and logs the read', async () => {
		const { sv, general, owed } = await floor();
		const high = await createSegment(sv, { ...base, code: 'high', filter: { minOwed: 100_000 } });
		const small = [...owed].find(([, o]) => o === 60_000)![0];
		const x = await explainHousehold(sv, { householdId: small });
		expect(x.segmentId).toBe(general);
		expect(x.segments.map((s) => s.id)).toEqual([high.id, general]);
		expect(x.segments[0]).toMatchObject({ matches: false, conditions: [{ field: 'minOwed', ok: false, actual: 60_000, hidden: false }] });
		expect(x.queue).toMatchObject({ state: 'ready', segmentId: general });
		// general's ready households: 80,000, 60,000, 20,000, 5,000 — highest priority first
		expect(x.place).toEqual({ n: 2, total: 4, segmentId: general });
		expect(x.score!.reasons.map((r) => r.code)).toContain('arrears');

		const log = await logRows('household.view');
		expect(log).toEqual([expect.objectContaining({ userId: sv.id, householdId: small, reason: 'explain' })]);
		expect(log[0].fields).toEqual(expect.arrayContaining(['identity', 'arrears']));
	});

	it('says why a waiting household is not callable and when it becomes callable', async () => {
		const { sv, owed } = await floor();
		const h = [...owed].find(([, o]) => o === 20_000)![0];
		const at = new Date(Date.now() + 3 * 3600_000);
		await sql`update call_queue set state = 'waiting', next_eligible_at = ${at}, wait_reason = 'gap' where household_id = ${h}`;
		const x = await explainHousehold(sv, { householdId: h });
		expect(x.callableNow).toBe(false);
		expect(x.notCallable).toEqual([{ code: 'waiting', at: at.toISOString(), text: '前回架電からの間隔' }]);
		expect(x.place).toBeNull();
	});

	it('does not show values the supervisor may not read (bank transfer), only whether the condition holds', async () => {
		const { sv, owed } = await floor();
		await createSegment(sv, { ...base, code: 'nobank', filter: { bankTransfer: true } });
		const h = [...owed.keys()][0];
		const x = await explainHousehold(sv, { householdId: h });
		expect(x.segments[0].conditions).toEqual([{ field: 'bankTransfer', ok: false, actual: null, hidden: true }]);
		const [row] = await logRows('household.view');
		expect(row.fields).not.toContain('bankTransfer');
	});

	it('finds a household by NHI number (full-width digits too) and refuses others', async () => {
		const { sv, owed } = await floor();
		const h = [...owed.keys()][0];
		const [{ nhiNumber }] = await sql<{ nhiNumber: string }[]>`select nhi_number from households where id = ${h}`;
		const wide = nhiNumber.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
		expect(await findHouseholdByNhi(sv, { nhiNumber: wide })).toBe(h);
		expect((await refusal(findHouseholdByNhi(sv, { nhiNumber: '99999999' }))).code).toBe('not_found');
		const op = await newUser(sql, 'operator');
		expect((await refusal(explainHousehold(op, { householdId: h }))).code).toBe('forbidden');
	});
});
