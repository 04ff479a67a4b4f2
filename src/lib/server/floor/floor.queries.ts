/**
 * SQL of the supervisor's floor controls (migration 00015): the day's targets and the thresholds (saves guarded by
 * their version), operators' assignment versions, messages, today's changes, and `floorControls(db)`: everything
 * the console's controls show, read in one pipelined round trip (the live engine calls it once per recompute,
 * never per viewer).
 */
import type { Db } from '../db.ts';
import { tokyoDate } from '../../domain/format.ts';
import {
	defaultThresholds,
	FEED_LIMIT,
	type BoardOperator,
	type BoardSegment,
	type ChangeKind,
	type DayTargets,
	type FloorChange,
	type FloorControls,
	type FloorThresholds,
	type HeldClaim
} from '../../domain/floor-controls.ts';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** The start of a Tokyo date as an instant. */
export function tokyoDayStart(day: string): Date {
	return new Date(`${day}T00:00:00+09:00`);
}

// ─── targets and thresholds ─────────────────────────────────────────────────

export async function dayTargets(db: Db, day: string): Promise<DayTargets> {
	const [r] = await db<{ attempts: number; contacts: number; promises: number; promisedAmount: string; version: string; updatedAt: Date; updatedBy: string | null }[]>`
		select t.attempts, t.contacts, t.promises, t.promised_amount, t.version, t.updated_at, u.display_name as updated_by
		from floor_targets t left join users u on u.id = t.updated_by where t.day = ${day}`;
	if (!r) return { day, attempts: 0, contacts: 0, promises: 0, promisedAmount: 0, version: 0, updatedAt: null, updatedBy: null };
	return { day, attempts: r.attempts, contacts: r.contacts, promises: r.promises, promisedAmount: Number(r.promisedAmount), version: Number(r.version), updatedAt: iso(r.updatedAt), updatedBy: r.updatedBy };
}

export interface TargetsInput {
	attempts: number;
	contacts: number;
	promises: number;
	promisedAmount: number;
}

/**
 * Save a day's targets if they are still at `expectedVersion` (0: none set yet). Returns false when someone saved
 * first (nothing written). The day's row is locked first (or created at version 0 and locked).
 */
export async function saveTargets(db: Db, day: string, expectedVersion: number, t: TargetsInput, by: number | null): Promise<boolean> {
	const [cur] = await db<{ version: string }[]>`select version from floor_targets where day = ${day} for update`;
	const version = cur ? Number(cur.version) : 0;
	if (version !== expectedVersion) return false;
	if (!cur) {
		// two first saves at once: the primary key lets one in; the other changes nothing
		const ins = await db`
			insert into floor_targets (day, attempts, contacts, promises, promised_amount, version, updated_by)
			values (${day}, ${t.attempts}, ${t.contacts}, ${t.promises}, ${t.promisedAmount}, 1, ${by})
			on conflict (day) do nothing`;
		return ins.count === 1;
	}
	await db`
		update floor_targets set attempts = ${t.attempts}, contacts = ${t.contacts}, promises = ${t.promises}, promised_amount = ${t.promisedAmount},
		  version = version + 1, updated_by = ${by}, updated_at = now()
		where day = ${day}`;
	return true;
}

export async function thresholds(db: Db): Promise<FloorThresholds> {
	const [r] = await db<{ longCallMinutes: number; longBreakMinutes: number; version: string; updatedAt: Date; updatedBy: string | null }[]>`
		select t.long_call_minutes, t.long_break_minutes, t.version, t.updated_at, u.display_name as updated_by
		from floor_thresholds t left join users u on u.id = t.updated_by where t.id = 1`;
	if (!r) return { ...defaultThresholds, version: 1, updatedAt: null, updatedBy: null };
	return { longCallMinutes: r.longCallMinutes, longBreakMinutes: r.longBreakMinutes, version: Number(r.version), updatedAt: iso(r.updatedAt), updatedBy: r.updatedBy };
}

/** Save the thresholds if still at `expectedVersion`; false when someone saved first. */
export async function saveThresholds(db: Db, expectedVersion: number, t: { longCallMinutes: number; longBreakMinutes: number }, by: number | null): Promise<boolean> {
	// the row is created by the migration; a database emptied by tests may lack it (then it is at version 1)
	await db`insert into floor_thresholds (id) values (1) on conflict (id) do nothing`;
	const r = await db`
		update floor_thresholds set long_call_minutes = ${t.longCallMinutes}, long_break_minutes = ${t.longBreakMinutes},
		  version = version + 1, updated_by = ${by}, updated_at = now()
		where id = 1 and version = ${expectedVersion}`;
	return r.count === 1;
}

