import { collectionTrendsFile } from '$lib/server/reports/trends';
import { apiError } from '$lib/server/http';
import { fileResponse } from '$lib/server/download';
import type { RequestHandler } from './$types';

/**
 * GET /manager/trends/export?…the page's filters…&format=csv|csv-utf8|xlsx|pdf → the trends as a file (CSV in CP932
 * by default; `encoding=utf8` is the same as format=csv-utf8).
 */
export const GET: RequestHandler = async ({ locals, url }) => {
	try {
		const { encoding, format, ...filters } = Object.fromEntries(url.searchParams);
		return fileResponse(await collectionTrendsFile(locals.user!, filters, format ?? (encoding === 'utf8' ? 'csv-utf8' : 'csv'), locals.locale));
	} catch (e) {
		return apiError(e);
	}
};
