/**
 * The SQL of an import: checks across rows and files on the staging tables, then the merge into the real tables,
 * resolution, promise reconciliation and the import records. Everything here runs in the import's transaction.
 */
import type { Db, Tx } from '../db.ts';
import { stageTable } from './staging.ts';
import { languageTable } from '../../domain/import/nationality.ts';

export interface StageRejection {
	file: string;
	line: number;
	column: string | null;
	reason: string;
}

/** Rows of one file that share a key with another row of the same file. */
export async function duplicateKeys(tx: Tx, file: string, keyColumns: string[], keyHeaders: string[]): Promise<StageRejection[]> {
	if (keyColumns.length === 0) return [];
	const table = stageTable[file];
	const rows = await tx.unsafe<{ lines: number[]; key: string }[]>(
		`select array_agg(_line order by _line) as lines, concat_ws(' / ', ${keyColumns.join(', ')}) as key
		 from ${table} group by ${keyColumns.join(', ')} having count(*) > 1`
	);
	const out: StageRejection[] = [];
	for (const r of rows) {
		for (const line of r.lines) {
			const all = r.lines.filter((l) => l !== line);
			const others = all.slice(0, 10).join('・') + (all.length > 10 ? ` ほか${all.length - 10}行` : '');
			out.push({ file, line, column: keyHeaders.join('・'), reason: `同じ${keyHeaders.join('・')}（${r.key}）の行が他にもあります（${others}行目）` });
		}
	}
	return out;
}

/** What a row may hang off, where kansho keeps it, and where the set carries it. */
const owners = {
	household: { key: 'nhi_number', header: '国保記号番号', stage: 'stage_households', table: 'households', what: '世帯が、世帯.csv' },
	person: { key: 'resident_number', header: '住民番号', stage: 'stage_persons', table: 'persons', what: '人が、個人.csv' }
} as const;

/** Rows whose household (国保記号番号) or person (住民番号) is neither in this set nor already in kansho. */
export async function orphanRows(tx: Tx, file: string, owner: keyof typeof owners): Promise<StageRejection[]> {
	const o = owners[owner];
	const rows = await tx.unsafe<{ line: number; key: string }[]>(
		`select s._line as line, s.${o.key} as key from ${stageTable[file]} s
		 where s.${o.key} is not null
		   and not exists (select 1 from ${o.stage} x where x.${o.key} = s.${o.key})
		   and not exists (select 1 from ${o.table} x where x.${o.key} = s.${o.key})
		 order by s._line`
	);
	return rows.map((r) => ({ file, line: r.line, column: o.header, reason: `${o.header}「${r.key}」の${o.what}にもkanshoにもありません` }));
}

/**
 * Every 国保記号番号 that 世帯.csv carries (valid rows or not), for resolution and for refusing dependents: the
 * staged rows' (call before any staged row is dropped) and those of the rows refused while reading.
 */
export async function fillSnapshotKeys(tx: Tx, refusedKeys: Set<string>): Promise<void> {
	await tx`create temp table stage_snapshot_keys (nhi_number text primary key) on commit drop`;
	await tx`insert into stage_snapshot_keys (nhi_number) select distinct nhi_number from stage_households where nhi_number is not null`;
	const refused = [...refusedKeys];
	for (let i = 0; i < refused.length; i += 50_000) {
		await tx`insert into stage_snapshot_keys (nhi_number) select unnest(${refused.slice(i, i + 50_000)}::text[]) on conflict do nothing`;
	}
	await tx`analyze stage_snapshot_keys`;
}

/** Rows of a household whose every 世帯.csv row was refused: refused with it, even if kansho knows the household. */
export async function dependentsOfRefusedHouseholds(tx: Tx, file: string): Promise<StageRejection[]> {
	const rows = await tx.unsafe<{ line: number; nhi: string }[]>(
		`select s._line as line, s.nhi_number as nhi from ${stageTable[file]} s
		 where s.nhi_number in (select k.nhi_number from stage_snapshot_keys k
		                        where not exists (select 1 from stage_households h where h.nhi_number = k.nhi_number))
		 order by s._line`
	);
	return rows.map((r) => ({ file, line: r.line, column: '国保記号番号', reason: `国保記号番号「${r.nhi}」の世帯.csvの行が取り込めないため、この行も取り込みません` }));
}

