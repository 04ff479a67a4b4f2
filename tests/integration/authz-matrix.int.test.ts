/**
 * The authorization matrix test (issue #4): (a) every page, form action and endpoint under src/routes and every
 * event the Socket.IO server handles has a rule in tests/authz-matrix.ts, and no rule names something that is
 * gone; (b) against a running instance, every rule is walked for every role and for no session: refused → 401/403
 * (a page or form without a session: a redirect to /login), allowed → anything but 401/403, never a 5xx.
 *
 * Requests carry no useful input (an empty form, `{}`): the use cases check the role before the input, so an
 * allowed role gets 400/404/409 and a refused one 403, and nothing changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { Socket } from 'socket.io-client';
import { resetDb, testSql } from '../helpers/db.ts';
import { newHousehold, newSegment, newUser } from '../helpers/factories.ts';
import { connectSocket, startInstance, type Instance } from '../helpers/server.ts';
import { signIn } from '../../src/lib/server/auth/sessions.ts';
import { TEST_PASSWORD } from '../helpers/factories.ts';
import { closeDb } from '../../src/lib/server/db.ts';
import { closeRedis } from '../../src/lib/server/redis.ts';
import { roles, type Role } from '../../src/lib/domain/roles.ts';
import { tokyoDate } from '../../src/lib/domain/format.ts';
import { matrix, ruleKey, type Rule, type Who } from '../authz-matrix.ts';

const root = path.resolve(import.meta.dirname, '../..');
const routesDir = path.join(root, 'src/routes');
const sql = testSql();

// ─── discovery ──────────────────────────────────────────────────────────────

interface Found {
	route: string;
	kind: Rule['kind'];
	name: string;
}

/** Every page, form action and endpoint under src/routes, read from the files themselves. */
export function discoverRoutes(dir = routesDir): Found[] {
	const found: Found[] = [];
	const walk = (d: string) => {
		const entries = fs.readdirSync(d, { withFileTypes: true });
		const rel = path.relative(routesDir, d).split(path.sep).join('/');
		const route = '/' + rel;
		const files = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
		const pageServer = ['+page.server.ts', '+page.server.js'].find((f) => files.has(f));
		if (files.has('+page.svelte') || pageServer) found.push({ route, kind: 'page', name: 'GET' });
		if (pageServer) for (const a of actionNames(fs.readFileSync(path.join(d, pageServer), 'utf8'))) found.push({ route, kind: 'action', name: a });
		const endpoint = ['+server.ts', '+server.js'].find((f) => files.has(f));
		if (endpoint) {
			const src = fs.readFileSync(path.join(d, endpoint), 'utf8');
			for (const m of src.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE|OPTIONS|HEAD|fallback)\b/g)) {
				found.push({ route, kind: 'endpoint', name: m[1] });
			}
		}
		for (const e of entries) if (e.isDirectory()) walk(path.join(d, e.name));
	};
	walk(dir);
	return found.map((f) => ({ ...f, route: f.route === '/' ? '/' : f.route.replace(/\/$/, '') }));
}

/** The keys of `export const actions = { … }` (one tab in, as the formatter writes them). */
function actionNames(src: string): string[] {
	const start = src.search(/export\s+const\s+actions\b/);
	if (start < 0) return [];
	const body = src.slice(start);
	const end = body.search(/\n};?\s*(\n|$)/);
	const block = end < 0 ? body : body.slice(0, end);
	const names = [...block.matchAll(/\n\t([A-Za-z_$][\w$]*)\s*:/g)].map((m) => m[1]);
	if (names.length === 0) throw new Error(`could not read the actions of a +page.server.ts:\n${block.slice(0, 300)}`);
	return names;
}

