import { filterChoices, isStaleSegmentError, segmentDetail, segmentsOverview, setSegmentActive, updateSegment } from '$lib/server/segments/segments';
import { segmentFromForm } from '$lib/server/segments/filter-form';
import { assignAction } from '$lib/server/segments/assign-action';
import { actionError, formText, loadError } from '$lib/server/http';
import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

/** One segment's editor: its fields and filter (optimistic version), pause/resume, its operators. */
export const load: PageServerLoad = async ({ locals, params, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	try {
		const [segment, choices, overview] = await Promise.all([
			segmentDetail(locals.user!, { segmentId: params.id }),
			filterChoices(locals.user!),
			segmentsOverview(locals.user!)
		]);
		return { segment, choices, operators: overview.operators };
	} catch (e) {
		loadError(e);
	}
};

/** A refused save over someone else's: 409 with the segment as it is now, and the draft kept for the form. */
function staleOrError(e: unknown, extra: Record<string, string>) {
	if (isStaleSegmentError(e)) return fail(409, { ...extra, code: 'conflict', message: e.message, details: null, current: e.current });
	return actionError(e, extra);
}

export const actions: Actions = {
	save: async ({ locals, params, request }) => {
		const form = await request.formData();
		const draft = segmentFromForm(form);
		try {
			const s = await updateSegment(locals.user!, { ...draft, segmentId: params.id, version: formText(form, 'version') });
			return { step: 'save', ok: true, version: s.version };
		} catch (e) {
			return staleOrError(e, { step: 'save', draft: JSON.stringify(draft) });
		}
	},
	active: async ({ locals, params, request }) => {
		const form = await request.formData();
		const active = formText(form, 'active');
		try {
			const s = await setSegmentActive(locals.user!, { segmentId: params.id, version: formText(form, 'version'), active: active === 'true' ? true : active === 'false' ? false : active });
			return { step: 'active', ok: true, active: s.active };
		} catch (e) {
			return staleOrError(e, { step: 'active' });
		}
	},
	assign: assignAction
};
