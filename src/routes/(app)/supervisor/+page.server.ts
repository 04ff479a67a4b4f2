import { loadWallSnapshot } from '$lib/server/wall/page';
import { requirePermission } from '$lib/server/auth/actor';
import { loadError } from '$lib/server/http';
import type { PageServerLoad } from './$types';

/** The supervisor's console: the wall's snapshot, for those who run the floor (floor.view), checked here too. */
export const load: PageServerLoad = async (event) => {
	try {
		requirePermission(event.locals.user!, 'floor.view');
	} catch (e) {
		loadError(e);
	}
	return loadWallSnapshot(event);
};