/** Every event the Socket.IO server handles from clients (server/realtime.ts), and connecting itself. */
function discoverSocketEvents(): Found[] {
	const src = fs.readFileSync(path.join(root, 'server/realtime.ts'), 'utf8');
	const reserved = new Set(['disconnect', 'disconnecting', 'error', 'connect', 'connection']);
	const handled = [...src.matchAll(/socket\.on\(\s*'([^']+)'/g)].map((m) => m[1]).filter((e) => !reserved.has(e));
	return [{ route: 'socket', kind: 'event', name: 'connect' }, ...[...new Set(handled)].map((name) => ({ route: 'socket', kind: 'event' as const, name }))];
}

describe('the matrix covers everything', () => {
	it('finds the routes it should (the discovery itself works)', () => {
		const keys = discoverRoutes().map(ruleKey);
		expect(keys).toContain('page /(app)/operator GET');
		expect(keys).toContain('action /(app)/operator outcome');
		expect(keys).toContain('endpoint /api/households/[id] GET');
		expect(keys).toContain('page / GET');
		expect(discoverSocketEvents().map(ruleKey)).toContain('event socket presence:heartbeat');
	});

	it('has a rule for every route and socket event, and none for anything that is gone', async () => {
		const found = [...discoverRoutes(), ...discoverSocketEvents()].map(ruleKey).sort();
		const ruled = matrix.map(ruleKey).sort();
		const missing = found.filter((k) => !ruled.includes(k));
		const stale = ruled.filter((k) => !found.includes(k));
		expect(missing, 'routes or events without a rule in tests/authz-matrix.ts').toEqual([]);
		expect(stale, 'rules for routes or events that no longer exist').toEqual([]);
		expect(new Set(ruled).size, 'one rule per route').toBe(ruled.length);
	});

	it('agrees with the registry of client events in server/realtime.ts', async () => {
		const { clientEvents } = await import('../../server/realtime.ts');
		const handled = discoverSocketEvents().map((f) => f.name).filter((n) => n !== 'connect');
		expect(handled.sort()).toEqual(Object.keys(clientEvents).sort());
	});
});

// ─── the walk ───────────────────────────────────────────────────────────────

describe('every rule, for every role and without a session, on a running instance', () => {
	let inst: Instance;
	const tokens = new Map<Role, string>();
	const users = new Map<Role, { id: number; loginId: string }>();
	let householdId = 0;
	let targetUserId = 0;

	beforeAll(async () => {
		await resetDb(sql);
		await sql`delete from login_throttle`;
		await sql`delete from export_roles where role <> 'admin'`;
		await sql`insert into export_roles (role) values ('admin') on conflict do nothing`;
		const seg = await newSegment(sql);
		householdId = await newHousehold(sql, { segmentId: seg });
		for (const role of roles) {
			const u = await newUser(sql, role, `mx-${role}`);
			users.set(role, u);
			tokens.set(role, (await signIn({ loginId: u.loginId, password: TEST_PASSWORD })).token);
		}
		targetUserId = (await newUser(sql, 'operator', 'mx-target')).id;
		inst = await startInstance({ port: Number(process.env.AUTHZ_TEST_PORT ?? 3810), env: { INSTANCE_ID: 'authz-matrix' } });
	});

	afterAll(async () => {
		await inst?.stop();
		await sql.end();
		await closeDb();
		await closeRedis();
	});

	/** What to send for a rule: the path with its parameters, a query, a body. */
	function requestFor(rule: Rule): { path: string; form?: Record<string, string>; json?: unknown; fresh?: boolean } {
		// parameters: a household that exists, a user who is not the caller, an erasure that does not exist (404)
		const params: Record<string, string> = {
			id: rule.route.startsWith('/api/households') ? String(householdId) : rule.route.startsWith('/(app)/admin/users') ? String(targetUserId) : '1',
			format: 'json'
		};
		const fill = (r: string) =>
			r
				.split('/')
				.filter((s) => !/^\(.*\)$/.test(s))
				.map((s) => s.replace(/^\[(\w+)\]$/, (_, name: string) => params[name] ?? `(no sample for [${name}])`))
				.join('/') || '/';
		let p = fill(rule.route);
		if (rule.route === '/api/households/[id]') p += '?reason=inbound&note=authz-matrix';
		if (rule.route === '/(app)/exports/call-results') p += `?from=${tokyoDate()}&to=${tokyoDate()}`;
		if (rule.kind === 'action') {
			p += rule.name === 'default' ? '' : `?/${rule.name}`;
			// the one action whose empty form is valid: keep the setting as it is
			const form: Record<string, string> = rule.route === '/(app)/admin/exports' ? { roles: 'admin' } : {};
			return { path: p, form };
		}
		if (rule.kind === 'endpoint' && rule.name === 'POST') {
			if (rule.route === '/logout') return { path: p, form: {}, fresh: true };
			if (rule.route === '/locale') return { path: p, form: {} };
			return { path: p, json: {} };
		}
		return { path: p };
	}

	async function tokenFor(who: Who, fresh: boolean): Promise<string | null> {
		if (who === 'anon') return null;
		if (!fresh) return tokens.get(who)!;
		return (await signIn({ loginId: users.get(who)!.loginId, password: TEST_PASSWORD })).token;
	}

	async function call(rule: Rule, who: Who): Promise<{ status: number; location: string | null; body: string }> {
		const req = requestFor(rule);
		const token = await tokenFor(who, req.fresh ?? false);
		const method = rule.kind === 'action' ? 'POST' : rule.kind === 'page' ? 'GET' : rule.name;
		// pages and forms as a browser sends them (a form post without JavaScript); endpoints as fetch() does
		const headers: Record<string, string> = { origin: inst.url, accept: rule.kind === 'endpoint' ? '*/*' : 'text/html' };
		if (token) headers.cookie = `kansho_session=${token}`;
		let body: string | undefined;
		if (req.form) {
			headers['content-type'] = 'application/x-www-form-urlencoded';
			body = new URLSearchParams(req.form).toString();
		} else if (req.json !== undefined) {
			headers['content-type'] = 'application/json';
			body = JSON.stringify(req.json);
		}
		const r = await fetch(inst.url + req.path, { method, headers, body, redirect: 'manual' });
		return { status: r.status, location: r.headers.get('location'), body: await r.text() };
	}

	function verdict(who: Who, r: { status: number; location: string | null }): 'allow' | 'deny' {
		if (r.status === 401 || r.status === 403) return 'deny';
		if (who === 'anon' && r.status >= 300 && r.status < 400 && (r.location ?? '').startsWith('/login')) return 'deny';
		return 'allow';
	}

	const everyone: Who[] = [...roles, 'anon'];

	it('HTTP: each route answers each role as the matrix says', async () => {
		const wrong: string[] = [];
		for (const rule of matrix.filter((r) => r.kind !== 'event')) {
			for (const who of everyone) {
				const r = await call(rule, who);
				const expected = rule.allow.includes(who) ? 'allow' : 'deny';
				const got = verdict(who, r);
				if (r.status >= 500) wrong.push(`${ruleKey(rule)} as ${who}: ${r.status} ${r.body.slice(0, 200)}`);
				else if (got !== expected) wrong.push(`${ruleKey(rule)} as ${who}: expected ${expected}, got ${r.status}${r.location ? ` → ${r.location}` : ''} ${r.body.slice(0, 120)}`);
				// a refusal of a signed-in user is 403 (not a redirect to sign in again); without a session, 401 or /login
				else if (got === 'deny' && who !== 'anon' && r.status !== 403) wrong.push(`${ruleKey(rule)} as ${who}: refused with ${r.status}, not 403`);
			}
		}
		expect(wrong).toEqual([]);
	}, 180_000); // a hang guard, not a timing check: the walk over every route took 74 s on a machine loaded by other runs

	it('HTTP: a page path with percent-encoded letters meets the same rule (/%61dmin is /admin)', async () => {
		const wrong: string[] = [];
		for (const rule of matrix.filter((r) => r.kind === 'page' && r.route !== '/')) {
			const { path: plain } = requestFor(rule);
			// encode the first letter of the first segment: SvelteKit decodes the path before it matches a route
			const encoded = plain.replace(/^\/([a-z])/, (_, c: string) => `/%${c.charCodeAt(0).toString(16)}`);
			if (encoded === plain) continue;
			for (const who of everyone) {
				const token = await tokenFor(who, false);
				const headers: Record<string, string> = { accept: 'text/html' };
				if (token) headers.cookie = `kansho_session=${token}`;
				const r = await fetch(inst.url + encoded, { headers, redirect: 'manual' });
				const got = verdict(who, { status: r.status, location: r.headers.get('location') });
				const expected = rule.allow.includes(who) ? 'allow' : 'deny';
				// an allowed role may get the page or a 404 for the encoded spelling; a refused one must never get the page
				if (expected === 'deny' && got !== 'deny') wrong.push(`${encoded} as ${who}: expected deny, got ${r.status}`);
				if (r.status >= 500) wrong.push(`${encoded} as ${who}: ${r.status}`);
			}
		}
		expect(wrong).toEqual([]);
	});

	it('Socket.IO: connecting and each event, for each role and without a session', async () => {
		const wrong: string[] = [];
		for (const who of everyone) {
			const token = who === 'anon' ? null : tokens.get(who)!;
			const s = connectSocket(inst.url, token);
			const connected = await new Promise<boolean>((resolve) => {
				s.once('connect', () => resolve(true));
				s.once('connect_error', () => resolve(false));
			});
			for (const rule of matrix.filter((r) => r.kind === 'event')) {
				const expected = rule.allow.includes(who) ? 'allow' : 'deny';
				let got: 'allow' | 'deny';
				if (rule.name === 'connect') got = connected ? 'allow' : 'deny';
				else if (!connected) got = 'deny';
				else {
					const ack = await emitWithAck(s, rule.name, {});
					got = ack.ok || !['unauthenticated', 'forbidden'].includes(ack.code ?? '') ? 'allow' : 'deny';
				}
				if (got !== expected) wrong.push(`${ruleKey(rule)} as ${who}: expected ${expected}, got ${got}`);
			}
			s.close();
		}
		expect(wrong).toEqual([]);
	});
});

function emitWithAck(s: Socket, event: string, payload: unknown): Promise<{ ok: boolean; code?: string }> {
	return new Promise((resolve, reject) => {
		const t = setTimeout(() => reject(new Error(`no ack for ${event}`)), 5000);
		s.emit(event, payload, (res: { ok: boolean; code?: string }) => {
			clearTimeout(t);
			resolve(res);
		});
	});
}
