import { describe, it, expect } from 'vitest';
import {
	cleanText,
	hasGaiji,
	isValidMyNumberCheckDigit,
	kanaForDisplay,
	kanaForSearch,
	looksLikeMyNumberHeader,
	looksLikeMyNumberValue,
	nameForSearch,
	normalizeHeader,
	parseAmount,
	parseCount,
	parseDate,
	parseFiscalYear,
	parseFlag,
	parseId,
	parsePeriod,
	type Parsed
} from './normalize.ts';

function reasonOf<T>(p: Parsed<T>): string {
	if (p.ok) throw new Error(`expected an error, got ${JSON.stringify(p.value)}`);
	return p.reason;
}

const BLANKS = ['', ' ', '　', ' 　 ', '\t', '\r\n'];

describe('blank input means unknown for every parser', () => {
	const parsers = { parseDate, parseAmount, parseCount, parsePeriod, parseFiscalYear, parseId, parseFlag };
	for (const [name, parse] of Object.entries(parsers)) {
		it.each(BLANKS)(`${name}(%j) → null`, (raw) => {
			expect(parse(raw)).toEqual({ ok: true, value: null });
		});
	}
	it.each(BLANKS)('cleanText(%j) → null', (raw) => expect(cleanText(raw)).toBeNull());
});

