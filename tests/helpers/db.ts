/** Test database helpers: the test database's URL, a reset between tests, and direct SQL for assertions. */
import { inject } from 'vitest';
import { connect, type Sql } from '../../src/lib/server/db.ts';

export function testDatabaseUrl(): string {
	const url = inject('databaseUrl');
	process.env.DATABASE_URL = url;
	return url;
}

/** Empty every table the tests write (keeps the migrated schema and the outcome codes). */
export async function resetDb(sql: Sql): Promise<void> {
	await sql`
		truncate access_log, calls, promises, handoffs, call_queue, operator_segments, segments, user_presence, sessions, users,
		  case_history, eligibility, premiums, employers, payment_managers, bank_transfers, receipts, phones, persons,
		  household_years, households restart identity cascade`;
}

export function testSql(): Sql {
	return connect(testDatabaseUrl(), { max: 4 });
}
