/**
 * The fanout benchmark's helper processes (bench/fanout.ts forks this file with one argument):
 *
 *   viewers          socket.io-client viewers of the supervisor console, or of the bare baseline servers; they
 *                    timestamp what arrives and hand the receipts to the parent at the end
 *   probe            a LISTEN connection on kansho's NOTIFY channel in an otherwise idle process: when a
 *                    `call:recorded` arrives here its transaction has committed (NOTIFY is delivered only on commit)
 *   baseline-server  a plain Socket.IO server with the Redis adapter and nothing else, broadcasting on request
 *
 * Every process stamps times as `performance.timeOrigin + performance.now()` (ms since the epoch, sub-millisecond):
 * all processes run on one host, so stamps of different processes are comparable.
 *
 * Messages from the parent are `{ type: … }` objects over the IPC channel (serialization 'advanced', so typed
 * arrays travel as they are); answers carry the same `type` with `:done` appended.
 */
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

export const now = () => performance.timeOrigin + performance.now();

/** How a viewer reads the console: the live protocol (live:subscribe → live:delta), the room events, the baseline's ticks. */
export type ViewerMode = 'live' | 'legacy' | 'baseline';

/** Receipt keys of the live protocol: an operator's n-th call today (callsToday after it), as one number. */
export const liveKey = (operatorId: number, callsToday: number) => operatorId * 100_000 + callsToday;

export interface ViewerTarget {
	url: string;
	/** the session cookie's token (kansho), null for the baseline */
	token: string | null;
}

export type ParentMessage =
	/** connect `targets` (at most `concurrency` at a time); those not following the view after `deadlineMs` are given up */
	| { type: 'viewers'; mode: ViewerMode; targets: ViewerTarget[]; concurrency: number; trace: boolean; deadlineMs: number }
	/** receipts are kept while recording (until collect); messages are counted and traced while counting */
	| { type: 'record'; on: boolean }
	| { type: 'count'; on: boolean }
	/** keys of the events measured: receipts of other keys are dropped */
	| { type: 'collect'; keys: Float64Array }
	| { type: 'probe'; databaseUrl: string; channel: string }
	| { type: 'probe-collect' }
	| { type: 'baseline-server'; port: number; redisUrl: string; key: string }
	| { type: 'emit'; seq: number; size: number }
	| { type: 'close' };

/** What a viewers process hands back: per matched receipt the index of its key and the time it arrived. */
export interface ViewerResult {
	type: 'collect:done';
	index: Int32Array;
	at: Float64Array;
	/** baseline: latencies straight from the payload's origin stamp, and the broadcasts' sequence numbers */
	latencies: Float64Array;
	seqs: Float64Array;
	/** messages received by all viewers of the process while counting (any event) */
	messages: number;
	/** receipts whose key was not measured (outside the window) */
	unmatched: number;
	/** live protocol: receipts that came with a snapshot rather than a delta, re-subscriptions after a gap */
	viaSnapshot: number;
	resyncs: number;
	disconnects: number;
	errors: string[];
	/** live protocol: snapshots or deltas that showed an operator with fewer calls than this viewer had already seen */
	regressions: number;
	/** the first viewer's messages while counting: [arrival, wire bytes, event] (the baseline replays it) */
	trace: [number, number, string][];
}

export interface ProbeResult {
	type: 'probe-collect:done';
	/** per call:recorded: callId, operatorId, the operator's n-th call seen, arrival here, the call's recorded_at (ms) */
	calls: { callId: number; operatorId: number; ordinal: number; at: number; recordedAt: number }[];
	notifications: number;
}

const send = (m: unknown) => process.send?.(m);

/** A growable Float64Array. */
class Floats {
	buf = new Float64Array(1024);
	n = 0;
	push(x: number) {
		if (this.n === this.buf.length) {
			const b = new Float64Array(this.buf.length * 2);
			b.set(this.buf);
			this.buf = b;
		}
		this.buf[this.n++] = x;
	}
	get array() {
		return this.buf.slice(0, this.n);
	}
}

// ─── viewers ────────────────────────────────────────────────────────────────

