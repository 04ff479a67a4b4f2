/**
 * Writes the synthetic demo data of generate.ts as the ward's nine CSV files (docs: import format), exactly as a
 * real export of the delinquency management system looks, so that demo data reaches the database through the
 * same import path as the ward's own files.
 *
 * Streaming: households are consumed one at a time from any iterable (the generator), each file's lines are
 * collected into ~64 KiB strings, encoded and written with backpressure; memory stays flat for a million
 * households. CRLF line ends, a header row with the ward's Japanese column names, RFC 4180 quoting.
 *
 * With `quirks` (the default) the files vary formats the way real exports do, deterministically from the
 * household index: dates in every written form of the contract (ISO, slashes, compact, Japanese era in kanji,
 * full-width, letter and numeric era code), amounts with thousands separators and 円 or in full-width digits,
 * 期別 as 1 / 01 / １期 / 第1期, half-width kana, addresses with a line break or a comma, header cells with
 * surrounding (full-width) spaces, one header alias (高齢者支援均分調定額, as the contract says the seed does),
 * a shuffled column order in 勤務先.csv and fully quoted files. Without quirks: ISO dates, plain integers,
 * periods as 1…10, kana as generated, the spec's headers in the spec's order.
 *
 * CP932: characters outside CP932 are written the way a ward's system holds them. The JIS/Unicode mapping
 * mismatches (U+2212 −, U+301C 〜, …) become their CP932 forms (－, ～, …); characters CP932 lacks entirely
 * (黃, 吳, 婷 in the generator's name lists) are written as 外字 in the CP932 user area (0xF040…), which decodes
 * to Unicode private-use code points, see `GAIJI`. UTF-8 files keep every character as generated.
 */
import { importFiles } from '../../domain/import/files.ts';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import type { DemoHousehold } from './generate.ts';

export interface CsvWriteOptions {
	/** default cp932 (utf8 writes a BOM) */
	encoding?: 'cp932' | 'utf8';
	/** default true: vary formats the way real exports do, deterministic from the household index */
	quirks?: boolean;
	onProgress?: (households: number) => void;
}

/** The nine files, in import order. */
export const CSV_FILES = ['世帯.csv', '個人.csv', '収納.csv', '口座振替.csv', '納付管理人.csv', '勤務先.csv', '国保料.csv', '資格.csv', '経過記録.csv'] as const;
export type CsvFileName = (typeof CSV_FILES)[number];

/** Column names of each file, in the order of the contract's Files table: the import's own definition. */
export const CSV_COLUMNS = Object.fromEntries(importFiles.map((f) => [f.name, f.columns.map((c) => c.header)])) as unknown as Readonly<
	Record<CsvFileName, readonly string[]>
>;

/** Header aliases the quirky files use (written name → the contract's name); a site configures these. */
export const HEADER_ALIASES: Readonly<Record<string, string>> = { 高齢者支援均分調定額: '高齢者支援金分調定額' };

/**
 * 外字: characters of the generated data that CP932 lacks, and the private-use code point each is written as
 * (CP932 user area: U+E000 = 0xF040, U+E001 = 0xF041, …). Any other such character met while writing gets the
 * next free code point, in order of first appearance.
 */
export const GAIJI: ReadonlyMap<string, string> = new Map([
	['黃', '\uE000'],
	['吳', '\uE001'],
	['婷', '\uE002']
]);

// ─── quirk forms ────────────────────────────────────────────────────────────────────────────────────────

