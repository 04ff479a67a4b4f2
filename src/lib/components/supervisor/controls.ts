/**
 * The floor controls' forms, enhanced: each component keeps the answer of its own form (so several on one page
 * do not share `form`), then the page's data is reloaded. Without JavaScript the forms post and the page shows
 * the answer through `form` (see /supervisor/controls).
 */
import { applyAction } from '$app/forms';
import { invalidateAll } from '$app/navigation';
import type { SubmitFunction } from '@sveltejs/kit';
import type { StaleSubject } from '$lib/domain/floor-controls';

export type ControlOutcome =
	| { kind: 'ok'; step: string; data: Record<string, unknown> }
	| { kind: 'stale'; step: string; subject: StaleSubject; current: Record<string, unknown> }
	| { kind: 'error'; step: string; code: string; details: Record<string, string> | null };

/** An action's answer (ActionResult data, or the page's `form`) as an outcome; null for anything else. */
export function outcomeOf(data: unknown): ControlOutcome | null {
	if (!data || typeof data !== 'object') return null;
	const d = data as Record<string, unknown>;
	const step = String(d.step ?? '');
	if (d.ok === true) return { kind: 'ok', step, data: d };
	const stale = d.stale as { subject: StaleSubject; current: Record<string, unknown> } | undefined;
	if (stale) return { kind: 'stale', step, subject: stale.subject, current: stale.current };
	if (typeof d.code === 'string') return { kind: 'error', step, code: d.code, details: (d.details as Record<string, string> | null) ?? null };
	return null;
}

/** use:enhance for a control's form: the outcome goes to `set`, then everything shown is reloaded. */
export function controlSubmit(set: (o: ControlOutcome | null) => void, after?: (o: ControlOutcome | null) => void): SubmitFunction {
	return () =>
		async ({ result }) => {
			if (result.type === 'success' || result.type === 'failure') {
				const o = outcomeOf(result.data);
				set(o);
				await invalidateAll();
				after?.(o);
			} else {
				await applyAction(result);
			}
		};
}

/** A name in the reader's language. */
export const nameIn = (locale: string, x: { nameJa: string; nameEn: string } | null | undefined) => (x ? (locale === 'ja' ? x.nameJa : x.nameEn) : '');
