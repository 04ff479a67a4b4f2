/**
 * User administration: the use cases behind /admin. Each checks the role first (users.view to look,
 * users.manage to change), validates its input with zod (errors name the field), changes the database in one
 * transaction with its access-log row (admin.change or session.revoke), and ends the user's sessions where the
 * change must reach them at once: their sockets on every instance are closed after commit.
 */
import { z } from 'zod';
import { db, type Db } from '../db.ts';
import { loadConfig } from '../config.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { id } from '../validation.ts';
import { hashPassword } from '../auth/passwords.ts';
import { publishSessionsEnded } from '../auth/sessions.ts';
import { clearSignInLock } from '../auth/throttle.ts';
import * as sq from '../auth/sessions.queries.ts';
import { grantEnrolment } from '../webauthn/webauthn.queries.ts';
import { allowanceEnds } from '../../domain/security-keys.ts';
import { distinctTeams, normalizeTeam } from '../../domain/team.ts';
import {
	checkPasswordRule,
	createUser,
	getUser,
	listUsers,
	newUserInput,
	passwordSchema,
	roleSchema,
	setUserDisabled,
	setUserRole,
	setUserTeam,
	teamNames
} from './users.ts';

function idleSeconds(): number {
	return Math.round(loadConfig().SESSION_IDLE_MINUTES * 60);
}

function parse<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
	const parsed = schema.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	return parsed.data;
}

const userRef = z.object({ userId: id });
const sessionIdSchema = z.string().regex(/^[0-9a-f]{64}$/, 'invalid_session');

/** All users with their live-session count and last activity. Policy: users.view. */
export async function listUsersFor(actor: Actor) {
	requirePermission(actor, 'users.view');
	return listUsers(db(), idleSeconds());
}

/** One user and their live sessions. Policy: users.view. */
export async function userDetailFor(actor: Actor, raw: { userId: unknown }) {
	requirePermission(actor, 'users.view');
	const { userId } = parse(userRef, raw);
	const user = await getUser(db(), userId);
	if (!user) throw new DomainError('not_found', 'no such user');
	const [sessions, teams] = await Promise.all([sq.listUserSessions(db(), userId, idleSeconds()), teamNames(db())]);
	/** the teams in use (normalized, once each): the team field offers them, so the same team is picked again */
	return { user, sessions, teams: distinctTeams(teams) };
}

/** Lock the target row, or not_found. */
async function target(tx: Db, userId: number) {
	const user = await getUser(tx, userId, { forUpdate: true });
	if (!user) throw new DomainError('not_found', 'no such user');
	return user;
}

/** Delete all of a user's sessions in this transaction; their sockets close after commit. */
async function endAllSessions(tx: Db, userId: number): Promise<number> {
	const ended = await sq.deleteUserSessions(tx, userId);
	await publishSessionsEnded(tx, ended, 'revoked');
	return ended.length;
}

/**
 * Create a user with an initial password (the password rule applies, with the new login id and name), and a
 * security-key registration allowance (WEBAUTHN_ENROL_HOURS): the new user signs in with the initial password
 * and registers their key. Given here explicitly (the column has no default since migration 00010), so that the
 * command line's first administrator of a fresh installation can register a key too, while accounts made any
 * other way (the demo's, tests') get none. Policy: users.manage. Logged as admin.change.
 */
export async function createUserBy(actor: Actor, raw: unknown): Promise<{ id: number; loginId: string }> {
	requirePermission(actor, 'users.manage');
	const input = parse(newUserInput, raw);
	return db().begin(async (tx) => {
		const u = await createUser(tx, input);
		const at = await grantEnrolment(tx, u.id);
		const until = allowanceEnds(at, loadConfig().WEBAUTHN_ENROL_HOURS)!;
		await writeAccessLog(tx, actor, { action: 'admin.change', reason: `user created: ${u.loginId} (${u.role}); security key registration allowed until ${until.toISOString()}` });
		return { id: u.id, loginId: u.loginId };
	});
}

const enableInput = z.object({ userId: id, enabled: z.boolean({ error: 'required' }) });

/**
 * Disable a user (their sessions end and their sockets close at once; an old cookie is refused) or enable them
 * again (which also lifts a sign-in lock). An administrator may not disable themselves. Policy: users.manage.
 */
