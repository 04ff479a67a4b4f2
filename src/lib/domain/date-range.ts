/**
 * A form's date range (開始日・終了日) checked the same way in the browser (before a download navigates away) and on
 * the server (the boundary): each field's problem as a stable code the page words as `validation.<code>`.
 * Codes: `required`, `date_format` (not YYYY-MM-DD), `no_such_date` (2026-02-30), `date_order` (on `to`: before
 * `from`; the page names the other field as `other`).
 */
import { problem, type FieldProblem } from './field-problem.ts';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether 'YYYY-MM-DD' is a day that exists. */
export function isRealDate(s: string): boolean {
	const m = DATE.exec(s);
	if (!m) return false;
	const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
	return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/** One date field's problem (null: fine, or blank and not required). */
export function dateProblem(v: unknown, required: boolean): FieldProblem | null {
	const s = typeof v === 'string' ? v.trim() : v === undefined || v === null ? '' : null;
	if (s === null) return problem('date_format', 'must be a date (YYYY-MM-DD)');
	if (s === '') return required ? problem('required', 'required') : null;
	if (!DATE.test(s)) return problem('date_format', 'must be a date (YYYY-MM-DD)');
	if (!isRealDate(s)) return problem('no_such_date', 'no such date', { value: s });
	return null;
}

/**
 * The problems of a from/to pair of dates ('YYYY-MM-DD', both inclusive): each field's own, then, when both are
 * real dates, `date_order` on `to` when it is before `from`. Empty when the range is fine.
 */
export function dateRangeProblems(raw: { from?: unknown; to?: unknown }, o: { required: boolean }): Record<string, FieldProblem> {
	const out: Record<string, FieldProblem> = {};
	const from = dateProblem(raw.from, o.required);
	const to = dateProblem(raw.to, o.required);
	if (from) out.from = from;
	if (to) out.to = to;
	if (!from && !to && typeof raw.from === 'string' && typeof raw.to === 'string' && raw.from.trim() && raw.to.trim() && raw.to.trim() < raw.from.trim())
		out.to = problem('date_order', 'must not be before from');
	return out;
}
