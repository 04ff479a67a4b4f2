/**
 * Security keys (issue #4 item 1) against the real database, with a software authenticator that signs like a USB
 * key (tests/helpers/soft-authenticator.ts): registering (at sign-in with an allowance, and from /account), signing
 * in with the key, and everything that must be refused — a replayed challenge, another origin or RP ID, a counter
 * gone back, malformed responses, a removed key, a disabled user's or an expired step — each logged, with nothing
 * changed. Then the administrator's settings and recovery, and the HTTP routes on a running instance.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resetDb, testSql } from '../helpers/db.ts';
import { newUser, TEST_PASSWORD } from '../helpers/factories.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { startInstance, type Instance } from '../helpers/server.ts';
import { actorForToken, checkCredentials, sessionIdFor, signIn } from '../../src/lib/server/auth/sessions.ts';
import { changeOwnPassword } from '../../src/lib/server/auth/account.ts';
import { createUserBy, setUserEnabled } from '../../src/lib/server/users/admin.ts';
import { continueSignIn, finishEnrolStep, finishKeyStep, type AfterPassword } from '../../src/lib/server/webauthn/login.ts';
import { listOwnKeys, ownRegistrationOptions, registerOwnKey, removeOwnKey, renameOwnKey } from '../../src/lib/server/webauthn/keys.ts';
import {
	allowKeyEnrolmentBy,
	keySettingsFor,
	recoverKeysBy,
	removeUserKeyBy,
	setRoleRequirementsBy,
	setUserKeyRequirementBy,
	userKeysFor
} from '../../src/lib/server/webauthn/admin.ts';
import { closeDb } from '../../src/lib/server/db.ts';
import { closeRedis } from '../../src/lib/server/redis.ts';
import { roles } from '../../src/lib/domain/roles.ts';
import { systemActor, type Actor } from '../../src/lib/server/auth/actor.ts';

const sql = testSql();
const ORIGIN = 'http://localhost:3910';
const SITE = { url: new URL(`${ORIGIN}/login`), origin: ORIGIN };
const meta = { ip: null, userAgent: 'vitest', requestId: null };

afterAll(async () => {
	await sql.end();
	await closeDb();
	await closeRedis();
});

async function setAllRoles(required: boolean) {
	await sql`update webauthn_role_requirements set required = ${required}`;
}

/** A registration allowance, as an administrator gives it (test users are made without one). */
async function grantAllowance(userId: number) {
	await sql`update users set key_enrolment_granted_at = now() where id = ${userId}`;
}

async function logRows(action: string) {
	return sql<{ userId: number | null; reason: string | null }[]>`select user_id, reason from access_log where action = ${action} order by id`;
}

async function counts() {
	const [r] = await sql<{ keys: number; sessions: number; challenges: number }[]>`
		select (select count(*) from webauthn_credentials)::int as keys, (select count(*) from sessions)::int as sessions,
		       (select count(*) from webauthn_challenges)::int as challenges`;
	return r;
}

async function passwordStep(loginId: string, password = TEST_PASSWORD): Promise<AfterPassword> {
	return continueSignIn(await checkCredentials({ loginId, password }, meta), SITE, meta);
}

/** Password, then the key step: returns the step (with its token and options). */
async function keyStep(loginId: string) {
	const s = await passwordStep(loginId);
	if (s.step !== 'key') throw new Error(`expected the key step, got ${s.step}`);
	return s;
}

/** A signed-in actor with its session (as the routes pass it): signIn opens a session without a key. */
async function sessionActor(loginId: string): Promise<Actor & { sessionId: string }> {
	const s = await signIn({ loginId, password: TEST_PASSWORD });
	return { ...s.actor, sessionId: sessionIdFor(s.token) };
}

/** Register a key from /account for a user (through the use cases, as the browser would). */
async function registerFromAccount(actor: Actor & { sessionId: string }, key = new SoftAuthenticator(), name = '青いキー') {
	const options = await ownRegistrationOptions(actor, { password: TEST_PASSWORD }, SITE);
	await registerOwnKey(actor, { name, response: key.register(options, ORIGIN) }, SITE);
	return key;
}

/** A user with a key (registered through /account), ready to sign in with it. */
async function userWithKey(loginId: string, role: 'operator' | 'admin' = 'operator') {
	const user = await newUser(sql, role, loginId);
	const key = await registerFromAccount(await sessionActor(loginId));
	return { user, key };
}

