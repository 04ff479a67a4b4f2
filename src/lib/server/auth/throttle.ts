/**
 * Sign-in lockout with backoff and a per-address rate limit, counted where every instance sees the same numbers:
 * in Redis when REDIS_URL is set (keys `<REDIS_KEY_PREFIX>lock:id:<login id>`, `…lock:ip:<address>`,
 * `…lock:rate:<address>`, each with a TTL), otherwise in PostgreSQL (table login_throttle). PostgreSQL, not
 * memory: it is shared by instances on one database, survives restarts, and keeps module-level mutable state out
 * of the server. When Redis is configured but does not answer, the same counting goes to PostgreSQL for that
 * attempt (the lock keeps working, never fails open). What the numbers mean is in src/lib/domain/login-backoff.ts.
 *
 * Count first, then decide: an attempt is counted as a failure atomically (a Lua script in Redis, one upsert in
 * PostgreSQL) BEFORE the password or key is checked, and the count it returns decides; a success takes its count
 * back. Checking first and counting after the (slow) password hash would let parallel guesses all pass the check
 * before the first failure counted.
 *
 * A login id is counted whether or not it exists, and a lock answers alike for both: it reveals nothing.
 * Addresses in TRUSTED_NETWORKS (the call center's own) have no per-address lock or rate limit.
 */
import type { Redis } from 'ioredis';
import { db } from '../db.ts';
import { loadConfig } from '../config.ts';
import { redis, redisKey } from '../redis.ts';
import { logger } from '../log.ts';
import { pgWindowHit, redisWindowHit, type Hit } from '../security/rate-limit.ts';
import { inNetworks, parseNetworks } from '../security/trusted-networks.ts';
import {
	ID_FAILURE_MEMORY_SECONDS,
	IP_FAILURE_MEMORY_SECONDS,
	RATE_WINDOW_SECONDS,
	lockRemaining,
	lockSeconds,
	type BackoffPolicy
} from '../../domain/login-backoff.ts';
import * as q from './throttle.queries.ts';

type Counted = { counted: true; failures: number } | { counted: false; retryAfterSeconds: number };

/** Where the counters live; two implementations with the same meaning. */
interface CounterStore {
	/** one attempt in a fixed window: the count so far and the seconds until the window ends */
	hit(key: string, windowSeconds: number): Promise<Hit>;
	/**
	 * One attempt, counted as a failure unless the key is locked now (then nothing changes): atomic, so parallel
	 * attempts each see the count the one before left. The count is forgotten memorySeconds after the last one.
	 */
	attempt(key: string, memorySeconds: number, p: BackoffPolicy): Promise<Counted>;
	/** take one attempt back (it succeeded) */
	undo(key: string): Promise<void>;
	clear(key: string): Promise<void>;
}

// KEYS[1] the counter (hash n, at); ARGV now (ms), maxFailures, baseSeconds, maxSeconds, memorySeconds
const ATTEMPT_LUA = `
local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
local at = tonumber(redis.call('HGET', KEYS[1], 'at') or '0')
local now = tonumber(ARGV[1])
local maxF = tonumber(ARGV[2])
if n >= maxF then
	local lock = math.min(tonumber(ARGV[4]), tonumber(ARGV[3]) * 2 ^ math.min(n - maxF, 40))
	local untilAt = at + lock * 1000
	if untilAt > now then return {0, n, math.ceil((untilAt - now) / 1000)} end
end
n = redis.call('HINCRBY', KEYS[1], 'n', 1)
redis.call('HSET', KEYS[1], 'at', ARGV[1])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[5]))
return {1, n, 0}`;

const UNDO_LUA = `
local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
if n > 0 then redis.call('HINCRBY', KEYS[1], 'n', -1) end
return n`;

function redisStore(r: Redis): CounterStore {
	const k = (key: string) => redisKey('lock', key);
	return {
		hit: (key, windowSeconds) => redisWindowHit(r, k(key), windowSeconds),
		async attempt(key, memorySeconds, p) {
			const [counted, n, wait] = (await r.eval(ATTEMPT_LUA, 1, k(key), Date.now(), p.maxFailures, p.baseSeconds, p.maxSeconds, memorySeconds)) as number[];
			return counted === 1 ? { counted: true, failures: n } : { counted: false, retryAfterSeconds: Math.max(1, wait) };
		},
		async undo(key) {
			await r.eval(UNDO_LUA, 1, k(key));
		},
		async clear(key) {
			await r.del(k(key));
		}
	};
}

