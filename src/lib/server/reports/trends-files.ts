/**
 * The collection-rate trends as files for the council: Excel (one sheet per kind: months × years, amounts) and PDF
 * (A4 landscape, Japanese, the ward's heading, the filters, a line chart per kind drawn with pdfkit and its table).
 * From the same TrendReport as the page (trends.ts): the files cannot disagree with it.
 */
import ExcelJS from 'exceljs';
import { loadConfig } from '../config.ts';
import { resolvePdfFont } from '../erasure/certificate.ts';
import { landscapePdf, PAGE } from './pdf-doc.ts';
import { tokyoDateTime, yen } from '../../domain/format.ts';
import { monthLabels, points } from '../../domain/collection-trend.ts';
import type { TrendReport } from './trends.ts';

type Lang = 'ja' | 'en';
const KINDS = ['current', 'arrears', 'total'] as const;
const KIND_LABEL = { current: { ja: '現年分', en: 'Current year' }, arrears: { ja: '滞納繰越分', en: 'Carried-over arrears' }, total: { ja: '合計', en: 'Total' } } as const;
const fyLabel = (fy: number, lang: Lang) => (lang === 'ja' ? `${fy}年度` : `FY${fy}`);

/** The filters as one line ("全世帯", or segment / district / nationality / 居所不明を除く). */
export function filterLine(r: TrendReport, lang: Lang): string {
	const parts: string[] = [];
	const seg = r.filter.segment !== null ? r.choices.segments.find((s) => s.id === r.filter.segment) : null;
	if (seg) parts.push(`${lang === 'ja' ? '区分' : 'Segment'}: ${lang === 'ja' ? seg.nameJa : seg.nameEn}`);
	if (r.filter.district) parts.push(`${lang === 'ja' ? '町名' : 'District'}: ${r.filter.district}`);
	if (r.filter.nationality) parts.push(`${lang === 'ja' ? '国籍' : 'Nationality'}: ${r.filter.nationality === 'jp' ? (lang === 'ja' ? '日本国籍' : 'Japanese') : lang === 'ja' ? '外国籍' : 'Foreign'}`);
	if (r.filter.excludeUnknown) parts.push(lang === 'ja' ? '居所不明を除く' : 'without whereabouts unknown');
	return parts.length ? parts.join(' / ') : lang === 'ja' ? '全世帯' : 'All households';
}

const title = (r: TrendReport, lang: Lang) => (lang === 'ja' ? `収納率の推移 ${r.fiscalYear}年度` : `Collection rate trends FY${r.fiscalYear}`);
const known = (r: TrendReport, yi: number, kind: (typeof KINDS)[number]) => kind === 'current' || r.years[yi].arrearsKnown;

export async function trendsXlsx(r: TrendReport, lang: Lang): Promise<Uint8Array> {
	const wb = new ExcelJS.Workbook();
	wb.creator = 'kansho';
	const labels = monthLabels(lang);
	for (const kind of KINDS) {
		const ws = wb.addWorksheet(KIND_LABEL[kind][lang]);
		ws.addRow([`${title(r, lang)} — ${KIND_LABEL[kind][lang]}`]).font = { bold: true, size: 13 };
		ws.addRow([filterLine(r, lang)]);
		ws.addRow([]);
		const head = [lang === 'ja' ? '月' : 'Month', ...r.years.map((y) => fyLabel(y.fiscalYear, lang)), lang === 'ja' ? '前年同月差（ポイント）' : 'vs previous year (points)'];
		if (kind !== 'total') head.push(lang === 'ja' ? '収納額（累計）' : 'Received (cumulative)', lang === 'ja' ? '調定額' : 'Assessed');
		ws.addRow(head).font = { bold: true };
		labels.forEach((label, i) => {
			const p = r.years[0].points[i];
			const rates = r.years.map((y, yi) => (y.points[i].future || !known(r, yi, kind) ? null : y.points[i].rates[kind]));
			const diff = !p.future && r.years[1] && known(r, 1, kind) ? points(p.rates[kind], r.years[1].points[i].rates[kind]) : null;
			const row: (string | number | null)[] = [label, ...rates, diff];
			if (kind !== 'total') row.push(p.future ? null : p.amounts[kind].received, p.amounts[kind].assessed);
			ws.addRow(row);
		});
		r.years.forEach((_, yi) => (ws.getColumn(2 + yi).numFmt = '0.0%'));
		ws.getColumn(2 + r.years.length).numFmt = '+0.0;-0.0;0.0';
		if (kind !== 'total') for (const c of [3 + r.years.length, 4 + r.years.length]) ws.getColumn(c).numFmt = '"¥"#,##0';
		ws.getColumn(1).width = 10;
		for (let c = 2; c <= 5 + r.years.length; c++) ws.getColumn(c).width = 16;
	}
	const notes = wb.addWorksheet(lang === 'ja' ? '注記' : 'Notes');
	notes.getColumn(1).width = 120;
	notes.addRow([r.formula[lang]]);
	notes.addRow([lang === 'ja' ? `集計時点: ${r.asOf.refreshedAt ? tokyoDateTime(r.asOf.refreshedAt) : '—'}` : `Summed at ${r.asOf.refreshedAt ? tokyoDateTime(r.asOf.refreshedAt) : '—'}`]);
	return new Uint8Array(await wb.xlsx.writeBuffer());
}