export async function deleteStageLines(tx: Tx, file: string, lines: number[]): Promise<void> {
	if (lines.length) await tx.unsafe(`delete from ${stageTable[file]} where _line = any($1::int[])`, [lines]);
}

/** Statistics for the planner: temporary tables have none until analysed. */
export async function analyzeStages(tx: Tx): Promise<void> {
	for (const t of Object.values(stageTable)) await tx.unsafe(`analyze ${t}`);
}

export async function stageCount(tx: Tx, file: string): Promise<number> {
	const [r] = await tx.unsafe<{ n: number }[]>(`select count(*)::int as n from ${stageTable[file]}`);
	return r.n;
}

export async function stageDistinctHouseholds(tx: Tx): Promise<number> {
	const [r] = await tx<{ n: number }[]>`select count(distinct nhi_number)::int as n from stage_households`;
	return r.n;
}

/** What the set would change, measured before the merge. */
export async function preview(tx: Tx) {
	const [r] = await tx<{ newHouseholds: number; knownHouseholds: number; newReceipts: number; changedReceipts: number }[]>`
		select
		  (select count(distinct s.nhi_number) from stage_households s where not exists (select 1 from households h where h.nhi_number = s.nhi_number))::int as new_households,
		  (select count(distinct s.nhi_number) from stage_households s where exists (select 1 from households h where h.nhi_number = s.nhi_number))::int as known_households,
		  (select count(*) from stage_receipts s where not exists (
		     select 1 from receipts r join households h on h.id = r.household_id
		     where h.nhi_number = s.nhi_number and r.fiscal_year = s.fiscal_year and r.period = s.period))::int as new_receipts,
		  (select count(*) from stage_receipts s join households h on h.nhi_number = s.nhi_number
		     join receipts r on r.household_id = h.id and r.fiscal_year = s.fiscal_year and r.period = s.period
		     where (r.assessed, r.received_total, r.due_date) is distinct from (s.assessed, s.received_total, s.due_date))::int as changed_receipts`;
	return r;
}

/** The merge's steps by number, for the timings. */
const mergeSteps = ['', 'households', 'household_years', 'persons', 'language', 'phones', 'payments', 'receipts', 'bank_transfers',
	'payment_managers', 'payment_managers', 'employers', 'employers', 'premiums', 'eligibility', 'case_history'];

