import { redirect } from '@sveltejs/kit';
import { homePath } from '$lib/domain/roles';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	redirect(303, locals.user ? homePath[locals.user.role] : '/login');
};
