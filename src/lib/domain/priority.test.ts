import { describe, expect, it } from 'vitest';
import { householdFacts, type HouseholdFacts } from './household-facts.ts';
import {
	arrearsPoints,
	brokenPromisePoints,
	contactProbability,
	describeReason,
	lapseDate,
	lapsePoints,
	priorityScore,
	priorityWeights,
	reasonLabel,
	sinceAttemptPoints,
	withSegmentBoost
} from './priority.ts';

const now = new Date('2026-11-10T01:00:00Z'); // 2026-11-10 10:00 Tokyo

function facts(over: Partial<HouseholdFacts> = {}): HouseholdFacts {
	return householdFacts({ nationality: 'JP', owed: 100_000, owedCurrentYear: 100_000, unpaidPeriods: 3, currentYearUnpaidPeriods: [3, 4, 5], oldestDueDate: '2026-07-31', phoneKinds: ['mobile'], ...over });
}

describe('components', () => {
	it('arrears: log-scaled, 0 for nothing owed, monotonic', () => {
		expect(arrearsPoints(0).points).toBe(0);
		expect(arrearsPoints(10_000).points).toBe(208);
		expect(arrearsPoints(100_000).points).toBe(401);
		expect(arrearsPoints(1_000_000).points).toBe(600);
		expect(arrearsPoints(100_001).points).toBeGreaterThanOrEqual(arrearsPoints(100_000).points);
		expect(arrearsPoints(120_000)).toEqual({ code: 'arrears', points: 417, detail: { owed: 120_000 } });
	});
	it('時効: two years after the due date (29 Feb → 28 Feb)', () => {
		expect(lapseDate('2025-01-31')).toBe('2027-01-31');
		expect(lapseDate('2024-02-29')).toBe('2026-02-28');
	});
	it('lapse: nothing without an unpaid period or more than a year before lapsing', () => {
		expect(lapsePoints(facts({ oldestDueDate: null }), now)).toEqual({ code: 'lapse', points: 0, detail: {} });
		expect(lapsePoints(facts({ oldestDueDate: '2026-11-09' }), now)).toMatchObject({ points: 0, detail: { lapsesOn: '2028-11-09', daysToLapse: 730 } });
	});
	it('lapse: exact points along the ramp', () => {
		const at = (due: string) => lapsePoints(facts({ oldestDueDate: due }), now);
		// due 2024-11-11 → lapses 2026-11-11, tomorrow: full points
		expect(at('2024-11-11')).toEqual({ code: 'lapse', points: 300, detail: { oldestDueDate: '2024-11-11', lapsesOn: '2026-11-11', daysToLapse: 1 } });
		// lapses today: already lapsed, nothing
		expect(at('2024-11-10').points).toBe(0);
		expect(at('2023-04-30').points).toBe(0);
		// 90 days before lapsing: 300 × 276/365 = 227
		expect(at('2025-02-08')).toMatchObject({ points: 227, detail: { daysToLapse: 90 } });
		// 365 days away: the first point; 366 days: none
		expect(at('2025-11-10')).toMatchObject({ points: 1, detail: { daysToLapse: 365 } });
		expect(at('2025-11-11')).toMatchObject({ points: 0, detail: { daysToLapse: 366 } });
		// closer is higher
		expect(at('2025-01-01').points).toBeGreaterThan(at('2025-06-01').points);
	});
	it('broken promises: 100 each, at most 3', () => {
		expect(brokenPromisePoints(facts({ brokenPromises: 0 })).points).toBe(0);
		expect(brokenPromisePoints(facts({ brokenPromises: 2 })).points).toBe(200);
		expect(brokenPromisePoints(facts({ brokenPromises: 7 }))).toEqual({ code: 'broken_promise', points: 300, detail: { brokenPromises: 7 } });
	});
	it('since the last attempt: 5 a day up to 30 days; never called: a fixed 150', () => {
		expect(sinceAttemptPoints(facts(), now)).toEqual({ code: 'never_called', points: 150, detail: {} });
		expect(sinceAttemptPoints(facts({ lastAttemptAt: '2026-11-10T00:00:00Z' }), now)).toEqual({ code: 'since_attempt', points: 0, detail: { days: 0 } });
		expect(sinceAttemptPoints(facts({ lastAttemptAt: '2026-10-31T01:00:00Z' }), now)).toEqual({ code: 'since_attempt', points: 50, detail: { days: 10 } });
		expect(sinceAttemptPoints(facts({ lastAttemptAt: '2026-01-01T00:00:00Z' }), now).points).toBe(150);
	});
	it('contact probability: Laplace-smoothed per slot', () => {
		const h = facts({
			slotStats: { morning: { attempts: 3, answered: 0 }, afternoon: { attempts: 2, answered: 2 }, evening: { attempts: 0, answered: 0 } }
		});
		expect(contactProbability(h, 'morning')).toBe(0.2);
		expect(contactProbability(h, 'afternoon')).toBe(0.75);
		expect(contactProbability(h, 'evening')).toBe(0.5);
	});
	it('contact probability starts from the season’s answer rate of the slot for the language group (best time to call)', () => {
		const h = facts({
			slotStats: { morning: { attempts: 3, answered: 0 }, afternoon: { attempts: 0, answered: 0 }, evening: { attempts: 0, answered: 0 } },
			slotPrior: { morning: 0.2, afternoon: 0.3, evening: 0.6 }
		});
		// (0 + 2 × 0.2) / (3 + 2)
		expect(contactProbability(h, 'morning')).toBeCloseTo(0.08);
		// no history of its own: the prior itself
		expect(contactProbability(h, 'evening')).toBeCloseTo(0.6);
		expect(contactProbability(h, 'afternoon')).toBeCloseTo(0.3);
	});
});

