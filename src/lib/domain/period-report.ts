/**
 * 日報・月報 (issue #8): the daily and monthly report per operator, per team, per segment and in total, pure. The
 * server (src/lib/server/reports/period-report.ts) reads the figures with the SQL of the live reports; this module
 * states what every column is (its formula, whether it adds up), assembles the sections, checks that they add up,
 * and lays the report out as rows for CSV and Excel. docs/kpis.md has the same definitions for people.
 */
import { keptRate, rates, type Rates } from './kpi.ts';
import { addDays } from './tokyo-time.ts';
import { periodProgress } from './collection-rate.ts';
import { yen } from './format.ts';
import { timedStates, type TimedState } from './performance.ts';

export const handoffReasons = ['installment', 'hardship', 'reduction', 'complaint', 'other'] as const;
export type HandoffReason = (typeof handoffReasons)[number];

/** The figures of one row of a report. null: the figure does not exist at this breakdown (e.g. letters per operator). */
export interface ReportMeasures {
	attempts: number;
	answeredAttempts: number;
	householdsAttempted: number;
	householdsContacted: number;
	rightPartyContacts: number;
	promises: number;
	promisedAmount: number;
	promisesDue: number;
	promisesKept: number;
	promisesPartlyKept: number;
	promisesBroken: number;
	handoffInstallment: number;
	handoffHardship: number;
	handoffReduction: number;
	handoffComplaint: number;
	handoffOther: number;
	inbound: number;
	lettersSent: number | null;
	householdsResolved: number | null;
	collectedAfterContact: number;
	secondsAvailable: number | null;
	secondsOnHousehold: number | null;
	secondsWrapUp: number | null;
	secondsBreak: number | null;
}
export type MeasureKey = keyof ReportMeasures;

export const handoffKey: Record<HandoffReason, MeasureKey> = {
	installment: 'handoffInstallment',
	hardship: 'handoffHardship',
	reduction: 'handoffReduction',
	complaint: 'handoffComplaint',
	other: 'handoffOther'
};
export const stateKey: Record<TimedState, MeasureKey> = {
	available: 'secondsAvailable',
	on_household: 'secondsOnHousehold',
	wrap_up: 'secondsWrapUp',
	break: 'secondsBreak'
};

export type Dimension = 'operator' | 'team' | 'segment';

export interface ColumnDef {
	key: MeasureKey;
	ja: string;
	en: string;
	unit: 'count' | 'yen' | 'hours';
	/** true: the rows of a section add up to the total; false: distinct households, counted afresh in each row */
	additive: boolean;
	/** the breakdowns the figure exists at (the total always has it) */
	dims: readonly Dimension[];
	formula: { ja: string; en: string };
}

const all: readonly Dimension[] = ['operator', 'team', 'segment'];
const staff: readonly Dimension[] = ['operator', 'team'];

