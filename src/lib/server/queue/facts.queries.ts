/**
 * The household facts the queue places by (src/lib/domain/household-facts.ts), computed in SQL: for a few
 * households after a call (`factsFor`), and page by page over every active household after an import
 * (`factsPage`). One statement per call: the page's ids first, then one grouped sub-select per source table,
 * each restricted to the page's ids so that it reads through that table's household index.
 *
 * Definitions (the pure rules rely on them):
 * - owed: receipts with due_date < today and assessed > received_total; current year = the receipt's fiscal_year
 *   is today's fiscal year (April–March), carried over = an earlier one.
 * - callable phone: valid and status 'active'; sharesPhone: another household has a callable phone with the same digits.
 * - attempts, recentAttempts (7 days), slotStats: outbound calls; lastAttemptAt: the last call either way (an
 *   inbound conversation also counts for the minimum gap); lastContactAt: the last answered call either way.
 * - time slots in Tokyo hours: morning < 12:00 ≤ afternoon < 17:00 ≤ evening.
 * - promise status: of the latest promise that was not cancelled; broken promises = broken or partly kept; lastPaidOn: the latest payment with a date.
 * - openHandoff: a staff handoff holds the calls: one is new or in progress, or the latest was resolved with an
 *   outcome that keeps the ward in charge (src/lib/domain/handoffs.ts resolutionCodes); returned ones do not.
 * - recallNotBefore: the "call again, but not before" day of the latest handoff returned to the center
 *   (handoff_instructions.not_before), null when that return set none.
 */
import { slotPriorsByGroup } from '../reports/best-time.ts';
import { languageGroup } from '../../domain/best-time.ts';
import type { Db, Sql } from '../db.ts';
import type { HouseholdFacts, PhoneKind, PromiseStatus } from '../../domain/household-facts.ts';

/** The fiscal year (April–March) a Tokyo calendar date belongs to. */
export function fiscalYearOf(isoDate: string): number {
	const [y, m] = isoDate.split('-').map(Number);
	return m >= 4 ? y : y - 1;
}

/** A row as the facts statement returns it: the facts, with instants as Date, arrays possibly null, and the slot counts flat. */
type FactsRow = Omit<
	HouseholdFacts,
	'currentYearUnpaidPeriods' | 'phoneKinds' | 'lastContactAt' | 'lastAttemptAt' | 'recentAttempts' | 'slotStats' | 'promiseStatus' | 'callbackDueAt'
> & {
	currentYearUnpaidPeriods: number[] | null;
	phoneKinds: PhoneKind[] | null;
	lastContactAt: Date | null;
	lastAttemptAt: Date | null;
	recentAttempts: Date[] | null;
	morningAttempts: number;
	morningAnswered: number;
	afternoonAttempts: number;
	afternoonAnswered: number;
	eveningAttempts: number;
	eveningAnswered: number;
	promiseStatus: PromiseStatus | null;
	callbackDueAt: Date | null;
};

function toFacts(r: FactsRow): HouseholdFacts {
	const iso = (d: Date | null) => (d ? d.toISOString() : null);
	return {
		householdId: r.householdId,
		language: r.language,
		nationality: r.nationality,
		district: r.district,
		owed: r.owed,
		owedCurrentYear: r.owedCurrentYear,
		owedCarriedOver: r.owedCarriedOver,
		unpaidPeriods: r.unpaidPeriods,
		currentYearUnpaidPeriods: r.currentYearUnpaidPeriods ?? [],
		oldestDueDate: r.oldestDueDate,
		phoneKinds: r.phoneKinds ?? [],
		hasInvalidPhone: r.hasInvalidPhone,
		sharesPhone: r.sharesPhone,
		bankTransfer: r.bankTransfer,
		cardClass: r.cardClass,
		lastContactAt: iso(r.lastContactAt),
		lastAttemptAt: iso(r.lastAttemptAt),
		attempts: r.attempts,
		recentAttempts: (r.recentAttempts ?? []).map((d) => new Date(d).toISOString()),
		slotStats: {
			morning: { attempts: r.morningAttempts, answered: r.morningAnswered },
			afternoon: { attempts: r.afternoonAttempts, answered: r.afternoonAnswered },
			evening: { attempts: r.eveningAttempts, answered: r.eveningAnswered }
		},
		promiseStatus: r.promiseStatus ?? 'none',
		openPromiseDueDate: r.openPromiseDueDate,
		brokenPromises: r.brokenPromises,
		callbackDueAt: iso(r.callbackDueAt),
		lastPaidOn: r.lastPaidOn,
		openHandoff: r.openHandoff,
		recallNotBefore: r.recallNotBefore ?? null,
		doNotCallUntil: r.doNotCallUntil
	};
}

