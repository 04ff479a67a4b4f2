import { downloadPeriodReport } from '$lib/server/reports/period-report';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** GET /manager/reports/download?kind=day|month&period=…&format=pdf|csv|csv-utf8|xlsx → the report file (recorded). */
export const GET: RequestHandler = async ({ locals, url }) => {
	try {
		const p = url.searchParams;
		const r = await downloadPeriodReport(locals.user!, { kind: p.get('kind'), period: p.get('period'), format: p.get('format') }, locals.locale);
		return new Response(r.body as BodyInit, {
			headers: {
				'content-type': r.contentType,
				'content-disposition': `attachment; filename="report.${r.name.split('.').pop()}"; filename*=UTF-8''${encodeURIComponent(r.name)}`,
				'content-length': String(r.body.byteLength),
				'x-content-sha256': r.sha256,
				'cache-control': 'no-store'
			}
		});
	} catch (e) {
		return apiError(e);
	}
};
