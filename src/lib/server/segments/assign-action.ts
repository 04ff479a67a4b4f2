/** The assignment matrix's form action, shared by the segments list and a segment's own page. */
import type { RequestEvent } from '@sveltejs/kit';
import { setAssignments } from './segments.ts';
import { assignmentsFromForm } from './assign-form.ts';
import { actionError } from '../http.ts';

export async function assignAction({ locals, request }: Pick<RequestEvent, 'locals' | 'request'>) {
	const form = await request.formData();
	try {
		const r = await setAssignments(locals.user!, assignmentsFromForm(form));
		return { step: 'assign' as const, ok: true as const, added: r.added, removed: r.removed };
	} catch (e) {
		return actionError(e, { step: 'assign' });
	}
}
