import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({
	locale: locals.locale,
	user: locals.user ? { id: locals.user.id, displayName: locals.user.displayName, role: locals.user.role, loginId: locals.user.loginId } : null
});
