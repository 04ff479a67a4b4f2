/**
 * The household search benchmark (#5, inbound calls): `npm run bench -- search [--households 1000000] [--queries 200]`.
 *
 * A scratch database `kansho_bench_search` is dropped, recreated, migrated and filled by SQL (generate_series, for
 * speed at 1,000,000): households with an NHI number, 1.6 persons each (surname + given name drawn from skewed
 * lists, so common names are common: 佐藤, 鈴木 … the way a ward's are; 4% foreign residents in Latin letters and
 * katakana), 1.2 phones each (unique numbers), two receipts each and a queue row. Then, for each kind of query,
 * `--queries` queries drawn from the data (each exists) are run one after another, three ways, in the same run:
 *
 *   baseline   the bare index lookup of the kind (e.g. `select household_id from phones where digits = $1 limit 21`),
 *              the floor the indexes allow
 *   search SQL search.queries.ts searchHouseholds: candidates, best per household, the operator's columns (payer,
 *              district, masked phone, arrears)
 *   use case   search.ts searchHouseholds(actor, { q }): the query normalized, the lookup rate limit (counted in
 *              PostgreSQL: no Redis here), one transaction with the search and its access-log rows
 *
 * Kinds: phone exact (typed 090-1234-5678), phone last 4 digits, kana prefix (a surname in hiragana), kana contains
 * (a given name in hiragana), name contains (a two-character given name in kanji), NHI number. Printed: p50/p95/max
 * in ms per kind and way, the results per query (median), and whether every exact query found its household.
 * Target (issue #5): p95 < 50 ms at 1,000,000 households.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import type { Sql } from '../src/lib/server/db.ts';
import { freshBenchDb, openForBench } from './scratch.ts';
import { recordPrivacyCompleted } from '../src/lib/server/training/training.queries.ts';

export const searchUsage = 'search [--households 28000] [--queries 200] [--database kansho_bench_search]';

const TARGET_P95_MS = 50;

// surnames with rough frequency weights (the common ones are very common), kanji and kana
const SURNAMES: [string, string, number][] = [
	['佐藤', 'サトウ', 18], ['鈴木', 'スズキ', 17], ['高橋', 'タカハシ', 14], ['田中', 'タナカ', 13], ['伊藤', 'イトウ', 11],
	['渡辺', 'ワタナベ', 11], ['山本', 'ヤマモト', 11], ['中村', 'ナカムラ', 10], ['小林', 'コバヤシ', 10], ['加藤', 'カトウ', 9],
	['吉田', 'ヨシダ', 8], ['山田', 'ヤマダ', 8], ['佐々木', 'ササキ', 7], ['山口', 'ヤマグチ', 6], ['松本', 'マツモト', 6],
	['井上', 'イノウエ', 6], ['木村', 'キムラ', 6], ['林', 'ハヤシ', 5], ['斎藤', 'サイトウ', 5], ['清水', 'シミズ', 5],
	['山崎', 'ヤマザキ', 4], ['森', 'モリ', 4], ['池田', 'イケダ', 4], ['橋本', 'ハシモト', 4], ['阿部', 'アベ', 4],
	['石川', 'イシカワ', 4], ['山下', 'ヤマシタ', 3], ['中島', 'ナカジマ', 3], ['石井', 'イシイ', 3], ['小川', 'オガワ', 3],
	['前田', 'マエダ', 3], ['岡田', 'オカダ', 3], ['長谷川', 'ハセガワ', 3], ['藤田', 'フジタ', 3], ['後藤', 'ゴトウ', 3],
	['近藤', 'コンドウ', 3], ['村上', 'ムラカミ', 2], ['遠藤', 'エンドウ', 2], ['青木', 'アオキ', 2], ['坂本', 'サカモト', 2],
	['斉藤', 'サイトウ', 2], ['福田', 'フクダ', 2], ['太田', 'オオタ', 2], ['西村', 'ニシムラ', 2], ['藤井', 'フジイ', 2],
	['金子', 'カネコ', 2], ['岡本', 'オカモト', 2], ['藤原', 'フジワラ', 2], ['中野', 'ナカノ', 2], ['三浦', 'ミウラ', 2],
	['原田', 'ハラダ', 1], ['中川', 'ナカガワ', 1], ['松田', 'マツダ', 1], ['竹内', 'タケウチ', 1], ['小野', 'オノ', 1],
	['田村', 'タムラ', 1], ['中山', 'ナカヤマ', 1], ['和田', 'ワダ', 1], ['石田', 'イシダ', 1], ['森田', 'モリタ', 1]
];
const GIVEN: [string, string][] = [
	['太郎', 'タロウ'], ['次郎', 'ジロウ'], ['一郎', 'イチロウ'], ['健太', 'ケンタ'], ['翔太', 'ショウタ'], ['大輔', 'ダイスケ'],
	['直樹', 'ナオキ'], ['拓也', 'タクヤ'], ['和也', 'カズヤ'], ['誠', 'マコト'], ['浩', 'ヒロシ'], ['隆', 'タカシ'],
	['花子', 'ハナコ'], ['陽子', 'ヨウコ'], ['恵子', 'ケイコ'], ['裕子', 'ユウコ'], ['美咲', 'ミサキ'], ['愛', 'アイ'],
	['由美', 'ユミ'], ['直子', 'ナオコ'], ['真由美', 'マユミ'], ['智子', 'トモコ'], ['久美子', 'クミコ'], ['明美', 'アケミ'],
	['修', 'オサム'], ['勇', 'イサム'], ['進', 'ススム'], ['実', 'ミノル'], ['清', 'キヨシ'], ['茂', 'シゲル'],
	['優斗', 'ユウト'], ['蓮', 'レン'], ['結衣', 'ユイ'], ['葵', 'アオイ'], ['陽菜', 'ヒナ'], ['大翔', 'ヒロト']
];
const FOREIGN: [string, string][] = [
	['NGUYEN', 'グエン'], ['TRAN', 'チャン'], ['LE', 'レ'], ['PHAM', 'ファム'], ['KIM', 'キム'], ['LEE', 'イ'], ['PARK', 'パク'],
	['WANG', 'ワン'], ['LI', 'リ'], ['ZHANG', 'チャン'], ['CHEN', 'チェン'], ['GURUNG', 'グルン'], ['SHRESTHA', 'シュレスタ'], ['SANTOS', 'サントス']
];

type Kind = 'phone exact' | 'phone last 4' | 'kana prefix' | 'kana contains' | 'name contains' | 'nhi';
const KINDS: Kind[] = ['phone exact', 'phone last 4', 'kana prefix', 'kana contains', 'name contains', 'nhi'];

interface Sample {
	/** what the operator types */
	q: string;
	/** the household it was drawn from (exact kinds must find it) */
	householdId: number;
}

