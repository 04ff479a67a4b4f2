/**
 * 収納率の推移 (issue #8): the collection rate of a fiscal year by month, cumulative, against the same months of the
 * two years before; 現年分, 滞納繰越分 and total; for all households or a segment, a district or a nationality group;
 * optionally without the households whose whereabouts are unknown (居所不明, as the national statistics do); and the
 * year's rates by segment, district and nationality group. Aggregates only (not in the access log). The data behind
 * the charts can be downloaded as CSV (CP932 or UTF-8). Policy: reports.view.
 */
import { z } from 'zod';
import iconv from 'iconv-lite';
import { db } from '../db.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { invalidInput } from '../errors.ts';
import { fiscalYearOf, tokyoDate } from '../../domain/format.ts';
import { collectionRates, COLLECTION_RATE_FORMULA, type CollectionRates } from '../../domain/collection-rate.ts';
import { compareYears, monthLabels, points, yearTrend, type YearTrend } from '../../domain/collection-trend.ts';
import { cp932Safe } from '../exports/cp932.ts';
import * as q from './trends.queries.ts';

const flag = z
	.union([z.literal('1'), z.literal('0'), z.literal('true'), z.literal('false'), z.literal('on'), z.literal('')])
	.optional()
	.transform((v) => v === '1' || v === 'true' || v === 'on');

const input = z.object({
	fy: z.coerce.number({ error: 'fy: a fiscal year / 年度を数字で指定してください' }).int().min(2000, 'fy: from 2000 / 2000年度以降').max(2100, 'fy: up to 2100 / 2100年度まで').optional(),
	segment: z.coerce.number({ error: 'segment: a segment number / 区分が正しくありません' }).int().positive('segment: a segment number / 区分が正しくありません').optional(),
	district: z.string().trim().min(1).max(100, 'district: up to 100 characters / 町名は100文字まで').optional(),
	nationality: z.enum(['jp', 'foreign'], { error: 'nationality: jp or foreign / 国籍は jp か foreign です' }).optional(),
	excludeUnknown: flag
});

export interface BreakdownRow {
	key: string;
	label: string;
	rates: CollectionRates;
	assessed: number;
	received: number;
}

export interface TrendReport {
	fiscalYear: number;
	todayMonth: string;
	filter: { segment: number | null; district: string | null; nationality: 'jp' | 'foreign' | null; excludeUnknown: boolean };
	/** the year and the two before it (index 0 = the year) */
	years: YearTrend[];
	/** the year's latest month with data (to today), by segment, district and nationality group */
	breakdown: { segment: BreakdownRow[]; district: BreakdownRow[]; nationality: BreakdownRow[]; month: string };
	choices: Awaited<ReturnType<typeof q.trendChoices>>;
	formula: typeof COLLECTION_RATE_FORMULA;
	/** when the summary was built from the receipts, and whether receipts changed since (rebuilt within minutes) */
	asOf: { refreshedAt: string | null; stale: boolean };
	generatedAt: string;
}

export async function collectionTrends(actor: Actor, raw: Record<string, unknown>, lang: 'ja' | 'en' = 'ja', now = new Date()): Promise<TrendReport> {
	requirePermission(actor, 'reports.view');
	const clean = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== null && v !== undefined && v !== ''));
	const parsed = input.safeParse(clean);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const p = parsed.data;
	const today = tokyoDate(now);
	const fy = p.fy ?? fiscalYearOf(today);
	const todayMonth = today.slice(0, 7);
	const sql = db();
	// the summary is built by the sweeper; the very first time (a new installation) here, once
	let state = await q.collectionCellsState(sql);
	if (!state.refreshedAt) {
		await q.refreshCollectionCells(sql);
		state = await q.collectionCellsState(sql);
	}
	const filter = { segmentId: p.segment, district: p.district, nationality: p.nationality, excludeUnknown: p.excludeUnknown };
	const [cells, bySegment, byDistrict, byNationality, choices] = await Promise.all([
		q.receiptCells(sql, 1990, fy, filter),
		q.breakdownCells(sql, 'segment', 1990, fy, p.excludeUnknown),
		q.breakdownCells(sql, 'district', 1990, fy, p.excludeUnknown),
		q.breakdownCells(sql, 'nationality', 1990, fy, p.excludeUnknown),
		q.trendChoices(sql)
	]);
	const years = compareYears(cells, fy, todayMonth);
	// the breakdown to the last month that has begun (the whole year for a past one)
	const lastMonth = years[0].points.filter((x) => !x.future).at(-1)?.month ?? `${fy}-04`;
	const segName = new Map(choices.segments.map((s) => [String(s.id), lang === 'ja' ? s.nameJa : s.nameEn]));
	const group = (cellsWithKey: typeof bySegment, label: (k: string) => string): BreakdownRow[] => {
		const keys = [...new Set(cellsWithKey.map((c) => c.key))];
		return keys
			.map((key) => {
				const t = yearTrend(
					cellsWithKey.filter((c) => c.key === key),
					fy,
					todayMonth
				);
				const pt = t.points.find((x) => x.month === lastMonth)!;
				return {
					key,
					label: label(key),
					rates: pt.rates,
					assessed: pt.amounts.current.assessed + pt.amounts.arrears.assessed,
					received: pt.amounts.current.received + pt.amounts.arrears.received
				};
			})
			.filter((r) => r.assessed > 0)
			.sort((a, b) => a.label.localeCompare(b.label, 'ja'));
	};
	const none = lang === 'ja' ? '（なし）' : '(none)';
	return {
		fiscalYear: fy,
		todayMonth,
		filter: { segment: p.segment ?? null, district: p.district ?? null, nationality: p.nationality ?? null, excludeUnknown: p.excludeUnknown },
		years,
		breakdown: {
			month: lastMonth,
			segment: group(bySegment, (k) => (k === '' ? (lang === 'ja' ? '（区分外）' : '(no segment)') : (segName.get(k) ?? `#${k}`))),
			district: group(byDistrict, (k) => (k === '' ? none : k)),
			nationality: group(byNationality, (k) => (k === 'jp' ? (lang === 'ja' ? '日本国籍' : 'Japanese') : lang === 'ja' ? '外国籍' : 'Foreign'))
		},
		choices,
		formula: COLLECTION_RATE_FORMULA,
		asOf: { refreshedAt: state.refreshedAt?.toISOString() ?? null, stale: state.stale },
		generatedAt: now.toISOString()
	};
}

