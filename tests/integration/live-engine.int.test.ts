/**
 * The live engine against the real database, in this process: a recompute whose reads ran before an outcome's commit
 * must not take back what its event already patched (the viewers would see a count go backwards), and an event whose
 * transaction the recompute's reads did see must not be counted twice. The recompute is held open after its reads
 * (a gate around its REPEATABLE READ transaction), so the order of reads, commit and NOTIFY is the test's, not luck's.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testSql, resetDb } from '../helpers/db.ts';
import { eventually } from '../helpers/events.ts';
import { newHousehold, newOperator, newSegment } from '../helpers/factories.ts';
import { claimNextHousehold, releaseHousehold } from '../../src/lib/server/queue/claims.ts';
import { composeViews } from '../../src/lib/server/live/compose.ts';
import { recordCallOutcome } from '../../src/lib/server/calls/calls.ts';
import { closeDb, db, type Db, type Sql } from '../../src/lib/server/db.ts';
import { LiveEngine } from '../../src/lib/server/live/engine.ts';
import { applyPatch, deltaStep, type LiveDelta, type LiveSnapshot } from '../../src/lib/domain/live-view.ts';
import type { FloorSnapshot } from '../../src/lib/domain/live-floor.ts';
import { EVENTS_CHANNEL, type LiveEvent } from '../../src/lib/realtime/events.ts';
import type { Actor } from '../../src/lib/server/auth/actor.ts';

const sql = testSql();
afterAll(async () => {
	await sql.end();
	await closeDb();
});

/** db() whose transactions, while the gate is closed, wait after their work (the recompute's reads) before committing. */
function gatedDb() {
	let closed = false;
	let release = () => {};
	let reached = () => {};
	let released = Promise.resolve();
	const gate = {
		/** resolves once a recompute has read and is held */
		reached: Promise.resolve(),
		close() {
			closed = true;
			released = new Promise<void>((r) => (release = r));
			gate.reached = new Promise<void>((r) => (reached = r));
		},
		open() {
			closed = false;
			release();
		}
	};
	const gated = {
		begin: (mode: string, fn: (tx: Db) => Promise<unknown>) =>
			(db() as Sql).begin(mode, async (tx) => {
				const r = await fn(tx);
				if (closed) {
					reached();
					await released;
				}
				return r;
			})
	} as unknown as Db;
	return { gate, db: () => gated };
}

/** What a viewer holds, following the engine's messages by the protocol's rules; every callsToday it showed. */
class Copy {
	snap: FloorSnapshot;
	version: number;
	shown: number[] = [];
	constructor(
		first: { version: number; snapshot: FloorSnapshot },
		private readonly operatorId: number
	) {
		this.snap = structuredClone(first.snapshot);
		this.version = first.version;
	}
	take(event: string, payload: LiveDelta | LiveSnapshot) {
		if (payload.view !== 'floor') return;
		if (event === 'live:snapshot') {
			this.snap = structuredClone((payload as LiveSnapshot).snapshot as FloorSnapshot);
			this.version = payload.version;
		} else {
			const step = deltaStep(this.version, payload.version);
			if (step === 'resync') throw new Error(`gap: held ${this.version}, got ${payload.version}`);
			if (step === 'ignore') return;
			applyPatch(this.snap, structuredClone((payload as LiveDelta).patch));
			this.version = payload.version;
		}
		this.shown.push(this.calls());
	}
	calls() {
		return this.snap.operators.find((o) => o.id === this.operatorId)?.callsToday ?? -1;
	}
}

