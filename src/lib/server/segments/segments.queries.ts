/**
 * SQL of the segments and operator_segments tables: segments with their live queue counts, saves guarded by the
 * row's version (optimistic: a save names the version it started from and changes nothing when someone saved
 * first), operator assignments, and the distinct values the filter form offers.
 */
import type { Db } from '../db.ts';

export interface SegmentRow {
	id: number;
	code: string;
	nameJa: string;
	nameEn: string;
	description: string | null;
	filter: Record<string, unknown>;
	sortOrder: number;
	active: boolean;
	version: number;
	createdAt: Date;
	updatedAt: Date;
	/** the share of newly seen households held out (0–0.5; migration 00025) */
	holdoutShare: number;
	/** when a share above 0 was first set (null: never) */
	holdoutStartedAt: Date | null;
}

/** A segment's households in the queue, by state (call_queue.segment_id). */
export interface SegmentCounts {
	ready: number;
	claimed: number;
	waiting: number;
	closed: number;
}

const segmentCols = 'id, code, name_ja, name_en, description, filter, sort_order, active, version, created_at, updated_at, holdout_share::float8 as holdout_share, holdout_started_at';

export async function listSegments(db: Db): Promise<SegmentRow[]> {
	return db<SegmentRow[]>`select ${db.unsafe(segmentCols)} from segments order by sort_order, id`;
}

export async function segmentById(db: Db, id: number): Promise<SegmentRow | undefined> {
	const [r] = await db<SegmentRow[]>`select ${db.unsafe(segmentCols)} from segments where id = ${id}`;
	return r;
}

/** The segment's row locked for a save (so that the re-placement after it sees one order of segments). */
export async function lockSegment(db: Db, id: number): Promise<SegmentRow | undefined> {
	const [r] = await db<SegmentRow[]>`select ${db.unsafe(segmentCols)} from segments where id = ${id} for update`;
	return r;
}

/**
 * Queue counts per segment, by state. One pass over call_queue (a sequential scan at a million households takes
 * a few hundred milliseconds: fine for a supervisor's page, not for a claim).
 */
export async function countsBySegment(db: Db): Promise<Map<number, SegmentCounts>> {
	const rows = await db<({ segmentId: number } & SegmentCounts)[]>`
		select segment_id,
		  count(*) filter (where state = 'ready')::int as ready,
		  count(*) filter (where state = 'claimed')::int as claimed,
		  count(*) filter (where state = 'waiting')::int as waiting,
		  count(*) filter (where state = 'closed')::int as closed
		from call_queue group by segment_id`;
	return new Map(rows.map(({ segmentId, ...c }) => [segmentId, c]));
}

export interface SegmentInput {
	code: string;
	nameJa: string;
	nameEn: string;
	description: string | null;
	filter: Record<string, unknown>;
	sortOrder: number;
	/** the holdout share (0–0.5); undefined on an update: unchanged */
	holdoutShare?: number;
	/** a fresh random seed, used only when the segment has none yet and the share is above 0 */
	holdoutSeed?: string;
}

/** Insert a segment; undefined when the code is taken. */
export async function insertSegment(db: Db, s: SegmentInput): Promise<SegmentRow | undefined> {
	const share = s.holdoutShare ?? 0;
	const [r] = await db<SegmentRow[]>`
		insert into segments (code, name_ja, name_en, description, filter, sort_order, holdout_share, holdout_seed, holdout_started_at)
		values (${s.code}, ${s.nameJa}, ${s.nameEn}, ${s.description}, ${db.json(s.filter as never)}, ${s.sortOrder}, ${share},
		  ${share > 0 ? (s.holdoutSeed ?? null) : null}, ${share > 0 ? db`now()` : null})
		on conflict (code) do nothing
		returning ${db.unsafe(segmentCols)}`;
	return r;
}