/** Every column of the report, in order, with its formula. */
export const REPORT_COLUMNS: readonly ColumnDef[] = [
	{ key: 'attempts', ja: '架電件数', en: 'Attempts', unit: 'count', additive: true, dims: all, formula: { ja: '記録された通話の件数（発信・着信）', en: 'recorded calls (outbound and inbound)' } },
	{ key: 'answeredAttempts', ja: '応答件数', en: 'Answered', unit: 'count', additive: true, dims: all, formula: { ja: '応答のあった通話の件数', en: 'calls answered by a person' } },
	{ key: 'householdsAttempted', ja: '架電世帯数', en: 'Households called', unit: 'count', additive: false, dims: all, formula: { ja: '通話が1件以上ある世帯の数（重複なし）', en: 'distinct households with ≥1 call' } },
	{ key: 'householdsContacted', ja: '接触世帯数', en: 'Households contacted', unit: 'count', additive: false, dims: all, formula: { ja: '応答のあった通話が1件以上ある世帯の数（重複なし）', en: 'distinct households with ≥1 answered call' } },
	{ key: 'rightPartyContacts', ja: '本人接触数', en: 'Right-party contacts', unit: 'count', additive: false, dims: all, formula: { ja: '納付義務者本人と話せた世帯の数（重複なし）', en: 'distinct households where the payer was reached' } },
	{ key: 'promises', ja: '納付約束件数', en: 'Promises', unit: 'count', additive: true, dims: all, formula: { ja: '結果が「納付約束」の通話の件数', en: 'calls with a promise outcome' } },
	{ key: 'promisedAmount', ja: '約束金額', en: 'Amount promised', unit: 'yen', additive: true, dims: all, formula: { ja: 'それらの約束の金額の合計', en: 'sum of those promises’ amounts' } },
	{ key: 'promisesDue', ja: '期日到来の約束', en: 'Promises due', unit: 'count', additive: true, dims: all, formula: { ja: '期日が期間内の約束（取消を除く。約束を記録した職員・区分に計上）', en: 'promises whose date is in the period, cancelled excluded (counted to who recorded it and its segment)' } },
	{ key: 'promisesKept', ja: '履行', en: 'Kept', unit: 'count', additive: true, dims: all, formula: { ja: 'そのうち全額の納付が確認された約束', en: 'of those: paid in full' } },
	{ key: 'promisesPartlyKept', ja: '一部履行', en: 'Partly kept', unit: 'count', additive: true, dims: all, formula: { ja: 'そのうち一部の納付が確認された約束（履行に数えない）', en: 'of those: paid in part (not kept)' } },
	{ key: 'promisesBroken', ja: '不履行', en: 'Broken', unit: 'count', additive: true, dims: all, formula: { ja: 'そのうち期日と猶予を過ぎて納付のない約束', en: 'of those: unpaid past date and grace' } },
	{ key: 'handoffInstallment', ja: '引継（分納相談）', en: 'Handoffs: instalments', unit: 'count', additive: true, dims: all, formula: { ja: '期間内に作成された区職員への引継（理由別）', en: 'handoffs to ward staff created in the period, by reason' } },
	{ key: 'handoffHardship', ja: '引継（生活困窮）', en: 'Handoffs: hardship', unit: 'count', additive: true, dims: all, formula: { ja: '同上', en: 'as above' } },
	{ key: 'handoffReduction', ja: '引継（減免）', en: 'Handoffs: reduction', unit: 'count', additive: true, dims: all, formula: { ja: '同上', en: 'as above' } },
	{ key: 'handoffComplaint', ja: '引継（苦情）', en: 'Handoffs: complaint', unit: 'count', additive: true, dims: all, formula: { ja: '同上', en: 'as above' } },
	{ key: 'handoffOther', ja: '引継（その他）', en: 'Handoffs: other', unit: 'count', additive: true, dims: all, formula: { ja: '同上', en: 'as above' } },
	{ key: 'inbound', ja: '着信件数', en: 'Inbound calls', unit: 'count', additive: true, dims: all, formula: { ja: '着信として記録された通話の件数', en: 'calls recorded as inbound' } },
	{ key: 'lettersSent', ja: '催告書発送数', en: 'Letters sent', unit: 'count', additive: true, dims: [], formula: { ja: '期間内に発送済みにされた催告書の通数（一括単位）', en: 'reminder letters in batches marked mailed in the period' } },
	{ key: 'householdsResolved', ja: '完納等で対象外になった世帯', en: 'Households resolved', unit: 'count', additive: true, dims: [], formula: { ja: '期間内に「解決」となった世帯の数', en: 'households resolved in the period' } },
	{ key: 'collectedAfterContact', ja: '接触後の収納額', en: 'Collected after contact', unit: 'yen', additive: true, dims: all, formula: { ja: '期間内の納付のうち、世帯の最初の本人接触の日以後のもの（その本人接触の職員・区分に計上）', en: 'payments in the period on or after the household’s first right-party contact (counted to that contact’s operator and segment)' } },
	{ key: 'secondsAvailable', ja: '待機時間', en: 'Hours available', unit: 'hours', additive: true, dims: staff, formula: { ja: '状態「待機」の時間（記録された状態変更から）', en: 'time in state available, from the recorded state changes' } },
	{ key: 'secondsOnHousehold', ja: '対応時間', en: 'Hours on a household', unit: 'hours', additive: true, dims: staff, formula: { ja: '状態「対応中」の時間', en: 'time on a household' } },
	{ key: 'secondsWrapUp', ja: '後処理時間', en: 'Hours wrap-up', unit: 'hours', additive: true, dims: staff, formula: { ja: '状態「後処理」の時間', en: 'time in wrap-up' } },
	{ key: 'secondsBreak', ja: '休憩時間', en: 'Hours on break', unit: 'hours', additive: true, dims: staff, formula: { ja: '状態「休憩」の時間', en: 'time on break' } }
];

