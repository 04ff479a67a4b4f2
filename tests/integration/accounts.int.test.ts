/**
 * Accounts (issue #4 item 2): administrators' user management, the password rule at the boundary, own password
 * and sessions, absolute and idle session lifetimes, and the sign-in lockout. The lockout is tested across two
 * real instances sharing Redis, and on one instance without Redis (PostgreSQL counters); an administrator's
 * revocation through instance A closes the user's socket on instance B at once.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { resetDb, testSql } from '../helpers/db.ts';
import { newUser, TEST_PASSWORD } from '../helpers/factories.ts';
import { connectSocket, once, startInstance, type Instance } from '../helpers/server.ts';
import { actorForToken, checkCredentials, sessionIdFor, signIn, signOut } from '../../src/lib/server/auth/sessions.ts';
import { changeOwnPassword, endOwnSessions, listOwnSessions } from '../../src/lib/server/auth/account.ts';
import {
	changeUserRole,
	createUserBy,
	endUserSessions,
	listUsersFor,
	resetUserPassword,
	setUserEnabled,
	setUserTeamBy,
	userDetailFor
} from '../../src/lib/server/users/admin.ts';
import { closeDb } from '../../src/lib/server/db.ts';
import { closeRedis } from '../../src/lib/server/redis.ts';
import type { Actor } from '../../src/lib/server/auth/actor.ts';

const sql = testSql();
const REDIS_URL = process.env.REDIS_URL;
const NEW_PASSWORD = 'ひまわり畑の向こうに海が見える';

afterAll(async () => {
	await sql.end();
	await closeDb();
	await closeRedis();
});

async function counts() {
	const [r] = await sql<{ users: number; sessions: number }[]>`
		select (select count(*) from users)::int as users, (select count(*) from sessions)::int as sessions`;
	return r;
}

async function logRows(action: string) {
	return sql<{ userId: number | null; role: string | null; reason: string | null; ip: string | null }[]>`
		select user_id, role, reason, ip from access_log where action = ${action} order by id`;
}

/** A signed-in admin actor (with a session, as the routes pass it). */
async function signedIn(role: 'admin' | 'operator' | 'supervisor' | 'manager', loginId?: string) {
	const u = await newUser(sql, role, loginId);
	const s = await signIn({ loginId: u.loginId, password: TEST_PASSWORD });
	return { user: u, token: s.token, actor: { ...s.actor, sessionId: sessionIdFor(s.token), ip: '192.0.2.10' } as Actor & { sessionId: string } };
}

