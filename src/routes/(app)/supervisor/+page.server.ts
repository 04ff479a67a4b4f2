import { floorSnapshot } from '$lib/server/wall/wall';
import { loadError } from '$lib/server/http';
import type { PageServerLoad } from './$types';

/**
 * The supervisor's console (floor.view, checked by floorSnapshot too): the floor view's snapshot for the first
 * paint; the page then subscribes to the live view (live:subscribe 'floor') and follows its deltas.
 */
export const load: PageServerLoad = async ({ locals }) => {
	try {
		return { snap: await floorSnapshot(locals.user!) };
	} catch (e) {
		loadError(e);
	}
};