describe('parseDate', () => {
	it.each([
		['2026-04-01', '2026-04-01'],
		['2026/4/1', '2026-04-01'],
		['2026/04/01', '2026-04-01'],
		['2026.4.1', '2026-04-01'],
		['20260401', '2026-04-01'],
		['2026年4月1日', '2026-04-01'],
		['２０２６－０４－０１', '2026-04-01'],
		['２０２６／４／１', '2026-04-01'],
		['２０２６０４０１', '2026-04-01'],
		[' 2026-04-01 ', '2026-04-01'],
		['　2026/4/1　', '2026-04-01'],
		['2026/04/01 0:00', '2026-04-01'],
		['2026-04-01 00:00:00', '2026-04-01'],
		['9999-12-31', '9999-12-31'],
		['1868-01-01', '1868-01-01']
	])('western %j → %s', (raw, iso) => {
		expect(parseDate(raw)).toEqual({ ok: true, value: iso });
	});

	it.each([
		['令和8年4月1日', '2026-04-01'],
		['令和８年４月１日', '2026-04-01'],
		['令和 8年 4月 1日', '2026-04-01'],
		['令和08年04月01日', '2026-04-01'],
		['R8.4.1', '2026-04-01'],
		['R08.04.01', '2026-04-01'],
		['r8.4.1', '2026-04-01'],
		['R8/4/1', '2026-04-01'],
		['R8-4-1', '2026-04-01'],
		['Ｒ８．４．１', '2026-04-01'],
		['R080401', '2026-04-01'],
		['令7.6.30', '2025-06-30'],
		['令和元年5月1日', '2019-05-01'],
		['令和1年5月1日', '2019-05-01'],
		['R1.5.1', '2019-05-01'],
		['令元.5.1', '2019-05-01'],
		['㋿8年4月1日', '2026-04-01'],
		['H23.10.1', '2011-10-01'],
		['h23.10.1', '2011-10-01'],
		['平成23年10月1日', '2011-10-01'],
		['平23.10.1', '2011-10-01'],
		['㍻23年10月1日', '2011-10-01'],
		['平成元年1月8日', '1989-01-08'],
		['平成31年4月30日', '2019-04-30'],
		['S64.1.7', '1989-01-07'],
		['昭和64年1月7日', '1989-01-07'],
		['昭和元年12月25日', '1926-12-25'],
		['S40.2.3', '1965-02-03'],
		['昭40.2.3', '1965-02-03'],
		['大正15年12月24日', '1926-12-24'],
		['大正元年7月30日', '1912-07-30'],
		['T5.3.1', '1916-03-01'],
		['明治45年7月29日', '1912-07-29'],
		['M44.1.1', '1911-01-01'],
		['明治元年10月23日', '1868-10-23']
	])('era %j → %s', (raw, iso) => {
		expect(parseDate(raw)).toEqual({ ok: true, value: iso });
	});

	it.each([
		['5070630', '2025-06-30'],
		['５０７０６３０', '2025-06-30'],
		['5010501', '2019-05-01'],
		['4310430', '2019-04-30'],
		['3640107', '1989-01-07'],
		['3400203', '1965-02-03'],
		['2150101', '1926-01-01'],
		['1450101', '1912-01-01']
	])('numeric era code %j → %s', (raw, iso) => {
		expect(parseDate(raw)).toEqual({ ok: true, value: iso });
	});

	it.each([
		['2024-02-29', '2024-02-29'],
		['2000/2/29', '2000-02-29'],
		['令和6年2月29日', '2024-02-29'],
		['H28.2.29', '2016-02-29'],
		['5060229', '2024-02-29']
	])('leap day %j → %s', (raw, iso) => {
		expect(parseDate(raw)).toEqual({ ok: true, value: iso });
	});

	it.each(['00000000', '0000-00-00', '0000/00/00', '0000000'])('all-zero placeholder %j → null', (raw) => {
		expect(parseDate(raw)).toEqual({ ok: true, value: null });
	});

	it('says which month is out of range, quoting the value', () => {
		expect(reasonOf(parseDate('令和8年13月1日'))).toBe('日付として読めません: 「令和8年13月1日」（月は1〜12）');
		expect(reasonOf(parseDate('2026-00-10'))).toContain('月は1〜12');
		expect(reasonOf(parseDate('20261301'))).toContain('月は1〜12');
	});

	it('says how many days the month has', () => {
		expect(reasonOf(parseDate('2026/2/30'))).toBe('日付として読めません: 「2026/2/30」（2026年2月は28日まで）');
		expect(reasonOf(parseDate('2025-02-29'))).toContain('2025年2月は28日まで');
		expect(reasonOf(parseDate('1900-02-29'))).toContain('1900年2月は28日まで');
		expect(reasonOf(parseDate('2026-04-31'))).toContain('2026年4月は30日まで');
		expect(reasonOf(parseDate('令和7年2月29日'))).toContain('令和7年2月は28日まで');
		expect(reasonOf(parseDate('2026-04-00'))).toContain('日は1から');
		expect(reasonOf(parseDate('2026-01-32'))).toContain('「2026-01-32」');
	});

	it('rejects dates outside their era, explaining the boundary', () => {
		expect(reasonOf(parseDate('平成31年5月1日'))).toBe(
			'「平成31年5月1日」は存在しません（平成は2019年4月30日まで。令和は2019年5月1日から）'
		);
		expect(reasonOf(parseDate('令和1年4月30日'))).toBe('「令和1年4月30日」は存在しません（令和は2019年5月1日から）');
		expect(reasonOf(parseDate('令和元年4月30日'))).toBe('「令和元年4月30日」は存在しません（令和は2019年5月1日から）');
		expect(reasonOf(parseDate('昭和64年1月8日'))).toBe(
			'「昭和64年1月8日」は存在しません（昭和は1989年1月7日まで。平成は1989年1月8日から）'
		);
		expect(reasonOf(parseDate('H31.5.1'))).toBe(
			'「H31.5.1」（平成31年5月1日）は存在しません（平成は2019年4月30日まで。令和は2019年5月1日から）'
		);
		expect(reasonOf(parseDate('4310501'))).toContain('（平成31年5月1日）は存在しません');
		expect(reasonOf(parseDate('S65.1.1'))).toContain('昭和は1989年1月7日まで');
		expect(reasonOf(parseDate('平成元年1月7日'))).toContain('平成は1989年1月8日から');
		expect(reasonOf(parseDate('大正15年12月25日'))).toContain('昭和は1926年12月25日から');
		expect(reasonOf(parseDate('明治45年7月30日'))).toContain('大正は1912年7月30日から');
		expect(reasonOf(parseDate('明治元年1月1日'))).toContain('明治は1868年10月23日から');
	});

	it('rejects era year 0', () => {
		expect(reasonOf(parseDate('令和0年5月1日'))).toBe('日付として読めません: 「令和0年5月1日」（令和の年は1（元年）から）');
		expect(reasonOf(parseDate('R0.5.1'))).toContain('令和の年は1（元年）から');
		expect(reasonOf(parseDate('5000501'))).toContain('令和の年は1（元年）から');
	});

	it('rejects unknown era codes in the 7-digit form', () => {
		expect(reasonOf(parseDate('6070630'))).toContain('元号コード');
		expect(reasonOf(parseDate('0070630'))).toContain('元号コード');
	});

	it.each([
		'abc',
		'不明',
		'2026',
		'202641',
		'260401',
		'2026-4',
		'2026/04-01',
		'R8.4/1',
		'X8.4.1',
		'令和8年4月',
		'令和八年四月一日',
		'2026/04/01 9:30',
		'R100.1.1',
		'１２３４５６７８９'
	])('rejects unreadable %j, quoting it', (raw) => {
		const reason = reasonOf(parseDate(raw));
		expect(reason).toContain('日付として読めません');
		expect(reason).toContain(`「${raw}」`);
	});

	it('rejects years before the Meiji era in Western form', () => {
		expect(reasonOf(parseDate('1867-12-31'))).toContain('年は1868〜9999');
		expect(reasonOf(parseDate('0202-04-01'))).toContain('年は1868〜9999');
	});
});