/** Derived rates shown beside the counts (never summed). */
export const RATE_COLUMNS = [
	{ key: 'answerRate', ja: '応答率', en: 'Answer rate', formula: { ja: '応答件数 ÷ 架電件数', en: 'answered ÷ attempts' } },
	{ key: 'contactRate', ja: '接触率', en: 'Contact rate', formula: { ja: '接触世帯数 ÷ 架電世帯数', en: 'households contacted ÷ households called' } },
	{ key: 'rightPartyRate', ja: '本人接触率', en: 'Right-party rate', formula: { ja: '本人接触数 ÷ 架電世帯数', en: 'right-party contacts ÷ households called' } },
	{ key: 'promiseRate', ja: '納付約束率', en: 'Promise rate', formula: { ja: '納付約束件数 ÷ 本人接触数', en: 'promises ÷ right-party contacts' } },
	{ key: 'keptRate', ja: '約束履行率', en: 'Kept rate', formula: { ja: '履行 ÷ 期日到来の約束', en: 'kept ÷ promises due' } }
] as const;
export type RateKey = (typeof RATE_COLUMNS)[number]['key'];
export type ReportRates = Rates & { keptRate: number | null };

/** Column groups of the PDF's tables and the page (all the columns do not fit on one A4 line or one screen). */
export const REPORT_GROUPS: { ja: string; en: string; keys: (MeasureKey | RateKey)[] }[] = [
	{
		ja: '架電と接触',
		en: 'Calls and contacts',
		keys: ['attempts', 'answeredAttempts', 'householdsAttempted', 'householdsContacted', 'rightPartyContacts', 'inbound', 'answerRate', 'contactRate', 'rightPartyRate']
	},
	{ ja: '納付約束', en: 'Promises', keys: ['promises', 'promisedAmount', 'promiseRate', 'promisesDue', 'promisesKept', 'promisesPartlyKept', 'promisesBroken', 'keptRate', 'collectedAfterContact'] },
	{
		ja: '引継と稼働',
		en: 'Handoffs and hours',
		keys: ['handoffInstallment', 'handoffHardship', 'handoffReduction', 'handoffComplaint', 'handoffOther', 'secondsAvailable', 'secondsOnHousehold', 'secondsWrapUp', 'secondsBreak']
	}
];

export function zeroMeasures(dim: Dimension | 'total'): ReportMeasures {
	const m = {} as Record<MeasureKey, number | null>;
	for (const c of REPORT_COLUMNS) m[c.key] = dim === 'total' || c.dims.includes(dim) ? 0 : null;
	return m as unknown as ReportMeasures;
}

export function reportRates(m: ReportMeasures): ReportRates {
	return { ...rates(m), keptRate: keptRate({ kept: m.promisesKept, due: m.promisesDue }) };
}

// ---------------------------------------------------------------------------------------------------------
// Periods

export type ReportKind = 'day' | 'month';

export interface ReportPeriod {
	kind: ReportKind;
	/** the day 'YYYY-MM-DD' or the month 'YYYY-MM' */
	period: string;
	/** first day, inclusive */
	from: string;
	/** first day after, exclusive */
	to: string;
}

const DAY = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/**
 * The report's period, or what is wrong: the field, a stable code the page words as `validation.<code>` (with
 * `params`), and a message naming it (Japanese / English) for logs and API readers.
 */
