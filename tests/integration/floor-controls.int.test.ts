/**
 * The supervisor's floor controls (issue #6) against a real PostgreSQL, and a real instance for what operators'
 * sockets receive: a stale edit is refused with the current value and changes nothing; a message reaches only its
 * recipients; releasing a stuck claim tells the operator and makes the household claimable; reassignment changes
 * the next claim; every control is in the access log and today's changes; non-supervisors are refused.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { testSql, resetDb } from '../helpers/db.ts';
import { newHousehold, newOperator, newSegment, newUser, TEST_PASSWORD } from '../helpers/factories.ts';
import { connectSocket, startInstance, type Instance } from '../helpers/server.ts';
import { eventually, liveEvents } from '../helpers/events.ts';
import {
	assignOperator,
	floorControlsFor,
	moveSegment,
	releaseStuckClaim,
	sendFloorMessage,
	setDayTargets,
	setSegmentPaused,
	setThresholds,
	StaleFloorError
} from '../../src/lib/server/floor/floor.ts';
import { floorControls } from '../../src/lib/server/floor/floor.queries.ts';
import { segmentsOverview, setAssignments, StaleAssignmentsError } from '../../src/lib/server/segments/segments.ts';
import { claimNextHousehold } from '../../src/lib/server/queue/claims.ts';
import { callingRulesState, saveCallingRules } from '../../src/lib/server/queue/rules.ts';
import { signIn } from '../../src/lib/server/auth/sessions.ts';
import { closeDb } from '../../src/lib/server/db.ts';
import { DomainError } from '../../src/lib/server/errors.ts';
import type { Actor } from '../../src/lib/server/auth/actor.ts';
import type { FloorMessageView, ClaimLost } from '../../src/lib/realtime/events.ts';

const sql = testSql();
afterAll(async () => {
	await sql.end();
	await closeDb();
});
beforeEach(async () => {
	await resetDb(sql);
	await sql`delete from calling_rules`;
});
const events = liveEvents(sql);

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
	return sql<{ userId: number | null; reason: string | null; householdId: number | null }[]>`
		select user_id, reason, household_id from access_log where action = ${action} order by id`;
}

const segmentsOf = async (userId: number) =>
	(await sql<{ segmentId: number }[]>`select segment_id from operator_segments where user_id = ${userId} order by segment_id`).map((r) => r.segmentId);

/** Two segments A (order 10) and B (order 20) with a household each, an operator in A, two supervisors. */
async function floor() {
	const a = await newSegment(sql, 'seg-a');
	const b = await newSegment(sql, 'seg-b');
	await sql`update segments set sort_order = 10 where id = ${a}`;
	await sql`update segments set sort_order = 20 where id = ${b}`;
	const inA = await newHousehold(sql, { segmentId: a, owed: 50_000 });
	const inB = await newHousehold(sql, { segmentId: b, owed: 60_000 });
	const op = await newOperator(sql, [a]);
	const sv1 = await newUser(sql, 'supervisor');
	const sv2 = await newUser(sql, 'supervisor');
	return { a, b, inA, inB, op, sv1, sv2 };
}

