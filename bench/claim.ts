/**
 * The claim benchmark: how fast operators get their next household, next to the floor the database allows.
 *
 *   npm run bench -- claim [--households 28000] [--concurrency 50] [--seconds 20]
 *
 * Builds a scratch database `kansho_bench` (dropped and recreated on every run, left in place afterwards for
 * inspection), migrates it, loads the synthetic demo and adds `concurrency` operators assigned to every segment.
 * Then, at the same concurrency and for `--seconds` each:
 *   (a) baseline: per worker, the bare claim statement of claims.queries.ts (claimNext: one UPDATE with a
 *       FOR UPDATE SKIP LOCKED sub-select) then the bare release UPDATE, auto-committed, on a pool of its own;
 *   (b) use case: per operator, claimNextHousehold(actor) then releaseHousehold(actor, { householdId }), i.e.
 *       a transaction with the held-check, the claim, the access log and the live events, on the app's pool.
 * Only the claim is timed; the release just puts the household back. The queue is reset and call_queue
 * vacuumed before each phase.
 *
 * With no DATABASE_URL an embedded PostgreSQL is started in os.tmpdir()/kansho-bench-pg on port 5496.
 * Only loopback servers are accepted: the benchmark drops a database.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import type { Sql } from '../src/lib/server/db.ts';
import type { Actor } from '../src/lib/server/auth/actor.ts';
import { BENCH_DB, freshBenchDb, openForBench, type BenchServer } from './scratch.ts';

export const claimUsage = 'claim [--households 28000] [--concurrency 50] [--seconds 20]';

const BENCH_PASSWORD = 'kansho-bench-2026';
/** Claim latencies kept per phase at most (the loop stops there even before the time is up). */
const MAX_SAMPLES = 5_000_000;
/** Startup parameters of the measured pools: no statement or idle transaction may hang the run. */
const MEASURED_PARAMS = { statement_timeout: '10000', lock_timeout: '10000', idle_in_transaction_session_timeout: '20000' };

interface Options {
	households: number;
	concurrency: number;
	seconds: number;
}

class UsageError extends Error {}

