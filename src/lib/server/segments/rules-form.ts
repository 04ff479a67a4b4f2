/**
 * The calling-rules page's form → the raw calling rules (src/lib/domain/calling-rules.ts), validated afterwards
 * by the rules' zod schema (which refuses windows beyond the hard limits and names the field). Pure.
 */
import { dayKinds } from '../../domain/calling-rules.ts';
import { parseIntText, type FormLike } from './filter-form.ts';

export const rulesNumberFields = [
	'maxAttemptsPerDay',
	'maxAttemptsPerWeek',
	'minGapMinutes',
	'paymentSuppressDays',
	'promiseGraceDays',
	'callbackGraceMinutes',
	'wrapUpSeconds',
	'promiseHorizonDays'
] as const;

const text = (v: FormDataEntryValue | null) => (typeof v === 'string' ? v.normalize('NFKC').trim() : '');

/** Windows as `w.<day>.on` (checkbox) with `w.<day>.start` / `w.<day>.end` (HH:MM); a day not on has no window. */
export function rulesFromForm(form: FormLike): Record<string, unknown> {
	const windows: Record<string, { start: string; end: string } | null> = {};
	for (const d of dayKinds) windows[d] = form.get(`w.${d}.on`) ? { start: text(form.get(`w.${d}.start`)), end: text(form.get(`w.${d}.end`)) } : null;
	const out: Record<string, unknown> = { windows };
	// a blank number stays blank (the schema says it is required) rather than disappearing
	for (const k of rulesNumberFields) out[k] = parseIntText(text(form.get(k))) ?? '';
	out.rotateSlots = form.get('rotateSlots') === 'true';
	out.yearEndClosure = form.get('yearEndClosure') === 'true';
	return out;
}
