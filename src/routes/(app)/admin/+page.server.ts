import { listUsersFor } from '$lib/server/users/admin';
import { loadError } from '$lib/server/http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	try {
		return { users: await listUsersFor(locals.user!) };
	} catch (e) {
		loadError(e);
	}
};