describe('LiveEngine: a recompute and the events around it', () => {
	let engine: LiveEngine | null = null;
	let heard: LiveEvent[] = [];
	let unlisten: (() => Promise<void>) | null = null;
	let op: Actor;
	let h = 0;
	let copy: Copy | null = null;
	const gated = gatedDb();

	beforeEach(async () => {
		await resetDb(sql);
		const seg = await newSegment(sql);
		h = await newHousehold(sql, { segmentId: seg });
		op = await newOperator(sql, [seg]);
		await claimNextHousehold(op);
		// from here on: the NOTIFYs as an instance hears them (with their xid)
		heard = [];
		const l = await sql.listen(EVENTS_CHANNEL, (p) => heard.push(JSON.parse(p)));
		unlisten = () => l.unlisten();
		copy = null;
		engine = new LiveEngine({
			db: gated.db,
			// no periodic recompute and no debounced one during a test: only the recomputes it asks for
			periodMs: 3_600_000,
			debounceMs: 3_600_000,
			presenceTimeoutSeconds: 60,
			thresholds: { longCallMinutes: 15, longBreakMinutes: 20 },
			emit: (_view, event, payload) => copy?.take(event, payload),
			viewers: () => 0
		});
		const first = await engine.current('floor');
		copy = new Copy(first, op.id);
		expect(copy.calls()).toBe(0);
	});
	afterEach(async () => {
		engine?.stop();
		await unlisten?.();
	});

	async function outcome(): Promise<LiveEvent[]> {
		const r = await recordCallOutcome(op, { householdId: h, outcomeCode: '10' });
		expect(await eventually(() => heard.some((e) => e.type === 'call:recorded' && e.data.callId === r.callId))).toBe(true);
		const events = heard;
		heard = [];
		// every event carries its transaction's id
		expect(events.every((e) => /^\d+$/.test(e.xid ?? ''))).toBe(true);
		return events;
	}

	it('an outcome committed after the recompute read is patched again onto it: the count never goes back', async () => {
		gated.gate.close();
		const recompute = engine!.recompute();
		await gated.gate.reached;
		// the recompute has read (0 calls); the outcome commits now and its events arrive while it is still open
		for (const e of await outcome()) engine!.onEvent(e);
		await eventually(() => copy!.calls() === 1);
		expect(copy!.calls()).toBe(1);
		gated.gate.open();
		await recompute;
		expect(engine!.stats.reapplied).toBeGreaterThan(0);
		expect(copy!.calls()).toBe(1);
		// from the delta that showed the call on, nothing showed fewer
		const first = copy!.shown.indexOf(1);
		expect(first).toBeGreaterThanOrEqual(0);
		expect(copy!.shown.slice(first).every((n) => n >= 1)).toBe(true);
		// the engine's own view agrees with what the viewer holds
		const now = await engine!.current('floor');
		expect(now.snapshot.operators.find((o) => o.id === op.id)?.callsToday).toBe(1);
		expect(now.version).toBe(copy!.version);
	});

	it('an outcome the recompute did read is not counted twice when its event arrives during the recompute', async () => {
		// committed before the recompute starts; its NOTIFY is "late": handed to the engine while the recompute is open
		const events = await outcome();
		gated.gate.close();
		const recompute = engine!.recompute();
		await gated.gate.reached;
		for (const e of events) engine!.onEvent(e);
		await eventually(() => copy!.calls() === 1);
		gated.gate.open();
		await recompute;
		expect(engine!.stats.reapplied).toBe(0);
		expect(copy!.calls()).toBe(1);
		expect(copy!.shown.every((n) => n <= 1)).toBe(true);
	});
});

