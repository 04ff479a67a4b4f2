import { myTraining } from '$lib/server/training/training';
import { loadError } from '$lib/server/http';
import type { PageServerLoad } from './$types';

/** One's own training record (any signed-in user); operators without the privacy training are sent here (hooks). */
export const load: PageServerLoad = async ({ locals, url }) => {
	try {
		return { ...(await myTraining(locals.user)), required: url.searchParams.has('required') };
	} catch (e) {
		loadError(e);
	}
};
