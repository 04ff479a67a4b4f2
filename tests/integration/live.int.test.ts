/**
 * The live views across real instances (server/index.ts on one PostgreSQL and one Redis): live:subscribe answers a
 * snapshot at a version, an outcome on A reaches a floor viewer on B as the next version's delta, a version gap is
 * repaired by subscribing again, viewers do not multiply the recomputes, a killed instance's operator goes offline
 * within seconds, a reassignment changes another instance's claims at once; and one instance without Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { testSql, resetDb } from '../helpers/db.ts';
import { newHousehold, newOperator, newSegment, newUser, TEST_PASSWORD } from '../helpers/factories.ts';
import { api, connectSocket, once, startInstance, type Instance } from '../helpers/server.ts';
import { eventually } from '../helpers/events.ts';
import { signIn } from '../../src/lib/server/auth/sessions.ts';
import { closeDb } from '../../src/lib/server/db.ts';
import { publishNow } from '../../src/lib/server/publish.ts';
import { setAssignments } from '../../src/lib/server/segments/segments.ts';
import { applyPatch, deltaStep, type LiveDelta, type LiveSnapshot } from '../../src/lib/domain/live-view.ts';
import type { FloorSnapshot } from '../../src/lib/domain/live-floor.ts';
import type { Actor } from '../../src/lib/server/auth/actor.ts';

const sql = testSql();
const REDIS_URL = process.env.REDIS_URL;
const PREFIX = `${process.env.REDIS_KEY_PREFIX ?? 'kt-live:'}int:`;
// no periodic recompute during a test: every recompute counted below comes from an event
const quiet = { LIVE_RECOMPUTE_SECONDS: '300' };

let seg1 = 0;
let seg2 = 0;
let supervisor: Actor;
let svToken = '';
/** operators made before any instance computes its first snapshot (a new user publishes no event: the periodic recompute would bring them) */
const ops: Record<'call' | 'gap' | 'fan' | 'move' | 'kill' | 'local', { op: Actor; token: string }> = {} as never;

beforeAll(async () => {
	await resetDb(sql);
	seg1 = await newSegment(sql);
	seg2 = await newSegment(sql);
	supervisor = await newUser(sql, 'supervisor');
	svToken = (await signIn({ loginId: supervisor.loginId, password: TEST_PASSWORD })).token;
	for (const k of ['call', 'gap', 'fan', 'move', 'kill', 'local'] as const) ops[k] = await operatorToken([seg1]);
});
afterAll(async () => {
	await sql.end();
	await closeDb();
});

/** A viewer of one view: its snapshot kept with the protocol's rules, and every message it got. */
class Viewer {
	snap: FloorSnapshot | null = null;
	version: number | null = null;
	deltas: LiveDelta[] = [];
	snapshots: LiveSnapshot[] = [];
	resyncs = 0;
	constructor(readonly socket: Socket, readonly view: 'floor' | 'wall' = 'floor') {
		socket.on('live:delta', (d: LiveDelta) => {
			this.deltas.push(d);
			const step = deltaStep(this.version, d.version);
			if (step === 'apply') {
				applyPatch(this.snap, d.patch);
				this.version = d.version;
			} else if (step === 'resync') {
				this.resyncs++;
				void this.subscribe();
			}
		});
		socket.on('live:snapshot', (m: LiveSnapshot) => {
			this.snapshots.push(m);
			if (this.version !== null && m.version >= this.version) {
				this.snap = m.snapshot as FloorSnapshot;
				this.version = m.version;
			}
		});
	}
	async subscribe(): Promise<{ ok: boolean; code?: string; data?: LiveSnapshot }> {
		this.version = null;
		const res = await this.socket.timeout(10_000).emitWithAck('live:subscribe', { view: this.view });
		if (res.ok) {
			this.snap = res.data.snapshot;
			this.version = res.data.version;
		}
		return res;
	}
	operator(id: number) {
		return this.snap?.operators.find((o) => o.id === id);
	}
	close() {
		this.socket.close();
	}
}

async function viewer(url: string, token = svToken, view: 'floor' | 'wall' = 'floor'): Promise<Viewer> {
	const s = connectSocket(url, token);
	await once(s, 'connect');
	const v = new Viewer(s, view);
	const res = await v.subscribe();
	expect(res.ok).toBe(true);
	return v;
}

async function liveStats(url: string): Promise<{ recomputes: number; deltas: number; snapshots: number; dirtyBy: Record<string, number> }> {
	return (await (await fetch(`${url}/healthz`)).json()).live;
}

