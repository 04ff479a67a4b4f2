/**
 * Forward-only SQL migrations (postgres-shift: migrations/NNNNN_name/index.sql, each in a transaction), serialized
 * across instances with an advisory lock so that several instances starting at once migrate once.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import shift from 'postgres-shift';
import { realDb, trainingDb, type Db, type Sql } from './db.ts';
import { TRAINING_SCHEMA } from './mode.ts';

const MIGRATION_LOCK = 4_213_001;
const TRAINING_MIGRATION_LOCK = 4_213_002;

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

/** The training schema exists (it is made when a supervisor first starts a training session). */
export async function trainingSchemaExists(sql: Db = realDb()): Promise<boolean> {
	const [r] = await sql<{ n: number }[]>`select count(*)::int as n from pg_namespace where nspname = ${TRAINING_SCHEMA}`;
	return r.n > 0;
}

/**
 * The training data set's schema (issue #9): made if absent, then brought to the same migrations as the real
 * data through the training pool (search_path = training only: the migrations use unqualified names, so every
 * table, function and trigger is made in it, with its own `migrations` table). Serialized like migrate().
 */
export async function migrateTraining(log: (msg: string) => void = () => {}): Promise<void> {
	const lock = await realDb().reserve();
	try {
		await lock`select pg_advisory_lock(${TRAINING_MIGRATION_LOCK})`;
		await lock`create schema if not exists ${lock(TRAINING_SCHEMA)}`;
		await migrate(trainingDb(), (m) => log(`training: ${m}`));
	} finally {
		await lock`select pg_advisory_unlock(${TRAINING_MIGRATION_LOCK})`.catch(() => {});
		lock.release();
	}
}
