import { describe, expect, it } from 'vitest';
import { dateProblem, dateRangeProblems, isRealDate } from './date-range.ts';

describe('dateRangeProblems', () => {
	it('accepts a range in order and a one-day range', () => {
		expect(dateRangeProblems({ from: '2026-11-01', to: '2026-12-01' }, { required: true })).toEqual({});
		expect(dateRangeProblems({ from: '2026-11-01', to: '2026-11-01' }, { required: true })).toEqual({});
	});
	it('names `to` with date_order when the end is before the start', () => {
		expect(dateRangeProblems({ from: '2026-12-01', to: '2026-11-01' }, { required: true })).toEqual({ to: { code: 'date_order', text: 'must not be before from' } });
	});
	it('names each bad field: required, date_format, no_such_date', () => {
		expect(dateRangeProblems({ from: '', to: undefined }, { required: true })).toMatchObject({ from: { code: 'required' }, to: { code: 'required' } });
		expect(dateRangeProblems({ from: '', to: null }, { required: false })).toEqual({});
		expect(dateRangeProblems({ from: '2026/11/01', to: '2026-02-30' }, { required: true })).toMatchObject({ from: { code: 'date_format' }, to: { code: 'no_such_date' } });
		// no order check while a field is wrong
		expect(dateRangeProblems({ from: '2026-12-01', to: '2026-02-30' }, { required: true })).toEqual({ to: expect.objectContaining({ code: 'no_such_date' }) });
	});
	it('checks dates that exist', () => {
		expect(isRealDate('2028-02-29')).toBe(true);
		expect(isRealDate('2026-02-29')).toBe(false);
		expect(dateProblem(42, true)).toMatchObject({ code: 'date_format' });
	});
});
