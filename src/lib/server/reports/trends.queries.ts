/**
 * SQL of the collection-rate trends (収納率の推移): the receipts summed by the assessment's fiscal year and the month
 * the money was received (domain/collection-trend.ts says which date and why), for all households or those of a
 * segment, a district or a nationality group, with or without the households whose whereabouts are unknown — read
 * from the summary collection_cells (migration 00024), which refreshCollectionCells rebuilds from the receipts.
 */
import { performance } from 'node:perf_hooks';
import type { Db, Sql } from '../db.ts';
import type { ReceiptCell } from '../../domain/collection-trend.ts';

export interface TrendFilter {
	segmentId?: number;
	district?: string;
	/** the head of household's nationality: JP (or unknown) or any other */
	nationality?: 'jp' | 'foreign';
	/** leave out households whose whereabouts are unknown (居所不明: a reminder letter came back "addressee unknown", not resolved) */
	excludeUnknown?: boolean;
}

/** The date the whole cumulative amount is placed at (the last receipt, else the first, else the payment dates). */
export const RECEIPT_DATE_SQL = `coalesce(r.last_received_on, r.received_on, r.last_paid_on, r.paid_on)`;

/**
 * Rebuild the summary the trends read (collection_cells, migration 00024) from the receipts, if it is stale or
 * older than `maxAge` (or `force`). Single-flight across instances: the state row is taken with SKIP LOCKED (an
 * import holding it, or another instance rebuilding, means "not now"); the row is marked fresh before the receipts
 * are read, so a change committed meanwhile marks it stale again for the next time.
 */
export async function refreshCollectionCells(db: Sql, opts: { force?: boolean; maxAgeHours?: number } = {}): Promise<{ refreshed: boolean; rows?: number; ms?: number }> {
	const started = performance.now();
	const taken = await db<{ id: boolean }[]>`
		update collection_cells_state set stale = false
		where id = (select id from collection_cells_state
		            where ${opts.force ?? false} or stale or refreshed_at is null or refreshed_at < now() - make_interval(hours => ${opts.maxAgeHours ?? 24})
		            for update skip locked)
		returning id`;
	if (!taken.length) return { refreshed: false };
	try {
		return await db.begin(async (tx) => {
			await tx`delete from collection_cells`;
			// grouped in memory by a hash (the month as a number, the district in byte order): a sort of every receipt by
			// collated text is what made the first version slow
			await tx`set local work_mem = '256MB'`;
			const r = await tx`
				insert into collection_cells (fiscal_year, month, district, segment_id, foreign_head, unknown_whereabouts, assessed, received)
				select fiscal_year, case when ym is not null then lpad((ym / 100)::text, 4, '0') || '-' || lpad((ym % 100)::text, 2, '0') end,
				  district, segment_id, foreign_head, unknown, assessed, received
				from (
				  select r.fiscal_year, case when r.received_total > 0 then (extract(year from d.at) * 100 + extract(month from d.at))::int end as ym,
				    coalesce(h.district, '') collate "C" as district, coalesce(q.segment_id, 0) as segment_id,
				    coalesce(n.nationality, 'JP') <> 'JP' as foreign_head, u.household_id is not null as unknown,
				    sum(r.assessed) as assessed, sum(r.received_total) as received
				  from receipts r
				  cross join lateral (select ${tx.unsafe(RECEIPT_DATE_SQL)} as at) d
				  join households h on h.id = r.household_id
				  left join call_queue q on q.household_id = r.household_id
				  left join (
				    select distinct on (p.household_id) p.household_id, p.nationality from persons p join households hh on hh.id = p.household_id
				    order by p.household_id, (p.resident_number = hh.head_resident_number) desc nulls last, (p.relationship = '世帯主') desc nulls last, p.id
				  ) n on n.household_id = r.household_id
				  left join (select distinct household_id from letter_returns where reason = 'unknown_address' and resolved_at is null) u on u.household_id = r.household_id
				  group by 1, 2, 3, 4, 5, 6
				) g`;
			const ms = Math.round(performance.now() - started);
			await tx`update collection_cells_state set refreshed_at = now(), rows = ${r.count}, duration_ms = ${ms}`;
			return { refreshed: true, rows: r.count, ms };
		});
	} catch (e) {
		await db`update collection_cells_state set stale = true`;
		throw e;
	}
}

