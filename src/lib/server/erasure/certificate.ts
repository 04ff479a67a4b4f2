/**
 * The erasure certificate as files: JSON (with its own SHA-256) and an A4 PDF in Japanese with English labels.
 *
 * JSON file: `{ "format", "certificate": {…}, "sha256" }`, where sha256 = SHA-256 of the UTF-8 bytes of
 * `JSON.stringify(certificate)` (no whitespace, members in the order of the file). Anyone can check it:
 *   python3 -c 'import json,hashlib,sys; d=json.load(open(sys.argv[1]));
 *     print(hashlib.sha256(json.dumps(d["certificate"],ensure_ascii=False,separators=(",",":")).encode()).hexdigest()==d["sha256"])' file.json
 *
 * PDF: pdfkit with a Japanese font from the system (Debian's fonts-noto-cjk, embedded as a subset), or the font in
 * PDF_FONT_PATH. No font is shipped with kansho: a CJK font is large, and the machines it runs on install one
 * (`.ci/run`, the README). A missing font is reported before anything is erased.
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import { loadConfig } from '../config.ts';
import { CERTIFICATE_FORMAT, erasureKindLabel, type ErasureCertificate } from '../../domain/erasure.ts';

export function sha256Hex(data: string | Uint8Array): string {
	return createHash('sha256').update(data).digest('hex');
}

/** The JSON file's text and the certificate's SHA-256 (over its compact JSON). */
export function certificateJson(cert: ErasureCertificate): { text: string; sha256: string } {
	const sha256 = sha256Hex(JSON.stringify(cert));
	return { text: JSON.stringify({ format: CERTIFICATE_FORMAT, certificate: cert, sha256 }, null, 2) + '\n', sha256 };
}

/** Check a JSON file's SHA-256 against its certificate. */
export function verifyCertificateJson(text: string): boolean {
	try {
		const d = JSON.parse(text) as { certificate?: unknown; sha256?: unknown };
		return typeof d.sha256 === 'string' && d.certificate !== undefined && sha256Hex(JSON.stringify(d.certificate)) === d.sha256;
	} catch {
		return false;
	}
}

/** Fonts tried in order when PDF_FONT_PATH is not set: path and, for a collection (.ttc), the face's PostScript name. */
export const FONT_CANDIDATES: { path: string; face?: string }[] = [
	{ path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKjp-Regular' },
	{ path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', face: 'NotoSerifCJKjp-Regular' },
	{ path: '/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf' },
	{ path: '/usr/share/fonts/truetype/fonts-japanese-gothic.ttf' },
	{ path: '/usr/share/fonts/truetype/takao-gothic/TakaoPGothic.ttf' }
];

export class FontMissingError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'FontMissingError';
	}
}

/**
 * The Japanese font for PDFs: PDF_FONT_PATH (`/path/font.ttf`, or `/path/fonts.ttc#PostScriptName` for a
 * collection), else the first system font found. Throws FontMissingError saying what to install.
 */
