import { describe, expect, it } from 'vitest';
import { parse as csvParse } from 'csv-parse/sync';
import { CsvSyntaxError, CsvTokenizer, parseCsv, type CsvRecord } from './csv.ts';

const rows = (text: string) => parseCsv(text).map((r) => r.fields);
const lines = (text: string) => parseCsv(text).map((r) => r.line);

/** Feed the text in pieces cut at the given offsets. */
function chunked(text: string, cuts: number[]): CsvRecord[] {
	const t = new CsvTokenizer();
	const out: CsvRecord[] = [];
	let prev = 0;
	for (const c of [...cuts, text.length]) {
		t.push(text.slice(prev, c), out);
		prev = c;
	}
	t.end(out);
	return out;
}

function syntaxError(text: string): CsvSyntaxError {
	try {
		parseCsv(text);
	} catch (e) {
		if (e instanceof CsvSyntaxError) return e;
		throw e;
	}
	throw new Error('no error');
}

describe('CsvTokenizer', () => {
	it('splits fields and records with CRLF, LF and CR, mixed', () => {
		expect(rows('a,b\r\nc,d\ne,f\rg,h')).toEqual([
			['a', 'b'],
			['c', 'd'],
			['e', 'f'],
			['g', 'h']
		]);
	});

	it('reads quoted fields with commas, doubled quotes and line breaks, and counts physical lines', () => {
		const text = 'h1,h2\r\n"東京都新宿区\r\n歌舞伎町","say ""hi"", ok"\r\nx,"1,234円"\r\n"a\nb\nc",d\r\nlast,row';
		expect(rows(text)).toEqual([
			['h1', 'h2'],
			['東京都新宿区\r\n歌舞伎町', 'say "hi", ok'],
			['x', '1,234円'],
			['a\nb\nc', 'd'],
			['last', 'row']
		]);
		expect(lines(text)).toEqual([1, 2, 4, 5, 8]);
	});

	it('keeps empty fields, a trailing comma, blank lines and an empty quoted field', () => {
		expect(rows('a,,c\r\n,\r\n\r\n"",x,\r\n')).toEqual([['a', '', 'c'], ['', ''], [''], ['', 'x', '']]);
		expect(lines('a\r\n\r\nb\r\n')).toEqual([1, 2, 3]);
	});

	it('drops a BOM and emits no record after the final line break', () => {
		expect(rows('\uFEFF国保記号番号,期別\r\n1,2\r\n')).toEqual([
			['国保記号番号', '期別'],
			['1', '2']
		]);
		expect(rows('')).toEqual([]);
	});

	it('gives the same records whatever the chunk boundaries (CRLF, doubled quotes, BOM split)', () => {
		const text = '\uFEFFa,"b ""q"" \r\nc"\r\n1,2\r\n"x",""\r\n';
		const whole = parseCsv(text);
		for (let i = 0; i <= text.length; i++) {
			for (const j of [i, Math.min(text.length, i + 1), Math.min(text.length, i + 3)]) {
				expect(chunked(text, i === j ? [i] : [i, j])).toEqual(whole);
			}
		}
		expect(whole.map((r) => r.line)).toEqual([1, 3, 4]);
	});

	it('refuses a quote that never closes, with the line the record starts on', () => {
		const e = syntaxError('a,b\r\n1,2\r\n3,"open\r\n4,5\r\n');
		expect(e.code).toBe('unclosed_quote');
		expect(e.line).toBe(3);
		expect(e.reason).toContain('閉じていません');
	});

	it('refuses text after a closing quote and a quote inside an unquoted field', () => {
		const a = syntaxError('a,b\r\n1,"2"x\r\n');
		expect(a.code).toBe('bad_closing_quote');
		expect(a.line).toBe(2);
		expect(a.reason).toContain('「x」');
		const b = syntaxError('a,b\r\n\r\n1,2"3\r\n');
		expect(b.code).toBe('bad_opening_quote');
		expect(b.line).toBe(3);
		// a space before an opening quote makes the quote part of an unquoted field
		expect(syntaxError('a, "b"\r\n').code).toBe('bad_opening_quote');
	});

	it('refuses a record longer than the limit instead of buffering the rest of the file', () => {
		const t = new CsvTokenizer(100);
		const out: CsvRecord[] = [];
		t.push('a,b\r\n"', out);
		expect(() => t.push('x'.repeat(200), out)).toThrow(CsvSyntaxError);
		expect(out).toEqual([{ line: 1, fields: ['a', 'b'] }]);
	});

	it('agrees with csv-parse on generated nasty input, in any chunking', () => {
		// a deterministic generator of fields with commas, quotes, CR/LF, kana and empty values
		let seed = 42;
		const rnd = (n: number) => {
			seed = (seed * 1103515245 + 12345) & 0x7fffffff;
			return seed % n;
		};
		const pieces = ['a', '12,345円', '東京都', 'ﾔﾏﾀﾞ', ' ', '', '"', '\r\n', '\n', 'R08.06.30', '\uE000'];
		for (let round = 0; round < 200; round++) {
			const recs: string[] = [];
			const nrec = 1 + rnd(6);
			for (let r = 0; r < nrec; r++) {
				const fields: string[] = [];
				const nf = 1 + rnd(5);
				for (let f = 0; f < nf; f++) {
					let v = '';
					for (let k = rnd(4); k > 0; k--) v += pieces[rnd(pieces.length)];
					fields.push(/[",\r\n]/.test(v) || rnd(4) === 0 ? `"${v.replace(/"/g, '""')}"` : v);
				}
				recs.push(fields.join(','));
			}
			const eol = ['\r\n', '\n', '\r'][rnd(3)];
			const text = recs.join(eol) + (rnd(2) ? eol : '');
			const expected = csvParse(text, { relax_column_count: true, record_delimiter: ['\r\n', '\n', '\r'], skip_empty_lines: false }) as string[][];
			expect(rows(text)).toEqual(expected);
			const cut = rnd(text.length + 1);
			expect(chunked(text, [cut, Math.min(text.length, cut + rnd(5))]).map((r) => r.fields)).toEqual(expected);
		}
	});
});
