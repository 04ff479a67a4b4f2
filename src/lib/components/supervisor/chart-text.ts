/**
 * The words of the live charts: each chart's formula and denominator (from the definitions in floor-charts.ts /
 * kpi.ts, never written twice), values as staff read them, and the text summaries that say what a chart shows
 * ("Contact rate 14:00: 32.0% (16 of 50 households attempted); last week 28.0%").
 */
import type { T } from '$lib/i18n';
import { formatRate } from '$lib/domain/kpi';
import { yen } from '$lib/domain/format';
import {
	chartValue,
	latestHourWithCalls,
	type FloorCharts,
	type FunnelRow,
	type FunnelStageValue,
	type HourPoint,
	type HourlyChartDef
} from '$lib/domain/floor-charts';

const num = new Intl.NumberFormat('ja-JP');

/** A chart's value as text: a count, a rate (— for no data) or yen. */
export function valueText(unit: HourlyChartDef['unit'], v: number | null): string {
	if (unit === 'rate') return formatRate(v);
	if (v === null) return '—';
	return unit === 'yen' ? yen(v) : num.format(v);
}

export const hourLabel = (t: T, h: number) => t('charts.hour', { h });

/** "接触率 = 接触世帯数 ÷ 架電世帯数" and "分母：架電世帯数", or a count's definition and "no denominator". */
export function formulaText(t: T, def: HourlyChartDef): { formula: string; denominator: string } {
	const name = t(`charts.measure.${def.key}`);
	if (def.denominator === null)
		return { formula: t('charts.countFormula', { name, def: t(`charts.countDef.${def.key}`) }), denominator: t('charts.noDenominator') };
	const den = t(`charts.measure.${def.denominator}`);
	return { formula: t('charts.rateFormula', { name, num: t(`charts.measure.${def.numerator}`), den }), denominator: t('charts.denominatorIs', { den }) };
}

/** One point's value with its parts, for tables: "32.0% (16 / 50)". */
export function pointText(def: HourlyChartDef, p: HourPoint): string {
	const v = valueText(def.unit, chartValue(def, p));
	return def.denominator === null ? v : `${v} (${num.format(p[def.numerator])} / ${num.format(p[def.denominator])})`;
}

/** Two sentences: no space after a Japanese full stop. */
const join = (a: string, b: string) => (a.endsWith('。') ? `${a}${b}` : `${a} ${b}`);

/** The chart's text summary: the latest hour with calls today against the same hour last week, then the day. */
export function hourlySummary(t: T, def: HourlyChartDef, charts: FloorCharts): string {
	const name = t(`charts.measure.${def.key}`);
	const h = latestHourWithCalls(charts);
	if (!h) return t('charts.summaryNone', { name });
	const hour = hourLabel(t, h.hour);
	const day = t('charts.summaryDay', { value: valueText(def.unit, chartValue(def, charts.today)), last: valueText(def.unit, chartValue(def, charts.lastWeek)) });
	if (def.denominator === null)
		return join(`${t('charts.summaryCount', { name, hour, value: valueText(def.unit, chartValue(def, h.today)), last: valueText(def.unit, chartValue(def, h.lastWeek)) })}`, day);
	return join(t('charts.summaryRate', {
		name,
		hour,
		rate: formatRate(chartValue(def, h.today)),
		n: num.format(h.today[def.numerator]),
		d: num.format(h.today[def.denominator]),
		den: t(`charts.measure.${def.denominator}`),
		lastRate: formatRate(chartValue(def, h.lastWeek))
	}), day);
}

/** A funnel stage's rate over its denominator stage: "75.0% of Households", or '' for the first stage. */
export function stageRateText(t: T, s: FunnelStageValue): string {
	if (s.denominator === null) return '';
	return t('charts.funnel.rateOf', { rate: formatRate(s.rate), den: t(`charts.funnel.stage.${s.denominator}`) });
}

export function funnelSummary(t: T, row: FunnelRow, locale: 'ja' | 'en'): string {
	const counts = Object.fromEntries(row.stages.map((s) => [s.stage, num.format(s.count)]));
	return t('charts.funnel.summary', { segment: locale === 'ja' ? row.nameJa : row.nameEn, ...counts });
}
