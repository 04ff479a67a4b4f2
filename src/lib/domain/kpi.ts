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

export function rates(c: CallCounts): Rates {
	return {
		answerRate: ratio(c.answeredAttempts, c.attempts),
		contactRate: ratio(c.householdsContacted, c.householdsAttempted),
		rightPartyRate: ratio(c.rightPartyContacts, c.householdsAttempted),
		promiseRate: ratio(c.promises, c.rightPartyContacts)
	};
}

/** A rate as a percentage with one decimal, or an em dash for no data. */
export function formatRate(r: number | null): string {
	return r === null ? '—' : `${(Math.round(r * 1000) / 10).toFixed(1)}%`;
}
