import { describe, expect, it } from 'vitest';
import { defaultIdPolicy, defaultIpPolicy, lockRemaining, lockSeconds } from './login-backoff.ts';

describe('lockout backoff', () => {
	it('lets four failures pass, locks for 30 s at the fifth and doubles up to 15 minutes', () => {
		const schedule = Array.from({ length: 12 }, (_, i) => lockSeconds(i + 1, defaultIdPolicy));
		expect(schedule).toEqual([0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900]);
	});

	it('stays finite and capped for absurd counts', () => {
		expect(lockSeconds(10_000, defaultIdPolicy)).toBe(900);
		expect(lockSeconds(Number.NaN, defaultIdPolicy)).toBe(0);
		expect(lockSeconds(0, defaultIdPolicy)).toBe(0);
	});

	it('is looser per IP (one call center signs in from behind one address)', () => {
		expect(lockSeconds(49, defaultIpPolicy)).toBe(0);
		expect(lockSeconds(50, defaultIpPolicy)).toBe(30);
		expect(lockSeconds(51, defaultIpPolicy)).toBe(60);
	});

	it('counts the lock from the last failure, in whole seconds rounded up', () => {
		const now = 1_000_000;
		expect(lockRemaining(null, defaultIdPolicy, now)).toBe(0);
		expect(lockRemaining({ failures: 4, lastFailureAt: now }, defaultIdPolicy, now)).toBe(0);
		// a failure stamped a moment after `now` (another clock) is still no lock below the threshold
		expect(lockRemaining({ failures: 1, lastFailureAt: now + 5 }, defaultIdPolicy, now)).toBe(0);
		expect(lockRemaining({ failures: 5, lastFailureAt: now }, defaultIdPolicy, now)).toBe(30);
		expect(lockRemaining({ failures: 5, lastFailureAt: now - 29_500 }, defaultIdPolicy, now)).toBe(1);
		expect(lockRemaining({ failures: 5, lastFailureAt: now - 30_000 }, defaultIdPolicy, now)).toBe(0);
		expect(lockRemaining({ failures: 6, lastFailureAt: now - 30_000 }, defaultIdPolicy, now)).toBe(30);
	});

	it('follows a configured policy', () => {
		const p = { maxFailures: 3, baseSeconds: 10, maxSeconds: 25 };
		expect([1, 2, 3, 4, 5].map((n) => lockSeconds(n, p))).toEqual([0, 0, 10, 20, 25]);
	});
});
