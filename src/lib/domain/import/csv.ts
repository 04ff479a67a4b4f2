/**
 * A streaming CSV tokenizer for the ward's exports (RFC 4180 as municipal systems write it): fields separated by
 * commas, records by CRLF, LF or CR (mixed in one file too), fields in double quotes may hold commas and line
 * breaks, a quote inside a quoted field is doubled. Text goes in as decoded chunks of any size; whole records
 * come out with the physical line each one starts on (the header is line 1), so a rejected row can be named the
 * way a clerk finds it in an editor.
 *
 * Strict where a wrong guess would shift values between columns: a quote inside an unquoted field, anything but
 * a separator after a closing quote, and a quote that never closes are syntax errors (CsvSyntaxError, with the
 * line the record starts on and a reason in Japanese). Pure: no I/O.
 *
 * Why not a library: csv-parse (the previous reader) reads about 140,000 records/s here and was a quarter of the
 * whole import; this does the same job at 1.5–2 million/s by scanning with indexOf and slicing, and is tested
 * against csv-parse on generated input (csv.test.ts).
 */

export interface CsvRecord {
	/** physical line (1 = the header) where the record starts */
	line: number;
	fields: string[];
}

export type CsvSyntaxCode = 'unclosed_quote' | 'bad_closing_quote' | 'bad_opening_quote' | 'record_too_long';

export class CsvSyntaxError extends Error {
	constructor(
		readonly code: CsvSyntaxCode,
		/** physical line where the faulty record starts */
		readonly line: number,
		/** for a clerk: what is wrong, in Japanese */
		readonly reason: string
	) {
		super(`${code} at line ${line}`);
		this.name = 'CsvSyntaxError';
	}
}

const COMMA = 44;
const LF = 10;
const CR = 13;
const QUOTE = 34;

/** Line breaks in a field's text: CRLF counts once. */
function lineBreaks(s: string): number {
	if (s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return 0;
	let n = 0;
	for (let i = 0; i < s.length; i++) {
		const ch = s.charCodeAt(i);
		if (ch === LF) n++;
		else if (ch === CR) {
			n++;
			if (s.charCodeAt(i + 1) === LF) i++;
		}
	}
	return n;
}

/** Returned by parseRecord when the text ends before the record does (more input may complete it). */
const INCOMPLETE = -1;

export class CsvTokenizer {
	private rest = '';
	private line = 1;
	private started = false;
	private fields: string[] = [];
	private breaks = 0;

	/** A record longer than this (in characters) is refused: an unclosed quote must not swallow a large file. */
	constructor(private readonly maxRecordChars = 1024 * 1024) {}

	/** The line where the next (or the unfinished) record starts. */
	get nextLine(): number {
		return this.line;
	}

	/** Feed the next chunk of text; complete records are appended to `out`. */
	push(chunk: string, out: CsvRecord[]): void {
		let text = this.rest === '' ? chunk : this.rest + chunk;
		if (!this.started && text.length > 0) {
			this.started = true;
			if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM is not part of the first header
		}
		this.rest = '';
		this.scan(text, false, out);
	}

	/** The input is complete: the last record (without a final line break) is emitted; an open quote is an error. */
	end(out: CsvRecord[]): void {
		const text = this.rest;
		this.rest = '';
		this.scan(text, true, out);
	}

	private scan(s: string, final: boolean, out: CsvRecord[]): void {
		let i = 0;
		const n = s.length;
		while (i < n) {
			const next = this.parseRecord(s, i, final);
			if (next === INCOMPLETE) {
				if (n - i > this.maxRecordChars) throw new CsvSyntaxError('record_too_long', this.line, '1行が長すぎます（引用符が閉じていない可能性があります）');
				this.rest = s.slice(i);
				return;
			}
			out.push({ line: this.line, fields: this.fields });
			this.line += 1 + this.breaks;
			i = next;
		}
	}

	/** Parse one record starting at `start`; returns the index after its terminator, or INCOMPLETE. */
	private parseRecord(s: string, start: number, final: boolean): number {
		const n = s.length;
		const fields: string[] = [];
		let breaks = 0;
		let i = start;
		for (;;) {
			// one field starts at i
			if (i < n && s.charCodeAt(i) === QUOTE) {
				let j = i + 1;
				let value = '';
				for (;;) {
					const q = s.indexOf('"', j);
					if (q < 0) {
						if (final) throw new CsvSyntaxError('unclosed_quote', this.line, 'この行で始まる引用符（"）が閉じていません');
						return INCOMPLETE;
					}
					if (q + 1 >= n && !final) return INCOMPLETE; // a doubled quote may be split across chunks
					if (s.charCodeAt(q + 1) === QUOTE) {
						value += s.slice(j, q + 1);
						j = q + 2;
						continue;
					}
					value += s.slice(j, q);
					i = q + 1;
					break;
				}
				breaks += lineBreaks(value);
				fields.push(value);
				const c = i < n ? s.charCodeAt(i) : -1;
				if (c !== COMMA && c !== LF && c !== CR && c !== -1) {
					throw new CsvSyntaxError(
						'bad_closing_quote',
						this.line + breaks,
						`引用符（"）の使い方が正しくありません（閉じた引用符のあとに「${s[i]}」があります。区切りのカンマか改行が必要です）`
					);
				}
			} else {
				let j = i;
				for (; j < n; j++) {
					const c = s.charCodeAt(j);
					if (c === COMMA || c === LF || c === CR) break;
					if (c === QUOTE)
						throw new CsvSyntaxError(
							'bad_opening_quote',
							this.line + breaks,
							'引用符（"）の使い方が正しくありません（引用符で囲まれていない値の途中に引用符があります。値の中の引用符は "" と二重にし、値全体を引用符で囲んでください）'
						);
				}
				fields.push(s.slice(i, j));
				i = j;
			}
			// after a field: a separator, a record terminator, or the end of the text
			if (i >= n) {
				if (!final) return INCOMPLETE;
				break;
			}
			const c = s.charCodeAt(i);
			if (c === COMMA) {
				i++;
				if (i >= n) {
					if (!final) return INCOMPLETE;
					fields.push('');
					break;
				}
				continue;
			}
			if (c === CR) {
				if (i + 1 >= n && !final) return INCOMPLETE; // CRLF may be split across chunks
				i += s.charCodeAt(i + 1) === LF ? 2 : 1;
				break;
			}
			// LF
			i++;
			break;
		}
		this.fields = fields;
		this.breaks = breaks;
		return i;
	}
}

/** Tokenize a whole text at once (tests, small files). */
export function parseCsv(text: string): CsvRecord[] {
	const t = new CsvTokenizer();
	const out: CsvRecord[] = [];
	t.push(text, out);
	t.end(out);
	return out;
}