const FW_DIGITS = '０１２３４５６７８９';
const fullWidthDigits = (s: string): string => s.replace(/[0-9]/g, (d) => FW_DIGITS[+d]);
const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));
const thousands = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Full-width katakana → half-width (ﾔﾏﾀﾞ ﾀﾛｳ); voiced and semi-voiced kana become two characters. */
const HALF_KANA: ReadonlyMap<string, string> = (() => {
	const map = new Map<string, string>();
	const full = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲンァィゥェォャュョッー・「」、。';
	const half = 'ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝｧｨｩｪｫｬｭｮｯｰ･｢｣､｡';
	for (let i = 0; i < full.length; i++) map.set(full[i], half[i]);
	const voiced = 'ガギグゲゴザジズゼゾダヂヅデドバビブベボ';
	const voicedBase = 'ｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾊﾋﾌﾍﾎ';
	for (let i = 0; i < voiced.length; i++) map.set(voiced[i], voicedBase[i] + 'ﾞ');
	const semi = 'パピプペポ';
	for (let i = 0; i < semi.length; i++) map.set(semi[i], 'ﾊﾋﾌﾍﾎ'[i] + 'ﾟ');
	map.set('ヴ', 'ｳﾞ');
	map.set('ヷ', 'ﾜﾞ');
	map.set('ヺ', 'ｦﾞ');
	map.set('\u3000', ' ');
	return map;
})();
export function toHalfWidthKana(s: string): string {
	let out = '';
	for (const ch of s) out += HALF_KANA.get(ch) ?? ch;
	return out;
}

/** Japanese eras, newest first: first day, kanji, one-kanji, letter, numeric code. */
const ERAS: readonly { from: string; name: string; short: string; letter: string; code: number; year0: number }[] = [
	{ from: '2019-05-01', name: '令和', short: '令', letter: 'R', code: 5, year0: 2018 },
	{ from: '1989-01-08', name: '平成', short: '平', letter: 'H', code: 4, year0: 1988 },
	{ from: '1926-12-25', name: '昭和', short: '昭', letter: 'S', code: 3, year0: 1925 },
	{ from: '1912-07-30', name: '大正', short: '大', letter: 'T', code: 2, year0: 1911 },
	{ from: '1873-01-01', name: '明治', short: '明', letter: 'M', code: 1, year0: 1867 }
];

export type DateForm = 'iso' | 'slash' | 'compact' | 'kanji' | 'kanjiFw' | 'letter' | 'letterPad' | 'short' | 'code';
/** The forms of the contract, in the order the quirks cycle through them. */
const DATE_FORMS: readonly DateForm[] = ['iso', 'slash', 'compact', 'kanji', 'kanjiFw', 'letter', 'letterPad', 'short', 'code'];

/** An ISO date written in one of the contract's forms. */
export function formatDate(iso: string, form: DateForm): string {
	if (form === 'iso') return iso;
	const y = +iso.slice(0, 4);
	const m = +iso.slice(5, 7);
	const d = +iso.slice(8, 10);
	if (form === 'slash') return `${y}/${m}/${d}`;
	if (form === 'compact') return iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10);
	const era = ERAS.find((e) => iso >= e.from);
	if (!era) return iso; // before the eras in use: keep the western form
	const ey = y - era.year0;
	switch (form) {
		case 'kanji':
			return `${era.name}${ey === 1 ? '元' : ey}年${m}月${d}日`;
		case 'kanjiFw':
			return fullWidthDigits(`${era.name}${ey === 1 ? '元' : ey}年${m}月${d}日`);
		case 'letter':
			return `${era.letter}${ey}.${m}.${d}`;
		case 'letterPad':
			return `${era.letter}${pad2(ey)}.${pad2(m)}.${pad2(d)}`;
		case 'short':
			return `${era.short}${ey}.${m}.${d}`;
		case 'code':
			return `${era.code}${pad2(ey)}${pad2(m)}${pad2(d)}`;
	}
}

export type AmountForm = 'plain' | 'yen' | 'fullWidth' | 'comma';
export function formatAmount(n: number, form: AmountForm): string {
	switch (form) {
		case 'plain':
			return String(n);
		case 'yen':
			return thousands(n) + '円';
		case 'fullWidth':
			return fullWidthDigits(String(n));
		case 'comma':
			return thousands(n);
	}
}

const PERIOD_FORMS = [(p: number) => String(p), (p: number) => pad2(p), (p: number) => fullWidthDigits(String(p)) + '期', (p: number) => `第${p}期`];

/** How one household's rows in one file are written. */
interface Style {
	date: DateForm;
	amount: AmountForm;
	/** years and counts */
	int: (n: number) => string;
}
const PLAIN: Style = { date: 'iso', amount: 'plain', int: String };
const AMOUNT_FORMS: readonly AmountForm[] = ['plain', 'plain', 'plain', 'plain', 'yen', 'fullWidth', 'comma'];

