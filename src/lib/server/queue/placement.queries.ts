/** SQL of placement: reading what a placement needs and writing call_queue rows (the queue module owns the table). */
import type { Db } from '../db.ts';
import type { QueueRow } from './claims.queries.ts';
import type { CurrentRow, PlacedRow } from './placement.ts';

const columns = [
	'household_id', 'segment_id', 'priority', 'state', 'next_eligible_at', 'claimed_by', 'claimed_at', 'claim_expires_at', 'attempts', 'version',
	'wait_reason', 'closed_reason', 'callback_at', 'reserved_for', 'reserved_until', 'shares_phone', 'claim_kind', 'priority_detail'
];
const qCols = columns.map((c) => 'q.' + c).join(', ');

export async function activeSegments(db: Db) {
	return db<{ id: number; sortOrder: number; filter: Record<string, unknown>; priorityBoost: number; holdoutShare: number; holdoutSeed: string | null; hasHoldout: boolean }[]>`
		select s.id, s.sort_order, s.filter, s.priority_boost, s.holdout_share::float8 as holdout_share, s.holdout_seed,
		  exists (select 1 from holdout_assignments a where a.segment_id = s.id) as has_holdout
		from segments s where s.active order by s.sort_order, s.id`;
}

/** A household's arm in a segment's holdout (holdout_assignments, migration 00025). */
export interface HoldoutArm {
	segmentId: number;
	householdId: number;
	heldOut: boolean;
}

/** The recorded arms of these households, in every segment. */
export async function holdoutArms(db: Db, ids: number[]): Promise<HoldoutArm[]> {
	return db<HoldoutArm[]>`select segment_id, household_id, held_out from holdout_assignments where household_id = any(${ids}::bigint[])`;
}

/** Record first-seen arms (a row already there wins: an arm never changes). */
export async function recordArms(db: Db, arms: (HoldoutArm & { share: number })[]): Promise<void> {
	if (arms.length === 0) return;
	await db`
		insert into holdout_assignments (segment_id, household_id, held_out, share)
		select * from unnest(${arms.map((a) => String(a.segmentId))}::text[]::bigint[], ${arms.map((a) => String(a.householdId))}::text[]::bigint[],
		  ${arms.map((a) => (a.heldOut ? 'true' : 'false'))}::text[]::boolean[], ${arms.map((a) => String(a.share))}::text[]::numeric[])
		on conflict (segment_id, household_id) do nothing`;
}

export async function householdStatus(db: Db, householdId: number): Promise<string | null> {
	const [r] = await db<{ status: string }[]>`select status from households where id = ${householdId}`;
	return r?.status ?? null;
}

/** The status of each of these households (active, resolved …). */
export async function householdStatuses(db: Db, ids: number[]): Promise<Map<number, string>> {
	const rows = await db<{ id: number; status: string }[]>`select id, status from households where id = any(${ids}::bigint[])`;
	return new Map(rows.map((r) => [Number(r.id), r.status]));
}

/** The current rows, locked for the placement (one household after a call). */
export async function lockCurrent(db: Db, ids: number[]): Promise<CurrentRow[]> {
	return db<CurrentRow[]>`
		select state, next_eligible_at, wait_reason, closed_reason, segment_id from call_queue where household_id = any(${ids}::bigint[])
		order by household_id for update`;
}

/** The current rows of a page, unlocked (the upsert locks them; a claimed row keeps its claim whatever was read). */
export async function currentRows(db: Db, ids: number[]): Promise<(CurrentRow & Omit<PlacedRow, 'state'>)[]> {
	return db<(CurrentRow & Omit<PlacedRow, 'state'>)[]>`
		select household_id, segment_id, priority, priority_detail, state, next_eligible_at, wait_reason, closed_reason,
		  callback_at, reserved_for, reserved_until, shares_phone
		from call_queue where household_id = any(${ids}::bigint[])`;
}

export async function rowsOf(db: Db, ids: number[]): Promise<QueueRow[]> {
	return db<QueueRow[]>`select ${db.unsafe(qCols)} from call_queue q where q.household_id = any(${ids}::bigint[]) order by q.household_id`;
}

/** The open callback of each household (at most one: callbacks_one_open_idx). */
export async function openCallbacks(db: Db, ids: number[]) {
	return db<{ householdId: number; dueAt: Date; onlyMe: boolean; operatorId: number }[]>`
		select household_id, due_at, only_me, operator_id from callbacks where status = 'open' and household_id = any(${ids}::bigint[])`;
}

/** Remove rows that no segment takes (never a claimed one). Returns how many went. */
export async function removeRows(db: Db, ids: number[]): Promise<number> {
	const rows = await db`delete from call_queue where household_id = any(${ids}::bigint[]) and state <> 'claimed' returning household_id`;
	return rows.length;
}

/**
 * A placed row as one JSON array (the statement takes the page as one jsonb parameter: serializing twelve
 * parameter arrays of 5,000 values, the score reasons as text, cost more than the insert itself).
 */
