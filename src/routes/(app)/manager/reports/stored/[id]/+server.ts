import { storedReport } from '$lib/server/reports/period-report';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** GET /manager/reports/stored/:id → a monthly report the schedule made and kept. */
export const GET: RequestHandler = async ({ locals, params }) => {
	try {
		const r = await storedReport(locals.user!, { id: params.id });
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