describe('LiveEngine: events from the desk patch the views exactly (no recompute on the hot path)', () => {
	let engine: LiveEngine | null = null;
	let heard: LiveEvent[] = [];
	let unlisten: (() => Promise<void>) | null = null;
	const opts = { presenceTimeoutSeconds: 60, thresholds: { longCallMinutes: 15, longBreakMinutes: 20 } };

	afterEach(async () => {
		engine?.stop();
		await unlisten?.();
	});

	const inDays = (n: number) => new Date(Date.now() + 9 * 3600_000 + n * 86_400_000).toISOString().slice(0, 10);

	it('claims, outcomes of every kind and a release: the patched view equals a fresh read, and nothing asked for a recompute', async () => {
		await resetDb(sql);
		const segA = await newSegment(sql);
		const segB = await newSegment(sql);
		const households = [];
		for (let i = 0; i < 5; i++) households.push(await newHousehold(sql, { segmentId: i % 2 ? segB : segA }));
		const op = await newOperator(sql, [segA, segB]);
		const other = await newOperator(sql, [segA, segB]);
		// both at their desks (a socket's presence), as on the floor
		await sql`insert into user_presence (user_id, connected, last_seen_at) values (${op.id}, true, now()), (${other.id}, true, now())`;
		heard = [];
		const l = await sql.listen(EVENTS_CHANNEL, (p) => heard.push(JSON.parse(p)));
		unlisten = () => l.unlisten();
		let copy: Copy | null = null;
		engine = new LiveEngine({
			db,
			periodMs: 3_600_000,
			debounceMs: 3_600_000,
			...opts,
			emit: (_view, event, payload) => copy?.take(event, payload),
			viewers: () => 0
		});
		copy = new Copy(await engine.current('floor'), op.id);
		expect(engine.stats.recomputes).toBe(1);

		/**
		 * Run one action and hand its events to the engine once all are heard: a marker notified after the action's
		 * commit arrives after every notification of that transaction (PostgreSQL delivers them in commit order).
		 */
		let marks = 0;
		async function act(who: Actor, state: string, fn: () => Promise<unknown>) {
			await fn();
			const marker = `mark-${++marks}`;
			await sql`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify({ type: marker })})`;
			expect(await eventually(() => heard.some((e) => (e.type as string) === marker))).toBe(true);
			const events = heard.filter((e) => (e.type as string) !== marker);
			heard = [];
			expect(events.some((e) => e.type === 'operator:state' && e.data.operatorId === who.id && e.data.state === state)).toBe(true);
			for (const e of events) engine!.onEvent(e);
		}
		const claim = (who: Actor) => act(who, 'on_household', () => claimNextHousehold(who));
		const outcome = (who: Actor, input: Record<string, unknown>) =>
			act(who, 'wrap_up', async () => {
				const [held] = await sql<{ householdId: number }[]>`select household_id from call_queue where claimed_by = ${who.id}`;
				await recordCallOutcome(who, { householdId: held.householdId, ...input });
			});

		await claim(op);
		await outcome(op, { outcomeCode: '10' }); // no answer: waits to retry
		await claim(other);
		await outcome(other, { outcomeCode: '40', party: 'self', promise: { amount: 10_000, dueDate: inDays(7) } }); // a promise: waits for it
		await claim(op);
		await outcome(op, { outcomeCode: '21' }); // someone else answered
		await claim(other);
		await outcome(other, { outcomeCode: '60', doNotCall: { reason: '本人の申出' } }); // do not call: closed
		await claim(op);
		await act(op, 'available', async () => {
			const [held] = await sql<{ householdId: number }[]>`select household_id from call_queue where claimed_by = ${op.id}`;
			await releaseHousehold(op, { householdId: held.householdId });
		});
		await claim(op);

		// every event said exactly what it changed
		expect(engine.stats.dirtyBy).toEqual({});
		expect(engine.stats.dirtyEvents).toBe(0);
		expect(engine.stats.recomputes).toBe(1);
		const held = await engine.current('floor', { settle: false });
		expect(engine.stats.recomputes).toBe(1);
		const fresh = await composeViews(db(), opts);
		const parts = (f: FloorSnapshot) => ({ operators: f.operators, segments: f.segments, hourly: f.hourly, today: f.today });
		// the figures the events patched, against the database read afresh
		expect(parts(held.snapshot)).toEqual(parts(fresh.floor));
		expect(fresh.floor.today).toMatchObject({ attempts: 4, householdsAttempted: 4, householdsContacted: 3, rightPartyContacts: 1, promises: 1 });
		expect(fresh.floor.segments.flatMap((s) => s.notCallable.map((r) => r.reason)).sort()).toEqual(expect.arrayContaining(['closed:do_not_call']));
		// and the viewer that followed the deltas holds the same
		expect(parts(copy.snap)).toEqual(parts(fresh.floor));
		expect(copy.version).toBe(held.version);
	});
});