/** Merge the staging tables into the real ones. Unchanged rows are not touched (re-importing a set changes nothing). */
export async function merge(tx: Tx, importId: number, opts: { asOf: string; synthetic: boolean; timings?: Record<string, number> }): Promise<void> {
	const profile = process.env.KANSHO_IMPORT_PROFILE === '1';
	const step = async <T>(n: number, q: () => Promise<T>): Promise<T> => {
		const t = performance.now();
		const r = await q();
		const ms = performance.now() - t;
		if (opts.timings) opts.timings[`merge.${mergeSteps[n]}`] = (opts.timings[`merge.${mergeSteps[n]}`] ?? 0) + ms;
		if (profile) console.error(`merge step ${n}: ${Math.round(ms)} ms`);
		return r;
	};
	/**
	 * An INSERT whose rows take their references from a join in the same statement (households by 国保記号番号,
	 * persons by 住民番号, the import record created before the transaction) cannot break a foreign key, so its
	 * per-row checks are skipped when the database allows it: `session_replication_role = replica`, as pg_restore
	 * does, for that statement only. The checks are two thirds of the cost of loading 5 million receipts. Only
	 * INSERTs (and ON CONFLICT updates of the same rows) run this way; deletes, whose cascades are triggers too,
	 * never do. Without the privilege (a non-superuser role not granted SET on the parameter), the same SQL runs
	 * with its checks.
	 */
	const bulk = await mayDeferReferenceChecks(tx);
	const trusted = async <T>(n: number, q: () => Promise<T>): Promise<T> => {
		if (!bulk) return step(n, q);
		await tx`set local session_replication_role = replica`;
		const r = await step(n, q);
		await tx`set local session_replication_role = origin`;
		return r;
	};
	// households: attributes from the latest assessment year in the set; the 町名 (district) as the row normalizer
	// derived it from the address (domain/import/address.ts townOf). A district that differs is a change of its
	// own, so a re-import corrects what an earlier derivation got wrong even when the address did not change.
	await trusted(1, () =>
		upsert(tx, {
			table: 'households',
			key: ['nhi_number'],
			insert: ['nhi_number', 'head_resident_number', 'postal_code', 'address', 'address_extra', 'district', 'phone_raw', 'synthetic', 'last_import_id'],
			changed: ['head_resident_number', 'postal_code', 'address', 'address_extra', 'district', 'phone_raw'],
			update: ['last_import_id'],
			touch: 'updated_at = now()',
			source: `
				select distinct on (nhi_number) nhi_number, head_resident_number, postal_code, address, address_extra,
				  address_town as district, phone as phone_raw,
				  $1::boolean as synthetic, $2::bigint as last_import_id
				from stage_households order by nhi_number, fiscal_year desc`,
			params: [opts.synthetic, importId]
		})
	);

	// tables filled in this transaction have no statistics yet: without them the planner takes a big table for an
	// empty one and picks nested loops (a first import of 200,000 households spent 408 s joining them in the next
	// statement; 28,000 spent 11 s in the language update below)
	await tx`analyze households`;

	await trusted(2, () =>
		upsert(tx, {
			table: 'household_years',
			key: ['household_id', 'fiscal_year'],
			insert: ['household_id', 'fiscal_year', 'reassessed_on', 'reduction_class', 'card_class', 'card_issued_on', 'card_expires_on', 'insured_count', 'total_income'],
			changed: ['reassessed_on', 'reduction_class', 'card_class', 'card_issued_on', 'card_expires_on', 'insured_count', 'total_income'],
			source: `
				select h.id as household_id, s.fiscal_year, s.reassessed_on, s.reduction_class, s.card_class, s.card_issued_on, s.card_expires_on,
				  s.insured_count, s.total_income
				from stage_households s join households h on h.nhi_number = s.nhi_number`
		})
	);

	const personColumns = ['household_id', 'fiscal_year', 'name', 'name_kana', 'postal_code', 'address', 'phone_raw', 'sex', 'relationship', 'birth_date',
		'resident_since', 'resident_since_reason', 'resident_until', 'resident_until_reason', 'death_date', 'nationality'];
	await trusted(3, () =>
		upsert(tx, {
			table: 'persons',
			key: ['resident_number'],
			insert: ['resident_number', ...personColumns, 'name_search', 'kana_search', 'has_gaiji'],
			changed: personColumns,
			update: ['name_search', 'kana_search', 'has_gaiji'],
			source: `
				select s.resident_number, h.id as household_id, s.fiscal_year, s.name, s.name_kana, s.postal_code, s.address, s.phone as phone_raw, s.sex,
				  s.relationship, s.birth_date, s.resident_since, s.resident_since_reason, s.resident_until, s.resident_until_reason, s.death_date,
				  s.nationality, s.name_search, s.name_kana_search as kana_search, coalesce(s.name_gaiji, false) as has_gaiji
				from stage_persons s join households h on h.nhi_number = s.nhi_number`
		})
	);

	await tx`analyze persons`;

	// the household's talk-script language follows its head's nationality (joined on the unique 住民番号 alone: a
	// two-column join made the planner expect one row and loop 100 million times)
	await step(4, () => tx`
		update households h set language = x.lang
		from (
		  select h2.id, coalesce(${tx.json(languageTable)}::jsonb ->> upper(p.nationality),
		    case when p.nationality is null or p.nationality in ('JP', '日本') then 'ja' else 'en' end) as lang
		  from (select distinct nhi_number from stage_persons) s
		  join households h2 on h2.nhi_number = s.nhi_number
		  join persons p on p.resident_number = h2.head_resident_number
		) x
		where x.id = h.id and h.language is distinct from x.lang`);

	// phones from both files; an operator's marking (wrong number, not in service) survives re-imports
	await trusted(5, () =>
		upsert(tx, {
			table: 'phones',
			key: ['household_id', 'raw'],
			insert: ['household_id', 'person_id', 'raw', 'digits', 'extension', 'kind', 'valid', 'source'],
			changed: ['digits', 'extension', 'kind', 'valid', 'person_id'],
			expressions: { person_id: 'coalesce(x.person_id, t.person_id)' },
			source: `
				select distinct on (household_id, raw) household_id, person_id, raw, digits, extension, kind, valid, 'import' as source from (
				  select h.id as household_id, null::bigint as person_id, s.phone as raw, s.phone_digits as digits, s.phone_ext as extension,
				    s.phone_kind as kind, s.phone_valid as valid, 0 as o
				  from (select distinct on (nhi_number) * from stage_households order by nhi_number, fiscal_year desc) s
				  join households h on h.nhi_number = s.nhi_number
				  where s.phone is not null
				  union all
				  select p.household_id, p.id, s.phone, s.phone_digits, s.phone_ext, s.phone_kind, s.phone_valid, 1
				  from stage_persons s join persons p on p.resident_number = s.resident_number
				  where s.phone is not null
				) y order by household_id, raw, o desc`
		})
	);

	// the queue rebuild reads phones per household: statistics from before the import (often: empty) make every
	// page of it look enormous, and PostgreSQL then JIT-compiles each page (~0.2 s × 50 pages for 1,000,000)
	await tx`analyze phones`;

	// receipts: a change of a cumulative amount that kansho already had is a payment (or, negative, a correction).
	// A first sight of a row is history, not news: it records nothing (else go-live would suppress every payer).
	await trusted(6, () => tx`
		insert into payments (household_id, fiscal_year, period, amount, paid_on, import_id)
		select h.id, s.fiscal_year, s.period, s.received_total - r.received_total,
		  coalesce(s.last_paid_on, s.paid_on, s.last_received_on, s.received_on, ${opts.asOf}::date), ${importId}
		from stage_receipts s join households h on h.nhi_number = s.nhi_number
		join receipts r on r.household_id = h.id and r.fiscal_year = s.fiscal_year and r.period = s.period
		where s.received_total <> r.received_total`);
	const receiptColumns = ['equivalent_year', 'assessed', 'assessed_care', 'assessed_elderly', 'due_date', 'received_total', 'received_care',
		'received_elderly', 'paid_on', 'received_on', 'receiving_institution', 'last_paid_on', 'last_received_on'];
	await trusted(7, () =>
		upsert(tx, {
			table: 'receipts',
			key: ['household_id', 'fiscal_year', 'period'],
			insert: ['household_id', 'fiscal_year', 'period', ...receiptColumns],
			changed: receiptColumns,
			source: `
				select h.id as household_id, s.fiscal_year, s.period, ${receiptColumns.map((c) => 's.' + c).join(', ')}
				from stage_receipts s join households h on h.nhi_number = s.nhi_number`
		})
	);

	await tx`analyze receipts, payments`;
	const bankColumns = ['enabled', 'starts_on', 'ends_on', 'bank_code', 'branch_code', 'account_holder'];
	await trusted(8, () =>
		upsert(tx, {
			table: 'bank_transfers',
			key: ['household_id'],
			insert: ['household_id', ...bankColumns],
			changed: bankColumns,
			source: `select h.id as household_id, ${bankColumns.map((c) => 's.' + c).join(', ')} from stage_bank_transfers s join households h on h.nhi_number = s.nhi_number`
		})
	);

	// managers/heirs and employers: the set's rows replace the household's (person's) earlier ones, when they differ
	await step(9, () => tx`
		delete from payment_managers m using households h
		where m.household_id = h.id and h.nhi_number in (select nhi_number from stage_payment_managers)
		  and not exists (select 1 from stage_payment_managers s where s.nhi_number = h.nhi_number and s.kind is not distinct from m.kind
		                  and s.name is not distinct from m.name and s.address is not distinct from m.address)`);
	await trusted(10, () => tx`
		insert into payment_managers (household_id, kind, name, address)
		select h.id, s.kind, s.name, s.address from stage_payment_managers s join households h on h.nhi_number = s.nhi_number
		where not exists (select 1 from payment_managers m where m.household_id = h.id and m.kind is not distinct from s.kind
		                  and m.name is not distinct from s.name and m.address is not distinct from s.address)`);
	await step(11, () => tx`
		delete from employers e using persons p
		where e.person_id = p.id and p.resident_number in (select resident_number from stage_employers)
		  and not exists (select 1 from stage_employers s where s.resident_number = p.resident_number and s.name is not distinct from e.name
		                  and s.address is not distinct from e.address and s.phone_raw is not distinct from e.phone_raw and s.business_type is not distinct from e.business_type)`);
	await trusted(12, () => tx`
		insert into employers (person_id, name, address, phone_raw, business_type)
		select p.id, s.name, s.address, s.phone_raw, s.business_type from stage_employers s join persons p on p.resident_number = s.resident_number
		where not exists (select 1 from employers e where e.person_id = p.id and e.name is not distinct from s.name and e.address is not distinct from s.address
		                  and e.phone_raw is not distinct from s.phone_raw and e.business_type is not distinct from s.business_type)`);

	const premiumColumns = ['income_base', 'income_levy', 'per_capita', 'per_capita_reduction', 'over_cap', 'exemption', 'annual_premium', 'previous_annual_premium'];
	await trusted(13, () =>
		upsert(tx, {
			table: 'premiums',
			key: ['household_id', 'fiscal_year', 'premium_type'],
			insert: ['household_id', 'fiscal_year', 'premium_type', ...premiumColumns],
			changed: premiumColumns,
			source: `select h.id as household_id, s.fiscal_year, s.premium_type, ${premiumColumns.map((c) => 's.' + c).join(', ')}
				from stage_premiums s join households h on h.nhi_number = s.nhi_number`
		})
	);

	const eligibilityColumns = ['acquired_on', 'acquired_filed_on', 'acquired_reason', 'lost_on', 'lost_filed_on', 'lost_reason'];
	await trusted(14, () =>
		upsert(tx, {
			table: 'eligibility',
			key: ['person_id', 'kind'],
			insert: ['person_id', 'kind', ...eligibilityColumns],
			changed: eligibilityColumns,
			source: `select p.id as person_id, s.kind, ${eligibilityColumns.map((c) => 's.' + c).join(', ')}
				from stage_eligibility s join persons p on p.resident_number = s.resident_number`
		})
	);

	await trusted(15, () => tx`
		insert into case_history (household_id, person_id, recorded_at, kind, place, counterpart, content)
		select coalesce(h.id, p.household_id), p.id, s.recorded_at, s.kind, s.place, s.counterpart, s.content
		from stage_case_history s
		left join households h on h.nhi_number = s.nhi_number
		left join persons p on p.resident_number = s.resident_number
		where not exists (select 1 from case_history c where c.household_id is not distinct from coalesce(h.id, p.household_id)
		                  and c.person_id is not distinct from p.id and c.recorded_at is not distinct from s.recorded_at
		                  and c.kind is not distinct from s.kind and c.content is not distinct from s.content)`);
}