describe('parseAmount', () => {
	it.each([
		['12345', 12345],
		['0', 0],
		['00120', 120],
		['１２３４５', 12345],
		['12,345', 12345],
		['1,234,567', 1234567],
		['１２，３４５円', 12345],
		['12345円', 12345],
		['12,345 円', 12345],
		['¥1,234', 1234],
		['￥1,234', 1234],
		['￥１，２３４', 1234],
		['\\1,234', 1234],
		['¥ 1,234 円', 1234],
		['  5000  ', 5000],
		['　5000　', 5000],
		['+500', 500],
		['-500', -500],
		['－500', -500],
		['−500', -500],
		['▲500', -500],
		['△500', -500],
		['▲ 1,500円', -1500],
		['▲¥1,500', -1500],
		['¥-1,500', -1500],
		['-0', 0],
		['▲0', 0]
	])('%j → %d', (raw, n) => {
		expect(parseAmount(raw)).toEqual({ ok: true, value: n });
	});

	it('never returns -0', () => {
		const p = parseAmount('-0');
		expect(p.ok && Object.is(p.value, 0)).toBe(true);
	});

	it('rejects decimals, quoting the value', () => {
		expect(reasonOf(parseAmount('12.5'))).toBe('金額として読めません: 「12.5」（小数は使えません。円単位の整数で）');
		expect(reasonOf(parseAmount('1,234.00円'))).toContain('小数は使えません');
		expect(reasonOf(parseAmount('１２．５'))).toContain('小数は使えません');
	});

	it('rejects misplaced thousands separators', () => {
		expect(reasonOf(parseAmount('1,23'))).toContain('桁区切り');
		expect(reasonOf(parseAmount('12,3456'))).toContain('桁区切り');
		expect(reasonOf(parseAmount('1234,567'))).toContain('桁区切り');
	});

	it.each(['abc', '不明', '1 234', '500-', '--500', '▲-500', '円', '¥', '①', '1e3', '0x10', '12円34'])(
		'rejects %j',
		(raw) => {
			const reason = reasonOf(parseAmount(raw));
			expect(reason).toContain('金額として読めません');
			expect(reason).toContain(`「${raw}」`);
		}
	);

	it('rejects amounts beyond safe integers', () => {
		expect(reasonOf(parseAmount('99999999999999999999'))).toContain('大きすぎます');
	});
});

describe('parseCount', () => {
	it.each([
		['0', 0],
		['3', 3],
		['03', 3],
		['３', 3],
		[' 12 ', 12],
		['1,234', 1234],
		['１，２３４', 1234]
	])('%j → %d', (raw, n) => {
		expect(parseCount(raw)).toEqual({ ok: true, value: n });
	});

	it.each([
		['-1', '0以上の整数'],
		['▲1', '0以上の整数'],
		['1.5', '小数は使えません'],
		['3円', '0以上の整数'],
		['¥3', '0以上の整数'],
		['3人', '0以上の整数'],
		['abc', '0以上の整数'],
		['1,23', '桁区切り']
	])('rejects %j (%s)', (raw, hint) => {
		const reason = reasonOf(parseCount(raw));
		expect(reason).toContain(`「${raw}」`);
		expect(reason).toContain(hint);
	});
});

