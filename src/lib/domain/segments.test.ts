import { describe, expect, it } from 'vitest';
import { householdFacts, type HouseholdFacts } from './household-facts.ts';
import {
	describeFilter,
	explainFilter,
	matchesFacts,
	phoneTypesOf,
	segmentFilterProblems,
	segmentFilterSchema,
	segmentFor,
	segmentForFacts,
	type SegmentFilter
} from './segments.ts';

const now = new Date('2026-11-10T01:00:00Z'); // 2026-11-10 10:00 Tokyo

function facts(over: Partial<HouseholdFacts> = {}): HouseholdFacts {
	return householdFacts({ nationality: 'JP', district: '本町', owed: 60_000, owedCurrentYear: 40_000, owedCarriedOver: 20_000, unpaidPeriods: 4, currentYearUnpaidPeriods: [2, 3], oldestDueDate: '2025-10-31', phoneKinds: ['mobile'], cardClass: '一般', lastContactAt: '2026-10-01T05:00:00Z', lastAttemptAt: '2026-10-20T05:00:00Z', attempts: 3, slotStats: { morning: { attempts: 1, answered: 0 }, afternoon: { attempts: 2, answered: 1 }, evening: { attempts: 0, answered: 0 } }, promiseStatus: 'broken', brokenPromises: 1, ...over });
}

describe('segmentFor (deprecated, issue #2)', () => {
	const segs = [
		{ id: 3, sortOrder: 90, filter: {} },
		{ id: 1, sortOrder: 10, filter: { excludeLanguages: ['ja'] } },
		{ id: 2, sortOrder: 20, filter: { minOwed: 100_000 } }
	];
	it('puts a household in the first matching segment by sort order', () => {
		expect(segmentFor(segs, { owed: 500_000, language: 'vi' })).toBe(1);
		expect(segmentFor(segs, { owed: 500_000, language: 'ja' })).toBe(2);
		expect(segmentFor(segs, { owed: 99_999, language: 'ja' })).toBe(3);
	});
	it('returns null when nothing matches', () => {
		expect(segmentFor([{ id: 1, sortOrder: 1, filter: { languages: ['ne'] } }], { owed: 1, language: 'ja' })).toBeNull();
	});
});