describe('user administration (use cases)', () => {
	beforeEach(async () => {
		await resetDb(sql);
		await sql`delete from login_throttle`;
	});

	it('an administrator creates a user who can then sign in; logged as admin.change', async () => {
		const admin = await signedIn('admin');
		const { id } = await createUserBy(admin.actor, { loginId: 'op-new', displayName: '新人 オペレータ', role: 'operator', password: NEW_PASSWORD });
		const s = await signIn({ loginId: 'op-new', password: NEW_PASSWORD });
		expect(s.actor).toMatchObject({ id, role: 'operator', displayName: '新人 オペレータ' });
		const log = await logRows('admin.change');
		expect(log).toEqual([expect.objectContaining({ userId: admin.user.id, role: 'admin', reason: expect.stringMatching(/^user created: op-new \(operator\); security key registration allowed until 20\d\d-/) })]);
		expect(JSON.stringify(log)).not.toContain(NEW_PASSWORD);
	});

	it('refuses bad input naming each field, and changes nothing', async () => {
		const admin = await signedIn('admin');
		const before = await counts();
		const cases: [Record<string, unknown>, Record<string, string>][] = [
			[{ loginId: 'x', displayName: '', role: 'boss', password: 'short' }, { loginId: 'login_id_format', displayName: 'required', role: 'invalid_role' }],
			[{ loginId: 'op-short', displayName: '短い', role: 'operator', password: 'eleven char' }, { password: 'too_short' }],
			[{ loginId: 'op-weak', displayName: '弱い', role: 'operator', password: 'password1234' }, { password: 'common' }],
			[{ loginId: 'op-self', displayName: '自分', role: 'operator', password: 'op-self-is-my-password' }, { password: 'contains_login_id' }],
			[{ loginId: 'op-long', displayName: '長い', role: 'operator', password: 'あ'.repeat(129) }, { password: 'too_long' }],
			[{ loginId: admin.user.loginId.toUpperCase(), displayName: '重複', role: 'operator', password: NEW_PASSWORD }, { loginId: 'taken' }],
			[{}, { loginId: 'required', displayName: 'required', role: 'invalid_role', password: 'required' }]
		];
		for (const [input, details] of cases) {
			await expect(createUserBy(admin.actor, input), JSON.stringify(input)).rejects.toMatchObject({ code: 'invalid_input', details });
		}
		expect(await counts()).toEqual(before);
		expect(await logRows('admin.change')).toEqual([]);
	});

	it('accepts a 12-character Japanese password with spaces (no composition rules)', async () => {
		const admin = await signedIn('admin');
		await createUserBy(admin.actor, { loginId: 'op-jp', displayName: '日本語', role: 'operator', password: '春の 朝は 早起きを する' });
		expect((await signIn({ loginId: 'op-jp', password: '春の 朝は 早起きを する' })).actor.loginId).toBe('op-jp');
	});

	it('checks the role in the use case: nobody but an administrator may manage users', async () => {
		const admin = await signedIn('admin');
		const target = await newUser(sql, 'operator');
		for (const role of ['operator', 'supervisor', 'manager'] as const) {
			const other = await signedIn(role);
			await expect(listUsersFor(other.actor)).rejects.toMatchObject({ code: 'forbidden' });
			await expect(userDetailFor(other.actor, { userId: target.id })).rejects.toMatchObject({ code: 'forbidden' });
			await expect(createUserBy(other.actor, { loginId: 'sneaky', displayName: 'x', role: 'admin', password: NEW_PASSWORD })).rejects.toMatchObject({ code: 'forbidden' });
			await expect(changeUserRole(other.actor, { userId: other.user.id, role: 'admin' })).rejects.toMatchObject({ code: 'forbidden' });
			await expect(setUserEnabled(other.actor, { userId: target.id, enabled: false })).rejects.toMatchObject({ code: 'forbidden' });
			await expect(resetUserPassword(other.actor, { userId: target.id, password: NEW_PASSWORD })).rejects.toMatchObject({ code: 'forbidden' });
			await expect(endUserSessions(other.actor, { userId: admin.user.id })).rejects.toMatchObject({ code: 'forbidden' });
		}
		const [row] = await sql<{ role: string; disabledAt: Date | null }[]>`select role, disabled_at from users where id = ${target.id}`;
		expect(row).toEqual({ role: 'operator', disabledAt: null });
		expect(await sql`select 1 from users where login_id = 'sneaky'`).toHaveLength(0);
		expect(await actorForToken(admin.token)).not.toBeNull();
	});

	it('a role change ends the user’s sessions and the next sign-in has the new role', async () => {
		const admin = await signedIn('admin');
		const user = await signedIn('operator');
		await changeUserRole(admin.actor, { userId: user.user.id, role: 'supervisor' });
		expect(await actorForToken(user.token)).toBeNull();
		const again = await signIn({ loginId: user.user.loginId, password: TEST_PASSWORD });
		expect(again.actor.role).toBe('supervisor');
		expect((await logRows('admin.change')).at(-1)?.reason).toBe(`role of ${user.user.loginId}: operator → supervisor; 1 session(s) ended`);
		await expect(changeUserRole(admin.actor, { userId: user.user.id, role: 'root' })).rejects.toMatchObject({ code: 'invalid_input', details: { role: 'invalid_role' } });
		await expect(changeUserRole(admin.actor, { userId: 'abc', role: 'operator' })).rejects.toMatchObject({ code: 'invalid_input', details: { userId: expect.any(String) } });
		await expect(changeUserRole(admin.actor, { userId: 999999, role: 'operator' })).rejects.toMatchObject({ code: 'not_found' });
	});

	it('a team (班) is stored in one form (「Ｂ班」 is 「B班」, trimmed; blank is none) and the teams in use are offered once each', async () => {
		const { actor: admin } = await signedIn('admin');
		const a = await newUser(sql, 'operator');
		const b = await newUser(sql, 'operator');
		await setUserTeamBy(admin, { userId: String(a.id), team: '　Ｂ班 ' });
		await setUserTeamBy(admin, { userId: String(b.id), team: 'B班' });
		const teams = await sql<{ team: string | null }[]>`select team from users where id in (${a.id}, ${b.id}) order by id`;
		expect(teams.map((r) => r.team)).toEqual(['B班', 'B班']);
		// a row saved before (full width) is offered in its normalized form, once
		await sql`update users set team = 'Ａ班' where id = ${b.id}`;
		const c = await newUser(sql, 'operator');
		await sql`update users set team = 'A班' where id = ${c.id}`;
		expect((await userDetailFor(admin, { userId: String(a.id) })).teams).toEqual(['A班', 'B班']);
		// blank: no team; too long after normalization: refused by field, nothing changed
		await setUserTeamBy(admin, { userId: String(a.id), team: '　' });
		expect((await sql<{ team: string | null }[]>`select team from users where id = ${a.id}`)[0].team).toBeNull();
		await expect(setUserTeamBy(admin, { userId: String(c.id), team: 'あ'.repeat(41) })).rejects.toMatchObject({ code: 'invalid_input', details: { team: 'too_long' } });
		expect((await sql<{ team: string | null }[]>`select team from users where id = ${c.id}`)[0].team).toBe('A班');
	});

	it('an administrator may not demote or disable themselves', async () => {
		const admin = await signedIn('admin');
		await expect(changeUserRole(admin.actor, { userId: admin.user.id, role: 'operator' })).rejects.toMatchObject({ code: 'own_account' });
		await expect(setUserEnabled(admin.actor, { userId: admin.user.id, enabled: false })).rejects.toMatchObject({ code: 'own_account' });
		expect((await actorForToken(admin.token))?.role).toBe('admin');
	});

	it('disabling ends sessions and refuses the old cookie even after re-enabling; enabling allows sign-in again', async () => {
		const admin = await signedIn('admin');
		const user = await signedIn('operator');
		await setUserEnabled(admin.actor, { userId: user.user.id, enabled: false });
		expect(await actorForToken(user.token)).toBeNull();
		await expect(signIn({ loginId: user.user.loginId, password: TEST_PASSWORD })).rejects.toMatchObject({ code: 'invalid_credentials' });
		await setUserEnabled(admin.actor, { userId: user.user.id, enabled: true });
		expect(await actorForToken(user.token)).toBeNull(); // the old session is gone for good
		expect((await signIn({ loginId: user.user.loginId, password: TEST_PASSWORD })).actor.id).toBe(user.user.id);
		const reasons = (await logRows('admin.change')).map((r) => r.reason);
		expect(reasons).toEqual([`user disabled: ${user.user.loginId}; 1 session(s) ended`, `user enabled: ${user.user.loginId}`]);
		await expect(setUserEnabled(admin.actor, { userId: user.user.id, enabled: 'yes' })).rejects.toMatchObject({ code: 'invalid_input', details: { enabled: 'required' } });
	});

	it('a password reset applies the rule with the target’s login id, ends their sessions and is logged without the password', async () => {
		const admin = await signedIn('admin');
		const user = await signedIn('operator', 'op-reset');
		await expect(resetUserPassword(admin.actor, { userId: user.user.id, password: 'op-reset-2026-spring' })).rejects.toMatchObject({
			code: 'invalid_input',
			details: { password: 'contains_login_id' }
		});
		expect(await actorForToken(user.token)).not.toBeNull(); // nothing changed
		await resetUserPassword(admin.actor, { userId: user.user.id, password: NEW_PASSWORD });
		expect(await actorForToken(user.token)).toBeNull();
		await expect(signIn({ loginId: 'op-reset', password: TEST_PASSWORD })).rejects.toMatchObject({ code: 'invalid_credentials' });
		expect((await signIn({ loginId: 'op-reset', password: NEW_PASSWORD })).actor.id).toBe(user.user.id);
		const log = await logRows('admin.change');
		expect(log.at(-1)?.reason).toBe('password reset: op-reset; 1 session(s) ended');
		expect(JSON.stringify(log)).not.toContain(NEW_PASSWORD);
	});

	it('an administrator ends one session or all of a user’s sessions (session.revoke)', async () => {
		const admin = await signedIn('admin');
		const user = await signedIn('operator');
		const second = await signIn({ loginId: user.user.loginId, password: TEST_PASSWORD });
		const detail = await userDetailFor(admin.actor, { userId: user.user.id });
		expect(detail.sessions).toHaveLength(2);
		expect(await endUserSessions(admin.actor, { userId: user.user.id, sessionId: sessionIdFor(second.token) })).toEqual({ ended: 1 });
		expect(await actorForToken(second.token)).toBeNull();
		expect(await actorForToken(user.token)).not.toBeNull();
		expect(await endUserSessions(admin.actor, { userId: user.user.id })).toEqual({ ended: 1 });
		expect(await actorForToken(user.token)).toBeNull();
		await expect(endUserSessions(admin.actor, { userId: user.user.id, sessionId: 'not-a-session' })).rejects.toMatchObject({ code: 'invalid_input', details: { sessionId: 'invalid_session' } });
		expect((await logRows('session.revoke')).map((r) => r.reason)).toEqual([
			`1 session(s) of ${user.user.loginId} ended by an administrator`,
			`1 session(s) of ${user.user.loginId} ended by an administrator`
		]);
	});
});