async function viewers(msg: Extract<ParentMessage, { type: 'viewers' }>) {
	const { io } = await import('socket.io-client');
	const { applyPatch, deltaStep, snapshotStep } = await import('../src/lib/domain/live-view.ts');
	type Snap = { operators?: { id: number; callsToday: number }[] };
	// receipts are kept from the start: which of them count is decided by their keys (commits in the window);
	// a 'record' message could arrive late at a busy process and lose the window's first arrivals
	let recording = true;
	let counting = false;
	let regressions = 0;
	let messages = 0;
	let unmatchedKeys = 0;
	let viaSnapshot = 0;
	let resyncs = 0;
	let disconnects = 0;
	let closing = false;
	const errors: string[] = [];
	const keys = new Floats();
	const ats = new Floats();
	const latencies = new Floats();
	const seqs = new Floats();
	const trace: [number, number, string][] = [];
	const receipt = (key: number, t: number) => {
		if (!recording) return;
		keys.push(key);
		ats.push(t);
	};
	const sockets: ReturnType<typeof io>[] = [];
	/** sockets that follow the view (connected, and subscribed in the live mode) */
	const ready = new Set<ReturnType<typeof io>>();
	let gaveUp = false;
	let tracedSocket: ReturnType<typeof io> | null = null;
	const traced = () => {
		if (!tracedSocket?.connected || !ready.has(tracedSocket)) tracedSocket = [...ready].find((s) => s.connected) ?? null;
		return tracedSocket;
	};

	const open = (target: ViewerTarget, i: number) =>
		new Promise<void>((resolve) => {
			const socket = io(target.url, {
				transports: ['websocket'],
				extraHeaders: target.token ? { cookie: `kansho_session=${target.token}` } : {},
				reconnection: false,
				forceNew: true
			});
			sockets.push(socket);
			const done = (err?: string) => {
				if (err && errors.length < 20) errors.push(err);
				else if (!err && !gaveUp) ready.add(socket);
				resolve();
			};
			socket.once('connect_error', (e) => done(`connect: ${e.message}`));
			socket.on('disconnect', (reason) => {
				if (!closing && ready.has(socket)) {
					disconnects++;
					if (errors.length < 20) errors.push(`disconnected: ${reason}`);
				}
			});
			socket.onAny(() => {
				if (counting) messages++;
			});
			// the trace follows one viewer that follows the view (the first ready one; another if it drops)
			if (msg.trace)
				socket.onAny((event: string, ...args: unknown[]) => {
					if (counting && socket === traced()) trace.push([now(), JSON.stringify([event, ...args]).length + 2, event]);
				});

			if (msg.mode === 'baseline') {
				socket.on('tick', (p: { seq: number; t0: number }) => {
					if (recording) {
						latencies.push(now() - p.t0);
						seqs.push(p.seq);
					}
				});
				socket.once('connect', () => done());
			} else if (msg.mode === 'legacy') {
				socket.on('call:recorded', (e: { callId: number }) => receipt(e.callId, now()));
				socket.once('connect', () => done());
			} else {
				// the live protocol, as the browser's store follows it: a snapshot at a version, then deltas in order;
				// a gap (or a patch that does not apply) means subscribing again. A call has arrived when the
				// operator's callsToday shows it, by a delta or a snapshot, whichever comes first.
				let snap: Snap | null = null;
				let version: number | null = null;
				/** per operator: the highest callsToday this viewer has seen */
				const seen = new Map<number, number>();
				const see = (operatorId: number, count: number, t: number, bySnapshot: boolean) => {
					const before = seen.get(operatorId);
					if (before === undefined) {
						seen.set(operatorId, count); // the first snapshot: what was there before we looked
						return;
					}
					for (let c = before + 1; c <= count; c++) {
						receipt(liveKey(operatorId, c), t);
						if (bySnapshot && counting) viaSnapshot++;
					}
					if (count > before) seen.set(operatorId, count);
				};
				const take = (s: Snap, t: number) => {
					snap = s;
					for (const o of s.operators ?? []) {
						if (counting && o.callsToday < (seen.get(o.id) ?? 0)) regressions++;
						see(o.id, o.callsToday, t, true);
					}
				};
				let first = true;
				const subscribe = () => {
					version = null;
					socket.timeout(15_000).emit('live:subscribe', { view: 'floor' }, (err: Error | null, res: { ok: boolean; code?: string; data?: { version: number; snapshot: Snap } }) => {
						const t = now();
						if (err || !res?.ok || !res.data) {
							const why = err ? err.message : (res?.code ?? 'no data');
							if (first) {
								first = false;
								done(`live:subscribe: ${why}`);
							} else if (errors.length < 20) errors.push(`live:subscribe: ${why}`);
							return;
						}
						if (version === null || snapshotStep(version, res.data.version) === 'replace') {
							take(res.data.snapshot, t);
							version = res.data.version;
						}
						if (first) {
							first = false;
							done();
						}
					});
				};
				socket.on('live:snapshot', (s: { view: string; version: number; snapshot: Snap }) => {
					if (s.view !== 'floor' || version === null) return;
					if (snapshotStep(version, s.version) === 'replace') {
						take(s.snapshot, now());
						version = s.version;
					}
				});
				socket.on('live:delta', (d: { view: string; version: number; patch: { path: (string | number)[]; inc?: number; value?: unknown }[] }) => {
					if (d.view !== 'floor' || !snap) return;
					const t = now();
					const step = deltaStep(version, d.version);
					if (step === 'ignore') return;
					if (step === 'resync') {
						if (counting) resyncs++;
						return subscribe();
					}
					try {
						applyPatch(snap, d.patch as never);
					} catch {
						if (counting) resyncs++;
						return subscribe();
					}
					version = d.version;
					// the operators a patch touched: a count (inc, or a recompute's diff setting it), one operator, or the
					// whole list (a recompute whose operators changed in number)
					const touched = new Set<number>();
					for (const op of d.patch) {
						if (op.path[0] !== 'operators') continue;
						if (op.path.length === 1) (snap.operators ?? []).forEach((_, i) => touched.add(i));
						else if (typeof op.path[1] === 'number' && (op.path.length === 2 || op.path[2] === 'callsToday')) touched.add(op.path[1]);
					}
					for (const i of touched) {
						const o = snap.operators?.[i];
						if (!o) continue;
						if (counting && o.callsToday < (seen.get(o.id) ?? 0)) regressions++;
						see(o.id, o.callsToday, t, false);
					}
				});
				socket.once('connect', subscribe);
			}
		});

	// connect in waves: a thousand handshakes at once would be a test of the handshake, not of the fanout
	// at the deadline, whatever is not following the view yet is given up (a saturated server or client)
	let next = 0;
	const progress = setInterval(() => send({ type: 'viewers:progress', ready: ready.size }), 5000);
	let deadline: NodeJS.Timeout | undefined;
	await Promise.race([
		Promise.all(
			Array.from({ length: Math.max(1, msg.concurrency) }, async () => {
				while (next < msg.targets.length && !gaveUp) {
					const i = next++;
					await open(msg.targets[i], i);
				}
			})
		),
		new Promise<void>((resolve) => (deadline = setTimeout(resolve, msg.deadlineMs)))
	]);
	clearTimeout(deadline);
	clearInterval(progress);
	gaveUp = true;
	for (const s of sockets) if (!ready.has(s)) s.disconnect();
	const connected = [...ready].filter((s) => s.connected).length;
	send({ type: 'viewers:done', connected, failed: msg.targets.length - connected, errors: errors.splice(0) });

	process.on('message', (m: ParentMessage) => {
		if (m.type === 'record') {
			recording = m.on;
		} else if (m.type === 'count') {
			counting = m.on;
		} else if (m.type === 'collect') {
			recording = counting = false;
			const index = new Map<number, number>();
			m.keys.forEach((k, i) => index.set(k, i));
			const idx = new Int32Array(keys.n);
			const at = new Float64Array(keys.n);
			let n = 0;
			for (let i = 0; i < keys.n; i++) {
				const j = index.get(keys.buf[i]);
				if (j === undefined) {
					unmatchedKeys++;
					continue;
				}
				idx[n] = j;
				at[n++] = ats.buf[i];
			}
			const result: ViewerResult = {
				type: 'collect:done',
				index: idx.slice(0, n),
				at: at.slice(0, n),
				latencies: latencies.array,
				seqs: seqs.array,
				messages,
				unmatched: unmatchedKeys,
				viaSnapshot,
				resyncs,
				regressions,
				disconnects,
				errors,
				trace
			};
			send(result);
		} else if (m.type === 'close') {
			closing = true;
			for (const s of sockets) s.disconnect();
			setTimeout(() => process.exit(0), 200);
		}
	});
}

