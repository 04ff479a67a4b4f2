import { exportAccessLogCsv } from '$lib/server/audit/read';
import { recordedDownload } from '$lib/server/download';
import type { RequestHandler } from './$types';

/**
 * GET /audit/export?user=&household=&from=&to=&action= → the filtered access log as CSV (UTF-8 with BOM), a
 * download, logged with its SHA-256 before a single byte leaves.
 */
export const GET: RequestHandler = ({ locals, url }) =>
	recordedDownload(
		(out) => exportAccessLogCsv(locals.user!, url.searchParams, out),
		(r) => ({ 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${r.fileName}"` })
	);
