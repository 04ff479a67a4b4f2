/**
 * The call measures of spec/kpis.md as SQL, written once: the reports' live queries and the statistics kept at
 * erasure (src/lib/server/erasure/erasure.queries.ts) use these same fragments, so a figure read from the detail
 * today and the same figure read from the statistics after an erasure cannot be computed differently.
 */

/**
 * One row per call with what the measures need (Tokyo day and hour, segment 0 when none, operator, household,
 * outcome flags, the amount promised on the call). `join` narrows the calls (e.g. to households being erased),
 * `where` to a time range; both are SQL text written in code, never user input.
 */
export const CALL_ROWS_SQL = (join = '', where = '') => `
	select (c.recorded_at at time zone 'Asia/Tokyo')::date as day,
	  extract(hour from c.recorded_at at time zone 'Asia/Tokyo')::smallint as hour,
	  coalesce(c.segment_id, 0)::bigint as segment_id, c.operator_id, c.household_id, c.direction, c.outcome_code,
	  o.answered, o.right_party, o.kind,
	  coalesce(p.amount, 0)::bigint as promised
	from calls c ${join}
	join outcome_codes o on o.code = c.outcome_code
	left join lateral (select sum(pr.amount) as amount from promises pr where pr.call_id = c.id) p on true
	${where}`;

/**
 * The measures over rows of CALL_ROWS_SQL, in the column order of stats_calls: 架電件数, answered attempts,
 * 架電世帯数, households contacted (接触), 本人接触 (households), promises, 約束金額, inbound calls, handoffs.
 * Distinct-household counts are exact within one group only.
 */
export const CALL_MEASURES_SQL = `
	count(*)::bigint as attempts,
	count(*) filter (where answered)::bigint as answered_attempts,
	count(distinct household_id)::bigint as households_attempted,
	count(distinct household_id) filter (where answered)::bigint as households_contacted,
	count(distinct household_id) filter (where right_party)::bigint as right_party_contacts,
	count(*) filter (where kind = 'promise')::bigint as promises,
	coalesce(sum(promised), 0)::bigint as promised_amount,
	count(*) filter (where direction = 'inbound')::bigint as inbound,
	count(*) filter (where kind = 'handoff')::bigint as handoffs`;

/** The measure columns, as stats_calls names them. */
export const CALL_MEASURE_COLUMNS = [
	'attempts',
	'answered_attempts',
	'households_attempted',
	'households_contacted',
	'right_party_contacts',
	'promises',
	'promised_amount',
	'inbound',
	'handoffs'
] as const;
