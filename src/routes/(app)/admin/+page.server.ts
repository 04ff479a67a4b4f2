import { redirect } from '@sveltejs/kit';
import { createUserBy, listUsersFor } from '$lib/server/users/admin';
import { actionError, loadError, formText } from '$lib/server/http';
import { roles } from '$lib/domain/roles';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '$lib/domain/password-policy';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, setHeaders, url }) => {
	setHeaders({ 'cache-control': 'no-store' });
	try {
		const users = await listUsersFor(locals.user!);
		// ?created=<login ID>: where adding a user leads (post/redirect/get); said only of a user that is in the list
		const asked = url.searchParams.get('created');
		const created = asked && users.some((u) => u.loginId === asked) ? asked : null;
		return { users, created, roles: [...roles], rules: { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH } };
	} catch (e) {
		loadError(e);
	}
};

export const actions: Actions = {
	create: async ({ locals, request }) => {
		const form = await request.formData();
		const input = { loginId: formText(form, 'loginId'), displayName: formText(form, 'displayName'), role: formText(form, 'role') };
		let loginId: string;
		try {
			loginId = (await createUserBy(locals.user!, { ...input, password: formText(form, 'password') })).loginId;
		} catch (e) {
			// the typed values come back (never the password) so the form keeps them
			return actionError(e, { step: 'create', ...input });
		}
		// post/redirect/get: the page after adding is a GET, so reloading it does not send the form again
		redirect(303, `/admin?created=${encodeURIComponent(loginId)}`);
	}
};
