/**
 * Sign-in lockout with backoff and a per-address rate limit, counted where every instance sees the same numbers:
 * in Redis when REDIS_URL is set (keys `<REDIS_KEY_PREFIX>lock:id:<login id>`, `…lock:ip:<address>`,
 * `…lock:rate:<address>`, each with a TTL), otherwise in PostgreSQL (table login_throttle). PostgreSQL, not
 * memory: it is shared by instances on one database, survives restarts, and keeps module-level mutable state out
 * of the server. When Redis is configured but does not answer, the same counting goes to PostgreSQL for that
 * attempt (the lock keeps working, never fails open). What the numbers mean is in src/lib/domain/login-backoff.ts.
 *
 * A login id is counted whether or not it exists, and a lock answers alike for both: it reveals nothing.
 */
import type { Redis } from 'ioredis';
import { db } from '../db.ts';
import { loadConfig } from '../config.ts';
import { redis, redisKey } from '../redis.ts';
import { logger } from '../log.ts';
import {
	ID_FAILURE_MEMORY_SECONDS,
	IP_FAILURE_MEMORY_SECONDS,
	RATE_WINDOW_SECONDS,
	lockRemaining,
	lockSeconds,
	type BackoffPolicy,
	type FailureState
} from '../../domain/login-backoff.ts';
import * as q from './throttle.queries.ts';

/** Where the counters live; two implementations with the same meaning. */
interface CounterStore {
	/** one attempt in a fixed window: the count so far and the seconds until the window ends */
	hit(key: string, windowSeconds: number): Promise<{ count: number; resetSeconds: number }>;
	/** one failure; the counter is forgotten memorySeconds after the last one */
	fail(key: string, memorySeconds: number): Promise<FailureState>;
	read(keys: string[]): Promise<Map<string, FailureState>>;
	clear(key: string): Promise<void>;
}

function redisStore(r: Redis): CounterStore {
	const k = (key: string) => redisKey('lock', key);
	return {
		async hit(key, windowSeconds) {
			const res = await r.multi().set(k(key), '0', 'EX', windowSeconds, 'NX').incr(k(key)).pttl(k(key)).exec();
			if (!res || res.some(([e]) => e)) throw res?.find(([e]) => e)?.[0] ?? new Error('redis transaction aborted');
			const pttl = Number(res[2][1]);
			return { count: Number(res[1][1]), resetSeconds: Math.max(1, Math.ceil((pttl > 0 ? pttl : windowSeconds * 1000) / 1000)) };
		},
		async fail(key, memorySeconds) {
			const now = Date.now();
			const res = await r.multi().hincrby(k(key), 'n', 1).hset(k(key), 'at', String(now)).expire(k(key), memorySeconds).exec();
			if (!res || res.some(([e]) => e)) throw res?.find(([e]) => e)?.[0] ?? new Error('redis transaction aborted');
			return { failures: Number(res[0][1]), lastFailureAt: now };
		},
		async read(keys) {
			const p = r.pipeline();
			for (const key of keys) p.hmget(k(key), 'n', 'at');
			const res = (await p.exec()) ?? [];
			const out = new Map<string, FailureState>();
			res.forEach(([e, v], i) => {
				if (e) throw e;
				const [n, at] = v as [string | null, string | null];
				if (n && at) out.set(keys[i], { failures: Number(n), lastFailureAt: Number(at) });
			});
			return out;
		},
		async clear(key) {
			await r.del(k(key));
		}
	};
}

const pgStore: CounterStore = {
	async hit(key, windowSeconds) {
		const row = await q.hitWindow(db(), key, windowSeconds);
		return { count: row.count, resetSeconds: Math.max(1, Math.ceil((row.expiresAt.getTime() - Date.now()) / 1000)) };
	},
	async fail(key, memorySeconds) {
		const row = await q.addFailure(db(), key, memorySeconds);
		return { failures: row.count, lastFailureAt: row.lastAt.getTime() };
	},
	async read(keys) {
		const rows = await q.readCounters(db(), keys);
		return new Map(rows.map((r) => [r.key, { failures: r.count, lastFailureAt: r.lastAt.getTime() }]));
	},
	async clear(key) {
		await q.deleteCounter(db(), key);
	}
};

