import { wallForViewer } from '$lib/server/display/wall';
import { loadError } from '$lib/server/http';
import { rotationFor } from '$lib/domain/wall-panels';
import type { PageServerLoad } from './$types';

/**
 * The wall display: for a signed-in user with wall.view, or a wall PC's display token (hooks.server.ts accepts its
 * cookie on this page only). The first paint's snapshot; the page then subscribes to the live wall view. Panels
 * rotate as the token says, or as ?panels=summary,segments,operators&seconds=20 says.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	try {
		const snap = await wallForViewer(locals.user, locals.display);
		const d = locals.display;
		// a signed-in user without ?panels= sees every panel in turn
		const rotation = rotationFor(url.searchParams, d ? { panels: d.panels, seconds: d.rotateSeconds } : { panels: ['summary', 'segments', 'operators'] });
		return { snap, rotation, display: d ? { label: d.label } : null };
	} catch (e) {
		loadError(e);
	}
};