describe('own account', () => {
	beforeEach(async () => {
		await resetDb(sql);
		await sql`delete from login_throttle`;
	});

	it('lists own sessions with this one marked, and ends another one or all others; never someone else’s', async () => {
		const me = await signedIn('operator');
		const other = await signIn({ loginId: me.user.loginId, password: TEST_PASSWORD }, { ip: '198.51.100.7', userAgent: 'Firefox/128' });
		const stranger = await signedIn('operator');
		const list = await listOwnSessions(me.actor);
		expect(list).toHaveLength(2);
		expect(list.find((s) => s.current)?.id).toBe(me.actor.sessionId);
		expect(list.find((s) => !s.current)).toMatchObject({ ip: '198.51.100.7', userAgent: 'Firefox/128' });

		// someone else's session id: nothing ends
		expect(await endOwnSessions(me.actor, { sessionId: stranger.actor.sessionId })).toEqual({ ended: 0, current: false });
		expect(await actorForToken(stranger.token)).not.toBeNull();

		expect(await endOwnSessions(me.actor, { sessionId: sessionIdFor(other.token) })).toEqual({ ended: 1, current: false });
		expect(await actorForToken(other.token)).toBeNull();
		const third = await signIn({ loginId: me.user.loginId, password: TEST_PASSWORD });
		expect(await endOwnSessions(me.actor, { others: true })).toEqual({ ended: 1, current: false });
		expect(await actorForToken(third.token)).toBeNull();
		expect(await actorForToken(me.token)).not.toBeNull();
		expect(await endOwnSessions(me.actor, { sessionId: me.actor.sessionId })).toEqual({ ended: 1, current: true });
		expect(await actorForToken(me.token)).toBeNull();
		await expect(endOwnSessions(me.actor, {})).rejects.toMatchObject({ code: 'invalid_input', details: { sessionId: 'required' } });
		expect((await logRows('session.revoke')).map((r) => r.reason)).toEqual([
			'1 own session(s) ended by the user',
			'1 own session(s) ended by the user',
			'1 own session(s) ended by the user (including this one)'
		]);
	});

	it('changes the password with the current one; refuses a wrong current, a weak or mismatched new one, naming the field', async () => {
		const me = await signedIn('operator', 'op-change');
		const other = await signIn({ loginId: 'op-change', password: TEST_PASSWORD });
		const bad: [Record<string, unknown>, Record<string, string>][] = [
			[{ currentPassword: 'wrong wrong wrong', newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, { currentPassword: 'wrong_password' }],
			[{ currentPassword: TEST_PASSWORD, newPassword: 'iloveyou2026', confirmPassword: 'iloveyou2026' }, { newPassword: 'common' }],
			[{ currentPassword: TEST_PASSWORD, newPassword: 'short', confirmPassword: 'short' }, { newPassword: 'too_short' }],
			[{ currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD + '!' }, { confirmPassword: 'mismatch' }],
			[{ currentPassword: TEST_PASSWORD, newPassword: 'my op-change password', confirmPassword: 'my op-change password' }, { newPassword: 'contains_login_id' }],
			[{}, { currentPassword: 'required', newPassword: 'required', confirmPassword: 'required' }]
		];
		for (const [input, details] of bad) {
			await expect(changeOwnPassword(me.actor, input), JSON.stringify(input)).rejects.toMatchObject({ code: 'invalid_input', details });
		}
		// nothing changed: the old password still works, both sessions live
		expect((await checkCredentials({ loginId: 'op-change', password: TEST_PASSWORD })).id).toBe(me.user.id);
		expect(await actorForToken(other.token)).not.toBeNull();

		expect(await changeOwnPassword(me.actor, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })).toEqual({ otherSessionsEnded: 1 });
		expect(await actorForToken(me.token)).not.toBeNull(); // this session stays
		expect(await actorForToken(other.token)).toBeNull();
		await expect(signIn({ loginId: 'op-change', password: TEST_PASSWORD })).rejects.toMatchObject({ code: 'invalid_credentials' });
		expect((await signIn({ loginId: 'op-change', password: NEW_PASSWORD })).actor.id).toBe(me.user.id);
		// NFKC: the same password typed in full-width letters
		await changeOwnPassword(me.actor, { currentPassword: NEW_PASSWORD, newPassword: 'Blue Whale Song 2026', confirmPassword: 'Blue Whale Song 2026' });
		expect((await signIn({ loginId: 'op-change', password: 'Ｂｌｕｅ Ｗｈａｌｅ Ｓｏｎｇ ２０２６' })).actor.id).toBe(me.user.id);
		const failed = await logRows('login.failed');
		expect(failed.map((r) => r.reason)).toContain('wrong current password on password change; login id: op-change');
		expect(JSON.stringify(await sql`select * from access_log`)).not.toContain('wrong wrong wrong');
	});

	it('a wrong current password counts towards the lockout', async () => {
		const me = await signedIn('operator', 'op-guess');
		const wrong = { currentPassword: 'not my password', newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD };
		for (let i = 0; i < 4; i++) await expect(changeOwnPassword(me.actor, wrong)).rejects.toMatchObject({ code: 'invalid_input' });
		await expect(changeOwnPassword(me.actor, wrong)).rejects.toMatchObject({ code: 'locked', retryAfterSeconds: 30 });
		await expect(changeOwnPassword(me.actor, { ...wrong, currentPassword: TEST_PASSWORD })).rejects.toMatchObject({ code: 'locked' });
		await expect(signIn({ loginId: 'op-guess', password: TEST_PASSWORD })).rejects.toMatchObject({ code: 'locked' });
	});
});