/** Run on Redis when configured; on a Redis error, log it and run on PostgreSQL instead. */
async function onStore<T>(op: (s: CounterStore) => Promise<T>): Promise<T> {
	const r = redis();
	if (r) {
		try {
			return await op(redisStore(r));
		} catch (e) {
			logger('auth').warn({ err: (e as Error).message }, 'redis unavailable for sign-in counters; counting in PostgreSQL');
		}
	}
	return op(pgStore);
}

function policies(): { id: BackoffPolicy; ip: BackoffPolicy; ratePerMinute: number } {
	const c = loadConfig();
	const lock = { baseSeconds: c.LOGIN_LOCK_BASE_SECONDS, maxSeconds: Math.max(c.LOGIN_LOCK_BASE_SECONDS, c.LOGIN_LOCK_MAX_SECONDS) };
	return { id: { maxFailures: c.LOGIN_MAX_FAILURES, ...lock }, ip: { maxFailures: c.LOGIN_IP_MAX_FAILURES, ...lock }, ratePerMinute: c.LOGIN_RATE_PER_MINUTE };
}

/** The counter key of a login id: as typed, trimmed and lower-cased (so 'OP01' and 'op01' share one count). */
export function idKey(loginId: string): string {
	return `id:${encodeURIComponent(loginId.trim().toLowerCase())}`;
}
const ipKey = (ip: string) => `ip:${ip}`;
const rateKey = (ip: string) => `rate:${ip}`;

export type ThrottleVerdict = { allowed: true } | { allowed: false; code: 'locked' | 'rate_limited'; retryAfterSeconds: number };

/**
 * Before checking a password: is this attempt allowed? Counts the attempt against the address's rate limit,
 * then looks at the locks of the login id and the address. `ip` null (tests, the CLI) skips the address checks.
 */
export async function admitSignIn(loginId: string, ip: string | null): Promise<ThrottleVerdict> {
	const p = policies();
	return onStore(async (s) => {
		if (ip) {
			const rate = await s.hit(rateKey(ip), RATE_WINDOW_SECONDS);
			if (rate.count > p.ratePerMinute) return { allowed: false, code: 'rate_limited', retryAfterSeconds: rate.resetSeconds };
		}
		const keys = ip ? [idKey(loginId), ipKey(ip)] : [idKey(loginId)];
		const states = await s.read(keys);
		const now = Date.now();
		const wait = Math.max(lockRemaining(states.get(idKey(loginId)), p.id, now), ip ? lockRemaining(states.get(ipKey(ip)), p.ip, now) : 0);
		return wait > 0 ? { allowed: false, code: 'locked', retryAfterSeconds: wait } : { allowed: true };
	});
}

/** A wrong password (or unknown id, or disabled user): count it; returns the lock it starts, in seconds (0: none). */
export async function recordSignInFailure(loginId: string, ip: string | null): Promise<number> {
	const p = policies();
	return onStore(async (s) => {
		const id = await s.fail(idKey(loginId), ID_FAILURE_MEMORY_SECONDS);
		const byIp = ip ? await s.fail(ipKey(ip), IP_FAILURE_MEMORY_SECONDS) : null;
		// the lock this failure starts runs from now, whichever clock stamped it
		return Math.max(lockSeconds(id.failures, p.id), byIp ? lockSeconds(byIp.failures, p.ip) : 0);
	});
}

/** A successful sign-in clears the login id's count (not the address's: one good account must not reset it). */
export async function recordSignInSuccess(loginId: string): Promise<void> {
	await onStore((s) => s.clear(idKey(loginId)));
}

/** An administrator's password reset or re-enable lifts the account's lock. */
export async function clearSignInLock(loginId: string): Promise<void> {
	await onStore((s) => s.clear(idKey(loginId)));
}

/** Housekeeping for the PostgreSQL counters (Redis expires its own). */
export function purgeExpiredCounters(): Promise<number> {
	return q.deleteExpiredCounters(db());
}
