/**
 * SQL of the daily and monthly report (日報・月報): each measure per operator, per team, per segment and in total in
 * one statement (GROUPING SETS), over the live detail of [from, to) (Tokyo days), and the statistics kept at erasure
 * for the same period. The call measures are measures.ts's, the same SQL as the manager's page and the erasure's
 * statistics; promises, handoffs and payments are attributed to the operator who recorded them (the promise, the
 * handoff) or whose call was the household's first right-party contact (payments), and to that call's segment.
 */
import type { Db } from '../db.ts';
import type { Dimension, ReportMeasures } from '../../domain/period-report.ts';
import { CALL_MEASURES_SQL, CALL_ROWS_SQL } from './measures.ts';

const tokyoInstant = (param: string) => `(${param}::date::timestamp at time zone 'Asia/Tokyo')`;

/** The breakdown a GROUPING SETS row belongs to, and its key as text. Columns: op, team, seg (of `from`). */
const DIM_SQL = `case when grouping(op) = 0 then 'operator' when grouping(team) = 0 then 'team' when grouping(seg) = 0 then 'segment' else 'total' end as dim,
	coalesce(case when grouping(op) = 0 then op::text when grouping(team) = 0 then team when grouping(seg) = 0 then seg::text end, '') as key`;
const SETS = 'group by grouping sets ((op), (team), (seg), ())';
/**
 * An operator's team (users.team as `u`) as the reports group it: normalized as domain/team.ts normalizeTeam does
 * (NFKC, trimmed; '' for none), so a row saved before the team field normalized (「Ｂ班」) counts with 「B班」.
 */
const TEAM_SQL = `coalesce(btrim(normalize(u.team, NFKC)), '')`;

export type DimRow = Partial<ReportMeasures> & { dim: Dimension | 'total'; key: string };

/** 架電件数 … 着信件数 from the calls recorded in [from, to). */
export async function callMeasures(db: Db, from: string, to: string): Promise<DimRow[]> {
	return db.unsafe(
		`select ${DIM_SQL}, ${CALL_MEASURES_SQL}
		 from (select r.*, r.operator_id as op, ${TEAM_SQL} as team, r.segment_id as seg
		       from (${CALL_ROWS_SQL('', `where c.recorded_at >= ${tokyoInstant('$1')} and c.recorded_at < ${tokyoInstant('$2')}`)}) r
		       left join users u on u.id = r.operator_id) x
		 ${SETS}`,
		[from, to]
	) as unknown as Promise<DimRow[]>;
}

/** Promises falling due in [from, to), cancelled ones left out, by their state now. */
export async function promiseMeasures(db: Db, from: string, to: string): Promise<DimRow[]> {
	return db.unsafe(
		`select ${DIM_SQL}, count(*)::bigint as promises_due, count(*) filter (where status = 'kept')::bigint as promises_kept,
		   count(*) filter (where status = 'partly_kept')::bigint as promises_partly_kept, count(*) filter (where status = 'broken')::bigint as promises_broken
		 from (select p.status, p.created_by as op, ${TEAM_SQL} as team, coalesce(c.segment_id, 0)::bigint as seg
		       from promises p left join calls c on c.id = p.call_id left join users u on u.id = p.created_by
		       where p.due_date >= $1::date and p.due_date < $2::date and p.status <> 'cancelled') x
		 ${SETS}`,
		[from, to]
	) as unknown as Promise<DimRow[]>;
}

/** Handoffs to ward staff created in [from, to), by reason. */
export async function handoffMeasures(db: Db, from: string, to: string): Promise<DimRow[]> {
	return db.unsafe(
		`select ${DIM_SQL},
		   count(*) filter (where reason = 'installment')::bigint as handoff_installment, count(*) filter (where reason = 'hardship')::bigint as handoff_hardship,
		   count(*) filter (where reason = 'reduction')::bigint as handoff_reduction, count(*) filter (where reason = 'complaint')::bigint as handoff_complaint,
		   count(*) filter (where reason = 'other')::bigint as handoff_other
		 from (select h.reason, h.created_by as op, ${TEAM_SQL} as team, coalesce(c.segment_id, 0)::bigint as seg
		       from handoffs h left join calls c on c.id = h.call_id left join users u on u.id = h.created_by
		       where h.created_at >= ${tokyoInstant('$1')} and h.created_at < ${tokyoInstant('$2')}) x
		 ${SETS}`,
		[from, to]
	) as unknown as Promise<DimRow[]>;
}

/**
 * 接触後の収納額: payments dated in [from, to) on or after the day of the household's first right-party contact,
 * counted to that contact's operator and segment (so each yen is counted once). Same rule as the manager's report.
 */
export async function paymentMeasures(db: Db, from: string, to: string): Promise<DimRow[]> {
	return db.unsafe(
		`select ${DIM_SQL}, coalesce(sum(amount), 0)::bigint as collected_after_contact
		 from (select p.amount, f.operator_id as op, ${TEAM_SQL} as team, coalesce(f.segment_id, 0)::bigint as seg
		       from payments p
		       cross join lateral (select coalesce(p.paid_on, (p.recorded_at at time zone 'Asia/Tokyo')::date) as day) d
		       join lateral (
		         select c.operator_id, c.segment_id, (c.recorded_at at time zone 'Asia/Tokyo')::date as day
		         from calls c join outcome_codes o on o.code = c.outcome_code
		         where c.household_id = p.household_id and o.right_party
		         order by c.recorded_at, c.id limit 1
		       ) f on d.day >= f.day
		       left join users u on u.id = f.operator_id
		       where d.day >= $1::date and d.day < $2::date) x
		 ${SETS}`,
		[from, to]
	) as unknown as Promise<DimRow[]>;
}

