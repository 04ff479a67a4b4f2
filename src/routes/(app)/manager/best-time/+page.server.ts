import { bestTime, bestTimeChoices, type BestTimeReport } from '$lib/server/reports/best-time';
import { loadError } from '$lib/server/http';
import { isDomainError } from '$lib/server/errors';
import { heatmap } from '$lib/domain/best-time';
import type { PageServerLoad } from './$types';

/**
 * Best time to call (reports.view): ?from=&to=&segment=&language=
 * A refused filter keeps the page (menu, form with what was typed) and names each field's problem by its code.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	const p = url.searchParams;
	const raw = { from: p.get('from') ?? undefined, to: p.get('to') ?? undefined, segment: p.get('segment') ?? undefined, language: p.get('language') ?? undefined };
	try {
		return { ...(await bestTime(locals.user!, raw)), typed: null, details: null, params: null };
	} catch (e) {
		if (isDomainError(e) && e.code === 'invalid_input') {
			const refused: BestTimeReport = { ...heatmap([]), from: '', to: '', segment: null, language: 'all', ...(await bestTimeChoices(locals.user!)) };
			return {
				...refused,
				typed: { from: raw.from ?? '', to: raw.to ?? '', segment: raw.segment ?? '', language: raw.language ?? 'all' },
				details: e.details ?? {},
				params: e.params ?? null
			};
		}
		loadError(e);
	}
};
