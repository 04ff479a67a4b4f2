/**
 * Field normalization for the ward's CSV exports (see shared/spec/import-format.md).
 *
 * Pure functions: no I/O, nothing Node-only. Every parser takes the raw cell text and returns either a value
 * or a short reason in Japanese that a clerk can act on, quoting the bad value. A blank cell (only ASCII or
 * full-width spaces) means "unknown" and parses to `null` everywhere.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T = never>(reason: string): Parsed<T> => ({ ok: false, reason });

// ---------------------------------------------------------------------------------------------------------
// Small text helpers
// ---------------------------------------------------------------------------------------------------------

/** ASCII whitespace, NBSP, full-width space (U+3000) and a BOM at either end. */
const EDGE_SPACES = /^[\t\n\v\f\r \u00A0\u3000\uFEFF]+|[\t\n\v\f\r \u00A0\u3000\uFEFF]+$/g;

const ASCII_ONLY = /^[\x00-\x7f]*$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PLAIN_DIGITS = /^\d{1,15}$/;

function isEdgeSpace(c: number): boolean {
	return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x3000 || c === 0xfeff;
}

function trimSpaces(raw: string): string {
	// the common case (nothing to trim) without a regular expression: this runs on every cell of a large import
	const n = raw.length;
	if (n === 0 || (!isEdgeSpace(raw.charCodeAt(0)) && !isEdgeSpace(raw.charCodeAt(n - 1)))) return raw;
	return raw.replace(EDGE_SPACES, '');
}

/**
 * Full-width ASCII (U+FF01–U+FF5E) → ASCII, U+3000 → space, ￥ → ¥, and the dash look-alikes people and
 * IMEs produce (‐ ‑ ‒ – − －) → '-'. Unlike NFKC this leaves ①, ㈱ and kana alone, so '①' is never read as 1.
 */
function foldWidth(s: string): string {
	if (ASCII_ONLY.test(s)) return s; // the common case, and the hot path of a million-row import
	return s.replace(/[\uFF01-\uFF5E\u3000\uFFE5\u2010-\u2013\u2212]/g, (c) => {
		const cp = c.charCodeAt(0);
		if (cp === 0x3000) return ' ';
		if (cp === 0xffe5) return '¥';
		if (cp >= 0x2010 && cp <= 0x2013) return '-';
		if (cp === 0x2212) return '-';
		return String.fromCharCode(cp - 0xfee0);
	});
}

/** Quote a value for a message: 「…」 (long values shortened so the message stays short). */
function q(raw: string): string {
	const t = trimSpaces(raw);
	const shown = [...t].length > 40 ? [...t].slice(0, 40).join('') + '…' : t;
	return `「${shown}」`;
}

// ---------------------------------------------------------------------------------------------------------
// Japanese eras
// ---------------------------------------------------------------------------------------------------------

interface Era {
	name: string;
	letter: string;
	code: number;
	/** first day, ISO */
	start: string;
	/** last day, ISO, or null for the current era */
	end: string | null;
}

/**
 * Era start dates as the law sets them. 明治 is taken to begin on 1868-10-23 (the day of the change of era;
 * it was applied retroactively from 1868-01-25, and dates before 1873 were lunisolar anyway — irrelevant for
 * NHI data). Year 1 of an era is the Gregorian year of its start.
 */
const ERAS: readonly Era[] = [
	{ name: '明治', letter: 'M', code: 1, start: '1868-10-23', end: '1912-07-29' },
	{ name: '大正', letter: 'T', code: 2, start: '1912-07-30', end: '1926-12-24' },
	{ name: '昭和', letter: 'S', code: 3, start: '1926-12-25', end: '1989-01-07' },
	{ name: '平成', letter: 'H', code: 4, start: '1989-01-08', end: '2019-04-30' },
	{ name: '令和', letter: 'R', code: 5, start: '2019-05-01', end: null }
];

/** The era prefixes we read: full name, one kanji, Latin letter (either case). */
const ERA_PREFIX = '明治|大正|昭和|平成|令和|[明大昭平令MTSHRmtshr]';

function eraOf(prefix: string): Era | undefined {
	const p = prefix.toUpperCase();
	return ERAS.find((e) => e.name === p || e.name[0] === p || e.letter === p);
}

