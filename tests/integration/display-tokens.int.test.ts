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

		expect(await resolveDisplayToken(token + 'x', { via: 'socket' })).toBeNull();
		expect(await resolveDisplayToken('', { via: 'socket' })).toBeNull();
		const refused = await logRows('display.refused');
		expect(refused).toHaveLength(1);
		expect(refused[0].reason).toContain('via socket');
		// only a prefix of the presented token's hash, never the token
		expect(refused[0].reason).toContain(sha256(token + 'x').slice(0, 12));
		expect(refused[0].reason).not.toContain(token.slice(3, 20));
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
