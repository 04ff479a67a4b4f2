/**
 * A fixed-window rate limit per user (or address) and purpose, counted where every instance sees the same numbers:
 * in Redis when REDIS_URL is set (key `<REDIS_KEY_PREFIX>rate:<bucket>:<subject>`, with a TTL), otherwise in
 * PostgreSQL, in the sign-in counters' table (login_throttle, key `api:<bucket>:<subject>`; the sweeper deletes
 * expired rows). When Redis is configured but does not answer, that hit is counted in PostgreSQL: the limit keeps
 * working, never fails open. The same design as the sign-in throttle (auth/throttle.ts), whose window query
 * this reuses.
 */
import type { Redis } from 'ioredis';
import { db } from '../db.ts';
import { loadConfig } from '../config.ts';
import { redis, redisKey } from '../redis.ts';
import { logger } from '../log.ts';
import { DomainError } from '../errors.ts';
import { hitWindow } from '../auth/throttle.queries.ts';
import type { Actor } from '../auth/actor.ts';

/** Refused for now: too many requests of this kind; try again in retryAfterSeconds. */
export class RateLimited extends DomainError {
	constructor(
		/** whole seconds until the window ends */
		public readonly retryAfterSeconds: number
	) {
		super('rate_limited', `too many requests: try again in ${retryAfterSeconds} s`);
	}
	toJSON() {
		return { ...super.toJSON(), retryAfterSeconds: this.retryAfterSeconds };
	}
}

export interface Hit {
	/** hits in the current window, this one included */
	count: number;
	/** seconds until the window ends */
	resetSeconds: number;
}

/**
 * The one fixed-window counter on Redis (this file's limits and the sign-in rate limit, auth/throttle.ts): one
 * MULTI sets the key with its TTL if it is new, increments it and reads the TTL left. `key` is the full key.
 */
export async function redisWindowHit(r: Redis, key: string, windowSeconds: number): Promise<Hit> {
	const res = await r.multi().set(key, '0', 'EX', windowSeconds, 'NX').incr(key).pttl(key).exec();
	if (!res || res.some(([e]) => e)) throw res?.find(([e]) => e)?.[0] ?? new Error('redis transaction aborted');
	const pttl = Number(res[2][1]);
	return { count: Number(res[1][1]), resetSeconds: Math.max(1, Math.ceil((pttl > 0 ? pttl : windowSeconds * 1000) / 1000)) };
}

/** The same window in PostgreSQL (login_throttle). `key` is the table's key. */
export async function pgWindowHit(key: string, windowSeconds: number): Promise<Hit> {
	const row = await hitWindow(db(), key, windowSeconds);
	return { count: row.count, resetSeconds: Math.max(1, Math.ceil((row.expiresAt.getTime() - Date.now()) / 1000)) };
}

async function hitRedis(key: string, windowSeconds: number): Promise<Hit | null> {
	const r = redis();
	if (!r) return null;
	try {
		return await redisWindowHit(r, redisKey('rate', key), windowSeconds);
	} catch (e) {
		logger('security').warn({ err: (e as Error).message }, 'redis unavailable for rate limits; counting in PostgreSQL');
		return null;
	}
}

/** Count one hit of `subject` in `bucket`'s window. */
export async function hit(bucket: string, subject: string, windowSeconds: number): Promise<Hit> {
	const key = `${bucket}:${subject}`;
	return (await hitRedis(key, windowSeconds)) ?? pgWindowHit(`api:${key}`, windowSeconds);
}

/** Count one hit; throws RateLimited (429) once more than `limit` hits fell in the window. */
export async function enforce(bucket: string, subject: string, limit: number, windowSeconds = 60): Promise<void> {
	const h = await hit(bucket, subject, windowSeconds);
	if (h.count > limit) throw new RateLimited(h.resetSeconds);
}

/**
 * Household lookups and searches by one user: LOOKUP_RATE_PER_MINUTE (default 60) a minute. A reminder call
 * needs one lookup a call; reading households one after another faster than that is copying, not calling.
 */
export async function limitLookups(actor: Actor): Promise<void> {
	await enforce('lookup', String(actor.id), loadConfig().LOOKUP_RATE_PER_MINUTE);
}
