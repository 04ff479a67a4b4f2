/**
 * The PostgreSQL connection pool of this bundle (postgres.js). server/ and the SvelteKit handler are bundled
 * apart, so each has its own pool; size them with DB_POOL_MAX. Columns map to camelCase once, here.
 */
import postgres from 'postgres';
import { loadConfig } from './config.ts';

export type Sql = postgres.Sql<{ bigint: number }>;
export type Tx = postgres.TransactionSql<{ bigint: number }>;
/** Anything that runs queries: the pool or a transaction. */
export type Db = Sql | Tx;

let pool: Sql | undefined;

export function connect(url: string, opts: { max?: number; onnotice?: (n: unknown) => void } = {}): Sql {
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
		connection: { application_name: 'kansho', TimeZone: 'UTC' }
	}) as unknown as Sql;
}

/** The shared pool; DATABASE_URL must be set (server/ sets it for the embedded database before anything runs). */
export function db(): Sql {
	if (!pool) {
		const cfg = loadConfig();
		const url = cfg.DATABASE_URL ?? process.env.DATABASE_URL;
		if (!url) throw new Error('DATABASE_URL is not set (server/index.ts starts the embedded database when it is absent)');
		pool = connect(url, { max: cfg.DB_POOL_MAX });
	}
	return pool;
}

export async function closeDb(): Promise<void> {
	if (pool) {
		const p = pool;
		pool = undefined;
		await p.end({ timeout: 5 });
	}
}
