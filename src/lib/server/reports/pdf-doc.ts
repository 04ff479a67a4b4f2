/**
 * The reports' PDFs (日報・月報, 収納率の推移): an A4 landscape pdfkit document in the Japanese font of the letters and
 * the certificate, made in memory, with the title and page numbers in every page's footer.
 */
import PDFDocument from 'pdfkit';
import { resolvePdfFont } from '../erasure/certificate.ts';

/** A4 landscape, points, and the margin */
export const PAGE = { W: 841.89, H: 595.28, M: 36 } as const;

export function landscapePdf(title: string, font = resolvePdfFont()): { doc: PDFKit.PDFDocument; finish: () => Promise<Uint8Array> } {
	const { W, H, M } = PAGE;
	const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: M, bufferPages: true, info: { Title: title, Author: 'kansho', Creator: 'kansho' } });
	const chunks: Buffer[] = [];
	doc.on('data', (c: Buffer) => chunks.push(c));
	const ended = new Promise<void>((resolve, reject) => {
		doc.on('end', () => resolve());
		doc.on('error', reject);
	});
	if (font.face) doc.registerFont('jp', font.path, font.face);
	else doc.registerFont('jp', font.path);
	doc.font('jp');
	/** the footer (title, page / pages) on every page, then the file */
	const finish = async () => {
		const range = doc.bufferedPageRange();
		for (let i = 0; i < range.count; i++) {
			doc.switchToPage(range.start + i);
			// the footer sits in the bottom margin: without this pdfkit would start a new page for it
			doc.page.margins.bottom = 0;
			doc.fillColor('#555555').fontSize(7.5).text(`${title}　${i + 1} / ${range.count}`, M, H - M - 6, { width: W - 2 * M, align: 'right', lineBreak: false });
		}
		doc.end();
		await ended;
		return new Uint8Array(Buffer.concat(chunks));
	};
	return { doc, finish };
}
