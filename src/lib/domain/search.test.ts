import { describe, expect, it } from 'vitest';
import { bigrams, isPartialPhone, likeEscape, parseSearchQuery, phoneSuffixes, prefixUpperBound } from './search.ts';

describe('parseSearchQuery: phone numbers in any format', () => {
	it.each([
		['０３－１２３４－５６７８', '0312345678'],
		['03-1234-5678', '0312345678'],
		['03(1234)5678', '0312345678'],
		['（０３）１２３４ー５６７８', '0312345678'],
		['090 1234 5678', '09012345678'],
		['０９０　１２３４　５６７８', '09012345678'],
		['+81 90-1234-5678', '09012345678'],
		['+81-3-1234-5678', '0312345678'],
		['+81 (0)3 1234 5678', '0312345678'],
		['＋８１９０１２３４５６７８', '09012345678'],
		['5678-1234', '56781234']
	])('%s → phone %s', (raw, digits) => {
		expect(parseSearchQuery(raw)).toEqual({ kind: 'phone', digits });
	});

	it('reads digits alone as a number: NHI number, resident number or phone', () => {
		expect(parseSearchQuery('00012345')).toEqual({ kind: 'number', text: '00012345', digits: '00012345' });
		// full-width digits, leading zeros kept
		expect(parseSearchQuery('０００１２３４５')).toEqual({ kind: 'number', text: '00012345', digits: '00012345' });
		expect(parseSearchQuery(' 09012345678 ')).toEqual({ kind: 'number', text: '09012345678', digits: '09012345678' });
		expect(parseSearchQuery('5678')).toEqual({ kind: 'number', text: '5678', digits: '5678' });
	});

	it('reads a letter prefix with digits as an identifier (exact only)', () => {
		expect(parseSearchQuery('r000000123')).toEqual({ kind: 'number', text: 'R000000123', digits: null });
		expect(parseSearchQuery('Ｒ０００１２３４５')).toEqual({ kind: 'number', text: 'R00012345', digits: null });
	});

	it('refuses fewer than four digits', () => {
		expect(parseSearchQuery('123')).toEqual({ kind: 'too_short' });
		expect(parseSearchQuery('0-3')).toEqual({ kind: 'too_short' });
	});

	it('empty input is empty', () => {
		expect(parseSearchQuery('')).toEqual({ kind: 'empty' });
		expect(parseSearchQuery(' 　 ')).toEqual({ kind: 'empty' });
	});
});

describe('parseSearchQuery: names and kana', () => {
	it.each([
		['ヤマダ', 'ヤマダ'],
		['やまだ', 'ヤマダ'],
		['ﾔﾏﾀﾞ', 'ヤマダ'],
		['ﾔﾏﾀﾞ ﾀﾛｳ', 'ヤマダタロウ'],
		['やまだ　たろう', 'ヤマダタロウ'],
		['ヤマダ タロウ', 'ヤマダタロウ'],
		['ｸﾞｴﾝ', 'グエン'],
		['パク', 'パク'],
		['ﾊﾟｸ', 'パク'],
		['ヴ', 'ヴ'],
		['ｳﾞｪﾄ', 'ヴェト'],
		['すずきー', 'スズキー']
	])('%s → kana %s', (raw, text) => {
		expect(parseSearchQuery(raw)).toEqual({ kind: 'kana', text });
	});

	it.each([
		['山田', '山田'],
		['山田　太郎', '山田太郎'],
		['山田 太郎', '山田太郎'],
		['髙橋', '髙橋'],
		['Nguyen Van An', 'NGUYENVANAN'],
		['ＮＧＵＹＥＮ', 'NGUYEN'],
		['山田タロウ', '山田タロウ'],
		['山だ', '山ダ']
	])('%s → name %s', (raw, text) => {
		expect(parseSearchQuery(raw)).toEqual({ kind: 'name', text });
	});
});

describe('phone helpers', () => {
	it('lists the stored numbers a full number may end with (8 digits and more)', () => {
		expect(phoneSuffixes('0312345678')).toEqual(['312345678', '12345678']);
		expect(phoneSuffixes('09012345678')).toEqual(['9012345678', '012345678', '12345678']);
		expect(phoneSuffixes('12345678')).toEqual([]);
	});
	it('treats 4 to 9 digits as the end of a number', () => {
		expect(isPartialPhone('5678')).toBe(true);
		expect(isPartialPhone('123456789')).toBe(true);
		expect(isPartialPhone('0312345678')).toBe(false);
		expect(isPartialPhone('567')).toBe(false);
	});
});

describe('SQL helpers', () => {
	it('gives the upper bound of a prefix in code-point order', () => {
		expect(prefixUpperBound('ヤマ')).toBe('ヤミ');
		expect(prefixUpperBound('8765')).toBe('8766');
		expect(prefixUpperBound('山')).toBe(String.fromCodePoint('山'.codePointAt(0)! + 1));
		// every string with the prefix sorts below the bound, bytewise as text_pattern_ops compares
		const bound = prefixUpperBound('ヤマダ');
		for (const s of ['ヤマダ', 'ヤマダタロウ', 'ヤマダ\u{10FFFF}']) expect(Buffer.compare(Buffer.from(s), Buffer.from(bound))).toBe(-1);
		// the next kana after ダ (チ) is no longer in range
		expect(Buffer.compare(Buffer.from('ヤマチ'), Buffer.from(bound))).toBeGreaterThanOrEqual(0);
		expect(() => prefixUpperBound('')).toThrow();
	});
	it('escapes LIKE wildcards', () => {
		expect(likeEscape('50%_a\\b')).toBe('50\\%\\_a\\\\b');
	});
	it('cuts a key into distinct bigrams', () => {
		expect(bigrams('ヤマダタロウ')).toEqual(['ヤマ', 'マダ', 'ダタ', 'タロ', 'ロウ']);
		expect(bigrams('ナナナ')).toEqual(['ナナ']);
		expect(bigrams('山')).toEqual([]);
	});
});
