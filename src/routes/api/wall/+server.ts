import { json } from '@sveltejs/kit';
import { wallSnapshot } from '$lib/server/wall/wall';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** GET /api/wall → the wall snapshot (wall.view) */
export const GET: RequestHandler = async ({ locals }) => {
	try {
		return json(await wallSnapshot(locals.user!), { headers: { 'cache-control': 'no-store' } });
	} catch (e) {
		return apiError(e);
	}
};