describe('matchesFacts: each condition', () => {
	const yes = (f: SegmentFilter, h: HouseholdFacts = facts()) => expect(matchesFacts(f, h, now)).toBe(true);
	const no = (f: SegmentFilter, h: HouseholdFacts = facts()) => expect(matchesFacts(f, h, now)).toBe(false);

	it('an empty filter matches everyone', () => yes({}));
	it('arrears: min inclusive, max exclusive', () => {
		yes({ minOwed: 60_000 });
		no({ minOwed: 60_001 });
		yes({ maxOwed: 60_001 });
		no({ maxOwed: 60_000 });
	});
	it('unpaid periods (inclusive)', () => {
		yes({ minUnpaidPeriods: 4, maxUnpaidPeriods: 4 });
		no({ minUnpaidPeriods: 5 });
		no({ maxUnpaidPeriods: 3 });
	});
	it('age of the oldest unpaid period in Tokyo days; none never matches', () => {
		// 2025-10-31 → 2026-11-10 = 375 days
		yes({ minOldestUnpaidDays: 375, maxOldestUnpaidDays: 375 });
		no({ minOldestUnpaidDays: 376 });
		no({ maxOldestUnpaidDays: 374 });
		no({ maxOldestUnpaidDays: 1000 }, facts({ oldestDueDate: null }));
		// at 23:59 Tokyo on 11/10 (14:59 UTC) it is still 375 days, at 00:00 on 11/11 376
		expect(matchesFacts({ minOldestUnpaidDays: 376 }, facts(), new Date('2026-11-10T14:59:00Z'))).toBe(false);
		expect(matchesFacts({ minOldestUnpaidDays: 376 }, facts(), new Date('2026-11-10T15:00:00Z'))).toBe(true);
	});
	it("this year's periods: any of them unpaid", () => {
		yes({ currentYearPeriods: [1, 2, 3] });
		no({ currentYearPeriods: [1, 4] });
		no({ currentYearPeriods: [1, 2, 3] }, facts({ currentYearUnpaidPeriods: [] }));
	});
	it('current vs carried-over arrears', () => {
		yes({ arrearsYears: 'both' });
		yes({ arrearsYears: 'current' }, facts({ owedCarriedOver: 0 }));
		no({ arrearsYears: 'carried' }, facts({ owedCarriedOver: 0 }));
		no({ arrearsYears: 'both' }, facts({ owedCarriedOver: 0 }));
		yes({ arrearsYears: 'carried' }, facts({ owedCurrentYear: 0 }));
		no({ arrearsYears: 'current' }, facts({ owedCurrentYear: 0 }));
	});
	it('phone types: mobile, landline (any callable non-mobile), none, invalid; any applies', () => {
		expect(phoneTypesOf(facts({ phoneKinds: ['landline', 'mobile'], hasInvalidPhone: true }))).toEqual(['mobile', 'landline', 'invalid']);
		expect(phoneTypesOf(facts({ phoneKinds: ['ip'] }))).toEqual(['landline']);
		expect(phoneTypesOf(facts({ phoneKinds: [], hasInvalidPhone: true }))).toEqual(['none', 'invalid']);
		yes({ phoneTypes: ['mobile'] });
		no({ phoneTypes: ['landline', 'none'] });
		yes({ phoneTypes: ['none'] }, facts({ phoneKinds: [] }));
		yes({ phoneTypes: ['invalid'] }, facts({ hasInvalidPhone: true }));
	});
	it('bank transfer', () => {
		yes({ bankTransfer: false });
		no({ bankTransfer: true });
		yes({ bankTransfer: true }, facts({ bankTransfer: true }));
	});
	it('card classes; unknown never matches', () => {
		yes({ cardClasses: ['一般', '短期'] });
		no({ cardClasses: ['短期'] });
		no({ cardClasses: ['一般'] }, facts({ cardClass: null }));
	});
	it('languages and excluded languages', () => {
		yes({ languages: ['ja'] });
		no({ languages: ['vi'] });
		no({ excludeLanguages: ['ja'] });
		yes({ excludeLanguages: ['ja'] }, facts({ language: 'vi' }));
	});
	it("nationalities; 'foreign' = exclude JP, and unknown nationality is neither", () => {
		const vn = facts({ nationality: 'VN', language: 'vi' });
		yes({ nationalities: ['VN'] }, vn);
		no({ nationalities: ['VN'] });
		yes({ excludeNationalities: ['JP'] }, vn);
		no({ excludeNationalities: ['JP'] });
		no({ excludeNationalities: ['JP'] }, facts({ nationality: null }));
		no({ nationalities: ['JP'] }, facts({ nationality: null }));
		// "foreign residents, Vietnamese"
		yes({ excludeNationalities: ['JP'], languages: ['vi'] }, vn);
	});
	it('districts', () => {
		yes({ districts: ['本町', '栄町'] });
		no({ districts: ['栄町'] });
		no({ districts: ['本町'] }, facts({ district: null }));
	});
	it('days since contact in Tokyo days; never contacted is infinitely long ago', () => {
		// 2026-10-01 14:00 Tokyo → 2026-11-10: 40 days
		yes({ minDaysSinceContact: 40, maxDaysSinceContact: 40 });
		no({ minDaysSinceContact: 41 });
		no({ maxDaysSinceContact: 39 });
		yes({ minDaysSinceContact: 10_000 }, facts({ lastContactAt: null }));
		no({ maxDaysSinceContact: 10_000 }, facts({ lastContactAt: null }));
	});
	it('attempts (inclusive)', () => {
		yes({ minAttempts: 3, maxAttempts: 3 });
		no({ minAttempts: 4 });
		no({ maxAttempts: 2 });
	});
	it('promise statuses', () => {
		yes({ promiseStatuses: ['broken'] });
		no({ promiseStatuses: ['pending', 'none'] });
	});
	it('callback due: an open callback whose time has come', () => {
		no({ callbackDue: true });
		yes({ callbackDue: false });
		yes({ callbackDue: true }, facts({ callbackDueAt: '2026-11-10T01:00:00Z' }));
		no({ callbackDue: true }, facts({ callbackDueAt: '2026-11-10T01:00:01Z' }));
		yes({ callbackDue: false }, facts({ callbackDueAt: '2026-11-10T01:00:01Z' }));
	});
	it("the issue's example: this year's periods 1–3 unpaid, arrears ≥ ¥50,000, mobile, no bank transfer", () => {
		const f: SegmentFilter = { currentYearPeriods: [1, 2, 3], minOwed: 50_000, phoneTypes: ['mobile'], bankTransfer: false };
		yes(f);
		no(f, facts({ bankTransfer: true }));
		no(f, facts({ phoneKinds: ['landline'] }));
		no(f, facts({ owed: 49_999 }));
		no(f, facts({ currentYearUnpaidPeriods: [4] }));
	});
});

