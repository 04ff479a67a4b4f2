import { json } from '@sveltejs/kit';
import { previewSegment } from '$lib/server/segments/segments';
import { segmentFromForm } from '$lib/server/segments/filter-form';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

/**
 * The editor's live preview: the form as it is now (multipart or urlencoded, the same fields as the save) → how
 * many households the draft would match and take. POST because the filter can be long; it changes nothing.
 */
export const POST: RequestHandler = async ({ locals, request }) => {
	try {
		// a body that is not a form is an empty draft: the use case checks permission first, then refuses it
		const form = await request.formData().catch(() => null);
		if (!form) return json(await previewSegment(locals.user!, {}));
		const draft = segmentFromForm(form);
		const segmentId = form.get('segmentId');
		return json(
			await previewSegment(locals.user!, {
				segmentId: typeof segmentId === 'string' && segmentId ? segmentId : undefined,
				sortOrder: draft.sortOrder,
				filter: draft.filter
			})
		);
	} catch (e) {
		return apiError(e);
	}
};
