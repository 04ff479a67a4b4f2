/** Used by the Vite plugin in vite.config.ts: the realtime server and the sweeper, attached to Vite's HTTP server. */
import type { Server } from 'node:http';
import { attachRealtime } from './realtime.ts';
import { startSweeper } from './sweeper.ts';
import { loadConfig } from '../src/lib/server/config.ts';

export async function startRealtimeForDev(http: Server): Promise<void> {
	if (!process.env.DATABASE_URL) {
		console.warn('kansho: realtime not attached (no DATABASE_URL): start the dev server with `npm run dev`');
		return;
	}
	const config = loadConfig();
	await attachRealtime(http, { redisUrl: config.REDIS_URL });
	startSweeper(config);
}