export function resolvePdfFont(configured = loadConfig().PDF_FONT_PATH): { path: string; face?: string } {
	if (configured) {
		const [p, face] = configured.split('#');
		if (!fs.existsSync(p)) throw new FontMissingError(`PDF_FONT_PATH: no such file: ${p}`);
		if (/\.ttc$/i.test(p) && !face) throw new FontMissingError(`PDF_FONT_PATH: ${p} is a font collection: add the face, e.g. ${p}#NotoSansCJKjp-Regular`);
		return { path: p, face };
	}
	const found = FONT_CANDIDATES.find((f) => fs.existsSync(f.path));
	if (!found)
		throw new FontMissingError(
			'no Japanese font for the certificate PDF: install fonts-noto-cjk (apt-get install fonts-noto-cjk) or set PDF_FONT_PATH to a Japanese TrueType/OpenType font'
		);
	return found;
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 50;

/** The certificate as an A4 PDF (Japanese, with English labels). */
export async function certificatePdf(cert: ErasureCertificate, sha256: string, font = resolvePdfFont()): Promise<Buffer> {
	const doc = new PDFDocument({
		size: 'A4',
		margin: MARGIN,
		bufferPages: true,
		info: { Title: `消去証明書 Erasure certificate #${cert.erasureId}`, Author: 'kansho', Subject: erasureKindLabel(cert.kind).en, Keywords: `sha256:${sha256}` }
	});
	const chunks: Buffer[] = [];
	doc.on('data', (c: Buffer) => chunks.push(c));
	const ended = new Promise<void>((resolve, reject) => {
		doc.on('end', () => resolve());
		doc.on('error', reject);
	});
	if (font.face) doc.registerFont('jp', font.path, font.face);
	else doc.registerFont('jp', font.path);
	doc.font('jp');

	const width = A4.width - 2 * MARGIN;
	const gray = '#555555';
	const bottom = A4.height - MARGIN - 20;
	const heading = (ja: string, en: string, keepWith = 60) => {
		// a heading never ends a page: it starts the next one when what follows would not fit under it
		if (doc.y + 30 + keepWith > bottom) doc.addPage();
		doc.moveDown(0.6);
		doc.fillColor('black').fontSize(12).text(ja, { continued: true }).fillColor(gray).fontSize(9).text(`  ${en}`);
		doc.moveTo(MARGIN, doc.y + 2).lineTo(MARGIN + width, doc.y + 2).strokeColor('#999999').lineWidth(0.5).stroke();
		doc.moveDown(0.4);
		doc.fillColor('black');
	};
	const row = (cells: string[], widths: number[], opts: { size?: number; color?: string; align?: ('left' | 'right')[] } = {}) => {
		const size = opts.size ?? 9;
		doc.fontSize(size);
		const heights = cells.map((c, i) => doc.heightOfString(c, { width: widths[i] - 6 }));
		const h = Math.max(...heights, size * 1.2);
		if (doc.y + h > bottom) doc.addPage();
		const y = doc.y;
		let x = MARGIN;
		cells.forEach((c, i) => {
			doc.fillColor(opts.color ?? 'black').text(c, x, y, { width: widths[i] - 6, align: opts.align?.[i] ?? 'left' });
			x += widths[i];
		});
		doc.x = MARGIN;
		doc.y = y + h + 1.5;
	};
	const n = (v: number) => v.toLocaleString('ja-JP');

	// title
	doc.fontSize(22).text('消去証明書', { align: 'center' });
	doc.fillColor(gray).fontSize(10).text('Erasure certificate', { align: 'center' });
	doc.fillColor('black').moveDown(0.6);
	doc.fontSize(9.5).text(`証明書番号 No. ${cert.erasureId}`, { align: 'right' });
	doc.text(`作成 Issued: ${cert.certifiedAtJa}`, { align: 'right' });
	doc.moveDown(0.6);
	if (cert.ward) doc.fontSize(11).text(`${cert.ward}　御中`);
	if (cert.contract) doc.fontSize(10).text(`契約名 Contract: ${cert.contract}`);
	doc.moveDown(0.4);
	doc.fontSize(10.5).text(cert.statement.ja, { width });
	doc.fillColor(gray).fontSize(8.5).text(cert.statement.en, { width });
	doc.fillColor('black');

	heading('消去の概要', 'Summary');
	const kv = [150, width - 150];
	row(['種類 Kind', `${erasureKindLabel(cert.kind).ja}（${cert.kind}）`], kv);
	row(['実施者 Erased by', `${cert.erasedBy.displayName}（${cert.erasedBy.loginId}、${cert.erasedBy.role}、${cert.erasedBy.via}）`], kv);
	row(['開始 Started', cert.startedAtJa], kv);
	row(['完了 Finished', cert.finishedAtJa], kv);
	row(['消去した行数 Rows erased', n(cert.totalRows)], kv);

	heading('消去したデータ', 'What was erased');
	const tw = [130, width - 130 - 80, 80];
	row(['テーブル Table', '内容 Content', '件数 Rows'], tw, { color: gray, align: ['left', 'left', 'right'] });
	for (const t of cert.erased) row([t.table, `${t.label.ja}\n${t.label.en}`, n(t.rows)], tw, { align: ['left', 'left', 'right'] });
	for (const c of cert.cleared) row([`${c.table}.${c.column}`, `${c.label.ja}（空にしました）\n${c.label.en} (cleared)`, n(c.rows)], tw, { align: ['left', 'left', 'right'] });
	if (cert.files) {
		const f = cert.files;
		row(
			['files', `取込のため保存していたファイル ${n(f.files)} 件（${n(f.bytes)} バイト、${f.directory}）\nStored import files (${n(f.deleted)} of ${n(f.found)} uploads deleted)${f.errors.length ? `\n削除できなかったもの Not deleted: ${f.errors.join('; ')}` : ''}`, n(f.files)],
			tw,
			{ align: ['left', 'left', 'right'] }
		);
	}

	heading('保持するもの', 'What is kept, and why');
	for (const r of cert.retained) row([`${r.item}（${n(r.rows)}）`, `${r.label.ja}: ${r.why.ja}\n${r.label.en}: ${r.why.en}`], kv, { size: 8 });
	row(['statistics', `報告用の統計（集計値のみ、世帯を識別する項目なし）: ${cert.statistics.map((s) => `${s.table} ${n(s.rows)}`).join('、')}\nAggregate statistics for reports (no household identifiers)`], kv, { size: 8 });

	heading('アクセスログ（ハッシュ連鎖）', 'Access log (hash chain)');
	const a = cert.accessLog;
	row(['消去の記録 Erasure entry', `access_log id ${a.entryId}${a.entryChainSeq ? `、連鎖番号 chain_seq ${a.entryChainSeq}` : ''}`], kv);
	row(['最終連鎖番号 Final chain_seq', String(a.headChainSeq)], kv);
	row(['最終ハッシュ Final hash (SHA-256)', a.headHash], kv, { size: 8.5 });
	if (a.verified)
		row(['検証 Verified', a.verified.ok ? `連鎖は正常（${n(a.verified.rows)} 行） The chain is whole (${n(a.verified.rows)} rows)` : `連鎖に不整合 The chain is broken: ${a.verified.problem ?? ''}`], kv);

	heading('この証明書の検証', 'Checking this certificate', 50);
	row(['証明書 SHA-256 Certificate SHA-256', sha256], kv, { size: 8.5 });
	doc.fontSize(8).fillColor(gray).text('同じ番号のJSONファイルの "certificate" をJSONとして（空白なしで）直列化したUTF-8のSHA-256です。The SHA-256 of the compact JSON of the "certificate" member of the JSON file with the same number.', { width });

	// page numbers
	const range = doc.bufferedPageRange();
	for (let i = range.start; i < range.start + range.count; i++) {
		doc.switchToPage(i);
		doc.page.margins.bottom = 0; // the footer sits in the margin: no page break for it
		doc.fontSize(8).fillColor(gray).text(`kansho 消去証明書 No. ${cert.erasureId} — ${i + 1} / ${range.count}`, MARGIN, A4.height - MARGIN + 10, { width, align: 'center', lineBreak: false });
	}
	doc.end();
	await ended;
	return Buffer.concat(chunks);
}
