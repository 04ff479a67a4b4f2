/**
 * The access log: every read of a household's data and every export is written here, in the same transaction.
 * Rows go in unsealed and take no lock; the sealer (chain.ts) links them into the hash chain afterwards.
 * Reads for the auditor are in audit.queries.ts and read.ts.
 */
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
		| 'session.revoke'
		| 'data.erase'
		| 'login.key_failed'
		| 'webauthn.register'
		| 'webauthn.rename'
		| 'webauthn.remove'
		| 'webauthn.refused';
	householdId?: number | null;
	fields?: readonly string[];
	reason?: string | null;
}

/** Returns the new row's id (the erasure certificate quotes it). */
export async function writeAccessLog(tx: Db, actor: Actor, e: AccessEntry): Promise<number> {
	const [row] = await tx<{ id: number }[]>`
		insert into access_log (user_id, role, action, household_id, fields, reason, ip, request_id)
		values (${actor.id > 0 ? actor.id : null}, ${actor.role}, ${e.action}, ${e.householdId ?? null}, ${e.fields ? [...e.fields] : null},
		        ${e.reason ?? null}, ${actor.ip ?? null}, ${actor.requestId ?? null})
		returning id`;
	return row.id;
}