// ─── probe ──────────────────────────────────────────────────────────────────

async function probe(msg: Extract<ParentMessage, { type: 'probe' }>) {
	const { default: postgres } = await import('postgres');
	const sql = postgres(msg.databaseUrl, { max: 1, onnotice: () => {}, connection: { application_name: 'kansho-bench-probe' } });
	const calls: ProbeResult['calls'] = [];
	const ordinals = new Map<number, number>();
	let notifications = 0;
	await sql.listen(msg.channel, (payload) => {
		const t = now();
		notifications++;
		// cheap test first: most notifications are not calls
		if (!payload.includes('"call:recorded"')) return;
		try {
			const e = JSON.parse(payload) as { type: string; data: { callId: number; operatorId: number; at: string } };
			if (e.type !== 'call:recorded') return;
			const ordinal = (ordinals.get(e.data.operatorId) ?? 0) + 1;
			ordinals.set(e.data.operatorId, ordinal);
			calls.push({ callId: e.data.callId, operatorId: e.data.operatorId, ordinal, at: t, recordedAt: Date.parse(e.data.at) });
		} catch {
			// not ours
		}
	});
	send({ type: 'probe:done' });
	process.on('message', async (m: ParentMessage) => {
		if (m.type === 'probe-collect') {
			const r: ProbeResult = { type: 'probe-collect:done', calls, notifications };
			send(r);
		} else if (m.type === 'close') {
			await sql.end({ timeout: 2 }).catch(() => {});
			process.exit(0);
		}
	});
}