describe('parsePeriod', () => {
	it.each(['1', '01', '１', '０１', '１期', '第1期', '第１期', '1期', ' 第 1 期 ', '第1'])('%j → 1', (raw) => {
		expect(parsePeriod(raw)).toEqual({ ok: true, value: 1 });
	});

	it.each([
		['10', 10],
		['第10期', 10],
		['１４期', 14],
		['14', 14]
	])('%j → %d', (raw, n) => {
		expect(parsePeriod(raw)).toEqual({ ok: true, value: n });
	});

	it.each(['0', '15', '第15期', '00'])('rejects out-of-range %j', (raw) => {
		expect(reasonOf(parsePeriod(raw))).toBe(`期別として読めません: 「${raw}」（期別は1〜14）`);
	});

	it.each(['随時', '1期分', '第一期', '1.5', '-1', '123'])('rejects unreadable %j', (raw) => {
		const reason = reasonOf(parsePeriod(raw));
		expect(reason).toContain(`「${raw}」`);
		expect(reason).toContain('期別として読めません');
	});
});

describe('parseFiscalYear', () => {
	it.each([
		['2026', 2026],
		['２０２６', 2026],
		['2026年度', 2026],
		['2026年', 2026],
		['２０２６年度', 2026],
		['令和8', 2026],
		['令和8年度', 2026],
		['令和８年度', 2026],
		['令和 8 年度', 2026],
		['R8', 2026],
		['R08', 2026],
		['r8', 2026],
		['Ｒ８', 2026],
		['R8年度', 2026],
		['令8', 2026],
		['令和元年度', 2019],
		['令和元', 2019],
		['平成30年度', 2018],
		['H30', 2018],
		['平成31年度', 2019],
		['平成2年度', 1990],
		['1990', 1990],
		['2100', 2100]
	])('%j → %d', (raw, n) => {
		expect(parseFiscalYear(raw)).toEqual({ ok: true, value: n });
	});

	it('rejects an era year after the era ended', () => {
		expect(reasonOf(parseFiscalYear('平成32年度'))).toBe('年度として読めません: 「平成32年度」（平成は31年（2019年）まで）');
		expect(reasonOf(parseFiscalYear('S65'))).toContain('昭和は64年（1989年）まで');
	});

	it('rejects era year 0', () => {
		expect(reasonOf(parseFiscalYear('令和0年度'))).toContain('令和の年は1（元年）から');
	});

	it.each(['1989', '2101', '平成元年度', 'S63'])('rejects %j outside 1990–2100', (raw) => {
		expect(reasonOf(parseFiscalYear(raw))).toBe(`年度として読めません: 「${raw}」（年度は1990〜2100）`);
	});

	it.each(['26', '20261', 'abc', '令和', '2026-04-01', 'X8', '令和八年度'])('rejects unreadable %j', (raw) => {
		const reason = reasonOf(parseFiscalYear(raw));
		expect(reason).toContain('年度として読めません');
		expect(reason).toContain(`「${raw}」`);
	});
});

describe('parseId', () => {
	it.each([
		['0012345', '0012345'],
		['００１２３４５', '0012345'],
		[' 0012345 ', '0012345'],
		['　0012345　', '0012345'],
		['AB-001', 'AB-001'],
		['ＡＢ－００１', 'AB-001'],
		['ab−001', 'ab-001'],
		['12‐34', '12-34'],
		['0', '0'],
		['12345678901234567890', '12345678901234567890']
	])('%j → %j', (raw, id) => {
		expect(parseId(raw)).toEqual({ ok: true, value: id });
	});

	it('names the bad character', () => {
		expect(reasonOf(parseId('12あ4'))).toBe('番号に使えない文字「あ」があります: 「12あ4」（半角英数字とハイフンのみ）');
		expect(reasonOf(parseId('12 34'))).toContain('「空白」');
		expect(reasonOf(parseId('12　34'))).toContain('「空白」');
		expect(reasonOf(parseId('①23'))).toContain('「①」');
		expect(reasonOf(parseId('12.3'))).toContain('「.」');
		expect(reasonOf(parseId('12\uE0003'))).toContain('「外字」');
		expect(reasonOf(parseId('12＿3'))).toContain('「＿」');
	});

	it('rejects more than 20 characters', () => {
		expect(reasonOf(parseId('123456789012345678901'))).toBe(
			'番号が長すぎます: 「123456789012345678901」（20文字まで、21文字あります）'
		);
	});
});