/**
 * Mark the summary stale (an import changed receipts or households' districts). The receipts trigger does this for
 * ordinary writes, but the import writes with session_replication_role = replica, under which triggers do not fire.
 */
export async function markCollectionCellsStale(db: Db): Promise<void> {
	await db`update collection_cells_state set stale = true where not stale`;
}

/** When the summary was built and whether receipts changed since. */
export async function collectionCellsState(db: Db): Promise<{ stale: boolean; refreshedAt: Date | null }> {
	const [s] = await db<{ stale: boolean; refreshedAt: Date | null }[]>`select stale, refreshed_at from collection_cells_state`;
	return s;
}

/** The summary of fiscal years [fromFy, toFy] by (fiscal year, month received), narrowed by the filter. */
export async function receiptCells(db: Db, fromFy: number, toFy: number, f: TrendFilter): Promise<ReceiptCell[]> {
	const rows = await db<{ fiscalYear: number; month: string | null; assessed: number; received: number }[]>`
		select fiscal_year, month, sum(assessed)::bigint as assessed, sum(received)::bigint as received
		from collection_cells
		where fiscal_year between ${fromFy} and ${toFy}
		${f.segmentId !== undefined ? db`and segment_id = ${f.segmentId}` : db``}
		${f.district !== undefined ? db`and district = ${f.district}` : db``}
		${f.nationality === 'jp' ? db`and not foreign_head` : db``}
		${f.nationality === 'foreign' ? db`and foreign_head` : db``}
		${f.excludeUnknown ? db`and not unknown_whereabouts` : db``}
		group by 1, 2`;
	return rows.map((r) => ({ fiscalYear: r.fiscalYear, month: r.month, assessed: Number(r.assessed), received: Number(r.received) }));
}

/** The same by segment, district or nationality group (key: segment id, '' for none; the district; 'jp' / 'foreign'). */
export async function breakdownCells(
	db: Db,
	by: 'segment' | 'district' | 'nationality',
	fromFy: number,
	toFy: number,
	excludeUnknown: boolean
): Promise<(ReceiptCell & { key: string })[]> {
	const key = by === 'segment' ? `case when segment_id = 0 then '' else segment_id::text end` : by === 'district' ? 'district' : `case when foreign_head then 'foreign' else 'jp' end`;
	const rows = await db<{ key: string; fiscalYear: number; month: string | null; assessed: number; received: number }[]>`
		select ${db.unsafe(key)} as key, fiscal_year, month, sum(assessed)::bigint as assessed, sum(received)::bigint as received
		from collection_cells
		where fiscal_year between ${fromFy} and ${toFy}
		${excludeUnknown ? db`and not unknown_whereabouts` : db``}
		group by 1, 2, 3`;
	return rows.map((r) => ({ key: r.key, fiscalYear: r.fiscalYear, month: r.month, assessed: Number(r.assessed), received: Number(r.received) }));
}

/** What the filters offer: segments, districts (with households), the fiscal years present. */
export async function trendChoices(db: Db) {
	const [segments, districts, years] = await Promise.all([
		db<{ id: number; nameJa: string; nameEn: string }[]>`select id, name_ja, name_en from segments order by sort_order, id`,
		// from the summary: a pass over 1,000,000 households or 30,000,000 receipts is not for every page view
		db<{ district: string }[]>`select distinct district from collection_cells where district <> '' order by district`,
		db<{ fiscalYear: number }[]>`select distinct fiscal_year from collection_cells order by fiscal_year`
	]);
	return { segments, districts, fiscalYears: years.map((y) => y.fiscalYear) };
}
