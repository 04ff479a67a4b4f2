import { describe, it, expect } from 'vitest';
import iconv from 'iconv-lite';
import { detectEncoding, hasUtf8Bom, SAMPLE_BYTES } from './encoding.ts';
import { hasGaiji } from './normalize.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);
const cp932 = (s: string) => new Uint8Array(iconv.encode(s, 'cp932'));
const bytes = (...b: number[]) => new Uint8Array(b);
const concat = (...parts: Uint8Array[]) => {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let o = 0;
	for (const p of parts) (out.set(p, o), (o += p.length));
	return out;
};
const BOM = bytes(0xef, 0xbb, 0xbf);

const HEADER = '国保記号番号,賦課年度,世帯主住民番号,郵便番号,住所,方書,電話番号\r\n';
const ROW = '0012345,2026,000123,100-0001,"東京都千代田区千代田1-1\r\n髙﨑ビル①",㈱ｱｲｳ,03-1234-5678\r\n';

describe('hasUtf8Bom', () => {
	it('finds EF BB BF at the start only', () => {
		expect(hasUtf8Bom(concat(BOM, utf8('a')))).toBe(true);
		expect(hasUtf8Bom(BOM)).toBe(true);
		expect(hasUtf8Bom(bytes(0xef, 0xbb))).toBe(false);
		expect(hasUtf8Bom(concat(utf8('a'), BOM))).toBe(false);
		expect(hasUtf8Bom(new Uint8Array())).toBe(false);
		expect(hasUtf8Bom(bytes(0xff, 0xfe))).toBe(false);
	});
});

