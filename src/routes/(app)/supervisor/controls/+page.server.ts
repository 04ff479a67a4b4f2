import { floorControlsFor } from '$lib/server/floor/floor';
import { floorActions } from '$lib/server/floor/actions';
import { loadError } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

/** The supervisor's floor controls (queue.manage): the board, segments, held claims, messages, targets, today's changes. */
export const load: PageServerLoad = async ({ locals, setHeaders, depends }) => {
	setHeaders({ 'cache-control': 'no-store' });
	// reloaded when another supervisor changes the floor (floor:changed on the page's socket)
	depends('kansho:floor-controls');
	try {
		return { controls: await floorControlsFor(locals.user!) };
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