describe('registering and signing in with a key', () => {
	beforeEach(async () => {
		await resetDb(sql);
		await sql`delete from login_throttle`;
		await setAllRoles(true);
	});

	it('outside the demo every role requires a key (the migration’s default)', async () => {
		const rows = await sql<{ role: string; required: boolean }[]>`select role, required from webauthn_role_requirements order by role`;
		expect(rows).toHaveLength(roles.length);
	});

	it('a new user who must have a key registers one at sign-in (allowance), then signs in with it', async () => {
		// the allowance comes with an administrator's creation of the account (the admin page, the CLI's create-user)
		const u = await createUserBy(systemActor('cli:test'), { loginId: 'wa-enrol', displayName: '登録 太郎', role: 'operator', password: TEST_PASSWORD });
		const [granted] = await sql<{ hours: number }[]>`select extract(epoch from key_enrolment_granted_at + interval '24 hours' - now()) / 3600 as hours from users where id = ${u.id}`;
		expect(Math.round(Number(granted.hours))).toBe(24); // WEBAUTHN_ENROL_HOURS: 24 by default
		const before = await counts();
		const step = await passwordStep('wa-enrol');
		expect(step.step).toBe('enrol');
		if (step.step !== 'enrol') return;
		expect(step.options.rp.id).toBe('localhost');
		expect(step.options.authenticatorSelection?.userVerification).toBe('discouraged');
		expect((await counts()).sessions).toBe(before.sessions); // the step is not a session

		const key = new SoftAuthenticator();
		const next = await finishEnrolStep(step.token, { name: '青いキー', response: key.register(step.options, ORIGIN) }, SITE, meta);
		expect(next.options.allowCredentials?.map((c) => c.id)).toEqual([key.id]);
		expect((await counts()).sessions).toBe(before.sessions); // registering alone opens no session
		const [user] = await sql<{ keyEnrolmentGrantedAt: Date | null }[]>`select key_enrolment_granted_at from users where id = ${u.id}`;
		expect(user.keyEnrolmentGrantedAt).toBeNull(); // the allowance is used up

		const s = await finishKeyStep(next.token, { response: key.authenticate(next.options, ORIGIN) }, SITE, meta);
		expect((await actorForToken(s.token))?.loginId).toBe('wa-enrol');
		expect((await logRows('webauthn.register')).map((r) => r.reason)).toEqual([
			'security key "青いキー" registered at sign-in with a registration allowance (aaguid 00000000-0000-0000-0000-000000000000)'
		]);
		expect((await logRows('login')).at(-1)?.reason).toBe('user agent: vitest; security key: 青いキー');
	});

	it('a key registered on /account signs in: counter and last use recorded', async () => {
		const { user, key } = await userWithKey('wa-account');
		const step = await keyStep('wa-account');
		expect(step.options.userVerification).toBe('discouraged');
		const s = await finishKeyStep(step.token, { response: key.authenticate(step.options, ORIGIN), next: '/operator' }, SITE, meta);
		expect(s.next).toBe('/operator');
		expect(s.actor.id).toBe(user.id);
		const [k] = await sql<{ counter: number; lastUsedAt: Date | null; transports: string[]; rpId: string }[]>`
			select counter, last_used_at, transports, rp_id from webauthn_credentials where user_id = ${user.id}`;
		expect(k).toMatchObject({ counter: 1, transports: ['usb'], rpId: 'localhost' });
		expect(k.lastUsedAt).not.toBeNull();
	});

	it('several keys, renamed; each one signs in', async () => {
		const { user } = await userWithKey('wa-multi');
		const actor = await sessionActor('wa-multi');
		const spare = await registerFromAccount(actor, new SoftAuthenticator(), '予備');
		const own = await listOwnKeys(actor);
		expect(own.keys.map((k) => k.name)).toEqual(['青いキー', '予備']);
		expect(own.required).toBe(true);
		await renameOwnKey(actor, { keyId: own.keys[1].id, name: '予備（机の中）' });
		expect((await listOwnKeys(actor)).keys[1].name).toBe('予備（机の中）');
		expect((await logRows('webauthn.rename'))[0].reason).toBe('security key "予備" renamed "予備（机の中）"');
		const step = await keyStep('wa-multi');
		expect(step.options.allowCredentials).toHaveLength(2);
		const s = await finishKeyStep(step.token, { response: spare.authenticate(step.options, ORIGIN) }, SITE, meta);
		expect(s.actor.id).toBe(user.id);
	});

	it('a user who does not need a key and has none signs in with the password alone', async () => {
		await newUser(sql, 'operator', 'wa-nokey');
		await sql`update users set key_requirement = 'not_required' where login_id = 'wa-nokey'`;
		const s = await passwordStep('wa-nokey');
		expect(s.step).toBe('session');
	});

	it('no allowance by default (migration 00010): an account not made by an administrator cannot register a key with the password alone', async () => {
		const [col] = await sql<{ columnDefault: string | null }[]>`
			select column_default from information_schema.columns where table_name = 'users' and column_name = 'key_enrolment_granted_at'`;
		expect(col.columnDefault).toBeNull();
		await newUser(sql, 'operator', 'wa-leaked');
		await expect(passwordStep('wa-leaked')).rejects.toMatchObject({ code: 'key_not_registered' });
		expect((await counts()).challenges).toBe(0);
	});

	it('registering another key on /account needs the current password: a wrong one is refused, counted and logged, no challenge', async () => {
		await newUser(sql, 'operator', 'wa-proof');
		await sql`update users set key_requirement = 'not_required' where login_id = 'wa-proof'`;
		const actor = await sessionActor('wa-proof');
		await expect(ownRegistrationOptions(actor, {}, SITE)).rejects.toMatchObject({ code: 'invalid_input', details: { password: 'required' } });
		await expect(ownRegistrationOptions(actor, { password: 'not my password' }, SITE)).rejects.toMatchObject({
			code: 'invalid_input',
			details: { password: 'wrong_password' }
		});
		expect((await counts()).challenges).toBe(0);
		expect((await logRows('login.failed')).at(-1)?.reason).toBe('wrong password when registering another security key; login id: wa-proof');
		for (let i = 0; i < 3; i++) await ownRegistrationOptions(actor, { password: `guess ${i}` }, SITE).catch(() => null);
		// the fifth wrong password locks, like at sign-in
		await expect(ownRegistrationOptions(actor, { password: 'guess 5' }, SITE)).rejects.toMatchObject({ code: 'locked' });
		await expect(ownRegistrationOptions(actor, { password: TEST_PASSWORD }, SITE)).rejects.toMatchObject({ code: 'locked' });
		expect((await counts()).challenges).toBe(0);
	});

	it('a user who must have a key, has none and no allowance is refused and told to ask an administrator (logged)', async () => {
		await newUser(sql, 'operator', 'wa-stuck');
		await sql`update users set key_enrolment_granted_at = now() - interval '200 hours' where login_id = 'wa-stuck'`;
		const before = await counts();
		await expect(passwordStep('wa-stuck')).rejects.toMatchObject({ code: 'key_not_registered', status: 403 });
		expect(await counts()).toEqual(before);
		expect((await logRows('login.key_failed')).at(-1)?.reason).toBe(
			'a security key is required and none is registered; no registration allowance; login id: wa-stuck'
		);
	});
});