describe('assigning operators (the board)', () => {
	it('a reassignment takes effect at the operator’s next claim', async () => {
		const { a, b, inB, op, sv1 } = await floor();
		const board = (await floorControlsFor(sv1)).board;
		const card = board.operators.find((o) => o.id === op.id)!;
		expect(card.segmentIds).toEqual([a]);
		const r = await assignOperator(sv1, { operatorId: op.id, version: card.version, segmentIds: [b] });
		expect(r.segmentIds).toEqual([b]);
		expect(r.version).toBeGreaterThan(card.version);
		const claim = await claimNextHousehold(op);
		expect(claim).toMatchObject({ householdId: inB, segmentId: b });
	});

	it('a stale move is refused with the current segments, and nothing changes', async () => {
		const { a, b, op, sv1, sv2 } = await floor();
		const c = await newSegment(sql, 'seg-c');
		const shown = (await floorControlsFor(sv1)).board.operators.find((o) => o.id === op.id)!;
		// both supervisors saw version `shown.version`; sv1 saves first
		await assignOperator(sv1, { operatorId: op.id, version: shown.version, segmentIds: [b] });
		const logBefore = (await logRows('segment.assign')).length;
		const changesBefore = (await sql`select count(*)::int as n from floor_changes`)[0].n;
		const e = await refusal(assignOperator(sv2, { operatorId: op.id, version: shown.version, segmentIds: [a, c] }));
		expect(e).toBeInstanceOf(StaleFloorError);
		expect(e.code).toBe('conflict');
		const stale = e as StaleFloorError;
		expect(stale.subject).toBe('assignment');
		expect(stale.current).toMatchObject({ operatorId: op.id, segmentIds: [b] });
		expect(stale.current.version).toBeGreaterThan(shown.version);
		expect(stale.message).toContain('changed by someone else');
		expect(await segmentsOf(op.id)).toEqual([b]);
		expect((await logRows('segment.assign')).length).toBe(logBefore);
		expect((await sql`select count(*)::int as n from floor_changes`)[0].n).toBe(changesBefore);
		// with the version it was shown, the second supervisor's move goes through
		await assignOperator(sv2, { operatorId: op.id, version: stale.current.version as number, segmentIds: [a, c] });
		expect(await segmentsOf(op.id)).toEqual([a, c].sort((x, y) => x - y));
	});

	it('a change through the segments pages’ matrix also makes a board edit stale (the trigger raises the version)', async () => {
		const { a, b, op, sv1 } = await floor();
		const shown = (await floorControlsFor(sv1)).board.operators.find((o) => o.id === op.id)!;
		await sql`insert into operator_segments (user_id, segment_id) values (${op.id}, ${b})`;
		const e = await refusal(assignOperator(sv1, { operatorId: op.id, version: shown.version, segmentIds: [] }));
		expect((e as StaleFloorError).current).toMatchObject({ segmentIds: [a, b] });
	});

	it('the segments pages’ matrix: a save that would undo someone else’s change is refused; one that leaves it alone goes through', async () => {
		const { a, b, op, sv1, sv2 } = await floor();
		const op2 = await newOperator(sql, [a]);
		const shown = await segmentsOverview(sv2);
		const versions = shown.operators.map((o) => ({ userId: o.id, version: o.assignmentVersion }));
		const operatorIds = shown.operators.map((o) => o.id);
		// sv1 moves op to B on the board meanwhile
		const v = (await floorControlsFor(sv1)).board.operators.find((o) => o.id === op.id)!.version;
		await assignOperator(sv1, { operatorId: op.id, version: v, segmentIds: [b] });
		// sv2 saves the matrix as shown (op in A) adding op2 to B: it would put op back in A
		const e = await refusal(setAssignments(sv2, { operatorIds, segmentIds: [a, b], versions, pairs: [{ userId: op.id, segmentId: a }, { userId: op2.id, segmentId: a }, { userId: op2.id, segmentId: b }] }));
		expect(e).toBeInstanceOf(StaleAssignmentsError);
		expect((e as StaleAssignmentsError).current).toEqual([{ userId: op.id, displayName: op.displayName, version: expect.any(Number), segmentIds: [b] }]);
		expect(e.details).toEqual({ operators: op.displayName });
		expect(await segmentsOf(op.id)).toEqual([b]);
		expect(await segmentsOf(op2.id)).toEqual([a]);
		// the same save with op's boxes as they are now changes only op2
		const r = await setAssignments(sv2, { operatorIds, segmentIds: [a, b], versions, pairs: [{ userId: op.id, segmentId: b }, { userId: op2.id, segmentId: a }, { userId: op2.id, segmentId: b }] });
		expect(r).toEqual({ added: 1, removed: 0 });
		expect(await segmentsOf(op2.id)).toEqual([a, b].sort((x, y) => x - y));
	});

	it('refuses what is not an operator or not a segment, naming the field', async () => {
		const { sv1, sv2, op } = await floor();
		expect((await refusal(assignOperator(sv1, { operatorId: sv2.id, version: 1, segmentIds: [] }))).details).toEqual({ operatorId: 'not_operator' });
		const v = (await floorControlsFor(sv1)).board.operators.find((o) => o.id === op.id)!.version;
		expect((await refusal(assignOperator(sv1, { operatorId: op.id, version: v, segmentIds: [999_999] }))).details).toEqual({ segmentIds: 'unknown_segment' });
		expect((await refusal(assignOperator(sv1, { operatorId: 'x', segmentIds: 'a' }))).code).toBe('invalid_input');
	});
});