/** The era ligatures CP932 carries (㍾㍽㍼㍻) and Unicode's ㋿, spelled out. */
function expandEraLigatures(s: string): string {
	return s.replace(/[\u337B-\u337E\u32FF]/g, (c) =>
		({ '\u337E': '明治', '\u337D': '大正', '\u337C': '昭和', '\u337B': '平成', '\u32FF': '令和' })[c] ?? c
	);
}

function eraYearLabel(n: number): string {
	return n === 1 ? '元' : String(n);
}

function jpDate(iso: string): string {
	const [y, m, d] = iso.split('-').map(Number);
	return `${y}年${m}月${d}日`;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function isLeap(y: number): boolean {
	return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
	return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

// ---------------------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------------------

const DATE_EXAMPLES = '例: 2026-04-01、2026/4/1、20260401、令和8年4月1日、R8.4.1、5080401';

function dateError(raw: string, hint: string): Parsed<never> {
	return fail(`日付として読めません: ${q(raw)}（${hint}）`);
}

/** Check month and day of a Gregorian date; `label` is how the year/month is named in a message. */
function checkYmd(raw: string, y: number, m: number, d: number, label: string): Parsed<string> {
	if (m < 1 || m > 12) return dateError(raw, '月は1〜12');
	const dim = daysInMonth(y, m);
	if (d < 1 || d > dim) return dateError(raw, d < 1 ? '日は1から' : `${label}${m}月は${dim}日まで`);
	return ok(`${pad(y, 4)}-${pad(m)}-${pad(d)}`);
}

function westernDate(raw: string, y: number, m: number, d: number): Parsed<string> {
	if (y < 1868 || y > 9999) return dateError(raw, '年は1868〜9999');
	return checkYmd(raw, y, m, d, `${y}年`);
}

function eraDate(raw: string, era: Era, n: number, m: number, d: number): Parsed<string> {
	if (n < 1) return dateError(raw, `${era.name}の年は1（元年）から`);
	const y = Number(era.start.slice(0, 4)) + n - 1;
	const checked = checkYmd(raw, y, m, d, `${era.name}${eraYearLabel(n)}年`);
	if (!checked.ok) return checked;
	const iso = checked.value;
	// name the date the way the clerk wrote the year ('令和1年' stays 1, '令和元年' stays 元)
	const yearLabel = n === 1 && raw.includes('元') ? '元' : String(n);
	const canonical = `${era.name}${yearLabel}年${m}月${d}日`;
	const subject = trimSpaces(raw) === canonical ? `「${canonical}」` : `${q(raw)}（${canonical}）`;
	if (iso < era.start) return fail(`${subject}は存在しません（${era.name}は${jpDate(era.start)}から）`);
	if (era.end && iso > era.end) {
		const next = ERAS[ERAS.indexOf(era) + 1];
		return fail(`${subject}は存在しません（${era.name}は${jpDate(era.end)}まで。${next.name}は${jpDate(next.start)}から）`);
	}
	return checked;
}

const RE_WESTERN_SEP = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$/;
const RE_WESTERN_KANJI = /^(\d{4}) *年 *(\d{1,2}) *月 *(\d{1,2}) *日$/;
const RE_ERA_KANJI = new RegExp(`^(${ERA_PREFIX}) *(\\d{1,2}|元) *年 *(\\d{1,2}) *月 *(\\d{1,2}) *日$`);
const RE_ERA_SEP = new RegExp(`^(${ERA_PREFIX}) *(\\d{1,2}|元)([-/.])(\\d{1,2})\\3(\\d{1,2})$`);
const RE_ERA_COMPACT = new RegExp(`^(${ERA_PREFIX})(\\d{2})(\\d{2})(\\d{2})$`);
/** an all-zero date: the "not set" placeholder of mainframe exports */
const RE_ZERO_DATE = /^0+(?:[-/.]0+){0,2}$/;
/** a midnight time after a date, as spreadsheets write it: '2026/04/01 0:00' */
const RE_MIDNIGHT = / +0?0:00(?::00)?$/;

/**
 * A date in any of the forms the ward's exports use → ISO 'YYYY-MM-DD'.
 *
 * Western: 2026-04-01, 2026/4/1, 2026.4.1, 20260401, 2026年4月1日. Japanese era: 令和8年4月1日, 令和元年5月1日,
 * 令8.4.1, R8.4.1, r08/04/01, R8-4-1, R080401, ㍻23年10月1日; numeric era code + YYMMDD in exactly 7 digits
 * (5070630 = 令和7年6月30日; 1 明治 … 5 令和). Full-width digits and letters are fine. A trailing midnight
 * time ('0:00', '00:00:00') is ignored. All zeros ('00000000', '0000/00/00') is the "not set" placeholder
 * and means unknown (null), like a blank cell.
 */
export function parseDate(raw: string): Parsed<string | null> {
	const iso = ISO_DATE.exec(raw);
	if (iso && iso[1] !== '0000') return westernDate(raw, +iso[1], +iso[2], +iso[3]);
	const t = trimSpaces(raw);
	if (t === '') return ok(null);
	let s = expandEraLigatures(foldWidth(t)).replace(EDGE_SPACES, '');
	s = s.replace(RE_MIDNIGHT, '');
	if (RE_ZERO_DATE.test(s)) return ok(null);

	let m: RegExpExecArray | null;
	if ((m = RE_WESTERN_SEP.exec(s))) return westernDate(raw, +m[1], +m[3], +m[4]);
	if ((m = RE_WESTERN_KANJI.exec(s))) return westernDate(raw, +m[1], +m[2], +m[3]);
	if (/^\d{8}$/.test(s)) return westernDate(raw, +s.slice(0, 4), +s.slice(4, 6), +s.slice(6, 8));
	if (/^\d{7}$/.test(s)) {
		const era = ERAS.find((e) => e.code === +s[0]);
		if (!era) return dateError(raw, '7桁の日付は元号コード＋年月日: 1明治 2大正 3昭和 4平成 5令和');
		return eraDate(raw, era, +s.slice(1, 3), +s.slice(3, 5), +s.slice(5, 7));
	}
	for (const re of [RE_ERA_KANJI, RE_ERA_SEP, RE_ERA_COMPACT]) {
		if ((m = re.exec(s))) {
			const era = eraOf(m[1])!;
			const n = m[2] === '元' ? 1 : +m[2];
			const [mm, dd] = re === RE_ERA_SEP ? [m[4], m[5]] : [m[3], m[4]];
			return eraDate(raw, era, n, +mm, +dd);
		}
	}
	if (/^\d+$/.test(s)) return dateError(raw, '数字だけの日付は8桁（20260401）か7桁（元号コード＋年月日 5080401）');
	return dateError(raw, DATE_EXAMPLES);
}

// ---------------------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------------------

/** Digits, optionally grouped by commas in threes. Returns the digits, or a hint why not. */
function readDigits(num: string): { digits: string } | { hint: string } {
	if (!num.includes(',')) return { digits: num };
	if (!/^\d{1,3}(?:,\d{3})+$/.test(num)) return { hint: '桁区切りの「,」の位置が正しくありません' };
	return { digits: num.replace(/,/g, '') };
}

const RE_AMOUNT =
	/^([-+▲△])? *([¥\\])? *([-+▲△])? *(\d[\d,]*)(\.\d*)? *(円)?$/;

/**
 * Integer yen: '12345', '１２，３４５円', '¥1,234', '￥1,234', '\1,234' (¥ decoded from Shift_JIS as a
 * backslash), ' 500 円 '. Negative with a leading '-', '－', '−', '▲' or '△' (accounting minus). Decimals are
 * an error; so are misplaced thousands separators ('1,23').
 */
export function parseAmount(raw: string): Parsed<number | null> {
	if (PLAIN_DIGITS.test(raw)) return ok(Number(raw));
	const t = trimSpaces(raw);
	if (t === '') return ok(null);
	const s = foldWidth(t);
	const m = RE_AMOUNT.exec(s);
	const bad = (hint: string) => fail<number | null>(`金額として読めません: ${q(raw)}（${hint}）`);
	if (!m) return bad('例: 12345、12,345円、¥12,345、▲500');
	if (m[1] && m[3]) return bad('符号が2つあります');
	if (m[5] !== undefined) return bad('小数は使えません。円単位の整数で');
	const r = readDigits(m[4]);
	if ('hint' in r) return bad(r.hint);
	const n = Number(r.digits);
	if (!Number.isSafeInteger(n)) return bad('金額が大きすぎます');
	const sign = m[1] ?? m[3];
	const negative = sign !== undefined && sign !== '+';
	return ok(negative && n !== 0 ? -n : n);
}

/** A non-negative integer (被保険者数 …): '3', '３', '1,234'. No sign, no unit, no decimals. */
export function parseCount(raw: string): Parsed<number | null> {
	const t = trimSpaces(raw);
	if (t === '') return ok(null);
	const s = foldWidth(t);
	const bad = (hint: string) => fail<number | null>(`数として読めません: ${q(raw)}（${hint}）`);
	if (/^[-▲△] *\d/.test(s)) return bad('0以上の整数で');
	if (/^\+?\d[\d,]*\.\d*$/.test(s)) return bad('小数は使えません');
	const m = /^\+?(\d[\d,]*)$/.exec(s);
	if (!m) return bad('0以上の整数で');
	const r = readDigits(m[1]);
	if ('hint' in r) return bad(r.hint);
	const n = Number(r.digits);
	if (!Number.isSafeInteger(n)) return bad('数が大きすぎます');
	return ok(n);
}

/** 期別 1..14: '1', '01', '１', '１期', '第1期', '第１期', '1期'. */
export function parsePeriod(raw: string): Parsed<number | null> {
	const t = trimSpaces(raw);
	if (t === '') return ok(null);
	const m = /^(第)? *(\d{1,2}) *(期)?$/.exec(foldWidth(t));
	if (!m) return fail(`期別として読めません: ${q(raw)}（例: 1、01、１期、第1期）`);
	const n = Number(m[2]);
	if (n < 1 || n > 14) return fail(`期別として読めません: ${q(raw)}（期別は1〜14）`);
	return ok(n);
}

const FISCAL_MIN = 1990;
const FISCAL_MAX = 2100;
const RE_FISCAL_ERA = new RegExp(`^(${ERA_PREFIX}) *(\\d{1,2}|元) *(?:年度?)?$`);

/**
 * A fiscal year (賦課年度 …) → the Gregorian year it starts in: '2026', '２０２６', '2026年度', '令和8',
 * '令和8年度', '令和元年度', 'R8', 'R08', '令8'. An era year counts while the era was in force at some time
 * of that calendar year (平成31 = 2019 is accepted, as documents of early 2019 wrote it; 平成32 is not).
 * Range 1990–2100.
 */
export function parseFiscalYear(raw: string): Parsed<number | null> {
	const t = trimSpaces(raw);
	if (t === '') return ok(null);
	const s = expandEraLigatures(foldWidth(t));
	const bad = (hint: string) => fail<number | null>(`年度として読めません: ${q(raw)}（${hint}）`);
	let y: number;
	let m: RegExpExecArray | null;
	if ((m = /^(\d{4}) *(?:年度?)?$/.exec(s))) {
		y = Number(m[1]);
	} else if ((m = RE_FISCAL_ERA.exec(s))) {
		const era = eraOf(m[1])!;
		const n = m[2] === '元' ? 1 : Number(m[2]);
		if (n < 1) return bad(`${era.name}の年は1（元年）から`);
		y = Number(era.start.slice(0, 4)) + n - 1;
		if (era.end && y > Number(era.end.slice(0, 4))) {
			const last = Number(era.end.slice(0, 4)) - Number(era.start.slice(0, 4)) + 1;
			return bad(`${era.name}は${last}年（${era.end.slice(0, 4)}年）まで`);
		}
	} else {
		return bad('例: 2026、2026年度、令和8年度、R8');
	}
	if (y < FISCAL_MIN || y > FISCAL_MAX) return bad(`年度は${FISCAL_MIN}〜${FISCAL_MAX}`);
	return ok(y);
}

// ---------------------------------------------------------------------------------------------------------
// Identifiers and flags
// ---------------------------------------------------------------------------------------------------------

const ID_MAX = 20;
const PLAIN_ID = /^[0-9A-Za-z-]{1,20}$/;

function describeChar(c: string): string {
	if (/^[\s\u3000]$/.test(c)) return '空白';
	const cp = c.codePointAt(0)!;
	if (cp >= 0xe000 && cp <= 0xf8ff) return '外字';
	return c;
}

/**
 * An identifier (住民番号, 国保記号番号) as a string: full-width → half-width (NFKC for letters and digits),
 * leading zeros kept, case kept. Only 0-9, A-Z, a-z and '-' (dash look-alikes count as '-'); at most 20.
 */
export function parseId(raw: string): Parsed<string | null> {
	// the common shape (plain ASCII, nothing to trim or fold) answered at once: the general path below spreads
	// the text into an array of characters, once per id cell of a million-row file
	if (PLAIN_ID.test(raw)) return { ok: true, value: raw };
	const t = trimSpaces(raw);
	if (t === '') return ok(null);
	const s = foldWidth(t);
	const badChar = [...s].find((c) => !/^[0-9A-Za-z-]$/.test(c));
	if (badChar !== undefined) {
		// name the character as the clerk typed it (before width folding)
		const orig = [...t][[...s].indexOf(badChar)] ?? badChar;
		return fail(`番号に使えない文字「${describeChar(orig)}」があります: ${q(raw)}（半角英数字とハイフンのみ）`);
	}
	if (s.length > ID_MAX) return fail(`番号が長すぎます: ${q(raw)}（${ID_MAX}文字まで、${s.length}文字あります）`);
	return ok(s);
}

const TRUE_WORDS = new Set(['有', '有り', 'あり', 'アリ', '1', '○', '〇', '◯', 'TRUE', 'する', 'Y', 'YES', 'はい']);
const FALSE_WORDS = new Set(['無', '無し', 'なし', 'ナシ', '0', '×', '✕', 'FALSE', 'しない', 'N', 'NO', 'いいえ']);

/** 口座振替の有無 …: 有/無, あり/なし, 1/0, ○/×, true/false, する/しない, Y/N, yes/no (any case, any width). */
export function parseFlag(raw: string): Parsed<boolean | null> {
	const t = trimSpaces(raw);
	if (t === '') return ok(null);
	const s = kanaForDisplay(foldWidth(t)).toUpperCase();
	if (TRUE_WORDS.has(s)) return ok(true);
	if (FALSE_WORDS.has(s)) return ok(false);
	return fail(`有無として読めません: ${q(raw)}（例: 有/無、あり/なし、1/0、○/×）`);
}

// ---------------------------------------------------------------------------------------------------------
// Text, names and kana
// ---------------------------------------------------------------------------------------------------------

/** Trim ASCII and full-width spaces; '' → null; line breaks inside (addresses) become '\n'; rest untouched. */
export function cleanText(raw: string): string | null {
	const t = trimSpaces(raw.indexOf('\r') < 0 ? raw : raw.replace(/\r\n?/g, '\n'));
	return t === '' ? null : t;
}

function hiraganaToKatakana(s: string): string {
	return s.replace(/[\u3041-\u3096\u309D\u309E]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));
}

/** NFKC, hiragana → katakana, all whitespace removed, voiced marks recombined, Latin upper-cased. */
function searchForm(raw: string): string {
	const s = hiraganaToKatakana(raw.normalize('NFKC')).replace(/\s+/gu, '');
	// NFKC turns a spacing ゛/゜ into space + combining mark; with the space gone, compose again (カ゛ → ガ)
	return s.normalize('NFC').replace(/[a-z]/g, (c) => c.toUpperCase());
}

/**
 * A name as a search key: NFKC (full-width Latin/digits → ASCII, half-width kana → katakana), hiragana →
 * katakana, no spaces at all, Latin upper case. Kanji (including 髙, 﨑) and 外字 are kept as they are.
 */
export function nameForSearch(raw: string): string {
	return searchForm(raw);
}

/** Kana as a search key: full-width katakana, hiragana → katakana, no spaces, NFKC; Latin upper-cased too. */
export function kanaForSearch(raw: string): string {
	return searchForm(raw);
}

const HALF_KANA = '｡｢｣､･ｦｧｨｩｪｫｬｭｮｯｰｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝﾞﾟ';
const FULL_KANA = '。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン゛゜';
const VOICED: Record<string, string> = Object.fromEntries(
	['カガ', 'キギ', 'クグ', 'ケゲ', 'コゴ', 'サザ', 'シジ', 'スズ', 'セゼ', 'ソゾ', 'タダ', 'チヂ', 'ツヅ', 'テデ', 'トド']
		.concat(['ハバ', 'ヒビ', 'フブ', 'ヘベ', 'ホボ', 'ウヴ', 'ワヷ', 'ヲヺ'])
		.map((p) => [p[0], p[1]])
);
const SEMI_VOICED: Record<string, string> = { ハ: 'パ', ヒ: 'ピ', フ: 'プ', ヘ: 'ペ', ホ: 'ポ' };

/**
 * Half-width kana → full-width for display (ﾔﾏﾀﾞ → ヤマダ, ﾊﾟ → パ, ｳﾞ → ヴ, ｰ → ー, ｡｢｣､･ too); a lone ﾞ/ﾟ
 * becomes ゛/゜. Everything else (kanji, ASCII spaces between names, 外字) is left exactly as it is, apart
 * from trimming the ends.
 */
export function kanaForDisplay(raw: string): string {
	const t = trimSpaces(raw);
	if (!/[\uFF61-\uFF9F]/.test(t)) return t;
	let out = '';
	let prevFromHalf = false;
	for (const c of t) {
		const i = HALF_KANA.indexOf(c);
		if (i < 0) {
			out += c;
			prevFromHalf = false;
			continue;
		}
		const prev = out.slice(-1);
		if (c === 'ﾞ' && prevFromHalf && VOICED[prev]) out = out.slice(0, -1) + VOICED[prev];
		else if (c === 'ﾟ' && prevFromHalf && SEMI_VOICED[prev]) out = out.slice(0, -1) + SEMI_VOICED[prev];
		else out += FULL_KANA[i];
		prevFromHalf = c !== 'ﾞ' && c !== 'ﾟ';
	}
	return out;
}

const GAIJI = /[\uE000-\uF8FF\u{F0000}-\u{FFFFD}\u{100000}-\u{10FFFD}]/u;

/**
 * True when the text holds Unicode private-use code points: 外字 from the CP932 user area (F040–F9FC, which
 * WHATWG/ICU `TextDecoder('shift_jis')` maps to U+E000–U+E757) or supplementary private-use planes 15/16.
 */
export function hasGaiji(raw: string): boolean {
	return GAIJI.test(raw);
}

// ---------------------------------------------------------------------------------------------------------
// Headers and the individual number (マイナンバー)
// ---------------------------------------------------------------------------------------------------------

/**
 * A column name as written in the file → the name to match: BOM and ASCII/full-width spaces trimmed,
 * full-width Latin letters and digits → half-width. Kanji, kana and full-width brackets are left alone.
 */
export function normalizeHeader(raw: string): string {
	return trimSpaces(raw.replace(/^\uFEFF+/, '')).replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g, (c) =>
		String.fromCharCode(c.charCodeAt(0) - 0xfee0)
	);
}

