import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { generateDemoData, type DemoHousehold } from './generate.ts';
import { CSV_FILES, GAIJI, HEADER_ALIASES, toHalfWidthKana, writeDemoCsv } from './csv.ts';

const TODAY = '2026-11-27';
const households = (): DemoHousehold[] => [...generateDemoData({ seed: 7, households: 200, today: TODAY })];

/** The contract's column names (docs: import format, Files table), spelled out here on purpose. */
const SPEC: Record<string, string[]> = {
	'世帯.csv': '国保記号番号,賦課年度,世帯主住民番号,郵便番号,住所,方書,電話番号,賦課更正年月日,賦課軽減区分,保険証交付区分,保険者証交付年月日,保険証有効期限,被保険者数,総所得世帯合計'.split(','),
	'個人.csv': '住民番号,国保記号番号,賦課年度,氏名,氏名カナ,郵便番号,住所,電話番号,性別,続柄,生年月日,区民日,区民となった事由,区民でなくなった日,区民でなくなった事由,死亡日,国籍'.split(','),
	'収納.csv': '国保記号番号,賦課年度,賦課相当年度,期別,調定額,介護分調定額,高齢者支援金分調定額,納期限,収納額累計,介護分収納額,高齢者支援金分収納額,納付年月日,収納年月日,収納機関,最終納付年月日,最終収納年月日'.split(','),
	'口座振替.csv': '国保記号番号,口座振替の有無,口座納付開始日,口座納付終了日,振替金融機関コード,金融機関本支店コード,口座名義人'.split(','),
	'納付管理人.csv': '国保記号番号,納付者種別,氏名・名称,住所・方書'.split(','),
	'勤務先.csv': '住民番号,勤務先名称,所在地,電話番号,事業種別'.split(','),
	'国保料.csv': '国保記号番号,賦課年度,保険料種類,所得割賦課標準額,所得割額,均等割額,均等割軽減税額,限度超過額,減免額,年間保険料額,前回年間保険料額'.split(','),
	'資格.csv': '住民番号,資格種別,資格取得年月日,資格取得届出日,資格取得事由,資格喪失年月日,資格喪失届出日,資格喪失事由'.split(','),
	'経過記録.csv': '国保記号番号,住民番号,記録日時,種別,交渉場所,交渉相手名,内容'.split(',')
};

// ─── a strict RFC 4180 reader, for the test only ────────────────────────────────────────────────────────

interface Parsed {
	records: string[][];
	/** the line end after each record */
	ends: string[];
	/** some quoted field contains CRLF */
	quotedCrlf: boolean;
}

function parseCsv(text: string): Parsed {
	const records: string[][] = [];
	const ends: string[] = [];
	let quotedCrlf = false;
	let record: string[] = [];
	let i = 0;
	const n = text.length;
	while (i < n) {
		let value = '';
		if (text[i] === '"') {
			i++;
			for (;;) {
				if (i >= n) throw new Error('unterminated quoted field');
				if (text[i] === '"') {
					if (text[i + 1] === '"') {
						value += '"';
						i += 2;
						continue;
					}
					i++;
					break;
				}
				value += text[i++];
			}
			if (value.includes('\r\n')) quotedCrlf = true;
		} else {
			while (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
				if (text[i] === '"') throw new Error(`quote inside an unquoted field at ${i}`);
				value += text[i++];
			}
		}
		record.push(value);
		if (text[i] === ',') {
			i++;
			continue;
		}
		const end = text.startsWith('\r\n', i) ? '\r\n' : i < n ? text[i] : '';
		if (i < n && end !== '\r\n' && end !== '\r' && end !== '\n') throw new Error(`unexpected ${JSON.stringify(text[i])} after a field at ${i}`);
		i += end.length;
		records.push(record);
		ends.push(end);
		record = [];
	}
	return { records, ends, quotedCrlf };
}

// ─── reading the quirky forms back (enough to check what was written) ───────────────────────────────────

const ERAS: Record<string, [number, string, string]> = {
	// first year − 1, first day, first day of the next era
	明治: [1867, '1868-01-25', '1912-07-30'],
	大正: [1911, '1912-07-30', '1926-12-25'],
	昭和: [1925, '1926-12-25', '1989-01-08'],
	平成: [1988, '1989-01-08', '2019-05-01'],
	令和: [2018, '2019-05-01', '9999-12-31']
};
const ERA_BY = (k: string): string => ({ M: '明治', T: '大正', S: '昭和', H: '平成', R: '令和', 明: '明治', 大: '大正', 昭: '昭和', 平: '平成', 令: '令和', 1: '明治', 2: '大正', 3: '昭和', 4: '平成', 5: '令和' })[k]!;
const p2 = (n: number | string): string => String(n).padStart(2, '0');

