/**
 * Security keys for administrators: which roles must sign in with a key (/admin/security-keys), each user's own
 * setting, their keys, and recovery (/admin/users/[id]). Policy first: users.view to look, users.manage to change.
 * Every change is one transaction with its access-log row (admin.change).
 *
 * Recovery (a lost or broken key): the administrator, having made sure who is asking, removes the user's keys,
 * gives a registration allowance (WEBAUTHN_ENROL_HOURS) and ends the user's sessions; the user signs in with the
 * password and registers a new key. An allowance alone (keys kept) lets a user who has no key register one.
 */
import { z } from 'zod';
import { db, type Db } from '../db.ts';
import { loadConfig } from '../config.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { id } from '../validation.ts';
import { publishSessionsEnded } from '../auth/sessions.ts';
import * as sq from '../auth/sessions.queries.ts';
import { roles, type Role } from '../../domain/roles.ts';
import { allowanceEnds, allowanceValid, keyRequired, keyRequirements, lockedOutIfRequired, roleRequirementTable, type KeyRequirement } from '../../domain/security-keys.ts';
import * as q from './webauthn.queries.ts';

function parse<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
	const parsed = schema.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	return parsed.data;
}

function hours(): number {
	return loadConfig().WEBAUTHN_ENROL_HOURS;
}

const describe = (r: KeyRequirement) => (r === 'role' ? 'follow the role' : r === 'required' ? 'required' : 'not required');

/** Per role, whether a key is required; and the enabled users who need a key and have none. Policy: users.view. */
export async function keySettingsFor(actor: Actor) {
	requirePermission(actor, 'users.view');
	const stored = await q.roleRequirements(db());
	const missing = await q.usersMissingKeys(db());
	const followers = await q.roleFollowersWithoutKeys(db());
	const now = new Date();
	const locked = lockedOutIfRequired(followers.map((u) => ({ role: u.role, allowance: allowanceValid(u.keyEnrolmentGrantedAt, hours(), now) })));
	return {
		/** per role: whether a key is required, and how many of its users could not sign in if it were */
		roles: roleRequirementTable(new Map(stored.map((r) => [r.role, r.required])), roles).map((r) => ({ ...r, lockedOutIfRequired: locked[r.role] })),
		missing: missing.map((u) => ({
			...u,
			allowanceEndsAt: allowanceValid(u.keyEnrolmentGrantedAt, hours()) ? allowanceEnds(u.keyEnrolmentGrantedAt, hours()) : null
		})),
		enrolHours: hours()
	};
}

const choice = z.enum(['required', 'not_required'], { error: 'required' });
const roleSettingsInput = z.object(Object.fromEntries(roles.map((r) => [r, choice])) as Record<Role, typeof choice>);

/**
 * Set, for every role, whether its users must sign in with a key (each role must be given: a form that leaves
 * one out changes nothing). Sessions already open stay open; the next sign-in follows the new setting.
 * Policy: users.manage. Logged as admin.change (what changed).
 */
export async function setRoleRequirementsBy(actor: Actor, raw: unknown): Promise<{ changed: Role[] }> {
	requirePermission(actor, 'users.manage');
	const input = parse(roleSettingsInput, raw);
	return db().begin(async (tx) => {
		const changed: Role[] = [];
		for (const role of roles) if (await q.setRoleRequirement(tx, role, input[role] === 'required', actor.id > 0 ? actor.id : null)) changed.push(role);
		if (changed.length) {
			await writeAccessLog(tx, actor, {
				action: 'admin.change',
				reason: `security key required by role: ${changed.map((r) => `${r} ${input[r] === 'required' ? 'required' : 'not required'}`).join(', ')}`
			});
		}
		return { changed };
	});
}

const userRef = z.object({ userId: id });

/** A user's key setting, what it means for them, their keys and their allowance. Policy: users.view. */
export async function userKeysFor(actor: Actor, raw: { userId: unknown }) {
	requirePermission(actor, 'users.view');
	const { userId } = parse(userRef, raw);
	const state = await q.userKeyState(db(), userId);
	if (!state) throw new DomainError('not_found', 'no such user');
	const valid = allowanceValid(state.keyEnrolmentGrantedAt, hours());
	return {
		requirement: state.keyRequirement,
		roleRequired: state.roleRequired ?? true,
		required: keyRequired(state.keyRequirement, state.roleRequired ?? undefined),
		keys: await q.listKeys(db(), userId),
		allowanceEndsAt: valid ? allowanceEnds(state.keyEnrolmentGrantedAt, hours()) : null,
		enrolHours: hours()
	};
}

