/**
 * Sign-in with ID and password, and DB-backed sessions. The cookie holds a random token; the database keeps only
 * its SHA-256, so a leaked sessions table cannot be replayed. Sessions are revocable (delete the row), end at an
 * absolute time (SESSION_TTL_HOURS after sign-in, never extended) and after SESSION_IDLE_MINUTES without use.
 * The same lookup authenticates page requests (hooks.server.ts) and socket connections (server/realtime.ts).
 *
 * Sign-in is two steps so that a second factor can go between them: checkCredentials (lockout, password) and
 * openSession. The login page puts the security key between them (src/lib/server/webauthn/login.ts decides whether
 * a key is needed). signIn does both with no second factor: for tests and tools, never for the login page.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { db, realDb, type Db } from '../db.ts';
import { loadConfig } from '../config.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { dummyHash, verifyPassword } from './passwords.ts';
import * as q from './sessions.queries.ts';
import { publish } from '../publish.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { countSignInAttempt, purgeExpiredCounters, recordSignInSuccess } from './throttle.ts';
import { deleteExpiredChallenges } from '../webauthn/webauthn.queries.ts';
import { attemptActor, loggableLoginId, type Actor } from './actor.ts';
import type { Role } from '../../domain/roles.ts';

export const SESSION_COOKIE = 'kansho_session';

export function sessionIdFor(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

const credentials = z.object({
	loginId: z.string().trim().min(1, 'required').max(64, 'too_long'),
	// longer than any password the rule allows, so a long wrong password is simply wrong
	password: z.string().min(1, 'required').max(1024, 'too_long')
});

/** Where a request comes from, for the lockout and the access log. */
export interface RequestMeta {
	ip?: string | null;
	userAgent?: string | null;
	requestId?: string | null;
}

/** Refused for a while: after repeated failures (locked) or too many attempts from one address (rate_limited). */
export class SignInThrottled extends DomainError {
	constructor(
		code: 'locked' | 'rate_limited',
		/** whole seconds until another attempt may succeed */
		public readonly retryAfterSeconds: number
	) {
		super(code, `try again in ${retryAfterSeconds} s`);
	}
	toJSON() {
		return { ...super.toJSON(), retryAfterSeconds: this.retryAfterSeconds };
	}
}

/** The user whose password was right; what a second factor (or openSession) continues with. */
export interface VerifiedUser {
	id: number;
	loginId: string;
	displayName: string;
	role: Role;
	locale: 'ja' | 'en';
	/** the personal-information protection training is recorded (issue #9) */
	privacyTrained?: boolean;
}

export interface SignedIn {
	token: string;
	expiresAt: Date;
	actor: Actor;
}

async function logFailure(loginId: string, user: q.UserRow | undefined, meta: RequestMeta, why: string): Promise<void> {
	// what was typed as the id is logged only when it looks like an id (people type passwords there)
	const shown = loggableLoginId(loginId);
	await writeAccessLog(db(), attemptActor(user, shown, meta), { action: 'login.failed', reason: `${why}; login id: ${shown}` });
}

/**
 * Step 1 of sign-in: the lockout, then ID and password. Count first, then decide: the attempt is counted as a
 * failure before the password is checked (throttle.ts) and taken back when it was right. A wrong ID, a wrong
 * password and a disabled account fail alike (invalid_credentials) and are counted alike; a lock (locked /
 * rate_limited, with seconds) answers the same whether the ID exists or not. Every failure is written to the
 * access log (login.failed: why, and the ID tried only when it has a login id's shape, never the password).
 * Opens no session.
 */
export async function checkCredentials(input: unknown, meta: RequestMeta = {}): Promise<VerifiedUser> {
	const parsed = credentials.safeParse(input);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { loginId, password } = parsed.data;
	const ip = meta.ip ?? null;

	// count first, then decide: the attempt is counted as a failure before the password is checked
	const verdict = await countSignInAttempt(loginId, ip);
	if (!verdict.allowed) {
		const user = await q.findUserByLoginId(db(), loginId);
		await logFailure(loginId, user, meta, `${verdict.code}, ${verdict.retryAfterSeconds} s left`);
		throw new SignInThrottled(verdict.code, verdict.retryAfterSeconds);
	}

	const user = await q.findUserByLoginId(db(), loginId);
	const ok = user
		? (await verifyPassword(user.passwordHash, password)) && !user.disabledAt
		: (await verifyPassword(await dummyHash(), password), false);
	if (!user || !ok) {
		await logFailure(loginId, user, meta, !user ? 'unknown_login_id' : user.disabledAt ? 'account_disabled' : 'wrong_password');
		if (verdict.attempt.lockIfFailed > 0) throw new SignInThrottled('locked', verdict.attempt.lockIfFailed);
		throw new DomainError('invalid_credentials', 'wrong ID or password');
	}
	await verdict.attempt.succeeded();
	// the count of failures is cleared only when the session opens (openSession): failures at a second step
	// (security key) add up with wrong passwords towards the lock
	return { id: user.id, loginId: user.loginId, displayName: user.displayName, role: user.role, locale: user.locale, privacyTrained: user.privacyTrained };
}