/**
 * The facts of the households in `page` (a fragment selecting `id, language, district, head_resident_number`
 * from households, ordered by id). Dates come back as ISO text (to_char), instants as timestamptz.
 */
async function factsOf(db: Db, page: unknown, today: string): Promise<HouseholdFacts[]> {
	const fy = fiscalYearOf(today);
	const rows = await db<FactsRow[]>`
		with page as materialized (${page as never}),
		owed as (
			select r.household_id,
			  sum(r.assessed - r.received_total)::bigint as owed,
			  coalesce(sum(r.assessed - r.received_total) filter (where r.fiscal_year = ${fy}), 0)::bigint as owed_current_year,
			  coalesce(sum(r.assessed - r.received_total) filter (where r.fiscal_year < ${fy}), 0)::bigint as owed_carried_over,
			  count(*)::int as unpaid_periods,
			  array_agg(distinct r.period) filter (where r.fiscal_year = ${fy}) as current_year_unpaid_periods,
			  to_char(min(r.due_date), 'YYYY-MM-DD') as oldest_due_date
			from receipts r
			where r.household_id in (select id from page) and r.due_date < ${today}::date and r.assessed > r.received_total
			group by r.household_id
		),
		ph as (
			select p.household_id,
			  array_agg(distinct p.kind) filter (where p.valid and p.status = 'active') as phone_kinds,
			  bool_or(not p.valid or p.status <> 'active') as has_invalid_phone,
			  bool_or(p.valid and p.status = 'active' and p.digits is not null and exists (
			    select 1 from phones o where o.digits = p.digits and o.household_id <> p.household_id and o.valid and o.status = 'active')) as shares_phone
			from phones p
			where p.household_id in (select id from page)
			group by p.household_id
		),
		cl as (
			select c.household_id,
			  max(c.started_at) filter (where o.answered) as last_contact_at,
			  max(c.started_at) as last_attempt_at,
			  count(*) filter (where c.direction = 'outbound')::int as attempts,
			  array_agg(c.started_at order by c.started_at desc)
			    filter (where c.direction = 'outbound' and c.started_at > now() - interval '7 days') as recent_attempts,
			  count(*) filter (where c.direction = 'outbound' and s.slot = 'morning')::int as morning_attempts,
			  count(*) filter (where c.direction = 'outbound' and s.slot = 'morning' and o.answered)::int as morning_answered,
			  count(*) filter (where c.direction = 'outbound' and s.slot = 'afternoon')::int as afternoon_attempts,
			  count(*) filter (where c.direction = 'outbound' and s.slot = 'afternoon' and o.answered)::int as afternoon_answered,
			  count(*) filter (where c.direction = 'outbound' and s.slot = 'evening')::int as evening_attempts,
			  count(*) filter (where c.direction = 'outbound' and s.slot = 'evening' and o.answered)::int as evening_answered
			from calls c
			join outcome_codes o on o.code = c.outcome_code
			cross join lateral (select case when extract(hour from c.started_at at time zone 'Asia/Tokyo') < 12 then 'morning'
			                                when extract(hour from c.started_at at time zone 'Asia/Tokyo') < 17 then 'afternoon'
			                                else 'evening' end as slot) s
			where c.household_id in (select id from page)
			group by c.household_id
		),
		pr as (
			select p.household_id,
			  (array_agg(p.status order by p.created_at desc, p.id desc) filter (where p.status <> 'cancelled'))[1] as promise_status,
			  to_char(max(p.due_date) filter (where p.status = 'pending'), 'YYYY-MM-DD') as open_promise_due_date,
			  count(*) filter (where p.status in ('broken', 'partly_kept'))::int as broken_promises
			from promises p
			where p.household_id in (select id from page)
			group by p.household_id
		),
		ho as (
			-- a handoff holds the calls while it is open (new, in progress), and after it was resolved with an outcome that
			-- keeps the ward in charge (the latest handoff resolved without resumes_calls); a returned one releases them
			select x.household_id from handoffs x where x.household_id in (select id from page)
			group by x.household_id
			having bool_or(x.status in ('new', 'in_progress'))
			    or (array_agg(x.status = 'resolved' and not x.resumes_calls order by x.created_at desc, x.id desc))[1]
		),
		pay as (
			select y.household_id, to_char(max(y.paid_on), 'YYYY-MM-DD') as last_paid_on
			from payments y
			where y.household_id in (select id from page) and y.amount > 0 and y.paid_on is not null
			group by y.household_id
		)
		select h.id as household_id, h.language, h.district,
		  (select p.nationality from persons p where p.household_id = h.id
		   order by (p.resident_number = h.head_resident_number) desc nulls last, (p.relationship = '世帯主') desc nulls last, p.id limit 1) as nationality,
		  coalesce(ow.owed, 0)::bigint as owed, coalesce(ow.owed_current_year, 0)::bigint as owed_current_year,
		  coalesce(ow.owed_carried_over, 0)::bigint as owed_carried_over, coalesce(ow.unpaid_periods, 0) as unpaid_periods,
		  ow.current_year_unpaid_periods, ow.oldest_due_date,
		  ph.phone_kinds, coalesce(ph.has_invalid_phone, false) as has_invalid_phone, coalesce(ph.shares_phone, false) as shares_phone,
		  coalesce(bt.enabled, false) as bank_transfer,
		  (select y.card_class from household_years y where y.household_id = h.id order by y.fiscal_year desc limit 1) as card_class,
		  cl.last_contact_at, cl.last_attempt_at, coalesce(cl.attempts, 0) as attempts, cl.recent_attempts,
		  coalesce(cl.morning_attempts, 0) as morning_attempts, coalesce(cl.morning_answered, 0) as morning_answered,
		  coalesce(cl.afternoon_attempts, 0) as afternoon_attempts, coalesce(cl.afternoon_answered, 0) as afternoon_answered,
		  coalesce(cl.evening_attempts, 0) as evening_attempts, coalesce(cl.evening_answered, 0) as evening_answered,
		  pr.promise_status, pr.open_promise_due_date, coalesce(pr.broken_promises, 0) as broken_promises,
		  (select cb.due_at from callbacks cb where cb.household_id = h.id and cb.status = 'open') as callback_due_at,
		  pay.last_paid_on,
		  (ho.household_id is not null) as open_handoff,
		  (select to_char(i.not_before, 'YYYY-MM-DD') from handoff_instructions i where i.household_id = h.id
		   order by i.returned_at desc, i.id desc limit 1) as recall_not_before,
		  (select coalesce(to_char(d.until, 'YYYY-MM-DD'), 'indefinite') from do_not_call d
		   where d.household_id = h.id and d.lifted_at is null and (d.until is null or d.until >= ${today}::date)) as do_not_call_until
		from page h
		left join owed ow on ow.household_id = h.id
		left join ph on ph.household_id = h.id
		left join bank_transfers bt on bt.household_id = h.id
		left join cl on cl.household_id = h.id
		left join pr on pr.household_id = h.id
		left join pay on pay.household_id = h.id
		left join ho on ho.household_id = h.id
		order by h.id`;
	// the season's answer rates per slot for the household's language group (best time to call; cached in memory)
	const priors = await slotPriorsByGroup(db);
	return rows.map((r) => {
		const f = toFacts(r);
		return priors ? { ...f, slotPrior: priors[languageGroup(f.language)] } : f;
	});
}

/** The facts of these households (any status); households that do not exist are left out. */
export async function factsFor(db: Db, householdIds: number[], today: string): Promise<HouseholdFacts[]> {
	if (householdIds.length === 0) return [];
	return factsOf(db, db`select id, language, district, head_resident_number from households where id = any(${householdIds}::bigint[])`, today);
}

/** One page of the facts of active households with id > afterId, in id order (a million households, page by page). */
export async function factsPage(db: Db, today: string, afterId: number, limit = 5000): Promise<HouseholdFacts[]> {
	// a page is costly enough for PostgreSQL to JIT-compile it (~2 s of compiling for ~0.2 s of work): JIT off
	// for the transaction (the caller's, or one of our own on the pool)
	const run = async (tx: Db) => {
		await tx`set local jit = off`;
		return factsOf(tx, tx`select id, language, district, head_resident_number from households where status = 'active' and id > ${afterId} order by id limit ${limit}`, today);
	};
	return 'savepoint' in db ? run(db) : (db as Sql).begin(run);
}
