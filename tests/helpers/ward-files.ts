/**
 * Hand-made ward export files for tests, written the way a real municipal export looks: CP932 by default, CRLF,
 * quoted fields where needed. Each file is a header row plus rows given as { header: value }.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { importFiles } from '../../src/lib/domain/import/files.ts';

export type Row = Record<string, string>;

function field(v: string): string {
	return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function csvText(headers: string[], rows: Row[]): string {
	return [headers.map(field).join(','), ...rows.map((r) => headers.map((h) => field(r[h.trim()] ?? r[h] ?? '')).join(','))].join('\r\n') + '\r\n';
}

const made = new Set<string>();

/** A fresh folder under the system's temporary directory; removeTempDirs() (run after each test file) deletes it. */
export function tempDir(prefix = 'kansho-ward-'): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	made.add(dir);
	return dir;
}

export function removeTempDirs(): void {
	for (const d of made) fs.rmSync(d, { recursive: true, force: true });
	made.clear();
}

export function writeWardFile(dir: string, name: string, headers: string[], rows: Row[], encoding: 'cp932' | 'utf8' | 'utf8bom' = 'cp932'): string {
	const text = csvText(headers, rows);
	const bytes = encoding === 'cp932' ? iconv.encode(text, 'cp932') : Buffer.from((encoding === 'utf8bom' ? '\uFEFF' : '') + text, 'utf8');
	const p = path.join(dir, name);
	fs.writeFileSync(p, bytes);
	return p;
}

/** The contract's headers (the import's own definition). */
const headersOf = (name: string) => importFiles.find((f) => f.name === name)!.columns.map((c) => c.header);
export const HEADERS = { 世帯: headersOf('世帯.csv'), 個人: headersOf('個人.csv'), 収納: headersOf('収納.csv') };

/** A household, its head, and 期別 1–N of FY2026 (¥10,000 each, due at the ends of June…). */
export function household(nhi: string, rn: string, opts: { name?: string; kana?: string; phone?: string; nationality?: string; paid?: number[]; periods?: number } = {}) {
	const dues = ['2026-06-30', '2026-07-31', '2026-08-31', '2026-09-30', '2026-11-02', '2026-11-30', '2026-12-28', '2027-02-01', '2027-03-01', '2027-03-31'];
	return {
		世帯: { 国保記号番号: nhi, 賦課年度: '2026', 世帯主住民番号: rn, 郵便番号: '160-0023', 住所: '東京都新宿区西新宿2-8-1', 方書: '', 電話番号: opts.phone ?? '090-1234-5678', 被保険者数: '1', 総所得世帯合計: '1,200,000円' } as Row,
		個人: { 住民番号: rn, 国保記号番号: nhi, 賦課年度: '令和8', 氏名: opts.name ?? '山田　太郎', 氏名カナ: opts.kana ?? 'ﾔﾏﾀﾞ ﾀﾛｳ', 性別: '男', 続柄: '世帯主', 生年月日: 'S55.3.3', 国籍: opts.nationality ?? 'JP' } as Row,
		収納: Array.from({ length: opts.periods ?? 6 }, (_, i) => ({
			国保記号番号: nhi,
			賦課年度: '2026',
			期別: `第${i + 1}期`,
			調定額: '10,000',
			納期限: dues[i],
			収納額累計: String(opts.paid?.[i] ?? 0)
		})) as Row[]
	};
}

/** Write 世帯.csv, 個人.csv, 収納.csv for some households into a fresh folder. */
export function writeSet(hs: ReturnType<typeof household>[], opts: { dir?: string; files?: ('世帯' | '個人' | '収納')[]; encoding?: 'cp932' | 'utf8' | 'utf8bom' } = {}): string {
	const dir = opts.dir ?? tempDir();
	const files = opts.files ?? ['世帯', '個人', '収納'];
	if (files.includes('世帯')) writeWardFile(dir, '世帯.csv', HEADERS.世帯, hs.map((h) => h.世帯), opts.encoding);
	if (files.includes('個人')) writeWardFile(dir, '個人.csv', HEADERS.個人, hs.map((h) => h.個人), opts.encoding);
	if (files.includes('収納')) writeWardFile(dir, '収納.csv', HEADERS.収納, hs.flatMap((h) => h.収納), opts.encoding);
	return dir;
}

export function filesOf(dir: string) {
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.csv'))
		.map((f) => ({ name: f, path: path.join(dir, f) }));
}