export function reportPeriod(
	kind: unknown,
	period: unknown
): ReportPeriod | { error: string; field: 'kind' | 'period'; code: string; params?: Record<string, string | number> } {
	if (kind !== 'day' && kind !== 'month') return { field: 'kind', code: 'invalid', error: '種類は day（日報）か month（月報）です / kind: day or month' };
	const p = typeof period === 'string' ? period.trim() : '';
	const years = { field: 'period' as const, code: 'year_range', params: { min: '2000', max: '2100' }, error: '2000年から2100年までです / period: 2000 to 2100' };
	if (kind === 'day') {
		const m = DAY.exec(p);
		if (!m) return { field: 'period', code: 'date_format', error: '日付は YYYY-MM-DD で指定してください / period: YYYY-MM-DD' };
		const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
		if (d.getUTCDate() !== +m[3]) return { field: 'period', code: 'no_such_date', params: { value: p }, error: `${p} は存在しない日付です / period: no such day` };
		if (+m[1] < 2000 || +m[1] > 2100) return years;
		return { kind, period: p, from: p, to: addDays(p, 1) };
	}
	const m = MONTH.exec(p);
	if (!m) return { field: 'period', code: 'month_format', error: '月は YYYY-MM で指定してください / period: YYYY-MM' };
	if (+m[1] < 2000 || +m[1] > 2100) return years;
	return { kind, period: p, from: `${p}-01`, to: `${nextMonth(p)}-01` };
}

