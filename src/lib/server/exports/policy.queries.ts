/** SQL of export_roles: the roles an administrator allows to export (migrations/00007_security). */
import type { Db } from '../db.ts';
import type { Role } from '../../domain/roles.ts';

export interface ExportRoleRow {
	role: Role;
	grantedBy: number | null;
	grantedAt: Date;
}

export function readExportRoles(db: Db): Promise<ExportRoleRow[]> {
	return db<ExportRoleRow[]>`select role, granted_by, granted_at from export_roles order by role`;
}

export async function roleMayExport(db: Db, role: Role): Promise<boolean> {
	const [r] = await db`select 1 from export_roles where role = ${role}`;
	return r !== undefined;
}

/** Make the allowed set exactly `roles`: rows that stay keep who granted them and when. */
export async function replaceExportRoles(db: Db, roles: readonly Role[], grantedBy: number | null): Promise<void> {
	await db`delete from export_roles where role <> all(${roles as Role[]}::text[])`;
	for (const role of roles) await db`insert into export_roles (role, granted_by) values (${role}, ${grantedBy}) on conflict (role) do nothing`;
}

export interface ExportRow {
	id: number;
	startedBy: string | null;
	source: string;
	dateFrom: string;
	dateTo: string;
	encoding: string;
	rows: number;
	bytes: number;
	sha256: string;
	fileName: string;
	createdAt: Date;
}

/** The latest exports (what was written, by whom, its SHA-256), newest first. */
export function recentExports(db: Db, limit: number): Promise<ExportRow[]> {
	return db<ExportRow[]>`
		select e.id, u.login_id as started_by, e.source, to_char(e.date_from, 'YYYY-MM-DD') as date_from,
		  to_char(e.date_to, 'YYYY-MM-DD') as date_to, e.encoding, e.rows, e.bytes::int as bytes, e.sha256, e.file_name, e.created_at
		from exports e left join users u on u.id = e.started_by
		order by e.id desc limit ${limit}`;
}