/**
 * Step 2 of sign-in: open a session for a verified user (logged as login, with the security key used when
 * `secondFactor` names one) and clear the login id's failure count.
 */
export async function openSession(user: VerifiedUser, meta: RequestMeta & { secondFactor?: string } = {}): Promise<SignedIn> {
	const token = randomBytes(32).toString('base64url');
	const ttlSeconds = Math.round(loadConfig().SESSION_TTL_HOURS * 3600);
	const actor: Actor = { ...user, ip: meta.ip ?? null, requestId: meta.requestId ?? null };
	const { expiresAt } = await db().begin(async (tx) => {
		const s = await q.insertSession(tx, {
			id: sessionIdFor(token),
			userId: user.id,
			ttlSeconds,
			ip: meta.ip ?? null,
			userAgent: meta.userAgent?.slice(0, 300) ?? null
		});
		const reason = [meta.userAgent ? `user agent: ${meta.userAgent.slice(0, 200)}` : null, meta.secondFactor ? `security key: ${meta.secondFactor}` : null];
		await writeAccessLog(tx, actor, { action: 'login', reason: reason.filter(Boolean).join('; ') || null });
		return s;
	});
	await recordSignInSuccess(user.loginId);
	return { token, expiresAt, actor };
}

/** Verify ID and password and open a session (no second factor). */
export async function signIn(input: unknown, meta: RequestMeta = {}): Promise<SignedIn> {
	return openSession(await checkCredentials(input, meta), meta);
}

function idleSeconds(): number {
	return Math.round(loadConfig().SESSION_IDLE_MINUTES * 60);
}

/**
 * The actor behind a session token, or null when the token is unknown, past its absolute lifetime, idle for
 * longer than SESSION_IDLE_MINUTES, or the user is disabled. A page request counts as use (`touch`, the default);
 * socket checks and a page's own background refreshes (hooks.server.ts, x-kansho-background) pass touch: false,
 * so an open page alone does not keep a session alive.
 */
export async function actorForToken(
	token: string | undefined | null,
	opts: { touch?: boolean } = {}
): Promise<(Actor & { sessionId: string }) | null> {
	if (!token || token.length > 200) return null;
	// sessions are real data whatever the caller's context (a training desk's request is looked up here too)
	const sql = realDb();
	const id = sessionIdFor(token);
	const row = await q.findLiveSession(sql, id, idleSeconds());
	if (!row) return null;
	if (opts.touch !== false && Date.now() - row.lastSeenAt.getTime() > 60_000) await q.touchSession(sql, id);
	return { id: row.id, loginId: row.loginId, displayName: row.displayName, role: row.role, locale: row.locale, privacyTrained: row.privacyTrained, trainingRunId: row.trainingRunId, sessionId: id };
}

/**
 * For sessions the caller's transaction has deleted: after commit, their sockets are closed on every instance
 * (session:revoked through PostgreSQL NOTIFY, see server/realtime.ts).
 */
export async function publishSessionsEnded(tx: Db, sessionIds: string[], reason: 'logout' | 'revoked'): Promise<void> {
	for (const sessionId of sessionIds) await publish(tx, { type: 'session:revoked', data: { sessionId, reason } });
}

/** Sign out: end this session (logged as logout); its live sockets on every instance are closed too. */
export async function signOut(token: string | undefined | null, meta: RequestMeta = {}): Promise<void> {
	if (!token) return;
	const sessionId = sessionIdFor(token);
	await db().begin(async (tx) => {
		const gone = await q.deleteSession(tx, sessionId);
		if (!gone) return;
		const user = await q.findUserById(tx, gone.userId);
		await publishSessionsEnded(tx, [sessionId], 'logout');
		if (user) await writeAccessLog(tx, attemptActor(user, user.loginId, meta), { action: 'logout' });
	});
}

/** Which of these sessions are still valid (sockets re-check their session with this). */
export function stillValid(sessionIds: string[]): Promise<Set<string>> {
	return q.liveSessionIds(realDb(), sessionIds, idleSeconds());
}

export async function setLocale(actor: Actor, locale: 'ja' | 'en'): Promise<void> {
	await q.setUserLocale(db(), actor.id, locale);
}

/**
 * Sign-in housekeeping (the sweeper): delete sessions past their absolute lifetime or idle timeout, the
 * PostgreSQL lockout counters that have expired (Redis expires its own) and security-key challenges never used.
 */
export async function purgeExpiredSessions(): Promise<number> {
	await purgeExpiredCounters();
	await deleteExpiredChallenges(db());
	return q.deleteExpiredSessions(db(), idleSeconds());
}
