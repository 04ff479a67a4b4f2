/**
 * The manager's report page: a fiscal year by month, one month by day, and where collection stands. Every figure
 * is the live detail plus the statistics kept when personal data was erased (reports.queries.ts), so the page
 * shows the same numbers before and after an erasure. Aggregates only: nothing here identifies a household, and
 * nothing here is written to the access log.
 */
import { z } from 'zod';
import { db } from '../db.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { invalidInput } from '../errors.ts';
import { fiscalYearOf, tokyoDate } from '../../domain/format.ts';
import { KEPT_RATE_FORMULA, keptRate, ratio, rates, type PromiseDueCounts, type Rates } from '../../domain/kpi.ts';
import * as q from './reports.queries.ts';
import { handoffSummary, type HandoffSummary } from '../handoffs/handoffs.ts';

export interface PeriodRow extends q.CallTotals, Rates {
	period: string;
	/** promises falling due in the period, cancelled excluded (the kept rate's denominator) */
	promisesDue: number;
	promisesKept: number;
	/** not kept: counted in the denominator only */
	promisesPartlyKept: number;
	promisesBroken: number;
	/** not yet judged */
	promisesPending: number;
	/** 約束履行率 = promises kept ÷ promises falling due in the period (kpi.ts KEPT_RATE_DEF) */
	keptRate: number | null;
	/** 収納額: money received in the period */
	collected: number;
	/** 収納額 (attributed): received from households after their first right-party contact */
	collectedAfterContact: number;
}

export interface ManagerReport {
	generatedAt: string;
	today: string;
	fiscalYear: number;
	month: string;
	/** April … March of the fiscal year, every month present */
	months: PeriodRow[];
	monthsTotal: Omit<PeriodRow, 'period' | 'householdsAttempted' | 'householdsContacted' | 'rightPartyContacts' | keyof Rates> & { answerRate: number | null };
	/** every day of the month that has anything */
	days: PeriodRow[];
	households: q.HouseholdTotals & { phoneKnownRate: number | null };
	fiscalYears: (q.FiscalYearTotals & { collectionRate: number | null })[];
	/** the call plan's progress for the period (issue #8 part B), from the registered provider; null without one */
	planProgress: PlanProgress | null;
}

/** A call plan's progress as part B reports it; opaque to the reports module, shown and exported as given. */
export type PlanProgress = Record<string, unknown>;

/** What a plan-progress provider is asked for: the report's fiscal year and month. */
export interface PlanProgressQuery {
	fiscalYear: number;
	month: string;
}

export type PlanProgressProvider = (query: PlanProgressQuery) => Promise<PlanProgress | null> | PlanProgress | null;

const noPlanProgress: PlanProgressProvider = () => null;
let planProgressProvider: PlanProgressProvider = noPlanProgress;

/**
 * Register the call plan's progress provider (issue #8 part B wires it at start-up); null restores the default,
 * which reports no plan (planProgress: null).
 */
export function setPlanProgressProvider(fn: PlanProgressProvider | null): void {
	planProgressProvider = fn ?? noPlanProgress;
}

const input = z.object({
	fy: z.coerce.number({ error: 'must be a year' }).int('must be a year').min(1990, 'from 1990').max(2100, 'up to 2100').optional(),
	month: z
		.string()
		.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM')
		.optional()
});

