/**
 * Web security on a running instance (issue #4 items 6 and 8): security headers on every response (Express's own,
 * static files, Socket.IO's), no-store on what a signed-in user is sent, the CSRF origin check (also with ORIGIN
 * unset and a spoofed protocol header), cookie flags (SameSite everywhere, Secure behind an https ORIGIN), body
 * and socket message limits, no internals in error answers, a disabled user's old cookie, forged role claims in
 * a socket handshake, the household lookup rate limit (Redis and PostgreSQL counters), and the web export of
 * call results (allowed roles only, logged with its SHA-256).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { io as ioClient, type Socket } from 'socket.io-client';
import { resetDb, testSql } from '../helpers/db.ts';
import { newHousehold, newSegment, newUser, TEST_PASSWORD } from '../helpers/factories.ts';
import { connectSocket, once, startInstance, type Instance } from '../helpers/server.ts';
import { signIn } from '../../src/lib/server/auth/sessions.ts';
import { setExportRoles } from '../../src/lib/server/exports/policy.ts';
import { closeDb } from '../../src/lib/server/db.ts';
import { closeRedis } from '../../src/lib/server/redis.ts';
import { tokyoDate } from '../../src/lib/domain/format.ts';
import type { Role } from '../../src/lib/domain/roles.ts';
import type { Actor } from '../../src/lib/server/auth/actor.ts';

const sql = testSql();
const REDIS_URL = process.env.REDIS_URL;
const HTTPS_ORIGIN = 'https://kansho.city.example';

let a: Instance; // ORIGIN unset, Redis when REDIS_URL is set, a low lookup limit
let b: Instance; // ORIGIN https (behind a TLS proxy), no Redis: PostgreSQL counters

beforeAll(async () => {
	await resetDb(sql);
	await sql`delete from login_throttle`;
	await sql`delete from export_roles where role <> 'admin'`;
	await sql`insert into export_roles (role) values ('admin') on conflict do nothing`;
	// these tests post the password form as a browser does; the security-key step is tested in webauthn.int
	await sql`update webauthn_role_requirements set required = false`;
	[a, b] = await Promise.all([
		startInstance({ port: 3811, env: { INSTANCE_ID: 'sec-a', LOOKUP_RATE_PER_MINUTE: '5' } }),
		startInstance({ port: 3813, env: { INSTANCE_ID: 'sec-b', ORIGIN: HTTPS_ORIGIN, REDIS_URL: undefined, LOOKUP_RATE_PER_MINUTE: '2' } })
	]);
});

afterAll(async () => {
	await sql`update webauthn_role_requirements set required = true`;
	await Promise.all([a?.stop(), b?.stop()]);
	await sql`delete from export_roles where role <> 'admin'`;
	await sql`insert into export_roles (role) values ('admin') on conflict do nothing`;
	await sql.end();
	await closeDb();
	await closeRedis();
});

async function session(role: Role, loginId?: string): Promise<{ user: Actor; token: string; cookie: string }> {
	const user = await newUser(sql, role, loginId);
	const { token } = await signIn({ loginId: user.loginId, password: TEST_PASSWORD });
	return { user, token, cookie: `kansho_session=${token}` };
}

const basics = (h: Headers) => ({
	nosniff: h.get('x-content-type-options'),
	frame: h.get('x-frame-options'),
	referrer: h.get('referrer-policy'),
	coop: h.get('cross-origin-opener-policy'),
	permissions: h.get('permissions-policy')?.includes('publickey-credentials-create=(self)') ?? false,
	csp: h.get('content-security-policy')?.includes("frame-ancestors 'none'") ?? false
});
const expectedBasics = { nosniff: 'nosniff', frame: 'DENY', referrer: 'same-origin', coop: 'same-origin', permissions: true, csp: true };

/** No stack trace, file path or exception name in what a user is sent. */
function expectNoInternals(body: string) {
	expect(body).not.toMatch(/\n\s+at\s|\.ts:\d+|\.js:\d+|node_modules|TypeError|ReferenceError|SyntaxError|stack/);
}