export async function setUserEnabled(actor: Actor, raw: unknown): Promise<void> {
	requirePermission(actor, 'users.manage');
	const { userId, enabled } = parse(enableInput, raw);
	if (userId === actor.id) throw new DomainError('own_account', 'you may not disable your own account');
	const loginId = await db().begin(async (tx) => {
		const user = await target(tx, userId);
		if (enabled === !user.disabledAt) return user.loginId; // already so: nothing to change or log
		await setUserDisabled(tx, userId, !enabled);
		const ended = enabled ? 0 : await endAllSessions(tx, userId);
		await writeAccessLog(tx, actor, {
			action: 'admin.change',
			reason: enabled ? `user enabled: ${user.loginId}` : `user disabled: ${user.loginId}; ${ended} session(s) ended`
		});
		return user.loginId;
	});
	if (enabled) await clearSignInLock(loginId);
}

const roleInput = z.object({ userId: id, role: roleSchema });

/**
 * Change a user's role. Their sessions end (so no page or socket keeps the old role's rooms): they sign in again
 * with the new role. An administrator may not change their own role (so one administrator always remains).
 * Policy: users.manage.
 */
export async function changeUserRole(actor: Actor, raw: unknown): Promise<void> {
	requirePermission(actor, 'users.manage');
	const { userId, role } = parse(roleInput, raw);
	if (userId === actor.id) throw new DomainError('own_account', 'you may not change your own role');
	await db().begin(async (tx) => {
		const user = await target(tx, userId);
		if (user.role === role) return;
		await setUserRole(tx, userId, role);
		const ended = await endAllSessions(tx, userId);
		await writeAccessLog(tx, actor, { action: 'admin.change', reason: `role of ${user.loginId}: ${user.role} → ${role}; ${ended} session(s) ended` });
	});
}

const teamInput = z.object({
	userId: id,
	// one form of each team (「Ｂ班」 is 「B班」): NFKC and trimmed (domain/team.ts), then at most 40 characters
	team: z
		.string()
		.transform(normalizeTeam)
		.refine((t) => t === null || t.length <= 40, 'too_long')
});

/**
 * Set the team (班) a user is in, or none: the daily and monthly reports group operators by it. The team is stored
 * normalized (normalizeTeam: full-width letters and digits as ASCII, trimmed), so 「Ｂ班」 and 「B班」 are one team.
 * No session ends (nothing they may do changes). Policy: users.manage. Logged as admin.change.
 */
export async function setUserTeamBy(actor: Actor, raw: unknown): Promise<void> {
	requirePermission(actor, 'users.manage');
	const { userId, team } = parse(teamInput, raw);
	await db().begin(async (tx) => {
		const user = await target(tx, userId);
		if (user.team === team) return;
		await setUserTeam(tx, userId, team);
		await writeAccessLog(tx, actor, { action: 'admin.change', reason: `team of ${user.loginId}: ${user.team ?? '—'} → ${team ?? '—'}` });
	});
}

const resetInput = z.object({ userId: id, password: passwordSchema });

/**
 * Set a new password for a user (the password rule applies, with their login id and name). Their sessions end
 * and a sign-in lock on their id is lifted. Policy: users.manage. Logged as admin.change (never the password).
 */
export async function resetUserPassword(actor: Actor, raw: unknown): Promise<void> {
	requirePermission(actor, 'users.manage');
	const { userId, password } = parse(resetInput, raw);
	const user = await getUser(db(), userId);
	if (!user) throw new DomainError('not_found', 'no such user');
	parse(
		z.object({ password: z.string() }).superRefine((v, ctx) => checkPasswordRule(v.password, user, ctx, 'password')),
		{ password }
	);
	const passwordHash = await hashPassword(password);
	await db().begin(async (tx) => {
		const u = await target(tx, userId);
		await sq.setPasswordHash(tx, userId, passwordHash);
		const ended = await endAllSessions(tx, userId);
		await writeAccessLog(tx, actor, { action: 'admin.change', reason: `password reset: ${u.loginId}; ${ended} session(s) ended` });
	});
	await clearSignInLock(user.loginId);
}

const endInput = z.object({ userId: id, sessionId: sessionIdSchema.nullish() });

/**
 * End one session of a user (sessionId) or all of them; their sockets on every instance close at once.
 * Policy: users.manage. Logged as session.revoke. Returns how many sessions ended.
 */
export async function endUserSessions(actor: Actor, raw: unknown): Promise<{ ended: number }> {
	requirePermission(actor, 'users.manage');
	const { userId, sessionId } = parse(endInput, raw);
	return db().begin(async (tx) => {
		const user = await target(tx, userId);
		const ended = sessionId ? await sq.deleteUserSession(tx, userId, sessionId) : await sq.deleteUserSessions(tx, userId);
		await publishSessionsEnded(tx, ended, 'revoked');
		if (ended.length) {
			await writeAccessLog(tx, actor, {
				action: 'session.revoke',
				reason: `${ended.length} session(s) of ${user.loginId} ended by an administrator`
			});
		}
		return { ended: ended.length };
	});
}
