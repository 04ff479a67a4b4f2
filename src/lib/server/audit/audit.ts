/**
 * The access log: every read of a household's data and every export is written here, in the same transaction.
 * Rows go in unsealed and take no lock; the sealer (chain.ts) links them into the hash chain afterwards.
 * Reads for the auditor are in audit.queries.ts and read.ts.
 *
 * A note someone typed about a resident (an inbound lookup's "who called, what about") is personal data and the log
 * is never erased, so the note goes to access_log_notes (erasable, migration 00011) and the chained row's reason
 * carries only its SHA-256 (`noteSha256`, written by `accessLogReason` in domain/access-scope.ts).
 */
import { createHash } from 'node:crypto';
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
		| 'webauthn.refused'
		| 'phone.change'
		| 'do_not_call.lift'
		| 'segment.create'
		| 'segment.update'
		| 'segment.assign'
		| 'rules.update'
		| 'floor.release'
		| 'floor.message'
		| 'floor.targets'
		| 'floor.thresholds'
		| 'display.issue'
		| 'display.list'
		| 'display.revoke'
		| 'display.open'
		| 'display.refused'
		| 'handoff.take'
		| 'handoff.assign'
		| 'handoff.note'
		| 'handoff.resolve'
		| 'handoff.return'
		| 'handoff.sla'
		| 'promises.reconcile'
		| 'letter.generate'
		| 'letter.download'
		| 'letter.state'
		| 'letter.returned'
		| 'letter.configure'
		| 'training.change'
		| 'training.run'
		| 'training.export'
		| 'scripts.change'
		| 'plan.change';
	householdId?: number | null;
	fields?: readonly string[];
	reason?: string | null;
	/**
	 * Free text about a resident, stored beside the row in access_log_notes (erased with the household's data);
	 * the reason should quote only its `noteSha256`.
	 */
	note?: string | null;
}

/** The SHA-256 (lowercase hex) of a note's UTF-8 text: the commitment the chained row keeps. */
export function noteSha256(note: string): string {
	return createHash('sha256').update(note, 'utf8').digest('hex');
}

/**
 * Returns the new row's id (the erasure certificate quotes it). With a note, write the note row too: pass a
 * transaction (`sql.begin`) so that both or neither are written.
 */
export async function writeAccessLog(tx: Db, actor: Actor, e: AccessEntry): Promise<number> {
	const [row] = await tx<{ id: number }[]>`
		insert into access_log (user_id, role, action, household_id, fields, reason, ip, request_id)
		values (${actor.id > 0 ? actor.id : null}, ${actor.role}, ${e.action}, ${e.householdId ?? null}, ${e.fields ? [...e.fields] : null},
		        ${e.reason ?? null}, ${actor.ip ?? null}, ${actor.requestId ?? null})
		returning id`;
	if (e.note)
		await tx`insert into access_log_notes (access_log_id, household_id, note) values (${row.id}, ${e.householdId ?? null}, ${e.note})`;
	return row.id;
}

/**
 * One access-log row per household for an action on many at once (a letter batch generated or downloaded: every
 * household whose letter was made or handed out), in one statement. No notes. Returns how many rows were written.
 */
export async function writeAccessLogForHouseholds(tx: Db, actor: Actor, e: Omit<AccessEntry, 'householdId' | 'note'>, householdIds: readonly number[]): Promise<number> {
	if (householdIds.length === 0) return 0;
	const r = await tx`
		insert into access_log (user_id, role, action, household_id, fields, reason, ip, request_id)
		select ${actor.id > 0 ? actor.id : null}, ${actor.role}, ${e.action}, h, ${e.fields ? [...e.fields] : null}, ${e.reason ?? null},
		       ${actor.ip ?? null}, ${actor.requestId ?? null}
		from unnest(${householdIds as number[]}::bigint[]) as h`;
	return r.count;
}
