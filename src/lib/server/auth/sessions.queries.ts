import type { Db } from '../db.ts';
import type { Role } from '../../domain/roles.ts';
import { privacyTrainedSql } from '../training/training.queries.ts';

/** The privacy-training fact of the user aliased u (issue #9: the gate on real data). */
const PRIVACY_TRAINED = privacyTrainedSql('u.id');

export interface UserRow {
	id: number;
	loginId: string;
	displayName: string;
	role: Role;
	passwordHash: string;
	locale: 'ja' | 'en';
	disabledAt: Date | null;
	privacyTrained: boolean;
}

export async function findUserByLoginId(db: Db, loginId: string): Promise<UserRow | undefined> {
	const [u] = await db<UserRow[]>`
		select id, login_id, display_name, role, password_hash, locale, disabled_at, ${db.unsafe(PRIVACY_TRAINED)} as privacy_trained
		from users u where login_id = ${loginId}`;
	return u;
}

export async function findUserById(db: Db, id: number, opts: { forUpdate?: boolean } = {}): Promise<UserRow | undefined> {
	const [u] = await db<UserRow[]>`
		select id, login_id, display_name, role, password_hash, locale, disabled_at, ${db.unsafe(PRIVACY_TRAINED)} as privacy_trained
		from users u where id = ${id}
		${opts.forUpdate ? db`for update of u` : db``}`;
	return u;
}

/** A new session; expires_at is absolute (sign-in + TTL) and is never moved. */
export async function insertSession(
	db: Db,
	s: { id: string; userId: number; ttlSeconds: number; ip: string | null; userAgent: string | null }
): Promise<{ expiresAt: Date }> {
	const [row] = await db<{ expiresAt: Date }[]>`
		insert into sessions (id, user_id, expires_at, ip, user_agent)
		values (${s.id}, ${s.userId}, now() + make_interval(secs => ${s.ttlSeconds}), ${s.ip}, ${s.userAgent})
		returning expires_at`;
	return row;
}

export interface SessionUserRow {
	sessionId: string;
	expiresAt: Date;
	lastSeenAt: Date;
	id: number;
	loginId: string;
	displayName: string;
	role: Role;
	locale: 'ja' | 'en';
	privacyTrained: boolean;
	/** the open training run this session works in (issue #9), else null */
	trainingRunId: number | null;
}

/** A session that is neither past its absolute expiry nor idle for longer than idleSeconds, of an enabled user. */
export async function findLiveSession(db: Db, id: string, idleSeconds: number): Promise<SessionUserRow | undefined> {
	const [row] = await db<SessionUserRow[]>`
		select s.id as session_id, s.expires_at, s.last_seen_at, u.id, u.login_id, u.display_name, u.role, u.locale,
		  ${db.unsafe(PRIVACY_TRAINED)} as privacy_trained,
		  (select r.id from training_runs r where r.id = s.training_run_id and r.ended_at is null) as training_run_id
		from sessions s join users u on u.id = s.user_id
		where s.id = ${id} and s.expires_at > now() and s.last_seen_at > now() - make_interval(secs => ${idleSeconds})
		  and u.disabled_at is null`;
	return row;
}

/** The session was used: keeps it from idling out (written at most once a minute; never extends expires_at). */
export async function touchSession(db: Db, id: string): Promise<void> {
	await db`update sessions set last_seen_at = now() where id = ${id} and last_seen_at < now() - interval '1 minute'`;
}

export async function deleteSession(db: Db, id: string): Promise<{ userId: number } | undefined> {
	const [row] = await db<{ userId: number }[]>`delete from sessions where id = ${id} returning user_id`;
	return row;
}

/** Sessions past their absolute expiry or idle for longer than idleSeconds. */
export async function deleteExpiredSessions(db: Db, idleSeconds: number): Promise<number> {
	const rows = await db`
		delete from sessions where expires_at < now() or last_seen_at < now() - make_interval(secs => ${idleSeconds}) returning id`;
	return rows.length;
}

export async function setUserLocale(db: Db, userId: number, locale: 'ja' | 'en'): Promise<void> {
	await db`update users set locale = ${locale} where id = ${userId}`;
}

/** Of these session ids, the ones still valid (not expired, not idle, user not disabled). */
export async function liveSessionIds(db: Db, ids: string[], idleSeconds: number): Promise<Set<string>> {
	if (ids.length === 0) return new Set();
	const rows = await db<{ id: string }[]>`
		select s.id from sessions s join users u on u.id = s.user_id
		where s.id = any(${ids}::text[]) and s.expires_at > now() and s.last_seen_at > now() - make_interval(secs => ${idleSeconds})
		  and u.disabled_at is null`;
	return new Set(rows.map((r) => r.id));
}

export interface SessionRow {
	id: string;
	createdAt: Date;
	lastSeenAt: Date;
	expiresAt: Date;
	ip: string | null;
	userAgent: string | null;
}

/** A user's live sessions, the most recently used first. */
export async function listUserSessions(db: Db, userId: number, idleSeconds: number): Promise<SessionRow[]> {
	return db<SessionRow[]>`
		select id, created_at, last_seen_at, expires_at, ip, user_agent from sessions
		where user_id = ${userId} and expires_at > now() and last_seen_at > now() - make_interval(secs => ${idleSeconds})
		order by last_seen_at desc, created_at desc`;
}

/** Delete the given session of this user (nothing when it belongs to someone else). */
export async function deleteUserSession(db: Db, userId: number, sessionId: string): Promise<string[]> {
	const rows = await db<{ id: string }[]>`delete from sessions where user_id = ${userId} and id = ${sessionId} returning id`;
	return rows.map((r) => r.id);
}

/** Delete all of a user's sessions, but `keep` (the one in use) when given. */
export async function deleteUserSessions(db: Db, userId: number, keep: string | null = null): Promise<string[]> {
	const rows = await db<{ id: string }[]>`
		delete from sessions where user_id = ${userId} and (${keep}::text is null or id <> ${keep}) returning id`;
	return rows.map((r) => r.id);
}

export async function setPasswordHash(db: Db, userId: number, passwordHash: string): Promise<void> {
	await db`update users set password_hash = ${passwordHash}, password_changed_at = now() where id = ${userId}`;
}
