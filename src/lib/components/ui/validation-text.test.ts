import { describe, expect, it } from 'vitest';
import { translator } from '../../i18n/index.ts';
import { validationText } from './validation-text.ts';

const ja = translator('ja');
const en = translator('en');

describe('validationText', () => {
	it('words the calling-rules page’s refusals in both languages, with the values they name', () => {
		expect(validationText(ja, 'ja', 'before_hard_limit', '月曜 開始', { limit: '08:00' })).toBe('月曜 開始は08:00より前にできません（上限）。');
		expect(validationText(en, 'en', 'after_hard_limit', 'Monday Until', { limit: '21:00' })).toBe('Monday Until may not be after 21:00 (hard limit).');
		expect(validationText(ja, 'ja', 'end_not_after_start', '月曜 終了', { start: '18:00' })).toBe('月曜 終了は開始（18:00）より後の時刻にしてください。');
		expect(validationText(ja, 'ja', 'time_format', '火曜 開始')).toBe('火曜 開始は時刻（09:00 のような形）で入力してください。');
		expect(validationText(ja, 'ja', 'max_value', '後処理時間（秒）', { max: 600 })).toBe('後処理時間（秒）は600以下にしてください。');
		expect(validationText(en, 'en', 'min_value', 'Calls per household per day, at most', { min: 1 })).toBe('Calls per household per day, at most must be at least 1.');
		expect(validationText(ja, 'ja', 'whole_number', '架電の最小間隔（分）')).toBe('架電の最小間隔（分）は整数で入力してください。');
		expect(validationText(ja, 'ja', 'required', '架電の最小間隔（分）')).toBe('架電の最小間隔（分）を入力してください。');
		// the cross-field rule names the other field (the page gives its label)
		expect(validationText(ja, 'ja', 'max_below_min', '7日間の架電回数の上限（世帯ごと）', { other: 'maxAttemptsPerDay' }, { other: '1日の架電回数の上限（世帯ごと）' })).toBe(
			'「7日間の架電回数の上限（世帯ごと）」は「1日の架電回数の上限（世帯ごと）」以上の値にしてください。'
		);
	});
	it('words the segment filter’s single-field refusals, numbers with separators', () => {
		expect(validationText(ja, 'ja', 'max_value', '滞納額（未満）', { max: 1_000_000_000 })).toBe('滞納額（未満）は1,000,000,000以下にしてください。');
		expect(validationText(en, 'en', 'language_code', 'Language (include)')).toBe('Language (include): language codes are 2–3 lowercase letters (vi, ne, zh …).');
		expect(validationText(ja, 'ja', 'country_code', '国籍（除く）')).toContain('国コード');
		expect(validationText(ja, 'ja', 'choose_one', '電話の種類')).toBe('電話の種類は1つ以上選ぶか、条件から外してください。');
		expect(validationText(en, 'en', 'too_many', 'District', { max: 1000 })).toBe('District: at most 1,000 values.');
	});
	it('has a message of its own for every code the two forms send, in both languages', () => {
		const codes = ['required', 'whole_number', 'min_value', 'max_value', 'too_long', 'choose_one', 'too_many', 'language_code', 'country_code', 'time_format', 'before_hard_limit', 'after_hard_limit', 'end_not_after_start', 'max_below_min', 'max_not_above_min', 'invalid'];
		for (const code of codes) {
			for (const [t, locale, generic] of [[ja, 'ja', 'Xが正しくありません。'], [en, 'en', 'X is not valid.']] as const) {
				const text = validationText(t, locale, code, 'X', { min: 1, max: 2, limit: '08:00', start: '09:00' }, { other: 'Y' });
				expect(text, `${locale} ${code}`).not.toContain('validation.');
				if (code !== 'invalid') expect(text, `${locale} ${code}`).not.toBe(generic);
				expect(text).not.toMatch(/\{\{/);
			}
		}
	});
	it('never shows English prose or an unknown code on the page: the general line instead', () => {
		expect(validationText(ja, 'ja', 'maxAttemptsPerWeek: must not be less than the calls per day', '上限')).toBe('上限が正しくありません。');
		expect(validationText(ja, 'ja', 'no_such_code', '上限')).toBe('上限が正しくありません。');
		expect(validationText(en, 'en', null, 'Limit')).toBe('Limit is not valid.');
	});
});