const pgStore: CounterStore = {
	hit: (key, windowSeconds) => pgWindowHit(key, windowSeconds),
	async attempt(key, memorySeconds, p) {
		const row = await q.countAttempt(db(), key, memorySeconds, p);
		if (row) return { counted: true, failures: row.count };
		const [now] = await q.readCounters(db(), [key]);
		const wait = now ? lockRemaining({ failures: now.count, lastFailureAt: now.lastAt.getTime() }, p, Date.now()) : 0;
		return { counted: false, retryAfterSeconds: Math.max(1, wait) };
	},
	async undo(key) {
		await q.uncountAttempt(db(), key);
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

/** The address the per-address lock and rate limit apply to: none for TRUSTED_NETWORKS (or no address). */
function countedAddress(ip: string | null | undefined): string | null {
	if (!ip) return null;
	const list = loadConfig().TRUSTED_NETWORKS;
	return list && inNetworks(parseNetworks(list).networks, ip) ? null : ip;
}

/** An attempt that was let through, counted already as a failure. */
export interface SignInAttempt {
	/** the lock, in seconds, that this attempt starts if it fails (0: none); its failure is counted already */
	lockIfFailed: number;
	/** it succeeded: take its count back (the login id's earlier failures stay until a session opens) */
	succeeded(): Promise<void>;
}

export type AttemptVerdict =
	| { allowed: true; attempt: SignInAttempt }
	| { allowed: false; code: 'locked' | 'rate_limited'; retryAfterSeconds: number };

/**
 * Before checking a password (or a key, or a password re-typed to confirm something): count this attempt and
 * decide. Counts it against the address's rate limit (unless `rateLimit: false`), then as a failure of the login
 * id and the address, atomically, unless either is locked now (a refused attempt is not counted). The caller
 * checks the secret only when allowed, and calls attempt.succeeded() when it was right. `ip` null (tests, the
 * CLI) or in TRUSTED_NETWORKS skips the address's counters.
 */
export async function countSignInAttempt(loginId: string, ip: string | null, opts: { rateLimit?: boolean } = {}): Promise<AttemptVerdict> {
	const p = policies();
	const addr = countedAddress(ip);
	return onStore(async (s): Promise<AttemptVerdict> => {
		if (addr && opts.rateLimit !== false) {
			const rate = await s.hit(rateKey(addr), RATE_WINDOW_SECONDS);
			if (rate.count > p.ratePerMinute) return { allowed: false, code: 'rate_limited', retryAfterSeconds: rate.resetSeconds };
		}
		const id = await s.attempt(idKey(loginId), ID_FAILURE_MEMORY_SECONDS, p.id);
		if (!id.counted) return { allowed: false, code: 'locked', retryAfterSeconds: id.retryAfterSeconds };
		const byIp = addr ? await s.attempt(ipKey(addr), IP_FAILURE_MEMORY_SECONDS, p.ip) : null;
		if (byIp && !byIp.counted) {
			await s.undo(idKey(loginId));
			return { allowed: false, code: 'locked', retryAfterSeconds: byIp.retryAfterSeconds };
		}
		const lockIfFailed = Math.max(lockSeconds(id.failures, p.id), byIp?.counted ? lockSeconds(byIp.failures, p.ip) : 0);
		const succeeded = async () => {
			try {
				await s.undo(idKey(loginId));
				if (addr) await s.undo(ipKey(addr));
			} catch (e) {
				// the attempt stays counted: stricter, never looser
				logger('auth').warn({ err: (e as Error).message }, 'could not take back a successful sign-in attempt');
			}
		};
		return { allowed: true, attempt: { lockIfFailed, succeeded } };
	});
}

/** A session opened: clear the login id's count (not the address's: one good account must not reset it). */
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
