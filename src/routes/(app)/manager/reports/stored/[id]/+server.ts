import { storedReport } from '$lib/server/reports/period-report';
import { apiError } from '$lib/server/http';
import { fileResponse } from '$lib/server/download';
import type { RequestHandler } from './$types';

/** GET /manager/reports/stored/:id → a monthly report the schedule made and kept. */
export const GET: RequestHandler = async ({ locals, params }) => {
	try {
		return fileResponse(await storedReport(locals.user!, { id: params.id }));
	} catch (e) {
		return apiError(e);
	}
};
