/**
 * The SQL of erasure: which tables hold household data, counting what a set of households has in each, adding
 * their numbers to the statistics (stats_*), erasing them, and the erasures record. The set is the temporary table
 * erase_ids (made by `markHouseholds`): every household for the contract end, a batch of closed cases for
 * retention; the same aggregation runs for both.
 */
import type { Db, Tx } from '../db.ts';
import { erasedTables, type ErasedTable } from '../../domain/erasure.ts';
import { CALL_ROWS_SQL, CALL_MEASURES_SQL } from '../reports/measures.ts';

/** Tables (not views) with a column that points at, or identifies, a household or a person. */
export async function tablesWithHouseholdColumns(db: Db): Promise<string[]> {
	const rows = await db<{ tableName: string }[]>`
		select distinct c.table_name
		from information_schema.columns c
		join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
		where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
		  and c.column_name in ('household_id', 'person_id', 'nhi_number', 'resident_number', 'head_resident_number')
		order by 1`;
	return rows.map((r) => r.tableName);
}

/** Rows in each table (the whole table: what the contract-end erasure removes). */
export async function countAll(db: Db): Promise<Record<ErasedTable, number>> {
	const out = {} as Record<ErasedTable, number>;
	for (const { table } of erasedTables) {
		const [r] = await db<{ n: number }[]>`select count(*)::bigint as n from ${db(table)}`;
		out[table] = r.n;
	}
	return out;
}

/** The households to erase, in a temporary table the rest of the transaction joins on. */
export async function markHouseholds(tx: Tx, ids: number[] | 'all'): Promise<number> {
	await tx`create temp table erase_ids (id bigint primary key) on commit drop`;
	const r = ids === 'all' ? await tx`insert into erase_ids select id from households` : await tx`insert into erase_ids select unnest(${ids}::bigint[]) on conflict do nothing`;
	await tx`analyze erase_ids`;
	return r.count;
}

/** Rows the marked households have in each table (retention: only theirs). */
export async function countMarked(tx: Tx): Promise<Partial<Record<ErasedTable, number>>> {
	const [r] = await tx<Record<string, number>[]>`
		select
		  (select count(*) from erase_ids)::bigint as households,
		  (select count(*) from household_years x join erase_ids e on e.id = x.household_id)::bigint as household_years,
		  (select count(*) from persons x join erase_ids e on e.id = x.household_id)::bigint as persons,
		  (select count(*) from phones x join erase_ids e on e.id = x.household_id)::bigint as phones,
		  (select count(*) from receipts x join erase_ids e on e.id = x.household_id)::bigint as receipts,
		  (select count(*) from payments x join erase_ids e on e.id = x.household_id)::bigint as payments,
		  (select count(*) from bank_transfers x join erase_ids e on e.id = x.household_id)::bigint as bank_transfers,
		  (select count(*) from payment_managers x join erase_ids e on e.id = x.household_id)::bigint as payment_managers,
		  (select count(*) from employers x join persons p on p.id = x.person_id join erase_ids e on e.id = p.household_id)::bigint as employers,
		  (select count(*) from premiums x join erase_ids e on e.id = x.household_id)::bigint as premiums,
		  (select count(*) from eligibility x join persons p on p.id = x.person_id join erase_ids e on e.id = p.household_id)::bigint as eligibility,
		  (select count(*) from case_history x join erase_ids e on e.id = x.household_id)::bigint as case_history,
		  (select count(*) from call_queue x join erase_ids e on e.id = x.household_id)::bigint as call_queue,
		  (select count(*) from calls x join erase_ids e on e.id = x.household_id)::bigint as calls,
		  (select count(*) from promises x join erase_ids e on e.id = x.household_id)::bigint as promises,
		  (select count(*) from promise_payments x join erase_ids e on e.id = x.household_id)::bigint as promise_payments,
		  (select count(*) from holdout_assignments x join erase_ids e on e.id = x.household_id)::bigint as holdout_assignments,
		  (select count(*) from handoffs x join erase_ids e on e.id = x.household_id)::bigint as handoffs,
		  (select count(*) from handoff_events x join handoffs y on y.id = x.handoff_id join erase_ids e on e.id = y.household_id)::bigint as handoff_events,
		  (select count(*) from handoff_instructions x join erase_ids e on e.id = x.household_id)::bigint as handoff_instructions,
		  (select count(*) from letter_batch_items x join erase_ids e on e.id = x.household_id)::bigint as letter_batch_items,
		  (select count(*) from letter_returns x join erase_ids e on e.id = x.household_id)::bigint as letter_returns,
		  (select count(*) from access_log_notes x join erase_ids e on e.id = x.household_id)::bigint as access_log_notes`;
	// camel-cased by the pool: map back to table names
	const out: Partial<Record<ErasedTable, number>> = {};
	for (const { table } of erasedTables) {
		const key = table.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
		if (r[key] !== undefined) out[table] = Number(r[key]);
	}
	return out;
}

