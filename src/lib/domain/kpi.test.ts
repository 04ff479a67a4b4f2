import { describe, expect, it } from 'vitest';
import { formatRate, RATE_DEFS, rates, ratio } from './kpi.ts';

describe('KPI formulas (spec/kpis.md)', () => {
	it('uses the stated denominators', () => {
		const r = rates({ attempts: 10, answeredAttempts: 5, householdsAttempted: 8, householdsContacted: 4, rightPartyContacts: 2, promises: 1 });
		expect(r.answerRate).toBe(0.5); // answered attempts ÷ attempts
		expect(r.contactRate).toBe(0.5); // households contacted ÷ households attempted
		expect(r.rightPartyRate).toBe(0.25); // right-party ÷ households attempted
		expect(r.promiseRate).toBe(0.5); // promises ÷ right-party contacts
	});

	it('gives null, not 0 or NaN, for an empty denominator', () => {
		expect(ratio(0, 0)).toBeNull();
		expect(rates({ attempts: 0, answeredAttempts: 0, householdsAttempted: 0, householdsContacted: 0, rightPartyContacts: 0, promises: 0 })).toEqual({
			answerRate: null,
			contactRate: null,
			rightPartyRate: null,
			promiseRate: null
		});
		expect(formatRate(null)).toBe('—');
		expect(formatRate(0.2567)).toBe('25.7%');
		expect(formatRate(1)).toBe('100.0%');
	});
});

describe('RATE_DEFS', () => {
	it('is what rates() computes: each rate is its numerator over its denominator', () => {
		const c = { attempts: 40, answeredAttempts: 22, householdsAttempted: 30, householdsContacted: 18, rightPartyContacts: 9, promises: 3 };
		const r = rates(c);
		for (const [k, d] of Object.entries(RATE_DEFS)) expect(r[k as keyof typeof r]).toBe(c[d.numerator] / c[d.denominator]);
		expect(RATE_DEFS.contactRate).toEqual({ numerator: 'householdsContacted', denominator: 'householdsAttempted' });
		expect(RATE_DEFS.promiseRate.denominator).toBe('rightPartyContacts');
	});
});
