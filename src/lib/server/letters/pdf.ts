/**
 * The letters' PDF: one A4 page per household, drawn from the pure content model (domain/letters.ts) with pdfkit and
 * the Japanese font the erasure certificate uses (Debian's fonts-noto-cjk, or PDF_FONT_PATH; embedded once, as a
 * subset). Streamed to a file page by page: a batch of 5,000 letters never sits in memory.
 *
 * Layout (points; A4 = 595 × 842): the address block sits where a 長形3号 window envelope shows it when the sheet is
 * folded in three (from 20 mm left, 15 mm down, about 90 × 45 mm): 〒, address, 方書, the name with 様. The
 * ward's letterhead, the date (Western and era) and the reference number are top right; then the title, the text,
 * the arrears by fiscal year and period (due date, amount; subtotals, total), how to pay, and the contact box with
 * the center's phone number and hours. Every text goes through `printable()`: 外字 and any character the font
 * lacks print as 〓, never as a wrong or empty glyph.
 */
import PDFDocument from 'pdfkit';
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { letterWords, printable, type LetterContent } from '../../domain/letters.ts';
import { resolvePdfFont } from '../erasure/certificate.ts';

const W = 595.28;
const H = 841.89;
const LEFT = 56;
const RIGHT = W - 56;
const WIDTH = RIGHT - LEFT;

export interface LetterPdf {
	/** add one household's page */
	add(c: LetterContent): void;
	/** characters printed as 〓 so far (外字 or not in the font) */
	readonly marked: number;
	/** finish the file and wait until it is flushed to `out` */
	end(): Promise<void>;
	/** pages waiting in memory: let the stream drain when it is high */
	drain(): Promise<void>;
}