interface Timing {
	ms: number[];
	results: number[];
	found: number;
}

const pct = (xs: number[], p: number) => {
	if (!xs.length) return NaN;
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const f = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '—');
const kataToHira = (s: string) => s.replace(/[\u30A1-\u30F6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
const dashed = (d: string) => (d.length === 11 ? `${d.slice(0, 3)}-${d.slice(3, 7)}-${d.slice(7)}` : `${d.slice(0, 2)}-${d.slice(2, 6)}-${d.slice(6)}`);

/** Fill the scratch database by SQL: households, persons, phones, receipts, a segment and the queue. */
async function fill(sql: Sql, households: number, log: (m: string) => void) {
	const weighted: number[] = [];
	SURNAMES.forEach(([, , w], i) => {
		for (let k = 0; k < w; k++) weighted.push(i);
	});
	const t0 = performance.now();
	await sql`create unlogged table bench_sn (i int, name text, kana text)`;
	await sql`insert into bench_sn select u.i - 1, u.name, u.kana from unnest(${SURNAMES.map((s) => s[0])}::text[], ${SURNAMES.map((s) => s[1])}::text[]) with ordinality as u(name, kana, i)`;
	await sql`create unlogged table bench_gn (i int, name text, kana text)`;
	await sql`insert into bench_gn select u.i - 1, u.name, u.kana from unnest(${GIVEN.map((s) => s[0])}::text[], ${GIVEN.map((s) => s[1])}::text[]) with ordinality as u(name, kana, i)`;
	await sql`create unlogged table bench_fn (i int, name text, kana text)`;
	await sql`insert into bench_fn select u.i - 1, u.name, u.kana from unnest(${FOREIGN.map((s) => s[0])}::text[], ${FOREIGN.map((s) => s[1])}::text[]) with ordinality as u(name, kana, i)`;
	await sql`create unlogged table bench_wt (k int, i int)`;
	await sql`insert into bench_wt select u.k - 1, u.i from unnest(${weighted}::int[]) with ordinality as u(i, k)`;
	const districts = ['西新宿', '高田馬場', '大久保', '百人町', '北新宿', '中落合', '下落合', '早稲田', '神楽坂', '四谷'];
	await sql`
		insert into households (nhi_number, head_resident_number, address, district, synthetic)
		select lpad(g::text, 8, '0'), lpad((g * 2)::text, 10, '0'), '東京都新宿区' || d.name || '1-1-' || (g % 50 + 1), d.name, true
		from generate_series(1, ${households}) g
		join unnest(${districts}::text[]) with ordinality as d(name, i) on d.i = g % ${districts.length} + 1`;
	log(`households: ${households.toLocaleString('en')} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
	// the head (resident number = 2g) and, for 60%, a second member (2g + 1); 4% are foreign residents
	await sql`
		insert into persons (resident_number, household_id, fiscal_year, name, name_kana, name_search, kana_search, relationship, nationality)
		select lpad((h.id * 2 + m)::text, 10, '0'), h.id, 2025,
		  case when foreign_ then fo.name || ' ' || case when m = 0 then 'VAN AN' else 'THI MAI' end else s.name || '　' || gv.name end,
		  case when foreign_ then fo.kana || '　' || case when m = 0 then 'ヴァン　アン' else 'ティ　マイ' end else s.kana || '　' || gv.kana end,
		  case when foreign_ then fo.name || case when m = 0 then 'VANAN' else 'THIMAI' end else s.name || gv.name end,
		  case when foreign_ then fo.kana || case when m = 0 then 'ヴァンアン' else 'ティマイ' end else s.kana || gv.kana end,
		  case when m = 0 then '世帯主' else '妻' end,
		  case when foreign_ then 'VN' else 'JP' end
		from households h
		cross join generate_series(0, 1) m
		cross join lateral (select (hashint4(h.id::int) & 2147483647) % 100 < 4 as foreign_) fx
		join bench_wt wt on wt.k = (hashint4(h.id::int * 3 + 1) & 2147483647) % ${weighted.length}
		join bench_sn s on s.i = wt.i
		join bench_gn gv on gv.i = (hashint4(h.id::int * 7 + m) & 2147483647) % ${GIVEN.length}
		join bench_fn fo on fo.i = (hashint4(h.id::int * 5) & 2147483647) % ${FOREIGN.length}
		where m = 0 or (hashint4(h.id::int * 11) & 2147483647) % 100 < 60`;
	log(`persons (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
	// unique numbers: a mobile for every household, a landline for 20%
	await sql`
		insert into phones (household_id, raw, digits, kind, valid)
		select h.id, d.digits, d.digits, d.kind, true from households h
		cross join lateral (values
		  ('0' || (array['90','80','70'])[h.id % 3 + 1] || lpad(((h.id::bigint * 48271) % 100000000)::text, 8, '0'), 'mobile'),
		  (case when h.id % 5 = 0 then '03' || lpad(((h.id::bigint * 16807) % 100000000)::text, 8, '0') end, 'landline')) as d(digits, kind)
		where d.digits is not null
		on conflict do nothing`;
	await sql`
		insert into receipts (household_id, fiscal_year, period, assessed, received_total, due_date)
		select h.id, 2025, p, 10000 + (h.id % 50) * 1000, case when p = 1 then 0 else 10000 end, make_date(2025, 6 + p, 28)
		from households h cross join generate_series(1, 2) p`;
	const [seg] = await sql<{ id: number }[]>`insert into segments (code, name_ja, name_en, filter, sort_order) values ('all', '全件', 'All', '{}', 1) returning id`;
	await sql`insert into call_queue (household_id, segment_id, priority, state) select id, ${seg.id}, 0, 'ready' from households`;
	await sql`drop table bench_sn, bench_gn, bench_fn, bench_wt`;
	log(`phones, receipts, queue (${((performance.now() - t0) / 1000).toFixed(1)} s); analyzing`);
	await sql`vacuum analyze households`;
	await sql`vacuum analyze persons`;
	await sql`vacuum analyze phones`;
	await sql`vacuum analyze receipts`;
	await sql`vacuum analyze call_queue`;
	const [n] = await sql<{ persons: number; phones: number }[]>`select (select count(*) from persons)::int as persons, (select count(*) from phones)::int as phones`;
	log(`filled in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${n.persons.toLocaleString('en')} persons, ${n.phones.toLocaleString('en')} phones`);
}

/** Queries drawn from the data, `n` per kind (random rows, fixed seed). */
async function samples(sql: Sql, n: number): Promise<Record<Kind, Sample[]>> {
	await sql`select setseed(0.42)`;
	const phones = await sql<{ digits: string; householdId: number }[]>`select digits, household_id from phones order by random() limit ${n * 2}`;
	const persons = await sql<{ kanaSearch: string; nameSearch: string; name: string; nameKana: string; householdId: number; nhiNumber: string; nationality: string }[]>`
		select p.kana_search, p.name_search, p.name, p.name_kana, p.household_id, h.nhi_number, p.nationality
		from persons p join households h on h.id = p.household_id order by random() limit ${n * 3}`;
	const jp = persons.filter((p) => p.nationality === 'JP');
	const split = (s: string) => s.split(/[\u3000 ]/);
	return {
		'phone exact': phones.slice(0, n).map((p) => ({ q: dashed(p.digits), householdId: p.householdId })),
		'phone last 4': phones.slice(n, 2 * n).map((p) => ({ q: p.digits.slice(-4), householdId: p.householdId })),
		'kana prefix': jp.slice(0, n).map((p) => ({ q: kataToHira(split(p.nameKana)[0]), householdId: p.householdId })),
		'kana contains': jp.slice(n, 2 * n).map((p) => ({ q: kataToHira(split(p.nameKana)[1] ?? split(p.nameKana)[0]), householdId: p.householdId })),
		'name contains': jp
			.filter((p) => [...(split(p.name)[1] ?? '')].length >= 2)
			.slice(0, n)
			.map((p) => ({ q: split(p.name)[1], householdId: p.householdId })),
		nhi: persons.slice(0, n).map((p) => ({ q: p.nhiNumber, householdId: p.householdId }))
	};
}

/** The bare index lookup of each kind: what the indexes alone cost. */
async function baseline(sql: Sql, kind: Kind, q: string): Promise<number[]> {
	const { parseSearchQuery, prefixUpperBound, likeEscape } = await import('../src/lib/domain/search.ts');
	const parsed = parseSearchQuery(q);
	const rows = await (async () => {
		switch (kind) {
			case 'phone exact':
				return sql`select household_id from phones where digits = ${parsed.kind === 'phone' ? parsed.digits : q} limit 21`;
			case 'phone last 4': {
				const rev = [...q].reverse().join('');
				return sql`select household_id from phones where digits is not null and reverse(digits) ~>=~ ${rev} and reverse(digits) ~<~ ${prefixUpperBound(rev)} order by reverse(digits) using ~<~ limit 21`;
			}
			case 'kana prefix': {
				const v = parsed.kind === 'kana' ? parsed.text : q;
				return sql`select household_id from persons where kana_search ~>=~ ${v} and kana_search ~<~ ${prefixUpperBound(v)} order by kana_search using ~<~ limit 21`;
			}
			case 'kana contains': {
				const v = parsed.kind === 'kana' ? parsed.text : q;
				return sql`select household_id from persons where search_bigrams(kana_search) @> search_bigrams(${v}::text) and kana_search like ${'%' + likeEscape(v) + '%'} limit 21`;
			}
			case 'name contains': {
				const v = parsed.kind === 'name' ? parsed.text : q;
				return sql`select household_id from persons where search_bigrams(name_search) @> search_bigrams(${v}::text) and name_search like ${'%' + likeEscape(v) + '%'} limit 21`;
			}
			case 'nhi':
				return sql`select id as household_id from households where nhi_number = ${q}`;
		}
	})();
	return rows.map((r) => Number(r.householdId));
}

export async function runSearchBench(args: string[]): Promise<number> {
	const { values } = parseArgs({
		args,
		options: { households: { type: 'string', default: '28000' }, queries: { type: 'string', default: '200' }, database: { type: 'string', default: 'kansho_bench_search' } }
	});
	const households = Number(values.households);
	const queries = Number(values.queries);
	if (!Number.isInteger(households) || households < 100 || households > 5_000_000) throw new Error('--households: 100 to 5,000,000');
	if (!Number.isInteger(queries) || queries < 1 || queries > 10_000) throw new Error('--queries: 1 to 10,000');
	const log = (m: string) => console.log(`[search] ${m}`);
	let stopRequested = false;
	const server = await openForBench('search', log, () => (stopRequested = true), values.database);
	if (!server) return 2;
	try {
		await freshBenchDb(server.adminUrl, log, values.database);
		process.env.DATABASE_URL = server.benchUrl.toString();
		process.env.DB_POOL_MAX = '4';
		process.env.LOG_LEVEL = 'silent';
		process.env.LOOKUP_RATE_PER_MINUTE = '10000';
		delete process.env.REDIS_URL;
		const { connect, closeDb, db } = await import('../src/lib/server/db.ts');
		const { migrate } = await import('../src/lib/server/migrate.ts');
		const { createUser } = await import('../src/lib/server/users/users.ts');
		const { searchHouseholds } = await import('../src/lib/server/search/search.ts');
		const q = await import('../src/lib/server/search/search.queries.ts');
		const { parseSearchQuery } = await import('../src/lib/domain/search.ts');
		const { fieldsFor } = await import('../src/lib/domain/fields.ts');
		const { tokyoDate } = await import('../src/lib/domain/format.ts');
		const sql = connect(server.benchUrl.toString(), { max: 2 });
		try {
			await migrate(sql, () => {});
			await fill(sql, households, log);
			const { id } = await createUser(sql, { loginId: 'bench-op', displayName: 'bench operator', role: 'operator', password: 'kansho-bench-2026' });
			await recordPrivacyCompleted(sql, [id], { trainer: 'bench' });
			const actor = { id, loginId: 'bench-op', displayName: 'bench operator', role: 'operator' as const, locale: 'ja' as const, privacyTrained: true };
			const groups = fieldsFor('operator').filter((g) => ['identity', 'payer', 'address', 'phones', 'arrears', 'members'].includes(g));
			const drawn = await samples(sql, queries);
			// warm the caches and the pools: one pass of each way, not timed
			for (const kind of KINDS) for (const s of drawn[kind].slice(0, 10)) await baseline(sql, kind, s.q);
			const report: { kind: Kind; n: number; base: Timing; sqlOnly: Timing; useCase: Timing }[] = [];
			for (const kind of KINDS) {
				if (stopRequested) break;
				const list = drawn[kind];
				const base: Timing = { ms: [], results: [], found: 0 };
				const sqlOnly: Timing = { ms: [], results: [], found: 0 };
				const useCase: Timing = { ms: [], results: [], found: 0 };
				for (const s of list) {
					let t = performance.now();
					const ids = await baseline(sql, kind, s.q);
					base.ms.push(performance.now() - t);
					base.results.push(ids.length);
					if (ids.includes(s.householdId)) base.found++;

					const parsed = parseSearchQuery(s.q);
					if (parsed.kind === 'empty' || parsed.kind === 'too_short') throw new Error(`sample not searchable: ${s.q}`);
					t = performance.now();
					const rows = await q.searchHouseholds(db(), { query: parsed, limit: 20, groups, userId: id, today: tokyoDate() });
					sqlOnly.ms.push(performance.now() - t);
					sqlOnly.results.push(Math.min(rows.length, 20));
					if (rows.some((r) => r.householdId === s.householdId)) sqlOnly.found++;

					t = performance.now();
					const a = await searchHouseholds(actor, { q: s.q });
					useCase.ms.push(performance.now() - t);
					useCase.results.push(a.results.length);
					if (a.results.some((r) => r.householdId === s.householdId)) useCase.found++;
				}
				report.push({ kind, n: list.length, base, sqlOnly, useCase });
				log(`${kind}: done`);
			}
			const [info] = await sql<{ version: string }[]>`select current_setting('server_version') as version`;
			console.log('');
			console.log(`household search at ${households.toLocaleString('en')} households (PostgreSQL ${info.version}, ${server.embedded ? 'embedded' : 'DATABASE_URL'}), ${queries} queries per kind, one at a time`);
			console.log('');
			console.log('| kind | queries | results (median) | baseline p50 / p95 ms | search SQL p50 / p95 / max ms | use case p50 / p95 / max ms | found (exact kinds) |');
			console.log('|---|---:|---:|---:|---:|---:|---:|');
			let ok = true;
			for (const r of report) {
				const exact = r.kind === 'phone exact' || r.kind === 'nhi';
				if (exact && r.useCase.found !== r.n) ok = false;
				console.log(
					`| ${r.kind} | ${r.n} | ${pct(r.useCase.results, 50)} | ${f(pct(r.base.ms, 50))} / ${f(pct(r.base.ms, 95))} | ` +
						`${f(pct(r.sqlOnly.ms, 50))} / ${f(pct(r.sqlOnly.ms, 95))} / ${f(Math.max(...r.sqlOnly.ms))} | ` +
						`${f(pct(r.useCase.ms, 50))} / ${f(pct(r.useCase.ms, 95))} / ${f(Math.max(...r.useCase.ms))} | ${exact ? `${r.useCase.found}/${r.n}` : '—'} |`
				);
			}
			const worst = Math.max(...report.map((r) => pct(r.useCase.ms, 95)));
			console.log('');
			console.log(`worst use-case p95: ${f(worst)} ms (target < ${TARGET_P95_MS} ms: ${worst < TARGET_P95_MS ? 'met' : 'MISSED'})`);
			if (!ok) console.log('CHECK FAILED: an exact query did not find the household it was drawn from');
			return ok ? 0 : 1;
		} finally {
			await sql.end({ timeout: 5 });
			await closeDb();
		}
	} finally {
		await server.stop();
	}
}