/** The recompute count once the instance is quiet (no change across more than the debounce interval). */
async function settledRecomputes(url: string): Promise<number> {
	let prev = (await liveStats(url)).recomputes;
	for (;;) {
		await new Promise((r) => setTimeout(r, 700));
		const cur = (await liveStats(url)).recomputes;
		if (cur === prev) return cur;
		prev = cur;
	}
}

async function operatorToken(segments: number[]) {
	const op = await newOperator(sql, segments);
	return { op, token: (await signIn({ loginId: op.loginId, password: TEST_PASSWORD })).token };
}

/** Claim and record a "no answer" through the API of an instance. */
async function callOnce(url: string, token: string, key: string) {
	const claimed = await api(`${url}/api/claims/next`, token, 'POST');
	expect(claimed.status).toBe(200);
	const saved = await api(`${url}/api/calls`, token, 'POST', { householdId: claimed.json.householdId, outcomeCode: '11', idempotencyKey: key });
	expect(saved.status).toBe(201);
	return claimed.json.householdId as number;
}

describe.skipIf(!REDIS_URL)('two instances with Redis', () => {
	let a: Instance;
	let b: Instance;
	const env = (id: string) => ({ REDIS_URL, REDIS_KEY_PREFIX: PREFIX, INSTANCE_ID: id, ...quiet });
	beforeAll(async () => {
		[a, b] = await Promise.all([startInstance({ port: 3321, env: env('live-a') }), startInstance({ port: 3322, env: env('live-b') })]);
	});
	afterAll(async () => {
		await Promise.all([a?.stop(), b?.stop()]);
	});

	it('refuses the floor view to a manager (wall only) and an unknown view, naming the field', async () => {
		const manager = await newUser(sql, 'manager');
		const token = (await signIn({ loginId: manager.loginId, password: TEST_PASSWORD })).token;
		const s = connectSocket(b.url, token);
		await once(s, 'connect');
		expect(await s.timeout(5000).emitWithAck('live:subscribe', { view: 'floor' })).toMatchObject({ ok: false, code: 'forbidden' });
		expect(await s.timeout(5000).emitWithAck('live:subscribe', { view: 'kitchen' })).toMatchObject({ ok: false, code: 'invalid_input', message: expect.stringContaining('view') });
		const wall = await s.timeout(5000).emitWithAck('live:subscribe', { view: 'wall' });
		expect(wall.ok).toBe(true);
		expect(JSON.stringify(wall.data.snapshot)).not.toContain('householdId');
		s.close();
	});

	it('an outcome recorded on A reaches a floor viewer on B as a delta with the next version', async () => {
		await newHousehold(sql, { segmentId: seg1 });
		const { op, token } = ops.call;
		const v = await viewer(b.url);
		const start = v.version!;
		expect(v.operator(op.id)).toMatchObject({ callsToday: 0 });

		await callOnce(a.url, token, 'live-int-a-1');
		expect(await eventually(() => v.operator(op.id)?.callsToday === 1, 5000)).toBe(true);
		// the first message after the snapshot is the next version, and every delta follows the one before
		expect(v.deltas[0].version).toBe(start + 1);
		for (let i = 1; i < v.deltas.length; i++) expect(v.deltas[i].version).toBeGreaterThan(v.deltas[i - 1].version);
		const callDelta = v.deltas.find((d) => d.patch.some((p) => p.path.join('.').endsWith('callsToday')));
		expect(callDelta).toBeDefined();
		expect(v.resyncs).toBe(0);
		// the segment's households done today: patched too (the instance marks the households called today)
		expect(await eventually(() => v.snap!.segments.find((s) => s.id === seg1)?.doneToday === 1, 5000)).toBe(true);
		v.close();
	});

	it('a viewer that missed a delta sees the gap and subscribes again: the snapshot has the change', async () => {
		await newHousehold(sql, { segmentId: seg1 });
		const { op, token } = ops.gap;
		const v = await viewer(b.url);
		// lose the next delta: pretend the version held is one behind, as if a message had been dropped
		v.version = v.version! - 1;
		const before = v.snapshots.length;
		await callOnce(a.url, token, 'live-int-gap-1');
		expect(await eventually(() => v.resyncs > 0 && v.operator(op.id)?.callsToday === 1, 5000)).toBe(true);
		expect(v.version).toBeGreaterThanOrEqual(v.deltas[0].version);
		expect(v.snapshots.length).toBeGreaterThanOrEqual(before);
		v.close();
	});

	it('an outcome asks for no recompute; ten viewers do not multiply the recomputes of an event that does', async () => {
		for (let i = 0; i < 2; i++) await newHousehold(sql, { segmentId: seg1 });
		const { op, token } = ops.fan;
		const desk = (d: Record<string, number>) => (d['call:recorded'] ?? 0) + (d['queue:changed'] ?? 0) + (d['operator:state'] ?? 0);
		const one = await viewer(b.url);
		const d0 = desk((await liveStats(b.url)).dirtyBy);
		await callOnce(a.url, token, 'live-int-fan-1');
		expect(await eventually(() => one.operator(op.id)?.callsToday === 1, 5000)).toBe(true);
		// the claim's and the outcome's events said exactly what they changed (reasons, segment, distinct households)
		expect(desk((await liveStats(b.url)).dirtyBy)).toBe(d0);

		// an event a view cannot patch (a supervisor's control): one recompute per instance, whatever the viewers
		const control = () => publishNow({ type: 'floor:changed', data: { what: 'targets', by: supervisor.id, at: new Date().toISOString() } });
		const r0 = await settledRecomputes(b.url);
		await control();
		const withOne = (await settledRecomputes(b.url)) - r0;
		const ten = [one, ...(await Promise.all(Array.from({ length: 9 }, () => viewer(b.url))))];
		const r1 = await settledRecomputes(b.url);
		await control();
		const withTen = (await settledRecomputes(b.url)) - r1;
		expect(withOne).toBeGreaterThanOrEqual(1);
		expect(withTen).toBeLessThanOrEqual(Math.max(withOne, 2));
		// and the ten still follow the desk: a second outcome reaches every one of them
		await callOnce(a.url, token, 'live-int-fan-2');
		expect(await eventually(() => ten.every((v) => v.operator(op.id)?.callsToday === 2), 5000)).toBe(true);
		for (const v of ten) v.close();
	});

	it('a reassignment reaches B at once: the operator on B claims from the new segment, the floor on B shows it', async () => {
		const h2 = await newHousehold(sql, { segmentId: seg2, owed: 1 });
		const { op, token } = ops.move;
		const v = await viewer(b.url);
		const desk = connectSocket(b.url, token);
		await once(desk, 'connect');

		await setAssignments(supervisor, { operatorIds: [op.id], segmentIds: [seg1, seg2], pairs: [{ userId: op.id, segmentId: seg2 }] });
		const seg2Code = v.snap!.segments.find((s) => s.id === seg2)!.code;
		expect(await eventually(() => JSON.stringify(v.operator(op.id)?.segments) === JSON.stringify([seg2Code]), 5000)).toBe(true);
		const claim = await desk.timeout(5000).emitWithAck('claim:next', {});
		expect(claim).toMatchObject({ ok: true, data: { householdId: h2, segmentId: seg2 } });
		desk.close();
		v.close();
	});

	it('an instance killed with SIGKILL takes its operator offline within seconds, seen by a viewer on another instance', async () => {
		const c = await startInstance({ port: 3323, env: env('live-c') });
		const { op, token } = ops.kill;
		const v = await viewer(a.url);
		const desk = connectSocket(c.url, token);
		await once(desk, 'connect');
		expect(await eventually(() => v.operator(op.id)?.state === 'available', 5000)).toBe(true);

		c.proc.kill('SIGKILL');
		await c.stop();
		// PRESENCE_TIMEOUT_SECONDS is 60: offline this soon comes from the instance's expired Redis heartbeat
		expect(await eventually(() => v.operator(op.id)?.state === 'offline', 12_000)).toBe(true);
		const [row] = await sql<{ state: string }[]>`select state from operator_states where user_id = ${op.id}`;
		expect(row.state).toBe('offline');
		desk.close();
		v.close();
	});
});

describe('one instance without Redis', () => {
	let a: Instance;
	beforeAll(async () => {
		a = await startInstance({ port: 3324, env: { REDIS_URL: undefined, ...quiet } });
	});
	afterAll(async () => {
		expect(await a.stop()).toBe(0);
	});

	it('serves the views: an operator connecting and leaving shows on the floor, /api/wall answers the same figures', async () => {
		const { op, token } = ops.local;
		const v = await viewer(a.url);
		expect(v.operator(op.id)?.state).toBe('offline');
		const desk = connectSocket(a.url, token);
		await once(desk, 'connect');
		expect(await eventually(() => v.operator(op.id)?.state === 'available', 5000)).toBe(true);
		desk.close();
		expect(await eventually(() => v.operator(op.id)?.state === 'offline', 5000)).toBe(true);

		const wall = await api(`${a.url}/api/wall`, svToken, 'GET');
		expect(wall.status).toBe(200);
		expect(wall.json.operators.find((o: { id: number }) => o.id === op.id)).toMatchObject({ state: 'offline' });
		expect(wall.json.operators[0]).not.toHaveProperty('householdId');
		v.close();
	});
});
