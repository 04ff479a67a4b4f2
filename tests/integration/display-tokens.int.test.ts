/**
 * Display tokens (issue #6): a wall PC opens the wall display with a token a supervisor issued. Issued once, only
 * its hash stored, every step in the access log; revoking closes its walls at once; the token opens /wall and its
 * socket's wall view, and nothing else (every other page, endpoint and socket event refuses it).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { io as ioClient, type Socket } from 'socket.io-client';
import { resetDb, testSql } from '../helpers/db.ts';
import { newHousehold, newSegment, newUser, TEST_PASSWORD } from '../helpers/factories.ts';
import { eventually, liveEvents } from '../helpers/events.ts';
import { connectSocket, startInstance, type Instance } from '../helpers/server.ts';
import {
	DISPLAY_COOKIE,
	issueDisplayToken,
	listDisplayTokens,
	resolveDisplayToken,
	revokeDisplayToken
} from '../../src/lib/server/display/display.ts';
import { signIn } from '../../src/lib/server/auth/sessions.ts';
import { closeDb } from '../../src/lib/server/db.ts';
import { closeRedis } from '../../src/lib/server/redis.ts';
import { DomainError } from '../../src/lib/server/errors.ts';
import type { Actor } from '../../src/lib/server/auth/actor.ts';

const sql = testSql();
afterAll(async () => {
	await sql.end();
	await closeDb();
	await closeRedis();
});

async function refusal(p: Promise<unknown>): Promise<DomainError> {
	try {
		await p;
	} catch (e) {
		if (e instanceof DomainError) return e;
		throw e;
	}
	throw new Error('expected a refusal');
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const logRows = (action: string) =>
	sql<{ userId: number | null; role: string | null; reason: string; ip: string | null }[]>`select user_id, role, reason, ip from access_log where action = ${action} order by id`;

describe('display tokens: the use cases', () => {
	let sv: Actor;
	beforeEach(async () => {
		await resetDb(sql);
		sv = await newUser(sql, 'supervisor');
	});
	const events = liveEvents(sql);

	it('issues a token once and keeps only its SHA-256', async () => {
		const { token, display } = await issueDisplayToken(sv, { label: '2F 北モニター', panels: ['summary', 'operators'], rotateSeconds: '15' });
		expect(token).toMatch(/^kd_[A-Za-z0-9_-]{43}$/);
		expect(display).toMatchObject({ label: '2F 北モニター', panels: ['summary', 'operators'], rotateSeconds: 15, createdBy: sv.id, revokedAt: null });
		const [row] = await sql<{ tokenSha256: string; whole: string }[]>`select token_sha256, to_jsonb(t)::text as whole from display_tokens t`;
		expect(row.tokenSha256).toBe(sha256(token));
		// the token itself is nowhere in the table, nor in the access log
		expect(row.whole).not.toContain(token);
		expect(row.whole).not.toContain(token.slice(3));
		const [log] = await sql<{ text: string }[]>`select string_agg(to_jsonb(a)::text, ' ') as text from access_log a`;
		expect(log.text).not.toContain(token.slice(3));
		const issued = await logRows('display.issue');
		expect(issued).toHaveLength(1);
		expect(issued[0]).toMatchObject({ userId: sv.id, role: 'supervisor' });
		expect(issued[0].reason).toContain(`display token ${display.id} 「2F 北モニター」`);
		// two tokens never share a value
		const second = await issueDisplayToken(sv, { label: 'B' });
		expect(second.token).not.toBe(token);
		expect(second.display).toMatchObject({ panels: ['summary'], rotateSeconds: 20 });
	});

	it('lets supervisors and administrators manage tokens, and no one else', async () => {
		const admin = await newUser(sql, 'admin');
		expect((await issueDisplayToken(admin, { label: 'admin-made' })).display.createdBy).toBe(admin.id);
		for (const role of ['operator', 'staff', 'manager', 'auditor'] as const) {
			const u = await newUser(sql, role);
			expect((await refusal(issueDisplayToken(u, { label: 'x' }))).code, role).toBe('forbidden');
			expect((await refusal(listDisplayTokens(u))).code, role).toBe('forbidden');
			expect((await refusal(revokeDisplayToken(u, { tokenId: 1 }))).code, role).toBe('forbidden');
		}
		expect((await sql`select 1 from display_tokens`).length).toBe(1);
	});

	it('names each bad field, and a refused issue writes nothing', async () => {
		const e = await refusal(issueDisplayToken(sv, { label: '  ', panels: ['summary', 'bogus'], rotateSeconds: 1 }));
		expect(e.code).toBe('invalid_input');
		expect(Object.keys(e.details!).sort()).toEqual(['label', 'panels.1', 'rotateSeconds']);
		expect((await refusal(issueDisplayToken(sv, { label: 'x', panels: ['summary', 'summary'] }))).details).toHaveProperty('panels');
		expect((await refusal(issueDisplayToken(sv, { label: 'x'.repeat(101) }))).details).toHaveProperty('label');
		expect((await sql`select 1 from display_tokens`).length).toBe(0);
		expect((await logRows('display.issue')).length).toBe(0);
	});

	it('resolves a live token (logged as display.open, last use noted) and refuses an unknown one (display.refused)', async () => {
		const { token, display } = await issueDisplayToken(sv, { label: 'wall A', panels: ['segments'], rotateSeconds: 30 });
		expect(display.lastUsedAt).toBeNull();
		const d = await resolveDisplayToken(token, { via: 'page', ip: '10.0.0.7' });
		expect(d).toEqual({ tokenId: display.id, label: 'wall A', panels: ['segments'], rotateSeconds: 30 });
		const [row] = await sql<{ lastUsedAt: Date | null }[]>`select last_used_at from display_tokens`;
		expect(row.lastUsedAt).not.toBeNull();
		const opened = await logRows('display.open');
		expect(opened).toEqual([{ userId: null, role: null, reason: `display token ${display.id} 「wall A」 via page`, ip: '10.0.0.7' }]);

		const unknown = 'kd_' + 'A'.repeat(43);
		expect(await resolveDisplayToken(unknown, { via: 'socket' })).toBeNull();
		// without a token's shape: refused, not even looked up or logged (probes)
		expect(await resolveDisplayToken(token + 'x', { via: 'socket' })).toBeNull();
		expect(await resolveDisplayToken('', { via: 'socket' })).toBeNull();
		const refused = await logRows('display.refused');
		expect(refused).toHaveLength(1);
		expect(refused[0].reason).toContain('via socket');
		// only a prefix of the presented token's hash, never the token
		expect(refused[0].reason).toContain(sha256(unknown).slice(0, 12));
		expect(refused[0].reason).not.toContain('AAAAAAAAAA');
	});

	it('revokes: refused from then on, announced to every instance, logged; twice is a conflict', async () => {
		const { token, display } = await issueDisplayToken(sv, { label: 'wall B' });
		const other = await issueDisplayToken(sv, { label: 'wall C' });
		const r = await revokeDisplayToken(sv, { tokenId: String(display.id) });
		expect(r).toMatchObject({ id: display.id, revokedBy: sv.id, revokedByName: sv.displayName });
		expect(r.revokedAt).toBeInstanceOf(Date);
		expect(await resolveDisplayToken(token, { via: 'page' })).toBeNull();
		expect(await resolveDisplayToken(other.token, { via: 'page' })).not.toBeNull();
		expect(await eventually(() => events.some((e) => e.type === 'display:revoked'))).toBe(true);
		expect(events.filter((e) => e.type === 'display:revoked')).toEqual([{ type: 'display:revoked', data: { tokenId: display.id } }]);
		expect((await logRows('display.revoke'))[0]).toMatchObject({ userId: sv.id, role: 'supervisor', reason: `display token ${display.id} 「wall B」` });

		expect((await refusal(revokeDisplayToken(sv, { tokenId: display.id }))).code).toBe('conflict');
		expect((await refusal(revokeDisplayToken(sv, { tokenId: 999999 }))).code).toBe('not_found');
		expect((await refusal(revokeDisplayToken(sv, { tokenId: 'abc' }))).details).toHaveProperty('tokenId');
		expect((await logRows('display.revoke')).length).toBe(1);
	});

	it('lists every token, live ones first, and logs the listing', async () => {
		const a = await issueDisplayToken(sv, { label: 'A' });
		const b = await issueDisplayToken(sv, { label: 'B' });
		await revokeDisplayToken(sv, { tokenId: a.display.id });
		const list = await listDisplayTokens(sv);
		expect(list.map((t) => [t.label, t.revokedAt !== null])).toEqual([
			['B', false],
			['A', true]
		]);
		expect(list[0]).toMatchObject({ id: b.display.id, createdByName: sv.displayName });
		expect(JSON.stringify(list)).not.toMatch(/kd_|sha256/i);
		expect((await logRows('display.list'))[0]).toMatchObject({ userId: sv.id, reason: '2 display tokens' });
	});
});

describe('display tokens on a running instance: the link, the wall page, the socket, and nothing else', () => {
	let inst: Instance;
	let sv: Actor;
	let token: string;
	let tokenId: number;
	const cookie = () => `${DISPLAY_COOKIE}=${token}`;

	beforeAll(async () => {
		await resetDb(sql);
		sv = await newUser(sql, 'supervisor', 'dt-sv');
		const seg = await newSegment(sql);
		await newHousehold(sql, { segmentId: seg });
		await newUser(sql, 'operator', 'dt-op');
		const issued = await issueDisplayToken(sv, { label: 'wall int', panels: ['summary', 'operators'], rotateSeconds: 10 });
		token = issued.token;
		tokenId = issued.display.id;
		inst = await startInstance({ port: Number(process.env.DISPLAY_TEST_PORT ?? 3224), env: { INSTANCE_ID: 'display-tokens' } });
	});
	afterAll(async () => {
		await inst?.stop();
	});

	const get = (path: string, headers: Record<string, string> = {}) => fetch(inst.url + path, { headers: { accept: 'text/html', ...headers }, redirect: 'manual' });

	it('trades the link for cookies on /wall and /socket.io and sends the browser to /wall (the token leaves the address bar)', async () => {
		const r = await get(`/wall/t/${token}?panels=operators`);
		expect(r.status).toBe(303);
		expect(r.headers.get('location')).toBe('/wall?panels=operators');
		const cookies = r.headers.getSetCookie();
		expect(cookies).toHaveLength(2);
		for (const [c, path] of [
			[cookies[0], '/wall'],
			[cookies[1], '/socket.io']
		]) {
			expect(c.startsWith(`${DISPLAY_COOKIE}=${token};`)).toBe(true);
			expect(c).toContain(`Path=${path}`);
			expect(c).toContain('HttpOnly');
			expect(c).toContain('SameSite=Strict');
		}
		const bogus = await get('/wall/t/kd_not-a-token');
		expect(bogus.status).toBe(404);
	});

	it('opens the wall page with the cookie, with no household data in it', async () => {
		const r = await get('/wall', { cookie: cookie() });
		expect(r.status).toBe(200);
		expect(r.headers.get('cache-control')).toBe('no-store');
		const html = await r.text();
		expect(html).toContain('data-testid="wall-board"');
		expect(html).toContain('wall int');
		expect(html).not.toContain('householdId');
		// no cookie, no session: the sign-in page as before
		const anon = await get('/wall');
		expect(anon.status).toBe(303);
		expect(anon.headers.get('location')).toMatch(/^\/login/);
	});

	it('is refused by every other page, form and endpoint', async () => {
		const { matrix } = await import('../authz-matrix.ts');
		const wrong: string[] = [];
		for (const rule of matrix.filter((r) => r.kind !== 'event' && !r.allow.includes('anon'))) {
			if (rule.route === '/wall' && rule.kind === 'page') continue;
			const path =
				rule.route
					.split('/')
					.filter((s) => !/^\(.*\)$/.test(s))
					.map((s) => (/^\[\w+\]$/.test(s) ? '1' : s))
					.join('/') || '/';
			const method = rule.kind === 'page' ? 'GET' : rule.kind === 'action' ? 'POST' : rule.name;
			const url = rule.kind === 'action' && rule.name !== 'default' ? `${path}?/${rule.name}` : path;
			const headers: Record<string, string> = { cookie: cookie(), origin: inst.url, accept: rule.kind === 'endpoint' ? '*/*' : 'text/html' };
			let body: string | undefined;
			if (method === 'POST') {
				headers['content-type'] = rule.kind === 'endpoint' ? 'application/json' : 'application/x-www-form-urlencoded';
				body = rule.kind === 'endpoint' ? '{}' : '';
			}
			const r = await fetch(inst.url + url, { method, headers, body, redirect: 'manual' });
			const refused = r.status === 401 || r.status === 403 || (r.status >= 300 && r.status < 400 && (r.headers.get('location') ?? '').startsWith('/login'));
			if (!refused) wrong.push(`${method} ${url}: ${r.status}`);
		}
		expect(wrong).toEqual([]);
	});

	it('lets its socket subscribe to the wall view only, and closes it at once when revoked', async () => {
		const s: Socket = ioClient(inst.url, { transports: ['websocket'], extraHeaders: { cookie: cookie() }, reconnection: false, forceNew: true });
		await new Promise<void>((resolve, reject) => {
			s.once('connect', () => resolve());
			s.once('connect_error', (e) => reject(e));
		});
		const ask = (event: string, payload: unknown) => s.timeout(5000).emitWithAck(event, payload) as Promise<{ ok: boolean; code?: string; data?: any }>;
		const wall = await ask('live:subscribe', { view: 'wall' });
		expect(wall.ok).toBe(true);
		expect(wall.data.view).toBe('wall');
		expect(typeof wall.data.version).toBe('number');
		expect(Array.isArray(wall.data.snapshot.operators)).toBe(true);
		expect(JSON.stringify(wall.data.snapshot)).not.toContain('householdId');
		for (const [event, payload] of [
			['live:subscribe', { view: 'floor' }],
			['claim:next', {}],
			['outcome:record', {}],
			['presence:heartbeat', {}],
			['operator:set-state', { state: 'available' }],
			['phone:mark', {}]
		] as const) {
			expect((await ask(event, payload)).code, event).toBe('forbidden');
		}

		const ended = new Promise<{ reason: string }>((resolve) => s.once('session:ended', resolve));
		const gone = new Promise<string>((resolve) => s.once('disconnect', resolve));
		await revokeDisplayToken(sv, { tokenId });
		expect(await ended).toEqual({ reason: 'revoked' });
		expect(await gone).toBe('io server disconnect');

		// and it cannot come back: neither the socket nor the page
		const again = ioClient(inst.url, { transports: ['websocket'], extraHeaders: { cookie: cookie() }, reconnection: false, forceNew: true });
		const err = await new Promise<{ data?: { code?: string } }>((resolve) => {
			again.once('connect', () => resolve({}));
			again.once('connect_error', (e) => resolve(e as never));
		});
		again.close();
		expect(err.data?.code).toBe('unauthenticated');
		const page = await get('/wall', { cookie: cookie() });
		expect(page.status).toBe(403);
		// the page clears the dead cookie on both paths
		expect(page.headers.getSetCookie().filter((c) => c.startsWith(`${DISPLAY_COOKIE}=;`)).length).toBe(2);
		s.close();

		const vias = await sql<{ reason: string }[]>`select reason from access_log where action = 'display.open' order by id`;
		for (const via of ['link', 'page', 'socket']) expect(vias.some((v) => v.reason.endsWith(`via ${via}`)), via).toBe(true);
		// the revoked token, at the socket and at the page
		expect((await sql`select 1 from access_log where action = 'display.refused'`).length).toBeGreaterThanOrEqual(2);
	});

	it('gives a signed-in supervisor their own wall as before (the session decides, not a display cookie)', async () => {
		const { token: session } = await signIn({ loginId: 'dt-sv', password: TEST_PASSWORD });
		const r = await get('/wall', { cookie: `kansho_session=${session}` });
		expect(r.status).toBe(200);
		const op = await signIn({ loginId: 'dt-op', password: TEST_PASSWORD });
		// an operator with a (revoked or live) display cookie is still an operator: no wall
		const other = await issueDisplayToken(sv, { label: 'second' });
		const r2 = await get('/wall', { cookie: `kansho_session=${op.token}; ${DISPLAY_COOKIE}=${other.token}` });
		expect(r2.status).toBe(403);
		const sock = connectSocket(inst.url, op.token);
		await new Promise<void>((resolve) => sock.once('connect', () => resolve()));
		const res = (await sock.timeout(5000).emitWithAck('live:subscribe', { view: 'wall' })) as { ok: boolean; code?: string };
		expect(res.code).toBe('forbidden');
		sock.close();
	});
});