/**
 * Add the marked households' numbers to the statistics: calls (day, month; per hour, segment, operator), outcomes,
 * handoffs, promises by due date, payments, households and receipts as they stand on `today` (Tokyo). Sums only:
 * nothing that identifies a household leaves the detail tables.
 */
export async function aggregateMarked(tx: Tx, today: string): Promise<void> {
	await tx.unsafe(`
		create temp table erase_calls on commit drop as
		${CALL_ROWS_SQL('join erase_ids e on e.id = c.household_id')}`);

	const callMeasureCols = 'attempts, answered_attempts, households_attempted, households_contacted, right_party_contacts, promises, promised_amount, inbound, handoffs';
	const addCalls = callMeasureCols
		.split(', ')
		.map((c) => `${c} = s.${c} + excluded.${c}`)
		.join(', ');
	await tx.unsafe(`
		insert into stats_calls as s (grain, period, hour, segment_id, operator_id, ${callMeasureCols})
		select 'day', day, hour, segment_id, operator_id, ${CALL_MEASURES_SQL}
		from erase_calls
		group by grouping sets ((day), (day, hour), (day, segment_id), (day, operator_id), (day, segment_id, operator_id))
		on conflict on constraint stats_calls_key do update set ${addCalls}`);
	await tx.unsafe(`
		insert into stats_calls as s (grain, period, hour, segment_id, operator_id, ${callMeasureCols})
		select 'month', month, null, segment_id, operator_id, ${CALL_MEASURES_SQL}
		from (select *, date_trunc('month', day)::date as month from erase_calls) x
		group by grouping sets ((month), (month, segment_id), (month, operator_id), (month, segment_id, operator_id))
		on conflict on constraint stats_calls_key do update set ${addCalls}`);
	await tx`
		insert into stats_call_outcomes as s (day, segment_id, operator_id, outcome_code, direction, attempts)
		select day, segment_id, operator_id, outcome_code, direction, count(*) from erase_calls
		group by day, segment_id, operator_id, outcome_code, direction
		on conflict on constraint stats_call_outcomes_key do update set attempts = s.attempts + excluded.attempts`;

	await tx`
		insert into stats_handoffs as s (day, reason, status, handoffs)
		select (x.created_at at time zone 'Asia/Tokyo')::date, x.reason, x.status, count(*)
		from handoffs x join erase_ids e on e.id = x.household_id
		group by 1, 2, 3
		on conflict on constraint stats_handoffs_key do update set handoffs = s.handoffs + excluded.handoffs`;

	for (const grain of ['day', 'month'] as const) {
		const period = grain === 'day' ? tx`p.due_date` : tx`date_trunc('month', p.due_date)::date`;
		await tx`
			insert into stats_promises as s (grain, period, segment_id, due, kept, broken, cancelled, open, amount_due, amount_kept, partly_kept, amount_paid)
			select ${grain}, period, segment_id, count(*), count(*) filter (where status = 'kept'), count(*) filter (where status = 'broken'),
			  count(*) filter (where status = 'cancelled'), count(*) filter (where status = 'pending'),
			  coalesce(sum(amount), 0)::bigint, coalesce(sum(amount) filter (where status = 'kept'), 0)::bigint,
			  count(*) filter (where status = 'partly_kept'), coalesce(sum(paid_amount), 0)::bigint
			from (
			  select ${period} as period, coalesce(c.segment_id, q.segment_id, 0) as segment_id, p.status, p.amount, p.paid_amount
			  from promises p join erase_ids e on e.id = p.household_id
			  left join calls c on c.id = p.call_id
			  left join call_queue q on q.household_id = p.household_id
			) x
			group by grouping sets ((period), (period, segment_id))
			on conflict on constraint stats_promises_key do update set
			  due = s.due + excluded.due, kept = s.kept + excluded.kept, broken = s.broken + excluded.broken,
			  cancelled = s.cancelled + excluded.cancelled, open = s.open + excluded.open,
			  partly_kept = s.partly_kept + excluded.partly_kept, amount_paid = s.amount_paid + excluded.amount_paid,
			  amount_due = s.amount_due + excluded.amount_due, amount_kept = s.amount_kept + excluded.amount_kept`;

		const paid = grain === 'day' ? tx`d.day` : tx`date_trunc('month', d.day)::date`;
		await tx`
			insert into stats_payments as s (grain, period, segment_id, payments, households_paying, amount, households_paying_after_contact, amount_after_contact)
			select ${grain}, x.period, x.segment_id, count(*), count(distinct x.household_id), coalesce(sum(x.amount), 0)::bigint,
			  count(distinct x.household_id) filter (where x.after_contact), coalesce(sum(x.amount) filter (where x.after_contact), 0)::bigint
			from (
			  select ${paid} as period, coalesce(q.segment_id, 0) as segment_id,
			    p.household_id, p.amount, coalesce(d.day >= f.first_contact, false) as after_contact
			  from payments p join erase_ids e on e.id = p.household_id
			  cross join lateral (select coalesce(p.paid_on, (p.recorded_at at time zone 'Asia/Tokyo')::date) as day) d
			  left join call_queue q on q.household_id = p.household_id
			  left join (select household_id, min(day) as first_contact from erase_calls where right_party group by 1) f on f.household_id = p.household_id
			) x
			group by grouping sets ((x.period), (x.period, x.segment_id))
			on conflict on constraint stats_payments_key do update set
			  payments = s.payments + excluded.payments, households_paying = s.households_paying + excluded.households_paying,
			  amount = s.amount + excluded.amount,
			  households_paying_after_contact = s.households_paying_after_contact + excluded.households_paying_after_contact,
			  amount_after_contact = s.amount_after_contact + excluded.amount_after_contact`;
	}

	await tx`
		insert into stats_households as s (segment_id, households, with_valid_phone, resolved, in_arrears, arrears_amount)
		select segment_id, count(*), count(*) filter (where phone), count(*) filter (where status = 'resolved'),
		  count(*) filter (where owed > 0), coalesce(sum(owed), 0)::bigint
		from (
		  select coalesce(q.segment_id, 0) as segment_id, h.status,
		    exists (select 1 from phones p where p.household_id = h.id and p.valid and p.status = 'active') as phone,
		    coalesce((select sum(r.assessed - r.received_total) from receipts r
		              where r.household_id = h.id and r.due_date < ${today}::date and r.assessed > r.received_total), 0) as owed
		  from households h join erase_ids e on e.id = h.id
		  left join call_queue q on q.household_id = h.id
		) x
		group by grouping sets ((), (segment_id))
		on conflict on constraint stats_households_key do update set
		  households = s.households + excluded.households, with_valid_phone = s.with_valid_phone + excluded.with_valid_phone,
		  resolved = s.resolved + excluded.resolved, in_arrears = s.in_arrears + excluded.in_arrears,
		  arrears_amount = s.arrears_amount + excluded.arrears_amount`;

	await tx`
		insert into stats_receipts as s (fiscal_year, segment_id, households, assessed, received, arrears_amount, households_in_arrears)
		select fiscal_year, segment_id, count(distinct household_id), coalesce(sum(assessed), 0)::bigint, coalesce(sum(received_total), 0)::bigint,
		  coalesce(sum(assessed - received_total) filter (where overdue), 0)::bigint, count(distinct household_id) filter (where overdue)
		from (
		  select r.fiscal_year, coalesce(q.segment_id, 0) as segment_id, r.household_id, r.assessed, r.received_total,
		    (r.due_date < ${today}::date and r.assessed > r.received_total) as overdue
		  from receipts r join erase_ids e on e.id = r.household_id
		  left join call_queue q on q.household_id = r.household_id
		) x
		group by grouping sets ((fiscal_year), (fiscal_year, segment_id))
		on conflict on constraint stats_receipts_key do update set
		  households = s.households + excluded.households, assessed = s.assessed + excluded.assessed,
		  received = s.received + excluded.received, arrears_amount = s.arrears_amount + excluded.arrears_amount,
		  households_in_arrears = s.households_in_arrears + excluded.households_in_arrears`;
}