describe('session lifetimes (SESSION_IDLE_MINUTES = 30, SESSION_TTL_HOURS = 12)', () => {
	beforeEach(async () => {
		await resetDb(sql);
	});

	it('ends a session idle for longer than the idle timeout', async () => {
		const me = await signedIn('operator');
		await sql`update sessions set last_seen_at = now() - interval '29 minutes'`;
		expect(await actorForToken(me.token)).not.toBeNull(); // still inside, and this use touches it
		const [{ lastSeenAt }] = await sql<{ lastSeenAt: Date }[]>`select last_seen_at from sessions`;
		expect(Date.now() - lastSeenAt.getTime()).toBeLessThan(10_000);
		await sql`update sessions set last_seen_at = now() - interval '31 minutes'`;
		expect(await actorForToken(me.token)).toBeNull();
	});

	it('a socket check (touch: false) does not keep a session alive', async () => {
		const me = await signedIn('operator');
		await sql`update sessions set last_seen_at = now() - interval '20 minutes'`;
		expect(await actorForToken(me.token, { touch: false })).not.toBeNull();
		const [{ idle }] = await sql<{ idle: number }[]>`select extract(epoch from now() - last_seen_at)::int as idle from sessions`;
		expect(idle).toBeGreaterThanOrEqual(1199);
	});

	it('ends a session at its absolute lifetime however active it is, and use never extends it', async () => {
		const me = await signedIn('operator');
		const [{ expiresAt }] = await sql<{ expiresAt: Date }[]>`select expires_at from sessions`;
		expect(Math.round((expiresAt.getTime() - Date.now()) / 3600_000)).toBe(12);
		await sql`update sessions set last_seen_at = now() - interval '5 minutes'`;
		expect(await actorForToken(me.token)).not.toBeNull();
		const [after] = await sql<{ expiresAt: Date }[]>`select expires_at from sessions`;
		expect(after.expiresAt.getTime()).toBe(expiresAt.getTime()); // not sliding
		await sql`update sessions set expires_at = now() - interval '1 second', last_seen_at = now()`;
		expect(await actorForToken(me.token)).toBeNull();
	});

	it('signing in and out is logged (login, logout)', async () => {
		const u = await newUser(sql, 'staff', 'staff-log');
		const s = await signIn({ loginId: 'staff-log', password: TEST_PASSWORD }, { ip: '192.0.2.44', userAgent: 'Chromium/140', requestId: 'req-1' });
		await signOut(s.token, { ip: '192.0.2.44' });
		const rows = await sql<{ action: string; userId: number; role: string; ip: string; reason: string | null }[]>`
			select action, user_id, role, ip, reason from access_log where action in ('login', 'logout') order by id`;
		expect(rows).toEqual([
			{ action: 'login', userId: u.id, role: 'staff', ip: '192.0.2.44', reason: 'user agent: Chromium/140' },
			{ action: 'logout', userId: u.id, role: 'staff', ip: '192.0.2.44', reason: null }
		]);
	});
});

