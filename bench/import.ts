/**
 * The import benchmark: how fast a full snapshot of the ward's files goes through runImport, next to the time
 * `psql \copy` takes to load the same files into plain tables, and how much memory the import takes.
 *
 *   npm run bench -- import [--households 1000000] [--receipts-per-household 5] [--keep]
 *
 * 1. Writes `households` synthetic households (generateDemoData, seed 1, today = the 基準日) as the ward's CSV files
 *    (writeDemoCsv: CP932, quirks) into a temporary folder under os.tmpdir(), keeping per household only the
 *    `receipts-per-household` first periods of the current fiscal year in 収納.csv, that year's row in 世帯.csv, and
 *    none of the optional records (the other six files are written with their header only). Timed apart.
 * 2. Baseline: creates plain (logged, no constraints, all-text) tables baseline_households / _persons / _receipts
 *    in the scratch database and times `psql -c "\copy … with (format csv, header true, encoding '…')"` for
 *    世帯.csv, 個人.csv, 収納.csv. PostgreSQL's SJIS (= CP932) has no mapping for the CP932 user area (外字), so a
 *    file it refuses is loaded again with a single-byte client encoding: the physical load is what is measured.
 * 3. The use case: with the default segments in place (so the queue is rebuilt), runImport(systemActor('bench'),
 *    [世帯.csv, 個人.csv, 収納.csv], { mode: 'apply', asOf, source: 'bench', synthetic: true }), timed, with the
 *    RSS of this process sampled every 250 ms; then the per-phase seconds runImport stored in imports.counts.
 *
 * The scratch database `kansho_bench` is dropped and recreated (left in place afterwards); the CSV folder is
 * removed at the end unless --keep. The run is bounded by a watchdog that scales with the households.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import type { Sql } from '../src/lib/server/db.ts';
import type { DemoHousehold } from '../src/lib/server/seed/generate.ts';
import type { ImportProgress, ImportReport } from '../src/lib/server/imports/imports.ts';
import { BENCH_DB, freshBenchDb, openForBench, type BenchServer } from './scratch.ts';

export const importUsage = 'import [--households 1000000] [--receipts-per-household 5] [--keep]';

/** 基準日 of the import, and the generator's `today`: late November, five periods of the year overdue. */
const AS_OF = '2026-11-27';
const SEED = 1;
const PSQL = '/usr/bin/psql';
/** RSS sampling interval during the import. */
const SAMPLE_MS = 250;
/** The files measured: the full snapshot. */
const SNAPSHOT = [
	{ file: '世帯.csv', table: 'baseline_households' },
	{ file: '個人.csv', table: 'baseline_persons' },
	{ file: '収納.csv', table: 'baseline_receipts' }
] as const;
/** Client encodings tried for the baseline, in order: CP932 first, then single-byte ones that accept any byte. */
const BASELINE_ENCODINGS = ['SJIS', 'WIN', 'LATIN1'];

interface Options {
	households: number;
	receiptsPerHousehold: number;
	keep: boolean;
}

class UsageError extends Error {}