/** Rows in each statistics table. */
export async function statisticsRows(db: Db, tables: readonly string[]): Promise<Record<string, number>> {
	const out: Record<string, number> = {};
	for (const t of tables) {
		const [r] = await db<{ n: number }[]>`select count(*)::bigint as n from ${db(t)}`;
		out[t] = r.n;
	}
	return out;
}

/**
 * Contract end: empty every personal table at once. TRUNCATE without CASCADE: a table not in the list that still
 * points at one of these (a new personal table) makes it fail, and the transaction with it. Identities are not
 * restarted, so ids in the access log never come to mean a new household.
 */
export async function truncatePersonal(tx: Tx): Promise<void> {
	await tx`truncate ${tx(erasedTables.map((t) => t.table))}`;
}

/** Contract end: the training data set's schema goes too (issue #9; made again if a training run starts). */
export async function dropTrainingSchema(tx: Tx): Promise<void> {
	await tx`drop schema if exists training cascade`;
}

/**
 * Retention: delete the marked households; their rows in the other tables go with them (foreign keys, cascade).
 * The access log's notes have no foreign key to households (a refused lookup may name none): deleted by id here.
 * Their log rows stay, with the notes' SHA-256 in the reason.
 */
export async function deleteMarked(tx: Tx): Promise<number> {
	await tx`delete from access_log_notes n using erase_ids e where e.id = n.household_id`;
	const r = await tx`delete from households h using erase_ids e where e.id = h.id`;
	return r.count;
}