const { W, H, M } = PAGE;

export async function trendsPdf(r: TrendReport, lang: Lang, font = resolvePdfFont()): Promise<Uint8Array> {
	const { doc, finish } = landscapePdf(title(r, lang), font);
	const gray = '#555555';
	const cfg = loadConfig();
	const labels = monthLabels(lang);
	const colors = ['#1f5fa8', '#d9822b', '#7a7a7a'];
	const pct = (x: number | null) => (x === null ? '—' : `${(Math.round(x * 1000) / 10).toFixed(1)}%`);
	KINDS.forEach((kind, ki) => {
		if (ki > 0) doc.addPage();
		doc.fontSize(9).fillColor(gray).text([cfg.WARD_NAME, cfg.CENTER_NAME ?? (lang === 'ja' ? '国保納付勧奨センター' : 'NHI payment reminder center')].filter(Boolean).join('　'), M, M);
		doc.fillColor('black').fontSize(16).text(`${title(r, lang)} — ${KIND_LABEL[kind][lang]}`);
		doc.fontSize(9).fillColor(gray).text(`${filterLine(r, lang)}　${lang === 'ja' ? '作成' : 'Generated'} ${tokyoDateTime(r.generatedAt)}`);
		// the chart: one line per year, cumulative rate by month (0–100%)
		const x0 = M + 34;
		const y0 = doc.y + 10;
		const cw = 420;
		const ch = 200;
		doc.fontSize(7).fillColor(gray);
		for (let v = 0; v <= 100; v += 20) {
			const yy = y0 + ch - (v / 100) * ch;
			doc.moveTo(x0, yy).lineTo(x0 + cw, yy).strokeColor('#e5e5e5').lineWidth(0.4).stroke();
			doc.text(`${v}%`, M, yy - 4, { width: 30, align: 'right', lineBreak: false });
		}
		const step = cw / 11;
		labels.forEach((l, i) => doc.fillColor(gray).text(l, x0 + i * step - 12, y0 + ch + 4, { width: 24, align: 'center', lineBreak: false }));
		r.years.forEach((y, yi) => {
			if (!known(r, yi, kind)) return;
			const pts = y.points.map((p, i) => (p.future || p.rates[kind] === null ? null : { x: x0 + i * step, y: y0 + ch - (p.rates[kind] as number) * ch }));
			doc.strokeColor(colors[yi]).lineWidth(yi === 0 ? 2 : 1.2);
			if (yi === 1) doc.dash(5, { space: 3 });
			else if (yi === 2) doc.dash(2, { space: 2 });
			else doc.undash();
			let started = false;
			for (const p of pts) {
				if (!p) {
					started = false;
					continue;
				}
				if (started) doc.lineTo(p.x, p.y);
				else doc.moveTo(p.x, p.y);
				started = true;
			}
			doc.stroke().undash();
			doc.rect(x0 + cw + 16, y0 + 6 + yi * 14, 10, 3).fillColor(colors[yi]).fill();
			doc.fillColor('black').fontSize(8).text(fyLabel(y.fiscalYear, lang), x0 + cw + 30, y0 + 3 + yi * 14, { lineBreak: false });
		});
		if (kind !== 'current' && !r.years[0].arrearsKnown)
			doc.fillColor('#a33').fontSize(9).text(lang === 'ja' ? 'この年度より前のデータがないため計算できません。' : 'No data before this year.', x0 + 10, y0 + 10);
		// the table
		let y = y0 + ch + 22;
		const widths = [40, ...r.years.map(() => 62), 70, 110, 110];
		const row = (cells: string[], color = 'black') => {
			let x = M;
			doc.fontSize(7.5).fillColor(color);
			cells.forEach((c, i) => {
				doc.text(c, x + 2, y, { width: widths[i] - 4, align: i === 0 ? 'left' : 'right', lineBreak: false });
				x += widths[i];
			});
			y += 12;
		};
		row([lang === 'ja' ? '月' : 'Month', ...r.years.map((yr) => fyLabel(yr.fiscalYear, lang)), lang === 'ja' ? '前年同月差' : 'vs prev.', ...(kind !== 'total' ? [lang === 'ja' ? '収納額（累計）' : 'Received', lang === 'ja' ? '調定額' : 'Assessed'] : [])], gray);
		labels.forEach((label, i) => {
			const p = r.years[0].points[i];
			const diff = !p.future && r.years[1] && known(r, 1, kind) ? points(p.rates[kind], r.years[1].points[i].rates[kind]) : null;
			row([
				label,
				...r.years.map((yr, yi) => (yr.points[i].future || !known(r, yi, kind) ? '—' : pct(yr.points[i].rates[kind]))),
				diff === null ? '—' : `${diff > 0 ? '+' : ''}${diff.toFixed(1)}`,
				...(kind !== 'total' ? [p.future ? '—' : yen(p.amounts[kind].received), yen(p.amounts[kind].assessed)] : [])
			]);
		});
		doc.fillColor(gray).fontSize(7).text(r.formula[lang], M, H - M - 34, { width: W - 2 * M });
	});
	return finish();
}
