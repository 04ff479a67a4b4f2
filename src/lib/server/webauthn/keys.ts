/**
 * A signed-in user's own security keys (/account): list, register (options, then the browser's response),
 * rename, remove. Any signed-in user may do these for themselves and no one else (the SQL is bound to their user
 * id; a registration challenge also to the session that asked for it). The last key cannot be removed while a
 * key is required (key_last_required): a lost last key is replaced through an administrator's recovery.
 * Done changes are logged (webauthn.register / rename / remove); refused ones too (webauthn.refused), and a
 * refused change changes nothing.
 */
import { z } from 'zod';
import { db } from '../db.ts';
import { loadConfig } from '../config.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { id } from '../validation.ts';
import { requireSignedIn, type Actor, type SessionActor } from '../auth/actor.ts';
import { recheckPassword } from '../auth/recheck.ts';
import { allowanceEnds, keyRequired, mayRemoveOwnKey, type KeyRequirement } from '../../domain/security-keys.ts';
import { siteRp, type Site } from './rp.ts';
import * as q from './webauthn.queries.ts';
import { CeremonyRefused, checkRegistration, newStepToken, registrationOptions, type CreationOptions } from './ceremony.ts';
import { challengeOf, keyNameSchema, registerInput } from './schemas.ts';

export type { SessionActor };

export interface OwnKeys {
	keys: q.KeySummary[];
	/** whether this user must sign in with a key */
	required: boolean;
	/** the user's own setting (set by an administrator) */
	requirement: KeyRequirement;
	/** when the registration allowance ends (null: none) */
	allowanceEndsAt: Date | null;
}

/** The user's keys and whether a key is required for them. */
export async function listOwnKeys(actor: SessionActor): Promise<OwnKeys> {
	requireSignedIn(actor);
	const state = await q.userKeyState(db(), actor.id);
	if (!state) throw new DomainError('unauthenticated', 'sign in first');
	return {
		keys: await q.listKeys(db(), actor.id),
		required: keyRequired(state.keyRequirement, state.roleRequired ?? undefined),
		requirement: state.keyRequirement,
		allowanceEndsAt: allowanceEnds(state.keyEnrolmentGrantedAt, loadConfig().WEBAUTHN_ENROL_HOURS)
	};
}

async function refused(actor: Actor, why: string): Promise<void> {
	await writeAccessLog(db(), actor, { action: 'webauthn.refused', reason: `${why}; login id: ${actor.loginId}` });
}

const optionsInput = z.object({ password: z.string({ error: 'required' }).min(1, 'required').max(1024, 'too_long') });

/**
 * Options for registering another key (navigator.credentials.create), its challenge bound to this session. Needs
 * a fresh proof, the current password ({ password }): a session alone (a borrowed desk, a stolen cookie) must not
 * add a key that then signs in for good. A wrong password counts towards the sign-in lockout and is logged
 * (login.failed); no challenge is made.
 */
export async function ownRegistrationOptions(actor: SessionActor, raw: unknown, site: Site): Promise<CreationOptions> {
	requireSignedIn(actor);
	const parsed = optionsInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	let rp;
	try {
		rp = siteRp(loadConfig().ORIGIN, site);
	} catch (e) {
		await refused(actor, `registration options asked from another site (Origin ${String(site.origin).slice(0, 100)})`);
		throw e;
	}
	await recheckPassword(actor, parsed.data.password, { field: 'password', why: 'wrong password when registering another security key' });
	const { id: challengeId } = newStepToken();
	return registrationOptions(db(), actor, rp, { id: challengeId, purpose: 'register', sessionId: actor.sessionId });
}

/**
 * Register a key: the browser's response to ownRegistrationOptions, with a name. The challenge it answers must be
 * one this session asked for and not used yet (it is used up now, whatever the result); the response must verify
 * for this site. Logged as webauthn.register.
 */