describe('detectEncoding', () => {
	it('CP932 test fixtures encode the extension characters as expected', () => {
		expect([...cp932('①')]).toEqual([0x87, 0x40]); // NEC special
		expect([...cp932('㈱')]).toEqual([0x87, 0x8a]); // NEC special
		expect([...cp932('髙')]).toEqual([0xfb, 0xfc]); // IBM extension
		expect([...cp932('﨑')]).toEqual([0xfa, 0xb1]); // IBM extension
		expect([...cp932('ｱｲｳ')]).toEqual([0xb1, 0xb2, 0xb3]); // half-width kana, one byte each
	});

	it.each(['①', '㈱', '髙', '﨑', 'ｱｲｳ', '①㈱髙﨑ｱｲｳ', '山田太郎', 'ﾔﾏﾀﾞ ﾀﾛｳ', HEADER, HEADER + ROW])(
		'CP932 %j → cp932',
		(s) => {
			expect(detectEncoding(cp932(s))).toBe('cp932');
		}
	);

	it.each(['①', '㈱', '髙', '﨑', 'ｱｲｳ', '①㈱髙﨑ｱｲｳ', '山田太郎', HEADER, HEADER + ROW, '🏠 emoji'])(
		'UTF-8 %j → utf8',
		(s) => {
			expect(detectEncoding(utf8(s))).toBe('utf8');
			expect(detectEncoding(concat(BOM, utf8(s)))).toBe('utf8');
		}
	);

	it('pure ASCII and empty samples are utf8', () => {
		expect(detectEncoding(utf8('id,year\r\n0012345,2026\r\n'))).toBe('utf8');
		expect(detectEncoding(new Uint8Array())).toBe('utf8');
	});

	it('a BOM decides even when the rest is not UTF-8', () => {
		expect(detectEncoding(concat(BOM, cp932(HEADER)))).toBe('utf8');
		expect(detectEncoding(BOM)).toBe('utf8');
	});

	it('a UTF-8 sample cut in the middle of a multi-byte character is still utf8', () => {
		const full = utf8(HEADER + '山田'); // 田 = E7 94 B0
		expect(detectEncoding(full.subarray(0, full.length - 1))).toBe('utf8');
		expect(detectEncoding(full.subarray(0, full.length - 2))).toBe('utf8');
		const emoji = utf8('氏名🏠'); // F0 9F 8F A0
		for (let cut = 1; cut <= 3; cut++) expect(detectEncoding(emoji.subarray(0, emoji.length - cut))).toBe('utf8');
		expect(detectEncoding(bytes(0xe3))).toBe('utf8');
	});

	it('a cut is only forgiven at the very end of the sample', () => {
		const full = utf8('山田');
		const broken = concat(full.subarray(0, 2), utf8('a'), full.subarray(3)); // E5 B1 'a' …
		expect(detectEncoding(broken)).toBe('cp932');
		// an impossible continuation right at the end is not a cut
		expect(detectEncoding(concat(utf8('山'), bytes(0xe3, 0x41)))).toBe('cp932');
		expect(detectEncoding(concat(utf8('山'), bytes(0xe0, 0x80)))).toBe('cp932'); // overlong prefix
	});

	it('the first 64 KiB decide', () => {
		expect(SAMPLE_BYTES).toBe(65536);
		const ascii = new Uint8Array(SAMPLE_BYTES).fill(0x41);
		// CP932 only after 64 KiB of ASCII: not looked at
		expect(detectEncoding(concat(ascii, cp932('髙﨑')))).toBe('utf8');
		// a UTF-8 character straddling the 64 KiB boundary counts as a cut
		const straddle = concat(new Uint8Array(SAMPLE_BYTES - 1).fill(0x41), utf8('山'));
		expect(detectEncoding(straddle)).toBe('utf8');
		// CP932 inside the first 64 KiB
		expect(detectEncoding(concat(cp932(HEADER), ascii))).toBe('cp932');
	});

	it.each([
		['lone continuation byte', [0x41, 0x80, 0x41]],
		['overlong 2-byte (C0 AF)', [0xc0, 0xaf, 0x41]],
		['overlong 2-byte (C1 BF)', [0xc1, 0xbf, 0x41]],
		['overlong 3-byte (E0 80 AF)', [0xe0, 0x80, 0xaf, 0x41]],
		['surrogate (ED A0 80)', [0xed, 0xa0, 0x80, 0x41]],
		['above U+10FFFF (F4 90 80 80)', [0xf4, 0x90, 0x80, 0x80, 0x41]],
		['F5 lead', [0xf5, 0x80, 0x80, 0x80, 0x41]],
		['FF byte', [0x41, 0xff, 0x41]],
		['lead followed by ASCII', [0xe3, 0x81, 0x41, 0x41]]
	])('invalid UTF-8 (%s) → cp932', (_name, b) => {
		expect(detectEncoding(bytes(...b))).toBe('cp932');
	});

	it.each([
		['U+0080 (C2 80)', [0xc2, 0x80]],
		['U+FFFF (EF BF BF)', [0xef, 0xbf, 0xbf]],
		['U+D7FF (ED 9F BF)', [0xed, 0x9f, 0xbf]],
		['U+10FFFF (F4 8F BF BF)', [0xf4, 0x8f, 0xbf, 0xbf]],
		['U+10000 (F0 90 80 80)', [0xf0, 0x90, 0x80, 0x80]]
	])('valid UTF-8 boundary %s → utf8', (_name, b) => {
		expect(detectEncoding(concat(bytes(...b), utf8('a')))).toBe('utf8');
	});

	it('UTF-8 text containing private-use characters (外字) is still utf8', () => {
		expect(detectEncoding(utf8('山\uE000'))).toBe('utf8');
	});
});

describe('外字 from the CP932 user area', () => {
	it('decodes to private-use code points with the WHATWG Shift_JIS decoder, and hasGaiji flags it', () => {
		const sample = concat(cp932('山'), bytes(0xf0, 0x40), cp932('田'), bytes(0xf9, 0xfc));
		expect(detectEncoding(sample)).toBe('cp932');
		const text = new TextDecoder('shift_jis').decode(sample);
		expect(text).toBe('山\uE000田\uE757');
		expect(hasGaiji(text)).toBe(true);
		expect(hasGaiji(new TextDecoder('shift_jis').decode(cp932('髙﨑①㈱ｱｲｳ')))).toBe(false);
	});

	it('iconv-lite maps only part of the user area (a caller should prefer TextDecoder)', () => {
		expect(iconv.decode(Buffer.from([0xf0, 0x40]), 'cp932')).toBe('\uE000');
		expect(iconv.decode(Buffer.from([0xf9, 0xfc]), 'cp932')).not.toBe('\uE757');
	});
});