describe('segments: pause, resume, order', () => {
	it('pauses with the version shown; a stale pause is refused with the current state', async () => {
		const { a, sv1, sv2 } = await floor();
		const [{ version }] = await sql<{ version: number }[]>`select version from segments where id = ${a}`;
		const s = await setSegmentPaused(sv1, { segmentId: a, version, active: false });
		expect(s.active).toBe(false);
		const e = await refusal(setSegmentPaused(sv2, { segmentId: a, version, active: false }));
		expect(e).toBeInstanceOf(StaleFloorError);
		expect((e as StaleFloorError).current).toMatchObject({ segmentId: a, active: false, version: s.version });
		const feed = (await floorControlsFor(sv1)).changes;
		expect(feed.map((c) => c.what)).toEqual(['pause']);
		expect(feed[0].by).toEqual({ id: sv1.id, name: sv1.displayName });
	});

	it('moves a segment above its neighbour (the queue is placed again); a move past another neighbour is refused with the current order', async () => {
		const { a, b, inA, sv1, sv2 } = await floor();
		// a catch-all B above A takes A's household too
		const seg = async (id: number) => (await sql<{ version: number; sortOrder: number }[]>`select version, sort_order from segments where id = ${id}`)[0];
		const vb = (await seg(b)).version;
		const va = (await seg(a)).version;
		const r = await moveSegment(sv1, { segmentId: b, version: vb, direction: 'up', passing: a });
		expect(r.order.map((s) => s.id)).toEqual([b, a]);
		expect((await sql<{ segmentId: number }[]>`select segment_id from call_queue where household_id = ${inA}`)[0].segmentId).toBe(b);
		expect((await logRows('segment.update')).at(-1)!.reason).toContain('reordered');
		// sv2 still sees the old order (B below A) and asks to move A down past B: A's version changed with the swap
		const e = await refusal(moveSegment(sv2, { segmentId: a, version: va, direction: 'down', passing: b }));
		expect(e).toBeInstanceOf(StaleFloorError);
		expect(((e as StaleFloorError).current.order as { id: number }[]).map((s) => s.id)).toEqual([b, a]);
		expect((await seg(a)).sortOrder).toBe(20);
	});
});

describe('targets and thresholds', () => {
	it('the first save is version 0; a second save from the same version is refused with the current targets', async () => {
		const { sv1, sv2 } = await floor();
		const t = await setDayTargets(sv1, { version: 0, attempts: '１，２００', contacts: '400', promises: 50, promisedAmount: '¥1,500,000' });
		expect(t).toMatchObject({ attempts: 1200, contacts: 400, promises: 50, promisedAmount: 1_500_000, version: 1, updatedBy: sv1.displayName });
		const e = await refusal(setDayTargets(sv2, { version: 0, attempts: 10, contacts: 1, promises: 1, promisedAmount: 1 }));
		expect(e).toBeInstanceOf(StaleFloorError);
		expect((e as StaleFloorError).current).toMatchObject({ attempts: 1200, promisedAmount: 1_500_000, version: 1 });
		expect((await sql`select attempts from floor_targets`)[0].attempts).toBe(1200);
		const bad = await refusal(setDayTargets(sv2, { version: 1, attempts: -1, contacts: 'x', promises: 1, promisedAmount: 1 }));
		expect(bad.details).toMatchObject({ attempts: 'out_of_range', contacts: 'whole_number' });
		expect((await floorControls(sql)).targets.version).toBe(1);
	});

	it('thresholds: stale refused, out-of-range named', async () => {
		const { sv1, sv2 } = await floor();
		const before = (await floorControls(sql)).thresholds;
		expect(before).toMatchObject({ longCallMinutes: 10, longBreakMinutes: 20 });
		// never saved by a supervisor: the configured thresholds are the ones in force
		expect((await floorControls(sql, { configured: { longCallMinutes: 15, longBreakMinutes: 21 } })).thresholds).toMatchObject({ longCallMinutes: 15, longBreakMinutes: 21 });
		const th = await setThresholds(sv1, { version: before.version, longCallMinutes: '15', longBreakMinutes: 30 });
		expect(th).toMatchObject({ longCallMinutes: 15, longBreakMinutes: 30, version: before.version + 1 });
		expect((await floorControls(sql, { configured: { longCallMinutes: 15, longBreakMinutes: 21 } })).thresholds).toMatchObject({ longCallMinutes: 15, longBreakMinutes: 30 });
		const e = await refusal(setThresholds(sv2, { version: before.version, longCallMinutes: 5, longBreakMinutes: 5 }));
		expect((e as StaleFloorError).current).toMatchObject({ longCallMinutes: 15, longBreakMinutes: 30 });
		expect((await refusal(setThresholds(sv2, { version: th.version, longCallMinutes: 0, longBreakMinutes: 999 }))).details).toEqual({
			longCallMinutes: 'out_of_range',
			longBreakMinutes: 'out_of_range'
		});
	});
});

