import { describe, expect, it } from 'vitest';
import { fitsInboundCall, nextQueueState, partiesFor, promiseFieldProblems, promiseProblems } from './outcomes.ts';

const now = new Date('2026-11-27T01:00:00Z');

describe('what an outcome does to the queue', () => {
	it('retries later after no answer', () => {
		const n = nextQueueState({ kind: 'retry', retryAfterSeconds: 4 * 3600 }, { now, hasCallablePhone: true });
		expect(n).toEqual({ state: 'waiting', nextEligibleAt: new Date('2026-11-27T05:00:00Z'), closedReason: null });
	});

	it('waits for a promise until its date plus grace', () => {
		const n = nextQueueState({ kind: 'promise', retryAfterSeconds: null }, { now, promiseDueDate: '2026-12-10', hasCallablePhone: true });
		expect(n.state).toBe('waiting');
		expect(n.nextEligibleAt!.toISOString()).toBe('2026-12-14T00:00:00.000Z');
	});

	it('takes handoffs and do-not-call out of the queue', () => {
		expect(nextQueueState({ kind: 'handoff', retryAfterSeconds: null }, { now, hasCallablePhone: true })).toMatchObject({ state: 'closed', closedReason: 'handoff' });
		expect(nextQueueState({ kind: 'stop', retryAfterSeconds: null }, { now, hasCallablePhone: true })).toMatchObject({ state: 'closed', closedReason: 'do_not_call' });
	});

	it('takes a household that an import resolved meanwhile out of the queue', () => {
		expect(nextQueueState({ kind: 'retry', retryAfterSeconds: 3600 }, { now, hasCallablePhone: true, resolved: true })).toMatchObject({ state: 'closed', closedReason: 'resolved' });
		expect(nextQueueState({ kind: 'handoff', retryAfterSeconds: null }, { now, hasCallablePhone: true, resolved: true })).toMatchObject({ closedReason: 'handoff' });
	});

	it('makes a household with no number left a letter candidate', () => {
		expect(nextQueueState({ kind: 'invalid_phone', retryAfterSeconds: 3600 }, { now, hasCallablePhone: false })).toMatchObject({ state: 'closed', closedReason: 'no_phone' });
		expect(nextQueueState({ kind: 'invalid_phone', retryAfterSeconds: 3600 }, { now, hasCallablePhone: true }).state).toBe('waiting');
	});
});

describe('contact party and promise rules', () => {
	it('matches the party to the outcome', () => {
		expect(partiesFor({ code: '10', answered: false, rightParty: false })).toEqual(['none']);
		expect(partiesFor({ code: '20', answered: true, rightParty: true })).toEqual(['self']);
		expect(partiesFor({ code: '21', answered: true, rightParty: false })[0]).toBe('family');
	});

	it('refuses a promise in the past, beyond the horizon, or above the arrears', () => {
		const ctx = { today: '2026-11-27', owed: 50_000 };
		expect(promiseProblems({ amount: 10_000, dueDate: '2026-12-10' }, ctx)).toEqual({});
		expect(promiseProblems({ amount: 10_000, dueDate: '2026-11-26' }, ctx)).toHaveProperty(['promise.dueDate']);
		expect(promiseProblems({ amount: 10_000, dueDate: '2027-06-01' }, ctx)).toHaveProperty(['promise.dueDate']);
		expect(promiseProblems({ amount: 50_001, dueDate: '2026-12-10' }, ctx)).toHaveProperty(['promise.amount']);
		expect(promiseProblems({ amount: 0, dueDate: '2026-12-10' }, ctx)).toHaveProperty(['promise.amount']);
	});

	it('names each problem with a stable code and the values its message needs', () => {
		const ctx = { today: '2026-11-27', owed: 50_000 };
		expect(promiseFieldProblems({ amount: 50_001, dueDate: '2026-11-26' }, ctx)).toEqual({
			'promise.amount': { code: 'overOwed', params: { owed: 50_000 }, text: expect.stringMatching(/50000/) },
			'promise.dueDate': { code: 'past', text: expect.any(String) }
		});
		expect(promiseFieldProblems({ amount: 0, dueDate: '2027-06-01' }, { ...ctx, horizonDays: 30 })).toEqual({
			'promise.amount': { code: 'amount', text: expect.any(String) },
			'promise.dueDate': { code: 'horizon', params: { days: 30 }, text: 'must be within 30 days' }
		});
	});

	it('takes the horizon from the calling rules when given', () => {
		const ctx = { today: '2026-11-27', owed: 50_000 };
		expect(promiseProblems({ amount: 10_000, dueDate: '2026-12-28' }, { ...ctx, horizonDays: 30 })).toEqual({ 'promise.dueDate': 'must be within 30 days' });
		expect(promiseProblems({ amount: 10_000, dueDate: '2026-12-27' }, { ...ctx, horizonDays: 30 })).toEqual({});
		expect(promiseProblems({ amount: 10_000, dueDate: '2027-02-24' }, ctx)).toEqual({});
	});
});

describe('outcomes of an inbound call (受電)', () => {
	// the codes as migrations/00001_init seeds them
	const codes = [
		{ code: '10', kind: 'retry', answered: false },
		{ code: '11', kind: 'retry', answered: false },
		{ code: '12', kind: 'retry', answered: false },
		{ code: '20', kind: 'contact', answered: true },
		{ code: '21', kind: 'contact', answered: true },
		{ code: '30', kind: 'invalid_phone', answered: true },
		{ code: '31', kind: 'invalid_phone', answered: false },
		{ code: '40', kind: 'promise', answered: true },
		{ code: '41', kind: 'paid_claim', answered: true },
		{ code: '42', kind: 'refusal', answered: true },
		{ code: '50', kind: 'handoff', answered: true },
		{ code: '60', kind: 'stop', answered: true }
	] as const;
	it('offers only what can happen when the resident called: someone is on the line, and the number was not dialled', () => {
		expect(codes.filter((o) => fitsInboundCall(o)).map((o) => o.code)).toEqual(['20', '21', '40', '41', '42', '50', '60']);
	});
});