describe('priorityScore', () => {
	it('a new household: arrears + lapse + never called, unchanged by an unknown slot (×1.0)', () => {
		const r = priorityScore(facts(), now, 'morning');
		// 401 + 0 (lapses 2028-07-31) + 0 + 150 = 551
		expect(r.score).toBe(551);
		expect(r.reasons.map((x) => [x.code, x.points])).toEqual([
			['arrears', 401],
			['lapse', 0],
			['broken_promise', 0],
			['never_called', 150],
			['contact_probability', 0]
		]);
	});
	it('the reasons always sum to the score, which is an integer', () => {
		const h = facts({
			owed: 123_456,
			oldestDueDate: '2025-01-31',
			brokenPromises: 1,
			lastAttemptAt: '2026-10-28T03:00:00Z',
			slotStats: { morning: { attempts: 3, answered: 0 }, afternoon: { attempts: 4, answered: 3 }, evening: { attempts: 1, answered: 0 } }
		});
		for (const slot of ['morning', 'afternoon', 'evening'] as const) {
			const r = priorityScore(h, now, slot);
			expect(Number.isInteger(r.score)).toBe(true);
			expect(r.reasons.reduce((s, x) => s + x.points, 0)).toBe(r.score);
		}
	});
	it('the slot where the household answers ranks it higher than the slot where it never does', () => {
		const h = facts({
			slotStats: { morning: { attempts: 4, answered: 0 }, afternoon: { attempts: 0, answered: 0 }, evening: { attempts: 4, answered: 4 } },
			lastAttemptAt: '2026-11-03T01:00:00Z'
		});
		const m = priorityScore(h, now, 'morning');
		const e = priorityScore(h, now, 'evening');
		expect(e.score).toBeGreaterThan(priorityScore(h, now, 'afternoon').score);
		expect(priorityScore(h, now, 'afternoon').score).toBeGreaterThan(m.score);
		// base 401 + 35 = 436; morning p = 1/6 → ×0.667 = 291; evening p = 5/6 → ×1.333 = 581
		expect(m.score).toBe(291);
		expect(e.score).toBe(581);
		expect(e.reasons.at(-1)).toEqual({
			code: 'contact_probability',
			points: 145,
			detail: { slot: 'evening', attempts: 4, answered: 4, probability: 0.833, factor: 1.333 }
		});
	});
	it('each component moves the score the right way', () => {
		const base = priorityScore(facts({ lastAttemptAt: '2026-11-09T01:00:00Z' }), now, 'morning').score;
		const more = (over: Partial<HouseholdFacts>) => priorityScore(facts({ lastAttemptAt: '2026-11-09T01:00:00Z', ...over }), now, 'morning').score;
		expect(more({ owed: 500_000 })).toBeGreaterThan(base);
		expect(more({ oldestDueDate: '2025-01-31' })).toBeGreaterThan(base);
		expect(more({ brokenPromises: 1 })).toBeGreaterThan(base);
		expect(more({ lastAttemptAt: '2026-10-20T01:00:00Z' })).toBeGreaterThan(base);
		expect(more({ lastAttemptAt: null })).toBeGreaterThan(base);
	});
	it('is stable: the same facts give the same score', () => {
		const h = facts({ brokenPromises: 2, oldestDueDate: '2025-03-31' });
		expect(priorityScore(h, now, 'evening')).toEqual(priorityScore(structuredClone(h), new Date(now), 'evening'));
	});
});

