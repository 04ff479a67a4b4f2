/**
 * The questions the staff handoff page asks before closing a handoff for good (resolved and returned are final in
 * the handoff state machine, src/lib/domain/handoffs.ts): which handoff, whose, and what happens to the household's
 * calls. Kept out of the page so both languages' wording is unit-tested.
 */
import { resolutionCodes, resumesCalls } from '$lib/domain/handoffs';
import type { Locale, T } from '$lib/i18n';

export interface QuestionHandoff {
	id: number | string;
	/** the payer's name as the card shows it (or the NHI number when the name is not shown) */
	payer: string;
}

/** Before resolving with `code`; null when no resolution is chosen (nothing is closed: the server names the field). */
export function resolveQuestion(t: T, lang: Locale, h: QuestionHandoff, code: string): string | null {
	const r = resolutionCodes.find((x) => x.code === code);
	if (!r) return null;
	const calls = t(resumesCalls(code) ? 'handoffs.actions.callsResume' : 'handoffs.actions.callsStop');
	return t('handoffs.actions.confirmResolve', { id: h.id, payer: h.payer, resolution: lang === 'ja' ? r.ja : r.en, calls });
}

/** Before returning the handoff to the call center. */
export function returnQuestion(t: T, h: QuestionHandoff): string {
	return t('handoffs.actions.confirmReturn', { id: h.id, payer: h.payer });
}
