/**
 * The fanout benchmark (#6): how fast an outcome reaches a thousand supervisor consoles across two instances, next to
 * a bare Socket.IO broadcast of the same messages in the same run.
 *
 *   npm run bench -- fanout [--viewers 1000] [--operators 200] [--rate 20] [--seconds 60] [--quiet-seconds 20] …
 *
 * A scratch database `kansho_bench_fanout` is recreated, migrated and seeded (seedDemo through the real import);
 * bench operators (assigned to every segment) and one supervisor per viewer get sessions written the way
 * openSession writes them. Two kansho instances (server/index.ts) start on --port and --port+10 with the Redis
 * adapter (REDIS_URL, REDIS_KEY_PREFIX kt-fanout:) and CALLING_WINDOW=ignore. Then, with the operators claiming and
 * recording outcomes at --rate outcomes/s throughout (with the desk's heartbeat every 20 s):
 *
 *   0 viewers  --quiet-seconds: the database's transactions/s and the instances' CPU (no view computed at all)
 *   2 viewers  --quiet-seconds, one viewer per instance: both live engines run (recomputes, deltas, snapshots),
 *            nothing to fan out: the fair comparison for "database load independent of the number of viewers"
 *   N viewers  --viewers sockets (supervisor sessions, half on each instance, in --viewer-procs processes) follow the
 *            `floor` view (live:subscribe, live:delta, live:snapshot, applying patches as the browser does; or, with
 *            --protocol legacy or when the server has no live:subscribe, the floor room's call:recorded events) for
 *            --seconds: per outcome the latency from its commit to its arrival at each viewer (a call has arrived
 *            when the viewer's copy of the view counts it in its operator's callsToday); transactions/s, engine
 *            counters (GET /healthz), CPU and RSS per instance
 *   baseline two plain Socket.IO servers (--port+20, --port+30) with the same Redis adapter and nothing else; the
 *            same number of viewers; the messages the first kansho viewer received during the N-viewer phase
 *            (times, sizes) replayed as broadcasts (io.emit, alternately from each server), stamped when the
 *            broadcast starts; compared on the broadcasts that replay the kind kansho's latency is measured on
 *
 * "Commit" is the arrival of the call's NOTIFY at a LISTEN connection in an otherwise idle probe process:
 * PostgreSQL sends a NOTIFY only when its transaction commits, and the probe hears it at the same moment as the
 * instances do, so the figure is what kansho adds from the database's notification to the viewer. Two bounds are
 * printed beside it: from the operator's ack (sent after the commit: a later start, so a smaller figure) and from
 * the transaction's start (the call's recorded_at: includes the rest of the outcome's transaction).
 *
 * Nothing is asserted: missed targets are printed as MISSED. The scratch database is dropped at the end (--keep
 * keeps it). Loopback PostgreSQL only (bench/scratch.ts); without DATABASE_URL an embedded one is started.
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { io as ioClient } from 'socket.io-client';
import type { Db, Sql } from '../src/lib/server/db.ts';
import { freshBenchDb, openForBench, type BenchServer } from './scratch.ts';
import { OUTCOME_MIX, seededRandom, SimOperator, sleep } from './sim-operator.ts';
import { liveKey, now, type ParentMessage, type ProbeResult, type ViewerMode, type ViewerResult, type ViewerTarget } from './fanout-child.ts';
import { recordPrivacyCompleted } from '../src/lib/server/training/training.queries.ts';

export const fanoutUsage =
	'fanout [--viewers 1000] [--operators 200] [--rate 20] [--seconds 60] [--quiet-seconds 20] [--households 8000] ' +
	'[--protocol auto|live|legacy] [--viewer-procs 2] [--connect-seconds 180] [--pool 10] [--port 3205] [--database kansho_bench_fanout] [--keep] [--profile DIR]';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHILD = path.join(root, 'bench', 'fanout-child.ts');
const BENCH_DATABASE = 'kansho_bench_fanout';
const BENCH_PASSWORD = 'kansho-bench-2026';
/** the instances' and the baseline's Redis keys: other engineers' servers on the same Redis must not hear ours */
const REDIS_PREFIX = 'kt-fanout:';
/** targets from issue #6 */
const TARGET_RATIO = 1.5;
const TARGET_P99_MS = 250;
const TARGET_RSS_MB = 300;
/** receipts still on their way when a phase ends are waited for this long */
const DRAIN_MS = 3000;
/** wait after viewers connected before a measured phase: their connects' counters reach the statistics meanwhile */
const STATS_SETTLE_MS = 11_000;
/** how often the instances' CPU and RSS are read */
const SAMPLE_MS = 1000;

interface Options {
	viewers: number;
	operators: number;
	rate: number;
	seconds: number;
	quietSeconds: number;
	households: number;
	protocol: 'auto' | 'live' | 'legacy';
	viewerProcs: number;
	/** viewers not following the view this long after the first connects are given up */
	connectSeconds: number;
	pool: number;
	port: number;
	database: string;
	keep: boolean;
	redisUrl: string;
	/** a folder for CPU profiles (node --cpu-prof) of the two instances and the viewer processes */
	profile: string | null;
}

class UsageError extends Error {}

function parseOptions(args: string[]): Options {
	const spec = {
		viewers: { type: 'string' },
		operators: { type: 'string' },
		rate: { type: 'string' },
		seconds: { type: 'string' },
		'quiet-seconds': { type: 'string' },
		households: { type: 'string' },
		protocol: { type: 'string' },
		'viewer-procs': { type: 'string' },
		'connect-seconds': { type: 'string' },
		pool: { type: 'string' },
		port: { type: 'string' },
		database: { type: 'string' },
		keep: { type: 'boolean' },
		profile: { type: 'string' }
	} as const;
	let values: { [K in keyof typeof spec]?: (typeof spec)[K]['type'] extends 'boolean' ? boolean : string };
	try {
		({ values } = parseArgs({ args, strict: true, allowPositionals: false, options: spec }));
	} catch (e) {
		throw new UsageError((e as Error).message);
	}
	const num = (name: string, raw: string | undefined, def: number, min: number, max: number, integer = true) => {
		const n = raw === undefined ? def : Number(raw.replace(/_/g, ''));
		if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max)
			throw new UsageError(`--${name} must be a ${integer ? 'whole ' : ''}number from ${min} to ${max.toLocaleString('en')}`);
		return n;
	};
	const protocol = values.protocol ?? 'auto';
	if (protocol !== 'auto' && protocol !== 'live' && protocol !== 'legacy') throw new UsageError('--protocol must be auto, live or legacy');
	if (values.database !== undefined && !/^kansho_bench_[a-z0-9_]+$/.test(values.database)) throw new UsageError('--database must start with kansho_bench_ (lower case, digits, _)');
	const redisUrl = process.env.REDIS_URL;
	if (!redisUrl) throw new UsageError('REDIS_URL must be set (the two instances and the baseline use the Redis adapter), e.g. redis://127.0.0.1:6379');
	const opts: Options = {
		viewers: num('viewers', values.viewers, 1000, 0, 20_000),
		operators: num('operators', values.operators, 200, 1, 1000),
		rate: num('rate', values.rate, 20, 0.1, 500, false),
		seconds: num('seconds', values.seconds, 60, 1, 3600),
		quietSeconds: num('quiet-seconds', values['quiet-seconds'], 20, 0, 3600),
		households: num('households', values.households, 8000, 100, 1_000_000),
		protocol,
		viewerProcs: num('viewer-procs', values['viewer-procs'], 2, 1, 16),
		connectSeconds: num('connect-seconds', values['connect-seconds'], 180, 5, 3600),
		pool: num('pool', values.pool, 10, 1, 100),
		port: num('port', values.port, 3205, 1024, 65_500),
		database: values.database ?? BENCH_DATABASE,
		keep: values.keep ?? false,
		redisUrl,
		profile: values.profile ? path.resolve(values.profile) : null
	};
	// every outcome sends its household to wait ≥ 30 minutes: the queue must hold a household per outcome of the
	// run (warm-up, two quiet phases, settling, connecting the viewers, the measured phase); ~75% of the seeded
	// households are callable
	const outcomes = opts.rate * (opts.seconds + 2 * opts.quietSeconds + 40 + (2 * STATS_SETTLE_MS) / 1000 + opts.viewers * 0.03);
	if (outcomes > opts.households * 0.6)
		throw new UsageError(`--households ${opts.households} is too few for about ${Math.round(outcomes)} outcomes at --rate ${opts.rate}: use at least ${Math.ceil(outcomes / 0.6)}`);
	return opts;
}