interface Upsert {
	table: string;
	/** the unique key the rows are matched on */
	key: string[];
	/** the columns a new row gets: the names of the source's columns */
	insert: string[];
	/** the columns whose difference makes an existing row change (and are then set) */
	changed: string[];
	/** further columns set when a row changes */
	update?: string[];
	/** the value set for a column, if not the source's (`t` the row in the table, `x` the source's) */
	expressions?: Record<string, string>;
	/** further assignments when a row changes, e.g. updated_at = now() */
	touch?: string;
	/** a select producing the `insert` columns, at most one row per key (the set's duplicates are refused before) */
	source: string;
	params?: (string | number | boolean | null)[];
}

/**
 * Insert the source's new rows and update the existing ones that differ, as two statements: an UPDATE … FROM
 * for rows that exist (skipped when the table is empty, as on a first import), then an INSERT … WHERE NOT EXISTS.
 * The same result as INSERT … ON CONFLICT DO UPDATE WHERE (… IS DISTINCT FROM …), which costs a speculative
 * insertion per row: 6.7 s against 2.4 s for 320,000 persons here. Safe because imports are serialized by their
 * advisory lock and nothing else writes these tables' keys.
 */
async function upsert(tx: Tx, u: Upsert): Promise<void> {
	const value = (c: string) => u.expressions?.[c] ?? `x.${c}`;
	const match = u.key.map((k) => `t.${k} = x.${k}`).join(' and ');
	const [{ any, estimated }] = await tx.unsafe<{ any: boolean; estimated: number }[]>(
		`select exists (select 1 from ${u.table}) as any, (select reltuples from pg_class where oid = '${u.table}'::regclass) as estimated`
	);
	if (!any) {
		// an empty table (a first import): nothing to update and nothing to match. Matching anyway would make the
		// planner, told the table is empty, rescan the rows this very statement inserts for each new one (a first
		// import of 20,000 households spent minutes so)
		await tx.unsafe(`insert into ${u.table} (${u.insert.join(', ')}) select ${u.insert.map((c) => `x.${c}`).join(', ')} from (${u.source}) x`, u.params ?? []);
		return;
	}
	// rows the statistics do not know of yet (a previous import committed a moment ago): the same trap
	if (estimated <= 0) await tx.unsafe(`analyze ${u.table}`);
	const set = [...u.changed, ...(u.update ?? [])].map((c) => `${c} = ${value(c)}`);
	if (u.touch) set.push(u.touch);
	await tx.unsafe(
		`update ${u.table} t set ${set.join(', ')} from (${u.source}) x
		 where ${match} and (${u.changed.map((c) => `t.${c}`).join(', ')}) is distinct from (${u.changed.map(value).join(', ')})`,
		u.params ?? []
	);
	await tx.unsafe(
		`insert into ${u.table} (${u.insert.join(', ')}) select ${u.insert.map((c) => `x.${c}`).join(', ')} from (${u.source}) x
		 where not exists (select 1 from ${u.table} t where ${match})`,
		u.params ?? []
	);
}

