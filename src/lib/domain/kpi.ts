/**
 * The call center's measures (spec/kpis.md). Each rate is a ratio with its denominator stated; a zero
 * denominator gives null ("no data"), never 0% or NaN.
 */
export function ratio(numerator: number, denominator: number): number | null {
	if (!Number.isFinite(numerator) || !Number.isFinite(denominator) || denominator <= 0) return null;
	return numerator / denominator;
}

export interface CallCounts {
	/** 架電件数: dial attempts */
	attempts: number;
	/** attempts answered by a person */
	answeredAttempts: number;
	/** 架電世帯数: distinct households with ≥1 attempt */
	householdsAttempted: number;
	/** distinct households with ≥1 answered attempt */
	householdsContacted: number;
	/** distinct households where the payer was reached (本人接触) */
	rightPartyContacts: number;
	/** promises made */
	promises: number;
}

export interface Rates {
	/** 応答率 = answered attempts ÷ attempts */
	answerRate: number | null;
	/** 接触率 = households contacted ÷ households attempted */
	contactRate: number | null;
	/** 本人接触率 = right-party contacts ÷ households attempted */
	rightPartyRate: number | null;
	/** 納付約束率 = promises ÷ right-party contacts */
	promiseRate: number | null;
}

/** A measure that is a count of CallCounts (the numerators and denominators the rates are made of). */
export type CountKey = keyof CallCounts;

/** A rate's definition: numerator ÷ denominator, both counts of CallCounts. Charts state these. */
export interface RateDef {
	numerator: CountKey;
	denominator: CountKey;
}

/**
 * The rates of spec/kpis.md as data (docs/kpis.md): `rates()` computes exactly these, and every chart that shows a
 * rate states its numerator and denominator from here, so what a chart says and what it computes cannot differ.
 */
export const RATE_DEFS = {
	answerRate: { numerator: 'answeredAttempts', denominator: 'attempts' },
	contactRate: { numerator: 'householdsContacted', denominator: 'householdsAttempted' },
	rightPartyRate: { numerator: 'rightPartyContacts', denominator: 'householdsAttempted' },
	promiseRate: { numerator: 'promises', denominator: 'rightPartyContacts' }
} as const satisfies Record<keyof Rates, RateDef>;

export type RateKey = keyof typeof RATE_DEFS;

export function rates(c: CallCounts): Rates {
	const r = (k: RateKey) => ratio(c[RATE_DEFS[k].numerator], c[RATE_DEFS[k].denominator]);
	return { answerRate: r('answerRate'), contactRate: r('contactRate'), rightPartyRate: r('rightPartyRate'), promiseRate: r('promiseRate') };
}

/** A rate as a percentage with one decimal, or an em dash for no data. */
export function formatRate(r: number | null): string {
	return r === null ? '—' : `${(Math.round(r * 1000) / 10).toFixed(1)}%`;
}

// ---------------------------------------------------------------------------------------------------------
// 約束履行率 (kept rate): promises by the period they fall due in (reports)

export interface PromiseDueCounts {
	/** promises falling due in the period (due date inside it), cancelled ones excluded: the denominator */
	due: number;
	/** of those, kept (payments counted cover the amount) */
	kept: number;
	/** of those, partly kept (some money by due + grace, not all) */
	partlyKept: number;
	/** of those, broken (no money counted by due + grace) */
	broken: number;
	/** of those, still pending (due + grace not yet passed) */
	pending: number;
}

/**
 * 約束履行率 as data, like RATE_DEFS: kept ÷ promises falling due in the period. Partly kept promises are not kept:
 * they count in the denominator only (shown beside the rate). Pending ones count in the denominator too, so a
 * period's rate can still rise until its last due date + grace has passed.
 */
export const KEPT_RATE_DEF = { numerator: 'kept', denominator: 'due' } as const satisfies { numerator: keyof PromiseDueCounts; denominator: keyof PromiseDueCounts };

export function keptRate(c: Pick<PromiseDueCounts, 'due' | 'kept'>): number | null {
	return ratio(c[KEPT_RATE_DEF.numerator], c[KEPT_RATE_DEF.denominator]);
}

/** The formula as the manager's page shows it. */
export const KEPT_RATE_FORMULA = {
	ja: '約束履行率 = 履行した約束 ÷ 期間内に期日を迎えた約束（取消を除く。一部履行と未判定の約束は分母にのみ入る）',
	en: 'Kept rate = promises kept ÷ promises falling due in the period (cancelled excluded; partly kept and not yet judged promises count in the denominator only)'
} as const;
