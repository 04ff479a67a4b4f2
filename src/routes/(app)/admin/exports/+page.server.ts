import { exportSettingsFor, setExportRoles } from '$lib/server/exports/policy';
import { actionError, loadError } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

/** Which roles may export (administrators: exports.configure). */
export const load: PageServerLoad = async ({ locals }) => {
	try {
		return await exportSettingsFor(locals.user!);
	} catch (e) {
		loadError(e);
	}
};

export const actions: Actions = {
	save: async ({ locals, request }) => {
		const form = await request.formData();
		try {
			const r = await setExportRoles(locals.user!, { roles: form.getAll('roles').map(String) });
			return { step: 'save', allowed: r.allowed };
		} catch (e) {
			return actionError(e, { step: 'save' });
		}
	}
};