function parseOptions(args: string[]): Options {
	let values: { households?: string; 'receipts-per-household'?: string; keep?: boolean };
	try {
		({ values } = parseArgs({
			args,
			strict: true,
			allowPositionals: false,
			options: { households: { type: 'string' }, 'receipts-per-household': { type: 'string' }, keep: { type: 'boolean' } }
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
		households: int('households', values.households, 1_000_000, 10, 2_000_000),
		// three fiscal years of at most ten periods
		receiptsPerHousehold: int('receipts-per-household', values['receipts-per-household'], 5, 1, 30),
		keep: values.keep ?? false
	};
}

const log = (m: string) => console.log(`bench: ${m}`);
const fmt = (n: number) => n.toLocaleString('en');
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
const secs = (s: number) => s.toFixed(1);

/**
 * The generator's households thinned to about `k` receipt rows each: the latest fiscal year's periods first (for
 * k ≤ 10 exactly the current year's first k periods), that year's 世帯 row, and no optional records.
 */
export function* thinHouseholds(households: Iterable<DemoHousehold>, k: number): Generator<DemoHousehold> {
	for (const h of households) {
		const receipts = [...h.receipts].sort((a, b) => b.fiscalYear - a.fiscalYear || a.period - b.period).slice(0, k);
		const kept = new Set(receipts.map((r) => r.fiscalYear));
		const years = h.years.filter((y) => kept.has(y.fiscalYear));
		yield {
			...h,
			receipts,
			years: years.length > 0 ? years : h.years.slice(-1),
			premiums: [],
			bankTransfer: null,
			eligibility: [],
			employers: [],
			paymentManagers: [],
			caseHistory: []
		};
	}
}

function table(head: string[], body: string[][]): string {
	const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
	const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
	return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

interface BaselineLoad {
	file: string;
	rows: number;
	seconds: number;
	encoding: string;
	/** encodings refused before, with psql's message */
	refused: { encoding: string; seconds: number; message: string }[];
}

// ─── the run ────────────────────────────────────────────────────────────────

export async function runImportBench(args: string[]): Promise<number> {
	let opts: Options;
	try {
		opts = parseOptions(args);
	} catch (e) {
		if (e instanceof UsageError) {
			console.error(`bench import: ${e.message}\nusage: npm run bench -- ${importUsage}`);
			return 2;
		}
		throw e;
	}
	const { households, receiptsPerHousehold, keep } = opts;
	const started = performance.now();

	let server: BenchServer | null = null;
	const pools: Sql[] = [];
	let closeDb: (() => Promise<void>) | null = null;
	let dir: string | null = null;
	let sampler: ReturnType<typeof setInterval> | null = null;

	const removeDir = () => {
		if (!dir) return;
		if (keep) log(`CSV files kept in ${dir}`);
		else fs.rmSync(dir, { recursive: true, force: true });
		dir = null;
	};
	const cleanup = async () => {
		if (sampler) clearInterval(sampler);
		for (const p of pools.splice(0)) await p.end({ timeout: 5 }).catch(() => {});
		if (closeDb) await closeDb().catch(() => {});
		if (server) await server.stop();
		removeDir();
	};
	/** Give up: end whatever the server still runs for the scratch database (a long merge), clean up, exit. */
	let aborting = false;
	const abort = (why: string, code: number) => {
		if (aborting) process.exit(code);
		aborting = true;
		console.error(`bench import: ${why}; cleaning up`);
		const terminate = async () => {
			if (!server) return;
			const { connect } = await import('../src/lib/server/db.ts');
			const admin = connect(server.adminUrl.toString(), { max: 1 });
			try {
				await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${BENCH_DB} and pid <> pg_backend_pid()`;
			} finally {
				await admin.end({ timeout: 2 });
			}
		};
		void Promise.race([terminate().catch(() => {}).then(cleanup), new Promise((res) => setTimeout(res, 15_000))]).finally(() => process.exit(code));
	};

	// a hard bound on the whole run: generation, baseline and import all scale with the rows
	const budgetSeconds = 300 + Math.ceil(households * (0.0008 + 0.0002 * receiptsPerHousehold));
	const deadline = started + budgetSeconds * 1000;
	const watchdog = setTimeout(() => abort(`still running after ${budgetSeconds} s; giving up`, 1), budgetSeconds * 1000);
	watchdog.unref();
	const onSignal = () => abort('interrupted (again to quit at once)', 130);

	try {
		server = await openForBench('import', log, onSignal);
		if (!server) return 2;
		const { adminUrl, benchUrl } = server;

		// before anything calls loadConfig() (it caches) or db()
		process.env.DATABASE_URL = benchUrl.toString();
		process.env.DB_POOL_MAX = '4';

		const dbModule = await import('../src/lib/server/db.ts');
		const { connect } = dbModule;
		closeDb = dbModule.closeDb;
		const { migrate } = await import('../src/lib/server/migrate.ts');
		const { systemActor } = await import('../src/lib/server/auth/actor.ts');
		const { upsertSegment, defaultSegments } = await import('../src/lib/server/segments/segments.ts');
		const { runImport } = await import('../src/lib/server/imports/imports.ts');
		const { generateDemoData } = await import('../src/lib/server/seed/generate.ts');
		const { writeDemoCsv, CSV_COLUMNS } = await import('../src/lib/server/seed/csv.ts');

		// ── scratch database ──
		const info = await freshBenchDb(adminUrl, log);

		// two: migrate() holds one for its advisory lock while it migrates on the other
		const setup = connect(benchUrl.toString(), { max: 2 });
		pools.push(setup);
		await migrate(setup, (m) => log(m));
		const checkpoint = () => setup`checkpoint`.catch((e) => log(`checkpoint skipped: ${(e as Error).message}`));

		// ── 1. the files ──
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kansho-bench-import-'));
		log(`writing ${fmt(households)} households (seed ${SEED}, ~${receiptsPerHousehold} receipts each) as CP932 CSV with quirks into ${dir} …`);
		const genStarted = performance.now();
		const step = households >= 200_000 ? 100_000 : 10_000;
		const written = await writeDemoCsv(dir, thinHouseholds(generateDemoData({ seed: SEED, households, today: AS_OF }), receiptsPerHousehold), {
			encoding: 'cp932',
			quirks: true,
			onProgress: (n) => {
				if (n % step === 0 && n < households) log(`  … ${fmt(n)} households (${secs((performance.now() - genStarted) / 1000)} s)`);
			}
		});
		const genSeconds = (performance.now() - genStarted) / 1000;
		log(`CSV written in ${secs(genSeconds)} s`);
		const files = SNAPSHOT.map(({ file, table }) => ({ file, table, path: path.join(dir!, file), rows: written[file].rows, bytes: written[file].bytes }));
		const totalRows = files.reduce((s, f) => s + f.rows, 0);
		const totalBytes = files.reduce((s, f) => s + f.bytes, 0);

		// ── 2. baseline: psql \copy into plain tables ──
		for (const f of files) {
			const n = CSV_COLUMNS[f.file as keyof typeof CSV_COLUMNS].length;
			await setup.unsafe(`create table ${f.table} (${Array.from({ length: n }, (_, i) => `c${i + 1} text`).join(', ')})`);
		}
		await checkpoint();
		const psqlEnv: NodeJS.ProcessEnv = { ...process.env, PGAPPNAME: 'kansho-bench-psql' };
		if (benchUrl.password) psqlEnv.PGPASSWORD = decodeURIComponent(benchUrl.password);
		const psqlArgs = [
			'-X', '-v', 'ON_ERROR_STOP=1',
			'-h', benchUrl.hostname.replace(/^\[|\]$/g, ''),
			'-p', benchUrl.port || '5432',
			'-U', decodeURIComponent(benchUrl.username || os.userInfo().username),
			'-d', BENCH_DB
		];
		const baseline: BaselineLoad[] = [];
		for (const f of files) {
			const load: BaselineLoad = { file: f.file, rows: 0, seconds: 0, encoding: '', refused: [] };
			for (const encoding of BASELINE_ENCODINGS) {
				const command = `\\copy ${f.table} from '${f.path.replace(/'/g, "''")}' with (format csv, header true, encoding '${encoding}')`;
				const timeout = Math.max(1000, Math.floor(deadline - performance.now()));
				const t0 = performance.now();
				const r = spawnSync(PSQL, [...psqlArgs, '-c', command], { env: psqlEnv, encoding: 'utf8', timeout, maxBuffer: 16 * 1024 * 1024 });
				const seconds = (performance.now() - t0) / 1000;
				if (r.error) throw new Error(`psql: ${r.error.message}`);
				const copied = /COPY (\d+)/.exec(r.stdout ?? '');
				if (r.status === 0 && copied) {
					Object.assign(load, { rows: Number(copied[1]), seconds, encoding });
					break;
				}
				const message = (r.stderr || r.stdout || `exit ${r.status}`).trim().split('\n')[0];
				if (!/encoding|byte sequence/i.test(message)) throw new Error(`psql \\copy ${f.file} failed: ${message}`);
				log(`  psql \\copy ${f.file} with encoding '${encoding}' refused after ${secs(seconds)} s: ${message}`);
				load.refused.push({ encoding, seconds, message });
				await setup.unsafe(`truncate ${f.table}`);
			}
			if (!load.encoding) throw new Error(`psql \\copy ${f.file}: no client encoding accepted the file`);
			log(`baseline: psql \\copy ${f.file} (${fmt(load.rows)} rows, encoding '${load.encoding}') in ${secs(load.seconds)} s`);
			baseline.push(load);
		}
		const baselineSeconds = baseline.reduce((s, b) => s + b.seconds, 0);
		const baselineRows = baseline.reduce((s, b) => s + b.rows, 0);

		// ── 3. the import ──
		for (const s of defaultSegments) await upsertSegment(setup, s);
		await setup.unsafe('vacuum analyze');
		await checkpoint();
		let phase = 'start';
		const peakByPhase = new Map<string, number>();
		let peak = 0;
		/** seconds into the import when the peak was sampled */
		let peakAt = 0;
		let samples = 0;
		let importStarted = performance.now();
		const sample = () => {
			const rss = process.memoryUsage.rss();
			samples++;
			if (rss > peak) {
				peak = rss;
				peakAt = (performance.now() - importStarted) / 1000;
			}
			if (rss > (peakByPhase.get(phase) ?? 0)) peakByPhase.set(phase, rss);
		};
		const rssBefore = process.memoryUsage.rss();
		let lastLogged = 0;
		const onProgress = (p: ImportProgress) => {
			const name = p.phase === 'reading' ? `reading ${p.file}` : p.phase;
			if (name !== phase) {
				sample();
				phase = name;
				log(`  import: ${name} (${secs((performance.now() - importStarted) / 1000)} s)`);
				lastLogged = 0;
			}
			if (p.phase === 'reading' && p.rows && p.rows - lastLogged >= 1_000_000) {
				lastLogged = p.rows;
				log(`  import: ${p.file} ${fmt(p.rows)} rows (${secs((performance.now() - importStarted) / 1000)} s, RSS ${mb(process.memoryUsage.rss())})`);
			}
		};
		log(`import: runImport(apply) of ${files.map((f) => f.file).join(', ')} (${fmt(totalRows)} rows, ${mb(totalBytes)}), asOf ${AS_OF}`);
		importStarted = performance.now();
		sample();
		sampler = setInterval(sample, SAMPLE_MS);
		let report: ImportReport;
		try {
			report = await runImport(
				systemActor('bench'),
				files.map((f) => ({ name: f.file, path: f.path })),
				{ mode: 'apply', asOf: AS_OF, source: 'bench', synthetic: true, onProgress }
			);
		} finally {
			clearInterval(sampler);
			sampler = null;
			sample();
		}
		const importSeconds = (performance.now() - importStarted) / 1000;
		log(`import: ${report.status} in ${secs(importSeconds)} s`);

		const [stored] = await setup<{ phaseSeconds: Record<string, number> | null; phaseDetail: Record<string, number> | null; seconds: number | null }[]>`
			select counts -> 'phaseSeconds' as phase_seconds, counts -> 'phaseDetail' as phase_detail, (counts ->> 'seconds')::float8 as seconds
			from imports where id = ${report.importId}`;
		const queue = await setup<{ state: string; n: number }[]>`select state::text, count(*)::int as n from call_queue group by 1 order by 1`;

		// ── 4. report ──
		const rate = (rows: number, s: number) => fmt(Math.round(rows / s));
		const rows = [
			...baseline.map((b, i) => [
				`psql \\copy ${b.file} ('${b.encoding}')`,
				fmt(b.rows),
				mb(files[i].bytes),
				secs(b.seconds),
				rate(b.rows, b.seconds)
			]),
			['psql \\copy, the three files', fmt(baselineRows), mb(totalBytes), secs(baselineSeconds), rate(baselineRows, baselineSeconds)],
			['kansho import (runImport, apply)', fmt(totalRows), mb(totalBytes), secs(importSeconds), rate(totalRows, importSeconds)]
		];
		const ratio = importSeconds / baselineSeconds;
		const phases = stored?.phaseSeconds ?? {};
		const phaseSum = Object.values(phases).reduce((s, v) => s + v, 0);
		// the stored phases follow one another from the start of the import: place the peak in one of them
		let peakPhase = 'rest';
		let until = 0;
		for (const [k, v] of Object.entries(phases)) {
			until += v;
			if (peakAt <= until) {
				peakPhase = k;
				break;
			}
		}
		const rejected = report.rejected.length + report.fileErrors.length;

		console.log('');
		console.log(
			`import benchmark: ${fmt(households)} households, ~${receiptsPerHousehold} receipts each, CP932 with quirks, asOf ${AS_OF}; ` +
				`PostgreSQL ${info.version}, ${os.cpus().length} CPUs, Node ${process.version}`
		);
		console.log('');
		console.log(
			`CSV generation (not in the figures below): ${secs(genSeconds)} s — ` +
				files.map((f) => `${f.file} ${fmt(f.rows)} rows ${mb(f.bytes)}`).join(', ')
		);
		for (const b of baseline) for (const x of b.refused) console.log(`baseline: ${b.file} refused by encoding '${x.encoding}' after ${secs(x.seconds)} s: ${x.message}`);
		console.log('');
		console.log(table(['', 'rows', 'size', 'seconds', 'rows/s'], rows));
		console.log('');
		console.log(`import / baseline: ${ratio.toFixed(2)}× (target ≤ 2×)`);
		console.log(
			`peak RSS during the import: ${mb(peak)} at ${secs(peakAt)} s, in phase '${peakPhase}' (before: ${mb(rssBefore)}; ` +
				`${samples} samples every ${SAMPLE_MS} ms; target < 500 MB) — by progress phase: ` +
				[...peakByPhase].filter(([k]) => k !== 'start').map(([k, v]) => `${k} ${mb(v)}`).join(', ')
		);
		console.log(
			`import phases (imports.counts->'phaseSeconds'): ` +
				(Object.keys(phases).length ? Object.entries(phases).map(([k, v]) => `${k} ${secs(v)} s`).join(', ') : '-') +
				`; rest (summary, audit, commit, record) ${secs(importSeconds - phaseSum)} s; stored total ${stored?.seconds ?? '-'} s`
		);
		// read.decode: file read + decoding + CSV tokenizing; read.rows: normalizing, validating, COPY text; read.copy: waiting for COPY
		const detail = Object.entries(stored?.phaseDetail ?? {}).filter(([, v]) => v >= 0.05);
		if (detail.length) console.log(`  in detail (imports.counts->'phaseDetail'): ${detail.map(([k, v]) => `${k} ${secs(v)} s`).join(', ')}`);
		console.log(
			`report: ${report.status}, households ${fmt(report.counts.households)}, persons ${fmt(report.counts.persons)}, ` +
				`receipts ${fmt(report.counts.receipts)}, rejected ${fmt(rejected)}` +
				(report.changes ? `; new households ${fmt(report.changes.newHouseholds)}, new receipts ${fmt(report.changes.newReceipts)}` : '')
		);
		console.log(`queue after the import: ${queue.map((q) => `${q.state} ${fmt(q.n)}`).join(', ') || 'empty'}`);
		console.log(`total run ${secs((performance.now() - started) / 1000)} s (watchdog ${budgetSeconds} s)`);
		if (!report.applied) {
			for (const r of [...report.fileErrors, ...report.rejected].slice(0, 10)) console.log(`rejected: ${r.file}:${r.line} ${r.column ?? ''} ${r.reason}`);
			return 1;
		}
		return 0;
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
		await cleanup();
		clearTimeout(watchdog);
	}
}