describe('parseFlag', () => {
	it.each([
		'有',
		'有り',
		'あり',
		'ｱﾘ',
		'1',
		'１',
		'○',
		'〇',
		'true',
		'TRUE',
		'True',
		'する',
		'Y',
		'y',
		'Ｙ',
		'yes'
	])('%j → true', (raw) => {
		expect(parseFlag(raw)).toEqual({ ok: true, value: true });
	});

	it.each(['無', '無し', 'なし', 'ﾅｼ', '0', '０', '×', 'false', 'FALSE', 'しない', 'N', 'n', 'no'])(
		'%j → false',
		(raw) => {
			expect(parseFlag(raw)).toEqual({ ok: true, value: false });
		}
	);

	it.each(['2', 'たぶん', 'x', '-', 'yesno'])('rejects %j', (raw) => {
		expect(reasonOf(parseFlag(raw))).toBe(`有無として読めません: 「${raw}」（例: 有/無、あり/なし、1/0、○/×）`);
	});
});

describe('cleanText', () => {
	it('trims ASCII and full-width spaces and keeps the inside', () => {
		expect(cleanText('  山田　太郎 ')).toBe('山田　太郎');
		expect(cleanText('　東京都千代田区　')).toBe('東京都千代田区');
		expect(cleanText('①㈱髙﨑')).toBe('①㈱髙﨑');
	});

	it('normalizes line breaks to \\n', () => {
		expect(cleanText('東京都\r\n千代田区\r1-1\n101号')).toBe('東京都\n千代田区\n1-1\n101号');
		expect(cleanText('\r\n東京都\r\n')).toBe('東京都');
	});

	it('keeps 外字', () => {
		expect(cleanText(' 山\uE000 ')).toBe('山\uE000');
	});
});

describe('nameForSearch', () => {
	it.each([
		['山田　太郎', '山田太郎'],
		[' 山田 太郎 ', '山田太郎'],
		['ﾔﾏﾀﾞ ﾀﾛｳ', 'ヤマダタロウ'],
		['やまだ　たろう', 'ヤマダタロウ'],
		['ヤマダ　タロウ', 'ヤマダタロウ'],
		['ﾊﾟｸ ｳﾞｨ', 'パクヴィ'],
		['Ｊｏｈｎ　Ｓｍｉｔｈ', 'JOHNSMITH'],
		['john smith', 'JOHNSMITH'],
		['髙﨑　一郎', '髙﨑一郎'],
		['山\uE000', '山\uE000'],
		['ゔぁ', 'ヴァ'],
		['カ゛', 'ガ']
	])('%j → %j', (raw, key) => {
		expect(nameForSearch(raw)).toBe(key);
	});
});

describe('kanaForDisplay', () => {
	it.each([
		['ﾔﾏﾀﾞ ﾀﾛｳ', 'ヤマダ タロウ'],
		['ﾔﾏﾀﾞ　ﾀﾛｳ', 'ヤマダ　タロウ'],
		[' ﾔﾏﾀﾞ ', 'ヤマダ'],
		['ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ', 'パピプペポ'],
		['ｶﾞｷﾞｸﾞｹﾞｺﾞｻﾞｼﾞｽﾞｾﾞｿﾞﾀﾞﾁﾞﾂﾞﾃﾞﾄﾞﾊﾞﾋﾞﾌﾞﾍﾞﾎﾞ', 'ガギグゲゴザジズゼゾダヂヅデドバビブベボ'],
		['ｳﾞｧｲｵﾘﾝ', 'ヴァイオリン'],
		['ﾜﾞｦﾞ', 'ヷヺ'],
		['ｽｰﾊﾟｰ', 'スーパー'],
		['ｷｬｯﾁｮ', 'キャッチョ'],
		['｢ｱ｣､･｡', '「ア」、・。'],
		['ｱﾞ', 'ア゛'],
		['ﾞ', '゛'],
		['ﾏﾟ', 'マ゜'],
		['ヤマダ タロウ', 'ヤマダ タロウ'],
		['山田　太郎', '山田　太郎'],
		['ABC ①', 'ABC ①'],
		['ｶ\uE000ﾞ', 'カ\uE000゛']
	])('%j → %j', (raw, shown) => {
		expect(kanaForDisplay(raw)).toBe(shown);
	});

	it('converts every half-width kana', () => {
		const all = Array.from({ length: 0xff9f - 0xff61 + 1 }, (_, i) => String.fromCharCode(0xff61 + i));
		for (const c of all) {
			const out = kanaForDisplay(c);
			expect(out).toHaveLength(1);
			expect(out.charCodeAt(0)).toBeLessThan(0xff00);
		}
		// agrees with NFKC wherever NFKC gives a single, spacing character
		for (const c of all) {
			const nfkc = c.normalize('NFKC');
			if (nfkc.length === 1 && nfkc !== '\u3099' && nfkc !== '\u309A') expect(kanaForDisplay(c)).toBe(nfkc);
		}
	});
});