/** Style of household `i` in file `f` (0…8): dates cycle mod 13 (9 forms + ISO again), amounts mod 7. */
function styleOf(i: number, f: number): Style {
	const k = (i * 5 + f * 3) % 13;
	const date = k < DATE_FORMS.length ? DATE_FORMS[k] : 'iso';
	const amount = AMOUNT_FORMS[(i + f * 2) % 7];
	return { date, amount, int: amount === 'fullWidth' ? (n) => fullWidthDigits(String(n)) : String };
}

// ─── CSV text ───────────────────────────────────────────────────────────────────────────────────────────

const NEEDS_QUOTES = /[",\r\n]/;
const QUOTE = /"/g;
function field(s: string, quoteAll: boolean): string {
	if (quoteAll || NEEDS_QUOTES.test(s)) return '"' + s.replace(QUOTE, '""') + '"';
	return s;
}

// ─── encoding ───────────────────────────────────────────────────────────────────────────────────────────

/** Unicode characters of the JIS mapping that CP932 writes as a different character (what Windows does). */
const CP932_FORMS: ReadonlyMap<number, string> = new Map([
	[0x2212, '－'], // MINUS SIGN → FULLWIDTH HYPHEN-MINUS
	[0x301c, '～'], // WAVE DASH → FULLWIDTH TILDE
	[0x2016, '∥'], // DOUBLE VERTICAL LINE → PARALLEL TO
	[0x2014, '―'], // EM DASH → HORIZONTAL BAR
	[0x00a2, '￠'],
	[0x00a3, '￡'],
	[0x00ac, '￢'],
	[0x00a6, '￤'],
	[0x00a5, '￥'], // YEN SIGN: iconv-lite would write 0x5C, which reads back as a backslash
	[0x203e, '￣'] // OVERLINE: likewise 0x7E, a tilde
]);
/** CP932 user area: 0xF040…0xF9FC ↔ U+E000…U+E757, 188 codes per lead byte. */
const PUA_FIRST = 0xe000;
const PUA_LAST = 0xe757;
function userAreaBytes(cp: number): Buffer {
	const k = cp - PUA_FIRST;
	const t = k % 188;
	return Buffer.from([0xf0 + Math.floor(k / 188), t < 63 ? 0x40 + t : 0x80 + (t - 63)]);
}

type Encoder = (text: string) => Buffer;

function utf8Encoder(): Encoder {
	return (text) => Buffer.from(text, 'utf8');
}

const QUESTION = 0x3f;
function countChar(text: string, ch: string): number {
	let n = 0;
	for (let i = text.indexOf(ch); i !== -1; i = text.indexOf(ch, i + 1)) n++;
	return n;
}
function countByte(buf: Buffer, byte: number): number {
	let n = 0;
	for (let i = buf.indexOf(byte); i !== -1; i = buf.indexOf(byte, i + 1)) n++;
	return n;
}
/** The only characters iconv-lite writes as another character rather than '?' (JIS-Roman ¥ and ‾). */
const BEST_FIT = /[\u00a5\u203e]/;

/**
 * CP932 through iconv-lite. iconv-lite writes every character it cannot encode as '?' (0x3F, never a trail
 * byte in CP932), so a chunk with as many 0x3F bytes as '?' characters is exact; any other chunk goes the
 * slow way, character by character (CP932 forms, 外字 in the user area).
 */
function cp932Encoder(): Encoder {
	// per UTF-16 code unit: 0 not looked at yet, 1 CP932 writes it as is, 2 it does not
	const state = new Uint8Array(0x10000);
	const gaiji = new Map(GAIJI);
	let nextGaiji = PUA_FIRST + GAIJI.size;
	const exact = (c: number): boolean => {
		if (state[c] === 0) {
			const ch = String.fromCharCode(c);
			const ok = !(c >= 0xd800 && c <= 0xdfff) && !(c >= PUA_FIRST && c <= 0xf8ff) && iconv.decode(iconv.encode(ch, 'cp932'), 'cp932') === ch;
			state[c] = ok ? 1 : 2;
		}
		return state[c] === 1;
	};
	return (text) => {
		const fast = iconv.encode(text, 'cp932');
		if (!BEST_FIT.test(text) && countByte(fast, QUESTION) === countChar(text, '?')) return fast;
		const parts: Buffer[] = [];
		let plain = '';
		for (const ch of text) {
			const cp = ch.codePointAt(0)!;
			if (cp < 0x10000 && exact(cp)) {
				plain += ch;
				continue;
			}
			const form = CP932_FORMS.get(cp);
			if (form !== undefined) {
				plain += form;
				continue;
			}
			let pua = cp >= PUA_FIRST && cp <= PUA_LAST ? cp : gaiji.get(ch)?.codePointAt(0);
			if (pua === undefined) {
				if (nextGaiji > PUA_LAST) throw new Error(`CP932 user area full: cannot write ${ch} (U+${cp.toString(16).toUpperCase()})`);
				pua = nextGaiji++;
				gaiji.set(ch, String.fromCodePoint(pua));
			}
			if (plain) parts.push(iconv.encode(plain, 'cp932'));
			plain = '';
			parts.push(userAreaBytes(pua));
		}
		if (plain) parts.push(iconv.encode(plain, 'cp932'));
		return Buffer.concat(parts);
	};
}

// ─── files ──────────────────────────────────────────────────────────────────────────────────────────────

/** Characters collected before a chunk is encoded and written. */
const CHUNK = 64 * 1024;

class CsvSink {
	rows = 0;
	bytes = 0;
	private text = '';
	private error: Error | null = null;
	readonly stream: WriteStream;

	constructor(
		path: string,
		private readonly encode: Encoder,
		/** permutation: output column j is input cell order[j] */
		private readonly order: readonly number[] | null,
		private readonly quoteAll: boolean
	) {
		this.stream = createWriteStream(path, { highWaterMark: 256 * 1024 });
		this.stream.on('error', (e) => (this.error ??= e));
	}

	raw(s: string): void {
		this.text += s;
	}

	line(cells: readonly string[]): void {
		const order = this.order;
		let s = '';
		for (let j = 0; j < cells.length; j++) s += (j === 0 ? '' : ',') + field(order ? cells[order[j]] : cells[j], this.quoteAll);
		this.text += s + '\r\n';
	}

	row(cells: readonly string[]): void {
		this.line(cells);
		this.rows++;
	}

	get pending(): number {
		return this.text.length;
	}

	async flush(): Promise<void> {
		if (this.error) throw this.error;
		if (this.text.length === 0) return;
		const buf = this.encode(this.text);
		this.text = '';
		this.bytes += buf.length;
		if (!this.stream.write(buf)) {
			if (this.error) throw this.error;
			await once(this.stream, 'drain');
		}
	}

	async close(): Promise<void> {
		await this.flush();
		this.stream.end();
		await finished(this.stream);
		if (this.error) throw this.error;
	}
}

/** Header cells as written: with quirks, one cell per file spelled the way real exports do. */
function headerOf(file: CsvFileName, quirks: boolean): string[] {
	const cols = [...CSV_COLUMNS[file]];
	if (!quirks) return cols;
	const set = (name: string, written: string) => (cols[cols.indexOf(name)] = written);
	switch (file) {
		case '世帯.csv':
			set('住所', ' 住所 ');
			break;
		case '個人.csv':
			set('氏名', '氏名\u3000');
			break;
		case '収納.csv':
			set('高齢者支援金分調定額', '高齢者支援均分調定額');
			break;
		case '口座振替.csv':
			set('口座名義人', '\u3000口座名義人');
			break;
		case '国保料.csv':
			set('年間保険料額', '年間保険料額 ');
			break;
		case '経過記録.csv':
			set('内容', ' 内容');
			break;
	}
	return cols;
}

/** 勤務先.csv with quirks: the columns in another order (the contract leaves the order free). */
const EMPLOYER_ORDER = [1, 0, 4, 3, 2];
/** Files written with every field quoted, with quirks. */
const QUOTE_ALL: ReadonlySet<CsvFileName> = new Set(['国保料.csv', '資格.csv']);

/**
 * Write 世帯.csv, 個人.csv, 収納.csv, 口座振替.csv, 納付管理人.csv, 勤務先.csv, 国保料.csv, 資格.csv,
 * 経過記録.csv into `dir` (created if missing), streaming, CRLF line ends, a header row with the contract's
 * Japanese column names, RFC 4180 quoting. Returns per-file row counts (without the header) and byte sizes.
 */
export async function writeDemoCsv(
	dir: string,
	households: Iterable<DemoHousehold>,
	opts: CsvWriteOptions = {}
): Promise<Record<string, { rows: number; bytes: number }>> {
	const encoding = opts.encoding ?? 'cp932';
	const quirks = opts.quirks ?? true;
	await mkdir(dir, { recursive: true });
	const encode = encoding === 'cp932' ? cp932Encoder() : utf8Encoder();

	const sinks = {} as Record<CsvFileName, CsvSink>;
	try {
		for (const file of CSV_FILES) {
			const order = quirks && file === '勤務先.csv' ? EMPLOYER_ORDER : null;
			const sink = new CsvSink(join(dir, file), encode, order, quirks && QUOTE_ALL.has(file));
			sinks[file] = sink;
			if (encoding === 'utf8') sink.raw('\uFEFF');
			sink.line(headerOf(file, quirks));
		}
		const all = Object.values(sinks);

		let done = 0;
		for (const h of households) {
			writeHousehold(sinks, h, quirks);
			done++;
			for (const s of all) if (s.pending >= CHUNK) await s.flush();
			if (done % 1000 === 0) opts.onProgress?.(done);
		}
		for (const s of all) await s.close();
		if (done % 1000 !== 0) opts.onProgress?.(done);
	} catch (e) {
		for (const s of Object.values(sinks)) s.stream.destroy();
		throw e;
	}

	const out: Record<string, { rows: number; bytes: number }> = {};
	for (const file of CSV_FILES) out[file] = { rows: sinks[file].rows, bytes: sinks[file].bytes };
	return out;
}

// ─── rows ───────────────────────────────────────────────────────────────────────────────────────────────

function writeHousehold(s: Record<CsvFileName, CsvSink>, h: DemoHousehold, quirks: boolean): void {
	const i = h.index;
	const x = h.household;
	const nhi = x.nhiNumber;
	const st = (f: number): Style => (quirks ? styleOf(i, f) : PLAIN);
	const str = (v: string | null | undefined): string => v ?? '';
	const date = (v: string | null, style: Style): string => (v === null ? '' : formatDate(v, style.date));
	const amount = (v: number | null, style: Style): string => (v === null ? '' : formatAmount(v, style.amount));
	/** line breaks inside a text as Windows writes them */
	const text = (v: string): string => (quirks ? v.replace(/\r?\n/g, '\r\n') : v);
	const residentOf = (key: number | null): string => (key === null ? '' : h.persons[key].residentNumber);

	// 住所 of a person, with the 方書 after a full-width space (as generated), on a second line, or after a comma
	const extraSep = !quirks || !x.addressExtra ? null : i % 7 === 3 ? '\r\n' : i % 11 === 5 ? ',' : null;
	const personAddress = (a: string): string => {
		if (extraSep === null || !x.addressExtra) return a;
		const withExtra = `${x.address}\u3000${x.addressExtra}`;
		return a === withExtra ? x.address + extraSep + x.addressExtra : a;
	};

	// 世帯.csv: one row per fiscal year
	{
		const y0 = st(0);
		for (const y of h.years) {
			s['世帯.csv'].row([
				nhi, y0.int(y.fiscalYear), x.headResidentNumber, x.postalCode, x.address, str(x.addressExtra), str(x.phoneRaw), date(y.reassessedOn, y0),
				str(y.reductionClass), y.cardClass, date(y.cardIssuedOn, y0), date(y.cardExpiresOn, y0), y0.int(y.insuredCount), amount(y.totalIncome, y0)
			]);
		}
	}

	// 個人.csv: one row per person, with the household's latest year
	{
		const y1 = st(1);
		const latest = h.years.length > 0 ? h.years[h.years.length - 1].fiscalYear : h.persons[0]?.fiscalYear;
		const halfKana = quirks && i % 3 === 2;
		for (const p of h.persons) {
			s['個人.csv'].row([
				p.residentNumber, nhi, latest === undefined ? '' : y1.int(latest), p.name, halfKana ? toHalfWidthKana(p.nameKana) : p.nameKana, p.postalCode,
				personAddress(p.address), str(p.phoneRaw), p.sex, p.relationship, date(p.birthDate, y1), date(p.residentSince, y1), p.residentSinceReason,
				date(p.residentUntil, y1), str(p.residentUntilReason), date(p.deathDate, y1), p.nationality
			]);
		}
	}

	// 収納.csv: one row per year and period
	{
		const y2 = st(2);
		const period = quirks ? PERIOD_FORMS[i % 5 === 4 ? 0 : i % 5] : PERIOD_FORMS[0];
		for (const r of h.receipts) {
			s['収納.csv'].row([
				nhi, y2.int(r.fiscalYear), y2.int(r.equivalentYear), period(r.period), amount(r.assessed, y2), amount(r.assessedCare, y2),
				amount(r.assessedElderly, y2), date(r.dueDate, y2), amount(r.receivedTotal, y2), amount(r.receivedCare, y2), amount(r.receivedElderly, y2),
				date(r.paidOn, y2), date(r.receivedOn, y2), str(r.receivingInstitution), date(r.lastPaidOn, y2), date(r.lastReceivedOn, y2)
			]);
		}
	}

	// 口座振替.csv
	if (h.bankTransfer) {
		const y3 = st(3);
		const b = h.bankTransfer;
		s['口座振替.csv'].row([nhi, b.enabled ? '有' : '無', date(b.startsOn, y3), date(b.endsOn, y3), b.bankCode, b.branchCode, b.accountHolder]);
	}

	// 納付管理人.csv
	for (const m of h.paymentManagers) s['納付管理人.csv'].row([nhi, m.kind, m.name, personAddress(m.address)]);

	// 勤務先.csv, keyed by 住民番号
	for (const e of h.employers) s['勤務先.csv'].row([residentOf(e.personKey), e.name, e.address, str(e.phoneRaw), e.businessType]);

	// 国保料.csv
	{
		const y6 = st(6);
		for (const p of h.premiums) {
			s['国保料.csv'].row([
				nhi, y6.int(p.fiscalYear), p.premiumType, amount(p.incomeBase, y6), amount(p.incomeLevy, y6), amount(p.perCapita, y6),
				amount(p.perCapitaReduction, y6), amount(p.overCap, y6), amount(p.exemption, y6), amount(p.annualPremium, y6),
				amount(p.previousAnnualPremium, y6)
			]);
		}
	}

	// 資格.csv, keyed by 住民番号 and 資格種別
	{
		const y7 = st(7);
		for (const e of h.eligibility) {
			s['資格.csv'].row([
				residentOf(e.personKey), e.kind, date(e.acquiredOn, y7), date(e.acquiredFiledOn, y7), e.acquiredReason, date(e.lostOn, y7),
				date(e.lostFiledOn, y7), str(e.lostReason)
			]);
		}
	}

	// 経過記録.csv: 記録日時 in Tokyo time to the minute
	{
		const form = !quirks ? 'slash' : (['slash', 'slash', 'iso', 'kanji', 'letterPad'] as const)[i % 5];
		for (const c of h.caseHistory) {
			const day = c.recordedAt.slice(0, 10);
			const time = c.recordedAt.slice(11, 16);
			const when = form === 'slash' ? `${day.replace(/-/g, '/')} ${time}` : `${formatDate(day, form)} ${time}`;
			s['経過記録.csv'].row([nhi, residentOf(c.personKey), when, c.kind, str(c.place), str(c.counterpart), text(c.content)]);
		}
	}
}