/** Save a segment if it is still at `expectedVersion`; undefined when someone saved first (or it is gone). */
export async function updateSegment(db: Db, id: number, expectedVersion: number, s: Omit<SegmentInput, 'code'>): Promise<SegmentRow | undefined> {
	const [r] = await db<SegmentRow[]>`
		update segments set name_ja = ${s.nameJa}, name_en = ${s.nameEn}, description = ${s.description},
		  filter = ${db.json(s.filter as never)}, sort_order = ${s.sortOrder}, version = version + 1, updated_at = now()
		  ${s.holdoutShare === undefined ? db`` : db`, holdout_share = ${s.holdoutShare}::numeric,
		    holdout_seed = case when ${s.holdoutShare}::numeric > 0 then coalesce(holdout_seed, ${s.holdoutSeed ?? null}) else holdout_seed end,
		    holdout_started_at = case when ${s.holdoutShare}::numeric > 0 then coalesce(holdout_started_at, now()) else holdout_started_at end`}
		where id = ${id} and version = ${expectedVersion}
		returning ${db.unsafe(segmentCols)}`;
	return r;
}

/** Pause or resume a segment if it is still at `expectedVersion`. */
export async function setSegmentActive(db: Db, id: number, expectedVersion: number, active: boolean): Promise<SegmentRow | undefined> {
	const [r] = await db<SegmentRow[]>`
		update segments set active = ${active}, version = version + 1, updated_at = now()
		where id = ${id} and version = ${expectedVersion}
		returning ${db.unsafe(segmentCols)}`;
	return r;
}

export interface OperatorRow {
	id: number;
	loginId: string;
	displayName: string;
	/** the version of the operator's set of segments (operator_assignment_versions, migration 00015; 1 = never changed) */
	assignmentVersion: number;
}

/** Operators who may be assigned (enabled accounts with the operator role). */
export async function assignableOperators(db: Db): Promise<OperatorRow[]> {
	return db<OperatorRow[]>`
		select u.id, u.login_id, u.display_name, coalesce(v.version, 1)::int as assignment_version
		from users u left join operator_assignment_versions v on v.user_id = u.id
		where u.role = 'operator' and u.disabled_at is null order by u.login_id`;
}

/** The operators' assignment versions, their rows locked (created at 1 when absent), for a versioned save. */
export async function lockAssignmentVersions(db: Db, userIds: number[]): Promise<Map<number, number>> {
	if (userIds.length === 0) return new Map();
	await db`insert into operator_assignment_versions (user_id, version) select u, 1 from unnest(${userIds}::bigint[]) as u
		where exists (select 1 from users where id = u) on conflict (user_id) do nothing`;
	const rows = await db<{ userId: number; version: number }[]>`
		select user_id, version from operator_assignment_versions where user_id = any(${userIds}::bigint[]) order by user_id for update`;
	return new Map(rows.map((r) => [Number(r.userId), Number(r.version)]));
}

export async function assignments(db: Db): Promise<{ userId: number; segmentId: number }[]> {
	return db<{ userId: number; segmentId: number }[]>`select user_id, segment_id from operator_segments order by user_id, segment_id`;
}

/**
 * Within the operators × segments the form showed, make the assignments exactly `pairs` (assignments outside
 * that scope stay). Returns the pairs added and removed. Only operators' accounts are assigned: an id of another
 * role is ignored.
 */
export async function replaceAssignments(
	db: Db,
	operatorIds: number[],
	segmentIds: number[],
	pairs: { userId: number; segmentId: number }[],
	by: number | null
): Promise<{ added: { userId: number; segmentId: number }[]; removed: { userId: number; segmentId: number }[] }> {
	const removed = await db<{ userId: number; segmentId: number }[]>`
		delete from operator_segments os
		where os.user_id = any(${operatorIds}::bigint[]) and os.segment_id = any(${segmentIds}::bigint[])
		  and not exists (select 1 from unnest(${pairs.map((p) => p.userId)}::bigint[], ${pairs.map((p) => p.segmentId)}::bigint[]) as k(uid, sid)
		                  where k.uid = os.user_id and k.sid = os.segment_id)
		returning os.user_id, os.segment_id`;
	const added = await db<{ userId: number; segmentId: number }[]>`
		insert into operator_segments (user_id, segment_id, assigned_by)
		select k.uid, k.sid, ${by} from unnest(${pairs.map((p) => p.userId)}::bigint[], ${pairs.map((p) => p.segmentId)}::bigint[]) as k(uid, sid)
		join users u on u.id = k.uid and u.role = 'operator'
		join segments s on s.id = k.sid
		where k.uid = any(${operatorIds}::bigint[]) and k.sid = any(${segmentIds}::bigint[])
		on conflict do nothing
		returning user_id, segment_id`;
	return { added, removed };
}

