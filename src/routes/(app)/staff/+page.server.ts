import { listOpenHandoffs } from '$lib/server/handoffs/handoffs';
import { loadError } from '$lib/server/http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	try {
		return { handoffs: await listOpenHandoffs(locals.user!) };
	} catch (e) {
		loadError(e);
	}
};