describe('who may use the controls', () => {
	it('only supervisors: every other role is refused and nothing is written', async () => {
		const { a, op, inA } = await floor();
		const others: Actor[] = [op, await newUser(sql, 'staff'), await newUser(sql, 'manager'), await newUser(sql, 'admin'), await newUser(sql, 'auditor')];
		for (const who of others) {
			const calls = [
				floorControlsFor(who),
				assignOperator(who, { operatorId: op.id, version: 1, segmentIds: [] }),
				setSegmentPaused(who, { segmentId: a, version: 1, active: false }),
				moveSegment(who, { segmentId: a, version: 1, direction: 'down', passing: a }),
				releaseStuckClaim(who, { householdId: inA, operatorId: op.id }),
				sendFloorMessage(who, { target: 'all', text: 'hello' }),
				setDayTargets(who, { version: 0, attempts: 1, contacts: 1, promises: 1, promisedAmount: 1 }),
				setThresholds(who, { version: 1, longCallMinutes: 5, longBreakMinutes: 5 })
			];
			for (const c of calls) expect((await refusal(c)).code, who.role).toBe('forbidden');
		}
		expect((await sql`select count(*)::int as n from access_log`)[0].n).toBe(0);
		expect((await sql`select count(*)::int as n from floor_changes`)[0].n).toBe(0);
		expect(await segmentsOf(op.id)).toEqual([a]);
	});
});

