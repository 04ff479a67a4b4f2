import { promisesView, reconcileNow } from '$lib/server/promises/promises';
import { actionError, loadError } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

/** The supervisor's promises: due today, due this week, broken since yesterday, recent runs (queue.manage + household.read). */
export const load: PageServerLoad = async ({ locals, setHeaders, url }) => {
	setHeaders({ 'cache-control': 'no-store' });
	try {
		return { view: await promisesView(locals.user!, { limit: url.searchParams.get('limit') ?? undefined }) };
	} catch (e) {
		loadError(e);
	}
};

export const actions: Actions = {
	/** Run the reconciliation now (queue.manage). */
	reconcile: async ({ locals }) => {
		try {
			return { ok: true, counts: await reconcileNow(locals.user!) };
		} catch (e) {
			return actionError(e);
		}
	}
};
