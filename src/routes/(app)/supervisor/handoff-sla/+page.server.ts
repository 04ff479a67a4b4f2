import { handoffSlaTargets, saveHandoffSla } from '$lib/server/handoffs/handoffs';
import { actionError, formText, loadError } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

/** The handoff SLA targets per reason (handoff.configure: supervisors and administrators). */
export const load: PageServerLoad = async ({ locals, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	try {
		return { targets: (await handoffSlaTargets(locals.user!)).map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString() })) };
	} catch (e) {
		loadError(e);
	}
};

// named one by one: the authorization matrix reads the action names from this file
export const actions: Actions = {
	save: async ({ locals, request }) => {
		const f = await request.formData();
		try {
			const r = await saveHandoffSla(locals.user!, { reason: formText(f, 'reason') ?? '', workingDays: formText(f, 'workingDays') ?? '', version: formText(f, 'version') ?? '' });
			return { saved: r };
		} catch (e) {
			return actionError(e, { reason: formText(f, 'reason') ?? null });
		}
	}
};