describe('kanaForSearch', () => {
	it.each([
		['ﾔﾏﾀﾞ ﾀﾛｳ', 'ヤマダタロウ'],
		['ヤマダ　タロウ', 'ヤマダタロウ'],
		['やまだ たろう', 'ヤマダタロウ'],
		['ﾊﾟｸ', 'パク'],
		['ヴァ', 'ヴァ'],
		['いすゞ', 'イスヾ']
	])('%j → %j', (raw, key) => {
		expect(kanaForSearch(raw)).toBe(key);
	});

	it('matches display and search forms of the same name', () => {
		expect(kanaForSearch(kanaForDisplay('ﾔﾏﾀﾞ ﾀﾛｳ'))).toBe(kanaForSearch('やまだ　たろう'));
	});
});

describe('hasGaiji', () => {
	it.each([
		['山\uE000', true],
		['\uE757', true],
		['\uF8FF', true],
		['\u{F0000}', true],
		['\u{10FFFD}', true],
		['山田太郎', false],
		['髙﨑', false],
		['①㈱', false],
		['ﾔﾏﾀﾞ', false],
		['', false],
		['\uFFFD', false]
	])('%j → %s', (raw, has) => {
		expect(hasGaiji(raw)).toBe(has);
	});
});

describe('normalizeHeader', () => {
	it.each([
		['　氏名　', '氏名'],
		[' 氏名 ', '氏名'],
		['\uFEFF国保記号番号', '国保記号番号'],
		['\uFEFF 国保記号番号 ', '国保記号番号'],
		['氏名カナ', '氏名カナ'],
		['氏名・名称', '氏名・名称'],
		['住所・方書', '住所・方書'],
		['個人番号（マイナンバー）', '個人番号（マイナンバー）'],
		['ＩＤ１', 'ID1'],
		['電話番号２', '電話番号2'],
		['\t期別\r', '期別']
	])('%j → %j', (raw, header) => {
		expect(normalizeHeader(raw)).toBe(header);
	});
});

describe('my number (マイナンバー) detection', () => {
	it.each([
		'マイナンバー',
		'個人番号',
		'個人番号（マイナンバー）',
		'個人番号(マイナンバー)',
		'　個人番号　',
		'ﾏｲﾅﾝﾊﾞｰ',
		'マイナンバー下4桁',
		'my number',
		'My Number',
		'MYNUMBER',
		'mynumber',
		'my_number',
		'ｍｙ　ｎｕｍｂｅｒ',
		'individual number',
		'kojin_bango'
	])('header %j is refused', (h) => {
		expect(looksLikeMyNumberHeader(h)).toBe(true);
	});

	it.each(['住民番号', '国保記号番号', '氏名', '電話番号', '法人番号', 'number', 'dummynumber', 'phone number'])(
		'header %j is fine',
		(h) => {
			expect(looksLikeMyNumberHeader(h)).toBe(false);
		}
	);

	it.each(['123456789012', '1234 5678 9012', '1234-5678-9012', '１２３４５６７８９０１２', '１２３４－５６７８－９０１２', ' 123456789012 '])(
		'value %j looks like a my number',
		(v) => {
			expect(looksLikeMyNumberValue(v)).toBe(true);
		}
	);

	it.each(['12345678901', '1234567890123', '0012345', '', 'abcdefghijkl', '12345678901a', '03-1234-5678'])(
		'value %j does not',
		(v) => {
			expect(looksLikeMyNumberValue(v)).toBe(false);
		}
	);

	it('checks the check digit when asked', () => {
		expect(isValidMyNumberCheckDigit('123456789018')).toBe(true);
		expect(isValidMyNumberCheckDigit('1234 5678 9018')).toBe(true);
		expect(isValidMyNumberCheckDigit('123456789012')).toBe(false);
		expect(isValidMyNumberCheckDigit('12345678901')).toBe(false);
		// remainder ≤ 1 gives check digit 0: find one such number and confirm
		const eleven = '00000000000';
		expect(isValidMyNumberCheckDigit(eleven + '0')).toBe(true);
	});
});
