import { createUserBy, listUsersFor } from '$lib/server/users/admin';
import { actionError, loadError, formText } from '$lib/server/http';
import { roles } from '$lib/domain/roles';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '$lib/domain/password-policy';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	try {
		return { users: await listUsersFor(locals.user!), roles: [...roles], rules: { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH } };
	} catch (e) {
		loadError(e);
	}
};

export const actions: Actions = {
	create: async ({ locals, request }) => {
		const form = await request.formData();
		const input = { loginId: formText(form, 'loginId'), displayName: formText(form, 'displayName'), role: formText(form, 'role') };
		try {
			await createUserBy(locals.user!, { ...input, password: formText(form, 'password') });
			return { step: 'create', created: input.loginId ?? '' };
		} catch (e) {
			// the typed values come back (never the password) so the form keeps them
			return actionError(e, { step: 'create', ...input });
		}
	}
};