describe('what is refused (logged; nothing changes)', () => {
	beforeEach(async () => {
		await resetDb(sql);
		await sql`delete from login_throttle`;
		await setAllRoles(true);
	});

	it('a replayed sign-in response: the step was used up', async () => {
		const { key } = await userWithKey('wa-replay');
		const step = await keyStep('wa-replay');
		const response = key.authenticate(step.options, ORIGIN);
		await finishKeyStep(step.token, { response }, SITE, meta);
		const before = await counts();
		await expect(finishKeyStep(step.token, { response }, SITE, meta)).rejects.toMatchObject({ code: 'key_step_expired', status: 401 });
		expect(await counts()).toEqual(before);
		expect((await logRows('login.key_failed')).at(-1)?.reason).toBe('login step: unknown or already used (a replayed response?); login id: (unknown)');
	});

	it('a response to an old challenge in a new step is refused', async () => {
		const { key } = await userWithKey('wa-old');
		const first = await keyStep('wa-old');
		const old = key.authenticate(first.options, ORIGIN);
		const second = await keyStep('wa-old');
		await expect(finishKeyStep(second.token, { response: old }, SITE, meta)).rejects.toMatchObject({ code: 'key_rejected' });
		expect((await logRows('login.key_failed')).at(-1)?.reason).toMatch(/^key "青いキー": Unexpected authentication response challenge/);
	});

	it('a replayed registration: its challenge was used up', async () => {
		await newUser(sql, 'operator', 'wa-regreplay');
		const actor = await sessionActor('wa-regreplay');
		const options = await ownRegistrationOptions(actor, { password: TEST_PASSWORD }, SITE);
		const response = new SoftAuthenticator().register(options, ORIGIN);
		await registerOwnKey(actor, { name: 'キー', response }, SITE);
		const before = await counts();
		await expect(registerOwnKey(actor, { name: 'キー2', response }, SITE)).rejects.toMatchObject({ code: 'key_step_expired' });
		expect(await counts()).toEqual(before);
		expect((await logRows('webauthn.refused')).at(-1)?.reason).toBe(
			'registration challenge unknown or already used (a replayed response?); login id: wa-regreplay'
		);
	});

	it('a registration challenge belongs to the session that asked for it', async () => {
		await newUser(sql, 'operator', 'wa-othersession');
		const a = await sessionActor('wa-othersession');
		const b = await sessionActor('wa-othersession');
		const options = await ownRegistrationOptions(a, { password: TEST_PASSWORD }, SITE);
		await expect(registerOwnKey(b, { name: 'キー', response: new SoftAuthenticator().register(options, ORIGIN) }, SITE)).rejects.toMatchObject({
			code: 'key_step_expired'
		});
		expect((await counts()).keys).toBe(0);
	});

	it('another origin (a phishing page) or another RP ID is refused, and counted towards the lockout', async () => {
		const { key } = await userWithKey('wa-origin');
		const step = await keyStep('wa-origin');
		await expect(finishKeyStep(step.token, { response: key.authenticate(step.options, 'https://kansho.evil.example') }, SITE, meta)).rejects.toMatchObject({
			code: 'key_rejected'
		});
		expect((await logRows('login.key_failed')).at(-1)?.reason).toMatch(/Unexpected authentication response origin "https:\/\/kansho\.evil\.example"/);
		const step2 = await keyStep('wa-origin');
		await expect(finishKeyStep(step2.token, { response: key.authenticate(step2.options, ORIGIN, { rpId: 'evil.example' }) }, SITE, meta)).rejects.toMatchObject({
			code: 'key_rejected'
		});
		expect((await logRows('login.key_failed')).at(-1)?.reason).toMatch(/Unexpected RP ID hash/);
		// an answer posted from another site (its Origin header) is refused before the step is touched
		const step3 = await keyStep('wa-origin');
		await expect(
			finishKeyStep(step3.token, { response: key.authenticate(step3.options, ORIGIN) }, { url: SITE.url, origin: 'https://evil.example' }, meta)
		).rejects.toMatchObject({ code: 'forbidden' });
		expect((await logRows('login.key_failed')).at(-1)?.reason).toBe('key step from another site (Origin https://evil.example); login id: wa-origin');
		expect((await sql`select 1 from webauthn_challenges`).length).toBe(1); // step3 is still there
		expect((await counts()).sessions).toBe(1); // the one /account used
	});

	it('a counter that goes back (a cloned key) is refused', async () => {
		const { key } = await userWithKey('wa-counter');
		for (let i = 0; i < 3; i++) {
			const s = await keyStep('wa-counter');
			await finishKeyStep(s.token, { response: key.authenticate(s.options, ORIGIN) }, SITE, meta);
		}
		const step = await keyStep('wa-counter');
		await expect(finishKeyStep(step.token, { response: key.authenticate(step.options, ORIGIN, { counter: 2 }) }, SITE, meta)).rejects.toMatchObject({
			code: 'key_rejected'
		});
		expect((await logRows('login.key_failed')).at(-1)?.reason).toBe('key "青いキー": Response counter value 2 was lower than expected 3; login id: wa-counter');
		const [k] = await sql<{ counter: number }[]>`select counter from webauthn_credentials`;
		expect(k.counter).toBe(3);
	});

	it('a key pressed without user presence is refused', async () => {
		const { key } = await userWithKey('wa-presence');
		const step = await keyStep('wa-presence');
		await expect(finishKeyStep(step.token, { response: key.authenticate(step.options, ORIGIN, { userPresent: false }) }, SITE, meta)).rejects.toMatchObject({
			code: 'key_rejected'
		});
	});

	it('malformed responses: 400 naming the field, logged, nothing changes, and the step stays usable', async () => {
		const { key } = await userWithKey('wa-malformed');
		const step = await keyStep('wa-malformed');
		const before = await counts();
		const good = key.authenticate(step.options, ORIGIN);
		const bad: unknown[] = [
			null,
			'not an object',
			{},
			{ response: { ...good, id: 'not base64url!' } },
			{ response: { ...good, rawId: good.id.slice(1) } },
			{ response: { ...good, type: 'password' } },
			{ response: { ...good, response: { ...good.response, signature: 'x'.repeat(5000) } } },
			{ response: { ...good, response: { clientDataJSON: good.response.clientDataJSON } } }
		];
		for (const raw of bad) await expect(finishKeyStep(step.token, raw, SITE, meta)).rejects.toMatchObject({ code: 'invalid_input', status: 400 });
		await expect(finishKeyStep(step.token, { response: { ...good, id: '!!' } }, SITE, meta)).rejects.toMatchObject({
			details: { 'response.id': 'not_base64url', 'response.rawId': 'mismatch' }
		});
		expect(await counts()).toEqual(before);
		const logged = await logRows('login.key_failed');
		expect(logged).toHaveLength(bad.length + 1);
		expect(logged[0].reason).toMatch(/^malformed security-key response \(.*\); login id: wa-malformed$/);
		// the step was not used up by malformed input: the real answer still signs in
		const s = await finishKeyStep(step.token, { response: good }, SITE, meta);
		expect(s.actor.loginId).toBe('wa-malformed');

		// the same at registration
		const actor = await sessionActor('wa-malformed');
		const options = await ownRegistrationOptions(actor, { password: TEST_PASSWORD }, SITE);
		const reg = new SoftAuthenticator().register(options, ORIGIN);
		const keysBefore = (await counts()).keys;
		for (const raw of [null, { name: '', response: reg }, { name: 'x'.repeat(41), response: reg }, { name: 'キー', response: { ...reg, response: {} } }]) {
			await expect(registerOwnKey(actor, raw, SITE)).rejects.toMatchObject({ code: 'invalid_input' });
		}
		expect((await counts()).keys).toBe(keysBefore);
		expect((await logRows('webauthn.refused')).length).toBe(4);
		// not used up either
		await registerOwnKey(actor, { name: 'キー', response: reg }, SITE);
	});

	it('a removed key no longer signs in', async () => {
		const { key } = await userWithKey('wa-removed');
		const actor = await sessionActor('wa-removed');
		const spare = await registerFromAccount(actor, new SoftAuthenticator(), '予備');
		const [first] = (await listOwnKeys(actor)).keys;
		await removeOwnKey(actor, { keyId: first.id });
		expect((await logRows('webauthn.remove'))[0].reason).toBe('security key "青いキー" removed; 1 left');
		const step = await keyStep('wa-removed');
		expect(step.options.allowCredentials?.map((c) => c.id)).toEqual([spare.id]);
		await expect(finishKeyStep(step.token, { response: key.authenticate(step.options, ORIGIN) }, SITE, meta)).rejects.toMatchObject({
			code: 'key_rejected'
		});
		expect((await logRows('login.key_failed')).at(-1)?.reason).toBe('a key that is not registered to this user for this site; login id: wa-removed');
	});

	it('the last key cannot be removed while a key is required (logged); it can when none is required', async () => {
		await userWithKey('wa-last');
		const actor = await sessionActor('wa-last');
		const [only] = (await listOwnKeys(actor)).keys;
		await expect(removeOwnKey(actor, { keyId: only.id })).rejects.toMatchObject({ code: 'key_last_required', status: 409 });
		expect((await counts()).keys).toBe(1);
		expect((await logRows('webauthn.refused')).at(-1)?.reason).toBe('removal of the last security key "青いキー" while a key is required; login id: wa-last');
		await sql`update users set key_requirement = 'not_required' where login_id = 'wa-last'`;
		await removeOwnKey(actor, { keyId: only.id });
		expect((await counts()).keys).toBe(0);
	});

	it('someone else’s key can be neither renamed nor removed', async () => {
		await userWithKey('wa-owner');
		await newUser(sql, 'operator', 'wa-other');
		const other = await sessionActor('wa-other');
		const [k] = await sql<{ id: number }[]>`select id from webauthn_credentials`;
		await expect(removeOwnKey(other, { keyId: k.id })).rejects.toMatchObject({ code: 'not_found' });
		await expect(renameOwnKey(other, { keyId: k.id, name: 'mine' })).rejects.toMatchObject({ code: 'not_found' });
		expect((await sql`select name from webauthn_credentials`)[0].name).toBe('青いキー');
	});

	it('a disabled user’s pending step fails (and an old cookie with it)', async () => {
		const { user, key } = await userWithKey('wa-disabled');
		const admin = await newUser(sql, 'admin', 'wa-admin');
		const step = await keyStep('wa-disabled');
		await setUserEnabled(admin, { userId: user.id, enabled: false });
		const before = await counts();
		await expect(finishKeyStep(step.token, { response: key.authenticate(step.options, ORIGIN) }, SITE, meta)).rejects.toMatchObject({
			code: 'invalid_credentials'
		});
		expect(await counts()).toEqual({ ...before, challenges: before.challenges - 1 });
		expect((await logRows('login.key_failed')).at(-1)?.reason).toBe('login step: account_disabled; login id: wa-disabled');
	});

	it('a step ends when the password changes, and when it expires', async () => {
		const { key } = await userWithKey('wa-pwchange');
		const step = await keyStep('wa-pwchange');
		const actor = await sessionActor('wa-pwchange');
		await new Promise((r) => setTimeout(r, 5));
		await changeOwnPassword(actor, { currentPassword: TEST_PASSWORD, newPassword: 'ひまわり畑の向こうに海が見える', confirmPassword: 'ひまわり畑の向こうに海が見える' });
		await expect(finishKeyStep(step.token, { response: key.authenticate(step.options, ORIGIN) }, SITE, meta)).rejects.toMatchObject({
			code: 'key_step_expired'
		});
		expect((await logRows('login.key_failed')).at(-1)?.reason).toBe('login step: the password changed after the step began; login id: wa-pwchange');

		const step2 = await passwordStep('wa-pwchange', 'ひまわり畑の向こうに海が見える');
		if (step2.step !== 'key') throw new Error('expected the key step');
		await sql`update webauthn_challenges set expires_at = now() - interval '1 second'`;
		await expect(finishKeyStep(step2.token, { response: key.authenticate(step2.options, ORIGIN) }, SITE, meta)).rejects.toMatchObject({
			code: 'key_step_expired'
		});
		expect((await logRows('login.key_failed')).at(-1)?.reason).toBe('login step expired; login id: wa-pwchange');
		await expect(finishKeyStep(undefined, { response: key.authenticate(step2.options, ORIGIN) }, SITE, meta)).rejects.toMatchObject({
			code: 'key_step_expired'
		});
	});

	it('refused keys count towards the sign-in lockout with wrong passwords; a correct password alone does not clear it', async () => {
		const { key } = await userWithKey('wa-lock');
		const wrong = new SoftAuthenticator(); // a key that is not registered
		for (let i = 0; i < 4; i++) {
			const step = await keyStep('wa-lock'); // the right password each time
			await expect(finishKeyStep(step.token, { response: wrong.authenticate(step.options, ORIGIN) }, SITE, meta)).rejects.toMatchObject({
				code: 'key_rejected'
			});
		}
		const step = await keyStep('wa-lock');
		// the fifth failure locks the login id (LOGIN_MAX_FAILURES = 5)
		await expect(finishKeyStep(step.token, { response: wrong.authenticate(step.options, ORIGIN) }, SITE, meta)).rejects.toMatchObject({ code: 'locked' });
		await expect(passwordStep('wa-lock')).rejects.toMatchObject({ code: 'locked' });
		expect(key).toBeDefined();
	});
});