export async function registerOwnKey(actor: SessionActor, raw: unknown, site: Site): Promise<{ id: number; name: string }> {
	requireSignedIn(actor);
	const parsed = registerInput.safeParse(raw);
	if (!parsed.success) {
		const err = invalidInput(parsed.error.issues);
		await refused(actor, `malformed security-key registration (${err.message.slice(0, 200)})`);
		throw err;
	}
	let rp;
	try {
		rp = siteRp(loadConfig().ORIGIN, site);
	} catch (e) {
		await refused(actor, `registration from another site (Origin ${String(site.origin).slice(0, 100)})`);
		throw e;
	}
	const { name, response } = parsed.data;
	const challenge = challengeOf(response.response.clientDataJSON);
	if (!challenge) {
		await refused(actor, 'malformed security-key registration (clientDataJSON has no challenge)');
		throw invalidInput([{ path: ['response', 'response', 'clientDataJSON'], message: 'invalid' }]);
	}
	const row = await q.takeRegistration(db(), actor.id, actor.sessionId, challenge);
	if (!row || row.expired) {
		await refused(actor, row ? 'registration challenge expired' : 'registration challenge unknown or already used (a replayed response?)');
		throw new DomainError('key_step_expired', 'the registration is over: start it again');
	}
	if (row.rpId !== rp.id || row.origin !== rp.origin) {
		await refused(actor, `registration begun at ${row.origin}, answered at ${rp.origin}`);
		throw new DomainError('key_rejected', 'the security key was not accepted');
	}
	let key;
	try {
		key = await checkRegistration(response, row.challenge, rp);
	} catch (e) {
		if (e instanceof CeremonyRefused) {
			await refused(actor, `registration: ${e.message}`);
			throw new DomainError('key_rejected', 'the security key was not accepted');
		}
		throw e;
	}
	const result = await db().begin(async (tx) => {
		const inserted = await q.insertKey(tx, { userId: actor.id, ...key, publicKey: Buffer.from(key.publicKey), name, rpId: rp.id });
		if (!inserted) return null;
		await q.useUpEnrolment(tx, actor.id);
		await writeAccessLog(tx, actor, { action: 'webauthn.register', reason: `security key "${name}" registered (aaguid ${key.aaguid})` });
		return inserted;
	});
	if (!result) {
		await refused(actor, 'registration: this key is registered already');
		throw new DomainError('key_already_registered', 'this key is registered already');
	}
	return { id: result.id, name };
}

const renameInput = z.object({ keyId: id, name: keyNameSchema });

/** Rename one of one's own keys. Logged as webauthn.rename. */
export async function renameOwnKey(actor: SessionActor, raw: unknown): Promise<void> {
	requireSignedIn(actor);
	const parsed = renameInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { keyId, name } = parsed.data;
	await db().begin(async (tx) => {
		const r = await q.renameKey(tx, actor.id, keyId, name);
		if (!r) throw new DomainError('not_found', 'no such key');
		if (r.oldName !== name) await writeAccessLog(tx, actor, { action: 'webauthn.rename', reason: `security key "${r.oldName}" renamed "${name}"` });
	});
}

const removeInput = z.object({ keyId: id });

/**
 * Remove one of one's own keys. Refused for the last key while a key is required (key_last_required, logged).
 * Logged as webauthn.remove.
 */
export async function removeOwnKey(actor: SessionActor, raw: unknown): Promise<{ left: number }> {
	requireSignedIn(actor);
	const parsed = removeInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { keyId } = parsed.data;
	const outcome = await db().begin(async (tx) => {
		// the user row is locked: two removals at once cannot both see "one more left"
		const state = await q.userKeyState(tx, actor.id, { forUpdate: true });
		if (!state) throw new DomainError('unauthenticated', 'sign in first');
		const keys = await q.listKeys(tx, actor.id);
		const key = keys.find((k) => k.id === keyId);
		if (!key) throw new DomainError('not_found', 'no such key');
		const required = keyRequired(state.keyRequirement, state.roleRequired ?? undefined);
		if (!mayRemoveOwnKey({ required, keys: keys.length })) return { refused: key.name } as const;
		await q.deleteKey(tx, actor.id, keyId);
		await writeAccessLog(tx, actor, { action: 'webauthn.remove', reason: `security key "${key.name}" removed; ${keys.length - 1} left` });
		return { left: keys.length - 1 } as const;
	});
	if ('refused' in outcome) {
		await refused(actor, `removal of the last security key "${outcome.refused}" while a key is required`);
		throw new DomainError('key_last_required', 'the last key cannot be removed while a key is required');
	}
	return outcome;
}
