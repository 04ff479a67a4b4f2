import { erasureCertificateFile } from '$lib/server/erasure/erasure';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** GET /admin/erasure/:id/pdf | /admin/erasure/:id/json → the erasure certificate, a download (logged as export). */
export const GET: RequestHandler = async ({ locals, params }) => {
	try {
		const f = await erasureCertificateFile(locals.user!, { id: params.id, format: params.format });
		return new Response(f.body, {
			headers: {
				'content-type': f.contentType,
				'content-disposition': `attachment; filename="${f.fileName}"`,
				'content-length': String(f.body.byteLength),
				'cache-control': 'no-store'
			}
		});
	} catch (e) {
		return apiError(e);
	}
};
