import { describe, expect, it } from 'vitest';
import { planEn, planJa, planProblemJa } from './plan.ts';

const keys = (o: object, prefix = ''): string[] =>
	Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));

describe('the call plan’s messages', () => {
	it('has the same keys in Japanese and English', () => expect(keys(planEn).sort()).toEqual(keys(planJa).sort()));
	it('names every status of the domain', () => expect(Object.keys(planJa.plan.status).sort()).toEqual(['ahead', 'behind', 'none', 'not_started', 'on_track']));
	it('puts the server’s field messages in Japanese, with their numbers', () => {
		expect(planProblemJa('must be a Monday')).toBe('月曜日を指定してください');
		expect(planProblemJa('not a week of fiscal year 2026')).toBe('2026年度の週ではありません');
		expect(planProblemJa('at most 1000000')).toBe('1,000,000以下で入力してください');
		expect(planProblemJa('something new')).toBe('something new');
	});
});