/** Whether this session may set session_replication_role (a superuser, or on PostgreSQL 15+ a role granted SET on it). */
async function mayDeferReferenceChecks(tx: Tx): Promise<boolean> {
	const [r] = await tx<{ superuser: boolean; version: number }[]>`
		select current_setting('is_superuser') = 'on' as superuser, current_setting('server_version_num')::int as version`;
	if (r.superuser) return true;
	if (r.version < 150000) return false;
	const [g] = await tx<{ ok: boolean }[]>`select has_parameter_privilege('session_replication_role', 'SET') as ok`;
	return g.ok;
}

/** Owed as of a date, per household, for the households this set touched (or all active ones). */
const owedSql = (asOf: string) => `
	coalesce((select sum(r.assessed - r.received_total) from receipts r
	          where r.household_id = h.id and r.due_date < '${asOf}'::date and r.assessed > r.received_total), 0)`;

/**
 * Households that leave the queue as resolved: households in the current queue that a full snapshot no longer
 * contains, and, in any set, households in the queue that the set touched and that owe nothing any more.
 * Households owing again come back. Returns counts.
 */
export async function resolve(
	tx: Tx,
	importId: number,
	opts: { asOf: string; fullSnapshot: boolean; touchQueue: boolean }
): Promise<{ resolved: number; reactivated: number }> {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf)) throw new Error('asOf must be an ISO date');
	let resolved = 0;
	if (opts.fullSnapshot) {
		const r = await tx`
			update households h set status = 'resolved', resolved_at = now(), resolved_reason = 'absent_from_snapshot', updated_at = now()
			where h.status = 'active' and not exists (select 1 from stage_snapshot_keys k where k.nhi_number = h.nhi_number)
			  and exists (select 1 from call_queue q where q.household_id = h.id and q.state <> 'closed')
			returning h.id`;
		resolved += r.length;
	}
	const touched = `h.nhi_number in (select nhi_number from stage_households union select nhi_number from stage_receipts)`;
	const paid = await tx.unsafe(
		`update households h set status = 'resolved', resolved_at = now(), resolved_reason = 'paid', updated_at = now()
		 where h.status = 'active' and ${touched} and ${owedSql(opts.asOf)} = 0
		   and exists (select 1 from call_queue q where q.household_id = h.id and q.state <> 'closed')
		 returning h.id`
	);
	resolved += paid.length;
	const back = await tx.unsafe(
		`update households h set status = 'active', resolved_at = null, resolved_reason = null, updated_at = now()
		 where h.status = 'resolved' and ${touched} and ${owedSql(opts.asOf)} > 0
		   and (h.resolved_reason = 'paid' or exists (select 1 from stage_households s where s.nhi_number = h.nhi_number))
		 returning h.id`
	);
	// resolved households leave the queue (a household someone is on the phone with keeps its claim until saved)
	void importId;
	if (!opts.touchQueue) return { resolved, reactivated: back.length };
	await tx`
		update call_queue q set state = 'closed', closed_reason = 'resolved', next_eligible_at = null, version = q.version + 1, updated_at = now()
		from households h where h.id = q.household_id and h.status = 'resolved' and q.state in ('ready', 'waiting')`;
	return { resolved, reactivated: back.length };
}

