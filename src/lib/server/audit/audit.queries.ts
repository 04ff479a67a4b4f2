/** The SQL of the auditor's reads of the access log (the writer is audit.ts, the chain chain.ts). */
import type { Db } from '../db.ts';

/** What the auditor filters by; every field optional. `toBefore` is exclusive. */
export interface AccessLogFilter {
	/** login id (users.login_id) */
	user?: string | null;
	/** 国保記号番号 (households.nhi_number) */
	household?: string | null;
	from?: Date | null;
	toBefore?: Date | null;
	action?: string | null;
}

export interface AccessLogRow {
	id: number;
	/** null until the sealer has sealed the row (within a sweep of its writing) */
	chainSeq: number | null;
	at: Date;
	userId: number | null;
	loginId: string | null;
	role: string | null;
	action: string;
	householdId: number | null;
	nhiNumber: string | null;
	fields: string[] | null;
	reason: string | null;
	/**
	 * The note the reason's `note sha256:…` stands for (access_log_notes: an inbound lookup's who called and why),
	 * while it exists; null once erased (contract end, retention) or when the row has none
	 */
	note: string | null;
	ip: string | null;
	requestId: string | null;
	/** hex, null until sealed */
	hash: string | null;
}

function where(db: Db, f: AccessLogFilter, beforeId: number | null) {
	return db`
		where true
		${f.user ? db`and a.user_id in (select id from users where lower(login_id) = lower(${f.user}))` : db``}
		${f.household ? db`and a.household_id = (select id from households where nhi_number = ${f.household})` : db``}
		${f.from ? db`and a.at >= ${f.from}` : db``}
		${f.toBefore ? db`and a.at < ${f.toBefore}` : db``}
		${f.action ? db`and a.action = ${f.action}` : db``}
		${beforeId !== null ? db`and a.id < ${beforeId}` : db``}`;
}

function columns(db: Db) {
	return db`
		a.id, a.chain_seq, a.at, a.user_id, u.login_id, a.role, a.action, a.household_id, h.nhi_number, a.fields, a.reason,
		n.note, a.ip, a.request_id, encode(a.hash, 'hex') as hash
		from access_log a
		left join users u on u.id = a.user_id
		left join households h on h.id = a.household_id
		left join access_log_notes n on n.access_log_id = a.id`;
}

/** One page, newest first: rows with id below `beforeId` (keyset). */
export async function listAccessLog(db: Db, f: AccessLogFilter, page: { beforeId: number | null; limit: number }): Promise<AccessLogRow[]> {
	return db<AccessLogRow[]>`select ${columns(db)} ${where(db, f, page.beforeId)} order by a.id desc limit ${page.limit}`;
}

/** Every matching row, oldest first, `batch` rows at a time (for the CSV export; run it inside a snapshot). */
export function cursorAccessLog(db: Db, f: AccessLogFilter, batch = 1000) {
	return db<AccessLogRow[]>`select ${columns(db)} ${where(db, f, null)} order by a.id`.cursor(batch);
}