describe('administrators: settings, per-user requirement, recovery', () => {
	let admin: Actor;
	beforeEach(async () => {
		await resetDb(sql);
		await sql`delete from login_throttle`;
		await setAllRoles(true);
		admin = await newUser(sql, 'admin', 'wa-boss');
	});

	const all = (v: 'required' | 'not_required') => Object.fromEntries(roles.map((r) => [r, v]));

	it('per role: not required → password alone; logged; a form without every role changes nothing', async () => {
		await newUser(sql, 'staff', 'wa-staff');
		const r = await setRoleRequirementsBy(admin, { ...all('required'), staff: 'not_required' });
		expect(r.changed).toEqual(['staff']);
		expect((await passwordStep('wa-staff')).step).toBe('session');
		expect((await logRows('admin.change')).at(-1)?.reason).toBe('security key required by role: staff not required');
		await expect(setRoleRequirementsBy(admin, { operator: 'not_required' })).rejects.toMatchObject({ code: 'invalid_input' });
		await expect(setRoleRequirementsBy(admin, { ...all('required'), admin: 'maybe' })).rejects.toMatchObject({ code: 'invalid_input' });
		const settings = await keySettingsFor(admin);
		expect(settings.roles.filter((x) => !x.required).map((x) => x.role)).toEqual(['staff']);
		const op = await newUser(sql, 'operator', 'wa-notadmin');
		await expect(setRoleRequirementsBy(op, all('not_required'))).rejects.toMatchObject({ code: 'forbidden' });
		await expect(keySettingsFor(op)).rejects.toMatchObject({ code: 'forbidden' });
		expect((await keySettingsFor(admin)).roles.filter((x) => !x.required).map((x) => x.role)).toEqual(['staff']);
	});

	it('the settings page counts, per role, who could not sign in if the role required keys; the count is who is then refused', async () => {
		await setAllRoles(false);
		await newUser(sql, 'staff', 'wa-s-nokey'); // counted
		await sql`update users set key_enrolment_granted_at = now() - interval '200 hours' where login_id = 'wa-s-nokey'`; // an old allowance: counted
		await grantAllowance((await newUser(sql, 'staff', 'wa-s-allowed')).id); // may still register a first key
		const own = await newUser(sql, 'staff', 'wa-s-own');
		await setUserKeyRequirementBy(admin, { userId: own.id, requirement: 'not_required' }); // the role's setting does not apply
		const gone = await newUser(sql, 'staff', 'wa-s-gone');
		await sql`update users set disabled_at = now() where id = ${gone.id}`; // cannot sign in anyway
		await userWithKey('wa-op-key'); // has a key
		await newUser(sql, 'operator', 'wa-op-nokey'); // counted
		const settings = await keySettingsFor(admin);
		const count = Object.fromEntries(settings.roles.map((r) => [r.role, r.lockedOutIfRequired]));
		// admin: wa-boss (made in beforeEach, no key)
		expect(count).toEqual({ operator: 1, supervisor: 0, staff: 1, manager: 0, admin: 1, auditor: 0 });

		await setRoleRequirementsBy(admin, { ...all('not_required'), staff: 'required' });
		await expect(passwordStep('wa-s-nokey')).rejects.toMatchObject({ code: 'key_not_registered' });
		expect((await passwordStep('wa-s-allowed')).step).toBe('enrol');
		expect((await passwordStep('wa-s-own')).step).toBe('session');
		// once required, the same users are on the page's to-do list
		expect((await keySettingsFor(admin)).missing.map((m) => m.loginId).filter((l) => l.startsWith('wa-s-'))).toEqual(['wa-s-allowed', 'wa-s-nokey']);
	});

	it('per user: required / not required override the role; logged', async () => {
		await setRoleRequirementsBy(admin, all('not_required'));
		const u = await newUser(sql, 'operator', 'wa-strict');
		await grantAllowance(u.id);
		await setUserKeyRequirementBy(admin, { userId: u.id, requirement: 'required' });
		expect((await passwordStep('wa-strict')).step).toBe('enrol');
		expect((await userKeysFor(admin, { userId: u.id })).required).toBe(true);
		expect((await logRows('admin.change')).at(-1)?.reason).toBe('security key for wa-strict: follow the role → required');
		await setUserKeyRequirementBy(admin, { userId: u.id, requirement: 'not_required' });
		await setRoleRequirementsBy(admin, all('required'));
		expect((await passwordStep('wa-strict')).step).toBe('session');
		await expect(setUserKeyRequirementBy(admin, { userId: u.id, requirement: 'sometimes' })).rejects.toMatchObject({ code: 'invalid_input' });
		const op = await newUser(sql, 'operator', 'wa-op');
		await expect(setUserKeyRequirementBy(op, { userId: u.id, requirement: 'role' })).rejects.toMatchObject({ code: 'forbidden' });
		const missing = (await keySettingsFor(admin)).missing.map((m) => m.loginId);
		expect(missing).toContain('wa-op');
		expect(missing).not.toContain('wa-strict');
	});

	it('recovery: an identity check is confirmed, keys removed, sessions ended, a new key registered at sign-in; logged', async () => {
		const { user, key } = await userWithKey('wa-lost');
		await sessionActor('wa-lost');
		await expect(recoverKeysBy(admin, { userId: user.id })).rejects.toMatchObject({ code: 'invalid_input', details: { confirm: 'confirm_identity' } });
		expect((await counts()).keys).toBe(1);
		const r = await recoverKeysBy(admin, { userId: user.id, confirm: true });
		expect(r).toMatchObject({ removed: 1, sessionsEnded: 2 });
		expect(await sql`select 1 from sessions where user_id = ${user.id}`).toHaveLength(0);
		expect((await logRows('admin.change')).at(-1)?.reason).toMatch(
			/^security key recovery for wa-lost: 1 key\(s\) removed \("青いキー"\), registration allowed until \d{4}-.*Z, 2 session\(s\) ended$/
		);
		// the lost key no longer works; the user registers a new one
		const step = await passwordStep('wa-lost');
		expect(step.step).toBe('enrol');
		if (step.step !== 'enrol') return;
		const fresh = new SoftAuthenticator();
		const next = await finishEnrolStep(step.token, { name: '新しいキー', response: fresh.register(step.options, ORIGIN) }, SITE, meta);
		await expect(finishKeyStep(next.token, { response: key.authenticate(next.options, ORIGIN) }, SITE, meta)).rejects.toMatchObject({ code: 'key_rejected' });
		const again = await keyStep('wa-lost');
		const s = await finishKeyStep(again.token, { response: fresh.authenticate(again.options, ORIGIN) }, SITE, meta);
		expect(s.actor.loginId).toBe('wa-lost');
		const op = await newUser(sql, 'operator', 'wa-op2');
		await expect(recoverKeysBy(op, { userId: user.id, confirm: true })).rejects.toMatchObject({ code: 'forbidden' });
	});

	it('an allowance alone keeps the keys; an administrator may remove a single key', async () => {
		const u = await newUser(sql, 'operator', 'wa-allow');
		await sql`update users set key_enrolment_granted_at = null where id = ${u.id}`;
		await expect(passwordStep('wa-allow')).rejects.toMatchObject({ code: 'key_not_registered' });
		const { endsAt } = await allowKeyEnrolmentBy(admin, { userId: u.id, confirm: true });
		expect(Math.round((endsAt.getTime() - Date.now()) / 3600_000)).toBe(24); // WEBAUTHN_ENROL_HOURS, 24 by default
		expect((await passwordStep('wa-allow')).step).toBe('enrol');
		expect((await logRows('admin.change')).at(-1)?.reason).toMatch(/^security key registration allowed for wa-allow until .*Z \(0 key\(s\) kept\)$/);

		const { user: other } = await userWithKey('wa-single');
		const [k] = await sql<{ id: number }[]>`select id from webauthn_credentials where user_id = ${other.id}`;
		await expect(removeUserKeyBy(admin, { userId: u.id, keyId: k.id })).rejects.toMatchObject({ code: 'not_found' });
		await removeUserKeyBy(admin, { userId: other.id, keyId: k.id });
		expect((await logRows('admin.change')).at(-1)?.reason).toBe('security key "青いキー" of wa-single removed by an administrator');
		expect((await userKeysFor(admin, { userId: other.id })).keys).toEqual([]);
	});
});

