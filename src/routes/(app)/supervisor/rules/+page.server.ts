import { callingRulesState, saveCallingRules } from '$lib/server/queue/rules';
import { rulesFromForm } from '$lib/server/segments/rules-form';
import { actionError, formText, loadError } from '$lib/server/http';
import { HARD_LIMITS } from '$lib/domain/calling-rules';
import type { Actions, PageServerLoad } from './$types';

/** The calling rules editor (queue.manage): windows within the hard limits, pacing, grace periods; optimistic version. */
export const load: PageServerLoad = async ({ locals, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	try {
		const state = await callingRulesState(locals.user!);
		return { ...state, hardLimits: HARD_LIMITS };
	} catch (e) {
		loadError(e);
	}
};

export const actions: Actions = {
	default: async ({ locals, request }) => {
		const form = await request.formData();
		const draft = rulesFromForm(form);
		const version = Number(formText(form, 'version') ?? 'x');
		try {
			const saved = await saveCallingRules(locals.user!, draft, version);
			return { ok: true, version: saved.version };
		} catch (e) {
			return actionError(e, { draft: JSON.stringify(draft) });
		}
	}
};