/**
 * The households this import holds back for a recent payment (入金直後のため架電停止): active households that still
 * owe something overdue on the 基準日 and for which the import recorded a payment (a growth of 収納額累計) dated
 * within the calling rules' paymentSuppressDays before it. The queue's placement is what holds them back (it puts
 * a household with a recent payment in waiting, wait_reason payment, until 09:00 on the payment's date + those
 * days); this counts them from the data the merge wrote, not from the queue, so that a dry run, which leaves the
 * queue alone, reports the same figure as applying. Households whose payments came in earlier imports are not
 * counted again: a set without 収納.csv holds nobody back.
 */
export async function countPaymentSuppressions(tx: Tx, opts: { importId: number; asOf: string; days: number }): Promise<number> {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf)) throw new Error('asOf must be an ISO date');
	if (opts.days <= 0) return 0;
	const [r] = await tx.unsafe<{ n: number }[]>(
		`select count(*)::int as n from households h
		 where h.status = 'active'
		   and h.id in (select p.household_id from payments p
		                where p.import_id = $1 and p.amount > 0 and p.paid_on > $2::date - $3::int)
		   and ${owedSql(opts.asOf)} > 0`,
		[opts.importId, opts.asOf, opts.days]
	);
	return r.n;
}

export async function summary(tx: Db, asOf: string) {
	const [r] = await tx.unsafe<{ householdsInArrears: number; totalArrearsYen: number; householdsWithoutValidPhone: number }[]>(`
		with owed as (
		  select h.id, ${owedSql(asOf)} as owed from households h where h.status = 'active'
		)
		select count(*) filter (where owed > 0)::int as households_in_arrears,
		  coalesce(sum(owed) filter (where owed > 0), 0)::bigint as total_arrears_yen,
		  count(*) filter (where owed > 0 and not exists (select 1 from phones p where p.household_id = owed.id and p.valid and p.status = 'active'))::int
		    as households_without_valid_phone
		from owed`);
	return r;
}

