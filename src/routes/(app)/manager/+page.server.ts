import { wallSnapshot } from '$lib/server/wall/wall';
import { loadError } from '$lib/server/http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	try {
		return { snap: await wallSnapshot(locals.user!) };
	} catch (e) {
		loadError(e);
	}
};
