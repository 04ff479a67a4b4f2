/**
 * Forward-only SQL migrations (postgres-shift: migrations/NNNNN_name/index.sql, each in a transaction), serialized
 * across instances with an advisory lock so that several instances starting at once migrate once.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import shift from 'postgres-shift';
import type { Sql } from './db.ts';

const MIGRATION_LOCK = 4_213_001;

export function migrationsDir(): string {
	return process.env.KANSHO_MIGRATIONS_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');
}

export async function migrate(sql: Sql, log: (msg: string) => void = () => {}): Promise<void> {
	const lock = await sql.reserve();
	try {
		await lock`select pg_advisory_lock(${MIGRATION_LOCK})`;
		await shift({
			sql: sql as never,
			path: migrationsDir(),
			before: ({ migration_id, name }: { migration_id: number; name: string }) => log(`migrating ${migration_id} ${name}`)
		});
	} finally {
		await lock`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
		lock.release();
	}
}
