/**
 * The claim benchmark (#5): simulated operators against a real kansho server, each phase next to a raw SQL baseline
 * measured in the same run.
 *
 *   npm run bench -- claim [--households 28000,1000000] [--modes floor,realistic,saturation] [--seconds 60] …
 *
 * Per household count: a scratch database `kansho_bench_claim` is dropped, recreated, migrated and seeded with the
 * synthetic demo (seedDemo: the generator through the real import, so the queue is the import's); bench operators
 * (`bench-op-001` …, assigned to every segment) get sessions written the way openSession writes them (sha256 of a
 * random token; the token is the cookie `kansho_session`). The queue is snapshotted and restored before every phase.
 *
 * Modes, each as two phases (baseline first, then the use case on a freshly started server):
 *   floor       --operators (200) operators: claim → talk (0–1 s) → outcome → wait --pause (5 s) → claim again
 *   realistic   the same, with 20% of the open households moved to waiting ("retry later", due in 1–4 h)
 *   saturation  --saturation (32,96) operators with no talk and no pause
 * baseline:  per simulated operator a loop over the bare claim statement (claims.queries.ts claimNext: one UPDATE
 *            with FOR UPDATE SKIP LOCKED sub-selects), the same talk and pause, then the bare queue UPDATE of an
 *            outcome (moveAfterOutcome to waiting), auto-committed, one connection per operator when the server
 *            has that many free (else the operators share the connections there are: printed).
 * use case:  socket.io-client sockets speaking the browser's protocol to a kansho server (server/index.ts) started
 *            on --port with DB_POOL_MAX = --pool and CALLING_WINDOW=ignore: claim:next, outcome:record (with an
 *            idempotency key and the household's first number), claim:release only after a failed save.
 * After every use-case phase the database is checked: no household held by two operators at once (claim intervals
 * from access_log household.claim to the operator's call, per household), no two calls on one household or one
 * number within the calling rules' minimum gap, nothing left claimed, no outcome saved late or twice. A failed
 * check makes the exit code 1; performance targets that are missed are printed, not failed.
 *
 * With no DATABASE_URL an embedded PostgreSQL is started (bench/scratch.ts). Loopback servers only.
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import type { Sql } from '../src/lib/server/db.ts';
import { freshBenchDb, openForBench, type BenchServer, type ServerInfo } from './scratch.ts';
import { newStats, operatorLoop, seededRandom, SimOperator, sleep, type LoopStats, type Pace } from './sim-operator.ts';
import { recordPrivacyCompleted } from '../src/lib/server/training/training.queries.ts';

export const claimUsage =
	'claim [--households 28000,1000000] [--modes floor,realistic,saturation] [--seconds 60] [--saturation-seconds 20] ' +
	'[--operators 200] [--saturation 32,96] [--pause 5] [--talk 0-1000] [--pool 20] [--port 3825] [--database kansho_bench_claim] [--reseed] [--no-keep-seed] [--profile DIR]';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCH_DATABASE = 'kansho_bench_claim';
const BENCH_PASSWORD = 'kansho-bench-2026';
/** the share of open households moved to "retry later" in the realistic mode */
const RETRY_LATER_SHARE = 0.2;
/** Startup parameters of the baseline's connections: no statement may hang the run. */
const MEASURED_PARAMS = { statement_timeout: '10000', lock_timeout: '10000', idle_in_transaction_session_timeout: '20000' };
/** connections left free next to a measured pool: the benchmark's own (setup, admin) and others' on a shared server */
const SPARE_CONNECTIONS = 8;
/** household counts from which the seeded database is kept (as <database>_seed_<n>) for the next run */
const KEEP_SEED_FROM = 100_000;
/** what the kept seed depends on: a change to any of these files seeds again */
const SEED_SOURCES = ['migrations', 'src/lib/server/seed', 'src/lib/server/demo', 'src/lib/server/imports', 'src/lib/server/queue', 'src/lib/domain'];

/** A hash of the household count and the files the seed depends on (tests excluded). */
export function seedKey(households: number): string {
	const h = createHash('sha256').update(`households=${households};seed=1;`);
	const walk = (dir: string): string[] =>
		fs.existsSync(dir)
			? fs
					.readdirSync(dir, { withFileTypes: true })
					.flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]))
			: [];
	const files = SEED_SOURCES.flatMap((d) => walk(path.join(root, d)))
		.filter((f) => !/\.test\.ts$/.test(f))
		.sort();
	for (const f of files) h.update(path.relative(root, f)).update('\0').update(fs.readFileSync(f)).update('\0');
	return `kansho-bench-seed ${h.digest('hex').slice(0, 32)}`;
}

/** targets from issue #5 */
const TARGET_FLOOR_P99_MS = 25;
const TARGET_REALISTIC_RATIO = 2;
const TARGET_SATURATION_SHARE = 0.5;

type Mode = 'floor' | 'realistic' | 'saturation';
const allModes: Mode[] = ['floor', 'realistic', 'saturation'];

interface Options {
	households: number[];
	modes: Mode[];
	seconds: number;
	saturationSeconds: number;
	operators: number;
	saturation: number[];
	pauseSeconds: number;
	talkMs: [number, number];
	pool: number;
	port: number;
	database: string;
	/** seed through the import even when a kept seed matches */
	reseed: boolean;
	/** do not keep the seed for the next run */
	reseedOnly: boolean;
	/** a folder for CPU profiles of the kansho server (node --cpu-prof), one per use-case phase */
	profile: string | null;
}

