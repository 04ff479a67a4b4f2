/**
 * A download that is recorded before it leaves: the use case writes the file to a private temporary file (and logs
 * it with its SHA-256), then the file is sent and unlinked as soon as it is open. A refusal or a failure removes
 * the file and answers like any API error; a write error (disk full) reaches the request, never the process.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { apiError } from './http.ts';

export interface Written {
	bytes: number;
	sha256: string;
}

export async function recordedDownload<R extends Written>(
	write: (out: fs.WriteStream) => Promise<R>,
	headers: (r: R) => Record<string, string>
): Promise<Response> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kansho-download-'));
	const file = path.join(dir, 'download');
	const out = fs.createWriteStream(file, { mode: 0o600 });
	let writeError: Error | null = null;
	out.on('error', (e) => (writeError = e));
	const closed = () => (out.closed ? Promise.resolve() : once(out, 'close').then(() => {}));
	try {
		const r = await write(out);
		out.end();
		await closed();
		if (writeError) throw writeError;
		const stream = fs.createReadStream(file);
		await once(stream, 'open');
		fs.rmSync(dir, { recursive: true, force: true });
		return new Response(Readable.toWeb(stream) as ReadableStream, {
			headers: { ...headers(r), 'content-length': String(r.bytes), 'cache-control': 'no-store', 'x-content-sha256': r.sha256 }
		});
	} catch (e) {
		// close the file before removing it, then answer
		out.destroy();
		await closed().catch(() => {});
		fs.rmSync(dir, { recursive: true, force: true });
		return apiError(e);
	}
}

/**
 * A file made in memory as a download: its name (ASCII fallback plus the UTF-8 name, e.g. 月報_2026-09.pdf), type,
 * length, SHA-256 when known, never cached.
 */
export function fileResponse(f: { name: string; contentType: string; body: Uint8Array; sha256?: string }): Response {
	return new Response(f.body as BodyInit, {
		headers: {
			'content-type': f.contentType,
			'content-disposition': `attachment; filename="download.${f.name.split('.').pop()}"; filename*=UTF-8''${encodeURIComponent(f.name)}`,
			'content-length': String(f.body.byteLength),
			...(f.sha256 ? { 'x-content-sha256': f.sha256 } : {}),
			'cache-control': 'no-store'
		}
	});
}
