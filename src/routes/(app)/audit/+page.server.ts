import { readAccessLog } from '$lib/server/audit/read';
import { loadError } from '$lib/server/http';
import type { PageServerLoad } from './$types';

/** The access log under the query's filter (user, household, from, to, action, before). Logged as audit.view. */
export const load: PageServerLoad = async ({ locals, url, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	try {
		return await readAccessLog(locals.user!, url.searchParams);
	} catch (e) {
		loadError(e);
	}
};
