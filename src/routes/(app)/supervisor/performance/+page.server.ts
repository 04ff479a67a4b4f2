import { operatorPerformanceReport, type PerformanceReport } from '$lib/server/reports/performance';
import { additiveTotals } from '$lib/domain/performance';
import { loadError } from '$lib/server/http';
import { isDomainError } from '$lib/server/errors';
import type { PageServerLoad } from './$types';

/**
 * The operators' performance (supervisors): ?from=YYYY-MM-DD&to=YYYY-MM-DD (Tokyo days, inclusive; default today).
 * A refused range keeps the page (menu, form with what was typed) and names each field's problem by its code.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	const raw = { from: url.searchParams.get('from') ?? undefined, to: url.searchParams.get('to') ?? undefined };
	try {
		return { ...(await operatorPerformanceReport(locals.user!, raw)), typed: null, details: null, params: null };
	} catch (e) {
		if (isDomainError(e) && e.code === 'invalid_input') {
			const refused: PerformanceReport = { from: '', to: '', operators: [], totals: additiveTotals([]), generatedAt: new Date().toISOString() };
			return { ...refused, typed: { from: raw.from ?? '', to: raw.to ?? '' }, details: e.details ?? {}, params: e.params ?? null };
		}
		loadError(e);
	}
};
