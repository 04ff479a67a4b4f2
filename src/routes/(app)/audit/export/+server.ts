import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { exportAccessLogCsv } from '$lib/server/audit/read';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/**
 * GET /audit/export?user=&household=&from=&to=&action= → the filtered access log as CSV (UTF-8 with BOM), a
 * download. The file is written to a private temporary file first, so that the export is logged (with its
 * SHA-256) before a single byte leaves; the file is unlinked as soon as it is open for sending.
 */
export const GET: RequestHandler = async ({ locals, url }) => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kansho-audit-'));
	const file = path.join(dir, 'export.csv');
	const out = fs.createWriteStream(file, { mode: 0o600 });
	// a write error (disk full) must reach this request, never the process as an unhandled 'error' event
	let writeError: Error | null = null;
	out.on('error', (e) => (writeError = e));
	const closed = () => (out.closed ? Promise.resolve() : once(out, 'close').then(() => {}));
	try {
		const r = await exportAccessLogCsv(locals.user!, url.searchParams, out);
		out.end();
		await closed();
		if (writeError) throw writeError;
		const stream = fs.createReadStream(file);
		await once(stream, 'open');
		fs.rmSync(dir, { recursive: true, force: true });
		return new Response(Readable.toWeb(stream) as ReadableStream, {
			headers: {
				'content-type': 'text/csv; charset=utf-8',
				'content-disposition': `attachment; filename="${r.fileName}"`,
				'content-length': String(r.bytes),
				'cache-control': 'no-store',
				'x-content-sha256': r.sha256
			}
		});
	} catch (e) {
		// refused (bad filter, wrong role) or failed: close the file before removing it, then answer
		out.destroy();
		await closed().catch(() => {});
		fs.rmSync(dir, { recursive: true, force: true });
		return apiError(e);
	}
};
