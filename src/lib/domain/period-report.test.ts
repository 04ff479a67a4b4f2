import { describe, expect, it } from 'vitest';
import {
	REPORT_COLUMNS,
	REPORT_GROUPS,
	RATE_COLUMNS,
	addsUp,
	assembleReport,
	columnLabel,
	formatReportCell,
	previousMonth,
	rateHeader,
	ratePercent,
	rateValue,
	reportNotes,
	reportPeriod,
	reportTables,
	reportTitle,
	type Dimension,
	type ReportInput,
	type ReportMeasures
} from './period-report.ts';

describe('reportPeriod', () => {
	it('gives a day and a month as [from, to)', () => {
		expect(reportPeriod('day', '2026-02-28')).toEqual({ kind: 'day', period: '2026-02-28', from: '2026-02-28', to: '2026-03-01' });
		expect(reportPeriod('month', '2026-12')).toEqual({ kind: 'month', period: '2026-12', from: '2026-12-01', to: '2027-01-01' });
		expect(reportPeriod('month', '2028-02')).toMatchObject({ from: '2028-02-01', to: '2028-03-01' });
	});
	it('names what is wrong', () => {
		expect(reportPeriod('week', '2026-01')).toMatchObject({ field: 'kind' });
		expect(reportPeriod('day', '2026-02-29')).toMatchObject({ field: 'period', code: 'no_such_date', params: { value: '2026-02-29' }, error: expect.stringContaining('存在しない') });
		expect(reportPeriod('month', '2026-1')).toMatchObject({ field: 'period', code: 'month_format' });
		expect(reportPeriod('day', '1999-12-31')).toMatchObject({ field: 'period', code: 'year_range' });
		expect(reportPeriod('day', '2026-2-1')).toMatchObject({ field: 'period' });
		expect(reportPeriod('month', '2026-13')).toMatchObject({ field: 'period' });
		expect(reportPeriod('month', '1999-12')).toMatchObject({ field: 'period' });
		expect(reportPeriod('month', undefined)).toMatchObject({ field: 'period' });
	});
	it('knows the month before', () => {
		expect(previousMonth('2026-01')).toBe('2025-12');
		expect(previousMonth('2026-10')).toBe('2026-09');
	});
});

const base = (over: Partial<ReportInput> = {}): ReportInput => ({
	kind: 'month',
	period: '2026-09',
	from: '2026-09-01',
	to: '2026-10-01',
	generatedAt: '2026-10-01T00:00:00Z',
	today: '2026-10-01',
	live: { operator: new Map(), team: new Map(), segment: new Map(), total: new Map([['', {}]]) },
	erased: null,
	operatorNames: new Map(),
	segmentNames: new Map(),
	series: [],
	lang: 'ja',
	...over
});