// ─── import records ──────────────────────────────────────────────────────────

export async function insertImport(
	db: Db,
	r: { startedBy: number | null; source: string; mode: string; asOf: string; upload: { token: string; encoding: string } | null }
): Promise<number> {
	const [row] = await db<{ id: number }[]>`
		insert into imports (started_by, source, mode, as_of, upload_token, encoding)
		values (${r.startedBy}, ${r.source}, ${r.mode}, ${r.asOf}, ${r.upload?.token ?? null}, ${r.upload?.encoding ?? null}) returning id`;
	return row.id;
}

export async function finishImport(
	db: Db,
	id: number,
	r: { status: string; kind: string | null; files: unknown; counts: unknown; rejectedCount: number; error?: string | null }
): Promise<void> {
	await db`
		update imports set status = ${r.status}, kind = ${r.kind}, files = ${db.json(r.files as never)}, counts = ${db.json(r.counts as never)},
		  rejected_count = ${r.rejectedCount}, error = ${r.error ?? null}, finished_at = now()
		where id = ${id}`;
}

export async function insertRejections(
	db: Db,
	importId: number,
	rows: { file: string; line: number; column: string | null; reason: string; raw: Record<string, string> | null; problem: string | null }[],
	status: 'reported' | 'quarantined'
): Promise<void> {
	for (let i = 0; i < rows.length; i += 2000) {
		const chunk = rows.slice(i, i + 2000);
		await db`
			insert into import_rejections (import_id, file, line, column_name, reason, raw, status, file_problem)
			select ${importId}, * from unnest(${chunk.map((r) => r.file)}::text[], ${chunk.map((r) => r.line)}::int[],
			  ${chunk.map((r) => r.column)}::text[], ${chunk.map((r) => r.reason)}::text[], ${chunk.map((r) => (r.raw ? JSON.stringify(r.raw) : null))}::jsonb[], ${chunk.map(() => status)}::text[],
			  ${chunk.map((r) => r.problem)}::text[])`;
	}
}

