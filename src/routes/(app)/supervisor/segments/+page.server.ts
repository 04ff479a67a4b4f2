import { redirect } from '@sveltejs/kit';
import { createSegment, filterChoices, segmentsOverview, setAssignments } from '$lib/server/segments/segments';
import { findHouseholdByNhi } from '$lib/server/segments/explain';
import { segmentFromForm } from '$lib/server/segments/filter-form';
import { assignmentsFromForm } from '$lib/server/segments/assign-form';
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
	assign: async ({ locals, request }) => {
		const form = await request.formData();
		try {
			const r = await setAssignments(locals.user!, assignmentsFromForm(form));
			return { step: 'assign', ok: true, added: r.added, removed: r.removed };
		} catch (e) {
			return actionError(e, { step: 'assign' });
		}
	},
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
