/**
 * Lockout with backoff after repeated sign-in failures (NIST SP 800-63B 5.2.2, "rate limiting"). Pure: the
 * counters live in Redis (or PostgreSQL without Redis); this says what they mean.
 *
 * Per login id (counted whether or not the id exists, so the lock says nothing about existence):
 *   failures 1–4 no delay; the 5th failure locks for 30 s, every further failure doubles it
 *   (60, 120, 240, 480 s) up to 15 minutes. A success clears the count; otherwise it is forgotten 24 h after the
 *   last failure. With the 15-minute cap one id gets at most ~100 guesses a day (NIST: at most 100 consecutive).
 * Per client IP: the same schedule from the 50th failure (a call center signs in from behind one address, so
 *   this is loose), forgotten an hour after the last failure; and at most 60 attempts a minute (the rate limit).
 * Attempts refused by a lock are not counted (they never reach the password check).
 * Count first, then decide: every attempt is counted as a failure atomically before the password (or key) is
 *   checked, and is let through only when the count before it holds no lock; a right password takes its count
 *   back. So parallel guesses cannot all pass the check before the first failure counts: at most maxFailures are
 *   checked before the lock. Addresses in TRUSTED_NETWORKS have no per-address lock or rate limit.
 */

export interface BackoffPolicy {
	/** failures allowed before the first lock */
	maxFailures: number;
	/** the first lock, in seconds; each further failure doubles it */
	baseSeconds: number;
	/** the longest lock, in seconds */
	maxSeconds: number;
}

export const defaultIdPolicy: BackoffPolicy = { maxFailures: 5, baseSeconds: 30, maxSeconds: 900 };
export const defaultIpPolicy: BackoffPolicy = { maxFailures: 50, baseSeconds: 30, maxSeconds: 900 };

/** How long the counters are kept after the last failure, in seconds. */
export const ID_FAILURE_MEMORY_SECONDS = 24 * 3600;
export const IP_FAILURE_MEMORY_SECONDS = 3600;
/** The rate-limit window, in seconds. */
export const RATE_WINDOW_SECONDS = 60;

/** The lock, in seconds, that follows the n-th consecutive failure (0: none). */
export function lockSeconds(failures: number, p: BackoffPolicy): number {
	if (!Number.isFinite(failures) || failures < p.maxFailures) return 0;
	const doublings = failures - p.maxFailures;
	// 2^doublings overflows to Infinity long after the cap; min() keeps it finite
	return Math.min(p.maxSeconds, p.baseSeconds * 2 ** Math.min(doublings, 40));
}

/** The state of one counter: consecutive failures and when the last one happened (ms since the epoch). */
export interface FailureState {
	failures: number;
	lastFailureAt: number;
}

/** Whole seconds until this counter's lock ends (0: not locked). */
export function lockRemaining(state: FailureState | null | undefined, p: BackoffPolicy, now: number): number {
	if (!state) return 0;
	const seconds = lockSeconds(state.failures, p);
	if (seconds === 0) return 0;
	const until = state.lastFailureAt + seconds * 1000;
	return until > now ? Math.ceil((until - now) / 1000) : 0;
}
