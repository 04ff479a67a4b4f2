/**
 * The daily and monthly report as files: PDF (A4 landscape, Japanese, the ward's heading, the chart drawn as vector
 * bars, every figure's formula), CSV (CP932 for the ward's Excel, or UTF-8 with a BOM) and Excel (.xlsx, one sheet
 * per section plus the notes). All from one assembled report (domain/period-report.ts): the files cannot disagree.
 */
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { loadConfig } from '../config.ts';
import { resolvePdfFont } from '../erasure/certificate.ts';
import { landscapePdf, PAGE } from './pdf-doc.ts';
import { cp932Safe } from '../exports/cp932.ts';
import { dualDate, tokyoDateTime, wareki } from '../../domain/format.ts';
import { addDays } from '../../domain/tokyo-time.ts';
import {
	REPORT_COLUMNS,
	REPORT_GROUPS,
	RATE_COLUMNS,
	SECTION_LABELS,
	columnLabel,
	formatReportCell,
	reportNotes,
	reportTables,
	planTableRows,
	PLAN_LABELS,
	reportTitle,
	roundRate,
	type PeriodReport,
	type ReportKind,
	type ReportRow
} from '../../domain/period-report.ts';

export const reportFormats = ['pdf', 'csv', 'csv-utf8', 'xlsx'] as const;
export type ReportFormat = (typeof reportFormats)[number];
type Lang = 'ja' | 'en';

export function reportFileName(kind: ReportKind, period: string, format: ReportFormat): string {
	const base = `${kind === 'day' ? '日報' : '月報'}_${period}`;
	return format === 'pdf' ? `${base}.pdf` : format === 'xlsx' ? `${base}.xlsx` : format === 'csv' ? `${base}.csv` : `${base}_utf8.csv`;
}

