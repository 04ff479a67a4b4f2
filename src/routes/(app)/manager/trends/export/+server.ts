import { collectionTrendsCsv } from '$lib/server/reports/trends';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** GET /manager/trends/export?…the page's filters…&encoding=utf8 → the data behind the charts as CSV (CP932 by default). */
export const GET: RequestHandler = async ({ locals, url }) => {
	try {
		const { encoding, ...filters } = Object.fromEntries(url.searchParams);
		const enc = encoding === 'utf8' ? 'utf8' : 'cp932';
		const r = await collectionTrendsCsv(locals.user!, filters, enc, locals.locale);
		return new Response(r.body as BodyInit, {
			headers: {
				'content-type': `text/csv; charset=${enc === 'utf8' ? 'utf-8' : 'shift_jis'}`,
				'content-disposition': `attachment; filename="collection-rate.csv"; filename*=UTF-8''${encodeURIComponent(r.name)}`,
				'cache-control': 'no-store'
			}
		});
	} catch (e) {
		return apiError(e);
	}
};