describe('the access log and today’s changes', () => {
	it('every control writes its access-log row, a feed row and floor:changed', async () => {
		const { a, b, op, sv1 } = await floor();
		const v = (await floorControlsFor(sv1)).board.operators.find((o) => o.id === op.id)!.version;
		await assignOperator(sv1, { operatorId: op.id, version: v, segmentIds: [a, b] });
		await sendFloorMessage(sv1, { target: 'operator', operatorId: op.id, text: '休憩に入ってください' });
		await setDayTargets(sv1, { version: 0, attempts: 100, contacts: 30, promises: 5, promisedAmount: 100_000 });
		await setThresholds(sv1, { version: (await floorControls(sql)).thresholds.version, longCallMinutes: 12, longBreakMinutes: 25 });
		await claimNextHousehold(op);
		const held = (await floorControls(sql)).claims;
		expect(held).toHaveLength(1);
		await releaseStuckClaim(sv1, { householdId: held[0].householdId, operatorId: op.id });

		expect((await logRows('segment.assign')).map((r) => r.reason)).toEqual([`operator ${op.id} assigned to segment ${b} (board)`]);
		const msg = await logRows('floor.message');
		expect(msg).toHaveLength(1);
		expect(msg[0]).toMatchObject({ userId: sv1.id });
		// the text is not in the log (never erased), only its length and the recipients
		expect(msg[0].reason).not.toContain('休憩');
		expect(msg[0].reason).toContain(`operator ${op.id}`);
		expect(await logRows('floor.targets')).toHaveLength(1);
		expect(await logRows('floor.thresholds')).toHaveLength(1);
		const rel = await logRows('floor.release');
		expect(rel).toHaveLength(1);
		expect(rel[0]).toMatchObject({ userId: sv1.id, householdId: held[0].householdId });

		const fc = await floorControls(sql);
		expect(fc.changes.map((c) => c.what)).toEqual(['release', 'thresholds', 'targets', 'message', 'assign']);
		expect(fc.changes.every((c) => c.by.id === sv1.id)).toBe(true);
		expect(fc.changes.find((c) => c.what === 'message')!.params).toMatchObject({ target: 'operator', name: op.displayName, count: 1 });
		expect(fc.board.operators.find((o) => o.id === op.id)!.segmentIds).toEqual([a, b]);
		expect(fc.targets).toMatchObject({ attempts: 100, version: 1 });
		expect(fc.claims).toEqual([]);
		expect(await eventually(() => events.filter((e) => e.type === 'floor:changed').length === 5)).toBe(true);
		expect(events.filter((e) => e.type === 'floor:changed').map((e) => (e.data as { what: string }).what)).toEqual(['assign', 'message', 'targets', 'thresholds', 'release']);
	});

	it('the segments editor’s and the calling rules’ saves are in today’s changes too', async () => {
		const { a, sv1 } = await floor();
		const s0 = await callingRulesState(sv1);
		await saveCallingRules(sv1, { ...s0.rules, minGapMinutes: 120 }, s0.version);
		const [{ version }] = await sql<{ version: number }[]>`select version from segments where id = ${a}`;
		await setSegmentPaused(sv1, { segmentId: a, version, active: false });
		const fc = await floorControls(sql);
		expect(fc.changes.map((c) => c.what)).toEqual(['pause', 'rules']);
		expect(fc.changes[1].params).toEqual({ version: 1 });
	});

	it('a message to a large team is published in parts that each fit a NOTIFY payload, together naming every operator once', async () => {
		const { a, sv1 } = await floor();
		// 450 more operators in segment A (written directly: no password hashing needed)
		await sql`insert into users (login_id, display_name, role, password_hash)
			select 'bulk-op-' || g, 'オペレータ' || g, 'operator', 'x' from generate_series(1, 450) g`;
		await sql`insert into operator_segments (user_id, segment_id) select id, ${a} from users where login_id like 'bulk-op-%'`;
		const text = 'あ'.repeat(500);
		const r = await sendFloorMessage(sv1, { target: 'segment', segmentId: a, text });
		expect(r.recipients).toBe(451);
		expect(await eventually(() => events.filter((e) => e.type === 'floor:message').length === 2)).toBe(true);
		const parts = events.filter((e) => e.type === 'floor:message').map((e) => e.data as { id: number; text: string; recipients: number[] });
		expect(parts.every((p) => p.id === r.id && p.text === text)).toBe(true);
		const all = parts.flatMap((p) => p.recipients);
		expect(all).toHaveLength(451);
		expect(new Set(all).size).toBe(451);
	});

	it('a message to a team with nobody in it is refused, naming the target', async () => {
		const { sv1 } = await floor();
		const empty = await newSegment(sql, 'seg-empty');
		const e = await refusal(sendFloorMessage(sv1, { target: 'segment', segmentId: empty, text: 'x' }));
		expect(e.details).toEqual({ target: 'no_recipients' });
		expect((await refusal(sendFloorMessage(sv1, { target: 'all', text: ' '.repeat(3) }))).details).toEqual({ text: 'required' });
		expect((await refusal(sendFloorMessage(sv1, { target: 'all', text: 'あ'.repeat(501) }))).details).toEqual({ text: 'too_long' });
		expect((await sql`select count(*)::int as n from floor_messages`)[0].n).toBe(0);
	});
});