export async function listImports(db: Db, limit = 50) {
	return db<{ id: number; startedAt: Date; finishedAt: Date | null; source: string; startedBy: string | null; mode: string; kind: string | null; asOf: string; status: string; files: { name: string; size: number; sha256: string; rows: number }[]; counts: Record<string, unknown>; rejectedCount: number; fileProblems: number; error: string | null }[]>`
		select i.id, i.started_at, i.finished_at, i.source, u.login_id as started_by, i.mode, i.kind, i.as_of::text as as_of, i.status, i.files, i.counts,
		  i.rejected_count, i.error,
		  -- problems with whole files are not invalid rows (rejected_count counts both)
		  (select count(*) from import_rejections r where r.import_id = i.id and r.file_problem is not null)::int as file_problems
		from imports i left join users u on u.id = i.started_by order by i.id desc limit ${limit}`;
}

/** One import's record, for its report opened again (the page's ?import=<id>). */
export async function importRecord(db: Db, id: number) {
	const [r] = await db<
		{
			id: number;
			startedAt: Date;
			finishedAt: Date | null;
			source: string;
			startedById: number | null;
			startedBy: string | null;
			mode: string;
			kind: 'full' | 'delta' | null;
			asOf: string;
			status: string;
			files: { name: string; size: number; sha256: string; encoding: string; rows: number; accepted?: number; unknownColumns?: string[] }[];
			counts: Record<string, unknown>;
			rejectedCount: number;
			error: string | null;
			uploadToken: string | null;
			encoding: string | null;
		}[]
	>`
		select i.id, i.started_at, i.finished_at, i.source, i.started_by as started_by_id, u.login_id as started_by, i.mode, i.kind,
		  i.as_of::text as as_of, i.status, i.files, i.counts, i.rejected_count, i.error, i.upload_token::text as upload_token, i.encoding
		from imports i left join users u on u.id = i.started_by where i.id = ${id}`;
	return r ?? null;
}

/** An import's refusals for its report: every file problem, the first `limit` row problems, and how many rows and problems in all. */
export async function reportRejections(db: Db, importId: number, limit: number) {
	const lines = await db<{ file: string; line: number; column: string | null; reason: string; problem: string | null }[]>`
		(select file, line, column_name as column, reason, file_problem as problem, id from import_rejections where import_id = ${importId} and file_problem is not null)
		union all
		(select file, line, column_name as column, reason, file_problem as problem, id from import_rejections where import_id = ${importId} and file_problem is null
		 order by file, line, id limit ${limit})
		order by problem nulls last, id`;
	const [n] = await db<{ rowProblems: number; invalidRows: number }[]>`
		select count(*)::int as row_problems, count(distinct (file, line))::int as invalid_rows
		from import_rejections where import_id = ${importId} and file_problem is null`;
	return { lines: lines.map(({ file, line, column, reason, problem }) => ({ file, line, column, reason, problem })), ...n };
}

/** The first import applied after `afterId` (a dry run's report no longer describes what applying would do). */
export async function appliedAfter(db: Db, afterId: number): Promise<number | null> {
	const [r] = await db<{ id: number }[]>`select id from imports where id > ${afterId} and status = 'applied' order by id limit 1`;
	return r?.id ?? null;
}

/** The import that applied a held upload, if one did. */
export async function appliedFromUpload(db: Db, token: string): Promise<number | null> {
	const [r] = await db<{ id: number }[]>`select id from imports where upload_token = ${token}::uuid and status = 'applied' order by id limit 1`;
	return r?.id ?? null;
}

export async function listQuarantine(db: Db, limit = 500) {
	return db<{ id: number; importId: number; file: string; line: number; columnName: string | null; reason: string; status: string }[]>`
		select id, import_id, file, line, column_name, reason, status from import_rejections
		where status = 'quarantined' order by import_id desc, file, line limit ${limit}`;
}

export async function rejectionsOf(db: Db, importId: number, limit = 1000) {
	return db<{ id: number; file: string; line: number; columnName: string | null; reason: string; status: string }[]>`
		select id, file, line, column_name, reason, status from import_rejections where import_id = ${importId} order by file, line limit ${limit}`;
}

export async function dismissRejection(db: Db, id: number, userId: number | null): Promise<boolean> {
	const rows = await db`update import_rejections set status = 'dismissed', resolved_by = ${userId}, resolved_at = now()
		where id = ${id} and status = 'quarantined' returning id`;
	return rows.length > 0;
}
