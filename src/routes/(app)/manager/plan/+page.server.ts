import { addPlanWeek, copyPlanWeek, createPlan, planPage, removePlanWeek, renamePlan, updatePlanWeek } from '$lib/server/plan/plan';
import { actionError, formText, loadError } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

/**
 * The call plan (納付案内計画) of a fiscal year (?fy=2026, default this one; ?week=YYYY-MM-DD picks the week the
 * editor shows): read with reports.view (supervisors, managers), changed with plan.manage (supervisors). Every change
 * sends the plan version the page showed (optimistic: a stale one is refused with 409).
 */
export const load: PageServerLoad = async ({ locals, url, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	try {
		return { ...(await planPage(locals.user!, { fy: url.searchParams.get('fy') ?? undefined })), week: url.searchParams.get('week') ?? null };
	} catch (e) {
		loadError(e);
	}
};

const targets = (f: FormData) => ({
	targetAttempts: formText(f, 'targetAttempts'),
	targetContacts: formText(f, 'targetContacts'),
	targetPromises: formText(f, 'targetPromises'),
	staffHours: formText(f, 'staffHours')
});

export const actions: Actions = {
	create: async ({ locals, request }) => {
		const f = await request.formData();
		try {
			return { step: 'create', ...(await createPlan(locals.user!, { fiscalYear: formText(f, 'fiscalYear'), name: formText(f, 'name') })) };
		} catch (e) {
			return actionError(e, { step: 'create' });
		}
	},
	rename: async ({ locals, request }) => {
		const f = await request.formData();
		try {
			return { step: 'rename', ...(await renamePlan(locals.user!, { planId: formText(f, 'planId'), version: formText(f, 'version'), name: formText(f, 'name') })) };
		} catch (e) {
			return actionError(e, { step: 'rename' });
		}
	},
	add: async ({ locals, request }) => {
		const f = await request.formData();
		try {
			const r = await addPlanWeek(locals.user!, { planId: formText(f, 'planId'), version: formText(f, 'version'), weekStart: formText(f, 'weekStart'), segmentId: formText(f, 'segmentId'), ...targets(f) });
			return { step: 'add', ...r };
		} catch (e) {
			return actionError(e, { step: 'add', weekStart: formText(f, 'weekStart') ?? '' });
		}
	},
	update: async ({ locals, request }) => {
		const f = await request.formData();
		try {
			return { step: 'update', ...(await updatePlanWeek(locals.user!, { planId: formText(f, 'planId'), version: formText(f, 'version'), weekId: formText(f, 'weekId'), ...targets(f) })) };
		} catch (e) {
			return actionError(e, { step: 'update', weekId: formText(f, 'weekId') ?? '' });
		}
	},
	remove: async ({ locals, request }) => {
		const f = await request.formData();
		try {
			return { step: 'remove', ...(await removePlanWeek(locals.user!, { planId: formText(f, 'planId'), version: formText(f, 'version'), weekId: formText(f, 'weekId') })) };
		} catch (e) {
			return actionError(e, { step: 'remove', weekId: formText(f, 'weekId') ?? '' });
		}
	},
	copy: async ({ locals, request }) => {
		const f = await request.formData();
		try {
			return { step: 'copy', ...(await copyPlanWeek(locals.user!, { planId: formText(f, 'planId'), version: formText(f, 'version'), from: formText(f, 'from'), to: formText(f, 'to') || undefined })) };
		} catch (e) {
			return actionError(e, { step: 'copy' });
		}
	}
};
