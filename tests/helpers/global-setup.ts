/**
 * Integration tests run against a real PostgreSQL: the server in DATABASE_URL (CI: the machine's PostgreSQL),
 * in a database of their own (kansho_test, recreated each run), or, with no DATABASE_URL, an embedded
 * PostgreSQL in a temporary directory. Redis tests use REDIS_URL and are skipped, saying why, without it.
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import type { TestProject } from 'vitest/node';
import { connect } from '../../src/lib/server/db.ts';
import { migrate } from '../../src/lib/server/migrate.ts';
import type { Embedded } from '../../server/embedded.ts';

const TEST_DB = process.env.TEST_DATABASE_NAME ?? 'kansho_test';
let embedded: Embedded | null = null;

export default async function setup(project: TestProject) {
	let serverUrl = process.env.DATABASE_URL;
	if (!serverUrl) {
		const dir = path.join(os.tmpdir(), 'kansho-test-embedded');
		fs.mkdirSync(dir, { recursive: true });
		const { startEmbedded } = await import('../../server/embedded.ts');
		embedded = await startEmbedded({ dataDir: dir, port: Number(process.env.TEST_EMBEDDED_PG_PORT ?? 5498), database: 'postgres', log: () => {} });
		serverUrl = embedded.url;
		console.log(`integration tests: embedded PostgreSQL (no DATABASE_URL) in ${dir}`);
	}
	const admin = connect(serverUrl, { max: 1 });
	await admin.unsafe(`drop database if exists ${TEST_DB} with (force)`);
	await admin.unsafe(`create database ${TEST_DB}`);
	await admin.end();
	const u = new URL(serverUrl);
	u.pathname = `/${TEST_DB}`;
	const testUrl = u.toString();
	const sql = connect(testUrl, { max: 2 });
	await migrate(sql);
	await sql.end();
	process.env.DATABASE_URL = testUrl;
	project.provide('databaseUrl', testUrl);
	if (!process.env.REDIS_URL) console.log('integration tests: REDIS_URL is not set — the tests that need Redis are skipped');
	// every run counts sign-in failures under Redis keys of its own (the workers and the instances they start
	// inherit this), so runs never see each other's lockouts; the keys are removed at the end (only when the
	// prefix is this run's own, never a prefix given from outside)
	const ownPrefix = !process.env.REDIS_KEY_PREFIX;
	const redisPrefix = (process.env.REDIS_KEY_PREFIX ??= `kansho-test-${process.pid}-${Date.now()}:`);

	return async () => {
		if (process.env.REDIS_URL && ownPrefix) await deleteRedisKeys(process.env.REDIS_URL, redisPrefix).catch(() => {});
		if (embedded) await embedded.stop();
	};
}

async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
	const { Redis } = await import('ioredis');
	const r = new Redis(url, { maxRetriesPerRequest: 1 });
	try {
		let cursor = '0';
		do {
			const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
			if (keys.length) await r.del(...keys);
			cursor = next;
		} while (cursor !== '0');
	} finally {
		r.disconnect();
	}
}

declare module 'vitest' {
	export interface ProvidedContext {
		databaseUrl: string;
	}
}
