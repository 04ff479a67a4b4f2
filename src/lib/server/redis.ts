/**
 * The Redis client of this bundle (ioredis), for what must be shared by every instance outside the database:
 * sign-in lockout counters. Created on first use; null when REDIS_URL is unset (one instance, embedded mode).
 * server/realtime.ts keeps its own pair of clients for the Socket.IO adapter.
 */
import { Redis } from 'ioredis';
import { loadConfig } from './config.ts';
import { logger } from './log.ts';

let client: Redis | null | undefined;

export function redis(): Redis | null {
	if (client === undefined) {
		const url = loadConfig().REDIS_URL;
		if (!url) {
			client = null;
		} else {
			const c = new Redis(url, {
				// fail fast: a sign-in waiting on an unreachable Redis falls back to PostgreSQL instead
				maxRetriesPerRequest: 1,
				connectTimeout: 2000,
				retryStrategy: (n) => Math.min(n * 200, 2000),
				connectionName: 'kansho-app'
			});
			c.on('error', (e) => logger('redis').warn({ err: e.message, client: 'app' }, 'redis error'));
			client = c;
		}
	}
	return client;
}

/** The key prefix every key kansho writes carries (REDIS_KEY_PREFIX, default 'kansho:'). */
export function redisKey(...parts: string[]): string {
	return loadConfig().REDIS_KEY_PREFIX + parts.join(':');
}

export async function closeRedis(): Promise<void> {
	if (client) {
		const c = client;
		client = undefined;
		await c.quit().catch(() => c.disconnect());
	}
}
