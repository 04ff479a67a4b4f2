/**
 * The manager's figures: the live detail (calls, promises, payments, households, receipts) plus the statistics kept
 * when personal data was erased (stats_*, migration 00006_erasure). Erasures remove disjoint sets of households, so
 * "live + kept" is exact for every figure at the grain it was kept at (a day, an hour of a day, a month; per segment
 * or per operator within those). Periods are Tokyo calendar days; `from` inclusive, `to` exclusive ('YYYY-MM-DD').
 */
import type { Db } from '../db.ts';
import { CALL_MEASURES_SQL, CALL_MEASURE_COLUMNS, CALL_ROWS_SQL } from './measures.ts';

export interface CallTotals {
	attempts: number;
	answeredAttempts: number;
	householdsAttempted: number;
	householdsContacted: number;
	rightPartyContacts: number;
	promises: number;
	promisedAmount: number;
	inbound: number;
	handoffs: number;
}

export type CallBreakdown = 'total' | 'hour' | 'segment' | 'operator';

const summed = CALL_MEASURE_COLUMNS.map((c) => `coalesce(sum(${c}), 0)::bigint as ${c}`).join(', ');
const kept = CALL_MEASURE_COLUMNS.join(', ');
const tokyoInstant = (param: string) => `(${param}::date::timestamp at time zone 'Asia/Tokyo')`;

/**
 * Call measures per day or month (and per hour, segment or operator within it). An hourly breakdown exists for
 * days only.
 */
export async function callTotals(
	db: Db,
	opts: { grain: 'day' | 'month'; from: string; to: string; by?: CallBreakdown }
): Promise<(CallTotals & { period: string; key: number | null })[]> {
	const by = opts.by ?? 'total';
	if (by === 'hour' && opts.grain !== 'day') throw new Error('hours exist for days only');
	const period = opts.grain === 'day' ? 'day' : `date_trunc('month', day)::date`;
	const liveKey = { total: 'null::bigint', hour: 'hour::bigint', segment: 'segment_id', operator: 'operator_id' }[by];
	const keptKey = { total: 'null::bigint', hour: 'hour::bigint', segment: 'segment_id', operator: 'operator_id' }[by];
	const keptWhere = {
		total: 'hour is null and segment_id is null and operator_id is null',
		hour: 'hour is not null and segment_id is null and operator_id is null',
		segment: 'hour is null and segment_id is not null and operator_id is null',
		operator: 'hour is null and segment_id is null and operator_id is not null'
	}[by];
	return db.unsafe(
		`select period::text as period, key, ${summed} from (
		   select ${period} as period, ${liveKey} as key, ${CALL_MEASURES_SQL}
		   from (${CALL_ROWS_SQL('', `where c.recorded_at >= ${tokyoInstant('$1')} and c.recorded_at < ${tokyoInstant('$2')}`)}) x
		   group by 1, 2
		   union all
		   select period, ${keptKey} as key, ${kept} from stats_calls
		   where grain = $3 and ${keptWhere} and period >= $1::date and period < $2::date
		 ) u
		 group by period, key order by period, key nulls first`,
		[opts.from, opts.to, opts.grain]
	) as unknown as Promise<(CallTotals & { period: string; key: number | null })[]>;
}

export interface PromiseTotals {
	/** promises falling due in the period, cancelled ones excluded (約束履行率's denominator: kpi.ts KEPT_RATE_DEF) */
	due: number;
	kept: number;
	partlyKept: number;
	broken: number;
	/** not yet judged (due + grace not passed) */
	pending: number;
	amountDue: number;
	amountKept: number;
	/** yen counted towards the promises falling due (kept in full or in part) */
	amountPaid: number;
}

/**
 * Promises by the day or month they fall due (cancelled ones left out), with their states: the live promises plus
 * the statistics kept at erasure (whose due counted cancelled ones: subtracted here). The 約束履行率 of a period is
 * kept ÷ due (kpi.ts keptRate).
 */
export async function promiseTotals(db: Db, opts: { grain: 'day' | 'month'; from: string; to: string }): Promise<(PromiseTotals & { period: string })[]> {
	const period = opts.grain === 'day' ? 'p.due_date' : `date_trunc('month', p.due_date)::date`;
	return db.unsafe(
		`select period::text as period, sum(due)::bigint as due, sum(kept)::bigint as kept, sum(partly_kept)::bigint as partly_kept,
		   sum(broken)::bigint as broken, sum(pending)::bigint as pending,
		   sum(amount_due)::bigint as amount_due, sum(amount_kept)::bigint as amount_kept, sum(amount_paid)::bigint as amount_paid
		 from (
		   select ${period} as period, count(*) as due, count(*) filter (where p.status = 'kept') as kept,
		     count(*) filter (where p.status = 'partly_kept') as partly_kept,
		     count(*) filter (where p.status = 'broken') as broken, count(*) filter (where p.status = 'pending') as pending,
		     coalesce(sum(p.amount), 0) as amount_due, coalesce(sum(p.amount) filter (where p.status = 'kept'), 0) as amount_kept,
		     coalesce(sum(p.paid_amount), 0) as amount_paid
		   from promises p where p.due_date >= $1::date and p.due_date < $2::date and p.status <> 'cancelled'
		   group by 1
		   union all
		   select period, due - cancelled, kept, partly_kept, broken, open, amount_due, amount_kept, amount_paid from stats_promises
		   where grain = $3 and segment_id is null and period >= $1::date and period < $2::date
		 ) u group by period order by period`,
		[opts.from, opts.to, opts.grain]
	) as unknown as Promise<(PromiseTotals & { period: string })[]>;
}