describe('explainFilter', () => {
	it('one entry per condition set, in the form order, with the compared value', () => {
		const f: SegmentFilter = { bankTransfer: false, minOwed: 100_000, phoneTypes: ['mobile', 'landline'], maxDaysSinceContact: 30 };
		expect(explainFilter(f, facts(), now)).toEqual([
			{ field: 'minOwed', ok: false, actual: 60_000 },
			{ field: 'phoneTypes', ok: true, actual: 'mobile' },
			{ field: 'bankTransfer', ok: true, actual: 'false' },
			{ field: 'maxDaysSinceContact', ok: false, actual: 40 }
		]);
		expect(explainFilter({ minDaysSinceContact: 5 }, facts({ lastContactAt: null }), now)).toEqual([{ field: 'minDaysSinceContact', ok: true, actual: null }]);
		expect(explainFilter({}, facts(), now)).toEqual([]);
	});
});

describe('segmentForFacts', () => {
	const segs = [
		{ id: 9, sortOrder: 90, filter: {} },
		{ id: 4, sortOrder: 20, filter: { promiseStatuses: ['broken' as const] } },
		{ id: 2, sortOrder: 20, filter: { minOwed: 50_000 } },
		{ id: 1, sortOrder: 10, filter: { excludeNationalities: ['JP'] } }
	];
	it('the first match in sort order, then id; the empty filter catches the rest', () => {
		expect(segmentForFacts(segs, facts({ nationality: 'VN' }), now)).toBe(1);
		expect(segmentForFacts(segs, facts(), now)).toBe(2); // both 2 and 4 match at sort order 20: lower id
		expect(segmentForFacts(segs, facts({ owed: 10_000 }), now)).toBe(4);
		expect(segmentForFacts(segs, facts({ owed: 10_000, promiseStatus: 'none' }), now)).toBe(9);
	});
	it('null when none matches', () => {
		expect(segmentForFacts([{ id: 1, sortOrder: 1, filter: { languages: ['ne'] } }], facts(), now)).toBeNull();
		expect(segmentForFacts([], facts(), now)).toBeNull();
	});
});