describe('security headers on every response', () => {
	it('Express’s own answers, static files, SvelteKit pages and endpoints, and Socket.IO’s long-polling', async () => {
		const paths = ['/healthz', '/readyz', '/favicon.svg', '/robots.txt', '/login', '/api/wall', '/socket.io/?EIO=4&transport=polling', '/no-such-page'];
		for (const p of paths) {
			const r = await fetch(a.url + p, { redirect: 'manual' });
			expect(basics(r.headers), p).toEqual(expectedBasics);
			// no HSTS over plain http
			expect(r.headers.get('strict-transport-security'), p).toBeNull();
			await r.arrayBuffer();
		}
	});

	it('pages carry the strict policy with a fresh nonce; other answers the closed fallback', async () => {
		const p1 = (await fetch(a.url + '/login')).headers.get('content-security-policy')!;
		const p2 = (await fetch(a.url + '/login')).headers.get('content-security-policy')!;
		const script = (p: string) => p.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'))!;
		expect(script(p1)).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9+/=]+'$/);
		expect(script(p1)).not.toBe(script(p2));
		expect(p1).toContain("connect-src 'self'");
		expect(p1).toContain("object-src 'none'");
		expect(p1).not.toMatch(/script-src[^;]*unsafe/);
		expect((await fetch(a.url + '/healthz')).headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
	});

	it('HSTS when ORIGIN is https', async () => {
		const r = await fetch(b.url + '/healthz');
		expect(r.headers.get('strict-transport-security')).toBe('max-age=31536000');
	});

	it('what a signed-in user is sent is never stored; the login page for the signed-out may be', async () => {
		const sv = await session('supervisor');
		for (const p of ['/api/wall', '/supervisor', '/account', '/__data.json', '/supervisor/__data.json']) {
			const r = await fetch(a.url + p, { headers: { cookie: sv.cookie }, redirect: 'manual' });
			expect(r.headers.get('cache-control'), p).toBe('no-store');
			expect(r.headers.get('pragma'), p).toBe('no-cache');
			await r.arrayBuffer();
		}
		// a refusal too (it may name what exists)
		const refused = await fetch(a.url + '/api/calls', { method: 'POST', headers: { cookie: sv.cookie, 'content-type': 'application/json' }, body: '{}' });
		expect(refused.status).toBe(403);
		expect(refused.headers.get('cache-control')).toBe('no-store');
	});
});