export async function renderReport(r: PeriodReport, format: ReportFormat, lang: Lang): Promise<{ contentType: string; body: Uint8Array }> {
	switch (format) {
		case 'csv':
			return { contentType: 'text/csv; charset=Shift_JIS', body: iconv.encode(reportCsv(r, lang, true), 'cp932') };
		case 'csv-utf8':
			return { contentType: 'text/csv; charset=utf-8', body: Buffer.from('\uFEFF' + reportCsv(r, lang, false), 'utf8') };
		case 'xlsx':
			return { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', body: await reportXlsx(r, lang) };
		case 'pdf':
			return { contentType: 'application/pdf', body: await reportPdf(r, lang) };
	}
}

function periodLine(r: PeriodReport, lang: Lang): string {
	if (r.kind === 'day') return lang === 'ja' ? `対象日 ${dualDate(r.from)}` : `Day ${r.from}`;
	return lang === 'ja' ? `対象期間 ${dualDate(r.from)} 〜 ${dualDate(addDays(r.to, -1))}` : `Period ${r.from} to ${addDays(r.to, -1)}`;
}

function heading(lang: Lang): string[] {
	const cfg = loadConfig();
	const lines = [cfg.WARD_NAME, cfg.CENTER_NAME ?? (lang === 'ja' ? '国保納付勧奨センター' : 'NHI payment reminder center')].filter((x): x is string => !!x);
	return lines;
}

// ---------------------------------------------------------------------------------------------------------
// CSV

const csvCell = (v: string | number | null) => {
	if (v === null) return '';
	const s = String(v);
	return /[",\r\n]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One CSV with every section, a blank line between them, and the notes at the end. CRLF line ends (Excel). */
export function reportCsv(r: PeriodReport, lang: Lang, cp932: boolean): string {
	const lines: string[] = [];
	const put = (cells: (string | number | null)[]) => lines.push(cells.map(csvCell).join(','));
	put([reportTitle(r.kind, r.period, lang)]);
	put([periodLine(r, lang)]);
	put([lang === 'ja' ? `作成 ${tokyoDateTime(r.generatedAt)}` : `Generated ${tokyoDateTime(r.generatedAt)}`]);
	// rates as percentages with （%） in the header, one decimal, as the page shows them (Excel keeps fractions, formatted 0.0%)
	for (const t of reportTables(r, lang, 'percent')) {
		lines.push('');
		put([SECTION_LABELS[t.section][lang]]);
		put(t.header);
		for (const row of t.rows) put(row);
	}
	// the chart's data
	lines.push('');
	put([lang === 'ja' ? (r.kind === 'day' ? '時間帯別' : '日別') : r.kind === 'day' ? 'By hour' : 'By day']);
	put([lang === 'ja' ? (r.kind === 'day' ? '時間帯' : '日') : r.kind === 'day' ? 'Hour' : 'Day', columnLabel('attempts', lang), columnLabel('rightPartyContacts', lang), columnLabel('promises', lang)]);
	for (const x of r.series) put([x.label, x.attempts, x.rightPartyContacts, x.promises]);
	if (r.plan) {
		const t = planTableRows(r.plan, lang, 'percent');
		lines.push('');
		put([`${PLAN_LABELS.section[lang]}: ${r.plan.name}`]);
		put(t.header);
		for (const row of t.rows) put(row);
	}
	lines.push('');
	put([lang === 'ja' ? '注記' : 'Notes']);
	for (const n of reportNotes(r, lang)) put([n]);
	// CP932 holds 〜, — and − in their Windows forms; anything it cannot hold (a 外字 in a name) becomes 〓
	const text = lines.join('\r\n') + '\r\n';
	return cp932 ? cp932Safe(text).text : text;
}

// ---------------------------------------------------------------------------------------------------------
// Excel

export async function reportXlsx(r: PeriodReport, lang: Lang): Promise<Uint8Array> {
	const wb = new ExcelJS.Workbook();
	wb.creator = 'kansho';
	wb.created = new Date(r.generatedAt);
	const title = reportTitle(r.kind, r.period, lang);
	for (const t of reportTables(r, lang)) {
		const ws = wb.addWorksheet(SECTION_LABELS[t.section][lang]);
		ws.addRow([title]).font = { bold: true, size: 13 };
		ws.addRow([periodLine(r, lang)]);
		ws.addRow([]);
		const head = ws.addRow(t.header);
		head.font = { bold: true };
		head.alignment = { wrapText: true, vertical: 'top' };
		const first = t.section === 'operator' ? 2 : 1;
		for (const row of t.rows) ws.addRow(row);
		// number formats: counts, yen, hours, rates as percentages
		REPORT_COLUMNS.forEach((c, i) => {
			ws.getColumn(first + 1 + i).numFmt = c.unit === 'yen' ? '"¥"#,##0' : c.unit === 'hours' ? '0.0' : '#,##0';
			ws.getColumn(first + 1 + i).width = 12;
		});
		RATE_COLUMNS.forEach((_, i) => {
			ws.getColumn(first + 1 + REPORT_COLUMNS.length + i).numFmt = '0.0%';
			ws.getColumn(first + 1 + REPORT_COLUMNS.length + i).width = 10;
		});
		ws.getColumn(1).width = 28;
		if (first === 2) ws.getColumn(2).width = 14;
		ws.views = [{ state: 'frozen', xSplit: first, ySplit: 4 }];
	}
	if (r.plan) {
		const t = planTableRows(r.plan, lang);
		const ws = wb.addWorksheet(lang === 'ja' ? '計画対比' : 'Plan');
		ws.addRow([`${PLAN_LABELS.section[lang]}: ${r.plan.name}`]).font = { bold: true };
		ws.addRow([]);
		ws.addRow(t.header).font = { bold: true };
		for (const row of t.rows) ws.addRow(row);
		ws.getColumn(1).width = 28;
		for (let i = 0; i < 9; i++) ws.getColumn(2 + i).numFmt = i % 3 === 2 ? '0.0%' : '#,##0';
	}
	const chart = wb.addWorksheet(lang === 'ja' ? (r.kind === 'day' ? '時間帯別' : '日別') : r.kind === 'day' ? 'By hour' : 'By day');
	chart.addRow([lang === 'ja' ? (r.kind === 'day' ? '時間帯' : '日') : r.kind === 'day' ? 'Hour' : 'Day', lang === 'ja' ? '架電件数' : 'Attempts', lang === 'ja' ? '本人接触数' : 'Right-party contacts', lang === 'ja' ? '納付約束件数' : 'Promises']).font = { bold: true };
	for (const s of r.series) chart.addRow([s.label, s.attempts, s.rightPartyContacts, s.promises]);
	const notes = wb.addWorksheet(lang === 'ja' ? '注記' : 'Notes');
	notes.getColumn(1).width = 120;
	for (const n of reportNotes(r, lang)) notes.addRow([n]);
	return new Uint8Array(await wb.xlsx.writeBuffer());
}

// ---------------------------------------------------------------------------------------------------------
// PDF

const { W, H, M } = PAGE;

export async function reportPdf(r: PeriodReport, lang: Lang, font = resolvePdfFont()): Promise<Uint8Array> {
	const title = reportTitle(r.kind, r.period, lang);
	const { doc, finish } = landscapePdf(title, font);
	const gray = '#555555';
	const bottom = H - M - 16;
	const width = W - 2 * M;

	// heading: the ward and the center, the title, the period (Western and era), when it was made
	doc.fontSize(10).fillColor(gray).text(heading(lang).join('　'), M, M);
	doc.fillColor('black').fontSize(18).text(title, M, doc.y + 2);
	doc.fontSize(10).text(periodLine(r, lang));
	doc.fillColor(gray).fontSize(8.5).text(`${lang === 'ja' ? '作成' : 'Generated'} ${tokyoDateTime(r.generatedAt)}（${wareki(r.generatedAt.slice(0, 10))}）`);
	if (r.future) doc.fillColor('#a33').text(lang === 'ja' ? 'この期間はまだ始まっていません（今日より後の期間です）' : 'This period has not begun yet (it is after today)');
	if (r.partial)
		doc.fillColor('#a33').text(lang === 'ja' ? `期間の途中です：${r.partial.totalDays}日中${r.partial.elapsedDays}日経過` : `Period in progress: ${r.partial.elapsedDays} of ${r.partial.totalDays} days`);
	doc.fillColor('black').moveDown(0.5);

	// the totals as key figures
	const keyFigures: [string, string][] = [
		['attempts', formatReportCell('attempts', r.total)],
		['rightPartyContacts', formatReportCell('rightPartyContacts', r.total)],
		['promises', formatReportCell('promises', r.total)],
		['promisedAmount', formatReportCell('promisedAmount', r.total)],
		['keptRate', formatReportCell('keptRate', r.total)],
		['collectedAfterContact', formatReportCell('collectedAfterContact', r.total)],
		['lettersSent', formatReportCell('lettersSent', r.total)],
		['householdsResolved', formatReportCell('householdsResolved', r.total)]
	];
	const boxW = width / keyFigures.length;
	const y0 = doc.y;
	keyFigures.forEach(([k, v], i) => {
		const x = M + i * boxW;
		doc.rect(x + 2, y0, boxW - 4, 40).strokeColor('#bbbbbb').lineWidth(0.5).stroke();
		doc.fillColor(gray).fontSize(7.5).text(columnLabel(k, lang), x + 6, y0 + 4, { width: boxW - 12 });
		doc.fillColor('black').fontSize(12).text(v, x + 6, y0 + 20, { width: boxW - 12, align: 'right' });
	});
	doc.x = M;
	doc.y = y0 + 50;

	// the chart: attempts (bars), right-party contacts and promises (narrower bars) per hour or per day
	drawChart(doc, r, lang, M, doc.y, width, 150);
	doc.x = M;
	doc.y += 160;

	// the tables: every section, in column groups
	const nameW = 150;
	const tableRow = (cells: string[], widths: number[], opts: { bold?: boolean; size?: number; color?: string } = {}) => {
		const size = opts.size ?? 7.5;
		doc.fontSize(size);
		const h = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: widths[i] - 4 })), size * 1.3);
		if (doc.y + h > bottom) doc.addPage();
		const y = doc.y;
		let x = M;
		cells.forEach((c, i) => {
			doc.fillColor(opts.color ?? 'black').text(c, x + 2, y, { width: widths[i] - 4, align: i === 0 ? 'left' : 'right' });
			x += widths[i];
		});
		doc.moveTo(M, y + h + 0.5).lineTo(M + widths.reduce((a, b) => a + b, 0), y + h + 0.5).strokeColor('#dddddd').lineWidth(0.3).stroke();
		doc.x = M;
		doc.y = y + h + 2;
	};
	const sections: { key: keyof typeof SECTION_LABELS; rows: ReportRow[] }[] = [
		{ key: 'total', rows: [r.total] },
		{ key: 'team', rows: r.teams },
		{ key: 'operator', rows: r.operators },
		{ key: 'segment', rows: r.segments }
	];
	for (const g of REPORT_GROUPS) {
		for (const s of sections) {
			if (!s.rows.length) continue;
			if (doc.y + 60 > bottom) doc.addPage();
			doc.moveDown(0.4);
			doc.fillColor('black').fontSize(10).text(`${g[lang]} — ${SECTION_LABELS[s.key][lang]}`, M, doc.y);
			const colW = (width - nameW) / g.keys.length;
			const widths = [nameW, ...g.keys.map(() => colW)];
			tableRow(['', ...g.keys.map((k) => columnLabel(k, lang))], widths, { color: gray, size: 7 });
			for (const row of s.rows) {
				const name = s.key === 'operator' && row.key !== 'erased' && row.team ? `${row.label}（${row.team}）` : row.label;
				tableRow([name, ...g.keys.map((k) => formatReportCell(k, row))], widths);
			}
		}
	}

	// the call plan against the month
	if (r.plan) {
		const t = planTableRows(r.plan, lang);
		if (doc.y + 80 > bottom) doc.addPage();
		doc.moveDown(0.6);
		doc.fillColor('black').fontSize(10).text(`${PLAN_LABELS.section[lang]}: ${r.plan.name}`, M, doc.y);
		const colW = (width - nameW) / 9;
		const widths = [nameW, ...Array.from({ length: 9 }, () => colW)];
		tableRow(t.header, widths, { color: gray, size: 7 });
		for (const row of t.rows)
			tableRow(
				row.map((v, i) => (i === 0 ? String(v) : v === null ? '—' : i % 3 === 0 ? `${((v as number) * 100).toFixed(1)}%` : (v as number).toLocaleString('ja-JP'))),
				widths
			);
	}

	// how to read it: every formula
	doc.addPage();
	doc.fillColor('black').fontSize(11).text(lang === 'ja' ? '注記（各数値の定義）' : 'Notes (what each figure is)', M, M);
	doc.moveDown(0.4);
	doc.fontSize(8);
	for (const n of reportNotes(r, lang)) {
		if (doc.y + 14 > bottom) doc.addPage();
		doc.fillColor('black').text(`・${n}`, { width });
	}

	return finish();
}