describe('on a real instance: operators’ sockets', () => {
	const PORT = Number(process.env.FLOOR_TEST_PORT ?? 3852);
	let inst: Instance | null = null;
	const sockets: Socket[] = [];
	afterAll(async () => {
		for (const s of sockets) s.close();
		if (inst) expect(await inst.stop()).toBe(0);
	});

	async function connect(who: Actor): Promise<{ socket: Socket; messages: FloorMessageView[]; lost: ClaimLost[]; changed: unknown[] }> {
		const { token } = await signIn({ loginId: who.loginId, password: TEST_PASSWORD });
		const socket = connectSocket(inst!.url, token);
		sockets.push(socket);
		const messages: FloorMessageView[] = [];
		const lost: ClaimLost[] = [];
		const changed: unknown[] = [];
		socket.on('floor:message', (m: FloorMessageView) => messages.push(m));
		socket.on('claim:lost', (e: ClaimLost) => lost.push(e));
		socket.on('floor:changed', (e: unknown) => changed.push(e));
		await new Promise<void>((resolve, reject) => {
			socket.once('connect', () => resolve());
			socket.once('connect_error', reject);
		});
		return { socket, messages, lost, changed };
	}

	it('a message reaches only its recipients; a released stuck claim tells its operator and is claimable again', async () => {
		const { a, b, inA, op, sv1 } = await floor();
		const op2 = await newOperator(sql, [a]);
		const op3 = await newOperator(sql, [b]);
		inst ??= await startInstance({ port: PORT, env: { REDIS_URL: undefined, INSTANCE_ID: 'floor-controls' } });
		const [c1, c2, c3, csv] = await Promise.all([connect(op), connect(op2), connect(op3), connect(sv1)]);

		// one operator
		await sendFloorMessage(sv1, { target: 'operator', operatorId: op.id, text: '佐藤さん、折り返しをお願いします' });
		// the team of segment A (op and op2)
		await sendFloorMessage(sv1, { target: 'segment', segmentId: a, text: 'A班：15時に休憩' });
		// everyone
		await sendFloorMessage(sv1, { target: 'all', text: '全員：システム点検' });
		expect(await eventually(() => c3.messages.length === 1 && c2.messages.length === 2 && c1.messages.length === 3 && csv.changed.length === 3, 5000)).toBe(true);
		expect(c1.messages.map((m) => m.text)).toEqual(['佐藤さん、折り返しをお願いします', 'A班：15時に休憩', '全員：システム点検']);
		expect(c2.messages.map((m) => m.text)).toEqual(['A班：15時に休憩', '全員：システム点検']);
		expect(c3.messages.map((m) => m.text)).toEqual(['全員：システム点検']);
		expect(c2.messages[0]).toMatchObject({ from: sv1.displayName, target: 'segment', segment: { nameJa: '区分seg-a' } });
		// the routing list never reaches a browser
		expect(c1.messages.every((m) => !('recipients' in m))).toBe(true);
		// supervisors see the feed change (floor:changed, after each message's floor:message), never the message itself
		expect(csv.messages).toEqual([]);

		// op claims the household of A over the socket, then "gets stuck"; the supervisor releases it
		const claim = await new Promise<{ ok: boolean; data?: { householdId: number } }>((r) => c1.socket.emit('claim:next', {}, r));
		expect(claim).toMatchObject({ ok: true, data: { householdId: inA } });
		const stale = await refusal(releaseStuckClaim(sv1, { householdId: inA, operatorId: op2.id }));
		expect((stale as StaleFloorError).current).toMatchObject({ householdId: inA, state: 'claimed', heldBy: { id: op.id } });
		await releaseStuckClaim(sv1, { householdId: inA, operatorId: op.id });
		expect(await eventually(() => c1.lost.length === 1, 5000)).toBe(true);
		expect(c1.lost[0]).toMatchObject({ householdId: inA, reason: 'released' });
		// only the operator who held it is told
		expect(c2.lost).toEqual([]);
		expect((await sql`select state, claimed_by from call_queue where household_id = ${inA}`)[0]).toMatchObject({ state: 'ready', claimedBy: null });
		expect((await sql`select state from operator_states where user_id = ${op.id}`)[0].state).toBe('available');
		// and another operator of the segment gets it on their next claim
		const next = await new Promise<{ ok: boolean; data?: { householdId: number } }>((r) => c2.socket.emit('claim:next', {}, r));
		expect(next).toMatchObject({ ok: true, data: { householdId: inA } });
	});
});