export interface PaymentTotals {
	payments: number;
	householdsPaying: number;
	amount: number;
	householdsPayingAfterContact: number;
	/** 収納額 (attributed): paid on or after the household's first right-party contact */
	amountAfterContact: number;
}

/** Money received (payments seen by imports) by the day or month paid. */
export async function paymentTotals(db: Db, opts: { grain: 'day' | 'month'; from: string; to: string }): Promise<(PaymentTotals & { period: string })[]> {
	const period = opts.grain === 'day' ? 'd.day' : `date_trunc('month', d.day)::date`;
	return db.unsafe(
		`select period::text as period, sum(payments)::bigint as payments, sum(households_paying)::bigint as households_paying,
		   sum(amount)::bigint as amount, sum(households_paying_after_contact)::bigint as households_paying_after_contact,
		   sum(amount_after_contact)::bigint as amount_after_contact
		 from (
		   select ${period} as period, count(*) as payments, count(distinct p.household_id) as households_paying, coalesce(sum(p.amount), 0) as amount,
		     count(distinct p.household_id) filter (where d.day >= f.first_contact) as households_paying_after_contact,
		     coalesce(sum(p.amount) filter (where d.day >= f.first_contact), 0) as amount_after_contact
		   from payments p
		   cross join lateral (select coalesce(p.paid_on, (p.recorded_at at time zone 'Asia/Tokyo')::date) as day) d
		   left join lateral (
		     select min((c.recorded_at at time zone 'Asia/Tokyo')::date) as first_contact
		     from calls c join outcome_codes o on o.code = c.outcome_code
		     where c.household_id = p.household_id and o.right_party
		   ) f on true
		   where d.day >= $1::date and d.day < $2::date
		   group by 1
		   union all
		   select period, payments, households_paying, amount, households_paying_after_contact, amount_after_contact from stats_payments
		   where grain = $3 and segment_id is null and period >= $1::date and period < $2::date
		 ) u group by period order by period`,
		[opts.from, opts.to, opts.grain]
	) as unknown as Promise<(PaymentTotals & { period: string })[]>;
}

export interface HouseholdTotals {
	/** 対象: households in scope (known to kansho, including resolved ones and those erased) */
	households: number;
	/** with ≥1 valid, callable number (電話番号判明) */
	withValidPhone: number;
	resolved: number;
	inArrears: number;
	arrearsAmount: number;
}

/** Households as they stand on `today` (live) plus those erased, as they stood when erased. */
export async function householdTotals(db: Db, today: string): Promise<HouseholdTotals> {
	const [r] = await db<HouseholdTotals[]>`
		select sum(households)::bigint as households, sum(with_valid_phone)::bigint as with_valid_phone, sum(resolved)::bigint as resolved,
		  sum(in_arrears)::bigint as in_arrears, sum(arrears_amount)::bigint as arrears_amount
		from (
		  select count(*) as households,
		    count(*) filter (where exists (select 1 from phones p where p.household_id = h.id and p.valid and p.status = 'active')) as with_valid_phone,
		    count(*) filter (where h.status = 'resolved') as resolved,
		    count(*) filter (where o.owed > 0) as in_arrears, coalesce(sum(o.owed), 0) as arrears_amount
		  from households h
		  left join (
		    select household_id, sum(assessed - received_total) as owed from receipts
		    where due_date < ${today}::date and assessed > received_total group by household_id
		  ) o on o.household_id = h.id
		  union all
		  select households, with_valid_phone, resolved, in_arrears, arrears_amount from stats_households where segment_id is null
		) u`;
	return r;
}

export interface FiscalYearTotals {
	fiscalYear: number;
	households: number;
	/** 調定額 */
	assessed: number;
	/** 収納額 */
	received: number;
	arrearsAmount: number;
	householdsInArrears: number;
}

/** Assessed and received per fiscal year (収納率), live plus erased. */
export async function fiscalYearTotals(db: Db, today: string): Promise<FiscalYearTotals[]> {
	return db<FiscalYearTotals[]>`
		select fiscal_year, sum(households)::bigint as households, sum(assessed)::bigint as assessed, sum(received)::bigint as received,
		  sum(arrears_amount)::bigint as arrears_amount, sum(households_in_arrears)::bigint as households_in_arrears
		from (
		  select fiscal_year, count(distinct household_id) as households, coalesce(sum(assessed), 0) as assessed, coalesce(sum(received_total), 0) as received,
		    coalesce(sum(assessed - received_total) filter (where due_date < ${today}::date and assessed > received_total), 0) as arrears_amount,
		    count(distinct household_id) filter (where due_date < ${today}::date and assessed > received_total) as households_in_arrears
		  from receipts group by fiscal_year
		  union all
		  select fiscal_year, households, assessed, received, arrears_amount, households_in_arrears from stats_receipts where segment_id is null
		) u group by fiscal_year order by fiscal_year`;
}