function drawChart(doc: PDFKit.PDFDocument, r: PeriodReport, lang: Lang, x: number, y: number, w: number, h: number) {
	const gray = '#555555';
	const s = r.series;
	const max = Math.max(1, ...s.map((p) => p.attempts));
	const step = niceStep(max);
	const top = Math.ceil(max / step) * step;
	const left = x + 36;
	const plotW = w - 36 - 130;
	const plotH = h - 22;
	doc.fontSize(7).fillColor(gray);
	for (let v = 0; v <= top; v += step) {
		const yy = y + plotH - (v / top) * plotH;
		doc.moveTo(left, yy).lineTo(left + plotW, yy).strokeColor('#e5e5e5').lineWidth(0.4).stroke();
		doc.text(v.toLocaleString('ja-JP'), x, yy - 4, { width: 32, align: 'right', lineBreak: false });
	}
	const slot = plotW / Math.max(1, s.length);
	const colors = ['#4878b0', '#e08a2c', '#3a9a5b'] as const;
	s.forEach((p, i) => {
		const bx = left + i * slot;
		const bar = (v: number, off: number, bw: number, c: string) => {
			const bh = (v / top) * plotH;
			if (bh > 0) doc.rect(bx + off, y + plotH - bh, bw, bh).fillColor(c).fill();
		};
		const bw = Math.max(1, slot * 0.8);
		bar(p.attempts, slot * 0.1, bw, colors[0]);
		bar(p.rightPartyContacts, slot * 0.25, bw * 0.3, colors[1]);
		bar(p.promises, slot * 0.55, bw * 0.3, colors[2]);
		if (s.length <= 31) doc.fillColor(gray).fontSize(6.5).text(p.label, bx, y + plotH + 3, { width: slot, align: 'center', lineBreak: false });
	});
	doc.moveTo(left, y + plotH).lineTo(left + plotW, y + plotH).strokeColor('#999999').lineWidth(0.5).stroke();
	const legend = [columnLabel('attempts', lang), columnLabel('rightPartyContacts', lang), columnLabel('promises', lang)];
	legend.forEach((t, i) => {
		const ly = y + 6 + i * 14;
		doc.rect(left + plotW + 12, ly, 9, 9).fillColor(colors[i]).fill();
		doc.fillColor('black').fontSize(8).text(t, left + plotW + 26, ly, { width: 100, lineBreak: false });
	});
	doc.fillColor(gray).fontSize(7).text(r.kind === 'day' ? (lang === 'ja' ? '時間帯別（時）' : 'By hour') : lang === 'ja' ? '日別' : 'By day', left + plotW + 12, y + 52, { width: 110 });
}

function niceStep(max: number): number {
	const raw = max / 5;
	const p = 10 ** Math.floor(Math.log10(raw));
	for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
	return 10 * p;
}