describe('sign-in lockout (in process)', () => {
	beforeEach(async () => {
		await resetDb(sql);
		await sql`delete from login_throttle`;
	});

	it('locks after five failures with a doubling delay, alike for an existing and an unknown id, and logs each', async () => {
		await newUser(sql, 'operator', 'op-lock');
		for (const loginId of ['op-lock', 'no-such-user']) {
			for (let i = 0; i < 4; i++) {
				await expect(signIn({ loginId, password: `wrong password ${i}` })).rejects.toMatchObject({ code: 'invalid_credentials' });
			}
			await expect(signIn({ loginId, password: 'wrong password 5' })).rejects.toMatchObject({ code: 'locked', retryAfterSeconds: 30 });
			// while locked even the right password is refused, with the seconds left
			const e = await signIn({ loginId, password: TEST_PASSWORD }).catch((x) => x);
			expect(e).toMatchObject({ code: 'locked', status: 429 });
			expect(e.retryAfterSeconds).toBeGreaterThan(25);
			expect(e.retryAfterSeconds).toBeLessThanOrEqual(30);
		}
		// the 6th failure (after the first lock has passed) locks for 60 s
		if (REDIS_URL) {
			const r = new Redis(REDIS_URL);
			const key = `${process.env.REDIS_KEY_PREFIX}lock:id:op-lock`;
			await r.hset(key, 'at', String(Date.now() - 31_000));
			await expect(signIn({ loginId: 'op-lock', password: 'wrong again' })).rejects.toMatchObject({ code: 'locked', retryAfterSeconds: 60 });
			expect(Number(await r.hget(key, 'n'))).toBe(6);
			expect(await r.ttl(key)).toBeGreaterThan(23 * 3600);
			r.disconnect();
		} else {
			await sql`update login_throttle set last_at = now() - interval '31 seconds' where key = 'id:op-lock'`;
			await expect(signIn({ loginId: 'op-lock', password: 'wrong again' })).rejects.toMatchObject({ code: 'locked', retryAfterSeconds: 60 });
		}
		const failed = await logRows('login.failed');
		const known = failed.filter((r) => r.reason?.endsWith('login id: op-lock'));
		const unknown = failed.filter((r) => r.reason?.endsWith('login id: no-such-user'));
		expect(known.map((r) => r.reason!.split(';')[0].replace(/\d+ s left/, 'N s left'))).toEqual([
			...Array(5).fill('wrong_password'),
			'locked, N s left',
			'wrong_password'
		]);
		expect(known[0].role).toBe('operator');
		expect(unknown.map((r) => r.reason!.split(';')[0].replace(/\d+ s left/, 'N s left'))).toEqual([...Array(5).fill('unknown_login_id'), 'locked, N s left']);
		expect(unknown[0]).toMatchObject({ userId: null, role: null });
		expect(JSON.stringify(failed)).not.toContain('wrong password');
	});

	it('a success clears the id’s count', async () => {
		await newUser(sql, 'operator', 'op-typo');
		for (let round = 0; round < 3; round++) {
			for (let i = 0; i < 4; i++) await expect(signIn({ loginId: 'op-typo', password: 'typo typo typo' })).rejects.toMatchObject({ code: 'invalid_credentials' });
			await signIn({ loginId: 'op-typo', password: TEST_PASSWORD });
		}
	});

	it('counts first, then decides: 20 parallel wrong passwords for one id get at most 5 answers, the rest are locked', async () => {
		await newUser(sql, 'operator', 'op-race');
		const results = await Promise.allSettled(
			Array.from({ length: 20 }, (_, i) => checkCredentials({ loginId: 'op-race', password: `parallel guess ${i}` }, { ip: '192.0.2.77' }))
		);
		const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'signed_in'));
		expect(codes.filter((c) => c === 'invalid_credentials').length).toBeLessThanOrEqual(5);
		expect(codes.filter((c) => c !== 'invalid_credentials').every((c) => c === 'locked')).toBe(true);
		// what matters: at most 5 of the 20 guesses were checked at all (each checked one is logged as wrong_password)
		const checked = (await logRows('login.failed')).filter((r) => r.reason?.startsWith('wrong_password'));
		expect(checked.length).toBeLessThanOrEqual(5);
		// the lock holds afterwards, even for the right password
		await expect(checkCredentials({ loginId: 'op-race', password: TEST_PASSWORD })).rejects.toMatchObject({ code: 'locked' });
	});

	it('a right password takes its attempt back: four failures, a success, four more still do not lock', async () => {
		await newUser(sql, 'operator', 'op-back');
		for (let i = 0; i < 4; i++) await expect(checkCredentials({ loginId: 'op-back', password: 'typo typo typo' })).rejects.toMatchObject({ code: 'invalid_credentials' });
		// the password step alone (no session yet) does not clear the count, but is not a failure either
		await checkCredentials({ loginId: 'op-back', password: TEST_PASSWORD });
		await expect(checkCredentials({ loginId: 'op-back', password: 'typo typo typo' })).rejects.toMatchObject({ code: 'locked' });
	});

	it('re-checking the password (change password) counts first too: 20 parallel wrong ones, at most 5 answered', async () => {
		const me = await signedIn('operator', 'op-recheck');
		const results = await Promise.allSettled(
			Array.from({ length: 20 }, (_, i) =>
				changeOwnPassword(me.actor, { currentPassword: `not my password ${i}`, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })
			)
		);
		const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'changed'));
		expect(codes.filter((c) => c === 'invalid_input').length).toBeLessThanOrEqual(5);
		expect(codes.filter((c) => c !== 'invalid_input').every((c) => c === 'locked')).toBe(true);
		const checked = (await logRows('login.failed')).filter((r) => r.reason?.startsWith('wrong current password'));
		expect(checked.length).toBeLessThanOrEqual(5);
	});

	it('logs the login id tried only when it looks like one: a password typed into the id field is not logged', async () => {
		await expect(signIn({ loginId: 'ひまわり 秘密のパス!', password: 'whatever it is' })).rejects.toMatchObject({ code: 'invalid_credentials' });
		await expect(signIn({ loginId: 'no-such.user_1', password: 'whatever it is' })).rejects.toMatchObject({ code: 'invalid_credentials' });
		const failed = await logRows('login.failed');
		expect(JSON.stringify(failed)).not.toContain('秘密');
		expect(failed.map((r) => r.reason)).toEqual([
			expect.stringMatching(/^unknown_login_id; login id: \(invalid id, sha256:[0-9a-f]{12}\)$/),
			'unknown_login_id; login id: no-such.user_1'
		]);
	});

	it('locks a client address after 50 failures whatever ids it tries', async () => {
		const ip = `203.0.113.${Math.floor(Math.random() * 200) + 1}`;
		for (let i = 0; i < 49; i++) {
			await expect(checkCredentials({ loginId: `spray-${i}`, password: 'Summer2026!' }, { ip })).rejects.toMatchObject({ code: 'invalid_credentials' });
		}
		await expect(checkCredentials({ loginId: 'spray-49', password: 'Summer2026!' }, { ip })).rejects.toMatchObject({ code: 'locked', retryAfterSeconds: 30 });
		await newUser(sql, 'operator', 'op-nat');
		await expect(checkCredentials({ loginId: 'op-nat', password: TEST_PASSWORD }, { ip })).rejects.toMatchObject({ code: 'locked' });
		// another address is not affected
		expect((await checkCredentials({ loginId: 'op-nat', password: TEST_PASSWORD }, { ip: '198.51.100.99' })).loginId).toBe('op-nat');
	});
});