function realDate(y: number, m: number, d: number): string {
	const iso = `${y}-${p2(m)}-${p2(d)}`;
	const back = new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);
	if (back !== iso) throw new Error(`impossible date ${iso}`);
	return iso;
}
function eraDate(era: string, ey: number, m: number, d: number): string {
	const [y0, from, to] = ERAS[era];
	const iso = realDate(y0 + ey, m, d);
	if (iso < from || iso >= to) throw new Error(`${era}${ey}年${m}月${d}日 is outside the era`);
	return iso;
}

/** Reads a written date back to ISO and says which form it had. */
function readDate(raw: string): [string, string] {
	const s = raw.normalize('NFKC');
	let m: RegExpMatchArray | null;
	if ((m = s.match(/^(\d{4})-(\d{2})-(\d{2})$/))) return [realDate(+m[1], +m[2], +m[3]), 'iso'];
	if ((m = s.match(/^(\d{4})\/(\d{1,2})\/(\d{1,2})$/))) return [realDate(+m[1], +m[2], +m[3]), 'slash'];
	if ((m = s.match(/^(\d{4})(\d{2})(\d{2})$/))) return [realDate(+m[1], +m[2], +m[3]), 'compact'];
	if ((m = s.match(/^([1-5])(\d{2})(\d{2})(\d{2})$/))) return [eraDate(ERA_BY(m[1]), +m[2], +m[3], +m[4]), 'code'];
	if ((m = s.match(/^(明治|大正|昭和|平成|令和)(元|\d+)年(\d+)月(\d+)日$/))) {
		const form = raw === s ? 'kanji' : 'kanjiFw';
		return [eraDate(m[1], m[2] === '元' ? 1 : +m[2], +m[3], +m[4]), form + (m[1] === '令和' ? '' : ':' + m[1])];
	}
	if ((m = s.match(/^([MTSHR])(\d{2})\.(\d{2})\.(\d{2})$/))) return [eraDate(ERA_BY(m[1]), +m[2], +m[3], +m[4]), 'letterPad'];
	if ((m = s.match(/^([MTSHR])(\d{1,2})\.(\d{1,2})\.(\d{1,2})$/))) return [eraDate(ERA_BY(m[1]), +m[2], +m[3], +m[4]), 'letter:' + m[1]];
	if ((m = s.match(/^([明大昭平令])(\d{1,2})\.(\d{1,2})\.(\d{1,2})$/))) return [eraDate(ERA_BY(m[1]), +m[2], +m[3], +m[4]), 'short'];
	throw new Error(`not a date: ${raw}`);
}

const DATE_COLUMNS = new Set([
	'賦課更正年月日', '保険者証交付年月日', '保険証有効期限', '生年月日', '区民日', '区民でなくなった日', '死亡日', '納期限', '納付年月日', '収納年月日',
	'最終納付年月日', '最終収納年月日', '口座納付開始日', '口座納付終了日', '資格取得年月日', '資格取得届出日', '資格喪失年月日', '資格喪失届出日'
]);

/** A cell of a quirky file in the form of the plain file. */
function plainOf(column: string, raw: string, seen: Set<string>): string {
	if (raw === '') return '';
	if (DATE_COLUMNS.has(column)) {
		const [iso, form] = readDate(raw);
		seen.add(form.split(':')[0]);
		if (form.includes(':')) seen.add(form.split(':')[1]);
		return iso;
	}
	if (column === '記録日時') {
		const [, day, time] = raw.match(/^(.+) (\d{2}:\d{2})$/)!;
		return `${readDate(day)[0].replace(/-/g, '/')} ${time}`;
	}
	if (column === '期別') {
		const m = raw.normalize('NFKC').match(/^第?(\d+)期?$/)!;
		seen.add(raw.startsWith('第') ? '第n期' : raw.endsWith('期') ? 'n期' : raw.length === 2 && raw.startsWith('0') ? '0n' : 'n');
		return String(+m[1]);
	}
	const s = raw.normalize('NFKC');
	if (/^[\d,]+円$/.test(raw)) seen.add('yen');
	if (/^[０-９]+$/.test(raw)) seen.add('fullWidthDigits');
	if (/^[\d,]+円?$/.test(s)) return s.replace(/[,円]/g, '');
	if (/[ｦ-ﾟ]/.test(raw)) seen.add('halfKana');
	if (column === '住所' || column === '住所・方書') {
		if (raw.includes('\r\n')) seen.add('addressCrlf');
		if (raw.includes(',')) seen.add('addressComma');
		return s.replace(/\r\n|,/g, ' ');
	}
	if (column === '内容') return s.replace(/\r\n/g, '\n');
	return s;
}

