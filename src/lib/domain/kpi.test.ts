import { describe, expect, it } from 'vitest';
import { formatRate, rates, ratio } from './kpi.ts';

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