/** Letters in batches marked mailed in [from, to), and households resolved in it: totals only. */
export async function totalsOnly(db: Db, from: string, to: string): Promise<{ lettersSent: number; householdsResolved: number }> {
	const [r] = await db.unsafe(
		`select (select coalesce(sum(households), 0) from letter_batches where mailed_at >= ${tokyoInstant('$1')} and mailed_at < ${tokyoInstant('$2')})::bigint as letters_sent,
		   (select count(*) from households where resolved_at >= ${tokyoInstant('$1')} and resolved_at < ${tokyoInstant('$2')})::bigint as households_resolved`,
		[from, to]
	);
	return { lettersSent: Number(r.lettersSent), householdsResolved: Number(r.householdsResolved) };
}

/** The statistics kept at erasure for the period (grain = the report's kind), as one row of measures. */
export async function erasedMeasures(db: Db, kind: 'day' | 'month', from: string, to: string): Promise<Partial<ReportMeasures>> {
	const [r] = await db.unsafe(
		`select
		   (select row_to_json(s) from (select coalesce(sum(attempts), 0)::bigint as attempts, coalesce(sum(answered_attempts), 0)::bigint as answered_attempts,
		      coalesce(sum(households_attempted), 0)::bigint as households_attempted, coalesce(sum(households_contacted), 0)::bigint as households_contacted,
		      coalesce(sum(right_party_contacts), 0)::bigint as right_party_contacts, coalesce(sum(promises), 0)::bigint as promises,
		      coalesce(sum(promised_amount), 0)::bigint as promised_amount, coalesce(sum(inbound), 0)::bigint as inbound
		    from stats_calls where grain = $3 and hour is null and segment_id is null and operator_id is null and period >= $1::date and period < $2::date) s) as calls,
		   (select row_to_json(s) from (select coalesce(sum(due - cancelled), 0)::bigint as promises_due, coalesce(sum(kept), 0)::bigint as promises_kept,
		      coalesce(sum(partly_kept), 0)::bigint as promises_partly_kept, coalesce(sum(broken), 0)::bigint as promises_broken
		    from stats_promises where grain = $3 and segment_id is null and period >= $1::date and period < $2::date) s) as promises,
		   (select row_to_json(s) from (select
		      coalesce(sum(handoffs) filter (where reason = 'installment'), 0)::bigint as handoff_installment,
		      coalesce(sum(handoffs) filter (where reason = 'hardship'), 0)::bigint as handoff_hardship,
		      coalesce(sum(handoffs) filter (where reason = 'reduction'), 0)::bigint as handoff_reduction,
		      coalesce(sum(handoffs) filter (where reason = 'complaint'), 0)::bigint as handoff_complaint,
		      coalesce(sum(handoffs) filter (where reason = 'other'), 0)::bigint as handoff_other
		    from stats_handoffs where day >= $1::date and day < $2::date) s) as handoffs,
		   (select coalesce(sum(amount_after_contact), 0)::bigint from stats_payments where grain = $3 and segment_id is null and period >= $1::date and period < $2::date) as collected`,
		[from, to, kind]
	);
	const camel = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()), Number(v)]));
	return { ...camel(r.calls), ...camel(r.promises), ...camel(r.handoffs), collectedAfterContact: Number(r.collected) } as Partial<ReportMeasures>;
}

/** The names the report shows: operators (with their team) and segments. */
export async function names(db: Db, userIds: number[], segmentIds: number[]) {
	const [users, segments] = await Promise.all([
		userIds.length ? db<{ id: number; displayName: string; team: string | null }[]>`select id, display_name, nullif(btrim(normalize(team, NFKC)), '') as team from users where id = any(${userIds}::bigint[])` : [],
		segmentIds.length ? db<{ id: number; nameJa: string; nameEn: string }[]>`select id, name_ja, name_en from segments where id = any(${segmentIds}::bigint[])` : []
	]);
	return { users, segments };
}

/** The report's chart: attempts, right-party contacts and promises per hour (a day) or per day (a month), live. */
export async function series(db: Db, kind: 'day' | 'month', from: string, to: string): Promise<{ bucket: number | string; attempts: number; rightPartyContacts: number; promises: number }[]> {
	const bucket = kind === 'day' ? 'hour::int' : 'day::text';
	return db.unsafe(
		`select ${bucket} as bucket, count(*)::int as attempts, count(distinct household_id) filter (where right_party)::int as right_party_contacts,
		   count(*) filter (where kind = 'promise')::int as promises
		 from (${CALL_ROWS_SQL('', `where c.recorded_at >= ${tokyoInstant('$1')} and c.recorded_at < ${tokyoInstant('$2')}`)}) r
		 group by 1 order by 1`,
		[from, to]
	) as unknown as Promise<{ bucket: number | string; attempts: number; rightPartyContacts: number; promises: number }[]>;
}
