import { readAccessLog } from '$lib/server/audit/read';
import { loadError } from '$lib/server/http';
import { isDomainError } from '$lib/server/errors';
import type { PageServerLoad } from './$types';

const FILTER_KEYS = ['user', 'household', 'from', 'to', 'action'] as const;

/**
 * The access log under the query's filter (user, household, from, to, action, before). Logged as audit.view.
 * A refused filter keeps the page: the form with what was typed and each field's problem (a stable code, worded
 * by the page in the user's language); nothing is read, so nothing is logged.
 */
export const load: PageServerLoad = async ({ locals, url, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	try {
		return { ...(await readAccessLog(locals.user!, url.searchParams)), details: null, params: null };
	} catch (e) {
		if (isDomainError(e) && e.code === 'invalid_input') {
			const typed: Record<string, string> = {};
			for (const k of FILTER_KEYS) {
				const v = url.searchParams.get(k);
				if (v) typed[k] = v;
			}
			return { rows: [], filter: typed, next: null, paged: false, details: e.details ?? {}, params: e.params ?? null };
		}
		loadError(e);
	}
};
