import { redirect } from '@sveltejs/kit';
import { SESSION_COOKIE, signOut } from '$lib/server/auth/sessions';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ cookies, locals }) => {
	await signOut(cookies.get(SESSION_COOKIE), { ip: locals.user?.ip ?? null, requestId: locals.requestId });
	cookies.delete(SESSION_COOKIE, { path: '/' });
	redirect(303, '/login');
};