// ─── the files ──────────────────────────────────────────────────────────────────────────────────────────

type Written = { dir: string; result: Record<string, { rows: number; bytes: number }>; text: Record<string, string>; raw: Record<string, Buffer> };

async function write(hs: DemoHousehold[], encoding: 'cp932' | 'utf8', quirks: boolean): Promise<Written> {
	const dir = await mkdtemp(join(tmpdir(), `kansho-csv-${encoding}-${quirks ? 'q' : 'p'}-`));
	const result = await writeDemoCsv(dir, hs, { encoding, quirks });
	const text: Record<string, string> = {};
	const raw: Record<string, Buffer> = {};
	for (const f of CSV_FILES) {
		raw[f] = await readFile(join(dir, f));
		text[f] = encoding === 'utf8' ? raw[f].toString('utf8') : iconv.decode(raw[f], 'cp932');
	}
	return { dir, result, text, raw };
}

const fromGaiji = new Map([...GAIJI].map(([ch, pua]) => [pua, ch]));
const undoGaiji = (s: string): string => s.replace(/[\uE000-\uF8FF]/g, (c) => fromGaiji.get(c) ?? c);

describe('writeDemoCsv', () => {
	const hs = households();
	const written: Written[] = [];
	let cpQuirks: Written, cpPlain: Written, utfPlain: Written, utfQuirks: Written;

	beforeAll(async () => {
		cpQuirks = await write(hs, 'cp932', true);
		cpPlain = await write(hs, 'cp932', false);
		utfPlain = await write(hs, 'utf8', false);
		utfQuirks = await write(hs, 'utf8', true);
		written.push(cpQuirks, cpPlain, utfPlain, utfQuirks);
	});
	afterAll(async () => {
		for (const w of written) await rm(w.dir, { recursive: true, force: true });
	});

	it('writes the nine files, with the byte sizes it reports', async () => {
		expect([...CSV_FILES]).toEqual(Object.keys(SPEC));
		for (const w of written) {
			for (const f of CSV_FILES) {
				expect(existsSync(join(w.dir, f)), f).toBe(true);
				expect((await stat(join(w.dir, f))).size).toBe(w.result[f].bytes);
			}
		}
	});

	it("writes the contract's column names (after trimming, and the configured alias)", () => {
		for (const w of written) {
			for (const f of CSV_FILES) {
				const header = parseCsv(w.text[f].replace(/^\uFEFF/, '')).records[0].map((h) => HEADER_ALIASES[h.trim()] ?? h.trim());
				expect([...header].sort(), f).toEqual([...SPEC[f]].sort());
				if (w === cpPlain || w === utfPlain) expect(header, f).toEqual(SPEC[f]);
			}
		}
		// with quirks: one header cell per file at most is spelled differently; 勤務先.csv has another order
		for (const f of CSV_FILES) {
			const header = parseCsv(cpQuirks.text[f]).records[0];
			expect(header.filter((h) => !SPEC[f].includes(h)).length, f).toBeLessThanOrEqual(1);
		}
		expect(parseCsv(cpQuirks.text['個人.csv']).records[0]).toContain('氏名\u3000');
		expect(parseCsv(cpQuirks.text['勤務先.csv']).records[0]).not.toEqual(SPEC['勤務先.csv']);
	});

	it('ends every line with CRLF and parses as RFC 4180', () => {
		for (const w of written) {
			for (const f of CSV_FILES) {
				const p = parseCsv(w.text[f].replace(/^\uFEFF/, ''));
				expect(new Set(p.ends), f).toEqual(new Set(['\r\n']));
				expect(w.text[f].endsWith('\r\n')).toBe(true);
				for (const r of p.records) expect(r.length, f).toBe(SPEC[f].length);
			}
		}
	});

	it('writes a BOM in UTF-8 and none in CP932', () => {
		for (const f of CSV_FILES) {
			expect(utfPlain.raw[f].subarray(0, 3).toString('hex')).toBe('efbbbf');
			expect(cpPlain.raw[f].subarray(0, 3).toString('hex')).not.toBe('efbbbf');
		}
	});

	it('round-trips CP932 exactly: the decoded file is the UTF-8 file (外字 aside)', () => {
		for (const f of CSV_FILES) {
			const utf = utfPlain.text[f].replace(/^\uFEFF/, '');
			const cp = cpPlain.text[f];
			expect(cp.includes('\uFFFD'), f).toBe(false);
			expect(utf.includes('?') || utf.includes('\uFFFD'), f).toBe(false);
			expect(cp.includes('?'), f).toBe(false);
			expect(undoGaiji(cp), f).toBe(utf);
		}
		// the quirky files too (half-width kana are single bytes in CP932)
		for (const f of CSV_FILES) expect(undoGaiji(cpQuirks.text[f]), f).toBe(utfQuirks.text[f].replace(/^\uFEFF/, ''));
	});

	it('writes NEC/IBM extension characters as CP932, characters CP932 lacks as 外字, U+2212 as －, ¥ as ￥', async () => {
		const h = structuredClone(hs[0]);
		h.persons[0].name = '髙橋﨑　①㈱';
		h.persons[0].nameKana = 'タカハシ　ヴァン';
		h.persons.push({ ...h.persons[0], key: h.persons.length, name: '黃　婷', residentNumber: '0099999990' });
		h.caseHistory = [{ personKey: 0, recordedAt: '2026-03-12T14:30:00+09:00', kind: '交渉', place: '電話', counterpart: '髙橋﨑', content: '残額−3,000円? ¥〜' }];
		const w = await write([h], 'cp932', false);
		written.push(w);
		const persons = parseCsv(w.text['個人.csv']).records;
		expect(persons[1][3]).toBe('髙橋﨑　①㈱');
		expect(persons[persons.length - 1][3]).toBe('\uE000　\uE002');
		expect(w.raw['個人.csv'].includes(Buffer.from([0xf0, 0x40]))).toBe(true);
		expect(parseCsv(w.text['経過記録.csv']).records[1][6]).toBe('残額－3,000円? ￥～');
	});

	it('writes quoted fields with embedded line breaks and commas when quirky', () => {
		for (const w of [cpQuirks, utfQuirks]) {
			expect(parseCsv(w.text['個人.csv']).quotedCrlf).toBe(true);
			expect(parseCsv(w.text['個人.csv']).records.some((r) => r[6].includes(','))).toBe(true);
		}
		expect(parseCsv(utfPlain.text['個人.csv'].slice(1)).quotedCrlf).toBe(false);
	});

	it('keeps leading zeros of identifiers', () => {
		for (const w of [cpQuirks, cpPlain]) {
			const nhi = parseCsv(w.text['世帯.csv']).records.slice(1).map((r) => r[0]);
			expect(new Set(nhi)).toEqual(new Set(hs.map((h) => h.household.nhiNumber)));
			expect(nhi.every((x) => /^0\d{7}$/.test(x))).toBe(true);
			const residents = parseCsv(w.text['個人.csv']).records.slice(1).map((r) => r[0]);
			expect(residents).toEqual(hs.flatMap((h) => h.persons.map((p) => p.residentNumber)));
			expect(residents.every((x) => /^0\d{9}$/.test(x))).toBe(true);
			const banks = parseCsv(w.text['口座振替.csv']).records.slice(1).map((r) => r[4]);
			expect(banks).toEqual(hs.flatMap((h) => (h.bankTransfer ? [h.bankTransfer.bankCode] : [])));
		}
	});

	it("writes as many rows as the generator's data has", () => {
		const sum = (f: (h: DemoHousehold) => number) => hs.reduce((n, h) => n + f(h), 0);
		const expected: Record<string, number> = {
			'世帯.csv': sum((h) => h.years.length),
			'個人.csv': sum((h) => h.persons.length),
			'収納.csv': sum((h) => h.receipts.length),
			'口座振替.csv': sum((h) => (h.bankTransfer ? 1 : 0)),
			'納付管理人.csv': sum((h) => h.paymentManagers.length),
			'勤務先.csv': sum((h) => h.employers.length),
			'国保料.csv': sum((h) => h.premiums.length),
			'資格.csv': sum((h) => h.eligibility.length),
			'経過記録.csv': sum((h) => h.caseHistory.length)
		};
		for (const w of [cpQuirks, cpPlain, utfPlain, utfQuirks]) {
			for (const f of CSV_FILES) {
				expect(w.result[f].rows, f).toBe(expected[f]);
				expect(parseCsv(w.text[f].replace(/^\uFEFF/, '')).records.length - 1, f).toBe(expected[f]);
			}
		}
		expect(expected['個人.csv']).toBeGreaterThan(200);
		expect(expected['収納.csv']).toBeGreaterThan(2000);
	});

	it('writes the plain files with the generated values', () => {
		const rows = (f: string) => parseCsv(utfPlain.text[f].slice(1)).records.slice(1);
		const receipts = hs.flatMap((h) => h.receipts.map((r) => [h.household.nhiNumber, r] as const));
		expect(rows('収納.csv')).toEqual(
			receipts.map(([nhi, r]) => [
				nhi, String(r.fiscalYear), String(r.equivalentYear), String(r.period), String(r.assessed), r.assessedCare === null ? '' : String(r.assessedCare),
				r.assessedElderly === null ? '' : String(r.assessedElderly), r.dueDate, String(r.receivedTotal), r.receivedCare === null ? '' : String(r.receivedCare),
				r.receivedElderly === null ? '' : String(r.receivedElderly), r.paidOn ?? '', r.receivedOn ?? '', r.receivingInstitution ?? '', r.lastPaidOn ?? '',
				r.lastReceivedOn ?? ''
			])
		);
		const persons = hs.flatMap((h) => h.persons);
		expect(rows('個人.csv').map((r) => [r[0], r[3], r[4], r[6], r[7], r[10]])).toEqual(
			persons.map((p) => [p.residentNumber, p.name, p.nameKana, p.address, p.phoneRaw ?? '', p.birthDate])
		);
		expect(rows('経過記録.csv').map((r) => r[6])).toEqual(hs.flatMap((h) => h.caseHistory.map((c) => c.content)));
	});

	it('writes the same values in the quirky files, in every form of the contract', () => {
		const seen = new Set<string>();
		for (const f of CSV_FILES) {
			const q = parseCsv(cpQuirks.text[f]).records;
			const p = parseCsv(cpPlain.text[f]).records;
			const qHeader = q[0].map((h) => HEADER_ALIASES[h.trim()] ?? h.trim());
			const at = SPEC[f].map((c) => qHeader.indexOf(c));
			expect(q.length).toBe(p.length);
			for (let r = 1; r < q.length; r++) {
				const back = SPEC[f].map((c, k) => plainOf(c, q[r][at[k]], seen));
				expect(back, `${f} line ${r + 1}`).toEqual(p[r].map((v) => v.normalize('NFKC')));
			}
		}
		for (const form of ['iso', 'slash', 'compact', 'kanji', 'kanjiFw', 'letter', 'letterPad', 'short', 'code', '平成', '昭和', 'H', 'S']) {
			expect(seen, form).toContain(form);
		}
		for (const quirk of ['yen', 'fullWidthDigits', 'n', '0n', 'n期', '第n期', 'halfKana', 'addressCrlf', 'addressComma']) expect(seen, quirk).toContain(quirk);
		// 経過記録.csv: 記録日時 in western and era forms
		const when = parseCsv(cpQuirks.text['経過記録.csv']).records.slice(1).map((r) => r[2]);
		expect(when.some((w) => /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/.test(w))).toBe(true);
		expect(when.some((w) => /^令和/.test(w))).toBe(true);
	});

	it('converts full-width katakana to half-width, voiced marks as two characters', () => {
		expect(toHalfWidthKana('ヤマダ　タロウ')).toBe('ﾔﾏﾀﾞ ﾀﾛｳ');
		expect(toHalfWidthKana('ヴァン・パク')).toBe('ｳﾞｧﾝ･ﾊﾟｸ');
		for (const h of hs) for (const p of h.persons) expect(toHalfWidthKana(p.nameKana).normalize('NFKC')).toBe(p.nameKana.normalize('NFKC'));
	});

	it('writes nothing that looks like an individual number (マイナンバー)', () => {
		const found: string[] = [];
		for (const w of written) {
			for (const f of CSV_FILES) {
				const recs = parseCsv(w.text[f].replace(/^\uFEFF/, '')).records;
				for (const h of recs[0]) if (/マイナンバー|個人番号/.test(h)) found.push(`${f}: ${h}`);
				for (const r of recs.slice(1)) for (const v of r) if (/^\d{12}$/.test(v.normalize('NFKC').replace(/[-\s]/g, ''))) found.push(`${f}: ${v}`);
			}
		}
		expect(found).toEqual([]);
	});
});
