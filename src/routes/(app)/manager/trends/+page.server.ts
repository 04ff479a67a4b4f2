import { collectionTrends } from '$lib/server/reports/trends';
import { loadError } from '$lib/server/http';
import type { PageServerLoad } from './$types';

/** 収納率の推移: ?fy=2026&segment=&district=&nationality=jp|foreign&excludeUnknown=1 (reports.view). */
export const load: PageServerLoad = async ({ locals, url, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	try {
		return await collectionTrends(locals.user!, Object.fromEntries(url.searchParams), locals.locale);
	} catch (e) {
		loadError(e);
	}
};