function parseOptions(args: string[]): Options {
	let values: { households?: string; concurrency?: string; seconds?: string };
	try {
		({ values } = parseArgs({
			args,
			strict: true,
			allowPositionals: false,
			options: { households: { type: 'string' }, concurrency: { type: 'string' }, seconds: { type: 'string' } }
		}));
	} catch (e) {
		throw new UsageError((e as Error).message);
	}
	const int = (name: string, raw: string | undefined, def: number, min: number, max: number) => {
		const n = raw === undefined ? def : Number(raw);
		if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max.toLocaleString('en')}`);
		return n;
	};
	return {
		households: int('households', values.households, 28_000, 10, 2_000_000),
		// DB_POOL_MAX (concurrency + 5) is at most 200
		concurrency: int('concurrency', values.concurrency, 50, 1, 190),
		seconds: int('seconds', values.seconds, 20, 1, 600)
	};
}

const log = (m: string) => console.log(`bench: ${m}`);

// ─── measuring ──────────────────────────────────────────────────────────────

interface PhaseResult {
	name: string;
	claims: number;
	elapsedSeconds: number;
	/** claim latencies of successful claims in ms, sorted */
	latencies: Float64Array;
	empty: number;
	errors: number;
	/** use case only: claims that came back as "already held" (should be 0) */
	resumed: number;
	errorKinds: Map<string, number>;
}

interface Worker {
	/** claims the next household; returns its id, or null when the queue looked empty */
	claim: () => Promise<number | null>;
	release: (householdId: number) => Promise<void>;
	/** best effort after an error: give back whatever this worker may still hold */
	recover: () => Promise<void>;
}

function errorKind(e: unknown): string {
	const x = e as { code?: string; message?: string };
	return `${x.code ?? 'error'}: ${String(x.message ?? e).slice(0, 120)}`;
}

async function runPhase(name: string, workers: Worker[], seconds: number, stopped: () => boolean): Promise<PhaseResult> {
	const samples: number[] = [];
	const r: PhaseResult = { name, claims: 0, elapsedSeconds: 0, latencies: new Float64Array(), empty: 0, errors: 0, resumed: 0, errorKinds: new Map() };
	const fail = (e: unknown) => {
		r.errors++;
		const k = errorKind(e);
		r.errorKinds.set(k, (r.errorKinds.get(k) ?? 0) + 1);
	};
	const started = performance.now();
	const end = started + seconds * 1000;
	const more = () => !stopped() && performance.now() < end && samples.length + r.empty + r.errors < MAX_SAMPLES;

	await Promise.all(
		workers.map(async (w) => {
			while (more()) {
				let householdId: number | null;
				const t0 = performance.now();
				try {
					householdId = await w.claim();
				} catch (e) {
					fail(e);
					await w.recover().catch(() => {});
					await new Promise((res) => setTimeout(res, 10));
					continue;
				}
				const ms = performance.now() - t0;
				if (householdId === null) {
					r.empty++;
					continue;
				}
				samples.push(ms);
				try {
					await w.release(householdId);
				} catch (e) {
					fail(e);
					await w.recover().catch(() => {});
				}
			}
		})
	);
	r.elapsedSeconds = (performance.now() - started) / 1000;
	r.claims = samples.length;
	r.latencies = Float64Array.from(samples).sort();
	return r;
}

function percentile(sorted: Float64Array, p: number): number {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function table(rows: PhaseResult[]): string {
	const head = ['', 'claims', 'claims/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'queue_empty', 'errors'];
	const ms = (x: number) => (Number.isNaN(x) ? '-' : x.toFixed(2));
	const body = rows.map((r) => [
		r.name,
		r.claims.toLocaleString('en'),
		(r.claims / r.elapsedSeconds).toFixed(0),
		ms(percentile(r.latencies, 50)),
		ms(percentile(r.latencies, 95)),
		ms(percentile(r.latencies, 99)),
		ms(r.latencies.length ? r.latencies[r.latencies.length - 1] : NaN),
		String(r.empty),
		String(r.errors)
	]);
	const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
	const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
	return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

// ─── the run ────────────────────────────────────────────────────────────────

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
	const { households, concurrency, seconds } = opts;

	let server: BenchServer | null = null;
	const pools: Sql[] = [];
	let closeDb: (() => Promise<void>) | null = null;
	let stop = false;

	const cleanup = async () => {
		for (const p of pools.splice(0)) await p.end({ timeout: 5 }).catch(() => {});
		if (closeDb) await closeDb().catch(() => {});
		if (server) await server.stop();
	};

	// a hard bound on the whole run: seeding scales with households, each phase with --seconds
	const budgetSeconds = 180 + Math.ceil(households * 0.005) + 2 * (seconds + 60);
	const watchdog = setTimeout(() => {
		console.error(`bench claim: still running after ${budgetSeconds} s; giving up`);
		stop = true;
		void Promise.race([cleanup(), new Promise((res) => setTimeout(res, 10_000))]).finally(() => process.exit(1));
	}, budgetSeconds * 1000);
	watchdog.unref();

	let interrupted = 0;
	const onSignal = () => {
		if (++interrupted > 1) process.exit(130);
		console.error('bench claim: interrupted; finishing the current phase and cleaning up (again to quit at once)');
		stop = true;
	};

	try {
		server = await openForBench('claim', log, onSignal);
		if (!server) return 2;

		const { adminUrl, benchUrl } = server;
		const measuredUrl = new URL(benchUrl);
		for (const [k, v] of Object.entries(MEASURED_PARAMS)) measuredUrl.searchParams.set(k, v);

		// before anything calls loadConfig() (it caches) or db()
		process.env.DATABASE_URL = measuredUrl.toString();
		process.env.DB_POOL_MAX = String(concurrency + 5);

		const dbModule = await import('../src/lib/server/db.ts');
		const { connect, db } = dbModule;
		closeDb = dbModule.closeDb;
		const { loadConfig } = await import('../src/lib/server/config.ts');
		const { migrate } = await import('../src/lib/server/migrate.ts');
		const { seedDemo } = await import('../src/lib/server/demo/demo.ts');
		const { createUser } = await import('../src/lib/server/users/users.ts');
		const { assignOperator } = await import('../src/lib/server/segments/segments.ts');
		const { claimNextHousehold, releaseHousehold } = await import('../src/lib/server/queue/claims.ts');
		const q = await import('../src/lib/server/queue/claims.queries.ts');
		const { isDomainError } = await import('../src/lib/server/errors.ts');
		const lease = loadConfig().CLAIM_LEASE_SECONDS;

		// ── scratch database ──
		const info = await freshBenchDb(adminUrl, log);
		// peak: setup (2) + admin (1) + the larger of baseline (concurrency) and the app pool (concurrency + 5)
		const need = concurrency + 5 + 3;
		if (info.used + need > info.maxConnections - info.reserved) {
			console.error(`bench claim: --concurrency ${concurrency} needs ${need} connections but the server has ${info.maxConnections - info.reserved - info.used} free (max_connections ${info.maxConnections})`);
			return 2;
		}

		const setup = connect(benchUrl.toString(), { max: 2 });
		pools.push(setup);
		await migrate(setup, (m) => log(m));
		log(`seeding ${households.toLocaleString('en')} synthetic households (seed 1) …`);
		const seeded = await seedDemo(setup, { households, seed: 1 });
		log(`seeded in ${seeded.seconds.toFixed(1)} s: ${seeded.queued.toLocaleString('en')} callable, ${seeded.noPhone.toLocaleString('en')} without a usable phone`);

		// ── operators: one argon2 hash, reused for the others ──
		const segmentIds = (await setup<{ id: number }[]>`select id from segments where active order by id`).map((s) => s.id);
		const actors: Actor[] = await setup.begin(async (tx) => {
			const loginId = (i: number) => `bench-op-${String(i).padStart(3, '0')}`;
			const first = await createUser(tx, { loginId: loginId(1), displayName: 'bench operator 1', role: 'operator', password: BENCH_PASSWORD });
			const [{ passwordHash }] = await tx<{ passwordHash: string }[]>`select password_hash from users where id = ${first.id}`;
			const rest =
				concurrency > 1
					? await tx<{ id: number; loginId: string }[]>`
						insert into users (login_id, display_name, role, password_hash)
						select 'bench-op-' || lpad(g::text, 3, '0'), 'bench operator ' || g, 'operator', ${passwordHash}
						from generate_series(2, ${concurrency}) g
						returning id, login_id`
					: [];
			const users = [{ id: first.id, loginId: loginId(1) }, ...rest].sort((a, b) => a.loginId.localeCompare(b.loginId));
			for (const u of users) for (const s of segmentIds) await assignOperator(tx, u.id, s);
			return users.map((u) => ({ id: u.id, loginId: u.loginId, displayName: u.loginId, role: 'operator' as const, locale: 'ja' as const }));
		});
		log(`${actors.length} bench operators, each in all ${segmentIds.length} segments`);
		await setup.unsafe('vacuum (analyze)');

		const resetQueue = async () => {
			const [{ n }] = await setup<{ n: number }[]>`
				with r as (update call_queue set state = 'ready', claimed_by = null, claimed_at = null, claim_expires_at = null,
				             version = version + 1, updated_at = now()
				           where state = 'claimed' returning 1)
				select count(*)::int as n from r`;
			await setup.unsafe('vacuum (analyze) call_queue');
			return n;
		};
		const queueState = async () => {
			const rows = await setup<{ state: string; n: number }[]>`select state, count(*)::int as n from call_queue group by state order by state`;
			return Object.fromEntries(rows.map((r) => [r.state, r.n])) as Record<string, number>;
		};
		const ready = (await queueState()).ready ?? 0;
		if (ready < concurrency) log(`warning: only ${ready} ready households for ${concurrency} workers: expect queue_empty`);
		const warm = (pool: Sql, n: number) => Promise.all(Array.from({ length: n }, () => pool`select pg_sleep(0.05)`));

		// ── (a) baseline: the bare statements on a pool of their own ──
		log(`phase 1/2 baseline: bare claim UPDATE + release UPDATE, ${concurrency} workers, ${seconds} s`);
		const raw = connect(measuredUrl.toString(), { max: concurrency });
		pools.push(raw);
		await warm(raw, concurrency);
		const baseline = await runPhase(
			'baseline (bare SQL)',
			actors.map((a) => ({
				claim: async () => (await q.claimNext(raw, a.id, lease))?.householdId ?? null,
				release: async (householdId) => {
					if (!(await q.release(raw, a.id, householdId))) throw Object.assign(new Error('release found no claim'), { code: 'claim_not_held' });
				},
				recover: async () => {
					await raw`update call_queue set state = 'ready', claimed_by = null, claimed_at = null, claim_expires_at = null
						where state = 'claimed' and claimed_by = ${a.id}`;
				}
			})),
			seconds,
			() => stop
		);
		await raw.end({ timeout: 5 });
		pools.splice(pools.indexOf(raw), 1);
		const leftA = await resetQueue();

		// ── (b) the use case on the app's pool (db(), DB_POOL_MAX = concurrency + 5) ──
		let useCase: PhaseResult | null = null;
		let leftB = 0;
		let logged = 0;
		if (!stop) {
			log(`phase 2/2 use case: claimNextHousehold + releaseHousehold, ${concurrency} operators, ${seconds} s`);
			const [{ before }] = await setup<{ before: number }[]>`select count(*)::int as before from access_log where action = 'household.claim'`;
			await warm(db(), concurrency + 5);
			let resumed = 0;
			useCase = await runPhase(
				'use case',
				actors.map((a) => ({
					claim: async () => {
						try {
							const c = await claimNextHousehold(a);
							if (c.resumed) resumed++;
							return c.householdId;
						} catch (e) {
							if (isDomainError(e) && e.code === 'queue_empty') return null;
							throw e;
						}
					},
					release: (householdId) => releaseHousehold(a, { householdId }),
					recover: async () => {
						const held = await q.heldBy(db(), a.id);
						if (held) await releaseHousehold(a, { householdId: held.householdId });
					}
				})),
				seconds,
				() => stop
			);
			useCase.resumed = resumed;
			const [{ after }] = await setup<{ after: number }[]>`select count(*)::int as after from access_log where action = 'household.claim'`;
			logged = after - before;
			leftB = await resetQueue();
		}

		// ── report ──
		const rows = useCase ? [baseline, useCase] : [baseline];
		console.log('');
		console.log(
			`claim benchmark: ${households.toLocaleString('en')} households (${ready.toLocaleString('en')} ready), ${concurrency} concurrent operators, ` +
				`${seconds} s per phase, PostgreSQL ${info.version}, ${os.cpus().length} CPUs`
		);
		console.log('');
		console.log(table(rows));
		console.log('');
		if (useCase) {
			const ratio = percentile(useCase.latencies, 99) / percentile(baseline.latencies, 99);
			console.log(`use-case p99 / baseline p99: ${Number.isFinite(ratio) ? ratio.toFixed(2) + '×' : '-'}`);
			console.log(
				`checks: access-log claim rows ${logged.toLocaleString('en')} (use-case claims ${useCase.claims.toLocaleString('en')}); ` +
					`resumed claims ${useCase.resumed}; rows still claimed after each phase: ${leftA}, ${leftB}`
			);
		}
		for (const r of rows) for (const [k, n] of r.errorKinds) console.log(`errors in ${r.name}: ${n} × ${k}`);
		if (stop) console.log('(interrupted: the results are partial)');
		return stop && interrupted > 0 ? 130 : 0;
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
		await cleanup();
		clearTimeout(watchdog);
	}
}
