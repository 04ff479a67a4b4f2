import { describe, expect, it } from 'vitest';
import { filterFromForm, parseIntText, parseYenText, segmentFromForm } from './filter-form.ts';
import { rulesFromForm } from './rules-form.ts';
import { assignmentsFromForm } from './assign-form.ts';
import { segmentFilterSchema } from '../../domain/segments.ts';
import { callingRulesSchema, defaultCallingRules } from '../../domain/calling-rules.ts';

const form = (pairs: [string, string][]) => new URLSearchParams(pairs);

describe('parseYenText', () => {
	it('reads yen as staff type it', () => {
		expect(parseYenText('¥50,000')).toBe(50000);
		expect(parseYenText('５０，０００円')).toBe(50000);
		expect(parseYenText('￥１２０,０００')).toBe(120000);
		expect(parseYenText(' 3000 ')).toBe(3000);
	});
	it('leaves blanks out and passes anything else on for the schema to refuse', () => {
		expect(parseYenText('')).toBeUndefined();
		expect(parseYenText('  ')).toBeUndefined();
		expect(parseYenText(null)).toBeUndefined();
		expect(parseYenText('5万')).toBe('5万');
		expect(parseYenText('-100')).toBe('-100');
	});
});

describe('parseIntText', () => {
	it('reads full-width digits and refuses text', () => {
		expect(parseIntText('３')).toBe(3);
		expect(parseIntText('-2')).toBe(-2);
		expect(parseIntText('3.5')).toBe('3.5');
		expect(parseIntText('')).toBeUndefined();
	});
});

describe('filterFromForm', () => {
	it('keeps only the conditions filled in, in the filter schema’s shape', () => {
		const f = filterFromForm(
			form([
				['f.minOwed', '¥50,000'],
				['f.maxOwed', ''],
				['f.minAttempts', '２'],
				['f.phoneTypes', 'mobile'],
				['f.phoneTypes', 'mobile'],
				['f.languages', 'vi'],
				['f.currentYearPeriods', '1'],
				['f.currentYearPeriods', '3'],
				['f.bankTransfer', 'false'],
				['f.callbackDue', ''],
				['f.arrearsYears', 'current']
			])
		);
		expect(f).toEqual({ minOwed: 50000, minAttempts: 2, phoneTypes: ['mobile'], languages: ['vi'], currentYearPeriods: [1, 3], bankTransfer: false, arrearsYears: 'current' });
		expect(segmentFilterSchema.safeParse(f).success).toBe(true);
	});
	it('an empty form is the empty filter (every household)', () => {
		expect(filterFromForm(form([]))).toEqual({});
	});
	it('a mistyped amount reaches the schema, which names the field', () => {
		const r = segmentFilterSchema.safeParse(filterFromForm(form([['f.minOwed', '5万']])));
		expect(r.success).toBe(false);
		expect(r.error!.issues[0].path).toEqual(['minOwed']);
	});
});

describe('segmentFromForm', () => {
	it('reads the segment’s own fields beside the filter', () => {
		const s = segmentFromForm(form([['code', 'vn'], ['nameJa', 'ベトナム'], ['nameEn', 'Vietnamese'], ['sortOrder', '１５'], ['f.languages', 'vi']]));
		expect(s).toEqual({ code: 'vn', nameJa: 'ベトナム', nameEn: 'Vietnamese', description: undefined, sortOrder: 15, filter: { languages: ['vi'] } });
	});
});

describe('rulesFromForm', () => {
	const all = (): [string, string][] => [
		...(['mon', 'tue', 'wed', 'thu', 'fri'] as const).flatMap((d): [string, string][] => [[`w.${d}.on`, 'true'], [`w.${d}.start`, '09:00'], [`w.${d}.end`, '20:00']]),
		['w.sat.start', '10:00'],
		['w.sat.end', '17:00'],
		['maxAttemptsPerDay', '2'],
		['maxAttemptsPerWeek', '5'],
		['minGapMinutes', '120'],
		['paymentSuppressDays', '14'],
		['promiseGraceDays', '3'],
		['callbackGraceMinutes', '15'],
		['wrapUpSeconds', '30'],
		['promiseHorizonDays', '90'],
		['rotateSlots', 'true'],
		['yearEndClosure', 'true']
	];
	it('gives the default rules back from the form that shows them', () => {
		expect(callingRulesSchema.parse(rulesFromForm(form(all())))).toEqual(defaultCallingRules);
	});
	it('a start before the hard limit is refused at windows.<day>.start', () => {
		const pairs = all().map(([k, v]): [string, string] => [k, k === 'w.mon.start' ? '07:30' : v]);
		const r = callingRulesSchema.safeParse(rulesFromForm(form(pairs)));
		expect(r.success).toBe(false);
		expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual(['windows.mon.start']);
	});
	it('a blank number is refused, not dropped', () => {
		const pairs = all().map(([k, v]): [string, string] => [k, k === 'minGapMinutes' ? '' : v]);
		const r = callingRulesSchema.safeParse(rulesFromForm(form(pairs)));
		expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual(['minGapMinutes']);
	});
});

describe('assignmentsFromForm', () => {
	it('reads the shown operators and segments and the checked pairs', () => {
		const a = assignmentsFromForm(form([['operator', '5'], ['operator', '6'], ['segment', '1'], ['a', '5:1']]));
		expect(a).toEqual({ operatorIds: ['5', '6'], segmentIds: ['1'], pairs: [{ userId: '5', segmentId: '1' }] });
	});
});