describe.skipIf(!REDIS_URL)('two instances sharing Redis (needs REDIS_URL)', () => {
	let a: Instance;
	let b: Instance;
	beforeAll(async () => {
		await resetDb(sql);
		// these sign-ins are about the password step: no role needs a security key here (keys: webauthn.int.test.ts)
		await sql`update webauthn_role_requirements set required = false`;
		[a, b] = await Promise.all([
			startInstance({ port: 3510, env: { REDIS_URL, INSTANCE_ID: 'acc-a', LOGIN_RATE_PER_MINUTE: '40' } }),
			startInstance({ port: 3511, env: { REDIS_URL, INSTANCE_ID: 'acc-b', LOGIN_RATE_PER_MINUTE: '40' } })
		]);
	});
	afterAll(async () => {
		await Promise.all([a?.stop(), b?.stop()]);
		await sql`update webauthn_role_requirements set required = true`;
	});

	it('counts failures across instances: four on A and B, the fifth locks on both, for known and unknown ids alike', async () => {
		await newUser(sql, 'operator', 'op-two');
		for (const loginId of ['op-two', 'nobody-two']) {
			for (let i = 0; i < 4; i++) {
				const r = await postLogin(i % 2 ? b.url : a.url, loginId, 'wrong password');
				expect(r.status, `${loginId} attempt ${i + 1}`).toBe(401);
				expect(r.text).toContain('ユーザーIDまたはパスワードが正しくありません。');
			}
			const fifth = await postLogin(b.url, loginId, 'wrong password');
			expect(fifth.status).toBe(429);
			expect(fifth.retryAfter).toBe('30');
			const right = await postLogin(a.url, loginId, TEST_PASSWORD);
			expect(right.status).toBe(429);
			expect(right.cookie ?? '').not.toContain('kansho_session=');
			expect(right.text).toMatch(/しばらくしてから再度お試しください（あと\d+秒）/);
		}
		const r = new Redis(REDIS_URL!);
		expect(await r.hget(`${process.env.REDIS_KEY_PREFIX}lock:id:op-two`, 'n')).toBe('5');
		expect(await r.hget(`${process.env.REDIS_KEY_PREFIX}lock:id:nobody-two`, 'n')).toBe('5');
		r.disconnect();
		// counted in Redis, not in PostgreSQL
		expect(await sql`select key from login_throttle where key like 'id:%two'`).toHaveLength(0);
	});

	it('an administrator’s revocation through A closes the user’s live socket on B at once', async () => {
		const admin = await signedIn('admin');
		const user = await signedIn('supervisor');
		const onB = connectSocket(b.url, user.token);
		await once(onB, 'connect');
		const ended = once<{ reason: string }>(onB, 'session:ended', 4000);
		const started = Date.now();
		const res = await postForm(a.url, `/admin/users/${user.user.id}?/end`, admin.token, {});
		expect(res.status).toBe(200);
		expect(await ended).toEqual({ reason: 'revoked' });
		expect(Date.now() - started).toBeLessThan(4000); // NOTIFY, not the 30-second re-check
		onB.close();
		const page = await fetch(`${b.url}/account`, { headers: { cookie: `kansho_session=${user.token}` }, redirect: 'manual' });
		expect(page.status).toBe(303);
		expect(page.headers.get('location')).toMatch(/^\/login/);
	});

	it('disabling through A disconnects the user on B; the old cookie is refused for pages and sockets', async () => {
		const admin = await signedIn('admin');
		const user = await signedIn('manager');
		const onB = connectSocket(b.url, user.token);
		await once(onB, 'connect');
		const ended = once<{ reason: string }>(onB, 'session:ended', 4000);
		const res = await postForm(a.url, `/admin/users/${user.user.id}?/enabled`, admin.token, { enabled: 'false' });
		expect(res.status).toBe(200);
		expect(await ended).toEqual({ reason: 'revoked' });
		onB.close();
		const again = connectSocket(b.url, user.token);
		const err = await once<Error & { data?: { code: string } }>(again, 'connect_error');
		expect(err.data?.code).toBe('unauthenticated');
		again.close();
		const page = await fetch(`${a.url}/manager`, { headers: { cookie: `kansho_session=${user.token}` }, redirect: 'manual' });
		expect(page.status).toBe(303);
	});

	it('a role change through A takes effect: the old session ends, the new sign-in opens the new role’s pages', async () => {
		const admin = await signedIn('admin');
		const user = await signedIn('operator');
		expect((await fetch(`${b.url}/supervisor`, { headers: { cookie: `kansho_session=${user.token}` }, redirect: 'manual' })).status).toBe(403);
		const res = await postForm(a.url, `/admin/users/${user.user.id}?/role`, admin.token, { role: 'supervisor' });
		expect(res.status).toBe(200);
		expect((await fetch(`${b.url}/supervisor`, { headers: { cookie: `kansho_session=${user.token}` }, redirect: 'manual' })).status).toBe(303);
		const login = await postLogin(b.url, user.user.loginId, TEST_PASSWORD);
		expect(login.status).toBe(303);
		expect(login.location).toBe('/supervisor');
		const token = /kansho_session=([^;]+)/.exec(login.cookie ?? '')?.[1];
		expect((await fetch(`${a.url}/supervisor`, { headers: { cookie: `kansho_session=${token}` }, redirect: 'manual' })).status).toBe(200);
	});

	it('refuses bad input on the admin form naming the field (Japanese page), and non-admins get 403', async () => {
		const admin = await signedIn('admin');
		const before = await counts();
		const res = await postForm(a.url, '/admin?/create', admin.token, { loginId: 'op-x', displayName: '弱いパスワード', role: 'operator', password: 'password1234' });
		expect(res.status).toBe(400);
		expect(res.text).toContain('この初期パスワードはよく使われているため使えません。');
		expect(await counts()).toEqual(before);
		const op = await signedIn('operator');
		const denied = await postForm(a.url, '/admin?/create', op.token, { loginId: 'op-y', displayName: 'x', role: 'admin', password: NEW_PASSWORD });
		expect(denied.status).toBe(403);
		expect(await counts()).toEqual({ users: before.users + 1, sessions: before.sessions + 1 }); // the operator's own
	});

	it('limits sign-in attempts per address (LOGIN_RATE_PER_MINUTE = 40 here), across instances', async () => {
		let limited: Awaited<ReturnType<typeof postLogin>> | null = null;
		let n = 0;
		while (!limited && n < 41) {
			const r = await postLogin(n % 2 ? a.url : b.url, `rate-${n}`, 'wrong password');
			n++;
			if (r.status === 429) limited = r;
		}
		expect(limited, 'rate limited within 41 attempts').not.toBeNull();
		expect(limited!.text).toMatch(/ログインの試行が多すぎます。しばらくしてから再度お試しください（あと\d+秒）/);
		expect(Number(limited!.retryAfter)).toBeGreaterThan(0);
		expect(Number(limited!.retryAfter)).toBeLessThanOrEqual(60);
		const failed = await logRows('login.failed');
		expect(failed.at(-1)?.reason).toMatch(/^rate_limited, \d+ s left; login id: rate-\d+$/);
		// leave the window clean for anything after this file
		const r = new Redis(REDIS_URL!);
		const keys = await r.keys(`${process.env.REDIS_KEY_PREFIX}lock:rate:*`);
		if (keys.length) await r.del(...keys);
		r.disconnect();
	});
});

