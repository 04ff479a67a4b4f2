/**
 * Display tokens: how a wall PC opens the wall display without a person's login (issue #6). A supervisor (or an
 * administrator) issues one with a label and the panels it rotates through; the token is answered once and only its
 * SHA-256 is kept. It grants the wall view and nothing else: the page guard (hooks.server.ts) accepts it on /wall
 * only and the socket (server/realtime.ts) only lets it subscribe to the wall. Revoking one publishes
 * display:revoked, and every instance closes the walls open with it at once.
 *
 * Everything is in the access log: issue, list and revoke (display.*) by the supervisor; every opening of the wall
 * with a token (display.open: the link, the page, a socket connecting) and every refused token (display.refused),
 * with no user and the token's id and label in the reason.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { db } from '../db.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { publish } from '../publish.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { id } from '../validation.ts';
import type { Role } from '../../domain/roles.ts';
import { DEFAULT_ROTATE_SECONDS, MAX_ROTATE_SECONDS, MIN_ROTATE_SECONDS, wallPanels, type WallPanel } from '../../domain/wall-panels.ts';
import * as q from './display.queries.ts';

export type { DisplayTokenRow } from './display.queries.ts';

/** The cookie a wall PC keeps its token in (httpOnly, SameSite=Strict, scoped to /wall and the socket path). */
export const DISPLAY_COOKIE = 'kansho_display';
/** Paths the cookie is set for: the wall page and Socket.IO's handshake (a cookie has one path: two cookies). */
export const DISPLAY_COOKIE_PATHS = ['/wall', '/socket.io'] as const;
/** A wall PC stays set up for as long as browsers keep a cookie (400 days at most); revoke to end it earlier. */
export const DISPLAY_COOKIE_MAX_AGE = 400 * 24 * 3600;
const TOKEN_PREFIX = 'kd_';
/** what issueDisplayToken makes: the prefix and 32 random bytes in base64url */
const TOKEN_SHAPE = /^kd_[A-Za-z0-9_-]{43}$/;

export function tokenSha256(token: string): string {
	return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A wall resolved from its token: what the wall needs, nothing about who issued it. */
export interface Display {
	tokenId: number;
	label: string;
	panels: WallPanel[];
	rotateSeconds: number;
}

const issueInput = z.object({
	label: z.string({ error: 'required' }).trim().min(1, 'required').max(100, 'too_long'),
	panels: z
		.array(z.enum(wallPanels, { error: 'unknown panel' }))
		.min(1, 'required')
		.max(wallPanels.length, 'too_long')
		.refine((p) => new Set(p).size === p.length, 'each panel once')
		.default(['summary']),
	rotateSeconds: z
		.union([z.number(), z.string().trim().regex(/^\d{1,4}$/, 'must be a whole number').transform(Number)])
		.pipe(z.number().int('must be a whole number').min(MIN_ROTATE_SECONDS, `at least ${MIN_ROTATE_SECONDS}`).max(MAX_ROTATE_SECONDS, `at most ${MAX_ROTATE_SECONDS}`))
		.default(DEFAULT_ROTATE_SECONDS)
});

/** Issue a token (display.manage). The answer is the only time the token itself exists outside the wall PC. */
export async function issueDisplayToken(actor: Actor, raw: unknown): Promise<{ token: string; display: q.DisplayTokenRow }> {
	requirePermission(actor, 'display.manage');
	const parsed = issueInput.safeParse(raw ?? {});
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { label, panels, rotateSeconds } = parsed.data;
	const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
	const display = await db().begin(async (tx) => {
		const row = await q.insertToken(tx, { label, sha256: tokenSha256(token), panels, rotateSeconds, createdBy: actor.id });
		await writeAccessLog(tx, actor, { action: 'display.issue', reason: describe(row) + ` panels ${panels.join(',')} every ${rotateSeconds} s` });
		return row;
	});
	return { token, display };
}

/** Every token, newest first, revoked ones after the live ones (display.manage). */
export async function listDisplayTokens(actor: Actor): Promise<q.DisplayTokenRow[]> {
	requirePermission(actor, 'display.manage');
	return db().begin(async (tx) => {
		const rows = await q.listTokens(tx);
		await writeAccessLog(tx, actor, { action: 'display.list', reason: `${rows.length} display tokens` });
		return rows;
	});
}

const revokeInput = z.object({ tokenId: id });

/** Revoke a token (display.manage): refused from now on, and the walls open with it are closed on every instance. */
export async function revokeDisplayToken(actor: Actor, raw: unknown): Promise<q.DisplayTokenRow> {
	requirePermission(actor, 'display.manage');
	const parsed = revokeInput.safeParse(raw ?? {});
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { tokenId } = parsed.data;
	return db().begin(async (tx) => {
		const gone = await q.revokeToken(tx, tokenId, actor.id);
		if (!gone) {
			const exists = await q.findById(tx, tokenId);
			if (!exists) throw new DomainError('not_found', 'no such display token');
			throw new DomainError('conflict', 'this display token was revoked already');
		}
		await writeAccessLog(tx, actor, { action: 'display.revoke', reason: describe(gone) });
		await publish(tx, { type: 'display:revoked', data: { tokenId } });
		return (await q.findById(tx, tokenId))!;
	});
}

/** How the wall came: the token's link (exchanged for the cookie), the wall page, or its socket connecting. */
export type DisplayVia = 'link' | 'page' | 'socket';

/**
 * The display behind a token, or null when it is unknown or revoked. Every answer about a well-formed token is
 * logged: display.open for a live one (and its last use noted), display.refused for one that is not (only its hash
 * prefix). Something without a token's shape is refused without a database look-up or a log row (probes).
 */
export async function resolveDisplayToken(
	token: string | null | undefined,
	meta: { via: DisplayVia; ip?: string | null; requestId?: string | null }
): Promise<Display | null> {
	if (!token || !TOKEN_SHAPE.test(token)) return null;
	const sha = tokenSha256(token);
	const sql = db();
	const row = await q.findLive(sql, sha);
	const actor = displayActor(row ? { id: row.id, label: row.label } : null, meta);
	if (!row) {
		await writeAccessLog(sql, actor, { action: 'display.refused', reason: `unknown or revoked display token (sha256 ${sha.slice(0, 12)}…) via ${meta.via}` });
		return null;
	}
	await sql.begin(async (tx) => {
		await q.touch(tx, row.id);
		await writeAccessLog(tx, actor, { action: 'display.open', reason: `${describe(row)} via ${meta.via}` });
	});
	return { tokenId: row.id, label: row.label, panels: row.panels, rotateSeconds: row.rotateSeconds };
}

/** Which of these tokens are still live: the sockets of walls re-check theirs periodically (a missed NOTIFY). */
export function liveDisplayTokens(ids: number[]): Promise<Set<number>> {
	return q.liveIds(db(), ids);
}

function describe(t: { id: number; label: string }): string {
	return `display token ${t.id} 「${t.label}」`;
}

/** The access log's actor for a wall: no user, no role; the token in the login id column's place (the reason). */
function displayActor(t: { id: number; label: string } | null, meta: { ip?: string | null; requestId?: string | null }): Actor {
	return {
		id: 0,
		loginId: t ? `display:${t.id}` : 'display:?',
		displayName: t?.label ?? '',
		role: null as unknown as Role,
		locale: 'ja',
		ip: meta.ip ?? null,
		requestId: meta.requestId ?? null
	};
}
