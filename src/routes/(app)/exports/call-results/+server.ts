import { redirect } from '@sveltejs/kit';
import { exportCallResults } from '$lib/server/exports/exports';
import { recordedDownload } from '$lib/server/download';
import { isBrowserNavigation } from '$lib/server/http';
import type { RequestHandler } from './$types';

/**
 * GET /exports/call-results?from=YYYY-MM-DD&to=YYYY-MM-DD&encoding=cp932|utf8 → 架電結果.csv, a download, for roles the
 * administrator allows (403 otherwise), recorded with its SHA-256 (exports table and access log) before a single
 * byte leaves; the SHA-256 is also sent as X-Content-SHA256.
 *
 * Refused input is answered as JSON (docs/api.md), except to the page's own form when the browser navigates (no
 * script, or the page's check bypassed): that goes back to /exports with what was typed, where the page names
 * the field in the user's language, instead of a raw JSON screen.
 */
export const GET: RequestHandler = async ({ locals, url, request }) => {
	const from = url.searchParams.get('from');
	const to = url.searchParams.get('to');
	const encoding = url.searchParams.get('encoding') ?? undefined;
	const fileName = `call-results-${from}-${to}.csv`;
	const res = await recordedDownload(
		(out) => exportCallResults(locals.user!, { from, to, encoding }, out, { fileName, source: `web:${locals.user!.loginId}` }),
		() => ({
			'content-type': `text/csv; charset=${encoding === 'utf8' ? 'utf-8' : 'shift_jis'}`,
			'content-disposition': `attachment; filename="${fileName}"; filename*=UTF-8''${encodeURIComponent(`架電結果_${from}_${to}.csv`)}`
		})
	);
	if (res.status === 400 && isBrowserNavigation(request)) {
		const back = new URLSearchParams();
		for (const [k, v] of [['from', from], ['to', to], ['encoding', encoding]] as const) if (v !== null && v !== undefined) back.set(k, v);
		redirect(303, `/exports?${back}`);
	}
	return res;
};
