/**
 * SQL of operator training (issue #9; migration 00021_training): courses, sessions, attendance, and the
 * privacy-training fact the session lookup reads (sessions.queries.ts) for the gate on real data.
 */
import type { Db } from '../db.ts';
import type { AttendanceStatus, CourseInput, CourseKind, ExportRow } from '../../domain/training.ts';

/**
 * SQL expression: the user whose id is in `userIdColumn` has a completion of a privacy course recorded. Used in
 * the session and user lookups (one indexed probe: training_attendance_user_idx).
 */
export function privacyTrainedSql(userIdColumn: string): string {
	return `exists (select 1 from training_attendance ta join training_sessions ts on ts.id = ta.session_id
	  join training_courses tc on tc.id = ts.course_id
	  where ta.user_id = ${userIdColumn} and ta.status = 'completed' and tc.kind = 'privacy')`;
}

export interface CourseRow {
	id: number;
	code: string;
	titleJa: string;
	titleEn: string;
	kind: CourseKind;
	description: string;
}

export async function courses(db: Db): Promise<CourseRow[]> {
	return db<CourseRow[]>`select id, code, title_ja, title_en, kind, description from training_courses order by case kind when 'privacy' then 0 else 1 end, id`;
}

export async function insertCourse(db: Db, c: CourseInput, by: number | null): Promise<number | null> {
	const [r] = await db<{ id: number }[]>`
		insert into training_courses (code, title_ja, title_en, kind, description, created_by)
		values (${c.code}, ${c.titleJa}, ${c.titleEn}, ${c.kind}, ${c.description}, ${by})
		on conflict (code) do nothing returning id`;
	return r?.id ?? null;
}

export async function courseExists(db: Db, id: number): Promise<boolean> {
	const [r] = await db`select 1 from training_courses where id = ${id}`;
	return !!r;
}

export interface SessionRow {
	id: number;
	courseId: number;
	startsAt: Date;
	durationMinutes: number;
	place: string;
	trainer: string;
}

export async function insertSession(db: Db, s: Omit<SessionRow, 'id'>, by: number | null): Promise<number> {
	const [r] = await db<{ id: number }[]>`
		insert into training_sessions (course_id, starts_at, duration_minutes, place, trainer, created_by)
		values (${s.courseId}, ${s.startsAt}, ${s.durationMinutes}, ${s.place}, ${s.trainer}, ${by}) returning id`;
	return r.id;
}

/** Users (enabled) among these ids. */
export async function enabledUsers(db: Db, ids: number[]): Promise<number[]> {
	const rows = await db<{ id: number }[]>`select id from users where id = any(${ids}::bigint[]) and disabled_at is null`;
	return rows.map((r) => r.id);
}

export async function invite(db: Db, sessionId: number, userIds: number[]): Promise<void> {
	if (userIds.length === 0) return;
	await db`
		insert into training_attendance (session_id, user_id)
		select ${sessionId}, u from unnest(${userIds}::bigint[]) u on conflict do nothing`;
}

/** True when the session exists and begins after now (false for an unknown session: setAttendance says not found). */
export async function sessionStartsInFuture(db: Db, sessionId: number): Promise<boolean> {
	const [r] = await db<{ future: boolean }[]>`select starts_at > now() as future from training_sessions where id = ${sessionId}`;
	return r?.future ?? false;
}

export async function setAttendance(db: Db, sessionId: number, userId: number, status: AttendanceStatus, by: number | null): Promise<boolean> {
	const rows = await db`
		insert into training_attendance (session_id, user_id, status, recorded_by, recorded_at)
		select ${sessionId}, ${userId}, ${status}, ${by}, now()
		where exists (select 1 from training_sessions where id = ${sessionId}) and exists (select 1 from users where id = ${userId})
		on conflict (session_id, user_id) do update set status = excluded.status, recorded_by = excluded.recorded_by, recorded_at = now()
		returning 1`;
	return rows.length > 0;
}

export interface PlanSession extends SessionRow {
	courseCode: string;
	courseTitleJa: string;
	courseTitleEn: string;
	courseKind: CourseKind;
	attendees: { userId: number; loginId: string; displayName: string; status: AttendanceStatus; recordedAt: Date | null }[];
}

/** Sessions from `from` on (and the last 90 days' when `from` is null), with their attendees. */
export async function plan(db: Db, opts: { from?: Date | null; limit?: number } = {}): Promise<PlanSession[]> {
	return db<PlanSession[]>`
		select s.id, s.course_id, s.starts_at, s.duration_minutes, s.place, s.trainer,
		  c.code as course_code, c.title_ja as course_title_ja, c.title_en as course_title_en, c.kind as course_kind,
		  coalesce((select json_agg(json_build_object('userId', u.id, 'loginId', u.login_id, 'displayName', u.display_name,
		              'status', a.status, 'recordedAt', a.recorded_at) order by u.display_name, u.id)
		            from training_attendance a join users u on u.id = a.user_id where a.session_id = s.id), '[]') as attendees
		from training_sessions s join training_courses c on c.id = s.course_id
		where s.starts_at >= coalesce(${opts.from ?? null}::timestamptz, now() - interval '90 days')
		order by s.starts_at, s.id
		limit ${opts.limit ?? 200}`;
}

