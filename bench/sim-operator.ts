/**
 * Simulated operators for the claim benchmark: each is a socket.io-client socket with its own session cookie,
 * speaking the call screen's protocol to a real kansho server (server/realtime.ts): `claim:next` (ack ClaimView),
 * then, after a short simulated talk, `outcome:record` (ack OutcomeSaved) with a fresh idempotency key, as the
 * browser's outbox sends it; `claim:release` only when an outcome could not be saved. Nothing here touches the
 * database: the server decides everything.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { io as ioClient, type Socket } from 'socket.io-client';

/** How long one request may take before the benchmark counts it as an error (the browser's ACK_TIMEOUT_MS is similar). */
const ACK_TIMEOUT_MS = 15_000;

type AckResult<T> = { ok: true; data: T } | { ok: false; code: string; message?: string };

export interface ClaimAck {
	householdId: number;
	segmentId: number;
	resumed: boolean;
	kind: string;
}

export interface OutcomeAck {
	callId: number;
	householdId: number;
	queueState: string;
	duplicate: boolean;
	late: boolean;
}

/** Outcome codes the simulated operators record, with weights: all of them send the household to wait (≥ 30 min). */
export const OUTCOME_MIX: readonly { code: string; weight: number }[] = [
	{ code: '10', weight: 50 }, // 不在: retry in 4 hours
	{ code: '11', weight: 20 }, // 留守番電話
	{ code: '12', weight: 10 }, // 話中: 30 minutes
	{ code: '21', weight: 20 } //  家族等応答: 1 day
];

function pickOutcome(rand: () => number): string {
	const total = OUTCOME_MIX.reduce((s, o) => s + o.weight, 0);
	let x = rand() * total;
	for (const o of OUTCOME_MIX) if ((x -= o.weight) < 0) return o.code;
	return OUTCOME_MIX[0].code;
}

/** A small deterministic generator per operator (mulberry32), so runs are comparable. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface SimOperatorOptions {
	url: string;
	/** the session token: the cookie kansho_session the browser would carry */
	token: string;
	userId: number;
}

export class SimOperator {
	readonly userId: number;
	private socket: Socket;

	constructor(opts: SimOperatorOptions) {
		this.userId = opts.userId;
		this.socket = ioClient(opts.url, {
			transports: ['websocket'],
			extraHeaders: { cookie: `kansho_session=${opts.token}` },
			reconnection: false,
			forceNew: true,
			autoConnect: false
		});
	}

	connect(timeoutMs = 20_000): Promise<void> {
		return new Promise((resolve, reject) => {
			const t = setTimeout(() => reject(new Error(`operator ${this.userId}: no connection within ${timeoutMs} ms`)), timeoutMs);
			this.socket.once('connect', () => {
				clearTimeout(t);
				resolve();
			});
			this.socket.once('connect_error', (e) => {
				clearTimeout(t);
				reject(new Error(`operator ${this.userId}: ${e.message}`));
			});
			this.socket.connect();
		});
	}

	private async request<T>(event: string, payload: unknown): Promise<AckResult<T>> {
		try {
			return (await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload)) as AckResult<T>;
		} catch {
			return { ok: false, code: 'ack_timeout' };
		}
	}

	claim() {
		return this.request<ClaimAck>('claim:next', {});
	}

	record(householdId: number, outcomeCode: string, phoneId: number | null) {
		return this.request<OutcomeAck>('outcome:record', {
			householdId,
			outcomeCode,
			phoneId,
			note: null,
			idempotencyKey: randomUUID()
		});
	}

	/** what the desk sends every HEARTBEAT_SECONDS: presence, and the lease on the household held */
	heartbeat(householdId: number | null = null) {
		return this.request<{ leaseExpiresAt: string | null }>('presence:heartbeat', { householdId });
	}

	release(householdId: number) {
		return this.request<null>('claim:release', { householdId });
	}

	close() {
		this.socket.disconnect();
	}
}

/** What the simulated floor saw. Latencies are ack round trips in ms, measured in this process. */
export interface LoopStats {
	claimMs: number[];
	outcomeMs: number[];
	/** claim:next answered queue_empty */
	empty: number;
	/** refusals and timeouts by code (claim:… / outcome:… / release:…) */
	errors: Map<string, number>;
	/** claims answered with resumed: true (the operator already held a household: should not happen here) */
	resumed: number;
	/** outcomes saved late (the claim had lapsed) or as duplicates: should not happen here */
	late: number;
	duplicate: number;
	/** the live check: a claim ack for a household another simulated operator held at that moment */
	liveDoubleClaims: number;
}

export function newStats(): LoopStats {
	return { claimMs: [], outcomeMs: [], empty: 0, errors: new Map(), resumed: 0, late: 0, duplicate: 0, liveDoubleClaims: 0 };
}

function countError(stats: LoopStats, what: string, code: string) {
	const k = `${what}:${code}`;
	stats.errors.set(k, (stats.errors.get(k) ?? 0) + 1);
}

export interface Pace {
	/** simulated talk between the claim and the outcome: uniform in [min, max] ms */
	talkMs: [number, number];
	/** wait after saving an outcome before the next claim (0: none) */
	pauseMs: number;
	/** the first claim of each operator is spread uniformly over this many ms (a floor does not start in step) */
	staggerMs: number;
}

/**
 * One simulated operator's loop until `stopped()`: claim → talk → outcome → pause. A cycle that has begun is
 * finished (the outcome is recorded) even when the time is up, so that every claim ends in a call.
 * `held` is shared by all operators of a phase: householdId → the operator holding it (the live double-claim check).
 */
export async function operatorLoop(
	op: SimOperator,
	pace: Pace,
	stats: LoopStats,
	held: Map<number, number>,
	phoneOf: (householdId: number) => number | null,
	stopped: () => boolean
): Promise<void> {
	const rand = seededRandom(op.userId * 7919);
	if (pace.staggerMs > 0) await sleep(rand() * pace.staggerMs);
	while (!stopped()) {
		const t0 = performance.now();
		const c = await op.claim();
		const claimMs = performance.now() - t0;
		if (!c.ok) {
			if (c.code === 'queue_empty') stats.empty++;
			else countError(stats, 'claim', c.code);
			await sleep(Math.max(pace.pauseMs, 100));
			continue;
		}
		stats.claimMs.push(claimMs);
		const householdId = c.data.householdId;
		if (c.data.resumed) stats.resumed++;
		const holder = held.get(householdId);
		if (holder !== undefined && holder !== op.userId) stats.liveDoubleClaims++;
		held.set(householdId, op.userId);

		const [lo, hi] = pace.talkMs;
		if (hi > 0) await sleep(lo + rand() * (hi - lo));

		const t1 = performance.now();
		const o = await op.record(householdId, pickOutcome(rand), phoneOf(householdId));
		const outcomeMs = performance.now() - t1;
		if (held.get(householdId) === op.userId) held.delete(householdId);
		if (o.ok) {
			stats.outcomeMs.push(outcomeMs);
			if (o.data.late) stats.late++;
			if (o.data.duplicate) stats.duplicate++;
		} else {
			countError(stats, 'outcome', o.code);
			const r = await op.release(householdId);
			if (!r.ok && r.code !== 'claim_not_held') countError(stats, 'release', r.code);
		}
		if (pace.pauseMs > 0) await sleep(pace.pauseMs);
	}
}
