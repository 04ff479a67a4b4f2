import { effectChoices, effectReport, type EffectReport } from '$lib/server/reports/effect';
import { loadError } from '$lib/server/http';
import { isDomainError } from '$lib/server/errors';
import type { PageServerLoad } from './$types';

/**
 * Does calling work? (reports.view): called against held-out households per segment with a holdout. ?from=&to=&segment=
 * A refused filter keeps the page (menu, form with what was typed) and names each field's problem by its code.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	const p = url.searchParams;
	const raw = { from: p.get('from') ?? undefined, to: p.get('to') ?? undefined, segment: p.get('segment') ?? undefined };
	try {
		return { ...(await effectReport(locals.user!, raw)), typed: null, details: null, params: null };
	} catch (e) {
		if (isDomainError(e) && e.code === 'invalid_input') {
			const refused: EffectReport = { from: null, to: '', segment: null, segments: [], choices: await effectChoices(locals.user!), generatedAt: new Date().toISOString() };
			return { ...refused, typed: { from: raw.from ?? '', to: raw.to ?? '', segment: raw.segment ?? '' }, details: e.details ?? {}, params: e.params ?? null };
		}
		loadError(e);
	}
};
