/**
 * Sign-in with a security key: what follows a correct password (sessions.ts checkCredentials), and the key step
 * that opens the session.
 *
 *   password right ─┬─ no key needed, none registered ─────────────────────────────→ session
 *                   ├─ the user has a key ─→ step 'login' ─→ key signs ─────────────→ session
 *                   ├─ key required, none, allowance ─→ step 'enrol' ─→ key registered ─→ step 'login' ─→ …
 *                   └─ key required, none, no allowance ─→ refused (key_not_registered): an administrator's recovery
 *
 * A step is not a session: a random token in a cookie for /login only, kept as its SHA-256 in webauthn_challenges
 * with the user, the challenge and the site, valid WEBAUTHN_TIMEOUT_SECONDS, used once (deleted when a response
 * is checked against it, whatever the result). It is bound to the password step: it ends when the password
 * changes or the account is disabled in between. Every refusal is written to the access log (login.key_failed:
 * why, never the response); a key step counts towards the sign-in lockout like a password (counted before the
 * key is checked, taken back when it was right), and the count is cleared only when the session opens.
 */
import { db } from '../db.ts';
import { loadConfig } from '../config.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { openSession, SignInThrottled, type RequestMeta, type SignedIn, type VerifiedUser } from '../auth/sessions.ts';
import { countSignInAttempt, type SignInAttempt } from '../auth/throttle.ts';
import * as sq from '../auth/sessions.queries.ts';
import { attemptActor, type Actor } from '../auth/actor.ts';
import { allowanceValid, keyRequired, secondStep } from '../../domain/security-keys.ts';
import { siteRp, type RelyingParty, type Site } from './rp.ts';
import * as q from './webauthn.queries.ts';
import {
	authenticationOptions,
	CeremonyRefused,
	checkAssertion,
	checkRegistration,
	newStepToken,
	registrationOptions,
	stepIdFor,
	type CreationOptions,
	type RequestOptions
} from './ceremony.ts';
import { keyStepInput, registerInput } from './schemas.ts';

/** The cookie that carries a sign-in step's token (path /login, httpOnly, SameSite=Strict). */
export const KEY_STEP_COOKIE = 'kansho_key_step';

export type AfterPassword =
	| { step: 'session'; session: SignedIn }
	| { step: 'key'; token: string; options: RequestOptions; expiresInSeconds: number }
	| { step: 'enrol'; token: string; options: CreationOptions; expiresInSeconds: number };

async function logKeyFailure(actor: Actor, why: string): Promise<void> {
	await writeAccessLog(db(), actor, { action: 'login.key_failed', reason: `${why}; login id: ${actor.loginId || '(unknown)'}` });
}

function siteOf(site: Site): RelyingParty {
	return siteRp(loadConfig().ORIGIN, site);
}

/**
 * After a correct password (checkCredentials): open the session, or start the key step (the user has a key for
 * this site), or the enrolment step (a key is required, none is registered, the user holds an allowance), or
 * refuse (key_not_registered, logged; not counted as a failure: the password was right).
 */
export async function continueSignIn(user: VerifiedUser, site: Site, meta: RequestMeta = {}): Promise<AfterPassword> {
	const rp = siteOf(site);
	const state = await q.userKeyState(db(), user.id);
	if (!state) throw new DomainError('invalid_credentials', 'wrong ID or password');
	const keys = (await q.keysForRp(db(), user.id, rp.id)).length;
	const cfg = loadConfig();
	const step = secondStep({
		required: keyRequired(state.keyRequirement, state.roleRequired ?? undefined),
		keys,
		allowance: allowanceValid(state.keyEnrolmentGrantedAt, cfg.WEBAUTHN_ENROL_HOURS)
	});
	if (step === 'none') return { step: 'session', session: await openSession(user, meta) };
	if (step === 'refused') {
		const other = state.keys > keys ? ` (${state.keys} key(s) registered for another address, none for ${rp.id})` : '';
		await logKeyFailure(attemptActor(user, user.loginId, meta), `a security key is required and none is registered${other}; no registration allowance`);
		throw new DomainError('key_not_registered', 'a security key is required: ask an administrator to allow registering one');
	}
	const { token, id } = newStepToken();
	const expiresInSeconds = cfg.WEBAUTHN_TIMEOUT_SECONDS;
	if (step === 'key') {
		const options = await authenticationOptions(db(), user, rp, { id, purpose: 'login', sessionId: null });
		return { step: 'key', token, options, expiresInSeconds };
	}
	const options = await registrationOptions(db(), user, rp, { id, purpose: 'enrol', sessionId: null });
	return { step: 'enrol', token, options, expiresInSeconds };
}