export interface UserTrainingRow {
	userId: number;
	loginId: string;
	displayName: string;
	role: string;
	disabled: boolean;
	privacyCompletedAt: Date | null;
	completed: number;
	planned: number;
}

/** Every enabled operator (and supervisor) with their privacy completion and counts. */
export async function people(db: Db): Promise<UserTrainingRow[]> {
	return db<UserTrainingRow[]>`
		select u.id as user_id, u.login_id, u.display_name, u.role, u.disabled_at is not null as disabled,
		  (select max(a.recorded_at) from training_attendance a join training_sessions s on s.id = a.session_id
		     join training_courses c on c.id = s.course_id where a.user_id = u.id and a.status = 'completed' and c.kind = 'privacy') as privacy_completed_at,
		  (select count(*) from training_attendance a where a.user_id = u.id and a.status = 'completed')::int as completed,
		  (select count(*) from training_attendance a join training_sessions s on s.id = a.session_id
		     where a.user_id = u.id and a.status = 'planned' and s.starts_at >= now() - interval '1 day')::int as planned
		from users u
		where u.role in ('operator', 'supervisor') and u.disabled_at is null
		order by u.role, u.display_name, u.id`;
}

export interface OwnRecord {
	sessionId: number;
	courseTitleJa: string;
	courseTitleEn: string;
	courseKind: CourseKind;
	startsAt: Date;
	durationMinutes: number;
	place: string;
	status: AttendanceStatus;
	recordedAt: Date | null;
}

export async function recordsOf(db: Db, userId: number): Promise<OwnRecord[]> {
	return db<OwnRecord[]>`
		select s.id as session_id, c.title_ja as course_title_ja, c.title_en as course_title_en, c.kind as course_kind,
		  s.starts_at, s.duration_minutes, s.place, a.status, a.recorded_at
		from training_attendance a join training_sessions s on s.id = a.session_id join training_courses c on c.id = s.course_id
		where a.user_id = ${userId}
		order by s.starts_at desc, s.id desc`;
}

export async function courseByCode(db: Db, code: string): Promise<CourseRow | undefined> {
	const [r] = await db<CourseRow[]>`select id, code, title_ja, title_en, kind, description from training_courses where code = ${code}`;
	return r;
}

/** Enabled users by login id (the others are missing from the answer). */
export async function usersByLoginId(db: Db, loginIds: string[]): Promise<{ id: number; loginId: string }[]> {
	return db<{ id: number; loginId: string }[]>`select id, login_id from users where login_id = any(${loginIds}::text[]) and disabled_at is null`;
}

/** Every attendance row for the audit export, oldest first. */
export async function exportRows(db: Db): Promise<ExportRow[]> {
	return db<ExportRow[]>`
		select u.login_id, u.display_name, u.role, c.code as course_code, c.title_ja as course_title_ja, c.kind as course_kind,
		  s.starts_at, s.duration_minutes, s.place, s.trainer, a.status, a.recorded_at, r.login_id as recorded_by
		from training_attendance a join training_sessions s on s.id = a.session_id join training_courses c on c.id = s.course_id
		  join users u on u.id = a.user_id left join users r on r.id = a.recorded_by
		order by s.starts_at, s.id, u.login_id`;
}

/**
 * Record a completed privacy training for users (the demo's operators, tests' and benchmarks' operators): one
 * session of the privacy course now, each user completed.
 */
export async function recordPrivacyCompleted(db: Db, userIds: number[], opts: { trainer?: string; by?: number | null } = {}): Promise<void> {
	if (userIds.length === 0) return;
	// the privacy course of the migration's seed, made again where it is gone (a test database emptied of users
	// takes the courses they created with it)
	await db`
		with existing as (select id from training_courses where kind = 'privacy' order by id limit 1),
		made as (
		  insert into training_courses (code, title_ja, title_en, kind)
		  select 'privacy', '個人情報保護研修', 'Personal information protection', 'privacy' where not exists (select 1 from existing)
		  on conflict (code) do nothing returning id
		),
		c as (select id from existing union all select id from made limit 1),
		s as (
		  insert into training_sessions (course_id, starts_at, duration_minutes, trainer)
		  select id, now(), 60, ${opts.trainer ?? ''} from c
		  returning id
		)
		insert into training_attendance (session_id, user_id, status, recorded_by, recorded_at)
		select s.id, u, 'completed', ${opts.by ?? null}, now() from s, unnest(${userIds}::bigint[]) u`;
}
