import { bestTime } from '$lib/server/reports/best-time';
import { loadError } from '$lib/server/http';
import type { PageServerLoad } from './$types';

/** Best time to call (reports.view): ?from=&to=&segment=&language= */
export const load: PageServerLoad = async ({ locals, url }) => {
	const p = url.searchParams;
	try {
		return await bestTime(locals.user!, { from: p.get('from') ?? undefined, to: p.get('to') ?? undefined, segment: p.get('segment') ?? undefined, language: p.get('language') ?? undefined });
	} catch (e) {
		loadError(e);
	}
};
