import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** /admin/users (a user page's URL trimmed): the list of users is on /admin. The role is checked by the hook (/admin). */
export const load: PageServerLoad = async ({ url }) => {
	redirect(303, `/admin${url.search}`);
};