/** The month after 'YYYY-MM'. */
export function nextMonth(month: string): string {
	const [y, m] = month.split('-').map(Number);
	return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The month before 'YYYY-MM'. */
export function previousMonth(month: string): string {
	const [y, m] = month.split('-').map(Number);
	return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------------------
// Assembly

export interface ReportRow {
	/** operator id, team label ('' for none), segment id (0 for none), or 'erased' */
	key: string;
	label: string;
	/** an operator's team */
	team?: string | null;
	measures: ReportMeasures;
	rates: ReportRates;
}

export interface PeriodReport extends ReportPeriod {
	generatedAt: string;
	/** elapsed days of the period when it has begun and is not over yet */
	partial: { elapsedDays: number; totalDays: number } | null;
	/** the period begins after today: nothing can have happened yet (not "0 of n days elapsed") */
	future: boolean;
	total: ReportRow;
	operators: ReportRow[];
	teams: ReportRow[];
	segments: ReportRow[];
	/** attempts (and contacts, promises) per hour of the day, or per day of the month: the report's chart */
	series: { label: string; attempts: number; rightPartyContacts: number; promises: number }[];
	/** a monthly report: the call plan's weeks whose Monday is in the month, against what was done (null: no plan) */
	plan?: ReportPlan | null;
}

type PlanMeasures = { attempts: number; contacts: number; promises: number };

/** The call plan against the month's work (src/lib/domain/call-plan.ts: the plan's own definitions). */
export interface ReportPlan {
	name: string;
	/** the Mondays of the weeks counted */
	weeks: string[];
	/** one row per segment planned, then the total (key 'total') */
	rows: { key: string; label: string; targets: PlanMeasures; actuals: PlanMeasures; progress: Record<keyof PlanMeasures, number | null> }[];
}

export const PLAN_LABELS = {
	section: { ja: '計画対比（月曜日がこの月にある週）', en: 'Against the call plan (weeks whose Monday is in the month)' },
	attempts: { ja: '架電件数', en: 'Attempts' },
	contacts: { ja: '本人接触', en: 'Right-party contacts' },
	promises: { ja: '納付約束', en: 'Promises' },
	target: { ja: '計画', en: 'Plan' },
	actual: { ja: '実績', en: 'Actual' },
	progress: { ja: '達成率', en: 'Progress' }
} as const;

/** The plan as a table: segment, then plan / actual / progress for attempts, contacts and promises (progress as `rateForm`). */
export function planTableRows(plan: ReportPlan, lang: 'ja' | 'en', rateForm: RateForm = 'fraction'): { header: string[]; rows: (string | number | null)[][] } {
	const ms = ['attempts', 'contacts', 'promises'] as const;
	const header = [
		lang === 'ja' ? '区分' : 'Segment',
		...ms.flatMap((m) => [
			`${PLAN_LABELS[m][lang]} ${PLAN_LABELS.target[lang]}`,
			`${PLAN_LABELS[m][lang]} ${PLAN_LABELS.actual[lang]}`,
			rateHeader({ ja: `${PLAN_LABELS[m].ja} ${PLAN_LABELS.progress.ja}`, en: `${PLAN_LABELS[m].en} ${PLAN_LABELS.progress.en}` }, lang, rateForm)
		])
	];
	return { header, rows: plan.rows.map((r) => [r.label, ...ms.flatMap((m) => [r.targets[m], r.actuals[m], rateValue(r.progress[m], rateForm)])]) };
}

/** What the server read, one map per breakdown: key → (partial) measures. `erased` holds the statistics kept at erasure. */
export interface ReportInput extends ReportPeriod {
	generatedAt: string;
	today: string;
	live: Record<Dimension | 'total', Map<string, Partial<ReportMeasures>>>;
	erased: Partial<ReportMeasures> | null;
	operatorNames: Map<string, { name: string; team: string | null }>;
	segmentNames: Map<string, string>;
	series: PeriodReport['series'];
	lang: 'ja' | 'en';
}

function fill(dim: Dimension | 'total', part: Partial<ReportMeasures> | undefined): ReportMeasures {
	const m = zeroMeasures(dim) as unknown as Record<MeasureKey, number | null>;
	for (const c of REPORT_COLUMNS) {
		if (m[c.key] === null) continue;
		const v = part?.[c.key];
		if (v !== undefined && v !== null) m[c.key] = Number(v);
	}
	return m as unknown as ReportMeasures;
}

function plus(a: ReportMeasures, b: Partial<ReportMeasures>): ReportMeasures {
	const out = { ...a } as Record<MeasureKey, number | null>;
	for (const c of REPORT_COLUMNS) {
		const v = b[c.key];
		if (out[c.key] !== null && v !== undefined && v !== null) out[c.key] = (out[c.key] as number) + Number(v);
	}
	return out as unknown as ReportMeasures;
}

const row = (key: string, label: string, measures: ReportMeasures, team?: string | null): ReportRow => ({ key, label, ...(team !== undefined ? { team } : {}), measures, rates: reportRates(measures) });

function hasAny(m: Partial<ReportMeasures> | null): m is Partial<ReportMeasures> {
	return !!m && Object.values(m).some((v) => typeof v === 'number' && v !== 0);
}

export const ERASED_LABEL = { ja: '消去済み世帯（保存統計）', en: 'Erased households (kept statistics)' } as const;
export const NO_TEAM_LABEL = { ja: '（班なし）', en: '(no team)' } as const;
export const NO_SEGMENT_LABEL = { ja: '（区分なし：着信など）', en: '(no segment: inbound etc.)' } as const;

/**
 * The report from what the server read. The total is the live total plus the erased households' kept statistics;
 * each section lists its live rows and, when there are any, one row for the erased households, so every additive
 * column of every section adds up to the total (checked by `addsUp`).
 */
export function assembleReport(input: ReportInput): PeriodReport {
	const lang = input.lang;
	const total = row('total', lang === 'ja' ? '合計' : 'Total', plus(fill('total', input.live.total.get('')), input.erased ?? {}));
	const erasedRow = (dim: Dimension) => (hasAny(input.erased) ? [row('erased', ERASED_LABEL[lang], fill(dim, input.erased))] : []);
	const sorted = (rows: ReportRow[]) => rows.sort((a, b) => a.label.localeCompare(b.label, 'ja') || a.key.localeCompare(b.key));
	const operators = sorted(
		[...input.live.operator].map(([k, m]) => {
			const who = input.operatorNames.get(k);
			return row(k, who?.name ?? `#${k}`, fill('operator', m), who?.team ?? null);
		})
	);
	const teams = sorted([...input.live.team].map(([k, m]) => row(k, k === '' ? NO_TEAM_LABEL[lang] : k, fill('team', m))));
	const segments = sorted([...input.live.segment].map(([k, m]) => row(k, k === '0' ? NO_SEGMENT_LABEL[lang] : (input.segmentNames.get(k) ?? `#${k}`), fill('segment', m))));
	const progress = periodProgress(input.from, input.to, input.today);
	return {
		kind: input.kind,
		period: input.period,
		from: input.from,
		to: input.to,
		generatedAt: input.generatedAt,
		partial: progress.partial && progress.elapsedDays > 0 ? { elapsedDays: progress.elapsedDays, totalDays: progress.totalDays } : null,
		future: input.from > input.today,
		total,
		operators: [...operators, ...erasedRow('operator')],
		teams: [...teams, ...erasedRow('team')],
		segments: [...segments, ...erasedRow('segment')],
		series: input.series
	};
}

/**
 * The additive columns of a section that do not add up to the total: [] when the report adds up. Columns that do not
 * exist at the section's breakdown, and distinct-household counts, are not checked.
 */
export function addsUp(report: PeriodReport, dim: Dimension): MeasureKey[] {
	const rows = dim === 'operator' ? report.operators : dim === 'team' ? report.teams : report.segments;
	const bad: MeasureKey[] = [];
	for (const c of REPORT_COLUMNS) {
		if (!c.additive || !c.dims.includes(dim)) continue;
		const sum = rows.reduce((s, r) => s + ((r.measures[c.key] as number | null) ?? 0), 0);
		if (sum !== report.total.measures[c.key]) bad.push(c.key);
	}
	return bad;
}

// ---------------------------------------------------------------------------------------------------------
// Layout for CSV and Excel

export function hours(seconds: number): number {
	return Math.round((seconds / 3600) * 10) / 10;
}

/** A cell's value as a spreadsheet holds it: counts and yen as numbers, hours to 0.1 (rates: rateValue). */
export function cellValue(c: ColumnDef, m: ReportMeasures): number | null {
	const v = m[c.key];
	if (v === null) return null;
	return c.unit === 'hours' ? hours(v) : v;
}

export const SECTION_LABELS = {
	total: { ja: '合計', en: 'Total' },
	team: { ja: '班別', en: 'By team' },
	operator: { ja: 'オペレーター別', en: 'By operator' },
	segment: { ja: '区分別', en: 'By segment' }
} as const;

export function reportTitle(kind: ReportKind, period: string, lang: 'ja' | 'en'): string {
	if (lang === 'en') return `${kind === 'day' ? 'Daily report' : 'Monthly report'} ${period}`;
	if (kind === 'day') {
		const [y, m, d] = period.split('-').map(Number);
		return `日報 ${y}年${m}月${d}日`;
	}
	const [y, m] = period.split('-').map(Number);
	return `月報 ${y}年${m}月`;
}

export type Table = { section: keyof typeof SECTION_LABELS; header: string[]; rows: (string | number | null)[][] };

/**
 * How a file holds rates: 'fraction' 0.1234 (Excel, which formats the column as 12.3%), or 'percent' '12.3' with
 * （%） in the header (CSV: a plain number as the page shows it, one decimal).
 */
export type RateForm = 'fraction' | 'percent';

/** A rate's header: its name, with （%） / (%) when the file holds percentages. */
export function rateHeader(name: { ja: string; en: string }, lang: 'ja' | 'en', form: RateForm): string {
	return form === 'fraction' ? name[lang] : lang === 'ja' ? `${name.ja}（%）` : `${name.en} (%)`;
}

/** A rate as a file holds it: a fraction to 4 decimals, or a percentage to one decimal ('12.3'); null without a denominator. */
export function rateValue(x: number | null, form: RateForm): number | string | null {
	return form === 'fraction' ? roundRate(x) : ratePercent(x);
}

/** The report as tables (one per section): the first column names the row, then every column, then the rates. */
export function reportTables(r: PeriodReport, lang: 'ja' | 'en', rateForm: RateForm = 'fraction'): Table[] {
	const cols = REPORT_COLUMNS;
	const header = (first: string[]) => [
		...first,
		...cols.map((c) => (c.unit === 'yen' ? `${c[lang]}（円）` : c.unit === 'hours' ? `${c[lang]}（h）` : c[lang])),
		...RATE_COLUMNS.map((c) => rateHeader(c, lang, rateForm))
	];
	const values = (x: ReportRow) => [...cols.map((c) => cellValue(c, x.measures)), ...RATE_COLUMNS.map((c) => rateValue(x.rates[c.key], rateForm))];
	const teamCol = lang === 'ja' ? '班' : 'Team';
	return [
		{ section: 'total', header: header(['']), rows: [[r.total.label, ...values(r.total)]] },
		{ section: 'team', header: header([teamCol]), rows: r.teams.map((x) => [x.label, ...values(x)]) },
		{
			section: 'operator',
			header: header([lang === 'ja' ? 'オペレーター' : 'Operator', teamCol]),
			rows: r.operators.map((x) => [x.label, x.key === 'erased' ? '' : (x.team ?? NO_TEAM_LABEL[lang]), ...values(x)])
		},
		{ section: 'segment', header: header([lang === 'ja' ? '区分' : 'Segment']), rows: r.segments.map((x) => [x.label, ...values(x)]) }
	];
}

/** A rate rounded to 4 decimals (0.1234 = 12.34%), null without a denominator. */
export function roundRate(x: number | null): number | null {
	return x === null ? null : Math.round(x * 10_000) / 10_000;
}

/** A rate as a percentage to one decimal, as the page shows it without the sign ('12.3'), null without a denominator. */
export function ratePercent(x: number | null): string | null {
	const v = roundRate(x);
	return v === null ? null : (v * 100).toFixed(1);
}

/** A cell as the page and the PDF show it: counts 1,234, yen ¥1,234, hours 1.5, rates 12.3% (— without a denominator). */
export function formatReportCell(key: string, row: ReportRow): string {
	const rate = RATE_COLUMNS.find((c) => c.key === key);
	if (rate) {
		const v = ratePercent(row.rates[rate.key]);
		return v === null ? '—' : `${v}%`;
	}
	const col = REPORT_COLUMNS.find((c) => c.key === key)!;
	const v = cellValue(col, row.measures);
	if (v === null) return '';
	return col.unit === 'yen' ? yen(v) : col.unit === 'hours' ? v.toFixed(1) : v.toLocaleString('ja-JP');
}

/** A column's label in the language. */
export function columnLabel(key: string, lang: 'ja' | 'en'): string {
	const col = REPORT_COLUMNS.find((x) => x.key === key);
	// hours are shown as 1.5, not 1:30: the header says the unit (the CSV's header does too)
	if (col?.unit === 'hours') return lang === 'ja' ? `${col.ja}（時間）` : `${col.en} (h)`;
	return (col ?? RATE_COLUMNS.find((x) => x.key === key)!)[lang];
}

/** The report's notes: how to read it (every formula, the erased row, distinct counts, partial periods). */
export function reportNotes(r: PeriodReport, lang: 'ja' | 'en'): string[] {
	const notes = [
		...REPORT_COLUMNS.map((c) => `${c[lang]}: ${c.formula[lang]}${c.additive ? '' : lang === 'ja' ? '（世帯の重複を除くため、各行の和は合計と一致しないことがある）' : ' (distinct households: rows need not add up to the total)'}`),
		...RATE_COLUMNS.map((c) => `${c[lang]} = ${c.formula[lang]}`)
	];
	if (lang === 'ja') {
		notes.push('率の分母が0のときは「—」（空欄）。時間は0.1時間単位。金額は円。');
		notes.push('「消去済み世帯（保存統計）」の行は、契約終了等で個人情報を消去した世帯について消去時に保存した統計です。');
	} else {
		notes.push('A rate with a zero denominator is blank (—). Hours to 0.1 h. Amounts in yen.');
		notes.push('The "erased households" row holds the statistics kept when those households’ personal data was erased.');
	}
	if (r.future) notes.push(lang === 'ja' ? 'この期間はまだ始まっていません（今日より後の期間です）。' : 'This period has not begun yet (it is after today).');
	if (r.partial)
		notes.push(lang === 'ja' ? `期間の途中です（${r.partial.totalDays}日中${r.partial.elapsedDays}日経過）。` : `The period is not over (${r.partial.elapsedDays} of ${r.partial.totalDays} days).`);
	return notes;
}

/** For the page's formatting: the yen columns. */
export const yenKeys = new Set(REPORT_COLUMNS.filter((c) => c.unit === 'yen').map((c) => c.key));
export const timedStateKeys = timedStates.map((s) => stateKey[s]);
