import { floorControlsFor } from '$lib/server/floor/floor';
import { floorActions } from '$lib/server/floor/actions';
import { loadError } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

/** The supervisor's floor controls (queue.manage): the board, segments, held claims, messages, targets, today's changes. */
export const load: PageServerLoad = async ({ locals, setHeaders, depends }) => {
	setHeaders({ 'cache-control': 'no-store' });
	// reloaded after this supervisor's own actions, and on floor:changed when the live floor view is not available
	depends('kansho:floor-controls');
	try {
		// loadedAt: the page prefers the live floor view's controls once they are newer than this
		return { controls: await floorControlsFor(locals.user!), loadedAt: new Date().toISOString() };
	} catch (e) {
		loadError(e);
	}
};

// named one by one: the authorization matrix reads the action names from this file
export const actions: Actions = {
	assign: floorActions.assign,
	active: floorActions.active,
	reorder: floorActions.reorder,
	release: floorActions.release,
	message: floorActions.message,
	targets: floorActions.targets,
	thresholds: floorActions.thresholds
};
