/**
 * SQL of the collection-rate trends (収納率の推移): the receipts summed by the assessment's fiscal year and the month
 * the money was received (domain/collection-trend.ts says which date and why), for all households or those of a
 * segment, a district or a nationality group, with or without the households whose whereabouts are unknown.
 */
import type { Db } from '../db.ts';
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
export const RECEIPT_MONTH_SQL = `to_char(coalesce(r.last_received_on, r.received_on, r.last_paid_on, r.paid_on), 'YYYY-MM')`;

/** The head of household's nationality (same rule as the segments' facts). */
const HEAD_NATIONALITY_SQL = `(select p.nationality from persons p where p.household_id = h.id
	order by (p.resident_number = h.head_resident_number) desc nulls last, (p.relationship = '世帯主') desc nulls last, p.id limit 1)`;

export const UNKNOWN_WHEREABOUTS_SQL = `exists (select 1 from letter_returns lr where lr.household_id = h.id and lr.reason = 'unknown_address' and lr.resolved_at is null)`;

/** Receipts of fiscal years [fromFy, toFy] summed by (fiscal year, month received). */
export async function receiptCells(db: Db, fromFy: number, toFy: number, f: TrendFilter): Promise<ReceiptCell[]> {
	const rows = await db<{ fiscalYear: number; month: string | null; assessed: number; received: number }[]>`
		select r.fiscal_year, case when r.received_total > 0 then ${db.unsafe(RECEIPT_MONTH_SQL)} end as month,
		  sum(r.assessed)::bigint as assessed, sum(r.received_total)::bigint as received
		from receipts r
		${f.segmentId !== undefined || f.district !== undefined || f.nationality !== undefined || f.excludeUnknown ? db`join households h on h.id = r.household_id` : db``}
		${f.segmentId !== undefined ? db`join call_queue q on q.household_id = r.household_id and q.segment_id = ${f.segmentId}` : db``}
		where r.fiscal_year between ${fromFy} and ${toFy}
		${f.district !== undefined ? db`and h.district = ${f.district}` : db``}
		${f.nationality === 'jp' ? db`and coalesce(${db.unsafe(HEAD_NATIONALITY_SQL)}, 'JP') = 'JP'` : db``}
		${f.nationality === 'foreign' ? db`and coalesce(${db.unsafe(HEAD_NATIONALITY_SQL)}, 'JP') <> 'JP'` : db``}
		${f.excludeUnknown ? db`and not ${db.unsafe(UNKNOWN_WHEREABOUTS_SQL)}` : db``}
		group by 1, 2`;
	return rows.map((r) => ({ fiscalYear: r.fiscalYear, month: r.month, assessed: Number(r.assessed), received: Number(r.received) }));
}

/**
 * The breakdown of fiscal year `fy` to the end of `toMonth` by segment, district or nationality group: per group,
 * the same sums as receiptCells (fiscal years fy-? … fy) so that each group's rates come from the same domain code.
 */
export async function breakdownCells(
	db: Db,
	by: 'segment' | 'district' | 'nationality',
	fromFy: number,
	toFy: number,
	excludeUnknown: boolean
): Promise<(ReceiptCell & { key: string })[]> {
	const key =
		by === 'segment'
			? `coalesce((select q.segment_id::text from call_queue q where q.household_id = r.household_id), '')`
			: by === 'district'
				? `coalesce(h.district, '')`
				: `case when coalesce(${HEAD_NATIONALITY_SQL}, 'JP') = 'JP' then 'jp' else 'foreign' end`;
	const rows = await db<{ key: string; fiscalYear: number; month: string | null; assessed: number; received: number }[]>`
		select ${db.unsafe(key)} as key, r.fiscal_year, case when r.received_total > 0 then ${db.unsafe(RECEIPT_MONTH_SQL)} end as month,
		  sum(r.assessed)::bigint as assessed, sum(r.received_total)::bigint as received
		from receipts r join households h on h.id = r.household_id
		where r.fiscal_year between ${fromFy} and ${toFy}
		${excludeUnknown ? db`and not ${db.unsafe(UNKNOWN_WHEREABOUTS_SQL)}` : db``}
		group by 1, 2, 3`;
	return rows.map((r) => ({ key: r.key, fiscalYear: r.fiscalYear, month: r.month, assessed: Number(r.assessed), received: Number(r.received) }));
}

/** What the filters offer: segments, districts (with households), the fiscal years present. */
export async function trendChoices(db: Db) {
	const [segments, districts, years] = await Promise.all([
		db<{ id: number; nameJa: string; nameEn: string }[]>`select id, name_ja, name_en from segments order by sort_order, id`,
		db<{ district: string; households: number }[]>`select district, count(*)::int as households from households where district is not null group by district order by district`,
		db<{ fiscalYear: number }[]>`select distinct fiscal_year from receipts order by fiscal_year`
	]);
	return { segments, districts, fiscalYears: years.map((y) => y.fiscalYear) };
}
