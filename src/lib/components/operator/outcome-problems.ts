/**
 * The outcome form's field problems in the operator's language. The browser's own checks (outcome-input.ts) and
 * the server's refusals (details: field → stable code, params: field → the values the message names) share one
 * vocabulary, translated as `operator.problems.<code>`; a code the screen does not know (a malformed request's
 * English text) becomes the general "not accepted" message, never English prose on a Japanese desk.
 */
import { tokyoWhen, yen, type Locale } from '../../domain/format.ts';

type Translate = (key: string, vars?: Record<string, unknown>) => string;

export interface ProblemContext {
	/** the arrears total shown on the card (the browser's overOwed), when the reader may see it */
	owed?: number | null;
	/** the promise horizon of the calling rules (the browser's horizon) */
	days?: number;
}

/** Whether a details value is a code of the vocabulary (not an English sentence). */
export function isProblemCode(s: string): boolean {
	return /^[a-zA-Z]{1,40}$/.test(s);
}

/** The message of one field problem. */
export function problemText(t: Translate, locale: Locale, code: string, params: Record<string, string | number> | null | undefined, ctx: ProblemContext = {}): string {
	if (!isProblemCode(code)) return t('operator.problems.invalid');
	const p = params ?? {};
	const owed = p.owed !== undefined ? Number(p.owed) : ctx.owed;
	const vars: Record<string, unknown> = {
		owed: owed !== null && owed !== undefined && Number.isFinite(owed) ? yen(owed) : '',
		days: p.days ?? ctx.days ?? '',
		opensAt: typeof p.opensAt === 'string' && p.opensAt ? tokyoWhen(p.opensAt, locale) : ''
	};
	// outside calling hours with no window ahead (none within 14 days): say so rather than leave a gap
	const key = code === 'outsideHours' && !vars.opensAt ? 'operator.problems.outsideHoursNone' : `operator.problems.${code}`;
	const text = t(key, vars);
	return text === key ? t('operator.problems.invalid') : text;
}

/** The form's label of each field a refusal may name (i18n keys); the rest are under operator.problemFields. */
const fieldLabels: Record<string, string> = {
	outcomeCode: 'operator.outcomeCode',
	party: 'operator.party',
	phoneId: 'operator.phoneUsed',
	note: 'operator.note',
	'promise.amount': 'operator.promiseAmount',
	'promise.dueDate': 'operator.promiseDate',
	'handoff.reason': 'operator.handoffReason',
	'handoff.callbackFrom': 'handoffs.operator.form.callbackFrom',
	'handoff.callbackUntil': 'handoffs.operator.form.callbackUntil',
	'callback.at': 'operator.form.callbackAt',
	'doNotCall.reason': 'operator.form.dncReason',
	'doNotCall.until': 'operator.form.dncUntil'
};

/** The name of a refused field in the user's language, '' when there is none to give (never the path itself). */
export function problemFieldLabel(t: Translate, field: string): string {
	const key = fieldLabels[field] ?? (/^[a-zA-Z]+$/.test(field) ? `operator.problemFields.${field}` : null);
	if (!key) return '';
	const label = t(key);
	return label === key ? '' : label;
}