// ─── assignments ────────────────────────────────────────────────────────────

/** An operator's segments and the version of that set, the versions row locked (created when absent). */
export async function lockAssignment(db: Db, userId: number): Promise<{ version: number; segmentIds: number[] }> {
	await db`insert into operator_assignment_versions (user_id, version) values (${userId}, 1) on conflict (user_id) do nothing`;
	const [v] = await db<{ version: string }[]>`select version from operator_assignment_versions where user_id = ${userId} for update`;
	const rows = await db<{ segmentId: number }[]>`select segment_id from operator_segments where user_id = ${userId} order by segment_id`;
	return { version: Number(v.version), segmentIds: rows.map((r) => r.segmentId) };
}

export async function assignmentVersion(db: Db, userId: number): Promise<number> {
	const [v] = await db<{ version: string }[]>`select version from operator_assignment_versions where user_id = ${userId}`;
	return v ? Number(v.version) : 1;
}

/** Make the operator's segments exactly `segmentIds`; returns those added and removed. */
export async function setOperatorSegments(db: Db, userId: number, segmentIds: number[], by: number | null): Promise<{ added: number[]; removed: number[] }> {
	const removed = await db<{ segmentId: number }[]>`
		delete from operator_segments where user_id = ${userId} and not (segment_id = any(${segmentIds}::bigint[])) returning segment_id`;
	const added = await db<{ segmentId: number }[]>`
		insert into operator_segments (user_id, segment_id, assigned_by)
		select ${userId}, s.id, ${by} from segments s where s.id = any(${segmentIds}::bigint[])
		on conflict do nothing returning segment_id`;
	return { added: added.map((r) => r.segmentId), removed: removed.map((r) => r.segmentId) };
}

export interface OperatorRef {
	id: number;
	loginId: string;
	displayName: string;
	role: string;
	disabled: boolean;
}

export async function userById(db: Db, id: number): Promise<OperatorRef | undefined> {
	const [r] = await db<OperatorRef[]>`select id, login_id, display_name, role, disabled_at is not null as disabled from users where id = ${id}`;
	return r;
}

/** An operator's segments now, in the queue's order (the desk's notice of a changed assignment). */
export async function operatorSegmentList(db: Db, userId: number): Promise<{ id: number; nameJa: string; nameEn: string }[]> {
	return db<{ id: number; nameJa: string; nameEn: string }[]>`
		select s.id, s.name_ja, s.name_en from operator_segments os join segments s on s.id = os.segment_id
		where os.user_id = ${userId} order by s.sort_order, s.id`;
}

export async function segmentNames(db: Db, ids: number[]): Promise<Map<number, { code: string; nameJa: string; nameEn: string }>> {
	if (ids.length === 0) return new Map();
	const rows = await db<{ id: number; code: string; nameJa: string; nameEn: string }[]>`select id, code, name_ja, name_en from segments where id = any(${ids}::bigint[])`;
	return new Map(rows.map((r) => [r.id, { code: r.code, nameJa: r.nameJa, nameEn: r.nameEn }]));
}

// ─── claims ─────────────────────────────────────────────────────────────────

/** A claimed household's row locked (for a supervisor's release). */
export async function lockClaim(db: Db, householdId: number): Promise<{ state: string; claimedBy: number | null; segmentId: number; version: number } | undefined> {
	const [r] = await db<{ state: string; claimedBy: string | null; segmentId: number; version: string }[]>`
		select state, claimed_by, segment_id, version from call_queue where household_id = ${householdId} for update`;
	return r ? { state: r.state, claimedBy: r.claimedBy === null ? null : Number(r.claimedBy), segmentId: r.segmentId, version: Number(r.version) } : undefined;
}

export async function heldClaims(db: Db): Promise<HeldClaim[]> {
	const rows = await db<{ householdId: number; segmentId: number; operatorId: number; operatorName: string; claimedAt: Date | null; claimExpiresAt: Date; version: string }[]>`
		select q.household_id, q.segment_id, q.claimed_by as operator_id, u.display_name as operator_name, q.claimed_at, q.claim_expires_at, q.version
		from call_queue q join users u on u.id = q.claimed_by
		where q.state = 'claimed' order by q.claimed_at nulls first, q.household_id limit 500`;
	return rows.map((r) => ({ ...r, operatorId: Number(r.operatorId), claimedAt: iso(r.claimedAt), claimExpiresAt: iso(r.claimExpiresAt)!, version: Number(r.version) }));
}

// ─── messages ───────────────────────────────────────────────────────────────

