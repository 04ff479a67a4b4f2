/**
 * A signed-in user's own account (/account): their sessions, ending them, and changing their password. Any
 * signed-in user may do these for themselves and for no one else (the SQL is bound to their user id).
 */
import { z } from 'zod';
import { db } from '../db.ts';
import { loadConfig } from '../config.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { requireSignedIn, type SessionActor } from './actor.ts';
import { hashPassword } from './passwords.ts';
import { publishSessionsEnded } from './sessions.ts';
import { recheckPassword } from './recheck.ts';
import * as q from './sessions.queries.ts';
import { checkPasswordRule, passwordSchema } from '../users/users.ts';

export type { SessionActor };

function idleSeconds(): number {
	return Math.round(loadConfig().SESSION_IDLE_MINUTES * 60);
}

export interface OwnSession {
	id: string;
	createdAt: Date;
	lastSeenAt: Date;
	expiresAt: Date;
	ip: string | null;
	userAgent: string | null;
	/** the session this request came with */
	current: boolean;
}

/** The user's live sessions, this one marked. */
export async function listOwnSessions(actor: SessionActor): Promise<OwnSession[]> {
	requireSignedIn(actor);
	const rows = await q.listUserSessions(db(), actor.id, idleSeconds());
	return rows.map((r) => ({ ...r, current: r.id === actor.sessionId }));
}

const endInput = z.object({
	sessionId: z.string({ error: 'required' }).regex(/^[0-9a-f]{64}$/, 'invalid_session').optional(),
	others: z.boolean().optional()
});

/**
 * End one of the user's own sessions ({ sessionId }) or all but this one ({ others: true }); their sockets on
 * every instance close at once. Logged as session.revoke. `current` says whether this very session ended (the
 * route then clears the cookie).
 */
export async function endOwnSessions(actor: SessionActor, raw: unknown): Promise<{ ended: number; current: boolean }> {
	requireSignedIn(actor);
	const parsed = endInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { sessionId, others } = parsed.data;
	if (!sessionId && !others) throw invalidInput([{ path: ['sessionId'], message: 'required' }]);
	return db().begin(async (tx) => {
		const ended = sessionId ? await q.deleteUserSession(tx, actor.id, sessionId) : await q.deleteUserSessions(tx, actor.id, actor.sessionId);
		await publishSessionsEnded(tx, ended, 'revoked');
		const current = ended.includes(actor.sessionId);
		if (ended.length) {
			await writeAccessLog(tx, actor, {
				action: 'session.revoke',
				reason: `${ended.length} own session(s) ended by the user${current ? ' (including this one)' : ''}`
			});
		}
		return { ended: ended.length, current };
	});
}

const changeInput = z
	.object({
		currentPassword: passwordSchema,
		newPassword: passwordSchema,
		confirmPassword: z.string({ error: 'required' }).min(1, 'required')
	})
	.superRefine((v, ctx) => {
		if (v.newPassword !== v.confirmPassword) ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'mismatch' });
	});

/**
 * Change one's own password: the current password is required (a wrong one counts towards the sign-in lockout
 * like a failed sign-in), the new one must pass the password rule. The user's other sessions end; this one stays.
 * Logged as admin.change (the account changed; never the password).
 */
export async function changeOwnPassword(actor: SessionActor, raw: unknown): Promise<{ otherSessionsEnded: number }> {
	requireSignedIn(actor);
	const parsed = changeInput
		.superRefine((v, ctx) => checkPasswordRule(v.newPassword, actor, ctx, 'newPassword'))
		.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { currentPassword, newPassword } = parsed.data;
	await recheckPassword(actor, currentPassword, { field: 'currentPassword', why: 'wrong current password on password change' });
	const passwordHash = await hashPassword(newPassword);
	return db().begin(async (tx) => {
		await q.setPasswordHash(tx, actor.id, passwordHash);
		const ended = await q.deleteUserSessions(tx, actor.id, actor.sessionId);
		await publishSessionsEnded(tx, ended, 'revoked');
		await writeAccessLog(tx, actor, { action: 'admin.change', reason: `own password changed: ${actor.loginId}; ${ended.length} other session(s) ended` });
		return { otherSessionsEnded: ended.length };
	});
}
