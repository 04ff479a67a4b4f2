import { describe, expect, it } from 'vitest';
import { translator } from '../../i18n/index.ts';
import { isProblemCode, problemFieldLabel, problemText } from './outcome-problems.ts';

const ja = translator('ja');
const en = translator('en');

describe('problemText', () => {
	it('says a callback outside calling hours in the operator’s language, with when calling hours start next (Tokyo)', () => {
		// 2026-12-01 09:00 Tokyo, a Tuesday
		const params = { opensAt: '2026-12-01T00:00:00.000Z' };
		const textJa = problemText(ja, 'ja', 'outsideHours', params);
		expect(textJa).toContain('架電時間外');
		expect(textJa).toContain('12月1日(火) 9:00');
		const textEn = problemText(en, 'en', 'outsideHours', params);
		expect(textEn).toMatch(/Outside calling hours/);
		expect(textEn).toContain('Tue 1 Dec 09:00');
	});
	it('says so when no calling hours lie ahead, rather than leave a gap', () => {
		expect(problemText(ja, 'ja', 'outsideHours', { opensAt: '' })).toContain('14日以内');
	});
	it('fills the values the server sent: the amount owed, the days of a horizon', () => {
		expect(problemText(ja, 'ja', 'overOwed', { owed: 30_000 })).toContain('¥30,000');
		expect(problemText(ja, 'ja', 'horizon', { days: 30 })).toContain('30日');
		// the browser's own checks give the values from the card and the calling rules
		expect(problemText(en, 'en', 'horizon', null, { days: 90 })).toBe('Must be within 90 days');
	});
	it('turns every code the server sends for the outcome into a message of its own, in both languages', () => {
		for (const code of ['required', 'amount', 'overOwed', 'past', 'horizon', 'pastTime', 'notFuture', 'order', 'outsideHours', 'notAllowed', 'party', 'unknown', 'startedAt', 'phoneRequired', 'notThisHousehold']) {
			for (const [t, locale] of [[ja, 'ja'], [en, 'en']] as const) {
				const text = problemText(t, locale, code, { opensAt: '2026-12-01T00:00:00.000Z', days: 30, owed: 1000 });
				expect(text, `${locale} ${code}`).not.toContain('operator.problems');
				expect(text, `${locale} ${code}`).not.toBe(problemText(t, locale, 'noSuchCode', null));
			}
		}
	});
	it('never shows a server’s English sentence on the desk: it becomes the general message', () => {
		expect(isProblemCode('outsideHours')).toBe(true);
		expect(isProblemCode('must be a date (YYYY-MM-DD)')).toBe(false);
		expect(problemText(ja, 'ja', 'not a real date', null)).toBe('この内容では保存できません');
		expect(problemText(ja, 'ja', 'no callback with outcome 40: a callback goes with …', null)).toBe('この内容では保存できません');
	});
});

describe('problemFieldLabel', () => {
	it('names a refused field as the form labels it, never by its path', () => {
		expect(problemFieldLabel(ja, 'callback.at')).toBe(ja('operator.form.callbackAt'));
		expect(problemFieldLabel(ja, 'callback.at')).not.toBe('operator.form.callbackAt');
		expect(problemFieldLabel(en, 'promise')).toBe('Promise');
		expect(problemFieldLabel(ja, 'promise')).toBe('納付約束');
		expect(problemFieldLabel(ja, 'no.such.field')).toBe('');
		expect(problemFieldLabel(ja, '(input)')).toBe('');
	});
});