const addMonths = (ym: string, n: number) => {
	const [y, m] = ym.split('-').map(Number);
	const d = new Date(Date.UTC(y, m - 1 + n, 1));
	return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

function periodRows(
	periods: string[],
	calls: (q.CallTotals & { period: string })[],
	promises: (q.PromiseTotals & { period: string })[],
	payments: (q.PaymentTotals & { period: string })[]
): PeriodRow[] {
	const c = new Map(calls.map((r) => [r.period, r]));
	const p = new Map(promises.map((r) => [r.period, r]));
	const m = new Map(payments.map((r) => [r.period, r]));
	const zero: q.CallTotals = { attempts: 0, answeredAttempts: 0, householdsAttempted: 0, householdsContacted: 0, rightPartyContacts: 0, promises: 0, promisedAmount: 0, inbound: 0, handoffs: 0 };
	return periods.map((period) => {
		const calls = { ...zero, ...(c.get(period) ?? {}) };
		const due = p.get(period);
		const paid = m.get(period);
		return {
			...calls,
			period,
			...rates(calls),
			promisesDue: due?.due ?? 0,
			promisesKept: due?.kept ?? 0,
			promisesPartlyKept: due?.partlyKept ?? 0,
			promisesBroken: due?.broken ?? 0,
			promisesPending: due?.pending ?? 0,
			keptRate: keptRate({ kept: due?.kept ?? 0, due: due?.due ?? 0 }),
			collected: paid?.amount ?? 0,
			collectedAfterContact: paid?.amountAfterContact ?? 0
		};
	});
}

/** The manager's report for a fiscal year (default: this one) and a month (default: this one). Policy: reports.view. */
export async function managerReport(actor: Actor, raw: { fy?: unknown; month?: unknown } = {}): Promise<ManagerReport> {
	requirePermission(actor, 'reports.view');
	const parsed = input.safeParse({ fy: raw.fy ?? undefined, month: raw.month ?? undefined });
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const today = tokyoDate();
	const fiscalYear = parsed.data.fy ?? fiscalYearOf(today);
	const month = parsed.data.month ?? today.slice(0, 7);
	const fyFrom = `${fiscalYear}-04-01`;
	const fyTo = `${fiscalYear + 1}-04-01`;
	const monthFrom = `${month}-01`;
	const monthTo = `${addMonths(month, 1)}-01`;
	const sql = db();
	const [mCalls, mPromises, mPayments, dCalls, dPromises, dPayments, households, years, planProgress] = await Promise.all([
		q.callTotals(sql, { grain: 'month', from: fyFrom, to: fyTo }),
		q.promiseTotals(sql, { grain: 'month', from: fyFrom, to: fyTo }),
		q.paymentTotals(sql, { grain: 'month', from: fyFrom, to: fyTo }),
		q.callTotals(sql, { grain: 'day', from: monthFrom, to: monthTo }),
		q.promiseTotals(sql, { grain: 'day', from: monthFrom, to: monthTo }),
		q.paymentTotals(sql, { grain: 'day', from: monthFrom, to: monthTo }),
		q.householdTotals(sql, today),
		q.fiscalYearTotals(sql, today),
		planProgressProvider({ fiscalYear, month })
	]);
	const months = periodRows(
		Array.from({ length: 12 }, (_, i) => `${addMonths(`${fiscalYear}-04`, i)}-01`),
		mCalls,
		mPromises,
		mPayments
	);
	const dayPeriods = [...new Set([...dCalls, ...dPromises, ...dPayments].map((r) => r.period))].sort();
	const sum = (k: keyof PeriodRow) => months.reduce((s, r) => s + (Number(r[k]) || 0), 0);
	const answered = sum('answeredAttempts');
	const attempts = sum('attempts');
	return {
		generatedAt: new Date().toISOString(),
		today,
		fiscalYear,
		month,
		months,
		// distinct households do not add up across months: the year's total shows additive figures only
		monthsTotal: {
			attempts,
			answeredAttempts: answered,
			answerRate: ratio(answered, attempts),
			promises: sum('promises'),
			promisedAmount: sum('promisedAmount'),
			inbound: sum('inbound'),
			handoffs: sum('handoffs'),
			promisesDue: sum('promisesDue'),
			promisesKept: sum('promisesKept'),
			promisesPartlyKept: sum('promisesPartlyKept'),
			promisesBroken: sum('promisesBroken'),
			promisesPending: sum('promisesPending'),
			keptRate: keptRate({ kept: sum('promisesKept'), due: sum('promisesDue') }),
			collected: sum('collected'),
			collectedAfterContact: sum('collectedAfterContact')
		},
		days: periodRows(dayPeriods, dCalls, dPromises, dPayments),
		households: { ...households, phoneKnownRate: ratio(households.withValidPhone, households.households) },
		fiscalYears: years.map((y) => ({ ...y, collectionRate: ratio(y.received, y.assessed) })),
		planProgress: planProgress ?? null
	};
}

/**
 * Open staff handoffs by reason (counts: open, not yet taken, overdue; ages: oldest, mean), as of now, for managers'
 * reports (reports.view). Aggregates only. See src/lib/server/handoffs/handoffs.ts handoffSummary.
 */
export async function handoffReport(actor: Actor, now = new Date()): Promise<HandoffSummary> {
	requirePermission(actor, 'reports.view');
	return handoffSummary(db(), now);
}

export interface KeptRateReport extends PromiseDueCounts {
	from: string;
	/** exclusive */
	to: string;
	keptRate: number | null;
	amountDue: number;
	amountPaid: number;
	formula: { ja: string; en: string };
}

const rangeInput = z
	.object({
		from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'from: YYYY-MM-DD / 開始日は YYYY-MM-DD で指定してください'),
		to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'to: YYYY-MM-DD / 終了日は YYYY-MM-DD で指定してください')
	})
	.refine((r) => r.from < r.to, { path: ['to'], message: 'to: must be after from / 終了日は開始日より後にしてください' });

/**
 * 約束履行率 over any period [from, to) (by due date), with the counts it is made of and its formula: for reports
 * and exports that need the kept rate of a range other than a day or a month. Policy: reports.view.
 */
export async function keptRateFor(actor: Actor, raw: { from: unknown; to: unknown }): Promise<KeptRateReport> {
	requirePermission(actor, 'reports.view');
	const parsed = rangeInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { from, to } = parsed.data;
	const rows = await q.promiseTotals(db(), { grain: 'day', from, to });
	const s = (k: keyof q.PromiseTotals) => rows.reduce((a, r) => a + Number(r[k]), 0);
	const counts: PromiseDueCounts = { due: s('due'), kept: s('kept'), partlyKept: s('partlyKept'), broken: s('broken'), pending: s('pending') };
	return { from, to, ...counts, keptRate: keptRate(counts), amountDue: s('amountDue'), amountPaid: s('amountPaid'), formula: KEPT_RATE_FORMULA };
}