/** A step taken from the table, checked: not expired, the account still enabled, the password unchanged since. */
async function takeCheckedStep(token: string | undefined | null, purpose: 'login' | 'enrol', meta: RequestMeta) {
	if (!token || token.length > 100) {
		await logKeyFailure(attemptActor(null, '', meta), `${purpose} step: no sign-in step (its cookie is missing)`);
		throw stepExpired();
	}
	const step = await q.takeStep(db(), stepIdFor(token), purpose);
	if (!step) {
		await logKeyFailure(attemptActor(null, '', meta), `${purpose} step: unknown or already used (a replayed response?)`);
		throw stepExpired();
	}
	const user = await sq.findUserById(db(), step.userId);
	if (!user) throw stepExpired();
	const actor = attemptActor(user, user.loginId, meta);
	if (step.expired) {
		await logKeyFailure(actor, `${purpose} step expired`);
		throw stepExpired();
	}
	if (user.disabledAt) {
		await logKeyFailure(actor, `${purpose} step: account_disabled`);
		throw new DomainError('invalid_credentials', 'wrong ID or password');
	}
	const state = await q.userKeyState(db(), user.id);
	if (state?.passwordChangedAt && state.passwordChangedAt > step.createdAt) {
		await logKeyFailure(actor, `${purpose} step: the password changed after the step began`);
		throw stepExpired();
	}
	return { step, user, actor };
}

function stepExpired(): DomainError {
	return new DomainError('key_step_expired', 'the security-key step is over: sign in again');
}

/** A refused key (its attempt counted already, in admit): logged; throws locked or key_rejected. */
async function refuseKey(actor: Actor, attempt: SignInAttempt, why: string): Promise<never> {
	await logKeyFailure(actor, why);
	if (attempt.lockIfFailed > 0) throw new SignInThrottled('locked', attempt.lockIfFailed);
	throw new DomainError('key_rejected', 'the security key was not accepted');
}

/**
 * Count first, then decide: the key step counts as an attempt (a failure until it succeeds) for the login id and
 * the address before the key is checked, and the login id's lock applies here too (a lock begun since the
 * password step refuses it). Not the per-address rate limit: the password step counted this sign-in already,
 * and a call center signs in from one address.
 */
async function admit(actor: Actor, meta: RequestMeta): Promise<SignInAttempt> {
	const verdict = await countSignInAttempt(actor.loginId, meta.ip ?? null, { rateLimit: false });
	if (!verdict.allowed) {
		await logKeyFailure(actor, `${verdict.code}, ${verdict.retryAfterSeconds} s left`);
		throw new SignInThrottled(verdict.code, verdict.retryAfterSeconds);
	}
	return verdict.attempt;
}

/** Peek at a step's user for the log when the input itself is refused (the step stays usable). */
async function actorOfToken(token: string | undefined | null, meta: RequestMeta): Promise<Actor> {
	const peek = token && token.length <= 100 ? await q.peekStep(db(), stepIdFor(token)) : undefined;
	const user = peek ? await sq.findUserById(db(), peek.userId) : undefined;
	return attemptActor(user, '', meta);
}

/**
 * The key step: the browser's assertion (navigator.credentials.get) for the step in the cookie. Checks the
 * input (invalid_input, 400; the step stays usable), uses the step up, checks the lockout, then the assertion:
 * this user's key registered for this site, the stored challenge, the origin and RP ID, user presence, the
 * signature and a counter that moved forward. Then the session opens (logged as login, naming the key).
 */
