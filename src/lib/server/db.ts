/**
 * The PostgreSQL connection pool of this bundle (postgres.js). server/ and the SvelteKit handler are bundled
 * apart, so each has its own pool; size them with DB_POOL_MAX. Columns map to camelCase once, here.
 */
import postgres from 'postgres';
import { loadConfig } from './config.ts';
import { dataMode, TRAINING_SCHEMA } from './mode.ts';

export type Sql = postgres.Sql<{ bigint: number }>;
export type Tx = postgres.TransactionSql<{ bigint: number }>;
/** Anything that runs queries: the pool or a transaction. */
export type Db = Sql | Tx;

let pool: Sql | undefined;
let trainingPool: Sql | undefined;

export function connect(url: string, opts: { max?: number; onnotice?: (n: unknown) => void; searchPath?: string } = {}): Sql {
	return postgres(url, {
		max: opts.max ?? 10,
		transform: postgres.camel,
		// int8 (ids, yen, counts) as JS numbers: every value we keep fits well inside 2^53
		types: {
			bigint: {
				to: 20,
				from: [20],
				serialize: (x: number) => String(x),
				parse: (x: string) => Number(x)
			}
		},
		onnotice: opts.onnotice ?? (() => {}),
		connection: {
			application_name: opts.searchPath ? `kansho-${opts.searchPath}` : 'kansho',
			TimeZone: 'UTC',
			// the training pool sees its schema and nothing else (pg_catalog is always searched): an unqualified name
			// never falls through to a real table
			...(opts.searchPath ? { search_path: opts.searchPath } : {})
		}
	}) as unknown as Sql;
}

function databaseUrl(): string {
	const url = loadConfig().DATABASE_URL ?? process.env.DATABASE_URL;
	if (!url) throw new Error('DATABASE_URL is not set (server/index.ts starts the embedded database when it is absent)');
	return url;
}

/**
 * The pool of the work in progress: the real data, or the training data set when the caller runs in a training
 * context (./mode.ts). Use cases call this and need not know which.
 */
export function db(): Sql {
	return dataMode() === 'training' ? trainingDb() : realDb();
}

/** The real data, whatever the context: sessions, training records, live views. */
export function realDb(): Sql {
	pool ??= connect(databaseUrl(), { max: loadConfig().DB_POOL_MAX });
	return pool;
}

/** The training data set (schema `training`), whatever the context; a small pool, opened on first use. */
export function trainingDb(): Sql {
	trainingPool ??= connect(databaseUrl(), { max: Math.max(2, Math.ceil(loadConfig().DB_POOL_MAX / 4)), searchPath: TRAINING_SCHEMA });
	return trainingPool;
}

export async function closeDb(): Promise<void> {
	const pools = [pool, trainingPool].filter((p): p is Sql => p !== undefined);
	pool = undefined;
	trainingPool = undefined;
	await Promise.all(pools.map((p) => p.end({ timeout: 5 })));
}