/** The data behind the charts as CSV: one row per year and month, amounts and rates. Policy: reports.view. */
export async function collectionTrendsCsv(actor: Actor, raw: Record<string, unknown>, encoding: 'cp932' | 'utf8', lang: 'ja' | 'en' = 'ja'): Promise<{ body: Uint8Array; name: string }> {
	const r = await collectionTrends(actor, raw, lang);
	const labels = monthLabels(lang);
	const head =
		lang === 'ja'
			? ['年度', '月', '現年分調定額', '現年分収納額（累計）', '現年分収納率', '滞納繰越分調定額', '滞納繰越分収納額（累計）', '滞納繰越分収納率', '合計収納率', '前年同月差（現年分・ポイント）']
			: ['Fiscal year', 'Month', 'Current assessed', 'Current received (cumulative)', 'Current rate', 'Arrears assessed', 'Arrears received (cumulative)', 'Arrears rate', 'Total rate', 'vs previous year (current, points)'];
	const rate = (x: number | null) => (x === null ? '' : (Math.round(x * 100_000) / 1000).toFixed(3) + '%');
	const lines = [head];
	r.years.forEach((y, yi) =>
		y.points.forEach((pt, i) => {
			if (pt.future) return;
			const prev = r.years[yi + 1]?.points[i];
			lines.push([
				String(y.fiscalYear),
				labels[i],
				String(pt.amounts.current.assessed),
				String(pt.amounts.current.received),
				rate(pt.rates.current),
				y.arrearsKnown ? String(pt.amounts.arrears.assessed) : '',
				y.arrearsKnown ? String(pt.amounts.arrears.received) : '',
				y.arrearsKnown ? rate(pt.rates.arrears) : '',
				rate(y.arrearsKnown ? pt.rates.total : collectionRates({ current: pt.amounts.current, arrears: { assessed: 0, received: 0 } }).total),
				prev ? String(points(pt.rates.current, prev.rates.current) ?? '') : ''
			]);
		})
	);
	const text = lines.map((l) => l.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n';
	const body = encoding === 'cp932' ? iconv.encode(cp932Safe(text).text, 'cp932') : Buffer.from('\uFEFF' + text, 'utf8');
	return { body, name: `収納率推移_${r.fiscalYear}年度${encoding === 'utf8' ? '_utf8' : ''}.csv` };
}

/**
 * Rebuild the summary now (a manager who has just imported receipts, or wants today's segments): the same rebuild
 * the sweeper runs, forced; "not now" when another instance is rebuilding it. Policy: reports.view.
 */
export async function refreshCollectionTrends(actor: Actor): Promise<{ refreshed: boolean; ms?: number }> {
	requirePermission(actor, 'reports.view');
	const r = await q.refreshCollectionCells(db(), { force: true });
	return { refreshed: r.refreshed, ms: r.ms };
}

export const trendFormats = ['csv', 'csv-utf8', 'xlsx', 'pdf'] as const;
export type TrendFormat = (typeof trendFormats)[number];

/** The trends as a file: CSV (CP932 or UTF-8), Excel or PDF, with the page's filters. Policy: reports.view. */
export async function collectionTrendsFile(actor: Actor, raw: Record<string, unknown>, format: unknown, lang: 'ja' | 'en' = 'ja'): Promise<{ body: Uint8Array; name: string; contentType: string }> {
	requirePermission(actor, 'reports.view');
	const f = z.enum(trendFormats, { error: 'format: csv, csv-utf8, xlsx or pdf / 形式は csv・csv-utf8・xlsx・pdf のいずれかです' }).safeParse(format ?? 'csv');
	if (!f.success) throw invalidInput(f.error.issues.map((i) => ({ ...i, path: ['format'] })));
	if (f.data === 'csv' || f.data === 'csv-utf8') {
		const r = await collectionTrendsCsv(actor, raw, f.data === 'csv' ? 'cp932' : 'utf8', lang);
		return { ...r, contentType: f.data === 'csv' ? 'text/csv; charset=shift_jis' : 'text/csv; charset=utf-8' };
	}
	const r = await collectionTrends(actor, raw, lang);
	const { trendsPdf, trendsXlsx } = await import('./trends-files.ts');
	const base = `収納率推移_${r.fiscalYear}年度`;
	return f.data === 'xlsx'
		? { body: await trendsXlsx(r, lang), name: `${base}.xlsx`, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }
		: { body: await trendsPdf(r, lang), name: `${base}.pdf`, contentType: 'application/pdf' };
}
