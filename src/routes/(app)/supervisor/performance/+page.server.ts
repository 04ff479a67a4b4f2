import { operatorPerformanceReport } from '$lib/server/reports/performance';
import { loadError } from '$lib/server/http';
import type { PageServerLoad } from './$types';

/** The operators' performance (supervisors): ?from=YYYY-MM-DD&to=YYYY-MM-DD (Tokyo days, inclusive; default today). */
export const load: PageServerLoad = async ({ locals, url }) => {
	try {
		return await operatorPerformanceReport(locals.user!, { from: url.searchParams.get('from') ?? undefined, to: url.searchParams.get('to') ?? undefined });
	} catch (e) {
		loadError(e);
	}
};
