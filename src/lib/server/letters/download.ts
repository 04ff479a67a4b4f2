/** The letters' downloads as HTTP responses (the routes under /letters and /operator/letters are thin). */
import { Readable } from 'node:stream';
import { downloadPdf, writeLabelsCsv } from './letters.ts';
import { recordedDownload } from '../download.ts';
import { apiError } from '../http.ts';
import type { Actor } from '../auth/actor.ts';

/** `inline` where the page means "open" (the browser's viewer, to print), `attachment` where it means "download". */
export async function pdfResponse(actor: Actor, batchId: string, disposition: 'inline' | 'attachment' = 'attachment'): Promise<Response> {
	try {
		const d = await downloadPdf(actor, { batchId });
		return new Response(Readable.toWeb(d.stream) as ReadableStream, {
			headers: {
				'content-type': 'application/pdf',
				'content-disposition': `${disposition}; filename="${d.fileName}"; filename*=UTF-8''${encodeURIComponent(`催告書_${batchId}.pdf`)}`,
				'content-length': String(d.bytes),
				'cache-control': 'no-store',
				'x-content-sha256': d.sha256
			}
		});
	} catch (e) {
		return apiError(e);
	}
}

export function labelsResponse(actor: Actor, batchId: string, encoding: string | undefined): Promise<Response> {
	return recordedDownload(
		(out) => writeLabelsCsv(actor, { batchId, encoding }, out),
		() => ({
			'content-type': `text/csv; charset=${encoding === 'utf8' ? 'utf-8' : 'shift_jis'}`,
			'content-disposition': `attachment; filename="letter-labels-${batchId}.csv"; filename*=UTF-8''${encodeURIComponent(`宛名ラベル_${batchId}.csv`)}`
		})
	);
}
