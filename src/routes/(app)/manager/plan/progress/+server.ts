import { json } from '@sveltejs/kit';
import { planProgressNow } from '$lib/server/plan/plan';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** GET /manager/plan/progress?fy=2026 → the plan's table with live actuals and the plan's version (reports.view). */
export const GET: RequestHandler = async ({ locals, url }) => {
	try {
		return json(await planProgressNow(locals.user!, { fy: url.searchParams.get('fy') ?? undefined }), { headers: { 'cache-control': 'no-store' } });
	} catch (e) {
		return apiError(e);
	}
};