/**
 * Retention: notes of access-log rows older than `days` whose household is gone or never existed (a refused
 * inbound lookup of a number that is no household; a household removed another way). No household's erasure
 * would reach them.
 */
export async function deleteOrphanNotes(tx: Tx, olderThanDays: number): Promise<number> {
	const r = await tx`
		delete from access_log_notes n using access_log a
		where a.id = n.access_log_id and a.at < now() - make_interval(days => ${olderThanDays})
		  and not exists (select 1 from households h where h.id = n.household_id)`;
	return r.count;
}

/** Error messages of imports (they may quote a value of a file): all, or those of imports older than `days`. */
export async function clearImportErrors(tx: Tx, olderThanDays: number | null = null): Promise<number> {
	const r =
		olderThanDays === null
			? await tx`update imports set error = null where error is not null`
			: await tx`update imports set error = null where error is not null and coalesce(finished_at, started_at) < now() - make_interval(days => ${olderThanDays})`;
	return r.count;
}

/** Retention: rejected rows (the rows as read) of imports older than `days`, except those still held in quarantine. */
export async function deleteOldRejections(tx: Tx, olderThanDays: number): Promise<number> {
	const r = await tx`
		delete from import_rejections r using imports i
		where i.id = r.import_id and r.status <> 'quarantined' and coalesce(i.finished_at, i.started_at) < now() - make_interval(days => ${olderThanDays})`;
	return r.count;
}

/**
 * Closed cases past retention: households resolved more than `days` ago that nobody is calling and no handoff is
 * open for, oldest first, locked (skip locked: another instance's batch takes others).
 */
export async function dueForRetention(tx: Tx, days: number, limit: number): Promise<number[]> {
	const rows = await tx<{ id: number }[]>`
		select h.id from households h
		where h.status = 'resolved' and h.resolved_at < now() - make_interval(days => ${days})
		  and not exists (select 1 from call_queue q where q.household_id = h.id and q.state = 'claimed')
		  and not exists (select 1 from handoffs x where x.household_id = h.id and x.status in ('new', 'in_progress'))
		order by h.resolved_at, h.id
		limit ${limit}
		for update of h skip locked`;
	return rows.map((r) => r.id);
}

