import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { testSql, resetDb } from '../helpers/db.ts';
import { newUser, TEST_PASSWORD } from '../helpers/factories.ts';
import { actorForToken, sessionIdFor, signIn, signOut } from '../../src/lib/server/auth/sessions.ts';
import { closeDb } from '../../src/lib/server/db.ts';

const sql = testSql();
afterAll(async () => {
	await sql.end();
	await closeDb();
});
beforeEach(() => resetDb(sql));

describe('sign-in and sessions', () => {
	it('signs in with the right password and stores only the token’s hash', async () => {
		const u = await newUser(sql, 'operator', 'op-login');
		const s = await signIn({ loginId: 'op-login', password: TEST_PASSWORD });
		expect(s.actor).toMatchObject({ id: u.id, role: 'operator' });
		const rows = await sql<{ id: string }[]>`select id from sessions`;
		expect(rows).toEqual([{ id: sessionIdFor(s.token) }]);
		expect(rows[0].id).not.toBe(s.token);
		expect((await actorForToken(s.token))?.id).toBe(u.id);
	});

	it('fails alike for a wrong password and an unknown ID, and opens no session', async () => {
		await newUser(sql, 'operator', 'op-login');
		await expect(signIn({ loginId: 'op-login', password: 'wrong-password' })).rejects.toMatchObject({ code: 'invalid_credentials' });
		await expect(signIn({ loginId: 'nobody', password: TEST_PASSWORD })).rejects.toMatchObject({ code: 'invalid_credentials' });
		await expect(signIn({ loginId: '', password: '' })).rejects.toMatchObject({ code: 'invalid_input' });
		const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from sessions`;
		expect(n).toBe(0);
	});

	it('rejects an expired session, a disabled user and a signed-out token', async () => {
		const u = await newUser(sql, 'supervisor', 'sv-login');
		const s = await signIn({ loginId: 'sv-login', password: TEST_PASSWORD });
		await sql`update sessions set expires_at = now() - interval '1 second'`;
		expect(await actorForToken(s.token)).toBeNull();

		const s2 = await signIn({ loginId: 'sv-login', password: TEST_PASSWORD });
		await sql`update users set disabled_at = now() where id = ${u.id}`;
		expect(await actorForToken(s2.token)).toBeNull();
		await expect(signIn({ loginId: 'sv-login', password: TEST_PASSWORD })).rejects.toMatchObject({ code: 'invalid_credentials' });

		await sql`update users set disabled_at = null where id = ${u.id}`;
		const s3 = await signIn({ loginId: 'sv-login', password: TEST_PASSWORD });
		await signOut(s3.token);
		expect(await actorForToken(s3.token)).toBeNull();
		expect(await actorForToken('')).toBeNull();
		expect(await actorForToken('x'.repeat(500))).toBeNull();
	});
});