class UsageError extends Error {}

function parseOptions(args: string[]): Options {
	const spec = {
		households: { type: 'string' },
		modes: { type: 'string' },
		seconds: { type: 'string' },
		'saturation-seconds': { type: 'string' },
		operators: { type: 'string' },
		saturation: { type: 'string' },
		pause: { type: 'string' },
		talk: { type: 'string' },
		pool: { type: 'string' },
		port: { type: 'string' },
		database: { type: 'string' },
		reseed: { type: 'boolean' },
		'no-keep-seed': { type: 'boolean' },
		profile: { type: 'string' }
	} as const;
	let values: { [K in keyof typeof spec]?: (typeof spec)[K]['type'] extends 'boolean' ? boolean : string };
	try {
		({ values } = parseArgs({ args, strict: true, allowPositionals: false, options: spec }));
	} catch (e) {
		throw new UsageError((e as Error).message);
	}
	const num = (name: string, raw: string | undefined, def: number, min: number, max: number, integer = true) => {
		const n = raw === undefined ? def : Number(raw);
		if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max)
			throw new UsageError(`--${name} must be a ${integer ? 'whole ' : ''}number from ${min} to ${max.toLocaleString('en')}`);
		return n;
	};
	const list = (name: string, raw: string | undefined, def: number[], min: number, max: number) =>
		raw === undefined ? def : raw.split(',').map((x) => num(name, x.trim().replace(/_/g, ''), 0, min, max));
	const modes = (values.modes ?? allModes.join(',')).split(',').map((m) => m.trim());
	for (const m of modes) if (!allModes.includes(m as Mode)) throw new UsageError(`--modes: unknown mode ${m} (floor, realistic, saturation)`);
	const talk = (values.talk ?? '0-1000').split('-').map((x) => num('talk', x, 0, 0, 60_000));
	if (talk.length !== 2 || talk[0] > talk[1]) throw new UsageError('--talk must be MIN-MAX in ms, e.g. 0-1000');
	if (values.database !== undefined && !/^kansho_bench_[a-z0-9_]+$/.test(values.database)) throw new UsageError('--database must start with kansho_bench_ (lower case, digits, _)');
	return {
		households: list('households', values.households, [28_000, 1_000_000], 100, 2_000_000),
		modes: modes as Mode[],
		seconds: num('seconds', values.seconds, 60, 1, 3600),
		saturationSeconds: num('saturation-seconds', values['saturation-seconds'], 20, 1, 3600),
		operators: num('operators', values.operators, 200, 1, 1000),
		saturation: list('saturation', values.saturation, [32, 96], 1, 1000),
		pauseSeconds: num('pause', values.pause, 5, 0, 600, false),
		talkMs: [talk[0], talk[1]],
		pool: num('pool', values.pool, 20, 1, 200),
		port: num('port', values.port, 3825, 1024, 65535),
		database: values.database ?? BENCH_DATABASE,
		reseed: values.reseed ?? false,
		reseedOnly: values['no-keep-seed'] ?? false,
		profile: values.profile ? path.resolve(values.profile) : null
	};
}

const log = (m: string) => console.log(`bench: ${new Date().toISOString().slice(11, 19)} ${m}`);
const fmt = (n: number) => n.toLocaleString('en');

// ─── figures ────────────────────────────────────────────────────────────────

