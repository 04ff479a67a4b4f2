import { describe, expect, it } from 'vitest';
import { additiveTotals, operatorPerformance, stateSeconds } from './performance.ts';

const t = (hhmm: string) => new Date(`2026-11-27T${hhmm}:00+09:00`);

describe('time in state', () => {
	it('counts each state between its change and the next, clipped to the range and to now', () => {
		const changes = [
			{ state: 'available', at: t('08:50') }, // before the range: counts from 09:00
			{ state: 'on_household', at: t('09:10') },
			{ state: 'wrap_up', at: t('09:15') },
			{ state: 'break', at: t('09:16') },
			{ state: 'offline', at: t('09:30') }, // offline counts for nothing
			{ state: 'available', at: t('10:00') }
		];
		expect(stateSeconds(changes, t('09:00'), t('18:00'), t('10:30'))).toEqual({ available: 10 * 60 + 30 * 60, on_household: 5 * 60, wrap_up: 60, break: 14 * 60 });
		expect(stateSeconds(changes, t('09:12'), t('09:20'), t('12:00'))).toEqual({ available: 0, on_household: 3 * 60, wrap_up: 60, break: 4 * 60 });
		expect(stateSeconds([], t('09:00'), t('18:00'), t('12:00'))).toEqual({ available: 0, on_household: 0, wrap_up: 0, break: 0 });
	});
});

describe('an operator’s figures', () => {
	const counts = { attempts: 30, answeredAttempts: 12, householdsAttempted: 25, householdsContacted: 10, rightPartyContacts: 6, promises: 3, promisedAmount: 45_000, inbound: 2, handoffs: 1, talkSeconds: 3600, talkCalls: 12 };
	it('rates from kpi.ts, attempts per hour worked, mean talk time', () => {
		const p = operatorPerformance({ operatorId: 7, displayName: '佐藤' }, counts, { available: 3600, on_household: 5400, wrap_up: 1800, break: 900 });
		expect(p).toMatchObject({ answerRate: 0.4, contactRate: 0.4, rightPartyRate: 0.24, promiseRate: 0.5, attemptsPerHour: 10, meanTalkSeconds: 300 });
	});
	it('no time and no calls: no rate rather than zero', () => {
		const zero = { attempts: 0, answeredAttempts: 0, householdsAttempted: 0, householdsContacted: 0, rightPartyContacts: 0, promises: 0, promisedAmount: 0, inbound: 0, handoffs: 0, talkSeconds: 0, talkCalls: 0 };
		const p = operatorPerformance({ operatorId: 8, displayName: '鈴木' }, zero, { available: 0, on_household: 0, wrap_up: 0, break: 1200 });
		expect(p).toMatchObject({ answerRate: null, contactRate: null, promiseRate: null, attemptsPerHour: null, meanTalkSeconds: null });
	});
	it('totals add the additive figures only', () => {
		const a = operatorPerformance({ operatorId: 1, displayName: 'a' }, counts, { available: 60, on_household: 0, wrap_up: 0, break: 0 });
		const b = operatorPerformance({ operatorId: 2, displayName: 'b' }, { ...counts, attempts: 5, promisedAmount: 1000 }, { available: 0, on_household: 30, wrap_up: 0, break: 10 });
		expect(additiveTotals([a, b])).toMatchObject({ attempts: 35, promisedAmount: 46_000, seconds: { available: 60, on_household: 30, wrap_up: 0, break: 10 } });
		expect('householdsAttempted' in additiveTotals([a, b])).toBe(false);
	});
});
