import { collectionTrends, refreshCollectionTrends } from '$lib/server/reports/trends';
import { actionError, loadError } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

/** 収納率の推移: ?fy=2026&segment=&district=&nationality=jp|foreign&excludeUnknown=1 (reports.view). */
export const load: PageServerLoad = async ({ locals, url, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	try {
		return await collectionTrends(locals.user!, Object.fromEntries(url.searchParams), locals.locale);
	} catch (e) {
		loadError(e);
	}
};

// named one by one: the authorization matrix reads the action names from this file
export const actions: Actions = {
	refresh: async ({ locals }) => {
		try {
			return { refresh: await refreshCollectionTrends(locals.user!) };
		} catch (e) {
			return actionError(e);
		}
	}
};