/**
 * Whether a column name looks like the individual number: マイナンバー, 個人番号, 個人番号（マイナンバー）,
 * my number / MyNumber / my_number, individual number, kojin bango(u) — any width, case or spacing, also as
 * part of a longer name (e.g. 'マイナンバー下4桁'). Errs on the side of refusing.
 */
export function looksLikeMyNumberHeader(header: string): boolean {
	const h = header.normalize('NFKC').toLowerCase();
	const compact = h.replace(/[\s_\-・.()（）［］[\]「」]+/g, '');
	if (compact.includes('マイナンバー') || compact.includes('個人番号') || compact.includes('マイナ番号')) return true;
	// Latin spellings: as words, so that e.g. 'dummynumber' does not match
	return /(?:^|[^a-z])(?:my[\s_\-.]*(?:number|no|num)|individual[\s_\-.]*number|kojin[\s_\-.]*bangou?)(?:$|[^a-z])/.test(h);
}

function myNumberDigits(raw: string): string {
	return foldWidth(raw).replace(/[\s\-ー]/g, '');
}

/**
 * Whether a value has the shape of an individual number: exactly 12 digits once spaces and hyphens are
 * removed and full-width digits made half-width. (Shape only; see isValidMyNumberCheckDigit.)
 */
export function looksLikeMyNumberValue(raw: string): boolean {
	return /^\d{12}$/.test(myNumberDigits(raw));
}

/**
 * Whether a 12-digit value also carries a valid individual-number check digit (the 12th digit, computed
 * from the first 11 under the 行政手続における特定の個人を識別するための番号の利用等に関する法律施行令 §8 formula).
 * Real individual numbers always pass; about one random 12-digit number in ten does.
 */
export function isValidMyNumberCheckDigit(raw: string): boolean {
	const s = myNumberDigits(raw);
	if (!/^\d{12}$/.test(s)) return false;
	let sum = 0;
	for (let n = 1; n <= 11; n++) {
		const p = Number(s[11 - n]);
		const qn = n <= 6 ? n + 1 : n - 5;
		sum += p * qn;
	}
	const r = sum % 11;
	const check = r <= 1 ? 0 : 11 - r;
	return check === Number(s[11]);
}