describe('assembleReport', () => {
	const live = {
		operator: new Map<string, Partial<ReportMeasures>>([
			['1', { attempts: 3, householdsAttempted: 2, promises: 1, promisedAmount: 5000, secondsAvailable: 3600 }],
			['2', { attempts: 2, householdsAttempted: 2, promisesDue: 2, promisesKept: 1, secondsAvailable: 1800 }]
		]),
		team: new Map<string, Partial<ReportMeasures>>([['A班', { attempts: 5, householdsAttempted: 3, promises: 1, promisedAmount: 5000, promisesDue: 2, promisesKept: 1, secondsAvailable: 5400 }]]),
		segment: new Map<string, Partial<ReportMeasures>>([
			['7', { attempts: 4, householdsAttempted: 2, promises: 1, promisedAmount: 5000, promisesDue: 2, promisesKept: 1 }],
			['0', { attempts: 1, householdsAttempted: 1 }]
		]),
		total: new Map<string, Partial<ReportMeasures>>([['', { attempts: 5, householdsAttempted: 3, promises: 1, promisedAmount: 5000, promisesDue: 2, promisesKept: 1, secondsAvailable: 5400, lettersSent: 12 }]])
	};
	const input = base({
		live,
		erased: { attempts: 4, householdsAttempted: 2, promisesDue: 1 },
		operatorNames: new Map([
			['1', { name: '佐藤', team: 'A班' }],
			['2', { name: '鈴木', team: 'A班' }]
		]),
		segmentNames: new Map([['7', '高額']])
	});

	it('adds the erased households to the total and as a row of each section, so every section adds up', () => {
		const r = assembleReport(input);
		expect(r.total.measures).toMatchObject({ attempts: 9, householdsAttempted: 5, promisesDue: 3, lettersSent: 12, secondsAvailable: 5400 });
		for (const dim of ['operator', 'team', 'segment'] as Dimension[]) {
			expect(addsUp(r, dim)).toEqual([]);
			const rows = dim === 'operator' ? r.operators : dim === 'team' ? r.teams : r.segments;
			expect(rows.at(-1)).toMatchObject({ key: 'erased', label: '消去済み世帯（保存統計）' });
		}
		expect(r.operators.map((o) => [o.label, o.team])).toEqual([
			['佐藤', 'A班'],
			['鈴木', 'A班'],
			['消去済み世帯（保存統計）', undefined]
		]);
		expect(r.segments.map((s) => s.label)).toContain('（区分なし：着信など）');
		// figures that do not exist at a breakdown are null, not 0
		expect(r.operators[0].measures.lettersSent).toBeNull();
		expect(r.segments[0].measures.secondsAvailable).toBeNull();
		expect(r.teams[0].measures.secondsAvailable).toBe(5400);
	});

	it('finds a section that does not add up', () => {
		const r = assembleReport(input);
		r.operators[0].measures.attempts += 1;
		expect(addsUp(r, 'operator')).toEqual(['attempts']);
	});

	it('has no erased row without kept statistics, and rates without a denominator are null', () => {
		const r = assembleReport(base());
		expect(r.operators).toEqual([]);
		expect(r.total.rates).toEqual({ answerRate: null, contactRate: null, rightPartyRate: null, promiseRate: null, keptRate: null });
		expect(formatReportCell('keptRate', r.total)).toBe('—');
		expect(formatReportCell('attempts', r.total)).toBe('0');
	});

	it('computes the kept rate as kept ÷ due, and formats yen, hours and rates', () => {
		const r = assembleReport(input);
		expect(r.operators[1].rates.keptRate).toBe(0.5);
		expect(formatReportCell('keptRate', r.operators[1])).toBe('50.0%');
		expect(formatReportCell('promisedAmount', r.operators[0])).toBe('¥5,000');
		expect(formatReportCell('secondsAvailable', r.operators[1])).toBe('0.5');
		expect(formatReportCell('lettersSent', r.operators[0])).toBe('');
	});

	it('marks a period that is not over', () => {
		expect(assembleReport(base({ today: '2026-09-10' })).partial).toEqual({ elapsedDays: 10, totalDays: 30 });
		expect(assembleReport(base({ today: '2026-10-01' })).partial).toBeNull();
		expect(assembleReport(base({ today: '2026-09-10' })).future).toBe(false);
	});

	it('marks a period after today as in the future, not "0 of n days elapsed"', () => {
		const r = assembleReport(base({ today: '2026-08-31' }));
		expect(r).toMatchObject({ future: true, partial: null });
		expect(reportNotes(r, 'ja')).toContain('この期間はまだ始まっていません（今日より後の期間です）。');
		expect(reportNotes(r, 'ja').join('')).not.toContain('経過');
	});

	it('lays out one table per section with every column and the rates', () => {
		const t = reportTables(assembleReport(input), 'ja');
		expect(t.map((x) => x.section)).toEqual(['total', 'team', 'operator', 'segment']);
		const ops = t[2];
		expect(ops.header.slice(0, 3)).toEqual(['オペレーター', '班', '架電件数']);
		expect(ops.header).toHaveLength(2 + REPORT_COLUMNS.length + RATE_COLUMNS.length);
		expect(ops.rows[0].slice(0, 3)).toEqual(['佐藤', 'A班', 3]);
		expect(ops.header).toContain('約束金額（円）');
		expect(t[0].rows[0][0]).toBe('合計');
	});

	it('holds rates as fractions for Excel, and as percentages with one decimal and (%) in the header for CSV', () => {
		const r = assembleReport(input);
		const fraction = reportTables(r, 'ja')[0];
		const percent = reportTables(r, 'ja', 'percent')[0];
		const i = fraction.header.indexOf('約束履行率');
		expect(i).toBeGreaterThan(0);
		expect(percent.header[i]).toBe('約束履行率（%）');
		expect(reportTables(r, 'en', 'percent')[0].header[i]).toBe('Kept rate (%)');
		const x = r.total.rates.keptRate!; // 1 of 3 due: 33.3%
		expect(x).toBeGreaterThan(0);
		expect(fraction.rows[0][i]).toBe(Math.round(x * 10_000) / 10_000);
		expect(percent.rows[0][i]).toBe((Math.round(x * 10_000) / 100).toFixed(1));
		// the same figure as the page shows, without the sign
		expect(`${percent.rows[0][i]}%`).toBe(formatReportCell('keptRate', r.total));
		expect(percent.rows[0][i]).toBe('33.3');
	});

	it('writes a percentage with one decimal, rounded as the page rounds it; none without a denominator', () => {
		expect(ratePercent(0.123)).toBe('12.3');
		expect(ratePercent(0.12345)).toBe('12.3');
		expect(ratePercent(0.12355)).toBe('12.4');
		expect(ratePercent(1)).toBe('100.0');
		expect(ratePercent(0)).toBe('0.0');
		expect(ratePercent(null)).toBeNull();
		expect(rateHeader({ ja: '接触率', en: 'Contact rate' }, 'ja', 'percent')).toBe('接触率（%）');
		expect(rateHeader({ ja: '接触率', en: 'Contact rate' }, 'en', 'fraction')).toBe('Contact rate');
		expect(rateValue(0.5, 'fraction')).toBe(0.5);
		expect(rateValue(0.5, 'percent')).toBe('50.0');
	});

	it('every column is in exactly one group of the PDF and the page, with both labels and a formula', () => {
		const grouped = REPORT_GROUPS.flatMap((g) => g.keys);
		for (const c of REPORT_COLUMNS.filter((c) => c.key !== 'lettersSent' && c.key !== 'householdsResolved')) expect(grouped.filter((k) => k === c.key)).toHaveLength(1);
		for (const c of [...REPORT_COLUMNS, ...RATE_COLUMNS]) expect(c.ja && c.en && c.formula.ja && c.formula.en).toBeTruthy();
	});
});

describe('reportTitle', () => {
	it('names the report in Japanese and English', () => {
		expect(reportTitle('day', '2026-09-01', 'ja')).toBe('日報 2026年9月1日');
		expect(reportTitle('month', '2026-09', 'ja')).toBe('月報 2026年9月');
		expect(reportTitle('month', '2026-09', 'en')).toBe('Monthly report 2026-09');
	});
});

describe('columnLabel', () => {
	it('says the unit of the hours columns (shown as 1.5), not of the counts or rates', () => {
		expect(columnLabel('secondsAvailable', 'ja')).toBe('待機時間（時間）');
		expect(columnLabel('secondsBreak', 'en')).toBe('Hours on break (h)');
		expect(columnLabel('attempts', 'ja')).toBe('架電件数');
		expect(columnLabel(RATE_COLUMNS[0].key, 'en')).toBe(RATE_COLUMNS[0].en);
	});
});
