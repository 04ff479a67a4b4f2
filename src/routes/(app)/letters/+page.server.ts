import { advanceBatch, assignBatch, createBatch, listBatches, listOperators, listReturns, previewCandidates, recordReturn, resolveReturn } from '$lib/server/letters/letters';
import { actionError, formText, loadError } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

/** Reminder letters (催告書): candidates (counts), batches and their steps, returned mail (letters.manage: supervisors, staff). */
export const load: PageServerLoad = async ({ locals }) => {
	try {
		const user = locals.user!;
		const [preview, batches, returns, operators] = await Promise.all([previewCandidates(user), listBatches(user), listReturns(user), listOperators(user)]);
		return { preview, batches, returns, operators };
	} catch (e) {
		loadError(e);
	}
};

export const actions: Actions = {
	create: async ({ locals, request }) => {
		const form = await request.formData();
		const input = {
			reasons: form.getAll('reasons').filter((r): r is string => typeof r === 'string'),
			limit: formText(form, 'limit') || undefined,
			assignedTo: formText(form, 'assignedTo') ?? ''
		};
		try {
			const r = await createBatch(locals.user!, input);
			return { step: 'create', ok: true, batchId: r.batchId, households: r.households };
		} catch (e) {
			return actionError(e, { step: 'create' });
		}
	},
	advance: async ({ locals, request }) => {
		const form = await request.formData();
		try {
			const b = await advanceBatch(locals.user!, { batchId: formText(form, 'batchId'), step: formText(form, 'step'), version: formText(form, 'version') });
			return { step: 'advance', ok: true, batchId: b.id, state: b.state };
		} catch (e) {
			return actionError(e, { step: 'advance' });
		}
	},
	assign: async ({ locals, request }) => {
		const form = await request.formData();
		const batchId = formText(form, 'batchId');
		try {
			await assignBatch(locals.user!, { batchId, operatorId: formText(form, 'operatorId') ?? '' });
			return { step: 'assign', ok: true };
		} catch (e) {
			// the batch's row shows the refusal next to its own 印刷担当 field
			return actionError(e, { step: 'assign', batchId });
		}
	},
	returned: async ({ locals, request }) => {
		const form = await request.formData();
		const input = {
			referenceNumber: formText(form, 'referenceNumber'),
			returnedOn: formText(form, 'returnedOn'),
			reason: formText(form, 'reason') || undefined,
			note: formText(form, 'note')
		};
		try {
			const r = await recordReturn(locals.user!, input);
			return { step: 'returned', ok: true, referenceNumber: r.referenceNumber, nhiNumber: r.nhiNumber };
		} catch (e) {
			return actionError(e, { step: 'returned', referenceNumber: input.referenceNumber ?? '' });
		}
	},
	resolve: async ({ locals, request }) => {
		const form = await request.formData();
		try {
			await resolveReturn(locals.user!, { returnId: formText(form, 'returnId') });
			return { step: 'resolve', ok: true };
		} catch (e) {
			return actionError(e, { step: 'resolve' });
		}
	}
};
