import { effectReport } from '$lib/server/reports/effect';
import { loadError } from '$lib/server/http';
import type { PageServerLoad } from './$types';

/** Does calling work? (reports.view): called against held-out households per segment with a holdout. ?from=&to=&segment= */
export const load: PageServerLoad = async ({ locals, url }) => {
	const p = url.searchParams;
	try {
		return await effectReport(locals.user!, { from: p.get('from') ?? undefined, to: p.get('to') ?? undefined, segment: p.get('segment') ?? undefined });
	} catch (e) {
		loadError(e);
	}
};
