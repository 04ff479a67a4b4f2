/**
 * Arrears and priority. A period is in arrears when 調定額 − 収納額累計 > 0 and its 納期限 has passed
 * (import-format.md). Dates are ISO 'YYYY-MM-DD' strings in Asia/Tokyo.
 */
export interface ReceiptRow {
	fiscalYear: number;
	period: number;
	assessed: number;
	receivedTotal: number;
	dueDate: string | null;
}

export interface ArrearsPeriod {
	fiscalYear: number;
	period: number;
	dueDate: string;
	owed: number;
}

/** Unpaid, overdue periods, oldest first. */
export function overduePeriods(rows: readonly ReceiptRow[], today: string): ArrearsPeriod[] {
	return rows
		.filter((r) => r.dueDate !== null && r.dueDate < today && r.assessed - r.receivedTotal > 0)
		.map((r) => ({ fiscalYear: r.fiscalYear, period: r.period, dueDate: r.dueDate!, owed: r.assessed - r.receivedTotal }))
		.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.fiscalYear - b.fiscalYear || a.period - b.period);
}

export function totalOwed(periods: readonly ArrearsPeriod[]): number {
	return periods.reduce((s, p) => s + p.owed, 0);
}

/**
 * The queue priority of a household: for now, the largest arrears first (issue #2). Higher is called sooner.
 * Kept as one function so that the fuller score (oldest period, broken promises, time slot) replaces it in one place.
 */
export function priorityScore(input: { owed: number }): number {
	return Math.max(0, Math.round(input.owed));
}
