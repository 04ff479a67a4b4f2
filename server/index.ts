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
import { maxBodyBytes, securityHeaders } from '../src/lib/server/security/headers.ts';

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
	const headers = securityHeaders({ https: config.ORIGIN?.startsWith('https:') ?? false });
	const app = express();
	app.disable('x-powered-by');
	app.use((req, res, next) => {
		const given = req.headers['x-request-id'];
		const id = typeof given === 'string' && /^[A-Za-z0-9._-]{8,64}$/.test(given) ? given : randomUUID();
		req.headers['x-request-id'] = id;
		// always overwritten, never taken from the client: the protocol is the connection's own
		if (!config.ORIGIN) req.headers['x-kansho-proto'] = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
		// security headers on every response (SvelteKit's pages replace the CSP with their own, stricter one)
		for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
		const started = performance.now();
		res.on('finish', () => {
			if (req.path === '/healthz' || req.path === '/readyz') return;
			log.info({ id, method: req.method, path: req.path, status: res.statusCode, ms: Math.round(performance.now() - started) }, 'request');
		});
		next();
	});
	// bodies larger than the route takes are refused before anything reads them (JSON API 64 KB, forms 1 MB, the
	// import upload UPLOAD_LIMIT_MB, which is also adapter-node's BODY_SIZE_LIMIT); a body of unknown length
	// (chunked) only where files are uploaded
	app.use((req, res, next) => {
		if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
		const limit = maxBodyBytes(req.path, config.UPLOAD_LIMIT_MB);
		const given = req.headers['content-length'];
		const refuse = (status: number, code: string, message: string) => {
			log.warn({ id: req.headers['x-request-id'], method: req.method, path: req.path, status, contentLength: given ?? null, limit }, 'request body refused');
			res.setHeader('connection', 'close');
			res.status(status).json({ code, message, limitBytes: limit });
		};
		if (given === undefined) {
			if (req.headers['transfer-encoding'] && limit < config.UPLOAD_LIMIT_MB * 1024 * 1024) return refuse(411, 'length_required', 'send the body with a Content-Length');
		} else if (!/^\d+$/.test(given) || Number(given) > limit) {
			return refuse(413, 'too_large', `the request body is larger than this address accepts (${limit} bytes)`);
		}
		next();
	});
	app.get('/healthz', (_req, res) => {
		// the live views' counters (recomputes, deltas, snapshots, versions): what viewers cost this instance
		res.json({ status: 'ok', instance: config.INSTANCE_ID, live: realtime.live.stats });
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
	// the last resort: whatever reaches Express as an error is logged with the request id and answered without
	// internals (Express's own handler would send the stack trace outside production)
	app.use((err: unknown, req: express.Request, res: express.Response, next: express.NextFunction) => {
		const id = String(req.headers['x-request-id']);
		const status = typeof (err as { status?: unknown })?.status === 'number' ? (err as { status: number }).status : 500;
		const client = status >= 400 && status < 500;
		if (client) log.warn({ id, err: (err as Error)?.message, path: req.path, status }, 'bad request');
		else log.error({ id, err, path: req.path }, 'request failed');
		if (res.headersSent) return next(err);
		res.status(client ? status : 500).json({ code: client ? 'bad_request' : 'internal', message: client ? 'bad request' : 'internal error', id });
	});

	const http = createServer(app);
	const realtime = await attachRealtime(http, { redisUrl: config.REDIS_URL, headers, origin: config.ORIGIN });
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
