/** SQL of the display tokens (migrations/00016_display_tokens). The token itself is never stored: its SHA-256 is. */
import type { Db } from '../db.ts';
import type { WallPanel } from '../../domain/wall-panels.ts';

export interface DisplayTokenRow {
	id: number;
	label: string;
	panels: WallPanel[];
	rotateSeconds: number;
	createdBy: number | null;
	createdByName: string | null;
	createdAt: Date;
	revokedAt: Date | null;
	revokedBy: number | null;
	revokedByName: string | null;
	lastUsedAt: Date | null;
}

const columns = (db: Db) => db`
	t.id, t.label, t.panels, t.rotate_seconds, t.created_by, cu.display_name as created_by_name, t.created_at,
	t.revoked_at, t.revoked_by, ru.display_name as revoked_by_name, t.last_used_at`;

export async function insertToken(
	tx: Db,
	t: { label: string; sha256: string; panels: WallPanel[]; rotateSeconds: number; createdBy: number }
): Promise<DisplayTokenRow> {
	const [row] = await tx<{ id: number }[]>`
		insert into display_tokens (label, token_sha256, panels, rotate_seconds, created_by)
		values (${t.label}, ${t.sha256}, ${t.panels}, ${t.rotateSeconds}, ${t.createdBy})
		returning id`;
	return (await findById(tx, row.id))!;
}

export async function findById(db: Db, id: number): Promise<DisplayTokenRow | undefined> {
	const [row] = await db<DisplayTokenRow[]>`
		select ${columns(db)} from display_tokens t
		left join users cu on cu.id = t.created_by left join users ru on ru.id = t.revoked_by
		where t.id = ${id}`;
	return row;
}

/** Newest first; revoked ones too (the list says when and by whom). */
export async function listTokens(db: Db, limit = 200): Promise<DisplayTokenRow[]> {
	return db<DisplayTokenRow[]>`
		select ${columns(db)} from display_tokens t
		left join users cu on cu.id = t.created_by left join users ru on ru.id = t.revoked_by
		order by t.revoked_at is not null, t.created_at desc, t.id desc limit ${limit}`;
}

/** Marks it revoked; undefined when there is no such token or it was revoked already. */
export async function revokeToken(tx: Db, id: number, by: number): Promise<{ id: number; label: string } | undefined> {
	const [row] = await tx<{ id: number; label: string }[]>`
		update display_tokens set revoked_at = now(), revoked_by = ${by}
		where id = ${id} and revoked_at is null returning id, label`;
	return row;
}

/** A live (not revoked) token by its hash. */
export async function findLive(db: Db, sha256: string): Promise<{ id: number; label: string; panels: WallPanel[]; rotateSeconds: number; lastUsedAt: Date | null } | undefined> {
	const [row] = await db<{ id: number; label: string; panels: WallPanel[]; rotateSeconds: number; lastUsedAt: Date | null }[]>`
		select id, label, panels, rotate_seconds, last_used_at from display_tokens where token_sha256 = ${sha256} and revoked_at is null`;
	return row;
}

export async function touch(db: Db, id: number): Promise<void> {
	await db`update display_tokens set last_used_at = now() where id = ${id}`;
}

/** Which of these tokens are still live (walls' sockets re-check theirs with this). */
export async function liveIds(db: Db, ids: number[]): Promise<Set<number>> {
	if (!ids.length) return new Set();
	const rows = await db<{ id: number }[]>`select id from display_tokens where id = any(${ids}::bigint[]) and revoked_at is null`;
	return new Set(rows.map((r) => r.id));
}
