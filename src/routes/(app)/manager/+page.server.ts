import { wallSnapshot } from '$lib/server/wall/wall';
import { handoffReport, managerReport } from '$lib/server/reports/reports';
import { loadError } from '$lib/server/http';
import type { PageServerLoad } from './$types';

/** Today's live figures (the wall's snapshot) and the report by month and day (?fy=2026&month=2026-04). */
export const load: PageServerLoad = async ({ locals, url }) => {
	try {
		const [snap, report, handoffs] = await Promise.all([
			wallSnapshot(locals.user!),
			managerReport(locals.user!, { fy: url.searchParams.get('fy') || undefined, month: url.searchParams.get('month') || undefined }),
			// open staff handoffs by reason: counts and ages
			handoffReport(locals.user!)
		]);
		return { snap, report, handoffs };
	} catch (e) {
		loadError(e);
	}
};