/** A PDF of letters written to `out` as it is made. Throws FontMissingError (saying what to install) without a Japanese font. */
export function letterPdf(out: Writable, meta: { title: string; font?: { path: string; face?: string } }): LetterPdf {
	const font = meta.font ?? resolvePdfFont();
	const doc = new PDFDocument({ size: 'A4', margin: 0, autoFirstPage: false, info: { Title: meta.title, Author: 'kansho', Creator: 'kansho' } });
	if (font.face) doc.registerFont('jp', font.path, font.face);
	else doc.registerFont('jp', font.path);
	doc.pipe(out);
	let marked = 0;
	const glyphCache = new Map<number, boolean>();
	let fontkitFont: { hasGlyphForCodePoint(cp: number): boolean } | null = null;
	const canPrint = (cp: number) => {
		let ok = glyphCache.get(cp);
		if (ok === undefined) {
			ok = fontkitFont ? fontkitFont.hasGlyphForCodePoint(cp) : true;
			glyphCache.set(cp, ok);
		}
		return ok;
	};
	const p = (text: string) => {
		const r = printable(text, canPrint);
		marked += r.marked;
		return r.text;
	};
	const gray = '#444444';

	function add(c: LetterContent) {
		doc.addPage({ size: 'A4', margin: 0 });
		doc.font('jp');
		fontkitFont ??= (doc as unknown as { _font: { font: { hasGlyphForCodePoint(cp: number): boolean } } })._font.font;
		doc.fillColor('black');

		// top right: date, reference number, letterhead
		doc.fontSize(9);
		doc.text(`${c.issuedOn.wareki}（${c.issuedOn.iso}）`, 330, 42, { width: RIGHT - 330, align: 'right', lineBreak: false });
		doc.text(`${letterWords.referenceNumber} ${c.referenceNumber}`, 330, 55, { width: RIGHT - 330, align: 'right', lineBreak: false });
		doc.fontSize(10);
		let y = 74;
		for (const l of c.letterhead) {
			doc.text(p(l), 330, y, { width: RIGHT - 330, align: 'right', lineBreak: false });
			y += 13;
		}

		// the window: 〒, address, 方書, name 様
		const wx = 62;
		let wy = 48;
		doc.fontSize(11);
		if (c.addressBlock.postalCode) {
			doc.text(c.addressBlock.postalCode, wx, wy, { lineBreak: false });
			wy += 16;
		}
		for (const l of c.addressBlock.lines) {
			doc.text(l, wx, wy, { width: 240 });
			wy = doc.y + 1;
		}
		doc.fontSize(14).text(c.addressBlock.addressee, wx, Math.max(wy + 6, 106), { width: 250 });
		doc.fontSize(8).fillColor(gray).text(`国保記号番号 ${c.nhiNumber}`, wx, doc.y + 3, { lineBreak: false });
		doc.fillColor('black');

		// title and text
		doc.fontSize(15).text(p(c.title), LEFT, 196, { width: WIDTH, align: 'center' });
		doc.fontSize(10);
		y = doc.y + 10;
		for (const para of c.body) {
			if (!para) {
				y += 5;
				continue;
			}
			doc.text(p(para), LEFT, y, { width: WIDTH, lineGap: 1.5 });
			y = doc.y + 2;
		}

		// arrears: 年度 / 期別 / 納期限 / 未納額
		y += 8;
		const cols = [LEFT, LEFT + 130, LEFT + 240, LEFT + 395];
		const colEnd = RIGHT;
		const rowH = 14;
		const lineCount = c.years.reduce((s, yr) => s + yr.periods.length + 1, 0) + 1;
		const bottomLimit = 640;
		// more periods than fit: one line per fiscal year (the periods named as a range)
		const compact = y + rowH * (lineCount + 1) > bottomLimit;
		doc.rect(LEFT, y, WIDTH, rowH).fill('#e8e8e8');
		doc.fillColor('black').fontSize(9);
		doc.text(letterWords.yearCol, cols[0] + 4, y + 3, { lineBreak: false });
		doc.text(letterWords.periodCol, cols[1] + 4, y + 3, { lineBreak: false });
		doc.text(letterWords.dueCol, cols[2] + 4, y + 3, { lineBreak: false });
		doc.text(letterWords.amountCol, cols[3], y + 3, { width: colEnd - cols[3] - 4, align: 'right', lineBreak: false });
		y += rowH;
		for (const yr of c.years) {
			if (compact) {
				const first = yr.periods[0];
				const last = yr.periods[yr.periods.length - 1];
				doc.text(yr.label, cols[0] + 4, y + 3, { lineBreak: false });
				doc.text(yr.periods.length > 1 ? `第${first.period}〜${last.period}期（${yr.periods.length}期分）` : first.label, cols[1] + 4, y + 3, { lineBreak: false });
				doc.text(yr.periods.length > 1 ? `${first.dueDateWareki}〜` : first.dueDateWareki, cols[2] + 4, y + 3, { lineBreak: false });
				doc.text(yr.subtotalText, cols[3], y + 3, { width: colEnd - cols[3] - 4, align: 'right', lineBreak: false });
				y += rowH;
				doc.moveTo(LEFT, y).lineTo(RIGHT, y).lineWidth(0.3).strokeColor('#bbbbbb').stroke();
				continue;
			}
			yr.periods.forEach((pl, i) => {
				if (i === 0) doc.text(yr.label, cols[0] + 4, y + 3, { lineBreak: false });
				doc.text(pl.label, cols[1] + 4, y + 3, { lineBreak: false });
				doc.text(`${pl.dueDateWareki}（${pl.dueDate}）`, cols[2] + 4, y + 3, { lineBreak: false });
				doc.text(pl.owedText, cols[3], y + 3, { width: colEnd - cols[3] - 4, align: 'right', lineBreak: false });
				y += rowH;
			});
			doc.fillColor(gray).text(letterWords.subtotal, cols[2] + 4, y + 3, { lineBreak: false });
			doc.text(yr.subtotalText, cols[3], y + 3, { width: colEnd - cols[3] - 4, align: 'right', lineBreak: false });
			doc.fillColor('black');
			y += rowH;
			doc.moveTo(LEFT, y).lineTo(RIGHT, y).lineWidth(0.3).strokeColor('#bbbbbb').stroke();
		}
		doc.rect(LEFT, y, WIDTH, rowH + 4).lineWidth(0.8).strokeColor('black').stroke();
		doc.fontSize(11).text(letterWords.totalRow, cols[2] + 4, y + 4, { lineBreak: false });
		doc.text(c.totalText, cols[3], y + 4, { width: colEnd - cols[3] - 4, align: 'right', lineBreak: false });
		y += rowH + 14;

		// how to pay
		doc.fontSize(10).text(letterWords.howToPay, LEFT, y, { lineBreak: false });
		y += 14;
		doc.fontSize(9);
		for (const l of c.howToPay) {
			doc.text(p(l), LEFT + 10, y, { width: WIDTH - 10, lineGap: 1 });
			y = doc.y + 1;
		}

		// contact: the center (phone, hours) and the ward
		y = Math.max(y + 10, 700);
		const boxH = H - 40 - y;
		doc.rect(LEFT, y, WIDTH, boxH).lineWidth(0.8).strokeColor('black').stroke();
		doc.fontSize(10).text(letterWords.contact, LEFT + 8, y + 6, { lineBreak: false });
		doc.fontSize(12).text(`${p(c.center.name)}　${letterWords.phone} ${p(c.center.phone)}`, LEFT + 8, y + 21, { width: WIDTH - 16, lineBreak: false });
		doc.fontSize(9).text(`${letterWords.hours} ${p(c.center.hours)}`, LEFT + 8, y + 38, { width: WIDTH - 16, lineBreak: false });
		let cy = y + 52;
		for (const l of c.contact) {
			doc.text(p(l), LEFT + 8, cy, { width: WIDTH - 16, lineBreak: false });
			cy += 12;
		}
		doc.fontSize(7).fillColor(gray).text(`${c.referenceNumber}`, LEFT, H - 30, { width: WIDTH, align: 'right', lineBreak: false });
		doc.fillColor('black');
	}

	return {
		add,
		get marked() {
			return marked;
		},
		async end() {
			const finished = once(out, 'finish');
			doc.end();
			await finished;
		},
		async drain() {
			if ((out as Writable & { writableNeedDrain?: boolean }).writableNeedDrain) await once(out, 'drain');
			else await new Promise((r) => setImmediate(r));
		}
	};
}
