/**
 * Real kansho processes: the socket boundary on one instance, and two instances sharing one PostgreSQL and one
 * Redis, where an outcome recorded through A reaches a wall display connected to B.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSql, resetDb } from '../helpers/db.ts';
import { newHousehold, newOperator, newSegment, newUser, TEST_PASSWORD } from '../helpers/factories.ts';
import { api, connectSocket, once, startInstance, type Instance } from '../helpers/server.ts';
import { signIn, signOut } from '../../src/lib/server/auth/sessions.ts';
import { closeDb } from '../../src/lib/server/db.ts';
import type { CallRecorded } from '../../src/lib/realtime/events.ts';

const sql = testSql();
const REDIS_URL = process.env.REDIS_URL;

let opToken = '';
let svToken = '';
let opId = 0;
let household = 0;

beforeAll(async () => {
	await resetDb(sql);
	const seg = await newSegment(sql);
	household = await newHousehold(sql, { segmentId: seg, owed: 80_000 });
	await newHousehold(sql, { segmentId: seg, owed: 1_000 });
	const op = await newOperator(sql, [seg]);
	opId = op.id;
	const sv = await newUser(sql, 'supervisor');
	opToken = (await signIn({ loginId: op.loginId, password: TEST_PASSWORD })).token;
	svToken = (await signIn({ loginId: sv.loginId, password: TEST_PASSWORD })).token;
});
afterAll(async () => {
	await sql.end();
	await closeDb();
});

async function presence(userId: number): Promise<boolean | null> {
	const [r] = await sql<{ connected: boolean }[]>`select connected from user_presence where user_id = ${userId}`;
	return r?.connected ?? null;
}

async function until(pred: () => Promise<boolean>, ms = 5000) {
	const end = Date.now() + ms;
	while (Date.now() < end) {
		if (await pred()) return true;
		await new Promise((r) => setTimeout(r, 50));
	}
	return pred();
}

describe('the socket and API boundary (one instance)', () => {
	let a: Instance;
	beforeAll(async () => {
		a = await startInstance({ port: 3311, env: { REDIS_URL: undefined } });
	});
	afterAll(async () => {
		expect(await a.stop()).toBe(0); // graceful shutdown on SIGTERM
	});

	it('refuses a socket without a valid session', async () => {
		const s = connectSocket(a.url, 'not-a-real-token');
		const err = await once<Error & { data?: { code: string } }>(s, 'connect_error');
		expect(err.data?.code).toBe('unauthenticated');
		s.close();
	});

	it('answers a malformed heartbeat with invalid_input, naming the field', async () => {
		const s = connectSocket(a.url, opToken);
		await once(s, 'connect');
		const res = await s.timeout(3000).emitWithAck('presence:heartbeat', { householdId: 'abc' });
		expect(res).toMatchObject({ ok: false, code: 'invalid_input', message: expect.stringContaining('householdId') });
		const res2 = await s.timeout(3000).emitWithAck('presence:heartbeat', { householdId: null, extra: 1 });
		expect(res2).toMatchObject({ ok: false, code: 'invalid_input' });
		const ok = await s.timeout(3000).emitWithAck('presence:heartbeat', {});
		expect(ok).toMatchObject({ ok: true });
		s.close();
	});

	it('answers the API with stable codes: 401 signed out, 403 wrong role, 400 bad JSON', async () => {
		expect((await api(`${a.url}/api/wall`, 'nope', 'GET')).json).toMatchObject({ code: 'unauthenticated' });
		const forbidden = await api(`${a.url}/api/wall`, opToken, 'GET');
		expect(forbidden.status).toBe(403);
		const bad = await fetch(`${a.url}/api/calls`, { method: 'POST', headers: { cookie: `kansho_session=${opToken}`, 'content-type': 'application/json' }, body: '{oops' });
		expect(bad.status).toBe(400);
		expect(await bad.json()).toMatchObject({ code: 'invalid_input' });
		const wrong = await api(`${a.url}/api/calls`, opToken, 'POST', { householdId: household, outcomeCode: '10', idempotencyKey: 'realtime-int-wrong-1' });
		expect(wrong.status).toBe(409);
		expect(wrong.json).toMatchObject({ code: 'claim_not_held' });
	});

	it('closes a session’s sockets when it signs out', async () => {
		const u = await newUser(sql, 'manager');
		const { token } = await signIn({ loginId: u.loginId, password: TEST_PASSWORD });
		const s = connectSocket(a.url, token);
		await once(s, 'connect');
		const ended = once<{ reason: string }>(s, 'session:ended');
		const disconnected = once<string>(s, 'disconnect');
		await signOut(token);
		expect(await ended).toEqual({ reason: 'logout' });
		expect(await disconnected).toBe('io server disconnect');
		s.close();
	});

	it('reports health and readiness', async () => {
		expect((await fetch(`${a.url}/healthz`)).status).toBe(200);
		const r = await (await fetch(`${a.url}/readyz`)).json();
		expect(r).toMatchObject({ status: 'ready', checks: { database: 'ok' } });
	});
});

describe.skipIf(!REDIS_URL)('two instances on one PostgreSQL and one Redis (needs REDIS_URL)', () => {
	let a: Instance;
	let b: Instance;
	beforeAll(async () => {
		[a, b] = await Promise.all([
			startInstance({ port: 3312, env: { REDIS_URL, INSTANCE_ID: 'test-a' } }),
			startInstance({ port: 3313, env: { REDIS_URL, INSTANCE_ID: 'test-b' } })
		]);
	});
	afterAll(async () => {
		await Promise.all([a?.stop(), b?.stop()]);
	});

	it('an outcome recorded through instance A reaches a wall display connected to instance B', async () => {
		const wall = connectSocket(b.url, svToken);
		await once(wall, 'connect');
		const before = await api(`${b.url}/api/wall`, svToken, 'GET');
		expect(before.status).toBe(200);
		const doneBefore = before.json.segments[0].doneToday;

		const claimed = await api(`${a.url}/api/claims/next`, opToken, 'POST');
		expect(claimed.status).toBe(200);
		expect(claimed.json.householdId).toBe(household);

		const recorded = once<CallRecorded>(wall, 'call:recorded');
		const saved = await api(`${a.url}/api/calls`, opToken, 'POST', { householdId: household, outcomeCode: '20', party: 'self', note: 'テスト', idempotencyKey: 'realtime-int-saved-1' });
		expect(saved.status).toBe(201);
		const event = await recorded;
		expect(event).toMatchObject({ callId: saved.json.callId, householdId: household, operatorId: opId, outcomeCode: '20', rightParty: true });

		const after = await api(`${b.url}/api/wall`, svToken, 'GET');
		expect(after.json.segments[0].doneToday).toBe(doneBefore + 1);
		expect(after.json.today.attempts).toBeGreaterThanOrEqual(1);
		wall.close();
	});

	it('keeps an operator online while any instance still holds one of their sockets (Redis adapter)', async () => {
		const onA = connectSocket(a.url, opToken);
		const onB = connectSocket(b.url, opToken);
		await Promise.all([once(onA, 'connect'), once(onB, 'connect')]);
		expect(await until(async () => (await presence(opId)) === true)).toBe(true);

		onB.close();
		// B asks every instance (through Redis) whether the user has sockets left: A still has one
		await new Promise((r) => setTimeout(r, 800));
		expect(await presence(opId)).toBe(true);

		onA.close();
		expect(await until(async () => (await presence(opId)) === false)).toBe(true);
	});
});
