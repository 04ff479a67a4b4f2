/** SQL of the security-key tables (migrations/00008_webauthn): credentials, challenges, requirement settings. */
import type { Db } from '../db.ts';
import type { Role } from '../../domain/roles.ts';
import type { KeyRequirement } from '../../domain/security-keys.ts';

// ─── credentials ────────────────────────────────────────────────────────────

export interface CredentialRow {
	id: number;
	userId: number;
	credentialId: string;
	publicKey: Uint8Array;
	counter: number;
	transports: string[];
	name: string;
	rpId: string;
	aaguid: string | null;
	deviceType: string | null;
	backedUp: boolean;
	createdAt: Date;
	lastUsedAt: Date | null;
}

/** What a key list shows (never the public key). */
export type KeySummary = Pick<CredentialRow, 'id' | 'name' | 'createdAt' | 'lastUsedAt' | 'transports' | 'rpId'>;

export async function listKeys(db: Db, userId: number): Promise<KeySummary[]> {
	return db<KeySummary[]>`
		select id, name, created_at, last_used_at, transports, rp_id from webauthn_credentials
		where user_id = ${userId} order by created_at, id`;
}

export async function countKeys(db: Db, userId: number): Promise<number> {
	const [r] = await db<{ n: number }[]>`select count(*)::int as n from webauthn_credentials where user_id = ${userId}`;
	return r.n;
}

/** The user's keys for one RP ID: what the browser may offer at sign-in. */
export async function keysForRp(db: Db, userId: number, rpId: string): Promise<Pick<CredentialRow, 'credentialId' | 'transports'>[]> {
	return db<Pick<CredentialRow, 'credentialId' | 'transports'>[]>`
		select credential_id, transports from webauthn_credentials where user_id = ${userId} and rp_id = ${rpId} order by id`;
}

/** All of a user's credential ids (not to be registered twice). */
export async function credentialIds(db: Db, userId: number): Promise<Pick<CredentialRow, 'credentialId' | 'transports'>[]> {
	return db<Pick<CredentialRow, 'credentialId' | 'transports'>[]>`
		select credential_id, transports from webauthn_credentials where user_id = ${userId} order by id`;
}

/** The user's key with this credential id, locked for the counter update. */
export async function findKeyForUpdate(db: Db, userId: number, credentialId: string): Promise<CredentialRow | undefined> {
	const [row] = await db<CredentialRow[]>`
		select * from webauthn_credentials where user_id = ${userId} and credential_id = ${credentialId} for update`;
	return row;
}

export async function insertKey(
	db: Db,
	k: Omit<CredentialRow, 'id' | 'createdAt' | 'lastUsedAt'>
): Promise<{ id: number } | null> {
	const [row] = await db<{ id: number }[]>`
		insert into webauthn_credentials (user_id, credential_id, public_key, counter, transports, name, rp_id, aaguid, device_type, backed_up)
		values (${k.userId}, ${k.credentialId}, ${k.publicKey}, ${k.counter}, ${k.transports}, ${k.name}, ${k.rpId}, ${k.aaguid},
		        ${k.deviceType}, ${k.backedUp})
		on conflict (credential_id) do nothing
		returning id`;
	return row ?? null;
}

/** After a good assertion: the new counter and when. */
export async function markKeyUsed(db: Db, id: number, counter: number, backedUp: boolean): Promise<void> {
	await db`update webauthn_credentials set counter = ${counter}, backed_up = ${backedUp}, last_used_at = now() where id = ${id}`;
}

export async function renameKey(db: Db, userId: number, id: number, name: string): Promise<{ oldName: string } | undefined> {
	const [row] = await db<{ oldName: string }[]>`
		update webauthn_credentials k set name = ${name}
		from (select id, name as old_name from webauthn_credentials where id = ${id} and user_id = ${userId} for update) o
		where k.id = o.id returning o.old_name`;
	return row;
}

export async function deleteKey(db: Db, userId: number, id: number): Promise<{ name: string } | undefined> {
	const [row] = await db<{ name: string }[]>`delete from webauthn_credentials where id = ${id} and user_id = ${userId} returning name`;
	return row;
}

export async function deleteAllKeys(db: Db, userId: number): Promise<string[]> {
	const rows = await db<{ name: string }[]>`delete from webauthn_credentials where user_id = ${userId} returning name`;
	return rows.map((r) => r.name);
}

// ─── challenges ─────────────────────────────────────────────────────────────

export type ChallengePurpose = 'login' | 'enrol' | 'register';

export interface ChallengeRow {
	id: string;
	userId: number;
	purpose: ChallengePurpose;
	challenge: string;
	sessionId: string | null;
	rpId: string;
	origin: string;
	createdAt: Date;
	expiresAt: Date;
}

export async function insertChallenge(
	db: Db,
	c: { id: string; userId: number; purpose: ChallengePurpose; challenge: string; sessionId: string | null; rpId: string; origin: string; ttlSeconds: number }
): Promise<void> {
	await db`
		insert into webauthn_challenges (id, user_id, purpose, challenge, session_id, rp_id, origin, expires_at)
		values (${c.id}, ${c.userId}, ${c.purpose}, ${c.challenge}, ${c.sessionId}, ${c.rpId}, ${c.origin},
		        now() + make_interval(secs => ${c.ttlSeconds}))`;
}

/**
 * Use a sign-in step (login or enrol) once: the row is deleted and returned, expired or not (the caller says
 * which); a second use finds nothing.
 */
