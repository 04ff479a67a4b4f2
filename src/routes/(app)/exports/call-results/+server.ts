import { exportCallResults } from '$lib/server/exports/exports';
import { recordedDownload } from '$lib/server/download';
import type { RequestHandler } from './$types';

/**
 * GET /exports/call-results?from=YYYY-MM-DD&to=YYYY-MM-DD&encoding=cp932|utf8 → 架電結果.csv, a download, for roles the
 * administrator allows (403 otherwise), recorded with its SHA-256 (exports table and access log) before a single
 * byte leaves; the SHA-256 is also sent as X-Content-SHA256.
 */
export const GET: RequestHandler = ({ locals, url }) => {
	const from = url.searchParams.get('from');
	const to = url.searchParams.get('to');
	const encoding = url.searchParams.get('encoding') ?? undefined;
	const fileName = `call-results-${from}-${to}.csv`;
	return recordedDownload(
		(out) => exportCallResults(locals.user!, { from, to, encoding }, out, { fileName, source: `web:${locals.user!.loginId}` }),
		() => ({
			'content-type': `text/csv; charset=${encoding === 'utf8' ? 'utf-8' : 'shift_jis'}`,
			'content-disposition': `attachment; filename="${fileName}"; filename*=UTF-8''${encodeURIComponent(`架電結果_${from}_${to}.csv`)}`
		})
	);
};
