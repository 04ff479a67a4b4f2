import { json } from '@sveltejs/kit';
import { listBatches } from '$lib/server/letters/letters';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** GET /letters/progress → the batches' states and progress (pages done / total): the /letters page polls it while one is generating. */
export const GET: RequestHandler = async ({ locals }) => {
	try {
		const batches = await listBatches(locals.user!);
		return json({ batches: batches.map((b) => ({ id: b.id, state: b.state, done: b.progressDone, total: b.households })) });
	} catch (e) {
		return apiError(e);
	}
};