const log = (m: string) => console.log(`bench: ${new Date().toISOString().slice(11, 19)} ${m}`);
const fmt = (n: number) => n.toLocaleString('en');

// ─── figures ────────────────────────────────────────────────────────────────

function percentile(sorted: Float64Array, p: number): number {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const ms = (x: number) => (Number.isNaN(x) ? '-' : Math.abs(x) < 10 ? x.toFixed(2) : x.toFixed(1));

function table(head: string[], body: string[][]): string {
	const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
	const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
	return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

// ─── processes: CPU and RSS from /proc ──────────────────────────────────────

const CLK_TCK = (() => {
	const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
	const n = Number(r.stdout?.trim());
	return Number.isFinite(n) && n > 0 ? n : 100;
})();

interface ProcSample {
	/** CPU seconds (user + system) so far */
	cpu: number;
	rssMb: number;
	/** the kernel's high-water mark of the resident set */
	hwmMb: number;
	at: number;
}

function readProc(pid: number): ProcSample | null {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		// fields from the 3rd (state): utime is the 14th, stime the 15th
		const cpu = (Number(f[11]) + Number(f[12])) / CLK_TCK;
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
		return { cpu, rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024, at: performance.now() };
	} catch {
		return null;
	}
}

/** Samples processes every SAMPLE_MS: the peak RSS of a phase, and CPU between two marks. */
class Sampler {
	private timer: NodeJS.Timeout | null = null;
	private peaks = new Map<string, number>();
	constructor(private procs: Map<string, number>) {}
	start() {
		this.timer = setInterval(() => this.tick(), SAMPLE_MS);
		this.timer.unref();
	}
	private tick() {
		for (const [name, pid] of this.procs) {
			const s = readProc(pid);
			if (s) this.peaks.set(name, Math.max(this.peaks.get(name) ?? 0, s.rssMb));
		}
	}
	mark(): Map<string, ProcSample | null> {
		this.tick();
		return new Map([...this.procs].map(([n, pid]) => [n, readProc(pid)]));
	}
	resetPeaks() {
		this.peaks.clear();
	}
	procsRemove(names: string[]) {
		for (const n of names) this.procs.delete(n);
	}
	/** follow more processes (the viewers' children) from now on */
	procsAdd(children: { name: string; proc: ChildProcess }[]) {
		for (const c of children) if (c.proc.pid) this.procs.set(c.name, c.proc.pid);
	}
	peak(name: string) {
		return this.peaks.get(name) ?? NaN;
	}
	stop() {
		if (this.timer) clearInterval(this.timer);
	}
}

interface ProcFigures {
	name: string;
	/** share of one core over the phase, % */
	cpuPct: number;
	peakRssMb: number;
	endRssMb: number;
	hwmMb: number;
}

function procFigures(name: string, a: ProcSample | null | undefined, b: ProcSample | null | undefined, peak: number): ProcFigures {
	if (!a || !b) return { name, cpuPct: NaN, peakRssMb: NaN, endRssMb: NaN, hwmMb: NaN };
	return { name, cpuPct: ((b.cpu - a.cpu) / ((b.at - a.at) / 1000)) * 100, peakRssMb: Math.max(peak, b.rssMb), endRssMb: b.rssMb, hwmMb: b.hwmMb };
}

// ─── child processes ────────────────────────────────────────────────────────

interface Child {
	name: string;
	proc: ChildProcess;
	/** the next message of this type (…:done), or the child's error */
	request: <T>(msg: ParentMessage, answer: string, timeoutMs?: number) => Promise<T>;
	close: () => Promise<void>;
}

/** set from --profile: every child process writes a CPU profile there too */
let childProfileDir: string | null = null;

function startChild(name: string, children: Child[]): Child {
	const proc = fork(CHILD, [name], {
		cwd: root,
		execArgv: childProfileDir ? [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${path.join(childProfileDir, name)}`] : process.execArgv,
		serialization: 'advanced',
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		env: { ...process.env, TMPDIR: process.env.TMPDIR }
	});
	const child: Child = {
		name,
		proc,
		request: (msg, answer, timeoutMs = 300_000) =>
			new Promise((resolve, reject) => {
				const t = setTimeout(() => {
					proc.off('message', on);
					reject(new Error(`${name}: no ${answer} within ${timeoutMs} ms`));
				}, timeoutMs);
				const on = (m: { type: string; message?: string }) => {
					if (m.type === answer || m.type === 'error') {
						clearTimeout(t);
						proc.off('message', on);
						proc.off('exit', onExit);
						if (m.type === 'error') reject(new Error(`${name}: ${m.message}`));
						else resolve(m as never);
					}
				};
				const onExit = (code: number | null) => {
					clearTimeout(t);
					proc.off('message', on);
					reject(new Error(`${name} exited (${code}) before ${answer}`));
				};
				proc.on('message', on);
				proc.once('exit', onExit);
				proc.send(msg);
			}),
		close: () =>
			new Promise<void>((resolve) => {
				const i = children.indexOf(child);
				if (i >= 0) children.splice(i, 1);
				if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
				const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
				proc.once('exit', () => {
					clearTimeout(t);
					resolve();
				});
				if (proc.connected) proc.send({ type: 'close' } satisfies ParentMessage);
				else proc.kill('SIGTERM');
			})
	};
	proc.setMaxListeners(50);
	children.push(child);
	return child;
}

// ─── the kansho instances ───────────────────────────────────────────────────

interface KanshoServer {
	name: string;
	url: string;
	proc: ChildProcess;
	output: () => string;
	stop: () => Promise<void>;
}

async function startInstance(opts: { name: string; port: number; databaseUrl: string; pool: number; redisUrl: string; profile: string | null }): Promise<KanshoServer> {
	let out = '';
	const env: Record<string, string | undefined> = {
		...process.env,
		NODE_ENV: 'production',
		PORT: String(opts.port),
		HOST: '127.0.0.1',
		DATABASE_URL: opts.databaseUrl,
		DB_POOL_MAX: String(opts.pool),
		SEED_DEMO: 'false',
		// the bench runs at any hour: the calling window is not enforced (the hard limits 08:00–21:00 are for floors)
		CALLING_WINDOW: 'ignore',
		SESSION_IDLE_MINUTES: '1440',
		SESSION_TTL_HOURS: '24',
		REDIS_URL: opts.redisUrl,
		REDIS_KEY_PREFIX: REDIS_PREFIX,
		INSTANCE_ID: `bench-fanout-${opts.name}`,
		LOG_LEVEL: 'warn',
		ORIGIN: undefined
	};
	delete env.NODE_OPTIONS;
	// Node writes a profile per thread when the process exits (tsx's loader runs in a worker)
	const profile = opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(opts.profile, `instance-${opts.name}`)}`] : [];
	const proc = spawn(process.execPath, [...profile, '--import', 'tsx', 'server/index.ts'], { cwd: root, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
	const keep = (d: Buffer) => {
		out += d.toString();
		if (out.length > 200_000) out = out.slice(-100_000);
	};
	proc.stdout!.on('data', keep);
	proc.stderr!.on('data', keep);
	const url = `http://127.0.0.1:${opts.port}`;
	const deadline = Date.now() + 120_000;
	for (;;) {
		if (proc.exitCode !== null) throw new Error(`kansho instance ${opts.name} exited (${proc.exitCode}):\n${out.slice(-4000)}`);
		try {
			const r = await fetch(`${url}/readyz`);
			if (r.ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			proc.kill('SIGKILL');
			throw new Error(`kansho instance ${opts.name} on port ${opts.port} did not become ready:\n${out.slice(-4000)}`);
		}
		await sleep(250);
	}
	return {
		name: opts.name,
		url,
		proc,
		output: () => out,
		stop: () =>
			new Promise<void>((resolve) => {
				if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
				const t = setTimeout(() => proc.kill('SIGKILL'), 25_000);
				proc.once('exit', () => {
					clearTimeout(t);
					resolve();
				});
				proc.kill('SIGTERM');
			})
	};
}

/** server/index.ts serves pages from build/; the sockets do not need them, but the server will not start without. */
function ensureBuild(): boolean {
	if (fs.existsSync(path.join(root, 'build', 'handler.js'))) return true;
	log('build/handler.js is missing: building (flock /tmp/kansho-build.lock node --import tsx server/cli.ts ensure-build)');
	const r = spawnSync('flock', ['/tmp/kansho-build.lock', process.execPath, '--import', 'tsx', 'server/cli.ts', 'ensure-build'], { cwd: root, stdio: 'inherit' });
	return r.status === 0;
}

/**
 * Hold /tmp/kansho-build.lock (the lock every build of the shared build/ takes) until the returned function is
 * called: a shell child holds it; resolves once the lock is held (at most 10 minutes of waiting).
 */
async function buildLock(): Promise<() => void> {
	// the shell holds the lock's file descriptor and waits for its stdin to close; flock itself exits once locked
	const holder = spawn('sh', ['-c', 'exec 9>>/tmp/kansho-build.lock && flock -w 600 9 && echo locked && read _'], { stdio: ['pipe', 'pipe', 'inherit'] });
	const release = () => {
		holder.stdin!.end();
		if (holder.exitCode === null && holder.signalCode === null) setTimeout(() => holder.exitCode === null && holder.kill('SIGTERM'), 2000).unref();
	};
	await new Promise<void>((resolve, reject) => {
		holder.stdout!.once('data', () => resolve());
		holder.once('exit', (code) => reject(new Error(`could not take /tmp/kansho-build.lock (flock exited ${code})`)));
	}).catch((e) => {
		release();
		throw e;
	});
	return release;
}

/** Does the server speak the live protocol? One supervisor socket asks for the floor view. */
async function detectProtocol(url: string, token: string): Promise<{ live: boolean; why: string }> {
	const socket = ioClient(url, { transports: ['websocket'], extraHeaders: { cookie: `kansho_session=${token}` }, reconnection: false, forceNew: true });
	try {
		await new Promise<void>((resolve, reject) => {
			socket.once('connect', () => resolve());
			socket.once('connect_error', (e) => reject(e));
		});
		const res = (await socket.timeout(5000).emitWithAck('live:subscribe' as never, { view: 'floor' } as never).catch(() => null)) as {
			ok: boolean;
			code?: string;
			data?: { version: number; snapshot: { operators?: unknown[] } };
		} | null;
		if (!res) return { live: false, why: 'live:subscribe was not answered (no handler): the floor room events are measured instead' };
		if (!res.ok) return { live: false, why: `live:subscribe refused (${res.code}): the floor room events are measured instead` };
		if (!Array.isArray(res.data?.snapshot?.operators)) return { live: false, why: 'the floor snapshot has no operators list: the floor room events are measured instead' };
		return { live: true, why: `live:subscribe answered a floor snapshot (version ${res.data!.version}, ${res.data!.snapshot.operators!.length} operators)` };
	} finally {
		socket.disconnect();
	}
}

// ─── operators ──────────────────────────────────────────────────────────────

interface Account {
	id: number;
	token: string;
}

interface OperatorFigures {
	claims: number;
	outcomes: number;
	errors: Map<string, number>;
	/** callId → when its ack arrived (ms since the epoch) */
	ackAt: Map<number, number>;
}

function pickOutcome(rand: () => number): string {
	const total = OUTCOME_MIX.reduce((s, o) => s + o.weight, 0);
	let x = rand() * total;
	for (const o of OUTCOME_MIX) if ((x -= o.weight) < 0) return o.code;
	return OUTCOME_MIX[0].code;
}

/**
 * One operator at a fixed pace: a cycle every `periodMs` (operators / rate), starting at its own offset so the
 * floor's outcomes are spread evenly: claim → talk (up to a third of the period, at most 1 s) → outcome. A cycle
 * that has begun is finished when `stopped()` turns true.
 */
async function paceOperator(op: SimOperator, index: number, count: number, periodMs: number, startAt: number, figures: OperatorFigures, phoneOf: (h: number) => number | null, stopped: () => boolean) {
	const rand = seededRandom(op.userId * 7919);
	const talkMax = Math.min(1000, periodMs / 3);
	let next = startAt + (index / count) * periodMs;
	const fail = (k: string) => figures.errors.set(k, (figures.errors.get(k) ?? 0) + 1);
	while (!stopped()) {
		const wait = next - performance.now();
		if (wait > 0) await sleep(wait);
		if (stopped()) break;
		next += periodMs;
		const c = await op.claim();
		if (!c.ok) {
			fail(`claim:${c.code}`);
			continue;
		}
		figures.claims++;
		await sleep(rand() * talkMax);
		const householdId = c.data.householdId;
		const o = await op.record(householdId, pickOutcome(rand), phoneOf(householdId));
		if (o.ok) {
			figures.outcomes++;
			figures.ackAt.set(o.data.callId, now());
		} else {
			fail(`outcome:${o.code}`);
			const r = await op.release(householdId);
			if (!r.ok && r.code !== 'claim_not_held') fail(`release:${r.code}`);
		}
	}
}

// ─── the database's load ────────────────────────────────────────────────────

interface DbMark {
	xacts: number;
	/** scans of the scratch database's tables (sequential + index) */
	scans: number;
	tuples: number;
	at: number;
}

async function dbMark(admin: Sql, bench: Sql, database: string): Promise<DbMark> {
	// the statistics of other backends reach the shared counters about once a second: read a fresh view
	const [d] = await admin<{ xacts: number; tuples: number }[]>`
		select (xact_commit + xact_rollback)::float8 as xacts, (tup_returned + tup_fetched)::float8 as tuples
		from pg_stat_database where datname = ${database}`;
	const [t] = await bench<{ scans: number }[]>`select coalesce(sum(coalesce(seq_scan, 0) + coalesce(idx_scan, 0)), 0)::float8 as scans from pg_stat_user_tables`;
	return { xacts: d?.xacts ?? NaN, tuples: d?.tuples ?? NaN, scans: t?.scans ?? NaN, at: performance.now() };
}

interface DbRate {
	xactsPerSecond: number;
	scansPerSecond: number;
	tuplesPerSecond: number;
}

const dbRate = (a: DbMark, b: DbMark): DbRate => {
	const s = (b.at - a.at) / 1000;
	return { xactsPerSecond: (b.xacts - a.xacts) / s, scansPerSecond: (b.scans - a.scans) / s, tuplesPerSecond: (b.tuples - a.tuples) / s };
};

/**
 * What the scratch database's sessions are doing, sampled every second from pg_stat_activity: the non-idle ones
 * by wait event (CPU when none), and the longest transaction seen (what stalls the floor when acks time out).
 */
class DbWatch {
	private timer: NodeJS.Timeout | null = null;
	private busy = false;
	samples = 0;
	sessions = 0;
	waits = new Map<string, number>();
	longest: { seconds: number; wait: string; query: string } | null = null;
	constructor(private admin: Sql, private database: string) {}
	start() {
		this.timer = setInterval(() => void this.tick(), 1000);
		this.timer.unref();
		return this;
	}
	private async tick() {
		if (this.busy) return;
		this.busy = true;
		try {
			const rows = await this.admin<{ wait: string; xactSeconds: number | null; query: string; state: string }[]>`
				select coalesce(wait_event_type || ':' || wait_event, 'CPU') as wait, state,
				       extract(epoch from clock_timestamp() - xact_start)::float8 as xact_seconds,
				       left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 140) as query
				from pg_stat_activity
				where datname = ${this.database} and state <> 'idle' and pid <> pg_backend_pid() and backend_type = 'client backend'`;
			this.samples++;
			this.sessions += rows.length;
			for (const r of rows) {
				const k = r.state === 'active' ? r.wait : `${r.state} (${r.wait})`;
				this.waits.set(k, (this.waits.get(k) ?? 0) + 1);
				if (r.xactSeconds !== null && r.xactSeconds > (this.longest?.seconds ?? 0)) this.longest = { seconds: r.xactSeconds, wait: k, query: r.query };
			}
		} catch {
			// a sample lost: not worth stopping the run
		} finally {
			this.busy = false;
		}
	}
	stop(): string {
		if (this.timer) clearInterval(this.timer);
		if (!this.samples) return 'no samples';
		const total = [...this.waits.values()].reduce((a, b) => a + b, 0) || 1;
		const top = [...this.waits]
			.sort((a, b) => b[1] - a[1])
			.slice(0, 5)
			.map(([k, n]) => `${k} ${Math.round((n / total) * 100)}%`)
			.join(', ');
		const longest = this.longest ? `; longest transaction seen ${this.longest.seconds.toFixed(1)} s (${this.longest.wait}): ${this.longest.query}` : '';
		return `${(this.sessions / this.samples).toFixed(1)} busy sessions on average${top ? ` (${top})` : ''}${longest}`;
	}
}

// ─── viewers ────────────────────────────────────────────────────────────────

interface ViewerSet {
	children: Child[];
	connected: number;
	failed: number;
	errors: string[];
	connectSeconds: number;
}

async function startViewers(mode: ViewerMode, targets: ViewerTarget[], procs: number, children: Child[], deadlineSeconds: number): Promise<ViewerSet> {
	const started = performance.now();
	const n = Math.max(1, Math.min(procs, targets.length));
	const set: ViewerSet = { children: [], connected: 0, failed: 0, errors: [], connectSeconds: 0 };
	const readyBy = new Map<string, number>();
	let logged = performance.now();
	await Promise.all(
		Array.from({ length: n }, async (_, p) => {
			const mine = targets.filter((_, i) => i % n === p);
			const c = startChild(`viewers-${p + 1}`, children);
			set.children.push(c);
			const onProgress = (m: { type: string; ready?: number }) => {
				if (m.type !== 'viewers:progress') return;
				readyBy.set(c.name, m.ready ?? 0);
				if (performance.now() - logged > 14_000) {
					logged = performance.now();
					log(`  ${fmt([...readyBy.values()].reduce((x, y) => x + y, 0))} of ${fmt(targets.length)} viewers following after ${((logged - started) / 1000).toFixed(0)} s`);
				}
			};
			c.proc.on('message', onProgress);
			const r = await c
				.request<{ connected: number; failed: number; errors: string[] }>(
					{ type: 'viewers', mode, targets: mine, concurrency: 25, trace: p === 0, deadlineMs: deadlineSeconds * 1000 },
					'viewers:done',
					deadlineSeconds * 1000 + 60_000
				)
				.finally(() => c.proc.off('message', onProgress));
			set.connected += r.connected;
			set.failed += r.failed;
			set.errors.push(...r.errors);
		})
	);
	set.connectSeconds = (performance.now() - started) / 1000;
	return set;
}

async function collectViewers(set: ViewerSet, keys: Float64Array) {
	const results = await Promise.all(set.children.map((c) => c.request<ViewerResult>({ type: 'collect', keys }, 'collect:done', 120_000)));
	return results;
}

// ─── the run ────────────────────────────────────────────────────────────────

interface Latencies {
	label: string;
	sorted: Float64Array;
}

/** The instances' live engines (GET /healthz), summed over both: recomputes, deltas and snapshots sent per second. */
interface LiveRate {
	recomputes: number;
	deltas: number;
	snapshots: number;
	/** events that asked for a recompute (what they could not say exactly; absent in older servers: 0) */
	dirtyEvents: number;
}

/** One measured stretch of the run at a number of viewers, operators working throughout. */
interface Load {
	label: string;
	viewers: number;
	db: DbRate;
	live: LiveRate | null;
	procs: ProcFigures[];
	outcomesPerSecond: number;
	/** DbWatch's summary of the phase */
	waits: string;
}

interface Report {
	opts: Options;
	protocol: 'live' | 'legacy';
	protocolWhy: string;
	seedSeconds: number;
	queue: string;
	/** 0 viewers, 2 viewers (one per instance), --viewers */
	loads: Load[];
	/** the database while the viewers connected */
	connectWaits: string;
	viewers: {
		callsMeasured: number;
		receipts: number;
		expected: number;
		connected: number;
		connectSeconds: number;
		messagesPerViewerPerSecond: number;
		meanBytes: number;
		mix: { event: string; perSecond: number; meanBytes: number }[];
		missingCalls: number;
		missingExamples: string[];
		regressions: number;
		viaSnapshot: number;
		resyncs: number;
		disconnects: number;
		errors: string[];
		fromCommit: Latencies;
		fromAck: Latencies;
		fromTxStart: Latencies;
	} | null;
	baseline: {
		procs: ProcFigures[];
		sent: number;
		messagesPerSecond: number;
		meanBytes: number;
		receipts: number;
		expected: number;
		connected: number;
		disconnects: number;
		errors: string[];
		latencies: Latencies;
		/** the replayed messages that were, in the kansho run, the kind measured there */
		sameKind: Latencies;
		measuredEvent: string;
		replayed: boolean;
	} | null;
	operators: OperatorFigures;
	serverErrors: string[];
}

export async function runFanout(args: string[]): Promise<number> {
	let opts: Options;
	try {
		opts = parseOptions(args);
	} catch (e) {
		if (e instanceof UsageError) {
			console.error(`bench fanout: ${e.message}\nusage: npm run bench -- ${fanoutUsage}`);
			return 2;
		}
		throw e;
	}
	childProfileDir = opts.profile;
	let bench: BenchServer | null = null;
	const pools: Sql[] = [];
	const instances: KanshoServer[] = [];
	const children: Child[] = [];
	const operators: SimOperator[] = [];
	const heartbeats: NodeJS.Timeout[] = [];
	let sampler: Sampler | null = null;
	let stop = false;
	let dropped = false;

	const cleanup = async () => {
		for (const t of heartbeats.splice(0)) clearInterval(t);
		for (const o of operators.splice(0)) o.close();
		sampler?.stop();
		await Promise.allSettled(children.slice().map((c) => c.close()));
		await Promise.allSettled(instances.splice(0).map((i) => i.stop()));
		for (const p of pools.splice(0)) await p.end({ timeout: 5 }).catch(() => {});
		if (bench && !opts.keep && !dropped) {
			const { connect } = await import('../src/lib/server/db.ts');
			const admin = connect(bench.adminUrl.toString(), { max: 1 });
			await admin
				.unsafe(`drop database if exists ${bench.database} with (force)`)
				.then(() => log(`dropped ${bench!.database} (--keep keeps it)`))
				.catch((e) => console.error(`bench fanout: could not drop ${bench!.database}: ${String(e)}`));
			await admin.end({ timeout: 5 }).catch(() => {});
			dropped = true;
		}
		if (bench) await bench.stop();
	};

	// a hard bound on the whole run
	const budgetSeconds = 600 + opts.households * 0.01 + 2 * opts.quietSeconds + 2 * opts.seconds + 3 * opts.connectSeconds;
	const watchdog = setTimeout(() => {
		console.error(`bench fanout: still running after ${Math.round(budgetSeconds)} s; giving up`);
		stop = true;
		void Promise.race([cleanup(), sleep(30_000)]).finally(() => process.exit(1));
	}, budgetSeconds * 1000);
	watchdog.unref();

	let interrupted = 0;
	const onSignal = () => {
		if (++interrupted > 1) process.exit(130);
		console.error('bench fanout: interrupted; cleaning up (again to quit at once)');
		stop = true;
	};
	/** sleep that ends early when the run is stopped */
	const wait = async (msTotal: number) => {
		const end = performance.now() + msTotal;
		while (!stop && performance.now() < end) await sleep(Math.min(250, end - performance.now()));
	};

	try {
		if (!ensureBuild()) {
			console.error('bench fanout: the build failed');
			return 2;
		}
		bench = await openForBench('fanout', log, onSignal, opts.database);
		if (!bench) return 2;
		const { adminUrl, benchUrl } = bench;
		const info = await freshBenchDb(adminUrl, log, opts.database);
		process.env.DATABASE_URL = benchUrl.toString();
		process.env.DB_POOL_MAX = '2';

		const { connect } = await import('../src/lib/server/db.ts');
		const { migrate } = await import('../src/lib/server/migrate.ts');
		const { seedDemo } = await import('../src/lib/server/demo/demo.ts');
		const { createUser } = await import('../src/lib/server/users/users.ts');
		const { assignOperator } = await import('../src/lib/server/segments/segments.ts');
		const { EVENTS_CHANNEL } = await import('../src/lib/realtime/events.ts');

		// ── the scratch database: migrated, seeded through the import ──
		const setup = connect(benchUrl.toString(), { max: 2 });
		pools.push(setup);
		await migrate(setup, () => {});
		const seedStarted = performance.now();
		log(`seeding ${fmt(opts.households)} synthetic households through the import (seedDemo, seed 1) …`);
		const seeded = await seedDemo(setup, { households: opts.households, seed: 1 });
		const seedSeconds = (performance.now() - seedStarted) / 1000;

		// ── accounts: operators in every segment, one supervisor per viewer; sessions as openSession writes them ──
		const session = (tx: Db, id: number) => {
			const token = randomBytes(32).toString('base64url');
			return tx`insert into sessions (id, user_id, expires_at, user_agent)
				values (${createHash('sha256').update(token).digest('hex')}, ${id}, now() + interval '24 hours', 'kansho-bench-fanout')`.then(() => token);
		};
		const { ops, sups } = await setup.begin(async (tx) => {
			const segmentIds = (await tx<{ id: number }[]>`select id from segments where active order by id`).map((s) => s.id);
			const first = await createUser(tx, { loginId: 'bench-op-001', displayName: 'bench operator 1', role: 'operator', password: BENCH_PASSWORD });
			const [{ passwordHash }] = await tx<{ passwordHash: string }[]>`select password_hash from users where id = ${first.id}`;
			const rest = await tx<{ id: number }[]>`
				insert into users (login_id, display_name, role, password_hash)
				select 'bench-op-' || lpad(g::text, 3, '0'), 'bench operator ' || g, 'operator', ${passwordHash}
				from generate_series(2, ${opts.operators}) g order by g
				returning id`;
			const ops: Account[] = [];
			// the desk needs the personal-information protection training recorded (issue #9)
			await recordPrivacyCompleted(tx, [first.id, ...rest.map((r) => r.id)], { trainer: 'bench' });
			for (const id of [first.id, ...rest.map((r) => r.id)]) {
				for (const s of segmentIds) await assignOperator(tx, id, s);
				ops.push({ id, token: await session(tx, id) });
			}
			// three more supervisors than viewers: the protocol check's, and the two viewers of the small phase
			const supIds = await tx<{ id: number }[]>`
				insert into users (login_id, display_name, role, password_hash)
				select 'bench-sup-' || lpad(g::text, 5, '0'), 'bench supervisor ' || g, 'supervisor', ${passwordHash}
				from generate_series(1, ${opts.viewers + 3}) g order by g
				returning id`;
			const sups: Account[] = [];
			for (const { id } of supIds) sups.push({ id, token: await session(tx, id) });
			return { ops, sups };
		});
		const phones = new Map<number, number>();
		for (const r of await setup<{ householdId: number; id: number }[]>`
			select distinct on (household_id) household_id, id from phones where valid and status = 'active' order by household_id, id`)
			phones.set(r.householdId, r.id);
		await setup.unsafe('vacuum (analyze)');
		const queueRows = await setup<{ state: string; n: number }[]>`select state, count(*)::int as n from call_queue group by state order by state`;
		const queue = queueRows.map((r) => `${r.state} ${fmt(r.n)}`).join(', ');
		log(`seeded in ${seedSeconds.toFixed(0)} s: queue ${queue}; ${ops.length} operators, ${sups.length} supervisors for the viewers`);
		const admin = connect(adminUrl.toString(), { max: 1 });
		pools.push(admin);

		// ── the probe (commit = its NOTIFY arrives), then the two instances ──
		const probe = startChild('probe', children);
		await probe.request({ type: 'probe', databaseUrl: benchUrl.toString(), channel: EVENTS_CHANNEL }, 'probe:done', 30_000);
		log(`starting kansho instances on ports ${opts.port} and ${opts.port + 10} (Redis adapter, prefix ${REDIS_PREFIX}, pool ${opts.pool} each) …`);
		// build/ is shared with other engineers' rebuilds: hold the build lock while the instances load it
		const unlock = await buildLock();
		const [a, b] = await Promise.all([
			startInstance({ name: 'A', port: opts.port, databaseUrl: benchUrl.toString(), pool: opts.pool, redisUrl: opts.redisUrl, profile: opts.profile }),
			startInstance({ name: 'B', port: opts.port + 10, databaseUrl: benchUrl.toString(), pool: opts.pool, redisUrl: opts.redisUrl, profile: opts.profile })
		]).finally(unlock);
		instances.push(a, b);
		sampler = new Sampler(new Map([['kansho A', a.proc.pid!], ['kansho B', b.proc.pid!]]));
		sampler.start();

		// ── operators: half on each instance, heartbeats as the desk sends them, paced to --rate ──
		for (const [i, o] of ops.entries()) operators.push(new SimOperator({ url: (i % 2 ? b : a).url, token: o.token, userId: o.id }));
		await Promise.all(operators.map((o) => o.connect()));
		for (const o of operators) {
			const t = setInterval(() => void o.heartbeat(), 20_000);
			t.unref();
			heartbeats.push(t);
		}
		const figures: OperatorFigures = { claims: 0, outcomes: 0, errors: new Map(), ackAt: new Map() };
		const periodMs = (opts.operators / opts.rate) * 1000;
		let opsStopped = false;
		const opsStart = performance.now() + 500;
		log(`${operators.length} operators connected; each records an outcome every ${(periodMs / 1000).toFixed(1)} s (${opts.rate}/s in all)`);
		const loops = Promise.all(
			operators.map((o, i) => paceOperator(o, i, operators.length, periodMs, opsStart, figures, (h) => phones.get(h) ?? null, () => opsStopped || stop))
		);
		// warm up: every operator has started its first cycle
		await wait(Math.min(periodMs, 15_000) + 1000);

		const report: Report = {
			opts,
			protocol: 'legacy',
			protocolWhy: '',
			seedSeconds,
			queue,
			loads: [],
			connectWaits: '',
			viewers: null,
			baseline: null,
			operators: figures,
			serverErrors: []
		};

		/** the live engines' counters of both instances (null when /healthz has none: no live engine) */
		const liveMark = async () => {
			let sum: LiveRate | null = { recomputes: 0, deltas: 0, snapshots: 0, dirtyEvents: 0 };
			for (const i of [a, b]) {
				const h = (await fetch(`${i.url}/healthz`).then((r) => r.json()).catch(() => null)) as { live?: LiveRate } | null;
				if (!h?.live || !sum) sum = null;
				else for (const k of ['recomputes', 'deltas', 'snapshots', 'dirtyEvents'] as const) sum[k] += h.live[k] ?? 0;
			}
			return { at: performance.now(), sum };
		};
		/** measure `seconds` of the run as it is (operators working, `viewers` connected) */
		const measure = async (label: string, viewers: number, seconds: number, hooks: { start?: () => void; end?: () => void } = {}): Promise<Load> => {
			const s = sampler!;
			s.resetPeaks();
			const p0 = s.mark();
			const d0 = await dbMark(admin, setup, opts.database);
			const l0 = await liveMark();
			const o0 = figures.outcomes;
			const watch = new DbWatch(admin, opts.database).start();
			hooks.start?.();
			await wait(seconds * 1000);
			hooks.end?.();
			const waits = watch.stop();
			const d1 = await dbMark(admin, setup, opts.database);
			const l1 = await liveMark();
			const p1 = s.mark();
			const ls = (l1.at - l0.at) / 1000;
			return {
				label,
				viewers,
				db: dbRate(d0, d1),
				live:
					l0.sum && l1.sum
						? {
								recomputes: (l1.sum.recomputes - l0.sum.recomputes) / ls,
								deltas: (l1.sum.deltas - l0.sum.deltas) / ls,
								snapshots: (l1.sum.snapshots - l0.sum.snapshots) / ls,
								dirtyEvents: (l1.sum.dirtyEvents - l0.sum.dirtyEvents) / ls
							}
						: null,
				procs: [...p1.keys()].map((n) => procFigures(n, p0.get(n), p1.get(n), s.peak(n))),
				outcomesPerSecond: (figures.outcomes - o0) / ((d1.at - d0.at) / 1000),
				waits
			};
		};

		// ── no viewers: no instance has computed a view yet ──
		if (opts.quietSeconds > 0 && !stop) {
			log(`phase without viewers: ${opts.quietSeconds} s`);
			report.loads.push(await measure('0 viewers', 0, opts.quietSeconds));
		}

		const detected =
			opts.protocol === 'auto'
				? await detectProtocol(a.url, sups[opts.viewers].token)
				: { live: opts.protocol === 'live', why: `--protocol ${opts.protocol}` };
		const protocol: 'live' | 'legacy' = detected.live ? 'live' : 'legacy';
		report.protocol = protocol;
		report.protocolWhy = detected.why;
		log(`viewers: ${protocol === 'live' ? 'live protocol (floor view)' : 'floor room events (call:recorded)'}: ${detected.why}`);

		// ── two viewers, one per instance: each instance's engine runs; the cost of the views without the fanout ──
		if (opts.quietSeconds > 0 && !stop) {
			const few = await startViewers(protocol, [a, b].map((x, i) => ({ url: x.url, token: sups[opts.viewers + 1 + i].token })), 1, children, opts.connectSeconds);
			sampler.procsAdd(few.children.map((c) => ({ ...c, name: 'viewers (2)' })));
			await wait(STATS_SETTLE_MS);
			log(`phase with 2 viewers (one per instance): ${opts.quietSeconds} s`);
			report.loads.push(await measure('2 viewers', few.connected, opts.quietSeconds));
			sampler.procsRemove(['viewers (2)']);
			await Promise.all(few.children.map((c) => c.close()));
		}

		// ── viewers ──
		let trace: [number, number, string][] = [];
		/** the baseline's clients: as many as followed the kansho view (not --viewers when some were given up) */
		let baselineViewers = opts.viewers;
		if (opts.viewers > 0 && !stop) {
			log(`connecting ${fmt(opts.viewers)} viewers (supervisor sessions, half on each instance, ${opts.viewerProcs} processes) …`);
			const targets = sups.slice(0, opts.viewers).map((s, i) => ({ url: (i % 2 ? b : a).url, token: s.token }));
			const connectWatch = new DbWatch(admin, opts.database).start();
			const set = await startViewers(protocol, targets, opts.viewerProcs, children, opts.connectSeconds);
			report.connectWaits = connectWatch.stop();
			log(`${fmt(set.connected)} viewers connected in ${set.connectSeconds.toFixed(1)} s${set.failed ? `, ${set.failed} failed: ${set.errors.slice(0, 3).join('; ')}` : ''}`);
			sampler.procsAdd(set.children);
			// the connects' own queries (session, presence, subscribe) reach pg_stat_database up to ~10 s later
			// (idle backends report their counters at most every 10 s): let them land before measuring
			await wait(STATS_SETTLE_MS);
			log(`viewers phase: ${opts.seconds} s`);
			for (const c of set.children) {
				c.proc.send({ type: 'record', on: true } satisfies ParentMessage);
				c.proc.send({ type: 'count', on: true } satisfies ParentMessage);
			}
			let windowStart = 0;
			let windowEnd = 0;
			const load = await measure(`${fmt(set.connected)} viewers`, set.connected, opts.seconds, {
				start: () => (windowStart = now()),
				end: () => {
					windowEnd = now();
					for (const c of set.children) c.proc.send({ type: 'count', on: false } satisfies ParentMessage);
				}
			});
			report.loads.push(load);
			baselineViewers = set.connected;
			opsStopped = true;
			await loops;
			await sleep(DRAIN_MS);
			const probed = await probe.request<ProbeResult>({ type: 'probe-collect' }, 'probe-collect:done', 60_000);
			const measured = probed.calls.filter((c) => c.at >= windowStart && c.at <= windowEnd);
			const keys = Float64Array.from(measured.map((c) => (protocol === 'live' ? liveKey(c.operatorId, c.ordinal) : c.callId)));
			const results = await collectViewers(set, keys);
			const fromCommit: number[] = [];
			const fromAck: number[] = [];
			const fromTxStart: number[] = [];
			let receipts = 0;
			const perCall = new Int32Array(measured.length);
			for (const r of results) {
				receipts += r.index.length;
				for (let i = 0; i < r.index.length; i++) {
					perCall[r.index[i]]++;
					const c = measured[r.index[i]];
					const t = r.at[i];
					fromCommit.push(t - c.at);
					fromTxStart.push(t - c.recordedAt);
					const ack = figures.ackAt.get(c.callId);
					if (ack !== undefined) fromAck.push(t - ack);
				}
			}
			trace = results[0]?.trace ?? [];
			const windowSeconds = (windowEnd - windowStart) / 1000;
			const messages = results.reduce((s, r) => s + r.messages, 0);
			// what one viewer received, by event
			const mix = new Map<string, { n: number; bytes: number }>();
			for (const [, size, event] of trace) {
				const m = mix.get(event) ?? { n: 0, bytes: 0 };
				m.n++;
				m.bytes += size;
				mix.set(event, m);
			}
			// the calls some viewers never saw: which, and when they committed
			const missing = measured
				.map((c, i) => ({ c, missed: set.connected - perCall[i] }))
				.filter((x) => x.missed > 0)
				.sort((x, y) => y.missed - x.missed);
			const sorted = (xs: number[]) => Float64Array.from(xs).sort();
			report.viewers = {
				callsMeasured: measured.length,
				receipts,
				expected: measured.length * set.connected,
				connected: set.connected,
				connectSeconds: set.connectSeconds,
				messagesPerViewerPerSecond: set.connected ? messages / set.connected / windowSeconds : 0,
				mix: [...mix].map(([event, m]) => ({ event, perSecond: m.n / windowSeconds, meanBytes: m.bytes / m.n })).sort((x, y) => y.perSecond * y.meanBytes - x.perSecond * x.meanBytes),
				missingCalls: missing.length,
				missingExamples: missing.slice(0, 5).map((x) => `call ${x.c.callId} (operator ${x.c.operatorId}'s ${x.c.ordinal}th, committed ${((x.c.at - windowEnd) / 1000).toFixed(1)} s from the window's end) missed by ${x.missed}`),
				regressions: results.reduce((s, r) => s + r.regressions, 0),
				meanBytes: trace.length ? trace.reduce((s, x) => s + x[1], 0) / trace.length : NaN,
				viaSnapshot: results.reduce((s, r) => s + r.viaSnapshot, 0),
				resyncs: results.reduce((s, r) => s + r.resyncs, 0),
				disconnects: results.reduce((s, r) => s + r.disconnects, 0),
				errors: results.flatMap((r) => r.errors).slice(0, 10),
				fromCommit: { label: 'from commit', sorted: sorted(fromCommit) },
				fromAck: { label: "from the operator's ack", sorted: sorted(fromAck) },
				fromTxStart: { label: 'from the transaction start', sorted: sorted(fromTxStart) }
			};
			await Promise.all(set.children.map((c) => c.close()));
		} else {
			opsStopped = true;
			await loops;
		}
		for (const t of heartbeats.splice(0)) clearInterval(t);
		for (const o of operators.splice(0)) o.close();
		await probe.close();
		for (const i of instances) {
			// errors logged by the instance, counted by message
			const byMsg = new Map<string, number>();
			for (const l of i.output().split('\n')) {
				if (!/"level":(50|60)/.test(l)) continue;
				let key = l.slice(0, 200);
				try {
					const e = JSON.parse(l) as { msg?: string; module?: string; event?: string; err?: { message?: string; stack?: string } };
					const at = e.err?.stack?.split('\n').find((x) => x.includes('/work/') && !x.includes('node_modules'))?.trim() ?? '';
					key = `[${e.module ?? ''}] ${e.msg ?? ''}${e.event ? ` (${e.event})` : ''}: ${e.err?.message ?? ''} ${at}`.slice(0, 400);
				} catch {
					// not JSON: as it is
				}
				byMsg.set(key, (byMsg.get(key) ?? 0) + 1);
			}
			report.serverErrors.push(...[...byMsg].map(([k, n]) => `${i.name}: ${n} × ${k}`));
		}
		log('stopping the kansho instances');
		await Promise.all(instances.splice(0).map((i) => i.stop()));
		sampler.stop();

		// ── baseline: plain Socket.IO servers with the same Redis adapter, the same messages ──
		if (opts.viewers > 0 && baselineViewers > 0 && !stop) {
			const servers = [startChild('baseline-1', children), startChild('baseline-2', children)];
			const ports = [opts.port + 20, opts.port + 30];
			await Promise.all(
				servers.map((s, i) =>
					s.request({ type: 'baseline-server', port: ports[i], redisUrl: opts.redisUrl, key: `${REDIS_PREFIX}baseline` }, 'baseline-server:done', 60_000)
				)
			);
			const bs = new Sampler(new Map(servers.map((s) => [s.name, s.proc.pid!])));
			bs.start();
			sampler = bs;
			log(`baseline: bare Socket.IO servers on ports ${ports.join(' and ')}; connecting ${fmt(baselineViewers)} viewers (as many as followed kansho's view) …`);
			const targets = Array.from({ length: baselineViewers }, (_, i) => ({ url: `http://127.0.0.1:${ports[i % 2]}`, token: null }));
			const set = await startViewers('baseline', targets, opts.viewerProcs, children, opts.connectSeconds);
			log(`${fmt(set.connected)} viewers connected in ${set.connectSeconds.toFixed(1)} s${set.failed ? `, ${set.failed} failed: ${set.errors.slice(0, 3).join('; ')}` : ''}`);
			bs.procsAdd(set.children);
			await wait(3000);
			// the kansho viewer's messages, replayed at their times and sizes (or, without a trace, --rate × 5 of 200 bytes)
			if (trace.length === 0) log('no trace of a kansho viewer: the baseline falls back to --rate × 5 broadcasts/s of 200 bytes (NOT the same messages)');
			const plan: [number, number][] =
				trace.length > 0
					? trace.map(([t, size]) => [t - trace[0][0], size] as [number, number])
					: Array.from({ length: Math.round(opts.seconds * opts.rate * 5) }, (_, i) => [(i * 1000) / (opts.rate * 5), 200]);
			const seconds = plan.length ? plan[plan.length - 1][0] / 1000 : opts.seconds;
			log(`baseline phase: ${fmt(plan.length)} broadcasts over ${seconds.toFixed(0)} s (mean ${Math.round(plan.reduce((s, p) => s + p[1], 0) / Math.max(1, plan.length))} bytes)`);
			for (const c of set.children) {
				c.proc.send({ type: 'record', on: true } satisfies ParentMessage);
				c.proc.send({ type: 'count', on: true } satisfies ParentMessage);
			}
			bs.resetPeaks();
			const p0 = bs.mark();
			const t0 = performance.now() + 100;
			let sent = 0;
			for (const [at, size] of plan) {
				if (stop) break;
				const delay = t0 + at - performance.now();
				if (delay > 1) await sleep(delay);
				servers[sent % 2].proc.send({ type: 'emit', seq: sent, size } satisfies ParentMessage);
				sent++;
			}
			const p1 = bs.mark();
			for (const c of set.children) c.proc.send({ type: 'count', on: false } satisfies ParentMessage);
			await sleep(DRAIN_MS);
			const results = await collectViewers(set, new Float64Array());
			const lat = Float64Array.from(results.flatMap((r) => Array.from(r.latencies))).sort();
			// the broadcasts standing for the messages kansho's latency is measured on (live:delta or call:recorded)
			const measuredEvent = report.protocol === 'live' ? 'live:delta' : 'call:recorded';
			const same: number[] = [];
			for (const r of results) for (let i = 0; i < r.seqs.length; i++) if (trace[r.seqs[i]]?.[2] === measuredEvent) same.push(r.latencies[i]);
			const elapsed = (p1.get(servers[0].name)?.at ?? performance.now()) - (p0.get(servers[0].name)?.at ?? t0);
			report.baseline = {
				procs: [...servers, ...set.children].map((c) => procFigures(c.name, p0.get(c.name), p1.get(c.name), bs.peak(c.name))),
				sent,
				messagesPerSecond: sent / (elapsed / 1000),
				meanBytes: plan.reduce((s, p) => s + p[1], 0) / Math.max(1, plan.length),
				receipts: lat.length,
				expected: sent * set.connected,
				connected: set.connected,
				disconnects: results.reduce((s, r) => s + r.disconnects, 0),
				errors: results.flatMap((r) => r.errors).slice(0, 10),
				latencies: { label: 'bare broadcast, all', sorted: lat },
				sameKind: { label: `bare broadcast, ${measuredEvent}s`, sorted: Float64Array.from(same).sort() },
				measuredEvent,
				replayed: trace.length > 0
			};
			await Promise.all(set.children.map((c) => c.close()));
			await Promise.all(servers.map((s) => s.close()));
			bs.stop();
		}

		printReport(report, info.version);
		if (stop) console.log('(interrupted: the results are partial)');
		return stop && interrupted > 0 ? 130 : 0;
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
		await cleanup();
		clearTimeout(watchdog);
	}
}

function printReport(r: Report, pgVersion: string) {
	const lines: string[] = [];
	const say = (s = '') => lines.push(s);
	const o = r.opts;
	say();
	say(`══ fanout benchmark: ${fmt(o.viewers)} viewers, ${o.operators} operators at ${o.rate} outcomes/s, two instances with the Redis adapter ══`);
	say(
		`PostgreSQL ${pgVersion}, ${os.cpus().length} CPUs, load average ${os
			.loadavg()
			.map((x) => x.toFixed(1))
			.join(' ')} at the end; ${fmt(o.households)} households seeded in ${r.seedSeconds.toFixed(0)} s (queue ${r.queue}); pool ${o.pool} per instance`
	);
	say(`viewers follow: ${r.protocol === 'live' ? 'the live protocol (live:subscribe floor → live:delta / live:snapshot)' : "the floor room's call:recorded events (no live protocol)"}; ${r.protocolWhy}`);
	const errs = [...r.operators.errors].map(([k, n]) => `${n} × ${k}`).join(', ');
	say(`operators: ${fmt(r.operators.claims)} claims, ${fmt(r.operators.outcomes)} outcomes in the whole run${errs ? `; refused or failed: ${errs}` : ''}`);
	say();

	const v = r.viewers;
	const bl = r.baseline;
	const latRow = (l: Latencies, extra: string): string[] => [
		l.label,
		fmt(l.sorted.length),
		ms(percentile(l.sorted, 50)),
		ms(percentile(l.sorted, 90)),
		ms(percentile(l.sorted, 99)),
		ms(l.sorted.length ? l.sorted[l.sorted.length - 1] : NaN),
		extra
	];
	if (v || bl) {
		say('latency at the viewers (ms; one sample per event per viewer):');
		const rows: string[][] = [];
		if (v) {
			rows.push(latRow(v.fromCommit, `${fmt(v.callsMeasured)} outcomes committed in the window × ${fmt(v.connected)} viewers = ${fmt(v.expected)} expected, ${fmt(v.expected - v.receipts)} missing`));
			rows.push(latRow(v.fromAck, 'lower bound: the ack leaves the server after the commit'));
			rows.push(latRow(v.fromTxStart, "upper bound: from the call's recorded_at (the outcome's transaction start)"));
		}
		if (bl) {
			rows.push(latRow(bl.sameKind, `the broadcasts replaying a ${bl.measuredEvent} (the messages measured above): the baseline compared`));
			rows.push(latRow(bl.latencies, `every broadcast: ${fmt(bl.sent)} × ${fmt(bl.connected)} viewers = ${fmt(bl.expected)} expected, ${fmt(bl.expected - bl.receipts)} missing`));
		}
		say(table(['', 'samples', 'p50', 'p90', 'p99', 'max', ''], rows));
		say();
	}
	if (v) {
		say(
			`kansho viewers: ${v.messagesPerViewerPerSecond.toFixed(1)} messages/s each (mean ${Number.isNaN(v.meanBytes) ? '-' : Math.round(v.meanBytes)} bytes as the first viewer received them)` +
				`${r.protocol === 'live' ? `; ${fmt(v.viaSnapshot)} arrivals came with a snapshot, ${fmt(v.resyncs)} re-subscriptions after a gap` : ''}; ${v.disconnects} disconnects; ${fmt(v.connected)} of ${fmt(o.viewers)} following after ${v.connectSeconds.toFixed(1)} s${v.connected < o.viewers ? ` (the rest given up at --connect-seconds ${o.connectSeconds})` : ''}`
		);
		say(`  what one viewer received, by event: ${v.mix.map((m) => `${m.event} ${m.perSecond.toFixed(1)}/s × ${Math.round(m.meanBytes)} B`).join(', ')}`);
		if (r.protocol === 'live' && v.regressions) say(`  ${fmt(v.regressions)} times a snapshot or delta showed an operator with fewer calls than the viewer had seen before (a recompute that read before a commit)`);
		if (v.missingCalls) say(`  ${fmt(v.missingCalls)} outcomes did not reach every viewer: ${v.missingExamples.join('; ')}`);
		if (v.errors.length) say(`  viewer errors: ${v.errors.join('; ')}`);
	}
	if (bl) {
		say(`baseline: ${fmt(bl.sent)} broadcasts at ${bl.messagesPerSecond.toFixed(1)}/s (${bl.replayed ? "the kansho viewer's messages replayed" : 'NOT a replay: no kansho viewer was traced, --rate × 5 of 200 bytes'}), mean ${Math.round(bl.meanBytes)} bytes; ${bl.disconnects} disconnects`);
		if (bl.errors.length) say(`  baseline viewer errors: ${bl.errors.join('; ')}`);
	}
	say();

	const procRows: string[][] = [];
	const num0 = (x: number) => (Number.isNaN(x) ? '-' : x.toFixed(0));
	const procRow = (phase: string, p: ProcFigures) => [phase, p.name, num0(p.cpuPct), num0(p.peakRssMb), num0(p.endRssMb), num0(p.hwmMb)];
	for (const l of r.loads) for (const p of l.procs) procRows.push(procRow(l.label, p));
	if (bl) for (const p of bl.procs) procRows.push(procRow('baseline', p));
	if (procRows.length) {
		say("processes (CPU: % of one core over the phase; RSS sampled every second; high-water: the kernel's VmHWM since the process started):");
		say(table(['phase', 'process', 'CPU %', 'peak RSS MB', 'end RSS MB', 'high-water MB'], procRows));
		say();
	}

	if (r.loads.length) {
		say('database (pg_stat_database of the scratch database: transactions = commits + rollbacks, every auto-committed statement');
		say('is one; table scans = sequential + index scans of its tables; each backend reports its counters about once a second)');
		say('and the live engines of both instances (GET /healthz: recomputes, events that asked for one, deltas and snapshots sent, per second):');
		say(
			table(
				['phase', 'outcomes/s', 'transactions/s', 'per outcome', 'table scans/s', 'tuples read/s', 'recomputes/s', 'dirty events/s', 'deltas/s', 'snapshots/s'],
				r.loads.map((l) => [
					l.label,
					l.outcomesPerSecond.toFixed(1),
					l.db.xactsPerSecond.toFixed(1),
					(l.db.xactsPerSecond / Math.max(0.01, l.outcomesPerSecond)).toFixed(2),
					l.db.scansPerSecond.toFixed(0),
					fmt(Math.round(l.db.tuplesPerSecond)),
					l.live ? l.live.recomputes.toFixed(2) : '-',
					l.live ? l.live.dirtyEvents.toFixed(2) : '-',
					l.live ? l.live.deltas.toFixed(1) : '-',
					l.live ? l.live.snapshots.toFixed(2) : '-'
				])
			)
		);
		say('database sessions of the scratch database, sampled every second (pg_stat_activity, not idle, by wait event):');
		for (const l of r.loads) say(`  ${l.label}: ${l.waits}`);
		if (r.connectWaits) say(`  while the viewers connected: ${r.connectWaits}`);
		say();
	}

	// targets
	const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
	if (v && bl) {
		const kp99 = percentile(v.fromCommit.sorted, 99);
		const base = bl.sameKind.sorted.length ? bl.sameKind.sorted : bl.latencies.sorted;
		const bp99 = percentile(base, 99);
		const ratio = kp99 / bp99;
		say(`p99 commit → viewer ${ms(kp99)} ms vs bare broadcast ${ms(bp99)} ms: ${ratio.toFixed(2)}× (target ≤ ${TARGET_RATIO}×: ${verdict(ratio <= TARGET_RATIO)}); p50 ${ms(percentile(v.fromCommit.sorted, 50))} vs ${ms(percentile(base, 50))} ms (${(percentile(v.fromCommit.sorted, 50) / percentile(base, 50)).toFixed(2)}×); baseline: the ${bl.sameKind.sorted.length ? bl.measuredEvent : 'all'} broadcasts`);
		if (bl.expected - bl.receipts > bl.expected * 0.01)
			say(`note: the bare broadcast itself lost or delayed past ${DRAIN_MS / 1000} s ${fmt(bl.expected - bl.receipts)} of ${fmt(bl.expected)} arrivals: these messages at this rate and client count are more than this machine delivers, with or without kansho`);
		if (bl.connected !== v.connected) say(`note: the baseline had ${fmt(bl.connected)} clients, kansho's view ${fmt(v.connected)}`);
		say(`p99 commit → viewer under ${TARGET_P99_MS} ms: ${verdict(kp99 < TARGET_P99_MS)} (upper bound from the transaction start: p99 ${ms(percentile(v.fromTxStart.sorted, 99))} ms)`);
	}
	const kanshoProcs = r.loads.flatMap((l) => l.procs.filter((p) => p.name.startsWith('kansho')));
	if (kanshoProcs.length) {
		const worst = Math.max(...kanshoProcs.map((p) => Math.max(p.peakRssMb, Number.isNaN(p.hwmMb) ? 0 : p.hwmMb)));
		say(`RSS per instance under ${TARGET_RSS_MB} MB: ${verdict(worst < TARGET_RSS_MB)} (highest ${worst.toFixed(0)} MB, high-water included)`);
	}
	if (v && v.expected > v.receipts) say(`note: ${fmt(v.expected - v.receipts)} of ${fmt(v.expected)} expected arrivals did not come within ${DRAIN_MS / 1000} s of the end`);
	// the database's work per outcome with the engines running (2 viewers) against many viewers: the same when it does not depend on viewers
	const few = r.loads.find((l) => l.viewers === 2);
	const many = r.loads.find((l) => l.viewers > 2);
	const none = r.loads.find((l) => l.viewers === 0);
	const per = (l: Load) => l.db.xactsPerSecond / Math.max(0.01, l.outcomesPerSecond);
	if (few && many)
		say(
			`database transactions per outcome: ${per(few).toFixed(2)} with 2 viewers, ${per(many).toFixed(2)} with ${fmt(many.viewers)} viewers (${(per(many) / per(few)).toFixed(2)}×; independent of viewers when ≈ 1×)` +
				(none ? `; ${per(none).toFixed(2)} with none (no view computed yet)` : '')
		);
	for (const e of r.serverErrors) say(`server error: ${e}`);
	console.log(lines.join('\n'));
}
