import { explainHousehold } from '$lib/server/segments/explain';
import { loadError } from '$lib/server/http';
import type { PageServerLoad } from './$types';

/** Why this household is next, or not callable now (queue.manage; the read is logged with reason 'explain'). */
export const load: PageServerLoad = async ({ locals, params, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	try {
		return { explanation: await explainHousehold(locals.user!, { householdId: params.id }) };
	} catch (e) {
		loadError(e);
	}
};