describe('CSRF and cookies', () => {
	const loginForm = (loginId: string, password = TEST_PASSWORD) => new URLSearchParams({ loginId, password }).toString();
	const post = (url: string, path: string, body: string, headers: Record<string, string>) =>
		fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...headers }, body, redirect: 'manual' });

	it('a form posted from another site is refused, and signs nobody in', async () => {
		const u = await newUser(sql, 'operator');
		const r = await post(a.url, '/login', loginForm(u.loginId), { origin: 'https://evil.example' });
		expect(r.status).toBe(403);
		expect(r.headers.get('set-cookie')).toBeNull();
		expect(await r.text()).toContain('Cross-site');
	});

	it('with ORIGIN unset, a client cannot pass as https by sending the internal protocol header', async () => {
		const u = await newUser(sql, 'operator');
		const host = new URL(a.url).host;
		const r = await post(a.url, '/login', loginForm(u.loginId), { origin: `https://${host}`, 'x-kansho-proto': 'https' });
		expect(r.status).toBe(403);
		// the same-origin post is fine (303 signed in, or 200 with the security-key step), and its cookies are
		// SameSite and HttpOnly, and not Secure over plain http
		const ok = await post(a.url, '/login', loginForm(u.loginId), { origin: a.url });
		expect([200, 303]).toContain(ok.status);
		const cookies = ok.headers.getSetCookie();
		expect(cookies.length).toBeGreaterThan(0);
		for (const c of cookies) {
			expect(c).toMatch(/SameSite=(Strict|Lax)/i);
			expect(c).toMatch(/HttpOnly/i);
			expect(c).not.toMatch(/Secure/i);
		}
		if (ok.status === 303) expect(cookies.join('\n')).toMatch(/kansho_session=[^;]+;.*SameSite=Strict/i);
	});

	it('behind an https ORIGIN: only that origin may post, and every cookie is Secure and SameSite', async () => {
		const u = await newUser(sql, 'operator');
		const wrong = await post(b.url, '/login', loginForm(u.loginId), { origin: b.url });
		expect(wrong.status).toBe(403);
		const r = await post(b.url, '/login', loginForm(u.loginId), { origin: HTTPS_ORIGIN });
		expect([200, 303]).toContain(r.status);
		const cookies = r.headers.getSetCookie();
		expect(cookies.length).toBeGreaterThan(0);
		for (const c of cookies) {
			expect(c).toMatch(/Secure/i);
			expect(c).toMatch(/SameSite=(Strict|Lax)/i);
			expect(c).toMatch(/HttpOnly/i);
		}
		if (r.status === 303) expect(cookies.join('\n')).toMatch(/kansho_session=[^;]+;.*SameSite=Strict/i);
		const locale = await post(b.url, '/locale', new URLSearchParams({ locale: 'en', back: '/' }).toString(), { origin: HTTPS_ORIGIN });
		expect(locale.status).toBe(303);
		const lc = locale.headers.get('set-cookie')!;
		expect(lc).toMatch(/kansho_locale=en/);
		expect(lc).toMatch(/Secure/i);
		expect(lc).toMatch(/SameSite=Lax/i);
		expect(lc).toMatch(/HttpOnly/i);
	});
});

describe('oversized payloads', () => {
	it('a JSON body over 64 KB is refused with 413 before it is read, and nothing is recorded', async () => {
		const op = await session('operator');
		const before = await sql`select count(*)::int as n from calls`;
		const r = await fetch(a.url + '/api/calls', {
			method: 'POST',
			headers: { cookie: op.cookie, 'content-type': 'application/json' },
			body: JSON.stringify({ householdId: 1, outcomeCode: '20', note: 'x'.repeat(100_000) })
		});
		expect(r.status).toBe(413);
		expect(await r.json()).toMatchObject({ code: 'too_large', limitBytes: 65536 });
		expect(await sql`select count(*)::int as n from calls`).toEqual(before);
		await expect.poll(() => a.output()).toMatch(/"status":413.*request body refused/);
	});

	it('a form over 1 MB is refused with 413; a body of unknown length with 411', async () => {
		const big = await fetch(a.url + '/login', {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: a.url },
			body: 'loginId=x&password=' + 'y'.repeat(1_100_000)
		});
		expect(big.status).toBe(413);
		expect((await big.json()).code).toBe('too_large');
		// chunked (no Content-Length): only the import upload takes those
		const status = await new Promise<number>((resolve, reject) => {
			const req = http.request(a.url + '/api/calls', { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
				res.resume();
				resolve(res.statusCode!);
			});
			req.on('error', reject);
			req.write('{"a":');
			req.end('1}');
		});
		expect(status).toBe(411);
	});

	it('a socket message over 16 KB closes that connection; the server carries on', async () => {
		const op = await session('operator');
		const s = connectSocket(a.url, op.token);
		await once(s, 'connect');
		const gone = once<string>(s, 'disconnect');
		s.emit('presence:heartbeat', { householdId: null, pad: 'x'.repeat(100_000) } as never);
		expect(await gone).toMatch(/transport (close|error)/);
		await expect.poll(() => a.output()).toContain('socket closed: oversized or malformed message');
		expect((await fetch(a.url + '/healthz')).status).toBe(200);
		const again = connectSocket(a.url, op.token);
		await once(again, 'connect');
		again.close();
	});

	it('a malformed socket message gets invalid_input, naming the field, without internals', async () => {
		const op = await session('operator');
		const s = connectSocket(a.url, op.token);
		await once(s, 'connect');
		const ack = await s.timeout(5000).emitWithAck('presence:heartbeat', { householdId: 'drop table' } as never);
		expect(ack).toMatchObject({ ok: false, code: 'invalid_input' });
		expect(ack.message).toContain('householdId');
		expectNoInternals(JSON.stringify(ack));
		const extra = await s.timeout(5000).emitWithAck('presence:heartbeat', { householdId: null, role: 'admin' } as never);
		expect(extra).toMatchObject({ ok: false, code: 'invalid_input' });
		s.close();
	});
});