function placedTuple(r: PlacedRow): unknown[] {
	const iso = (d: Date | null) => (d ? d.toISOString() : null);
	return [r.householdId, r.segmentId, r.priority, r.priorityDetail ?? null, r.state, iso(r.nextEligibleAt), r.waitReason, r.closedReason,
		iso(r.callbackAt), r.reservedFor, iso(r.reservedUntil), r.sharesPhone];
}

/**
 * Write placed rows (insert or update). A row claimed meanwhile keeps its claim and state: only its segment,
 * priority and flags change. With onlyChanged, rows whose placement is what it was are not touched (a re-import
 * that changes nothing writes nothing). Returns the rows written (none with `returning: false`: the bulk rebuild
 * does not read them back, and parsing 1,000,000 rows' score reasons cost seconds).
 */
export async function writePlaced(db: Db, rows: PlacedRow[], opts: { onlyChanged?: boolean; returning?: boolean } = {}): Promise<QueueRow[]> {
	const out: QueueRow[] = [];
	for (let i = 0; i < rows.length; i += 5000) {
		const c = rows.slice(i, i + 5000);
		const written = await db<QueueRow[]>`
			insert into call_queue as q (household_id, segment_id, priority, priority_detail, state, next_eligible_at, wait_reason, closed_reason,
			  callback_at, reserved_for, reserved_until, shares_phone)
			select (u->>0)::bigint, (u->>1)::bigint, (u->>2)::bigint, nullif(u->3, 'null'::jsonb), u->>4, (u->>5)::timestamptz, u->>6, u->>7,
			  (u->>8)::timestamptz, (u->>9)::bigint, (u->>10)::timestamptz, (u->>11)::boolean
			from jsonb_array_elements(${db.json(c.map(placedTuple) as never)}) as u
			on conflict (household_id) do update set
			  segment_id = excluded.segment_id, priority = excluded.priority, priority_detail = excluded.priority_detail,
			  callback_at = excluded.callback_at, reserved_for = excluded.reserved_for, reserved_until = excluded.reserved_until,
			  shares_phone = excluded.shares_phone,
			  state = case when q.state = 'claimed' then q.state else excluded.state end,
			  next_eligible_at = case when q.state = 'claimed' then q.next_eligible_at else excluded.next_eligible_at end,
			  wait_reason = case when q.state = 'claimed' then q.wait_reason else excluded.wait_reason end,
			  closed_reason = case when q.state = 'claimed' then q.closed_reason else excluded.closed_reason end,
			  version = q.version + 1, updated_at = now()
			where not ${opts.onlyChanged ?? false}
			   or (q.segment_id, q.priority, q.callback_at, q.reserved_for, q.reserved_until, q.shares_phone)
			      is distinct from (excluded.segment_id, excluded.priority, excluded.callback_at, excluded.reserved_for, excluded.reserved_until, excluded.shares_phone)
			   or q.priority_detail is distinct from excluded.priority_detail
			   or (q.state <> 'claimed' and (q.state, q.next_eligible_at, q.wait_reason, q.closed_reason)
			       is distinct from (excluded.state, excluded.next_eligible_at, excluded.wait_reason, excluded.closed_reason))
			${opts.returning === false ? db`` : db`returning ${db.unsafe(qCols)}`}`;
		out.push(...written);
	}
	return out;
}

/** Ready rows with call history not touched since `since` (a slot boundary), locked for re-scoring. */
export async function staleScores(db: Db, since: Date, limit: number): Promise<{ householdId: number; segmentId: number }[]> {
	return db<{ householdId: number; segmentId: number }[]>`
		select household_id, segment_id from call_queue where state = 'ready' and attempts > 0 and updated_at < ${since}
		order by updated_at limit ${limit} for update skip locked`;
}

export async function writeScores(db: Db, scores: { householdId: number; score: number; reasons: unknown }[]): Promise<void> {
	await db`
		update call_queue q set priority = u.score, priority_detail = u.detail::jsonb, version = q.version + 1, updated_at = now()
		from unnest(${scores.map((s) => s.householdId)}::bigint[], ${scores.map((s) => s.score)}::bigint[],
		  ${scores.map((s) => JSON.stringify(s.reasons))}::text[]) as u(household_id, score, detail)
		where q.household_id = u.household_id and q.state = 'ready'`;
}

/** Mark the queue rows of the households sharing a callable number with this one as sharing (claims check them). */
export async function flagSharers(db: Db, householdId: number): Promise<void> {
	await db`
		update call_queue q set shares_phone = true
		where not q.shares_phone and q.household_id in (
			select o.household_id from phones p join phones o on o.digits = p.digits and o.household_id <> p.household_id and o.valid and o.status = 'active'
			where p.household_id = ${householdId} and p.valid and p.status = 'active' and p.digits is not null)`;
}
