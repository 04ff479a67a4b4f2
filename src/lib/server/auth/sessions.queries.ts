import type { Db } from '../db.ts';
import type { Role } from '../../domain/roles.ts';

export interface UserRow {
	id: number;
	loginId: string;
	displayName: string;
	role: Role;
	passwordHash: string;
	locale: 'ja' | 'en';
	disabledAt: Date | null;
}

export async function findUserByLoginId(db: Db, loginId: string): Promise<UserRow | undefined> {
	const [u] = await db<UserRow[]>`
		select id, login_id, display_name, role, password_hash, locale, disabled_at from users where login_id = ${loginId}`;
	return u;
}

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
}

export async function findLiveSession(db: Db, id: string): Promise<SessionUserRow | undefined> {
	const [row] = await db<SessionUserRow[]>`
		select s.id as session_id, s.expires_at, s.last_seen_at, u.id, u.login_id, u.display_name, u.role, u.locale
		from sessions s join users u on u.id = s.user_id
		where s.id = ${id} and s.expires_at > now() and u.disabled_at is null`;
	return row;
}

/** Sliding expiry, written at most once a minute per session. */
export async function touchSession(db: Db, id: string, ttlSeconds: number): Promise<void> {
	await db`
		update sessions set last_seen_at = now(), expires_at = now() + make_interval(secs => ${ttlSeconds})
		where id = ${id} and last_seen_at < now() - interval '1 minute'`;
}

export async function deleteSession(db: Db, id: string): Promise<void> {
	await db`delete from sessions where id = ${id}`;
}

export async function deleteExpiredSessions(db: Db): Promise<number> {
	const rows = await db`delete from sessions where expires_at < now() returning id`;
	return rows.length;
}

export async function setUserLocale(db: Db, userId: number, locale: 'ja' | 'en'): Promise<void> {
	await db`update users set locale = ${locale} where id = ${userId}`;
}

/** Of these session ids, the ones still valid (not expired, user not disabled). */
export async function liveSessionIds(db: Db, ids: string[]): Promise<Set<string>> {
	if (ids.length === 0) return new Set();
	const rows = await db<{ id: string }[]>`
		select s.id from sessions s join users u on u.id = s.user_id
		where s.id = any(${ids}::text[]) and s.expires_at > now() and u.disabled_at is null`;
	return new Set(rows.map((r) => r.id));
}
