import { describe, expect, it } from 'vitest';
import { dualDate, dualDateRange, eraNote, fiscalYearOf, markGaiji, nationalityLabel, tokyoDate, tokyoHour, tokyoWhen, wareki, warekiEn, yen } from './format.ts';

describe('display formats', () => {
	it('shows yen with separators', () => {
		expect(yen(1234)).toBe('¥1,234');
		expect(yen(0)).toBe('¥0');
		expect(yen(1_234_567)).toBe('¥1,234,567');
		expect(yen(-500)).toBe('−¥500');
	});

	it('shows the Japanese era, with 元年 and the right day of an era change', () => {
		expect(wareki('2026-06-30')).toBe('令和8年6月30日');
		expect(wareki('2019-05-01')).toBe('令和元年5月1日');
		expect(wareki('2019-04-30')).toBe('平成31年4月30日');
		expect(dualDate('2026-06-30')).toBe('2026-06-30（令和8年6月30日）');
		expect(dualDate('2026-06-30', 'ja')).toBe('2026-06-30（令和8年6月30日）');
	});

	it('names the era in ASCII for the English UI (no full-width brackets, no 元年), on the right day of each change', () => {
		expect(dualDate('2026-06-30', 'en')).toBe('2026-06-30 (Reiwa 8)');
		expect(warekiEn('2019-05-01')).toBe('Reiwa 1');
		expect(warekiEn('2019-04-30')).toBe('Heisei 31');
		expect(warekiEn('1989-01-08')).toBe('Heisei 1');
		expect(warekiEn('1989-01-07')).toBe('Showa 64');
		expect(warekiEn('1926-12-25')).toBe('Showa 1');
		expect(warekiEn('1926-12-24')).toBe('Taisho 15');
		expect(warekiEn('1912-07-30')).toBe('Taisho 1');
		expect(warekiEn('1912-07-29')).toBe('Meiji 45');
		expect(eraNote('2026-06-30', 'en')).toBe('(Reiwa 8)');
		expect(eraNote('2026-06-30', 'ja')).toBe('（令和8年6月30日）');
		// not a date, or before the Gregorian calendar: the ISO text alone
		expect(warekiEn('2026-6-30')).toBe('');
		expect(dualDate('1850-01-01', 'en')).toBe('1850-01-01');
		expect(dualDateRange('2026-04-01', '2026-06-30', 'en')).toBe('2026-04-01 (Reiwa 8) – 2026-06-30 (Reiwa 8)');
		expect(dualDateRange('2026-04-01', '2026-06-30', 'ja')).toBe('2026-04-01（令和8年4月1日） 〜 2026-06-30（令和8年6月30日）');
		// every English form is ASCII
		for (const d of ['2026-06-30', '2019-05-01', '1989-01-07', '1926-12-24', '1900-01-01']) expect(dualDate(d, 'en')).toMatch(/^[\x20-\x7e]+$/);
	});

	it('agrees with the Japanese form on the era year across the eras', () => {
		const kanji: Record<string, string> = { 令和: 'Reiwa', 平成: 'Heisei', 昭和: 'Showa', 大正: 'Taisho', 明治: 'Meiji' };
		for (const d of ['2026-06-30', '2019-05-01', '2019-04-30', '1989-01-08', '1989-01-07', '1926-12-25', '1926-12-24', '1912-07-30', '1912-07-29', '1900-01-01']) {
			const m = /^(..)(元|\d+)年/.exec(wareki(d))!;
			expect(warekiEn(d), d).toBe(`${kanji[m[1]]} ${m[2] === '元' ? 1 : Number(m[2])}`);
		}
	});

	it('uses Tokyo time for days, hours and fiscal years', () => {
		expect(tokyoDate(new Date('2026-11-27T15:30:00Z'))).toBe('2026-11-28');
		expect(tokyoHour(new Date('2026-11-27T00:30:00Z'))).toBe(9);
		expect(fiscalYearOf('2026-04-01')).toBe(2026);
		expect(fiscalYearOf('2027-03-31')).toBe(2026);
	});
});

describe('tokyoWhen', () => {
	it('says a day and time in Tokyo with its weekday', () => {
		// 2026-11-30 15:00 UTC = Tuesday 1 December 00:00 Tokyo
		expect(tokyoWhen('2026-11-30T15:00:00Z', 'ja')).toBe('12月1日(火) 0:00');
		expect(tokyoWhen(new Date('2026-12-01T01:05:00Z'), 'ja')).toBe('12月1日(火) 10:05');
		expect(tokyoWhen('2026-12-01T01:05:00Z', 'en')).toBe('Tue 1 Dec 10:05');
	});
});

describe('外字', () => {
	it('marks private-use characters with 〓 and leaves real ones', () => {
		expect(markGaiji('\uE000田　花子')).toBe('〓田　花子');
		expect(markGaiji('髙橋　﨑子')).toBe('髙橋　﨑子');
	});
});

describe('nationalityLabel', () => {
	it("names the country in the user's language with the code in parentheses", () => {
		expect(nationalityLabel('CN', 'ja')).toBe('中国 (CN)');
		expect(nationalityLabel('VN', 'ja')).toBe('ベトナム (VN)');
		expect(nationalityLabel('CN', 'en')).toBe('China (CN)');
		expect(nationalityLabel('NP', 'en')).toBe('Nepal (NP)');
	});
	it('keeps a code with no known name as it is', () => {
		expect(nationalityLabel('XX', 'ja')).toBe('XX');
		expect(nationalityLabel('unknown', 'en')).toBe('unknown');
	});
});