describe('describeReason', () => {
	it('says each component in numbers, in Japanese and English', () => {
		const h = facts({
			owed: 120_000,
			oldestDueDate: '2025-02-08',
			brokenPromises: 1,
			lastAttemptAt: '2026-10-28T01:00:00Z',
			slotStats: { morning: { attempts: 3, answered: 0 }, afternoon: { attempts: 0, answered: 0 }, evening: { attempts: 0, answered: 0 } }
		});
		const { reasons } = priorityScore(h, now, 'morning');
		expect(reasons.map((r) => describeReason(r, 'ja'))).toEqual([
			'滞納額 ¥120,000: +417',
			'時効まで90日（2027-02-08）: +227',
			'約束不履行 1回: +100',
			'前回架電から13日: +65',
			'午前の応答率 0/3（推定20%、×0.7）: −243'
		]);
		expect(reasons.map((r) => describeReason(r, 'en'))).toEqual([
			'Arrears ¥120,000: +417',
			'90 days until the oldest period lapses (2027-02-08): +227',
			'1 broken promise(s): +100',
			'13 days since the last call: +65',
			'Answered 0/3 in the morning (estimated 20%, ×0.7): −243'
		]);
		expect(describeReason({ code: 'never_called', points: 150, detail: {} }, 'ja')).toBe('未架電: +150');
	});
});

describe('reasonLabel', () => {
	it('names every reason of a score in Japanese and English, never as its code', () => {
		const codes = priorityScore(facts({ lastAttemptAt: null }), now, 'morning').reasons.map((r) => r.code);
		expect(codes).toEqual(expect.arrayContaining(['arrears', 'lapse', 'never_called']));
		for (const code of [...codes, 'broken_promise', 'since_attempt', 'contact_probability', 'segment']) {
			expect(reasonLabel(code, 'ja')).not.toMatch(/[a-z_]/);
			expect(reasonLabel(code, 'en')).not.toBe(code);
		}
		expect([reasonLabel('arrears', 'ja'), reasonLabel('lapse', 'ja'), reasonLabel('never_called', 'ja')]).toEqual(['滞納額', '時効が近い', '未架電']);
		expect(reasonLabel('arrears', 'en')).toBe('Arrears');
		expect(reasonLabel('something_new', 'ja')).toBe('その他');
	});
});

describe('withSegmentBoost', () => {
	it('adds the segment boost as a reason of its own, so the reasons still sum to the score', () => {
		const scored = priorityScore(facts(), now, 'morning');
		const boosted = withSegmentBoost(scored, 1000);
		expect(boosted.score).toBe(scored.score + 1000);
		expect(boosted.reasons.at(-1)).toEqual({ code: 'segment', points: 1000, detail: { boost: 1000 } });
		expect(boosted.reasons.reduce((s, r) => s + r.points, 0)).toBe(boosted.score);
		expect(describeReason(boosted.reasons.at(-1)!, 'ja')).toBe('区分の優先加点: +1000');
	});
	it('no boost (0 or less) leaves the score alone', () => {
		const scored = priorityScore(facts(), now, 'morning');
		expect(withSegmentBoost(scored, 0)).toBe(scored);
		expect(withSegmentBoost(scored, -5)).toBe(scored);
	});
});