export async function takeStep(db: Db, id: string, purpose: 'login' | 'enrol'): Promise<(ChallengeRow & { expired: boolean }) | undefined> {
	const [row] = await db<(ChallengeRow & { expired: boolean })[]>`
		delete from webauthn_challenges where id = ${id} and purpose = ${purpose}
		returning *, expires_at <= now() as expired`;
	return row;
}

/** Look at a sign-in step without using it (to name the user in the access log when its input is refused). */
export async function peekStep(db: Db, id: string): Promise<Pick<ChallengeRow, 'userId' | 'purpose'> | undefined> {
	const [row] = await db<Pick<ChallengeRow, 'userId' | 'purpose'>[]>`select user_id, purpose from webauthn_challenges where id = ${id}`;
	return row;
}

/** Use a registration challenge of this user's session once (found by the challenge the response answers). */
export async function takeRegistration(
	db: Db,
	userId: number,
	sessionId: string,
	challenge: string
): Promise<(ChallengeRow & { expired: boolean }) | undefined> {
	const [row] = await db<(ChallengeRow & { expired: boolean })[]>`
		delete from webauthn_challenges
		where challenge = ${challenge} and purpose = 'register' and user_id = ${userId} and session_id = ${sessionId}
		returning *, expires_at <= now() as expired`;
	return row;
}

/** Challenges that expired unused (the sweeper). */
export async function deleteExpiredChallenges(db: Db): Promise<number> {
	const rows = await db`delete from webauthn_challenges where expires_at <= now() returning id`;
	return rows.length;
}

export async function deleteUserChallenges(db: Db, userId: number): Promise<void> {
	await db`delete from webauthn_challenges where user_id = ${userId}`;
}

// ─── requirements ───────────────────────────────────────────────────────────

export interface UserKeyState {
	id: number;
	loginId: string;
	role: Role;
	disabledAt: Date | null;
	passwordChangedAt: Date | null;
	keyRequirement: KeyRequirement;
	/** the role's setting; null when none is stored */
	roleRequired: boolean | null;
	keyEnrolmentGrantedAt: Date | null;
	keys: number;
}

/** What decides a user's second step: their setting, their role's, their allowance and how many keys they have. */
export async function userKeyState(db: Db, userId: number, opts: { forUpdate?: boolean } = {}): Promise<UserKeyState | undefined> {
	const [row] = await db<UserKeyState[]>`
		select u.id, u.login_id, u.role, u.disabled_at, u.password_changed_at, u.key_requirement, r.required as role_required,
		       u.key_enrolment_granted_at, (select count(*)::int from webauthn_credentials k where k.user_id = u.id) as keys
		from users u left join webauthn_role_requirements r on r.role = u.role
		where u.id = ${userId}
		${opts.forUpdate ? db`for update of u` : db``}`;
	return row;
}

export async function roleRequirements(db: Db): Promise<{ role: Role; required: boolean; updatedAt: Date }[]> {
	return db<{ role: Role; required: boolean; updatedAt: Date }[]>`select role, required, updated_at from webauthn_role_requirements order by role`;
}

export async function setRoleRequirement(db: Db, role: Role, required: boolean, by: number | null): Promise<boolean> {
	const rows = await db`
		insert into webauthn_role_requirements (role, required, updated_by) values (${role}, ${required}, ${by})
		on conflict (role) do update set required = excluded.required, updated_by = excluded.updated_by, updated_at = now()
		where webauthn_role_requirements.required is distinct from excluded.required
		returning role`;
	return rows.length > 0;
}

/** The demo loader: no role requires a key. */
export async function setAllRolesRequired(db: Db, required: boolean): Promise<void> {
	await db`update webauthn_role_requirements set required = ${required}, updated_at = now(), updated_by = null`;
}

export async function setUserKeyRequirement(db: Db, userId: number, requirement: KeyRequirement): Promise<void> {
	await db`update users set key_requirement = ${requirement} where id = ${userId}`;
}

export async function grantEnrolment(db: Db, userId: number): Promise<Date> {
	const [row] = await db<{ at: Date }[]>`update users set key_enrolment_granted_at = now() where id = ${userId} returning key_enrolment_granted_at as at`;
	return row.at;
}

export async function useUpEnrolment(db: Db, userId: number): Promise<void> {
	await db`update users set key_enrolment_granted_at = null where id = ${userId}`;
}

export interface UserWithoutKey {
	id: number;
	loginId: string;
	displayName: string;
	role: Role;
	keyEnrolmentGrantedAt: Date | null;
}

/**
 * Enabled users who follow their role's setting and have no key, whatever the role's setting is now: if their role
 * requires keys, those without a registration allowance cannot sign in (the settings page counts them before an
 * administrator turns the requirement on).
 */
export async function roleFollowersWithoutKeys(db: Db): Promise<{ role: Role; keyEnrolmentGrantedAt: Date | null }[]> {
	return db<{ role: Role; keyEnrolmentGrantedAt: Date | null }[]>`
		select u.role, u.key_enrolment_granted_at
		from users u
		where u.disabled_at is null
		  and u.key_requirement = 'role'
		  and not exists (select 1 from webauthn_credentials k where k.user_id = u.id)`;
}

/** Enabled users who must sign in with a key and have none (the administrator's to-do list). */
export async function usersMissingKeys(db: Db): Promise<UserWithoutKey[]> {
	return db<UserWithoutKey[]>`
		select u.id, u.login_id, u.display_name, u.role, u.key_enrolment_granted_at
		from users u left join webauthn_role_requirements r on r.role = u.role
		where u.disabled_at is null
		  and (u.key_requirement = 'required' or (u.key_requirement = 'role' and coalesce(r.required, true)))
		  and not exists (select 1 from webauthn_credentials k where k.user_id = u.id)
		order by u.role, u.login_id`;
}