function percentile(sorted: Float64Array, p: number): number {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const sortedOf = (xs: number[]) => Float64Array.from(xs).sort();

interface PhaseResult {
	mode: Mode;
	/** e.g. 'floor 200 ops' */
	label: string;
	kind: 'baseline' | 'use case';
	operators: number;
	/** baseline: connections used */
	connections: number | null;
	seconds: number;
	claims: Float64Array;
	outcomes: Float64Array;
	empty: number;
	errors: Map<string, number>;
	/** seconds until the queue ran dry (a claim found nothing), or null */
	dryAfter: number | null;
	/** use case: the database checks of this phase */
	checks?: Checks;
	stats?: LoopStats;
	queue: Record<string, number>;
}

const ms = (x: number) => (Number.isNaN(x) ? '-' : x < 10 ? x.toFixed(2) : x.toFixed(1));
const rate = (r: PhaseResult) => r.claims.length / r.seconds;

function table(head: string[], body: string[][]): string {
	const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
	const line = (cells: string[]) => cells.map((c, i) => (i <= 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
	return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function resultTable(rows: PhaseResult[]): string {
	return table(
		['phase', '', 'conns', 'claims', 'claims/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'outcome p50', 'outcome p99', 'empty', 'errors'],
		rows.map((r) => [
			r.label,
			r.kind,
			r.connections === null ? 'server' : String(r.connections),
			fmt(r.claims.length),
			rate(r).toFixed(0),
			ms(percentile(r.claims, 50)),
			ms(percentile(r.claims, 95)),
			ms(percentile(r.claims, 99)),
			ms(r.claims.length ? r.claims[r.claims.length - 1] : NaN),
			ms(percentile(r.outcomes, 50)),
			ms(percentile(r.outcomes, 99)),
			String(r.empty),
			String([...r.errors.values()].reduce((a, b) => a + b, 0))
		])
	);
}

// ─── the database side ──────────────────────────────────────────────────────

interface Marks {
	accessLogId: number;
	callId: number;
	at: Date;
}

async function marks(sql: Sql): Promise<Marks> {
	const [m] = await sql<{ accessLogId: number; callId: number; at: Date }[]>`
		select coalesce((select max(id) from access_log), 0) as access_log_id, coalesce((select max(id) from calls), 0) as call_id, clock_timestamp() as at`;
	return m;
}

interface Checks {
	claimsLogged: number;
	calls: number;
	/** claims of a household while another operator's claim of it had not ended in a call */
	overlapping: number;
	/** pairs of consecutive calls on one household closer than the minimum gap */
	gapHousehold: number;
	/** pairs of consecutive calls on one number (different households) closer than the minimum gap */
	gapNumber: number;
	/** claims logged that did not end in a call by the same operator */
	unended: number;
	/** rows still claimed after the phase */
	stillClaimed: number;
	lateCalls: number;
	minGapMinutes: number;
}

/**
 * What the database says about one use-case phase (rows after `m`). A claim lasts from its access-log row
 * (household.claim, written in the claim's transaction) to the first call the same operator recorded on the
 * household after it (written in the outcome's transaction, which releases the claim); both carry their
 * transaction's now(). Two claims of one household by different operators overlap when the second began before
 * the first ended. In this benchmark every outcome sends the household to wait for at least 30 minutes, so a
 * household claimed twice within a phase at all is suspect; overlapping is what a double claim would look like.
 */
export async function checkPhase(sql: Sql, m: Marks, minGapMinutes: number): Promise<Checks> {
	const [r] = await sql<Omit<Checks, 'minGapMinutes'>[]>`
		with claims as (
			select a.id, a.user_id, a.household_id, a.at as began,
			       (select min(c.recorded_at) from calls c
			        where c.household_id = a.household_id and c.operator_id = a.user_id and c.id > ${m.callId} and c.recorded_at >= a.at) as ended
			from access_log a
			where a.id > ${m.accessLogId} and a.action = 'household.claim'
		), ordered as (
			select *, lag(user_id) over w as prev_user, lag(ended) over w as prev_ended, lag(id) over w as prev_id
			from claims window w as (partition by household_id order by began, id)
		), phase_calls as (
			select id, household_id, dialed_number, started_at, late from calls where id > ${m.callId}
		), by_household as (
			select started_at - lag(started_at) over (partition by household_id order by started_at, id) as gap from phase_calls
		), by_number as (
			select household_id, lag(household_id) over w as prev_household, started_at - lag(started_at) over w as gap
			from phase_calls where dialed_number is not null window w as (partition by dialed_number order by started_at, id)
		)
		select
			(select count(*)::int from claims) as claims_logged,
			(select count(*)::int from phase_calls) as calls,
			(select count(*)::int from ordered where prev_id is not null and prev_user <> user_id and (prev_ended is null or prev_ended > began)) as overlapping,
			(select count(*)::int from by_household where gap < make_interval(mins => ${minGapMinutes})) as gap_household,
			(select count(*)::int from by_number where household_id <> prev_household and gap < make_interval(mins => ${minGapMinutes})) as gap_number,
			(select count(*)::int from claims where ended is null) as unended,
			(select count(*)::int from call_queue where state = 'claimed') as still_claimed,
			(select count(*)::int from phase_calls where late) as late_calls`;
	return { ...r, minGapMinutes };
}

function checkFailures(c: Checks, s: LoopStats): string[] {
	const f: string[] = [];
	if (c.overlapping) f.push(`${c.overlapping} household(s) claimed by a second operator while the first still held them`);
	if (s.liveDoubleClaims) f.push(`${s.liveDoubleClaims} claim ack(s) for a household another simulated operator held`);
	if (c.gapHousehold) f.push(`${c.gapHousehold} pair(s) of calls on one household within ${c.minGapMinutes} min`);
	if (c.gapNumber) f.push(`${c.gapNumber} pair(s) of calls on one shared number within ${c.minGapMinutes} min`);
	if (c.stillClaimed) f.push(`${c.stillClaimed} household(s) still claimed after the phase`);
	if (c.lateCalls || s.late) f.push(`${Math.max(c.lateCalls, s.late)} outcome(s) saved late (a claim lapsed during the phase)`);
	if (s.duplicate) f.push(`${s.duplicate} outcome(s) answered as duplicates although each had its own key`);
	if (s.resumed) f.push(`${s.resumed} claim(s) answered "resumed" although the operator held nothing`);
	const claimsSeen = s.claimMs.length;
	if (c.claimsLogged !== claimsSeen) f.push(`${fmt(c.claimsLogged)} household.claim rows in the access log for ${fmt(claimsSeen)} claims acknowledged`);
	return f;
}

/** The queue's columns, read from the catalogue (others add columns; the snapshot must restore all of them). */
async function queueColumns(sql: Sql): Promise<string[]> {
	const rows = await sql<{ name: string }[]>`
		select column_name as name from information_schema.columns
		where table_schema = 'public' and table_name = 'call_queue' order by ordinal_position`;
	return rows.map((r) => r.name);
}

async function snapshotQueue(sql: Sql): Promise<void> {
	await sql`drop table if exists bench_queue_snapshot`;
	await sql`create table bench_queue_snapshot as select * from call_queue`;
	await sql`alter table bench_queue_snapshot add primary key (household_id)`;
}

/** Put every queue row back as the snapshot has it (rows changed since: their version moved), then vacuum. */
async function restoreQueue(sql: Sql, mode: Mode): Promise<Record<string, number>> {
	const cols = (await queueColumns(sql)).filter((c) => c !== 'household_id');
	const set = cols.map((c) => `${c} = s.${c}`).join(', ');
	await sql.unsafe(`
		update call_queue q set ${set} from bench_queue_snapshot s
		where s.household_id = q.household_id and (q.version <> s.version or q.state <> s.state)`);
	if (mode === 'realistic') {
		// a season's normal mix: a fifth of the open households were tried and wait to be retried later
		await sql`
			update call_queue set state = 'waiting', wait_reason = 'retry',
			  next_eligible_at = now() + interval '1 hour' + (abs(hashint8(household_id)) % 180) * interval '1 minute',
			  version = version + 1, updated_at = now()
			where state = 'ready' and abs(hashint8(household_id + 7)) % 100 < ${Math.round(RETRY_LATER_SHARE * 100)}`;
	}
	await sql.unsafe('vacuum (analyze) call_queue');
	return queueState(sql);
}

async function queueState(sql: Sql): Promise<Record<string, number>> {
	const rows = await sql<{ state: string; n: number }[]>`select state, count(*)::int as n from call_queue group by state order by state`;
	return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

const queueText = (q: Record<string, number>) =>
	Object.entries(q)
		.map(([k, v]) => `${k} ${fmt(v)}`)
		.join(', ');

async function freeConnections(sql: Sql, info: ServerInfo): Promise<number> {
	const [{ used }] = await sql<{ used: number }[]>`select count(*)::int as used from pg_stat_activity where backend_type = 'client backend'`;
	return info.maxConnections - info.reserved - used;
}

// ─── the kansho server ──────────────────────────────────────────────────────

interface KanshoServer {
	url: string;
	proc: ChildProcess;
	output: () => string;
	stop: () => Promise<void>;
}

async function startServer(opts: { port: number; databaseUrl: string; pool: number; profile: string | null; name: string }): Promise<KanshoServer> {
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
		// the live socket protocol does not need Redis (one instance: in-memory adapter)
		REDIS_URL: undefined,
		LOG_LEVEL: 'warn',
		ORIGIN: undefined
	};
	delete env.NODE_OPTIONS;
	// one folder per phase: Node writes a profile per thread (tsx's loader runs in a worker)
	const profile = opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(opts.profile, opts.name)}`] : [];
	const proc = spawn(process.execPath, [...profile, '--import', 'tsx', 'server/index.ts'], { cwd: root, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
	const keep = (d: Buffer) => {
		out += d.toString();
		if (out.length > 200_000) out = out.slice(-100_000);
	};
	proc.stdout!.on('data', keep);
	proc.stderr!.on('data', keep);
	const url = `http://127.0.0.1:${opts.port}`;
	const deadline = Date.now() + 90_000;
	for (;;) {
		if (proc.exitCode !== null) throw new Error(`the kansho server exited (${proc.exitCode}):\n${out.slice(-4000)}`);
		try {
			const r = await fetch(`${url}/readyz`);
			if (r.ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			proc.kill('SIGKILL');
			throw new Error(`the kansho server on port ${opts.port} did not become ready:\n${out.slice(-4000)}`);
		}
		await sleep(250);
	}
	return {
		url,
		proc,
		output: () => out,
		stop: () =>
			new Promise<void>((resolve) => {
				if (proc.exitCode !== null) return resolve();
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
	log('build/handler.js is missing: building (node --import tsx server/cli.ts ensure-build)');
	const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'ensure-build'], { cwd: root, stdio: 'inherit' });
	return r.status === 0;
}

// ─── the run ────────────────────────────────────────────────────────────────

interface Operator {
	id: number;
	token: string;
}

interface SizeReport {
	households: number;
	seededSeconds: number;
	seedFrom?: 'import' | 'copy';
	queue: Record<string, number>;
	rows: PhaseResult[];
	failures: string[];
}

export async function runClaim(args: string[]): Promise<number> {
	let opts: Options;
	try {
		opts = parseOptions(args);
	} catch (e) {
		if (e instanceof UsageError) {
			console.error(`bench claim: ${e.message}\nusage: npm run bench -- ${claimUsage}`);
			return 2;
		}
		throw e;
	}

	let bench: BenchServer | null = null;
	let kansho: KanshoServer | null = null;
	const pools: Sql[] = [];
	let stop = false;
	const sockets: SimOperator[] = [];

	const cleanup = async () => {
		for (const s of sockets.splice(0)) s.close();
		if (kansho) await kansho.stop().catch(() => {});
		kansho = null;
		for (const p of pools.splice(0)) await p.end({ timeout: 5 }).catch(() => {});
		if (bench) await bench.stop();
	};

	// a hard bound on the whole run: seeding scales with households, each phase with its seconds
	const modesCount = opts.modes.filter((m) => m !== 'saturation').length;
	const phaseSeconds = modesCount * 2 * (opts.seconds + 60) + (opts.modes.includes('saturation') ? opts.saturation.length * 2 * (opts.saturationSeconds + 60) : 0);
	const budgetSeconds = opts.households.reduce((s, n) => s + 300 + Math.ceil(n * 0.003) + phaseSeconds, 0);
	const watchdog = setTimeout(() => {
		console.error(`bench claim: still running after ${budgetSeconds} s; giving up`);
		stop = true;
		void Promise.race([cleanup(), sleep(30_000)]).finally(() => process.exit(1));
	}, budgetSeconds * 1000);
	watchdog.unref();

	let interrupted = 0;
	const onSignal = () => {
		if (++interrupted > 1) process.exit(130);
		console.error('bench claim: interrupted; finishing the current phase and cleaning up (again to quit at once)');
		stop = true;
	};

	const reports: SizeReport[] = [];
	try {
		if (!ensureBuild()) {
			console.error('bench claim: the build failed');
			return 2;
		}
		bench = await openForBench('claim', log, onSignal, opts.database);
		if (!bench) return 2;
		const { adminUrl, benchUrl } = bench;
		const measuredUrl = new URL(benchUrl);
		for (const [k, v] of Object.entries(MEASURED_PARAMS)) measuredUrl.searchParams.set(k, v);
		// the bench's own imports (seedDemo, the queries) use db() through loadConfig(): set before they load
		process.env.DATABASE_URL = benchUrl.toString();
		process.env.DB_POOL_MAX = '2';

		const { connect, closeDb } = await import('../src/lib/server/db.ts');
		const { migrate } = await import('../src/lib/server/migrate.ts');
		const { seedDemo } = await import('../src/lib/server/demo/demo.ts');
		const { createUser } = await import('../src/lib/server/users/users.ts');
		const { assignOperator } = await import('../src/lib/server/segments/segments.ts');
		const { loadCallingRules } = await import('../src/lib/server/queue/rules.ts');
		const { loadConfig } = await import('../src/lib/server/config.ts');
		const q = await import('../src/lib/server/queue/claims.queries.ts');
		const lease = loadConfig().CLAIM_LEASE_SECONDS;
		const maxOperators = Math.max(opts.modes.some((m) => m !== 'saturation') ? opts.operators : 0, ...(opts.modes.includes('saturation') ? opts.saturation : [0]));

		for (const households of opts.households) {
			if (stop) break;
			const report: SizeReport = { households, seededSeconds: 0, queue: {}, rows: [], failures: [] };
			reports.push(report);

			// ── scratch database, seeded (or copied from the kept seed of an earlier run) ──
			const info = await freshBenchDb(adminUrl, log, opts.database);
			const template = `${opts.database}_seed_${households}`;
			const key = seedKey(households);
			const admin = connect(adminUrl.toString(), { max: 1 });
			pools.push(admin);
			const [kept] = await admin<{ comment: string | null }[]>`
				select shobj_description(oid, 'pg_database') as comment from pg_database where datname = ${template}`;
			const seedStarted = performance.now();
			let setup: Sql;
			if (kept && kept.comment === key && !opts.reseed) {
				log(`copying the kept seed ${template} (same migrations, generator and queue code; --reseed to seed again) …`);
				await admin.unsafe(`drop database if exists ${opts.database} with (force)`);
				await admin.unsafe(`create database ${opts.database} template ${template} strategy file_copy`);
				report.seededSeconds = (performance.now() - seedStarted) / 1000;
				report.seedFrom = 'copy';
				log(`copied in ${report.seededSeconds.toFixed(0)} s`);
				setup = connect(benchUrl.toString(), { max: 2 });
				pools.push(setup);
			} else {
				setup = connect(benchUrl.toString(), { max: 2 });
				pools.push(setup);
				await migrate(setup, () => {});
				log(`seeding ${fmt(households)} synthetic households through the import (seedDemo, seed 1) …`);
				let phase = '';
				const seeded = await seedDemo(setup, {
					households,
					seed: 1,
					onProgress: (p) => {
						if (p.phase !== phase) log(`  import: ${(phase = p.phase)}`);
					}
				});
				report.seededSeconds = (performance.now() - seedStarted) / 1000;
				report.seedFrom = 'import';
				log(`seeded in ${report.seededSeconds.toFixed(0)} s (files ${seeded.csvSeconds.toFixed(0)} s): ${fmt(seeded.queued)} in the queue, ${fmt(seeded.noPhone)} without a usable phone`);
				if (households >= KEEP_SEED_FROM && !opts.reseedOnly) {
					// keep a copy for the next run (no session may be open on the source while it is copied)
					const copyStarted = performance.now();
					await setup.unsafe('vacuum (analyze)');
					await setup.end({ timeout: 5 });
					pools.splice(pools.indexOf(setup), 1);
					await closeDb();
					await admin.unsafe(`drop database if exists ${template} with (force)`);
					await admin.unsafe(`create database ${template} template ${opts.database} strategy file_copy`);
					await admin.unsafe(`comment on database ${template} is '${key}'`);
					log(`kept the seed as ${template} for the next run (${((performance.now() - copyStarted) / 1000).toFixed(0)} s)`);
					setup = connect(benchUrl.toString(), { max: 2 });
					pools.push(setup);
				}
			}
			await admin.end({ timeout: 5 });
			pools.splice(pools.indexOf(admin), 1);
			await migrate(setup, () => {});

			// ── operators with sessions: one argon2 hash, reused; tokens as openSession makes them ──
			const operators: Operator[] = await setup.begin(async (tx) => {
				const segmentIds = (await tx<{ id: number }[]>`select id from segments where active order by id`).map((s) => s.id);
				const first = await createUser(tx, { loginId: 'bench-op-001', displayName: 'bench operator 1', role: 'operator', password: BENCH_PASSWORD });
				const [{ passwordHash }] = await tx<{ passwordHash: string }[]>`select password_hash from users where id = ${first.id}`;
				const rest =
					maxOperators > 1
						? await tx<{ id: number }[]>`
							insert into users (login_id, display_name, role, password_hash)
							select 'bench-op-' || lpad(g::text, 3, '0'), 'bench operator ' || g, 'operator', ${passwordHash}
							from generate_series(2, ${maxOperators}) g order by g
							returning id`
						: [];
				const ids = [first.id, ...rest.map((r) => r.id)];
				// the desk needs the personal-information protection training recorded (issue #9)
				await recordPrivacyCompleted(tx, ids, { trainer: 'bench' });
				const out: Operator[] = [];
				for (const id of ids) {
					for (const s of segmentIds) await assignOperator(tx, id, s);
					const token = randomBytes(32).toString('base64url');
					await tx`insert into sessions (id, user_id, expires_at, user_agent)
						values (${createHash('sha256').update(token).digest('hex')}, ${id}, now() + interval '24 hours', 'kansho-bench')`;
					out.push({ id, token });
				}
				return out;
			});
			const rules = await loadCallingRules(setup);
			// the number each simulated operator dials: the household's first callable number
			const phones = new Map<number, number>();
			for (const r of await setup<{ householdId: number; id: number }[]>`
				select distinct on (household_id) household_id, id from phones
				where valid and status = 'active' order by household_id, id`)
				phones.set(r.householdId, r.id);
			// a copied seed was vacuumed before it was kept: only what this run wrote needs statistics
			await setup.unsafe(report.seedFrom === 'copy' ? 'analyze users, operator_segments, sessions' : 'vacuum (analyze)');
			await snapshotQueue(setup);
			report.queue = await queueState(setup);
			log(`${operators.length} bench operators in every segment; queue: ${queueText(report.queue)}; min gap ${rules.minGapMinutes} min`);

			const floorPace: Pace = { talkMs: opts.talkMs, pauseMs: opts.pauseSeconds * 1000, staggerMs: opts.pauseSeconds * 1000 };
			const noPause: Pace = { talkMs: [0, 0], pauseMs: 0, staggerMs: 0 };
			const plan: { mode: Mode; label: string; n: number; pace: Pace; seconds: number }[] = [];
			for (const mode of opts.modes) {
				if (mode === 'saturation') for (const n of opts.saturation) plan.push({ mode, label: `saturation ${n} ops`, n, pace: noPause, seconds: opts.saturationSeconds });
				else plan.push({ mode, label: `${mode} ${opts.operators} ops`, n: opts.operators, pace: floorPace, seconds: opts.seconds });
			}

			for (const p of plan) {
				if (stop) break;
				// ── baseline: the bare statements, one connection per operator when there are enough ──
				const queueBefore = await restoreQueue(setup, p.mode);
				const free = await freeConnections(setup, info);
				// paced loops leave a connection idle nearly all the time: they share as many as the server's pool has;
				// without pause each loop gets its own, as far as the server has them free
				const conns = Math.max(1, Math.min(p.n, p.pace.pauseMs > 0 ? opts.pool : free - SPARE_CONNECTIONS));
				log(`${p.label}: baseline, ${p.n} loops on ${conns} connection(s)${conns < p.n ? ` (${free} free)` : ''}, ${p.seconds} s; queue: ${queueText(queueBefore)}`);
				const raw = connect(measuredUrl.toString(), { max: conns });
				pools.push(raw);
				await Promise.all(Array.from({ length: conns }, () => raw`select 1`));
				const base = await runBaseline(raw, operators.slice(0, p.n), p.pace, p.seconds, () => stop, lease, q);
				await raw.end({ timeout: 5 });
				pools.splice(pools.indexOf(raw), 1);
				report.rows.push({ mode: p.mode, label: p.label, kind: 'baseline', operators: p.n, connections: conns, queue: queueBefore, ...base });
				if (stop) break;

				// ── use case: sockets against a server started for this phase ──
				const queueUse = await restoreQueue(setup, p.mode);
				log(`${p.label}: use case, ${p.n} socket operators, server pool ${opts.pool}, ${p.seconds} s`);
				const server = await startServer({
					port: opts.port,
					databaseUrl: benchUrl.toString(),
					pool: opts.pool,
					profile: opts.profile,
					name: `kansho-${households}-${p.label.replace(/ /g, '-')}`
				});
				kansho = server;
				const ops = operators.slice(0, p.n).map((o) => new SimOperator({ url: server.url, token: o.token, userId: o.id }));
				sockets.push(...ops);
				await Promise.all(ops.map((o) => o.connect()));
				const m = await marks(setup);
				const stats = newStats();
				const held = new Map<number, number>();
				const started = performance.now();
				const end = started + p.seconds * 1000;
				let dryAt: number | null = null;
				const over = () => stop || performance.now() >= end || (p.pace.pauseMs === 0 && dryAt !== null);
				await Promise.all(
					ops.map((o) =>
						operatorLoop(o, p.pace, stats, held, (h) => phones.get(h) ?? null, () => {
							if (dryAt === null && stats.empty > 0) dryAt = performance.now();
							return over();
						})
					)
				);
				const elapsed = ((dryAt ?? performance.now()) - started) / 1000;
				for (const o of ops) o.close();
				sockets.splice(0);
				kansho = null;
				await server.stop();
				const checks = await checkPhase(setup, m, rules.minGapMinutes);
				const failures = checkFailures(checks, stats);
				report.failures.push(...failures.map((f) => `${p.label}: ${f}`));
				if (/"level":(50|60)/.test(server.output())) log(`${p.label}: the server logged errors:\n${server.output().split('\n').filter((l) => /"level":(50|60)/.test(l)).slice(0, 5).join('\n')}`);
				report.rows.push({
					mode: p.mode,
					label: p.label,
					kind: 'use case',
					operators: p.n,
					connections: null,
					seconds: elapsed,
					claims: sortedOf(stats.claimMs),
					outcomes: sortedOf(stats.outcomeMs),
					empty: stats.empty,
					errors: stats.errors,
					dryAfter: dryAt === null ? null : elapsed,
					checks,
					stats,
					queue: queueUse
				});
				log(`${p.label}: ${fmt(stats.claimMs.length)} claims, checks ${failures.length ? 'FAILED' : 'passed'}`);
			}
			await setup.end({ timeout: 5 });
			pools.splice(pools.indexOf(setup), 1);
			printReport(report, opts, info);
		}

		const failed = reports.flatMap((r) => r.failures);
		if (stop) console.log('(interrupted: the results are partial)');
		if (failed.length) {
			console.log(`\nCORRECTNESS CHECKS FAILED (${failed.length}):`);
			for (const f of failed) console.log(`  ✗ ${f}`);
			return 1;
		}
		return stop && interrupted > 0 ? 130 : 0;
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
		await cleanup();
		clearTimeout(watchdog);
	}
}

/**
 * The baseline of one phase: per simulated operator a loop over the bare claim statement and, after the same
 * talk, the bare queue update an outcome makes (to waiting for 4 hours), then the same pause, on `raw`
 * (auto-committed). Only the claim is timed as "claim"; the update is timed as "outcome".
 */
async function runBaseline(
	raw: Sql,
	operators: Operator[],
	pace: Pace,
	seconds: number,
	stopped: () => boolean,
	lease: number,
	q: typeof import('../src/lib/server/queue/claims.queries.ts')
): Promise<Omit<PhaseResult, 'mode' | 'label' | 'kind' | 'operators' | 'connections' | 'queue'>> {
	const claimMs: number[] = [];
	const outcomeMs: number[] = [];
	const errors = new Map<string, number>();
	let empty = 0;
	let dryAt: number | null = null;
	const started = performance.now();
	const end = started + seconds * 1000;
	const over = () => stopped() || performance.now() >= end || (pace.pauseMs === 0 && dryAt !== null);
	const fail = (e: unknown) => {
		const x = e as { code?: string; message?: string };
		const k = `${x.code ?? 'error'}: ${String(x.message ?? e).slice(0, 100)}`;
		errors.set(k, (errors.get(k) ?? 0) + 1);
	};
	await Promise.all(
		operators.map(async (o) => {
			const rand = seededRandom(o.id * 7919);
			if (pace.staggerMs > 0) await sleep(rand() * pace.staggerMs);
			while (!over()) {
				const t0 = performance.now();
				let householdId: number | null = null;
				try {
					householdId = (await q.claimNext(raw, o.id, lease))?.householdId ?? null;
				} catch (e) {
					fail(e);
					await sleep(100);
					continue;
				}
				const t1 = performance.now();
				if (householdId === null) {
					empty++;
					dryAt ??= t1;
					await sleep(Math.max(pace.pauseMs, 100));
					continue;
				}
				claimMs.push(t1 - t0);
				const [lo, hi] = pace.talkMs;
				if (hi > 0) await sleep(lo + rand() * (hi - lo));
				try {
					const t2 = performance.now();
					await q.moveAfterOutcome(raw, householdId, { state: 'waiting', nextEligibleAt: new Date(Date.now() + 4 * 3600_000), closedReason: null });
					outcomeMs.push(performance.now() - t2);
				} catch (e) {
					fail(e);
				}
				if (pace.pauseMs > 0) await sleep(pace.pauseMs);
			}
		})
	);
	const elapsed = ((dryAt ?? performance.now()) - started) / 1000;
	return {
		seconds: pace.pauseMs === 0 && dryAt !== null ? elapsed : (performance.now() - started) / 1000,
		claims: sortedOf(claimMs),
		outcomes: sortedOf(outcomeMs),
		empty,
		errors,
		dryAfter: dryAt === null ? null : (dryAt - started) / 1000
	};
}

function printReport(r: SizeReport, opts: Options, info: ServerInfo) {
	const lines: string[] = [];
	const say = (s = '') => lines.push(s);
	say();
	say(`══ claim benchmark: ${fmt(r.households)} households (${r.seedFrom === 'copy' ? 'copied from the kept seed' : 'seeded through the import'} in ${r.seededSeconds.toFixed(0)} s; queue ${queueText(r.queue)}) ══`);
	say(
		`PostgreSQL ${info.version} (max_connections ${info.maxConnections}), ${os.cpus().length} CPUs, load average ${os
			.loadavg()
			.map((x) => x.toFixed(1))
			.join(' ')}; server pool ${opts.pool}; floor pace: talk ${opts.talkMs[0]}–${opts.talkMs[1]} ms, pause ${opts.pauseSeconds} s`
	);
	say();
	say(resultTable(r.rows));
	say();
	const find = (mode: Mode, kind: PhaseResult['kind'], n?: number) => r.rows.find((x) => x.mode === mode && x.kind === kind && (n === undefined || x.operators === n));
	const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

	const floorUse = find('floor', 'use case');
	if (floorUse) {
		const p99 = percentile(floorUse.claims, 99);
		say(`floor pace: use-case claim p50 ${ms(percentile(floorUse.claims, 50))} ms, p99 ${ms(p99)} ms (target p99 < ${TARGET_FLOOR_P99_MS} ms: ${verdict(p99 < TARGET_FLOOR_P99_MS)}); bare statement p99 ${ms(percentile(find('floor', 'baseline')?.claims ?? new Float64Array(), 99))} ms`);
	}
	const fb = find('floor', 'baseline');
	const rb = find('realistic', 'baseline');
	if (fb && rb) {
		const r50 = percentile(rb.claims, 50) / percentile(fb.claims, 50);
		const r99 = percentile(rb.claims, 99) / percentile(fb.claims, 99);
		say(
			`realistic queue (${Math.round(RETRY_LATER_SHARE * 100)}% retry later): bare claim statement p50 ${ms(percentile(rb.claims, 50))} vs ${ms(percentile(fb.claims, 50))} ms (${r50.toFixed(2)}×), ` +
				`p99 ${ms(percentile(rb.claims, 99))} vs ${ms(percentile(fb.claims, 99))} ms (${r99.toFixed(2)}×) (target ≤ ${TARGET_REALISTIC_RATIO}×: ${verdict(r50 <= TARGET_REALISTIC_RATIO && r99 <= TARGET_REALISTIC_RATIO)})`
		);
		const fu = find('floor', 'use case');
		const ru = find('realistic', 'use case');
		if (fu && ru)
			say(`  use case: p50 ${ms(percentile(ru.claims, 50))} vs ${ms(percentile(fu.claims, 50))} ms (${(percentile(ru.claims, 50) / percentile(fu.claims, 50)).toFixed(2)}×), p99 ${ms(percentile(ru.claims, 99))} vs ${ms(percentile(fu.claims, 99))} ms (${(percentile(ru.claims, 99) / percentile(fu.claims, 99)).toFixed(2)}×)`);
	}
	for (const n of opts.modes.includes('saturation') ? opts.saturation : []) {
		const b = find('saturation', 'baseline', n);
		const u = find('saturation', 'use case', n);
		if (!b || !u) continue;
		const share = rate(u) / rate(b);
		say(
			`saturation ${n}: ${rate(u).toFixed(0)} claims/s (p99 ${ms(percentile(u.claims, 99))} ms) vs bare SQL ${rate(b).toFixed(0)} claims/s on ${b.connections} connections (p99 ${ms(percentile(b.claims, 99))} ms): ` +
				`${(share * 100).toFixed(0)}% (target ≥ ${TARGET_SATURATION_SHARE * 100}%: ${verdict(share >= TARGET_SATURATION_SHARE)})`
		);
	}
	for (const x of r.rows) {
		if (x.dryAfter !== null) say(`note: ${x.label} ${x.kind}: the queue ran dry after ${x.dryAfter.toFixed(1)} s (claims/s counts up to then; use more households or fewer seconds)`);
		if (x.connections !== null && x.connections < x.operators)
			say(
				x.mode === 'saturation'
					? `note: ${x.label} baseline: ${x.operators} loops shared ${x.connections} connections (PostgreSQL had no more free): not one connection per operator`
					: `note: ${x.label} baseline: ${x.operators} paced loops shared ${x.connections} connections (as many as the server's pool)`
			);
		for (const [k, n] of x.errors) say(`errors in ${x.label} ${x.kind}: ${n} × ${k}`);
	}
	say();
	say('correctness (use-case phases, from the database):');
	for (const x of r.rows) {
		if (!x.checks || !x.stats) continue;
		const c = x.checks;
		say(
			`  ${x.label}: ${fmt(c.claimsLogged)} claims logged, ${fmt(c.calls)} calls; overlapping claims ${c.overlapping}, live double claims ${x.stats.liveDoubleClaims}; ` +
				`calls within ${c.minGapMinutes} min on one household ${c.gapHousehold}, on one number ${c.gapNumber}; claims without a call ${c.unended}; still claimed ${c.stillClaimed}; late ${c.lateCalls}`
		);
	}
	say(r.failures.length ? `  ✗ ${r.failures.length} check(s) failed` : '  ✓ zero double claims, no calls within the minimum gap');
	console.log(lines.join('\n'));
}