describe('segmentFilterSchema', () => {
	const issues = (v: unknown) => segmentFilterSchema.safeParse(v).error?.issues.map((i) => `${i.path.join('.')}|${i.message}`);
	it('accepts every condition', () => {
		const full: SegmentFilter = {
			minOwed: 0,
			maxOwed: 1_000_000,
			minUnpaidPeriods: 1,
			maxUnpaidPeriods: 10,
			minOldestUnpaidDays: 0,
			maxOldestUnpaidDays: 730,
			currentYearPeriods: [1, 2, 3],
			arrearsYears: 'current',
			phoneTypes: ['mobile', 'none'],
			bankTransfer: false,
			cardClasses: ['一般'],
			languages: ['vi', 'fil'],
			excludeLanguages: ['ja'],
			nationalities: ['VN'],
			excludeNationalities: ['JP'],
			districts: ['本町'],
			minDaysSinceContact: 7,
			maxDaysSinceContact: 365,
			minAttempts: 0,
			maxAttempts: 20,
			promiseStatuses: ['broken'],
			callbackDue: true
		};
		expect(segmentFilterSchema.parse(full)).toEqual(full);
		expect(segmentFilterSchema.parse({})).toEqual({});
	});
	it('refuses unknown keys', () => {
		expect(issues({ minOwd: 5 })).toEqual(['|unknown condition: minOwd']);
	});
	it('refuses bad amounts, ranges, periods and codes, naming the field', () => {
		expect(issues({ minOwed: -1 })).toEqual(['minOwed|minOwed: must be ¥0 or more']);
		expect(issues({ minOwed: 10.5 })).toEqual(['minOwed|minOwed: must be a whole number of yen']);
		expect(issues({ minOwed: '5' })).toEqual(['minOwed|minOwed: must be an amount in yen']);
		// a range the wrong way round: a stable code on the upper field, which the form words in the user's language
		expect(issues({ minOwed: 100, maxOwed: 100 })).toEqual(['maxOwed|max_not_above_min']);
		expect(issues({ minOwed: 200, maxOwed: 100 })).toEqual(['maxOwed|max_not_above_min']);
		expect(issues({ minOwed: 100, maxOwed: 101 })).toBeUndefined();
		expect(issues({ minAttempts: 5, maxAttempts: 4 })).toEqual(['maxAttempts|max_below_min']);
		expect(issues({ minUnpaidPeriods: 3, maxUnpaidPeriods: 2 })).toEqual(['maxUnpaidPeriods|max_below_min']);
		expect(issues({ minOldestUnpaidDays: 30, maxOldestUnpaidDays: 29 })).toEqual(['maxOldestUnpaidDays|max_below_min']);
		expect(issues({ minDaysSinceContact: 8, maxDaysSinceContact: 7 })).toEqual(['maxDaysSinceContact|max_below_min']);
		expect(issues({ minUnpaidPeriods: 2, maxUnpaidPeriods: 2 })).toBeUndefined();
		expect(issues({ currentYearPeriods: [0, 15] })).toEqual(['currentYearPeriods.0|currentYearPeriods: periods are 1–14', 'currentYearPeriods.1|currentYearPeriods: periods are 1–14']);
		expect(issues({ languages: ['VI'] })).toEqual(['languages.0|languages: language codes are 2–3 lowercase letters (vi, ne, zh)']);
		expect(issues({ excludeNationalities: ['jp'] })).toEqual(['excludeNationalities.0|excludeNationalities: country codes are 2 capital letters (JP, VN)']);
		expect(issues({ phoneTypes: ['fax'] })?.[0]).toMatch(/^phoneTypes\.0\|phoneTypes: each must be one of mobile, landline, none, invalid/);
		expect(issues({ languages: [] })).toEqual(['languages|languages: choose at least one, or leave the condition out']);
		expect(issues({ arrearsYears: 'old' })?.[0]).toMatch(/^arrearsYears\|arrearsYears: must be one of/);
		expect(issues({ bankTransfer: 'no' })).toEqual(['bankTransfer|bankTransfer: must be yes or no']);
		expect(issues({ districts: ['  '] })).toEqual(['districts.0|districts: must not be empty']);
	});
});

