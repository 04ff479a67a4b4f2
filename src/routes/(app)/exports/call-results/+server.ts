import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { exportCallResults } from '$lib/server/exports/exports';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/**
 * GET /exports/call-results?from=YYYY-MM-DD&to=YYYY-MM-DD&encoding=cp932|utf8 → 架電結果.csv, a download, for roles the
 * administrator allows (403 otherwise). Written to a private temporary file first, so that the export is recorded
 * with its SHA-256 (exports table and access log) before a single byte leaves; the SHA-256 is also sent as
 * X-Content-SHA256.
 */
export const GET: RequestHandler = async ({ locals, url }) => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kansho-export-'));
	const file = path.join(dir, 'export.csv');
	const out = fs.createWriteStream(file, { mode: 0o600 });
	// a write error (disk full) must reach this request, never the process as an unhandled 'error' event
	let writeError: Error | null = null;
	out.on('error', (e) => (writeError = e));
	const closed = () => (out.closed ? Promise.resolve() : once(out, 'close').then(() => {}));
	const from = url.searchParams.get('from');
	const to = url.searchParams.get('to');
	const fileName = `call-results-${from}-${to}.csv`;
	try {
		const r = await exportCallResults(locals.user!, { from, to, encoding: url.searchParams.get('encoding') ?? undefined }, out, {
			fileName,
			source: `web:${locals.user!.loginId}`
		});
		out.end();
		await closed();
		if (writeError) throw writeError;
		const stream = fs.createReadStream(file);
		await once(stream, 'open');
		fs.rmSync(dir, { recursive: true, force: true });
		const jaName = encodeURIComponent(`架電結果_${from}_${to}.csv`);
		return new Response(Readable.toWeb(stream) as ReadableStream, {
			headers: {
				'content-type': `text/csv; charset=${url.searchParams.get('encoding') === 'utf8' ? 'utf-8' : 'shift_jis'}`,
				'content-disposition': `attachment; filename="${fileName}"; filename*=UTF-8''${jaName}`,
				'content-length': String(r.bytes),
				'cache-control': 'no-store',
				'x-content-sha256': r.sha256
			}
		});
	} catch (e) {
		// refused (bad dates, role not allowed) or failed: close the file before removing it, then answer
		out.destroy();
		await closed().catch(() => {});
		fs.rmSync(dir, { recursive: true, force: true });
		return apiError(e);
	}
};
