import { downloadPeriodReport } from '$lib/server/reports/period-report';
import { apiError } from '$lib/server/http';
import { fileResponse } from '$lib/server/download';
import type { RequestHandler } from './$types';

/** GET /manager/reports/download?kind=day|month&period=…&format=pdf|csv|csv-utf8|xlsx → the report file (recorded). */
export const GET: RequestHandler = async ({ locals, url }) => {
	try {
		const p = url.searchParams;
		return fileResponse(await downloadPeriodReport(locals.user!, { kind: p.get('kind'), period: p.get('period'), format: p.get('format') }, locals.locale));
	} catch (e) {
		return apiError(e);
	}
};