describe('segmentFilterProblems', () => {
	// field → [code, params]: what the editor words in the user's language (keys as the form names them)
	const problems = (v: Record<string, unknown>) => {
		const r = segmentFilterSchema.safeParse(v);
		expect(r.success).toBe(false);
		return Object.fromEntries(Object.entries(segmentFilterProblems(v, r.error!.issues, 'filter.')).map(([k, p]) => [k, [p.code, p.params ?? null]]));
	};
	it('gives every single-field problem a stable code, with the values it names', () => {
		expect(problems({ minOwed: '5万' })).toEqual({ 'filter.minOwed': ['whole_number', null] });
		expect(problems({ minOwed: 10.5 })).toEqual({ 'filter.minOwed': ['whole_number', null] });
		expect(problems({ minOwed: -1 })).toEqual({ 'filter.minOwed': ['min_value', { min: 0 }] });
		expect(problems({ maxOwed: 2_000_000_000 })).toEqual({ 'filter.maxOwed': ['max_value', { max: 1_000_000_000 }] });
		expect(problems({ maxAttempts: 10_001 })).toEqual({ 'filter.maxAttempts': ['max_value', { max: 10_000 }] });
		expect(problems({ minUnpaidPeriods: -2 })).toEqual({ 'filter.minUnpaidPeriods': ['min_value', { min: 0 }] });
		// a list item's problem is its list's (the form shows it at the list)
		expect(problems({ currentYearPeriods: [0, 15] })).toEqual({ 'filter.currentYearPeriods': ['min_value', { min: 1 }] });
		expect(problems({ languages: ['VI'] })).toEqual({ 'filter.languages': ['language_code', null] });
		expect(problems({ excludeNationalities: ['jp'] })).toEqual({ 'filter.excludeNationalities': ['country_code', null] });
		expect(problems({ languages: [] })).toEqual({ 'filter.languages': ['choose_one', null] });
		expect(problems({ phoneTypes: ['fax'] })).toEqual({ 'filter.phoneTypes': ['invalid', null] });
		expect(problems({ bankTransfer: 'no' })).toEqual({ 'filter.bankTransfer': ['invalid', null] });
		expect(problems({ districts: ['  '] })).toEqual({ 'filter.districts': ['required', null] });
		expect(problems({ districts: ['x'.repeat(101)] })).toEqual({ 'filter.districts': ['too_long', { max: 100 }] });
		expect(problems({ minOwd: 5 })).toEqual({ filter: ['invalid', null] });
	});
	it('keeps the range codes, and the schema’s English as the text', () => {
		expect(problems({ minOwed: 200, maxOwed: 100 })).toEqual({ 'filter.maxOwed': ['max_not_above_min', null] });
		expect(problems({ minAttempts: 5, maxAttempts: 4 })).toEqual({ 'filter.maxAttempts': ['max_below_min', null] });
		const p = segmentFilterProblems({ minOwed: -1 }, segmentFilterSchema.safeParse({ minOwed: -1 }).error!.issues, 'filter.');
		expect(p['filter.minOwed'].text).toBe('must be ¥0 or more');
	});
});

describe('describeFilter', () => {
	const f: SegmentFilter = { currentYearPeriods: [1, 2, 3], minOwed: 50_000, phoneTypes: ['mobile'], bankTransfer: false };
	it('one line per condition in Japanese, amounts as ¥1,234', () => {
		expect(describeFilter(f, 'ja')).toEqual(['滞納額 ¥50,000以上', '今年度の1期・2期・3期のいずれかが未納', '電話: 携帯電話', '口座振替なし']);
	});
	it('and in English', () => {
		expect(describeFilter(f, 'en')).toEqual(['Arrears at least ¥50,000', "Any of this year's periods 1, 2, 3 unpaid", 'Phone: mobile', 'No bank transfer']);
	});
	it('describes every field, and the empty filter', () => {
		const all = segmentFilterSchema.parse({
			minOwed: 1,
			maxOwed: 2,
			minUnpaidPeriods: 1,
			maxUnpaidPeriods: 2,
			minOldestUnpaidDays: 1,
			maxOldestUnpaidDays: 2,
			currentYearPeriods: [1],
			arrearsYears: 'both',
			phoneTypes: ['none'],
			bankTransfer: true,
			cardClasses: ['a'],
			languages: ['vi'],
			excludeLanguages: ['ja'],
			nationalities: ['VN'],
			excludeNationalities: ['JP'],
			districts: ['本町'],
			minDaysSinceContact: 1,
			maxDaysSinceContact: 2,
			minAttempts: 1,
			maxAttempts: 2,
			promiseStatuses: ['pending'],
			callbackDue: true
		});
		for (const locale of ['ja', 'en'] as const) {
			const lines = describeFilter(all, locale);
			expect(lines).toHaveLength(22);
			expect(new Set(lines).size).toBe(22);
		}
		expect(describeFilter({}, 'ja')).toEqual(['全世帯（条件なし）']);
		expect(describeFilter({ excludeNationalities: ['JP'] }, 'en')).toEqual(['Nationality not JP (known only)']);
		expect(describeFilter({ maxOwed: 100_000 }, 'ja')).toEqual(['滞納額 ¥100,000未満']);
	});
});
