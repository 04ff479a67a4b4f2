import { collectionTrendsFile } from '$lib/server/reports/trends';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/**
 * GET /manager/trends/export?…the page's filters…&format=csv|csv-utf8|xlsx|pdf → the trends as a file (CSV in CP932
 * by default; `encoding=utf8` is the same as format=csv-utf8).
 */
export const GET: RequestHandler = async ({ locals, url }) => {
	try {
		const { encoding, format, ...filters } = Object.fromEntries(url.searchParams);
		const r = await collectionTrendsFile(locals.user!, filters, format ?? (encoding === 'utf8' ? 'csv-utf8' : 'csv'), locals.locale);
		return new Response(r.body as BodyInit, {
			headers: {
				'content-type': r.contentType,
				'content-disposition': `attachment; filename="collection-rate.${r.name.split('.').pop()}"; filename*=UTF-8''${encodeURIComponent(r.name)}`,
				'content-length': String(r.body.byteLength),
				'cache-control': 'no-store'
			}
		});
	} catch (e) {
		return apiError(e);
	}
};
