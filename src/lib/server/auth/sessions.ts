/**
 * Sign-in with ID and password, and DB-backed sessions. The cookie holds a random token; the database keeps only
 * its SHA-256, so a leaked sessions table cannot be replayed. Sessions are revocable (delete the row) and slide.
 * The same lookup authenticates page requests (hooks.server.ts) and socket connections (server/realtime.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { db } from '../db.ts';
import { loadConfig } from '../config.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { dummyHash, verifyPassword } from './passwords.ts';
import * as q from './sessions.queries.ts';
import { publish } from '../publish.ts';
import type { Actor } from './actor.ts';

export const SESSION_COOKIE = 'kansho_session';

export function sessionIdFor(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

const credentials = z.object({
	loginId: z.string().trim().min(1, 'required').max(64, 'too long'),
	password: z.string().min(1, 'required').max(256, 'too long')
});

export interface SignedIn {
	token: string;
	expiresAt: Date;
	actor: Actor;
}

/** Verify ID and password and open a session. A wrong ID and a wrong password fail alike (invalid_credentials). */
export async function signIn(
	input: unknown,
	meta: { ip?: string | null; userAgent?: string | null } = {}
): Promise<SignedIn> {
	const parsed = credentials.safeParse(input);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { loginId, password } = parsed.data;
	const sql = db();
	const user = await q.findUserByLoginId(sql, loginId);
	const ok = user
		? !user.disabledAt && (await verifyPassword(user.passwordHash, password))
		: (await verifyPassword(await dummyHash(), password), false);
	if (!user || !ok) throw new DomainError('invalid_credentials', 'wrong ID or password');

	const token = randomBytes(32).toString('base64url');
	const ttlSeconds = Math.round(loadConfig().SESSION_TTL_HOURS * 3600);
	const { expiresAt } = await q.insertSession(sql, {
		id: sessionIdFor(token),
		userId: user.id,
		ttlSeconds,
		ip: meta.ip ?? null,
		userAgent: meta.userAgent?.slice(0, 300) ?? null
	});
	return {
		token,
		expiresAt,
		actor: { id: user.id, loginId: user.loginId, displayName: user.displayName, role: user.role, locale: user.locale }
	};
}

/** The actor behind a session token, or null when the token is unknown, expired, or the user disabled. */
export async function actorForToken(token: string | undefined | null): Promise<(Actor & { sessionId: string }) | null> {
	if (!token || token.length > 200) return null;
	const sql = db();
	const id = sessionIdFor(token);
	const row = await q.findLiveSession(sql, id);
	if (!row) return null;
	if (Date.now() - row.lastSeenAt.getTime() > 60_000) {
		await q.touchSession(sql, id, Math.round(loadConfig().SESSION_TTL_HOURS * 3600));
	}
	return { id: row.id, loginId: row.loginId, displayName: row.displayName, role: row.role, locale: row.locale, sessionId: id };
}

/** End a session; its live sockets on every instance are closed too. */
export async function signOut(token: string | undefined | null): Promise<void> {
	if (!token) return;
	const sessionId = sessionIdFor(token);
	await db().begin(async (tx) => {
		await q.deleteSession(tx, sessionId);
		await publish(tx, { type: 'session:revoked', data: { sessionId } });
	});
}

/** Which of these sessions are still valid (sockets re-check their session with this). */
export function stillValid(sessionIds: string[]): Promise<Set<string>> {
	return q.liveSessionIds(db(), sessionIds);
}

export async function setLocale(actor: Actor, locale: 'ja' | 'en'): Promise<void> {
	await q.setUserLocale(db(), actor.id, locale);
}

export async function purgeExpiredSessions(): Promise<number> {
	return q.deleteExpiredSessions(db());
}