export interface ErasureRow {
	id: number;
	kind: 'contract_end' | 'retention';
	startedAt: Date;
	finishedAt: Date | null;
	certifiedAt: Date | null;
	actorId: number | null;
	actorLogin: string;
	counts: Record<string, number>;
	files: Record<string, unknown>;
	accessLogId: number | null;
	chainSeq: number | null;
	chainHash: string | null;
	certificateSha256: string | null;
	pdfSha256: string | null;
	hasPdf: boolean;
}

// counts and files as text: the pool camel-cases json keys, and these keys are table names
const erasureColumns = (db: Db) => db`
	id, kind, started_at, finished_at, certified_at, actor_id, actor_login, counts::text as counts, files::text as files, access_log_id,
	chain_seq, chain_hash, certificate_sha256, pdf_sha256, certificate_pdf is not null as has_pdf`;

type RawErasureRow = Omit<ErasureRow, 'counts' | 'files'> & { counts: string; files: string };
const parsed = (r: RawErasureRow): ErasureRow => ({ ...r, counts: JSON.parse(r.counts), files: JSON.parse(r.files) });

export async function insertErasure(
	tx: Db,
	e: { kind: 'contract_end' | 'retention'; startedAt: Date; actorId: number | null; actorLogin: string; counts: Record<string, number>; accessLogId: number | null }
): Promise<number> {
	const [r] = await tx<{ id: number }[]>`
		insert into erasures (kind, started_at, finished_at, actor_id, actor_login, counts, access_log_id)
		values (${e.kind}, ${e.startedAt}, clock_timestamp(), ${e.actorId}, ${e.actorLogin}, ${tx.json(e.counts)}, ${e.accessLogId})
		returning id`;
	return r.id;
}

export async function setErasureFiles(db: Db, id: number, files: object): Promise<void> {
	await db`update erasures set files = ${db.json(files as never)} where id = ${id}`;
}

export async function storeCertificate(
	db: Db,
	id: number,
	c: { certifiedAt: Date; chainSeq: number; chainHash: string; json: string; sha256: string; pdf: Buffer | null; pdfSha256: string | null }
): Promise<void> {
	await db`
		update erasures set certified_at = ${c.certifiedAt}, chain_seq = ${c.chainSeq}, chain_hash = ${c.chainHash},
		  certificate_json = ${c.json}, certificate_sha256 = ${c.sha256}, certificate_pdf = ${c.pdf}, pdf_sha256 = ${c.pdfSha256}
		where id = ${id}`;
}

export async function getErasure(db: Db, id: number): Promise<ErasureRow | undefined> {
	const [r] = await db<RawErasureRow[]>`select ${erasureColumns(db)} from erasures where id = ${id}`;
	return r && parsed(r);
}

export async function listErasures(db: Db, limit = 100): Promise<ErasureRow[]> {
	return (await db<RawErasureRow[]>`select ${erasureColumns(db)} from erasures order by id desc limit ${limit}`).map(parsed);
}

export async function certificateFile(db: Db, id: number): Promise<{ json: string | null; pdf: Buffer | null } | undefined> {
	const [r] = await db<{ json: string | null; pdf: Buffer | null }[]>`select certificate_json as json, certificate_pdf as pdf from erasures where id = ${id}`;
	return r;
}

/** The access_log row's place in the chain (after sealing). */
export async function chainSeqOf(db: Db, accessLogId: number): Promise<number | null> {
	const [r] = await db<{ chainSeq: number | null }[]>`select chain_seq from access_log where id = ${accessLogId}`;
	return r?.chainSeq ?? null;
}

/** The chain's head: last chain_seq and hash. */
export async function chainHead(db: Db): Promise<{ lastSeq: number; lastHash: string }> {
	const [r] = await db<{ lastSeq: number; lastHash: string }[]>`select last_seq, encode(last_hash, 'hex') as last_hash from access_log_chain`;
	return r;
}

/** Counts for what is kept (the certificate's "retained"). */
export async function retainedCounts(db: Db): Promise<{ accessLog: number; users: number; imports: number; exports: number }> {
	const [r] = await db<{ accessLog: number; users: number; imports: number; exports: number }[]>`
		select (select count(*) from access_log)::bigint as access_log, (select count(*) from users)::bigint as users,
		       (select count(*) from imports)::bigint as imports, (select count(*) from exports)::bigint as exports`;
	return r;
}