describe('no internals in error answers', () => {
	it('bad paths, ids, JSON and methods get a short answer without a stack trace', async () => {
		const op = await session('operator');
		const h = { cookie: op.cookie };
		const cases: [string, RequestInit][] = [
			['/%E0%A4%A', {}],
			['/api/%E0%A4%A', { headers: h }],
			['/api/households/abc', { headers: h }],
			['/api/households/99999999999999999999999', { headers: h }],
			['/api/households/1?reason=whatever', { headers: h }],
			['/api/calls', { method: 'POST', headers: { ...h, 'content-type': 'application/json' }, body: '{"householdId":' }],
			['/api/calls', { method: 'POST', headers: { ...h, 'content-type': 'text/plain' }, body: 'hello' }],
			['/api/claims/next', { method: 'DELETE', headers: h }],
			['/locale', { method: 'POST', headers: { 'content-type': 'application/json', origin: a.url }, body: '{"locale":"en"}' }],
			['/operator?/outcome', { method: 'POST', headers: { ...h, 'content-type': 'application/json', origin: a.url }, body: '{}' }]
		];
		for (const [p, init] of cases) {
			// a request that hangs is a failure too (SvelteKit once left a malformed path unanswered)
			const r = await fetch(a.url + p, { ...init, redirect: 'manual', signal: AbortSignal.timeout(10_000) });
			const body = await r.text();
			expect(r.status, `${p}: ${body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
			expect(r.status, `${p}: ${body.slice(0, 200)}`).toBeLessThan(500);
			expectNoInternals(body);
		}
	});
});

describe('a disabled user’s old cookie', () => {
	it('is refused on pages, the API and sockets, even if the session row is still there', async () => {
		const op = await session('operator');
		const live = connectSocket(a.url, op.token);
		await once(live, 'connect');
		// disabled directly in the database: nothing ends the session, only the check on every use
		await sql`update users set disabled_at = now() where id = ${op.user.id}`;
		expect(await sql`select 1 from sessions where user_id = ${op.user.id}`).toHaveLength(1);
		const page = await fetch(a.url + '/operator', { headers: { cookie: op.cookie }, redirect: 'manual' });
		expect(page.status).toBe(303);
		expect(page.headers.get('location')).toBe('/login?next=%2Foperator');
		expect(page.headers.get('set-cookie')).toMatch(/kansho_session=;/); // and the dead cookie is cleared
		const api = await fetch(a.url + '/api/claims/next', { method: 'POST', headers: { cookie: op.cookie } });
		expect(api.status).toBe(401);
		const s = connectSocket(a.url, op.token);
		const err = await once<Error & { data?: { code?: string } }>(s, 'connect_error');
		expect(err.data?.code).toBe('unauthenticated');
		s.close();
		// the socket that was open gets nothing more: its next heartbeat ends it
		const ack = await live.timeout(5000).emitWithAck('presence:heartbeat', {});
		expect(ack).toMatchObject({ ok: false, code: 'unauthenticated' });
		live.close();
	});
});

describe('forged claims in a socket handshake', () => {
	function forged(token: string | null, claims: Record<string, string | number>): Socket {
		return ioClient(a.url, {
			transports: ['websocket'],
			extraHeaders: token ? { cookie: `kansho_session=${token}` } : {},
			auth: claims,
			query: claims as Record<string, string>,
			reconnection: false,
			forceNew: true
		});
	}

	it('a role, user id or token in auth or the query is ignored: the session alone decides', async () => {
		const admin = await session('admin');
		const sv = await session('supervisor');
		const op = await session('operator');
		const claims = { role: 'admin', userId: admin.user.id, token: admin.token, sessionId: 'x' };

		// no session: refused, whatever the handshake says
		const anon = forged(null, claims);
		expect((await once<Error & { data?: { code?: string } }>(anon, 'connect_error')).data?.code).toBe('unauthenticated');
		anon.close();

		await expect.poll(() => a.output()).toContain('socket handshake claims ignored');
		// an operator claiming to be an administrator stays an operator: not in the floor room
		const fake = forged(op.token, claims);
		await once(fake, 'connect');
		const floor = connectSocket(a.url, sv.token);
		await once(floor, 'connect');
		let leaked = false;
		fake.on('queue:bulk', () => (leaked = true));
		const seen = once(floor, 'queue:bulk');
		await sql`select pg_notify('kansho_events', ${JSON.stringify({ type: 'queue:bulk', data: { reason: 'promoted', count: 1 } })})`;
		await seen;
		// the supervisor has it; give the operator's socket the same time again
		await new Promise((r) => setTimeout(r, 500));
		expect(leaked).toBe(false);
		fake.close();
		floor.close();
	});

	it('a handshake from another site’s page is refused', async () => {
		const op = await session('operator');
		const s = ioClient(a.url, { transports: ['websocket'], extraHeaders: { cookie: op.cookie, origin: 'https://evil.example' }, reconnection: false, forceNew: true });
		const err = await once<Error>(s, 'connect_error');
		expect(err.message).toMatch(/websocket error|origin/i);
		s.close();
		const polling = await fetch(a.url + '/socket.io/?EIO=4&transport=polling', { headers: { cookie: op.cookie, origin: 'https://evil.example' } });
		expect(polling.status).toBe(403);
		expectNoInternals(await polling.text());
	});
});

describe('household lookups are rate limited per user', () => {
	beforeEach(async () => {
		await sql`delete from login_throttle where key like 'api:%'`;
	});

	async function lookups(inst: Instance, token: string, householdId: number, n: number) {
		const out: { status: number; retryAfter: string | null; code?: string }[] = [];
		for (let i = 0; i < n; i++) {
			const r = await fetch(`${inst.url}/api/households/${householdId}?reason=inbound&note=rate`, { headers: { cookie: `kansho_session=${token}` } });
			const body = await r.json();
			out.push({ status: r.status, retryAfter: r.headers.get('retry-after'), code: body.code });
		}
		return out;
	}

	it(`above LOOKUP_RATE_PER_MINUTE: 429 with Retry-After, for that user only (${REDIS_URL ? 'Redis' : 'PostgreSQL'} counters)`, async () => {
		const seg = await newSegment(sql);
		const h = await newHousehold(sql, { segmentId: seg });
		const op = await session('operator');
		const other = await session('supervisor');
		const r = await lookups(a, op.token, h, 7);
		expect(r.slice(0, 5).map((x) => x.status)).toEqual([200, 200, 200, 200, 200]);
		expect(r[5]).toMatchObject({ status: 429, code: 'rate_limited' });
		expect(Number(r[5].retryAfter)).toBeGreaterThan(0);
		expect(Number(r[5].retryAfter)).toBeLessThanOrEqual(60);
		expect(r[6].status).toBe(429);
		// refused lookups read nothing: five reads in the access log
		expect(await sql`select 1 from access_log where user_id = ${op.user.id} and action = 'household.view'`).toHaveLength(5);
		expect((await lookups(a, other.token, h, 1))[0].status).toBe(200);
		if (REDIS_URL) expect(await sql`select key from login_throttle where key like 'api:lookup:%'`).toHaveLength(0);
	});

	it('without Redis the counters are in PostgreSQL', async () => {
		const seg = await newSegment(sql);
		const h = await newHousehold(sql, { segmentId: seg });
		const op = await session('operator');
		const r = await lookups(b, op.token, h, 3);
		expect(r.map((x) => x.status)).toEqual([200, 200, 429]);
		const [row] = await sql<{ count: number }[]>`select count from login_throttle where key = ${`api:lookup:${op.user.id}`}`;
		expect(row.count).toBe(3);
	});
});

describe('the web export of call results', () => {
	const today = tokyoDate();
	const exportUrl = (inst: Instance) => `${inst.url}/exports/call-results?from=${today}&to=${today}&encoding=utf8`;

	it('an allowed role downloads it; the file’s SHA-256 is sent, recorded and in the access log', async () => {
		const admin = await session('admin');
		const r = await fetch(exportUrl(a), { headers: { cookie: admin.cookie } });
		expect(r.status).toBe(200);
		expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="call-results-/);
		expect(r.headers.get('cache-control')).toBe('no-store');
		const body = Buffer.from(await r.arrayBuffer());
		const sha = createHash('sha256').update(body).digest('hex');
		expect(r.headers.get('x-content-sha256')).toBe(sha);
		expect(body.toString('utf8')).toContain('国保記号番号,住民番号');
		const [rec] = await sql<{ sha256: string; source: string; startedBy: number }[]>`select sha256, source, started_by from exports order by id desc limit 1`;
		expect(rec).toEqual({ sha256: sha, source: `web:${admin.user.loginId}`, startedBy: admin.user.id });
		const [log] = await sql<{ reason: string }[]>`select reason from access_log where action = 'export' and user_id = ${admin.user.id}`;
		expect(log.reason).toContain(`sha256 ${sha}`);
	});

	it('follows the administrator’s setting; operators never; a bad date is a clear 400', async () => {
		const admin = await session('admin');
		const mgr = await session('manager');
		const op = await session('operator');
		const get = (c: string, url = exportUrl(a)) => fetch(url, { headers: { cookie: c } });
		expect((await get(mgr.cookie)).status).toBe(403);
		await setExportRoles(admin.user, { roles: ['manager'] });
		try {
			expect((await get(mgr.cookie)).status).toBe(200);
			const refused = await get(admin.cookie);
			expect(refused.status).toBe(403);
			expect((await refused.json()).message).toMatch(/administrator has not allowed it/);
			expect((await get(op.cookie)).status).toBe(403);
			const bad = await get(mgr.cookie, `${a.url}/exports/call-results?from=2026-02-30&to=${today}`);
			expect(bad.status).toBe(400);
			expect(await bad.json()).toMatchObject({ code: 'invalid_input', details: { from: 'no_such_date' } });
			// a browser's form (a navigation) is answered with the page again, the values kept, never with JSON
			// (node:http: fetch sets its own Sec-Fetch-Mode)
			const fromForm = await new Promise<{ status: number; location: string | undefined }>((resolve, reject) =>
				http
					.get(
						`${a.url}/exports/call-results?from=2026-12-01&to=2026-11-01&encoding=utf8`,
						{ headers: { cookie: mgr.cookie, accept: 'text/html,application/xhtml+xml', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' } },
						(res) => {
							res.resume();
							resolve({ status: res.statusCode ?? 0, location: res.headers.location });
						}
					)
					.on('error', reject)
			);
			expect(fromForm).toEqual({ status: 303, location: '/exports?from=2026-12-01&to=2026-11-01&encoding=utf8' });
		} finally {
			await setExportRoles(admin.user, { roles: ['admin'] });
		}
	});
});
