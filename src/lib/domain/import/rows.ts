/**
 * From a CSV record to a row kansho can store: header mapping (free column order, surrounding spaces, aliases,
 * unknown columns, マイナンバー refused) and per-column normalization with reasons a clerk understands. Pure.
 */
import type { ColumnDef, ColumnType, FileDef } from './files.ts';
import {
	cleanText,
	hasGaiji,
	kanaForDisplay,
	kanaForSearch,
	looksLikeMyNumberHeader,
	isValidMyNumberCheckDigit,
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
import { parsePhone } from '../phone.ts';
import { nationalityCode } from './nationality.ts';
import { townOf } from './address.ts';

export interface HeaderMapping {
	/** key → column index in the record */
	index: Map<string, number>;
	/** headers the contract does not know (ignored, reported once) */
	unknown: string[];
	/** required headers that are absent */
	missing: string[];
	/** headers that name an individual number */
	myNumber: string[];
	/** headers that appear twice */
	duplicated: string[];
}

export function mapHeaders(def: FileDef, rawHeaders: readonly string[], aliases: Record<string, string> = {}): HeaderMapping {
	const byHeader = new Map(def.columns.map((col) => [col.header, col]));
	const index = new Map<string, number>();
	const unknown: string[] = [];
	const myNumber: string[] = [];
	const duplicated: string[] = [];
	rawHeaders.forEach((raw, i) => {
		const h = normalizeHeader(raw);
		if (h === '') return;
		if (looksLikeMyNumberHeader(h)) return void myNumber.push(h);
		const col = byHeader.get(h) ?? byHeader.get(aliases[h] ?? '');
		if (!col) return void unknown.push(h);
		if (index.has(col.key)) return void duplicated.push(h);
		index.set(col.key, i);
	});
	// Every column of the contract must be in the header, even if its cells are empty: an absent column would
	// otherwise read as empty and overwrite what kansho holds (a 収納.csv without 収納額累計 would zero every payment).
	const missing = def.columns.filter((col) => !index.has(col.key)).map((col) => col.header);
	return { index, unknown, missing, myNumber, duplicated };
}

export interface CellError {
	/** the contract's header of the column (null: the row as a whole) */
	column: string | null;
	reason: string;
}

export type Values = Record<string, string | number | boolean | null>;

export interface NormalizedRow {
	values: Values;
	errors: CellError[];
}

const QUALIFICATIONS: Record<string, string> = { 国保: '国保', 一般: '国保', 国民健康保険: '国保', 退職: '退職', 退職者医療: '退職', 介護: '介護', 介護保険: '介護' };

/** 'YYYY/MM/DD HH:MM[:SS]' or any date form followed by a time; Tokyo time, as an ISO instant. */
export function parseDateTime(raw: string): Parsed<string | null> {
	const text = (raw ?? '').normalize('NFKC').trim();
	if (text === '') return { ok: true, value: null };
	const m = /^(.*?)[\sT]+(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
	const d = parseDate(m ? m[1] : text);
	if (!d.ok) return d;
	if (d.value === null) return { ok: true, value: null };
	if (!m) return { ok: true, value: `${d.value}T00:00:00+09:00` };
	const [hh, mm, ss] = [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
	if (hh > 23 || mm > 59 || ss > 59) return { ok: false, reason: `時刻として読めません: 「${raw}」` };
	const p = (n: number) => String(n).padStart(2, '0');
	return { ok: true, value: `${d.value}T${p(hh)}:${p(mm)}:${p(ss)}+09:00` };
}

/**
 * A parser with a bounded memory of recent answers. The columns it serves (dates, amounts, years, periods)
 * repeat the same few thousand values across a file — every household's 第1期 is due on the same day — and the
 * parsers are pure, so a million-row import mostly looks its answers up. Answers are immutable and shared.
 */
function remembering<T>(parse: (raw: string) => Parsed<T>, max = 20_000): (raw: string) => Parsed<T> {
	let known = new Map<string, Parsed<T>>();
	return (raw) => {
		let r = known.get(raw);
		if (r === undefined) {
			r = parse(raw);
			if (known.size >= max) known = new Map();
			known.set(raw, r);
		}
		return r;
	};
}

const parsers: Partial<Record<ColumnType, (raw: string) => Parsed<string | number | boolean | null>>> = {
	id: parseId,
	date: remembering(parseDate),
	datetime: remembering(parseDateTime),
	amount: remembering(parseAmount),
	count: remembering(parseCount),
	period: remembering(parsePeriod),
	year: remembering(parseFiscalYear),
	flag: remembering(parseFlag, 1000)
};

/** How one column of a file is read with a given header mapping: worked out once per file, not per row. */
interface ColumnPlan {
	col: ColumnDef;
	index: number | undefined;
	parse: ((raw: string) => Parsed<string | number | boolean | null>) | undefined;
	searchKey: string;
	gaijiKey: string;
	digitsKey: string;
	kindKey: string;
	validKey: string;
	extKey: string;
	townKey: string;
}

const plans = new WeakMap<HeaderMapping, Map<FileDef, ColumnPlan[]>>();
/**
 * Per file: an object with every key a row's values can have (the columns' and the derived ones), all undefined.
 * Each row's values start as a copy of it, so that every row's object has the same shape from the start: adding
 * forty keys one by one under computed names made each row's object a slow dictionary and was most of the
 * normalizing time of 個人.csv. An undefined value reads as absent (COPY writes it as null).
 */
const templates = new WeakMap<FileDef, Values>();

function templateFor(def: FileDef): Values {
	let t = templates.get(def);
	if (!t) {
		t = {};
		for (const col of def.columns) {
			t[col.key] = undefined as never;
			if (col.type === 'name') for (const k of [`${col.key}Search`, `${col.key}Gaiji`]) t[k] = undefined as never;
			if (col.type === 'kana') t[`${col.key}Search`] = undefined as never;
			if (col.type === 'address') t[`${col.key}Town`] = undefined as never;
			if (col.type === 'phone') for (const k of ['Digits', 'Kind', 'Valid', 'Ext']) t[`${col.key}${k}`] = undefined as never;
		}
		templates.set(def, t);
	}
	return t;
}

function planFor(def: FileDef, mapping: HeaderMapping): ColumnPlan[] {
	let byDef = plans.get(mapping);
	if (!byDef) plans.set(mapping, (byDef = new Map()));
	let plan = byDef.get(def);
	if (!plan) {
		plan = def.columns.map((col) => ({
			col,
			index: mapping.index.get(col.key),
			parse: parsers[col.type],
			searchKey: `${col.key}Search`,
			gaijiKey: `${col.key}Gaiji`,
			digitsKey: `${col.key}Digits`,
			kindKey: `${col.key}Kind`,
			validKey: `${col.key}Valid`,
			extKey: `${col.key}Ext`,
			townKey: `${col.key}Town`
		}));
		byDef.set(def, plan);
	}
	return plan;
}

/** what a cell must not hold: a control character, or U+FFFD (bytes the decoder could not read) */
const SUSPECT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/;

/**
 * Normalize one record. Derived values: `<key>Search`, `<key>Gaiji` (names), `<key>Search` (kana), phone
 * digits/kind/valid/extension, `<key>Town` (an address's 町名).
 */
export function normalizeRow(def: FileDef, mapping: HeaderMapping, record: readonly string[], headerCount = record.length): NormalizedRow {
	const values: Values = { ...templateFor(def) };
	const errors: CellError[] = [];
	// a row with fewer fields, or more non-empty fields, than the header is misaligned: every value may be shifted
	let extra = false;
	for (let i = headerCount; i < record.length; i++) if (record[i].trim() !== '') extra = true;
	if (record.length < headerCount || extra)
		errors.push({ column: null, reason: `列の数が見出しと合いません（見出し ${headerCount} 列、この行 ${record.length} 列）。区切りのカンマか引用符を確認してください` });
	for (const p of planFor(def, mapping)) {
		const col = p.col;
		const i = p.index;
		const raw = i === undefined ? '' : (record[i] ?? '');
		if (raw !== '' && SUSPECT.test(raw)) {
			errors.push({
				column: col.header,
				reason: raw.includes('\uFFFD') ? `文字コードとして読めない文字があります（ファイルの文字コードを確認してください）` : `制御文字が含まれています`
			});
			values[col.key] = null;
			continue;
		}
		const text = raw === '' ? null : cleanText(raw);
		if (text === null) {
			if (col.required && i !== undefined) errors.push({ column: col.header, reason: `必須項目「${col.header}」が空です` });
			values[col.key] = null;
			if (col.type === 'name') {
				values[p.searchKey] = null;
				values[p.gaijiKey] = false;
			} else if (col.type === 'kana') values[p.searchKey] = null;
			else if (col.type === 'address') values[p.townKey] = null;
			else if (col.type === 'phone') {
				values[p.digitsKey] = null;
				values[p.kindKey] = null;
				values[p.validKey] = null;
				values[p.extKey] = null;
			}
			continue;
		}
		switch (col.type) {
			case 'text':
				values[col.key] = text;
				break;
			case 'name':
				values[col.key] = text;
				values[p.searchKey] = nameForSearch(text);
				values[p.gaijiKey] = hasGaiji(text);
				break;
			case 'address':
				values[col.key] = text;
				values[p.townKey] = townOf(text);
				break;
			case 'kana':
				// the original is kept for display (the contract); half-width kana are only folded in the search form
				values[col.key] = text;
				values[p.searchKey] = kanaForSearch(kanaForDisplay(text));
				break;
			case 'phone': {
				const ph = parsePhone(text);
				values[col.key] = text;
				values[p.digitsKey] = ph.digits;
				values[p.kindKey] = ph.kind;
				values[p.validKey] = ph.valid;
				values[p.extKey] = ph.extension;
				break;
			}
			case 'qualification': {
				const q = QUALIFICATIONS[text.normalize('NFKC')];
				if (q) values[col.key] = q;
				else {
					values[col.key] = null;
					errors.push({ column: col.header, reason: `資格種別は「国保」「退職」「介護」のいずれかです: 「${raw}」` });
				}
				break;
			}
			default: {
				const r = p.parse!(raw);
				if (r.ok) values[col.key] = r.value;
				else {
					values[col.key] = null;
					errors.push({ column: col.header, reason: r.reason });
				}
			}
		}
	}
	// rules across columns
	if (def.name === '収納.csv') {
		if (typeof values.assessed === 'number' && values.assessed < 0) errors.push({ column: '調定額', reason: `調定額がマイナスです: ${values.assessed}` });
		if (typeof values.receivedTotal === 'number' && values.receivedTotal < 0) errors.push({ column: '収納額累計', reason: `収納額累計がマイナスです: ${values.receivedTotal}` });
		if (values.receivedTotal === null) values.receivedTotal = 0;
	}
	if (def.name === '経過記録.csv' && values.nhiNumber === null && values.residentNumber === null && !errors.some((e) => e.column === '国保記号番号' || e.column === '住民番号'))
		errors.push({ column: '国保記号番号', reason: '国保記号番号か住民番号のどちらかが必要です' });
	if (def.name === '国保料.csv' && values.premiumType === null) values.premiumType = '医療';
	if (def.name === '個人.csv') values.nationality = nationalityCode(values.nationality as string | null);
	for (const col of def.columns) {
		const v = values[col.key];
		if ((col.type === 'count' || col.type === 'year' || col.type === 'period') && typeof v === 'number' && Math.abs(v) > 2_147_483_647)
			errors.push({ column: col.header, reason: `数が大きすぎます: ${v}` });
	}
	return { values, errors };
}

/**
 * Columns whose sampled values are all individual numbers (12 digits with a valid check digit): a set carrying
 * one is refused, whatever the header says (マイナンバー must never be imported). The check digit keeps a ward
 * whose own identifiers happen to have 12 digits from being refused: random numbers pass it 1 time in 10.
 */
export function myNumberColumns(headers: readonly string[], sample: readonly (readonly string[])[]): string[] {
	const found: string[] = [];
	headers.forEach((h, i) => {
		const vals = sample.map((r) => r[i] ?? '').filter((v) => cleanText(v) !== null);
		// a placeholder (不明) among them must not hide the column; random 12-digit ids pass the check 1 time in 10
		const hits = vals.filter(isValidMyNumberCheckDigit).length;
		if (hits >= Math.min(3, vals.length) && hits >= 0.9 * vals.length && vals.length > 0) found.push(normalizeHeader(h) || `(列${i + 1})`);
	});
	return found;
}