/** Lock the user's row, or not_found. */
async function target(tx: Db, userId: number) {
	const state = await q.userKeyState(tx, userId, { forUpdate: true });
	if (!state) throw new DomainError('not_found', 'no such user');
	return state;
}

const requirementInput = z.object({ userId: id, requirement: z.enum(keyRequirements, { error: 'required' }) });

/** Set a user's own key setting: follow the role, required, or not required. Policy: users.manage. */
export async function setUserKeyRequirementBy(actor: Actor, raw: unknown): Promise<void> {
	requirePermission(actor, 'users.manage');
	const { userId, requirement } = parse(requirementInput, raw);
	await db().begin(async (tx) => {
		const u = await target(tx, userId);
		if (u.keyRequirement === requirement) return;
		await q.setUserKeyRequirement(tx, userId, requirement);
		await writeAccessLog(tx, actor, {
			action: 'admin.change',
			reason: `security key for ${u.loginId}: ${describe(u.keyRequirement)} → ${describe(requirement)}`
		});
	});
}

const removeInput = z.object({ userId: id, keyId: id });

/**
 * Remove one of a user's keys (e.g. one reported lost while the user still has another). Policy: users.manage.
 * The administrator may remove the last one too: that is what recovery is for.
 */
export async function removeUserKeyBy(actor: Actor, raw: unknown): Promise<void> {
	requirePermission(actor, 'users.manage');
	const { userId, keyId } = parse(removeInput, raw);
	await db().begin(async (tx) => {
		const u = await target(tx, userId);
		const gone = await q.deleteKey(tx, userId, keyId);
		if (!gone) throw new DomainError('not_found', 'no such key');
		await writeAccessLog(tx, actor, { action: 'admin.change', reason: `security key "${gone.name}" of ${u.loginId} removed by an administrator` });
	});
}

/** An administrator acts on a user's keys only after making sure who is asking: the form says so. */
const confirmed = z.object({
	userId: id,
	confirm: z.literal(true, { error: 'confirm_identity' })
});

/**
 * Give a user a registration allowance (their keys stay): if they have no key, they may sign in with the password
 * and register one within WEBAUTHN_ENROL_HOURS. Policy: users.manage. Logged as admin.change.
 */
export async function allowKeyEnrolmentBy(actor: Actor, raw: unknown): Promise<{ endsAt: Date }> {
	requirePermission(actor, 'users.manage');
	const { userId } = parse(confirmed, raw);
	return db().begin(async (tx) => {
		const u = await target(tx, userId);
		const at = await q.grantEnrolment(tx, userId);
		const endsAt = allowanceEnds(at, hours())!;
		await writeAccessLog(tx, actor, {
			action: 'admin.change',
			reason: `security key registration allowed for ${u.loginId} until ${endsAt.toISOString()} (${u.keys} key(s) kept)`
		});
		return { endsAt };
	});
}

/**
 * Recovery: remove all of a user's keys and challenges in flight, give a registration allowance and end their
 * sessions (their sockets close on every instance). Policy: users.manage. Logged as admin.change, naming the keys.
 */
export async function recoverKeysBy(actor: Actor, raw: unknown): Promise<{ removed: number; sessionsEnded: number; endsAt: Date }> {
	requirePermission(actor, 'users.manage');
	const { userId } = parse(confirmed, raw);
	return db().begin(async (tx) => {
		const u = await target(tx, userId);
		const names = await q.deleteAllKeys(tx, userId);
		await q.deleteUserChallenges(tx, userId);
		const at = await q.grantEnrolment(tx, userId);
		const endsAt = allowanceEnds(at, hours())!;
		const ended = await sq.deleteUserSessions(tx, userId);
		await publishSessionsEnded(tx, ended, 'revoked');
		await writeAccessLog(tx, actor, {
			action: 'admin.change',
			reason:
				`security key recovery for ${u.loginId}: ${names.length} key(s) removed${names.length ? ` (${names.map((n) => `"${n}"`).join(', ')})` : ''}, ` +
				`registration allowed until ${endsAt.toISOString()}, ${ended.length} session(s) ended`
		});
		return { removed: names.length, sessionsEnded: ended.length, endsAt };
	});
}