describe('one instance without Redis: the lockout counts in PostgreSQL', () => {
	let c: Instance;
	beforeAll(async () => {
		await resetDb(sql);
		await sql`delete from login_throttle`;
		c = await startInstance({ port: 3512, env: { REDIS_URL: undefined, INSTANCE_ID: 'acc-c' } });
	});
	afterAll(async () => {
		await c?.stop();
	});

	it('locks after five failures and keeps the counters in login_throttle', async () => {
		await newUser(sql, 'operator', 'op-pg');
		for (let i = 0; i < 4; i++) expect((await postLogin(c.url, 'op-pg', 'wrong password')).status).toBe(401);
		const fifth = await postLogin(c.url, 'op-pg', 'wrong password');
		expect(fifth.status).toBe(429);
		expect(fifth.text).toContain('あと30秒');
		expect((await postLogin(c.url, 'op-pg', TEST_PASSWORD)).status).toBe(429);
		const rows = await sql<{ key: string; count: number }[]>`select key, count from login_throttle order by key`;
		expect(rows.find((r) => r.key === 'id:op-pg')?.count).toBe(5);
		expect(rows.some((r) => r.key.startsWith('ip:') && r.count === 5)).toBe(true);
		expect(rows.some((r) => r.key.startsWith('rate:') && r.count === 6)).toBe(true);
	});

	it('counts first in PostgreSQL too: 20 parallel wrong passwords for one id, at most 5 answered, the rest locked', async () => {
		await newUser(sql, 'operator', 'op-pgrace');
		const results = await Promise.all(Array.from({ length: 20 }, (_, i) => postLogin(c.url, 'op-pgrace', `parallel guess ${i}`)));
		const statuses = results.map((r) => r.status);
		expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
		expect(statuses.filter((s) => s !== 401).every((s) => s === 429)).toBe(true);
		expect(results.filter((r) => r.status === 429).every((r) => r.text.includes('あと'))).toBe(true);
		const [row] = await sql<{ count: number }[]>`select count from login_throttle where key = 'id:op-pgrace'`;
		expect(row.count).toBeLessThanOrEqual(5);
		const checked = await sql`select 1 from access_log where action = 'login.failed' and reason = 'wrong_password; login id: op-pgrace'`;
		expect(checked.length).toBeLessThanOrEqual(5);
	});

	it('background refreshes (x-kansho-background: 1) are authenticated but do not keep a session from idling out', async () => {
		const me = await signedIn('supervisor', 'sv-idle');
		const id = sessionIdFor(me.token);
		const wall = (background: boolean) =>
			fetch(`${c.url}/api/wall`, {
				headers: { accept: 'application/json', cookie: `kansho_session=${me.token}`, ...(background ? { 'x-kansho-background': '1' } : {}) }
			});
		await sql`update sessions set last_seen_at = now() - interval '29 minutes' where id = ${id}`;
		expect((await wall(true)).status).toBe(200);
		const [{ idle }] = await sql<{ idle: number }[]>`select extract(epoch from now() - last_seen_at)::int as idle from sessions where id = ${id}`;
		expect(idle).toBeGreaterThanOrEqual(29 * 60 - 1); // not touched
		await sql`update sessions set last_seen_at = now() - interval '31 minutes' where id = ${id}`;
		expect((await wall(true)).status).toBe(401); // idle: over, however often the page refreshed itself
		// a request the person makes does count as use
		const other = await signedIn('supervisor', 'sv-busy');
		await sql`update sessions set last_seen_at = now() - interval '29 minutes' where id = ${sessionIdFor(other.token)}`;
		const r = await fetch(`${c.url}/api/wall`, { headers: { accept: 'application/json', cookie: `kansho_session=${other.token}` } });
		expect(r.status).toBe(200);
		const [{ idle: idle2 }] = await sql<{ idle: number }[]>`select extract(epoch from now() - last_seen_at)::int as idle from sessions where id = ${sessionIdFor(other.token)}`;
		expect(idle2).toBeLessThan(60);
	});
});

async function postLogin(url: string, loginId: string, password: string) {
	const r = await fetch(`${url}/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin: url },
		body: new URLSearchParams({ loginId, password }),
		redirect: 'manual'
	});
	return { status: r.status, text: await r.text(), cookie: r.headers.get('set-cookie'), retryAfter: r.headers.get('retry-after'), location: r.headers.get('location') };
}

async function postForm(url: string, path: string, token: string, fields: Record<string, string>) {
	const r = await fetch(`${url}${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', origin: url, cookie: `kansho_session=${token}` },
		body: new URLSearchParams(fields),
		redirect: 'manual'
	});
	return { status: r.status, text: await r.text() };
}