export async function finishKeyStep(token: string | undefined | null, raw: unknown, site: Site, meta: RequestMeta = {}): Promise<SignedIn & { next: string | undefined }> {
	const parsed = keyStepInput.safeParse(raw);
	if (!parsed.success) {
		const err = invalidInput(parsed.error.issues);
		await logKeyFailure(await actorOfToken(token, meta), `malformed security-key response (${err.message.slice(0, 200)})`);
		throw err;
	}
	let rp: RelyingParty;
	try {
		rp = siteOf(site);
	} catch (e) {
		await logKeyFailure(await actorOfToken(token, meta), `key step from another site (Origin ${String(site.origin).slice(0, 100)})`);
		throw e;
	}
	const { response, next } = parsed.data;
	const { step, user, actor } = await takeCheckedStep(token, 'login', meta);
	const attempt = await admit(actor, meta);
	if (step.rpId !== rp.id || step.origin !== rp.origin) return refuseKey(actor, attempt, `key step begun at ${step.origin}, answered at ${rp.origin}`);

	const used = await db().begin(async (tx): Promise<{ ok: true; name: string } | { ok: false; why: string }> => {
		const key = await q.findKeyForUpdate(tx, user.id, response.id);
		if (!key || key.rpId !== rp.id) return { ok: false, why: 'a key that is not registered to this user for this site' };
		try {
			const r = await checkAssertion(response, step.challenge, rp, key);
			await q.markKeyUsed(tx, key.id, r.newCounter, r.backedUp);
			return { ok: true, name: key.name };
		} catch (e) {
			if (e instanceof CeremonyRefused) return { ok: false, why: `key "${key.name}": ${e.message}` };
			throw e;
		}
	});
	if (!used.ok) return refuseKey(actor, attempt, used.why);
	await attempt.succeeded();
	const verified: VerifiedUser = { id: user.id, loginId: user.loginId, displayName: user.displayName, role: user.role, locale: user.locale, privacyTrained: user.privacyTrained };
	const session = await openSession(verified, { ...meta, secondFactor: used.name });
	return { ...session, next };
}

/**
 * The enrolment step: a user who must have a key and has none registers one, with the allowance an
 * administrator (or the account's creation) gave. Checks as the key step does, then the registration; the key is
 * saved, the allowance used up (logged as webauthn.register), and a key step follows at once: the session opens
 * only once the new key has signed in (a registration alone proves nothing about holding the key).
 */
export async function finishEnrolStep(
	token: string | undefined | null,
	raw: unknown,
	site: Site,
	meta: RequestMeta = {}
): Promise<{ token: string; options: RequestOptions; expiresInSeconds: number; name: string }> {
	const parsed = registerInput.safeParse(raw);
	if (!parsed.success) {
		const err = invalidInput(parsed.error.issues);
		await logKeyFailure(await actorOfToken(token, meta), `malformed security-key registration at sign-in (${err.message.slice(0, 200)})`);
		throw err;
	}
	let rp: RelyingParty;
	try {
		rp = siteOf(site);
	} catch (e) {
		await logKeyFailure(await actorOfToken(token, meta), `enrolment from another site (Origin ${String(site.origin).slice(0, 100)})`);
		throw e;
	}
	const { name, response } = parsed.data;
	const { step, user, actor } = await takeCheckedStep(token, 'enrol', meta);
	const attempt = await admit(actor, meta);
	if (step.rpId !== rp.id || step.origin !== rp.origin) return refuseKey(actor, attempt, `enrolment begun at ${step.origin}, answered at ${rp.origin}`);
	let key;
	try {
		key = await checkRegistration(response, step.challenge, rp);
	} catch (e) {
		if (e instanceof CeremonyRefused) return refuseKey(actor, attempt, `registration at sign-in: ${e.message}`);
		throw e;
	}
	// a valid registration: not a failure (the key step that follows counts on its own)
	await attempt.succeeded();
	const hours = loadConfig().WEBAUTHN_ENROL_HOURS;
	const next = newStepToken();
	const outcome = await db().begin(async (tx) => {
		const state = await q.userKeyState(tx, user.id, { forUpdate: true });
		if (!state || !allowanceValid(state.keyEnrolmentGrantedAt, hours)) return 'no_allowance' as const;
		const inserted = await q.insertKey(tx, { userId: user.id, ...key, publicKey: Buffer.from(key.publicKey), name, rpId: rp.id });
		if (!inserted) return 'taken' as const;
		await q.useUpEnrolment(tx, user.id);
		await writeAccessLog(tx, actor, {
			action: 'webauthn.register',
			reason: `security key "${name}" registered at sign-in with a registration allowance (aaguid ${key.aaguid})`
		});
		return 'ok' as const;
	});
	if (outcome === 'no_allowance') {
		await logKeyFailure(actor, 'enrolment: the registration allowance ended or was used');
		throw stepExpired();
	}
	if (outcome === 'taken') {
		await logKeyFailure(actor, 'enrolment: this key is registered already');
		throw new DomainError('key_already_registered', 'this key is registered already');
	}
	const options = await authenticationOptions(db(), user, rp, { id: next.id, purpose: 'login', sessionId: null });
	return { token: next.token, options, expiresInSeconds: loadConfig().WEBAUTHN_TIMEOUT_SECONDS, name };
}
