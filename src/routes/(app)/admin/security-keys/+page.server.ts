import { keySettingsFor, setRoleRequirementsBy } from '$lib/server/webauthn/admin';
import { actionError, loadError } from '$lib/server/http';
import { roles } from '$lib/domain/roles';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	try {
		return await keySettingsFor(locals.user!);
	} catch (e) {
		loadError(e);
	}
};

export const actions: Actions = {
	save: async ({ locals, request }) => {
		const form = await request.formData();
		// every role must be in the form (a form that leaves one out is refused, and changes nothing)
		const input = Object.fromEntries(roles.map((r) => [r, form.get(r) ?? undefined]));
		try {
			const r = await setRoleRequirementsBy(locals.user!, input);
			return { step: 'save', ok: true, changed: r.changed.length };
		} catch (e) {
			return actionError(e, { step: 'save' });
		}
	}
};