describe('the routes on a running instance', () => {
	let inst: Instance;
	beforeAll(async () => {
		await resetDb(sql);
		await sql`delete from login_throttle`;
		await setAllRoles(true);
		inst = await startInstance({ port: 3911, env: { INSTANCE_ID: 'webauthn' } });
	});
	afterAll(async () => {
		await inst?.stop();
		await setAllRoles(true);
	});

	async function postLogin(loginId: string) {
		const r = await fetch(`${inst.url}/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin: inst.url },
			body: new URLSearchParams({ loginId, password: TEST_PASSWORD, next: '/account' }),
			redirect: 'manual'
		});
		return { status: r.status, text: await r.text(), cookies: r.headers.getSetCookie() };
	}

	const postJson = (path: string, body: string, cookie: string, origin = inst.url) =>
		fetch(`${inst.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin, cookie }, body, redirect: 'manual' });

	it('password → key step (a cookie for /login only, no session) → POST /login/key → signed in', async () => {
		const site = { url: new URL(`${inst.url}/account`), origin: inst.url };
		await newUser(sql, 'operator', 'wa-http');
		const s = await signIn({ loginId: 'wa-http', password: TEST_PASSWORD });
		const actor = { ...s.actor, sessionId: sessionIdFor(s.token) };
		const key = new SoftAuthenticator();
		const options = await ownRegistrationOptions(actor, { password: TEST_PASSWORD }, site);
		await registerOwnKey(actor, { name: '青いキー', response: key.register(options, inst.url) }, site);

		const login = await postLogin('wa-http');
		expect(login.status).toBe(200);
		expect(login.text).toContain('セキュリティキーで確認');
		expect(login.cookies.some((c) => c.startsWith('kansho_session='))).toBe(false);
		const stepCookie = login.cookies.find((c) => c.startsWith('kansho_key_step='))!;
		expect(stepCookie).toMatch(/Path=\/login/);
		expect(stepCookie).toMatch(/HttpOnly/);
		expect(stepCookie).toMatch(/SameSite=Strict/);
		const cookie = stepCookie.split(';')[0];
		const [row] = await sql<{ challenge: string }[]>`select challenge from webauthn_challenges where purpose = 'login'`;

		// not JSON, and JSON of the wrong shape: 400, logged, the step stays
		const notJson = await fetch(`${inst.url}/login/key`, { method: 'POST', headers: { 'content-type': 'text/plain', origin: inst.url, cookie }, body: 'hello' });
		expect(notJson.status).toBe(400);
		expect((await notJson.json()).code).toBe('invalid_input');
		const malformed = await postJson('/login/key', JSON.stringify({ response: { id: 42 } }), cookie);
		expect(malformed.status).toBe(400);
		expect((await malformed.json()).details['response.id']).toBe('required');
		// posted from another site: 403
		const response = key.authenticate({ challenge: row.challenge, rpId: '127.0.0.1' }, inst.url);
		const cross = await postJson('/login/key', JSON.stringify({ response }), cookie, 'https://evil.example');
		expect(cross.status).toBe(403);

		const ok = await postJson('/login/key', JSON.stringify({ response, next: '/account' }), cookie);
		expect(ok.status).toBe(200);
		expect(await ok.json()).toEqual({ ok: true, redirect: '/account' });
		const session = ok.headers.getSetCookie().find((c) => c.startsWith('kansho_session='))!.split(';')[0];
		const page = await fetch(`${inst.url}/account`, { headers: { cookie: session }, redirect: 'manual' });
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('青いキー');

		// the same answer again: the step is gone
		const replay = await postJson('/login/key', JSON.stringify({ response }), cookie);
		expect(replay.status).toBe(401);
		expect((await replay.json()).code).toBe('key_step_expired');
		const reasons = (await logRows('login.key_failed')).map((r) => r.reason ?? '');
		expect(reasons.filter((r) => r.startsWith('malformed security-key response'))).toHaveLength(2);
		expect(reasons.some((r) => r.startsWith('key step from another site'))).toBe(true);
		expect(reasons.at(-1)).toBe('login step: unknown or already used (a replayed response?); login id: (unknown)');
	});

	it('a user who must register a key sees the registration step; /login/enrol then gives the key step', async () => {
		await grantAllowance((await newUser(sql, 'staff', 'wa-http-enrol')).id);
		const login = await postLogin('wa-http-enrol');
		expect(login.status).toBe(200);
		expect(login.text).toContain('セキュリティキーの登録');
		const cookie = login.cookies.find((c) => c.startsWith('kansho_key_step='))!.split(';')[0];
		const [row] = await sql<{ challenge: string }[]>`select challenge from webauthn_challenges where purpose = 'enrol'`;
		const key = new SoftAuthenticator();
		const r = await postJson('/login/enrol', JSON.stringify({ name: '赤いキー', response: key.register({ challenge: row.challenge, rp: { id: '127.0.0.1' } }, inst.url) }), cookie);
		expect(r.status).toBe(200);
		const body = await r.json();
		expect(body.step).toBe('key');
		const next = r.headers.getSetCookie().find((c) => c.startsWith('kansho_key_step='))!.split(';')[0];
		const ok = await postJson('/login/key', JSON.stringify({ response: key.authenticate(body.options, inst.url) }), next);
		expect(ok.status).toBe(200);
		expect((await ok.json()).redirect).toBe('/staff');
	});

	it('a key required, none registered, no allowance: the login page says to contact the administrator', async () => {
		const u = await newUser(sql, 'manager', 'wa-http-stuck');
		await sql`update users set key_enrolment_granted_at = null where id = ${u.id}`;
		const login = await postLogin('wa-http-stuck');
		expect(login.status).toBe(403);
		expect(login.text).toContain('システム管理者に連絡して、キーの登録を許可してもらってください。');
	});
});
