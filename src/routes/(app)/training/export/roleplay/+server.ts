import { exportRoleplay } from '$lib/server/training/runs';
import { apiError } from '$lib/server/http';
import { fileResponse } from '$lib/server/download';
import type { RequestHandler } from './$types';

/** GET /training/export/roleplay[?encoding=utf8] → every role-play attempt as CSV (CP932 by default) for the ward's audit; logged. */
export const GET: RequestHandler = async ({ locals, url }) => {
	try {
		const encoding = url.searchParams.get('encoding') === 'utf8' ? 'utf8' : 'cp932';
		const r = await exportRoleplay(locals.user!, { encoding });
		return fileResponse({ name: r.filename, contentType: `text/csv; charset=${encoding === 'utf8' ? 'utf-8' : 'shift_jis'}`, body: r.body });
	} catch (e) {
		return apiError(e);
	}
};
