/**
 * Security keys (WebAuthn) as the second factor: the pure rules. Whether a user must sign in with a key, what the
 * step after a correct password is, and whether a key may be removed. Used by src/lib/server/webauthn/ (which
 * enforces them) and by the pages (which explain them).
 */
import { roles, type Role } from './roles.ts';

/** Per user: follow the role's setting, or override it. */
export const keyRequirements = ['role', 'required', 'not_required'] as const;
export type KeyRequirement = (typeof keyRequirements)[number];

export function isKeyRequirement(x: unknown): x is KeyRequirement {
	return typeof x === 'string' && (keyRequirements as readonly string[]).includes(x);
}

/** A key's name: what the user calls it ("青いキー", "予備"). */
export const KEY_NAME_MAX = 40;

/**
 * The role's setting when nothing is stored: keys are required for every role, except in the demo (where the
 * demo accounts must work without a key). The database stores the setting per role (webauthn_role_requirements);
 * this is what the migration and the demo loader write.
 */
export function defaultRoleRequirement(demo: boolean): boolean {
	return !demo;
}

/**
 * Must this user sign in with a key? The user's own setting wins; 'role' follows the role's setting. A role
 * without a stored setting requires a key (fail closed).
 */
export function keyRequired(user: KeyRequirement, roleRequired: boolean | undefined): boolean {
	if (user === 'required') return true;
	if (user === 'not_required') return false;
	return roleRequired ?? true;
}

/** What follows a correct password. */
export type SecondStep =
	/** no key needed and none registered: the session opens */
	| 'none'
	/** the user has a key: sign in with it (always, even where keys are not required: a registered key is used) */
	| 'key'
	/** a key is required, none is registered, and the user holds a registration allowance: register one first */
	| 'enrol'
	/** a key is required, none is registered, no allowance: refused until an administrator helps (recovery) */
	| 'refused';

export function secondStep(s: { required: boolean; keys: number; allowance: boolean }): SecondStep {
	if (s.keys > 0) return 'key';
	if (!s.required) return 'none';
	return s.allowance ? 'enrol' : 'refused';
}

/**
 * Is a registration allowance granted at `grantedAt` still good at `now`? Null: none (never given, or used).
 */
export function allowanceValid(grantedAt: Date | null, hours: number, now: Date = new Date()): boolean {
	if (!grantedAt) return false;
	return now.getTime() < grantedAt.getTime() + hours * 3600_000;
}

/** When an allowance ends (null: none). */
export function allowanceEnds(grantedAt: Date | null, hours: number): Date | null {
	return grantedAt ? new Date(grantedAt.getTime() + hours * 3600_000) : null;
}

/**
 * May a user remove one of their own keys? Not the last one while a key is required: they could not sign in
 * again (an administrator's recovery is the way to replace a lost last key).
 */
export function mayRemoveOwnKey(s: { required: boolean; keys: number }): boolean {
	return !s.required || s.keys > 1;
}

/** The per-role settings in role order, any missing role as required. */
export function roleRequirementTable(stored: ReadonlyMap<Role, boolean>, all: readonly Role[]): { role: Role; required: boolean }[] {
	return all.map((role) => ({ role, required: stored.get(role) ?? true }));
}

/**
 * Per role, how many users would be refused at their next sign-in if the role required keys: users who follow
 * their role's setting (`followers`: enabled, key_requirement 'role', no key registered) and hold no registration
 * allowance. (Users with their own setting are not affected by the role's.)
 */
export function lockedOutIfRequired(followers: readonly { role: Role; allowance: boolean }[]): Record<Role, number> {
	const out = Object.fromEntries(roles.map((r) => [r, 0])) as Record<Role, number>;
	for (const u of followers) if (!u.allowance) out[u.role] = (out[u.role] ?? 0) + 1;
	return out;
}

/**
 * What saving the per-role settings would do to sign-ins: the roles switched from not required to required whose
 * users would then be refused (count > 0), in role order. Empty: nobody is locked out by this save.
 */
export function lockoutsOnSave(current: readonly { role: Role; required: boolean; lockedOutIfRequired: number }[], chosen: Partial<Record<Role, string>>): { role: Role; count: number }[] {
	return current.filter((r) => !r.required && chosen[r.role] === 'required' && r.lockedOutIfRequired > 0).map((r) => ({ role: r.role, count: r.lockedOutIfRequired }));
}
