import { redirect } from '@sveltejs/kit';
import { createSegment, filterChoices, segmentsOverview } from '$lib/server/segments/segments';
import { findHouseholdByNhi } from '$lib/server/segments/explain';
import { segmentFromForm } from '$lib/server/segments/filter-form';
import { assignAction } from '$lib/server/segments/assign-action';
import { actionError, formText, loadError } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

/** The segments with their live counts, the assignment matrix, and the create form (queue.manage). */
export const load: PageServerLoad = async ({ locals, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	try {
		const [overview, choices] = await Promise.all([segmentsOverview(locals.user!), filterChoices(locals.user!)]);
		return { ...overview, choices };
	} catch (e) {
		loadError(e);
	}
};

export const actions: Actions = {
	create: async ({ locals, request }) => {
		const form = await request.formData();
		const draft = segmentFromForm(form);
		try {
			const s = await createSegment(locals.user!, draft);
			return { step: 'create', ok: true, segmentId: s.id, name: locals.user!.locale === 'ja' ? s.nameJa : s.nameEn };
		} catch (e) {
			return actionError(e, { step: 'create', draft: JSON.stringify(draft) });
		}
	},
	assign: assignAction,
	find: async ({ locals, request }) => {
		const form = await request.formData();
		let householdId: number;
		try {
			householdId = await findHouseholdByNhi(locals.user!, { nhiNumber: formText(form, 'nhiNumber') });
		} catch (e) {
			return actionError(e, { step: 'find', nhiNumber: formText(form, 'nhiNumber') ?? '' });
		}
		redirect(303, `/supervisor/households/${householdId}`);
	}
};