/** Enabled operators: all, or those assigned to a segment. */
export async function operatorIds(db: Db, segmentId?: number): Promise<number[]> {
	const rows =
		segmentId === undefined
			? await db<{ id: number }[]>`select id from users where role = 'operator' and disabled_at is null order by id`
			: await db<{ id: number }[]>`
				select u.id from users u join operator_segments os on os.user_id = u.id
				where os.segment_id = ${segmentId} and u.role = 'operator' and u.disabled_at is null order by u.id`;
	return rows.map((r) => Number(r.id));
}

export async function insertMessage(
	db: Db,
	m: { senderId: number | null; targetKind: string; targetUserId: number | null; targetSegmentId: number | null; body: string; recipients: number[] }
): Promise<{ id: number; createdAt: Date }> {
	const [r] = await db<{ id: number; createdAt: Date }[]>`
		insert into floor_messages (sender_id, target_kind, target_user_id, target_segment_id, body, recipients)
		values (${m.senderId}, ${m.targetKind}, ${m.targetUserId}, ${m.targetSegmentId}, ${m.body}, ${m.recipients}::bigint[])
		returning id, created_at`;
	return { id: Number(r.id), createdAt: r.createdAt };
}

// ─── today's changes ────────────────────────────────────────────────────────

export async function insertChange(db: Db, c: { userId: number | null; userName: string; what: ChangeKind; params: Record<string, unknown> }): Promise<Date> {
	const [r] = await db<{ at: Date }[]>`
		insert into floor_changes (user_id, user_name, what, params) values (${c.userId}, ${c.userName}, ${c.what}, ${db.json(c.params as never)}) returning at`;
	return r.at;
}

export async function changesSince(db: Db, since: Date, limit = FEED_LIMIT): Promise<FloorChange[]> {
	const rows = await db<{ id: string; at: Date; userId: string | null; userName: string; what: ChangeKind; params: Record<string, string | number | null> }[]>`
		select id, at, user_id, user_name, what, params from floor_changes where at >= ${since} order by at desc, id desc limit ${limit}`;
	return rows.map((r) => ({ id: Number(r.id), at: iso(r.at)!, by: { id: r.userId === null ? null : Number(r.userId), name: r.userName }, what: r.what, params: r.params }));
}

// ─── the board ──────────────────────────────────────────────────────────────

export async function board(db: Db): Promise<{ segments: BoardSegment[]; operators: BoardOperator[] }> {
	const [segments, operators] = await Promise.all([
		db<{ id: number; code: string; nameJa: string; nameEn: string; active: boolean; sortOrder: number; version: string; ready: number; claimed: number }[]>`
			select s.id, s.code, s.name_ja, s.name_en, s.active, s.sort_order, s.version,
			  coalesce(c.ready, 0)::int as ready, coalesce(c.claimed, 0)::int as claimed
			from segments s
			left join (select segment_id, count(*) filter (where state = 'ready') as ready, count(*) filter (where state = 'claimed') as claimed
			           from call_queue where state in ('ready', 'claimed') group by segment_id) c on c.segment_id = s.id
			order by s.sort_order, s.id`,
		db<{ id: number; loginId: string; displayName: string; version: string | null; segmentIds: number[] | null }[]>`
			select u.id, u.login_id, u.display_name, v.version,
			  (select array_agg(os.segment_id order by os.segment_id) from operator_segments os where os.user_id = u.id) as segment_ids
			from users u left join operator_assignment_versions v on v.user_id = u.id
			where u.role = 'operator' and u.disabled_at is null order by u.login_id`
	]);
	return {
		segments: segments.map((s) => ({ ...s, version: Number(s.version) })),
		operators: operators.map((o) => ({ id: Number(o.id), loginId: o.loginId, displayName: o.displayName, version: o.version === null ? 1 : Number(o.version), segmentIds: (o.segmentIds ?? []).map(Number) }))
	};
}

/**
 * Everything the console's controls show (issue #6 contract: the live engine adds it to the floor snapshot, and
 * `targets` to the wall's). Five independent reads sent together (pipelined on one connection in a transaction,
 * in parallel on a pool).
 */
export async function floorControls(
	db: Db,
	opts: { now?: Date; configured?: { longCallMinutes: number; longBreakMinutes: number } } = {}
): Promise<FloorControls> {
	const day = tokyoDate(opts.now ?? new Date());
	const [targets, th, changes, b, claims] = await Promise.all([dayTargets(db, day), thresholds(db), changesSince(db, tokyoDayStart(day)), board(db), heldClaims(db)]);
	// never saved by a supervisor (version 1): the configured thresholds (LONG_CALL_MINUTES, LONG_BREAK_MINUTES) are in force
	const inForce = th.version === 1 && opts.configured ? { ...th, ...opts.configured } : th;
	return { day, targets, thresholds: inForce, changes, board: b, claims };
}