describe('two instances: a control through one reaches an operator on the other', () => {
	const REDIS_URL = process.env.REDIS_URL;
	const ports = [Number(process.env.FLOOR_TEST_PORT_A ?? 3853), Number(process.env.FLOOR_TEST_PORT_B ?? 3854)];
	const started: Instance[] = [];
	const open: Socket[] = [];
	afterAll(async () => {
		for (const s of open) s.close();
		for (const i of started) await i.stop();
	});

	/** A form action as the browser's enhanced form posts it (same origin, SvelteKit's action header). */
	async function action(inst: Instance, token: string, path: string, fields: Record<string, string>) {
		const r = await fetch(`${inst.url}${path}`, {
			method: 'POST',
			headers: { cookie: `kansho_session=${token}`, origin: inst.url, 'content-type': 'application/x-www-form-urlencoded', 'x-sveltekit-action': 'true' },
			body: new URLSearchParams(fields).toString()
		});
		return { status: r.status, body: (await r.json()) as { type: string; status?: number } };
	}

	it.skipIf(!REDIS_URL)('a move saved on A changes what the operator’s next claim on B returns; a message sent on A reaches them on B', async () => {
		const { a, b, inB, op, sv1 } = await floor();
		const env = (id: string) => ({ REDIS_URL, INSTANCE_ID: id });
		const [ia, ib] = await Promise.all([startInstance({ port: ports[0], env: env('floor-a') }), startInstance({ port: ports[1], env: env('floor-b') })]);
		started.push(ia, ib);
		const svToken = (await signIn({ loginId: sv1.loginId, password: TEST_PASSWORD })).token;
		const opToken = (await signIn({ loginId: op.loginId, password: TEST_PASSWORD })).token;
		const socket = connectSocket(ib.url, opToken);
		open.push(socket);
		const messages: FloorMessageView[] = [];
		socket.on('floor:message', (m: FloorMessageView) => messages.push(m));
		await new Promise<void>((resolve, reject) => {
			socket.once('connect', () => resolve());
			socket.once('connect_error', reject);
		});

		const card = (await floorControls(sql)).board.operators.find((o) => o.id === op.id)!;
		expect(card.segmentIds).toEqual([a]);
		const moved = await action(ia, svToken, '/supervisor/controls?/assign', { operatorId: String(op.id), version: String(card.version), from: String(a), current: String(a), op: `move:${b}` });
		expect(moved).toMatchObject({ status: 200, body: { type: 'success' } });
		// the same move again from the version shown: refused with 409 (the board shows the current value)
		const again = await action(ia, svToken, '/supervisor/controls?/assign', { operatorId: String(op.id), version: String(card.version), from: String(a), current: String(a), op: `move:${b}` });
		expect(again.body).toMatchObject({ type: 'failure', status: 409 });

		const claim = await new Promise<{ ok: boolean; data?: { householdId: number; segmentId: number } }>((r) => socket.emit('claim:next', {}, r));
		expect(claim).toMatchObject({ ok: true, data: { householdId: inB, segmentId: b } });

		const sent = await action(ia, svToken, '/supervisor/controls?/message', { target: 'operator', operatorId: String(op.id), text: 'B班へ移動しました' });
		expect(sent.body).toMatchObject({ type: 'success' });
		expect(await eventually(() => messages.length === 1, 5000)).toBe(true);
		expect(messages[0]).toMatchObject({ text: 'B班へ移動しました', from: sv1.displayName, target: 'operator' });

		// an operator may not use the controls over HTTP either
		const refused = await action(ia, opToken, '/supervisor/controls?/message', { target: 'all', text: 'x' });
		expect(refused.status === 403 || refused.body.status === 403).toBe(true);
	}, 180_000); // a hang guard, not a timing check: two instances started here took over 60 s on a loaded machine
});
