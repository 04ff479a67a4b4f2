/** The access log: every read of a household's data and every export is written here, in the same transaction. */
import type { Db } from '../db.ts';
import type { Actor } from '../auth/actor.ts';

export interface AccessEntry {
	action:
		| 'household.view'
		| 'household.denied'
		| 'household.claim'
		| 'call.record'
		| 'import'
		| 'export'
		| 'login'
		| 'login.failed'
		| 'logout'
		| 'search'
		| 'admin.change'
		| 'audit.view'
		| 'audit.export'
		| 'session.revoke';
	householdId?: number | null;
	fields?: readonly string[];
	reason?: string | null;
}

export async function writeAccessLog(tx: Db, actor: Actor, e: AccessEntry): Promise<void> {
	await tx`
		insert into access_log (user_id, role, action, household_id, fields, reason, ip, request_id)
		values (${actor.id > 0 ? actor.id : null}, ${actor.role}, ${e.action}, ${e.householdId ?? null}, ${e.fields ? [...e.fields] : null},
		        ${e.reason ?? null}, ${actor.ip ?? null}, ${actor.requestId ?? null})`;
}

export interface AccessLogRow {
	id: number;
	at: Date;
	userId: number | null;
	loginId: string | null;
	role: string | null;
	action: string;
	householdId: number | null;
	nhiNumber: string | null;
	fields: string[] | null;
	reason: string | null;
	ip: string | null;
}

export async function listAccessLog(
	db: Db,
	f: { limit: number; beforeId?: number | null; householdId?: number | null; userId?: number | null }
): Promise<AccessLogRow[]> {
	return db<AccessLogRow[]>`
		select a.id, a.at, a.user_id, u.login_id, a.role, a.action, a.household_id, h.nhi_number, a.fields, a.reason, a.ip
		from access_log a
		left join users u on u.id = a.user_id
		left join households h on h.id = a.household_id
		where (${f.beforeId ?? null}::bigint is null or a.id < ${f.beforeId ?? null})
		  and (${f.householdId ?? null}::bigint is null or a.household_id = ${f.householdId ?? null})
		  and (${f.userId ?? null}::bigint is null or a.user_id = ${f.userId ?? null})
		order by a.id desc
		limit ${f.limit}`;
}
