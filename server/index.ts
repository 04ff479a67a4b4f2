/**
 * The kansho process: one HTTP server with Express (health, metrics), Socket.IO (live) and the SvelteKit handler
 * (pages, form actions, API). Several instances can run side by side on one PostgreSQL and one Redis.
 */
import express from 'express';
import { createServer } from 'node:http';
import path from 'node:path';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { boot, demoBanner } from './boot.ts';
import { attachRealtime } from './realtime.ts';
import { startSweeper } from './sweeper.ts';
import { db, closeDb } from '../src/lib/server/db.ts';
import { logger } from '../src/lib/server/log.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main() {
	const { config, embedded, demo } = await boot();
	const log = logger('http');

	// adapter-node reads these when its handler is imported. Without ORIGIN, derive the origin from the request
	// (protocol from the socket, host from the Host header) so that form posts pass SvelteKit's CSRF check.
	if (config.ORIGIN) process.env.ORIGIN = config.ORIGIN;
	else process.env.PROTOCOL_HEADER = 'x-kansho-proto';
	// uploads of the ward's files (admin import page) can be large
	process.env.BODY_SIZE_LIMIT = `${config.UPLOAD_LIMIT_MB}M`;
	const handlerPath = path.join(root, 'build', 'handler.js');
	if (!fs.existsSync(handlerPath)) {
		console.error('kansho: build/handler.js is missing: run `npm run build` (npm start does it for you)');
		process.exit(2);
	}
	const { handler } = await import(handlerPath);

	let shuttingDown = false;
	const app = express();
	app.disable('x-powered-by');
	app.use((req, res, next) => {
		const given = req.headers['x-request-id'];
		const id = typeof given === 'string' && /^[A-Za-z0-9._-]{8,64}$/.test(given) ? given : randomUUID();
		req.headers['x-request-id'] = id;
		if (!config.ORIGIN) req.headers['x-kansho-proto'] = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
		const started = performance.now();
		res.on('finish', () => {
			if (req.path === '/healthz' || req.path === '/readyz') return;
			log.info({ id, method: req.method, path: req.path, status: res.statusCode, ms: Math.round(performance.now() - started) }, 'request');
		});
		next();
	});
	app.get('/healthz', (_req, res) => {
		res.json({ status: 'ok', instance: config.INSTANCE_ID });
	});
	app.get('/readyz', async (_req, res) => {
		if (shuttingDown) return void res.status(503).json({ status: 'shutting_down' });
		const checks: Record<string, string> = {};
		try {
			await db()`select 1`;
			checks.database = 'ok';
		} catch (e) {
			log.warn({ err: e }, 'readiness: database');
			checks.database = 'unavailable';
		}
		if (realtime.redis) {
			try {
				await realtime.redis.ping();
				checks.redis = 'ok';
			} catch (e) {
				log.warn({ err: e }, 'readiness: redis');
				checks.redis = 'unavailable';
			}
		}
		const ok = Object.values(checks).every((v) => v === 'ok');
		res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not_ready', checks });
	});
	app.use(handler);

	const http = createServer(app);
	const realtime = await attachRealtime(http, { redisUrl: config.REDIS_URL });
	const sweeper = startSweeper(config);

	await new Promise<void>((resolve, reject) => {
		http.once('error', reject);
		http.listen(config.PORT, config.HOST, () => resolve());
	});
	const url = config.ORIGIN ?? `http://localhost:${config.PORT}`;
	log.info({ url, embedded: embedded !== null, redis: Boolean(config.REDIS_URL) }, 'kansho is listening');
	console.log(demo ? demoBanner(url) : `\n  kansho is running at ${url}\n`);

	// Graceful shutdown: stop taking requests, let in-flight ones finish (no outcome is lost), then close sockets,
	// the database pool and the embedded PostgreSQL.
	const shutdown = async (signal: string) => {
		if (shuttingDown) return;
		shuttingDown = true;
		log.info({ signal }, 'shutting down');
		const force = setTimeout(() => {
			log.warn('shutdown timed out; closing remaining connections');
			http.closeAllConnections();
		}, config.SHUTDOWN_TIMEOUT_SECONDS * 1000);
		force.unref();
		sweeper.stop();
		const closed = new Promise<void>((r) => http.close(() => r()));
		http.closeIdleConnections();
		await realtime.close().catch((e) => log.warn({ err: e }, 'realtime close'));
		await closed;
		await sweeper.idle();
		await closeDb();
		if (embedded) await embedded.stop();
		log.info('stopped');
		process.exit(0);
	};
	process.on('SIGTERM', () => void shutdown('SIGTERM'));
	process.on('SIGINT', () => void shutdown('SIGINT'));
}

process.on('unhandledRejection', (e) => logger('process').error({ err: e }, 'unhandled rejection'));

main().catch((e) => {
	console.error('kansho: failed to start:', e instanceof Error ? e.message : e);
	process.exit(1);
});