/** The values the filter form offers as choices: what the data holds now. */
export async function filterChoices(db: Db) {
	const [languages, nationalities, districts, cardClasses] = await Promise.all([
		db<{ v: string; n: number }[]>`select language as v, count(*)::int as n from households where status = 'active' group by 1 order by 2 desc, 1`,
		db<{ v: string; n: number }[]>`
			select nationality as v, count(*)::int as n from (
			  select distinct on (household_id) household_id, nationality from persons
			  where nationality is not null and household_id is not null
			  order by household_id, (relationship = '世帯主') desc, fiscal_year desc) p
			group by 1 order by 2 desc, 1`,
		db<{ v: string; n: number }[]>`select district as v, count(*)::int as n from households where status = 'active' and district is not null group by 1 order by 1`,
		db<{ v: string; n: number }[]>`select card_class as v, count(distinct household_id)::int as n from household_years where card_class is not null group by 1 order by 1`
	]);
	return { languages, nationalities, districts, cardClasses };
}

/** A household's id by its 国保記号番号 (the explain page's search box). */
export async function householdIdByNhi(db: Db, nhiNumber: string): Promise<number | undefined> {
	const [r] = await db<{ id: number }[]>`select id from households where nhi_number = ${nhiNumber}`;
	return r?.id;
}

export interface QueuePlace {
	householdId: number;
	segmentId: number;
	priority: number;
	state: string;
	nextEligibleAt: Date | null;
	waitReason: string | null;
	closedReason: string | null;
	claimedBy: number | null;
	claimedByName: string | null;
	claimExpiresAt: Date | null;
	reservedFor: number | null;
	reservedForName: string | null;
	reservedUntil: Date | null;
	callbackAt: Date | null;
	sharesPhone: boolean;
	attempts: number;
	lastAttemptAt: Date | null;
	priorityDetail: unknown;
	updatedAt: Date;
}

/** The household's row in the queue, with who holds it or has it reserved. */
export async function queuePlace(db: Db, householdId: number): Promise<QueuePlace | undefined> {
	const [r] = await db<QueuePlace[]>`
		select q.household_id, q.segment_id, q.priority, q.state, q.next_eligible_at, q.wait_reason, q.closed_reason,
		  q.claimed_by, cu.display_name as claimed_by_name, q.claim_expires_at, q.reserved_for, ru.display_name as reserved_for_name,
		  q.reserved_until, q.callback_at, q.shares_phone, q.attempts, q.last_attempt_at, q.priority_detail, q.updated_at
		from call_queue q
		left join users cu on cu.id = q.claimed_by
		left join users ru on ru.id = q.reserved_for
		where q.household_id = ${householdId}`;
	return r;
}

/**
 * Its place in its segment's ready order: 1 + the ready households of the segment that a claim reads before it
 * (higher priority, or equal priority and a lower id: the claim's `order by priority desc, household_id`).
 */
export async function placeInLine(db: Db, segmentId: number, priority: number, householdId: number): Promise<number> {
	const [r] = await db<{ n: number }[]>`
		select count(*)::int as n from call_queue
		where state = 'ready' and segment_id = ${segmentId}
		  and (priority > ${priority} or (priority = ${priority} and household_id < ${householdId}))`;
	return r.n + 1;
}

/** Number of ready households in a segment. */
export async function readyCount(db: Db, segmentId: number): Promise<number> {
	const [r] = await db<{ n: number }[]>`select count(*)::int as n from call_queue where state = 'ready' and segment_id = ${segmentId}`;
	return r.n;
}

/** The household's 国保記号番号 (the page's heading; the supervisor may read the identity group). */
export async function nhiNumberOf(db: Db, householdId: number): Promise<string | undefined> {
	const [r] = await db<{ nhiNumber: string }[]>`select nhi_number from households where id = ${householdId}`;
	return r?.nhiNumber;
}

/** Households with a recorded holdout arm, per segment: held out and called (holdout_assignments). */
export async function holdoutCounts(db: Db): Promise<Map<number, { heldOut: number; called: number }>> {
	const rows = await db<{ segmentId: number; heldOut: number; called: number }[]>`
		select segment_id, count(*) filter (where held_out)::int as held_out, count(*) filter (where not held_out)::int as called
		from holdout_assignments group by segment_id`;
	return new Map(rows.map(({ segmentId, ...c }) => [segmentId, c]));
}