// ─── the baseline's server ──────────────────────────────────────────────────

async function baselineServer(msg: Extract<ParentMessage, { type: 'baseline-server' }>) {
	const { Server } = await import('socket.io');
	const { createAdapter } = await import('@socket.io/redis-adapter');
	const { Redis } = await import('ioredis');
	const http = createServer();
	const io = new Server(http, { serveClient: false, transports: ['websocket'] });
	const pub = new Redis(msg.redisUrl, { connectionName: 'kansho-bench-baseline' });
	const sub = pub.duplicate();
	io.adapter(createAdapter(pub, sub, { key: msg.key }));
	await new Promise<void>((resolve, reject) => {
		http.once('error', reject);
		http.listen(msg.port, '127.0.0.1', () => resolve());
	});
	const pads = new Map<number, string>();
	send({ type: 'baseline-server:done' });
	process.on('message', async (m: ParentMessage) => {
		if (m.type === 'emit') {
			// the payload's wire size (42["tick",{…}]) made up to m.size with padding
			let pad = pads.get(m.size);
			if (pad === undefined) {
				const base = JSON.stringify(['tick', { seq: m.seq, t0: now(), pad: '' }]).length + 2;
				pad = 'x'.repeat(Math.max(0, m.size - base));
				pads.set(m.size, pad);
			}
			// the origin stamp: the moment the broadcast starts on this server (what a commit is to kansho)
			io.emit('tick', { seq: m.seq, t0: now(), pad });
		} else if (m.type === 'close') {
			io.close();
			await Promise.allSettled([pub.quit(), sub.quit()]);
			process.exit(0);
		}
	});
}

// ─── dispatch ───────────────────────────────────────────────────────────────

if (process.send && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	process.once('message', (m: ParentMessage) => {
		const run = m.type === 'viewers' ? viewers(m) : m.type === 'probe' ? probe(m) : m.type === 'baseline-server' ? baselineServer(m) : null;
		if (!run) {
			send({ type: 'error', message: `unknown start message ${m.type}` });
			process.exit(2);
		}
		run.catch((e) => {
			send({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
			process.exit(1);
		});
	});
	// the parent went away: nothing here should outlive it
	process.on('disconnect', () => process.exit(0));
}
