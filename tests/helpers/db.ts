/** Test database helpers: the test database's URL, a reset between tests, and direct SQL for assertions. */
import { inject } from 'vitest';
import { connect, type Sql } from '../../src/lib/server/db.ts';
import { redis, redisKey } from '../../src/lib/server/redis.ts';

export function testDatabaseUrl(): string {
	const url = inject('databaseUrl');
	process.env.DATABASE_URL = url;
	return url;
}

/** Empty every table the tests write (keeps the migrated schema and the outcome codes). */
export async function resetDb(sql: Sql): Promise<void> {
	await sql`
		truncate calls, promises, handoffs, call_queue, operator_segments, segments, user_presence, sessions, users,
		  case_history, eligibility, premiums, employers, payment_managers, bank_transfers, receipts, phones, persons,
		  household_years, households restart identity cascade`;
	// the figures kept of erased households name operators by id: user ids restart above, so a later test's new
	// operator would inherit an earlier test's calls (live views count them in 本日の架電)
	await sql`truncate stats_calls, stats_call_outcomes, stats_handoffs, stats_promises, stats_payments, stats_households, stats_receipts`;
	// the collection-rate summary (migration 00024): empty and never built, as on a new installation
	await sql`truncate collection_cells, slot_answer_rates`;
	await sql`update collection_cells_state set stale = true, refreshed_at = null, rows = null, duration_ms = null`;
	await resetAccessLog(sql);
}

/**
 * Empty the access log (with its notes) and its chain head. The log is append-only (triggers refuse TRUNCATE for everyone, in
 * replica mode too), so this goes around them the way only the table's owner or a superuser can: by disabling
 * them for the transaction, then restoring them as they were (ALWAYS).
 */
export async function resetAccessLog(sql: Sql): Promise<void> {
	await sql.begin(async (tx) => {
		await tx`alter table access_log disable trigger user`;
		await tx`alter table access_log_chain disable trigger user`;
		await tx`truncate access_log_notes, access_log restart identity`;
		await tx`update access_log_chain set last_seq = 0, last_hash = decode(repeat('00', 32), 'hex'), sealed_at = null`;
		for (const t of ['access_log_append_only', 'access_log_insert_unsealed', 'access_log_no_truncate'])
			await tx.unsafe(`alter table access_log enable always trigger ${t}`);
		for (const t of ['access_log_chain_forward_only', 'access_log_chain_no_truncate']) await tx.unsafe(`alter table access_log_chain enable always trigger ${t}`);
	});
}

export function testSql(): Sql {
	return connect(testDatabaseUrl(), { max: 4 });
}

/** User ids start again at 1 after each reset: the lookup (search) rate counters of earlier tests must not count against them. */
export async function clearLookupCounters(sql: Sql): Promise<void> {
	await sql`delete from login_throttle where key like 'api:lookup:%'`;
	const r = redis();
	if (r) {
		const keys = await r.keys(redisKey('rate', 'lookup', '*'));
		if (keys.length) await r.del(...keys);
	}
}
