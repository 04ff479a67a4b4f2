import { describe, expect, it } from 'vitest';
import { allowsCallback, callbackTimeProblem, cancelsOpenCallback, doNotCallUntilProblem, honoursCallback } from './callbacks.ts';
import { defaultCallingRules, tokyoAt } from './calling-rules.ts';

const rules = defaultCallingRules;
// Monday 2026-11-02, 10:00 Tokyo (weekday, not a holiday)
const now = tokyoAt('2026-11-02', '10:00');

describe('callbackTimeProblem', () => {
	it('accepts a time later today inside the window', () => {
		expect(callbackTimeProblem(rules, tokyoAt('2026-11-02', '15:30'), now)).toBeNull();
	});
	it('refuses a time that has passed', () => {
		expect(callbackTimeProblem(rules, tokyoAt('2026-11-02', '09:30'), now)?.code).toBe('pastTime');
		expect(callbackTimeProblem(rules, now, now)?.code).toBe('pastTime');
	});
	it('refuses a time more than 30 days ahead', () => {
		expect(callbackTimeProblem(rules, tokyoAt('2026-12-03', '10:00'), now)).toMatchObject({ code: 'horizon', params: { days: 30 }, text: expect.stringMatching(/30 days/) });
		expect(callbackTimeProblem(rules, tokyoAt('2026-12-01', '10:00'), now)).toBeNull();
	});
	it('refuses night, weekends by default and holidays, and names the next calling hours', () => {
		// 20:00 Monday: the next calling hours start Wednesday 09:00 (Tuesday is 文化の日)
		expect(callbackTimeProblem(rules, tokyoAt('2026-11-02', '20:00'), now)).toEqual({
			code: 'outsideHours',
			params: { opensAt: tokyoAt('2026-11-04', '09:00').toISOString() },
			text: expect.stringMatching(/outside calling hours.*2026-11-04 09:00/)
		});
		expect(callbackTimeProblem(rules, tokyoAt('2026-11-02', '08:59'), tokyoAt('2026-11-02', '08:00'))?.code).toBe('outsideHours');
		// Saturday
		expect(callbackTimeProblem(rules, tokyoAt('2026-11-07', '11:00'), now)?.code).toBe('outsideHours');
		// 文化の日 (Tuesday 2026-11-03)
		expect(callbackTimeProblem(rules, tokyoAt('2026-11-03', '11:00'), now)?.code).toBe('outsideHours');
	});
	it('follows configured Saturday hours', () => {
		const withSat = { ...rules, windows: { ...rules.windows, sat: { start: '10:00', end: '17:00' } } };
		expect(callbackTimeProblem(withSat, tokyoAt('2026-11-07', '11:00'), now)).toBeNull();
	});
});

describe('which outcomes carry or close a callback', () => {
	it('allows callbacks only after outcomes that will call again', () => {
		expect(['retry', 'contact', 'refusal', 'paid_claim'].every((k) => allowsCallback(k as never))).toBe(true);
		expect(['promise', 'handoff', 'stop', 'invalid_phone'].some((k) => allowsCallback(k as never))).toBe(false);
	});
	it('closes an open callback on promise, handoff and stop only', () => {
		expect(['promise', 'handoff', 'stop'].every((k) => cancelsOpenCallback(k as never))).toBe(true);
		expect(['retry', 'contact', 'invalid_phone'].some((k) => cancelsOpenCallback(k as never))).toBe(false);
	});
});

describe('honoursCallback', () => {
	const cb = { dueAt: tokyoAt('2026-11-02', '14:00') };
	it('is honoured when due, by a callback claim, or when the operator says so', () => {
		expect(honoursCallback(cb, { now })).toBe(false);
		expect(honoursCallback(cb, { now: tokyoAt('2026-11-02', '14:00') })).toBe(true);
		expect(honoursCallback(cb, { now, claimKind: 'callback' })).toBe(true);
		expect(honoursCallback(cb, { now, operatorSaysDone: true })).toBe(true);
	});
});

describe('doNotCallUntilProblem', () => {
	it('needs an end date after today, or none', () => {
		expect(doNotCallUntilProblem(null, '2026-11-02')).toBeNull();
		expect(doNotCallUntilProblem('2026-11-03', '2026-11-02')).toBeNull();
		expect(doNotCallUntilProblem('2026-11-02', '2026-11-02')?.code).toBe('notFuture');
		expect(doNotCallUntilProblem('2026-10-01', '2026-11-02')?.code).toBe('notFuture');
	});
});
