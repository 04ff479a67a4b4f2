/**
 * The promise reconciliation (納付約束の消込) at scale: a scratch database `kansho_bench_promises` is dropped,
 * recreated, migrated and filled by SQL with households owing money, each with one pending promise that fell due
 * ten days ago; a quarter paid it in full, a quarter in part, half not at all. Then, one after another:
 *   - baseline: one bare SQL statement that sums, per pending promise, the payments in its window (what any
 *     reconciliation must at least read);
 *   - reconcile: `reconcileInTx` (load, the pure rules, write states, paid amounts and promise_payments), in a
 *     transaction rolled back afterwards;
 *   - daily: `runDailyReconciliation` as the sweeper runs it (the same, plus placing again every household whose
 *     promise changed state), committed;
 *   - again: the daily job's work a second time on unchanged data (`reconcileInTx` on the same day, rolled back):
 *     nothing pending is left, so it is the cost of an idle day.
 * Prints each figure next to the baseline.
 */
import { parseArgs } from 'node:util';
import { freshBenchDb, openForBench } from './scratch.ts';

export const promisesUsage = 'promises [--households 20000] [--database kansho_bench_promises]';

const f = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

export async function runPromisesBench(args: string[]): Promise<number> {
	const { values } = parseArgs({ args, options: { households: { type: 'string', default: '20000' }, database: { type: 'string', default: 'kansho_bench_promises' } } });
	const households = Number(values.households);
	if (!Number.isInteger(households) || households < 100 || households > 2_000_000) throw new Error('--households: 100 to 2,000,000');
	const log = (m: string) => console.log(`[promises] ${m}`);
	const server = await openForBench('promises', log, () => {}, values.database);
	if (!server) return 2;
	try {
		await freshBenchDb(server.adminUrl, log, values.database);
		process.env.DATABASE_URL = server.benchUrl.toString();
		process.env.DB_POOL_MAX = '4';
		process.env.LOG_LEVEL = 'silent';
		delete process.env.REDIS_URL;
		const { connect, closeDb } = await import('../src/lib/server/db.ts');
		const { migrate } = await import('../src/lib/server/migrate.ts');
		const { createUser } = await import('../src/lib/server/users/users.ts');
		const { upsertSegment, brokenPromisesSegment } = await import('../src/lib/server/segments/segments.ts');
		const { rebuildQueue } = await import('../src/lib/server/queue/placement.ts');
		const { reconcileInTx, runDailyReconciliation } = await import('../src/lib/server/promises/promises.ts');
		const { tokyoDate } = await import('../src/lib/domain/format.ts');
		const { addDays } = await import('../src/lib/domain/promises.ts');
		const sql = connect(server.benchUrl.toString(), { max: 2 });
		const today = tokyoDate();
		class Rollback extends Error {}
		const rolledBack = async <T>(fn: (tx: never) => Promise<T>): Promise<T> => {
			let out: T | undefined;
			await sql
				.begin(async (tx) => {
					out = await fn(tx as never);
					throw new Rollback();
				})
				.catch((e) => {
					if (!(e instanceof Rollback)) throw e;
				});
			return out as T;
		};
		try {
			await migrate(sql, () => {});
			log(`filling ${households.toLocaleString('en')} households by SQL`);
			const { id: uid } = await createUser(sql, { loginId: 'bench-op', displayName: 'bench operator', role: 'operator', password: 'kansho-bench-2026' });
			await sql`insert into households (nhi_number, head_resident_number, address, synthetic)
				select lpad(g::text, 8, '0'), 'R' || lpad(g::text, 9, '0'), '東京都新宿区西新宿1-1-1', true from generate_series(1, ${households}) g`;
			await sql`insert into receipts (household_id, fiscal_year, period, assessed, received_total, due_date) select id, 2025, 1, 50000, 0, '2025-06-30' from households`;
			await sql`insert into phones (household_id, raw, digits, kind, valid) select id, '090' || lpad(id::text, 8, '0'), '090' || lpad(id::text, 8, '0'), 'mobile', true from households`;
			await sql`insert into promises (household_id, amount, due_date, created_by, created_at)
				select id, 10000, ${addDays(today, -10)}::date, ${uid}, (${addDays(today, -20)}::date + time '12:00') at time zone 'Asia/Tokyo' from households`;
			await sql`insert into payments (household_id, fiscal_year, period, amount, paid_on)
				select id, 2025, 1, case when id % 4 = 0 then 10000 else 4000 end, ${addDays(today, -12)}::date from households where id % 4 in (0, 1)`;
			await sql`analyze`;
			await upsertSegment(sql, brokenPromisesSegment);
			await upsertSegment(sql, { code: 'general', nameJa: '一般', nameEn: 'General', filter: {}, sortOrder: 90 });
			await sql.begin((tx) => rebuildQueue(tx, today));

			// warm-up (not timed): the statements once
			await rolledBack((tx) => reconcileInTx(tx, { today, source: 'manual', runId: null }));

			let t = performance.now();
			const [base] = await sql<{ n: number }[]>`
				select count(*)::int as n from (
				  select p.id, coalesce(sum(y.amount), 0) as paid from promises p
				  left join payments y on y.household_id = p.household_id and y.paid_on >= (p.created_at at time zone 'Asia/Tokyo')::date and y.paid_on <= p.due_date
				  where p.status = 'pending' group by p.id) x`;
			const baselineMs = performance.now() - t;

			t = performance.now();
			const rec = await rolledBack((tx) => reconcileInTx(tx, { today, source: 'manual', runId: null }));
			const reconcileMs = performance.now() - t;

			t = performance.now();
			const daily = await runDailyReconciliation();
			const dailyMs = performance.now() - t;
			if (!daily.ran) throw new Error(`the daily run did not run: ${daily.why}`);

			t = performance.now();
			const again = await rolledBack((tx) => reconcileInTx(tx, { today, source: 'manual', runId: null }));
			const againMs = performance.now() - t;

			const [segs] = await sql<{ broken: number }[]>`
				select count(*)::int as broken from call_queue q join segments s on s.id = q.segment_id where s.code = 'broken-promises'`;
			const [info] = await sql<{ version: string }[]>`select current_setting('server_version') as version`;
			console.log('');
			console.log(`promise reconciliation at ${households.toLocaleString('en')} households, one pending promise each (PostgreSQL ${info.version}, ${server.embedded ? 'embedded' : 'DATABASE_URL'})`);
			console.log('');
			console.log('| phase | promises | time | × baseline |');
			console.log('|---|---:|---:|---:|');
			console.log(`| baseline: bare SQL sum of payments per pending promise | ${base.n} | ${f(baselineMs)} | 1.0 |`);
			console.log(`| reconcile (rules + writes, rolled back) | ${rec.checked} (changed ${rec.changed}) | ${f(reconcileMs)} | ${(reconcileMs / baselineMs).toFixed(1)} |`);
			console.log(`| daily job (+ placing ${daily.counts.changed} households again), committed | ${daily.counts.checked} | ${f(dailyMs)} | ${(dailyMs / baselineMs).toFixed(1)} |`);
			console.log(`| the next day with nothing pending | ${again.checked} | ${f(againMs)} | ${(againMs / baselineMs).toFixed(1)} |`);
			console.log('');
			console.log(`after the daily job: kept ${daily.counts.kept}, partly kept ${daily.counts.partlyKept}, broken ${daily.counts.broken}; ${segs.broken} households in 約束不履行`);
			const ok = daily.counts.kept + daily.counts.partlyKept + daily.counts.broken === households && segs.broken === daily.counts.partlyKept + daily.counts.broken;
			if (!ok) console.log('MISMATCH: the counts do not add up');
			return ok ? 0 : 1;
		} finally {
			await sql.end({ timeout: 5 });
			await closeDb();
		}
	} finally {
		await server.stop();
	}
}
