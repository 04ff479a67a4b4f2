/**
 * The reports benchmark (#8): `npm run bench -- reports [--households 1000000] [--periods 4] [--calls 600000]`.
 *
 * A scratch database `kansho_bench_reports` is dropped, recreated, migrated and filled by SQL (generate_series):
 * `--households` households in 40 districts (4% with a foreign head of household), in three queue segments;
 * receipts of three fiscal years with `--periods` instalment periods each (the ward's are 10: `--periods 10` is 30
 * rows per household), about 85% paid with receipt dates spread over the year and after it; a season of calls
 * (`--calls`, the last three months, 40 operators in 4 teams, answer/right-party/promise outcomes in realistic
 * shares), promises on the promise calls, payments, operators' state changes. Then, in the same run:
 *
 *   baseline      count(*) of receipts, of calls in the month, of payments (the floor: one pass over each table)
 *   summary       refreshCollectionCells: the rebuild of the summary the trends read (the sweeper runs it after an
 *                 import of receipts and daily)
 *   trend data    collectionTrends(actor, {}): the trend page's data (three years by month, breakdowns by segment,
 *                 district and nationality) from the summary — target < 500 ms
 *   trend, one segment / without 居所不明   the same with a filter
 *   monthly data  buildPeriodReport (month): every measure per operator, team and segment
 *   monthly PDF   the data and the PDF — target < 10 s
 *   monthly xlsx  the data and the Excel file
 *
 * Each timed step runs 3 times after one untimed warm-up; the median is printed with the fastest and slowest.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import type { Sql } from '../src/lib/server/db.ts';
import { freshBenchDb, openForBench } from './scratch.ts';

export const reportsUsage = 'reports [--households 1000000] [--periods 4] [--calls 600000] [--database kansho_bench_reports]';

const TREND_TARGET_MS = 500;
const PDF_TARGET_MS = 10_000;

async function fill(sql: Sql, o: { households: number; periods: number; calls: number; fy: number; month: string }, log: (m: string) => void) {
	await sql`set synchronous_commit = off`;
	let t = performance.now();
	const lap = (what: string) => {
		log(`${what}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
		t = performance.now();
	};
	const segs = await sql<{ id: number }[]>`
		insert into segments (code, name_ja, name_en, filter, sort_order) values
		  ('high', '高額', 'High', '{}', 1), ('foreign', '外国籍', 'Foreign', '{}', 2), ('general', '一般', 'General', '{}', 3)
		returning id`;
	await sql`
		insert into households (nhi_number, head_resident_number, address, district, synthetic)
		select lpad(g::text, 8, '0'), 'R' || lpad(g::text, 9, '0'), '東京都架空区' || (g % 40) || '丁目', '町' || (g % 40), true
		from generate_series(1, ${o.households}::int) g`;
	await sql`
		insert into persons (resident_number, household_id, fiscal_year, name, relationship, nationality)
		select h.head_resident_number, h.id, ${o.fy}, '試験 ' || h.id, '世帯主', case when h.id % 25 = 0 then 'VN' else 'JP' end from households h`;
	lap('households and persons');
	// receipts: three fiscal years × periods; 85% paid, the date spread from the due date to ~5 months after
	await sql`
		insert into receipts (household_id, fiscal_year, period, assessed, received_total, due_date, received_on, last_received_on)
		select h.id, fy, p, a, case when paid then a else 0 end, due,
		  case when paid then due + ((h.id * 7 + p * 13) % 150 - 20)::int end,
		  case when paid then due + ((h.id * 7 + p * 13) % 150 - 20)::int + ((h.id % 3) * 10)::int end
		from households h
		cross join generate_series(${o.fy - 2}::int, ${o.fy}::int) fy
		cross join generate_series(1, ${o.periods}::int) p
		cross join lateral (select (5000 + (h.id % 20) * 1000)::bigint as a, (make_date(fy, 6, 30) + ((p - 1) * (270 / ${o.periods}::int)))::date as due,
		  ((h.id + p + fy) % 100) < case when fy < ${o.fy} then 85 else 60 end as paid) x
		where due < current_date + 200`;
	lap('receipts');
	await sql`
		insert into call_queue (household_id, segment_id, priority, state)
		select id, case when id % 25 = 0 then ${segs[1].id}::bigint when id % 5 = 0 then ${segs[0].id}::bigint else ${segs[2].id}::bigint end, 0, 'ready' from households`;
	lap('queue');
	const ops = await sql<{ id: number }[]>`
		insert into users (login_id, display_name, role, password_hash, team)
		select 'op' || g, 'オペレーター ' || g, 'operator', 'x', chr(64 + (g % 4) + 1) || '班' from generate_series(1, 40) g returning id`;
	const opIds = ops.map((r) => r.id);
	// calls over the last three months (a third in the month reported), 9:00–20:00 Tokyo
	await sql`
		insert into calls (household_id, segment_id, operator_id, direction, party, outcome_code, started_at, ended_at, recorded_at)
		select hid, (select segment_id from call_queue q where q.household_id = hid), (${sql.array(opIds)}::bigint[])[1 + (g % 40)],
		  case when g % 50 = 0 then 'inbound' else 'outbound' end, 'self',
		  (array['10','10','10','11','12','20','20','21','40','42','50','30'])[1 + (g * 7 % 12)], at, at + interval '3 minutes', at + interval '3 minutes'
		from generate_series(1, ${o.calls}::int) g
		cross join lateral (select 1 + ((g::bigint * 7919) % ${o.households}::int) as hid,
		  ((${o.month + '-01'}::date - 60 + (g % 90))::timestamp + interval '9 hours' + ((g % 660) * interval '1 minute')) at time zone 'Asia/Tokyo' as at) x`;
	lap('calls');
	await sql`
		insert into promises (household_id, call_id, amount, due_date, status, created_by, created_at)
		select c.household_id, c.id, 10000, (c.recorded_at at time zone 'Asia/Tokyo')::date + 14,
		  (array['kept','kept','broken','partly_kept','pending'])[1 + (c.id % 5)], c.operator_id, c.recorded_at
		from calls c where c.outcome_code = '40'`;
	await sql`
		insert into handoffs (household_id, call_id, reason, created_by, created_at, status)
		select c.household_id, c.id, (array['installment','hardship','reduction','complaint','other'])[1 + (c.id % 5)], c.operator_id, c.recorded_at, 'new'
		from calls c where c.outcome_code = '50'`;
	await sql`
		insert into payments (household_id, fiscal_year, period, amount, paid_on)
		select household_id, ${o.fy}, 1, 8000, (recorded_at at time zone 'Asia/Tokyo')::date + (id % 20)::int from calls where outcome_code in ('20', '40') and id % 2 = 0`;
	await sql`
		insert into operator_state_changes (user_id, state, at)
		select u, (array['available','on_household','wrap_up','available','break'])[1 + (s % 5)],
		  ((${o.month + '-01'}::date + d)::timestamp + interval '9 hours' + s * interval '20 minutes') at time zone 'Asia/Tokyo'
		from unnest(${sql.array(opIds)}::bigint[]) u cross join generate_series(0, 27) d cross join generate_series(0, 32) s`;
	lap('promises, handoffs, payments, states');
	await sql`vacuum analyze`;
	lap('vacuum analyze');
}

async function timed<T>(runs: number, fn: () => Promise<T>): Promise<{ ms: number[]; last: T }> {
	let last = await fn(); // warm-up
	const ms: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		last = await fn();
		ms.push(performance.now() - t);
	}
	return { ms: ms.sort((a, b) => a - b), last };
}

const f = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en') : x.toFixed(1));

export async function runReportsBench(args: string[]): Promise<number> {
	const { values } = parseArgs({
		args,
		options: {
			households: { type: 'string', default: '1000000' },
			periods: { type: 'string', default: '4' },
			calls: { type: 'string', default: '600000' },
			database: { type: 'string', default: 'kansho_bench_reports' }
		}
	});
	const households = Number(values.households);
	const periods = Number(values.periods);
	const calls = Number(values.calls);
	if (!Number.isInteger(households) || households < 1000 || households > 5_000_000) throw new Error('--households: 1,000 to 5,000,000');
	if (!Number.isInteger(periods) || periods < 1 || periods > 10) throw new Error('--periods: 1 to 10');
	if (!Number.isInteger(calls) || calls < 1000 || calls > 20_000_000) throw new Error('--calls: 1,000 to 20,000,000');
	const log = (m: string) => console.log(`[reports] ${m}`);
	const server = await openForBench('reports', log, () => {}, values.database);
	if (!server) return 2;
	try {
		await freshBenchDb(server.adminUrl, log, values.database);
		process.env.DATABASE_URL = server.benchUrl.toString();
		process.env.DB_POOL_MAX = '8';
		process.env.LOG_LEVEL = 'silent';
		delete process.env.REDIS_URL;
		const { connect, closeDb, db } = await import('../src/lib/server/db.ts');
		const { migrate } = await import('../src/lib/server/migrate.ts');
		const { createUser } = await import('../src/lib/server/users/users.ts');
		const { collectionTrends } = await import('../src/lib/server/reports/trends.ts');
		const { buildPeriodReport } = await import('../src/lib/server/reports/period-report.ts');
		const { renderReport } = await import('../src/lib/server/reports/report-files.ts');
		const { tokyoDate, fiscalYearOf } = await import('../src/lib/domain/format.ts');
		const sql = connect(server.benchUrl.toString(), { max: 2 });
		try {
			await migrate(sql, () => {});
			const today = tokyoDate();
			const fy = fiscalYearOf(today);
			// the month reported: the last complete month
			const d = new Date(`${today.slice(0, 7)}-01T00:00:00Z`);
			d.setUTCMonth(d.getUTCMonth() - 1);
			const month = d.toISOString().slice(0, 7);
			log(`filling ${households.toLocaleString('en')} households, ${periods} periods × 3 fiscal years, ${calls.toLocaleString('en')} calls …`);
			await fill(sql, { households, periods, calls, fy, month }, log);
			const { id } = await createUser(sql, { loginId: 'bench-mgr', displayName: 'bench manager', role: 'manager', password: 'kansho-bench-2026' });
			const actor = { id, loginId: 'bench-mgr', displayName: 'bench manager', role: 'manager' as const, locale: 'ja' as const };
			const [seg] = await sql<{ id: number }[]>`select id from segments where code = 'foreign'`;
			const next = new Date(`${month}-01T00:00:00Z`);
			next.setUTCMonth(next.getUTCMonth() + 1);
			const monthEnd = next.toISOString().slice(0, 10);

			const counts = await sql<{ receipts: number; callsInMonth: number; payments: number; calls: number }[]>`
				select (select count(*) from receipts)::bigint as receipts, (select count(*) from calls)::bigint as calls,
				  (select count(*) from calls where recorded_at >= (${month + '-01'}::date::timestamp at time zone 'Asia/Tokyo') and recorded_at < (${monthEnd}::date::timestamp at time zone 'Asia/Tokyo'))::bigint as calls_in_month,
				  (select count(*) from payments)::bigint as payments`;
			const rows: [string, number[], string][] = [];
			const add = (name: string, r: { ms: number[] }, note = '') => rows.push([name, r.ms, note]);
			add('baseline: count(*) receipts', await timed(3, () => sql`select count(*) from receipts`), `${Number(counts[0].receipts).toLocaleString('en')} rows`);
			add(
				'baseline: count(*) calls in the month',
				await timed(3, () => sql`select count(*) from calls where recorded_at >= (${month + '-01'}::date::timestamp at time zone 'Asia/Tokyo') and recorded_at < (${monthEnd}::date::timestamp at time zone 'Asia/Tokyo')`),
				`${Number(counts[0].callsInMonth).toLocaleString('en')} of ${Number(counts[0].calls).toLocaleString('en')} calls`
			);
			add('baseline: count(*) payments', await timed(3, () => sql`select count(*) from payments`), `${Number(counts[0].payments).toLocaleString('en')} rows`);
			log('trend …');
			const { refreshCollectionCells } = await import('../src/lib/server/reports/trends.queries.ts');
			const rebuild = await timed(3, () => refreshCollectionCells(db(), { force: true }));
			add('summary rebuild from the receipts (sweeper, after an import)', rebuild, `${rebuild.last.rows?.toLocaleString('en')} summary rows`);
			const trend = await timed(3, () => collectionTrends(actor, {}));
			add('trend page data (all households)', trend, `FY${fy} March of FY${fy - 1}: ${((trend.last.years[1].points[11].rates.current ?? 0) * 100).toFixed(1)}%`);
			add('trend page data (one segment)', await timed(3, () => collectionTrends(actor, { segment: String(seg.id) })));
			add('trend page data (without 居所不明)', await timed(3, () => collectionTrends(actor, { excludeUnknown: '1' })));
			log('monthly report …');
			const data = await timed(3, () => buildPeriodReport(db(), 'month', month, 'ja'));
			add('monthly report data', data, `${month}: ${data.last.total.measures.attempts.toLocaleString('en')} attempts, ${data.last.operators.length} operators`);
			const pdf = await timed(3, async () => renderReport(await buildPeriodReport(db(), 'month', month, 'ja'), 'pdf', 'ja'));
			add('monthly report PDF (data + PDF)', pdf, `${(pdf.last.body.byteLength / 1024).toFixed(0)} KB`);
			const xlsx = await timed(3, async () => renderReport(await buildPeriodReport(db(), 'month', month, 'ja'), 'xlsx', 'ja'));
			add('monthly report xlsx (data + Excel)', xlsx, `${(xlsx.last.body.byteLength / 1024).toFixed(0)} KB`);
			const daily = await timed(3, () => buildPeriodReport(db(), 'day', `${month}-15`, 'ja'));
			add('daily report data', daily, `${daily.last.total.measures.attempts.toLocaleString('en')} attempts`);

			const [info] = await sql<{ version: string }[]>`select current_setting('server_version') as version`;
			console.log('');
			console.log(
				`reports at ${households.toLocaleString('en')} households, ${periods} periods × 3 fiscal years, ${calls.toLocaleString('en')} calls (PostgreSQL ${info.version}, ${server.embedded ? 'embedded' : 'DATABASE_URL'}); median of 3 after a warm-up`
			);
			console.log('');
			console.log('| step | median ms | min / max ms | |');
			console.log('|---|---:|---:|---|');
			for (const [name, ms, note] of rows) console.log(`| ${name} | ${f(ms[1])} | ${f(ms[0])} / ${f(ms[2])} | ${note} |`);
			const trendMs = trend.ms[1];
			const pdfMs = pdf.ms[1];
			console.log('');
			console.log(`trend page data: ${f(trendMs)} ms (target < ${TREND_TARGET_MS} ms: ${trendMs < TREND_TARGET_MS ? 'met' : 'MISSED'})`);
			console.log(`monthly PDF: ${f(pdfMs)} ms (target < ${PDF_TARGET_MS} ms: ${pdfMs < PDF_TARGET_MS ? 'met' : 'MISSED'})`);
			return 0;
		} finally {
			await sql.end({ timeout: 5 });
			await closeDb();
		}
	} finally {
		await server.stop();
	}
}
