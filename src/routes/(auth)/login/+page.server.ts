import { fail, redirect } from '@sveltejs/kit';
import { checkCredentials, openSession, SESSION_COOKIE, SignInThrottled } from '$lib/server/auth/sessions';
import { isDomainError } from '$lib/server/errors';
import { homePath } from '$lib/domain/roles';
import { loadConfig } from '$lib/server/config';
import { sameOriginPath } from '$lib/server/redirects';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (locals.user) redirect(303, homePath[locals.user.role]);
	return {};
};

export const actions: Actions = {
	default: async ({ request, cookies, getClientAddress, url, locals, setHeaders }) => {
		const form = await request.formData();
		const loginId = String(form.get('loginId') ?? '');
		const meta = { ip: getClientAddress(), userAgent: request.headers.get('user-agent'), requestId: locals.requestId };
		try {
			// step 1: lockout and password; a second factor (security key) goes between the two steps
			const user = await checkCredentials({ loginId, password: String(form.get('password') ?? '') }, meta);
			const s = await openSession(user, meta);
			const cfg = loadConfig();
			cookies.set(SESSION_COOKIE, s.token, {
				path: '/',
				httpOnly: true,
				sameSite: 'strict',
				secure: cfg.COOKIE_SECURE === 'auto' ? url.protocol === 'https:' : cfg.COOKIE_SECURE,
				expires: s.expiresAt
			});
			redirect(303, sameOriginPath(form.get('next'), url.origin) ?? homePath[s.actor.role]);
		} catch (e) {
			if (e instanceof SignInThrottled) {
				setHeaders({ 'retry-after': String(e.retryAfterSeconds) });
				return fail(e.status, { code: e.code, loginId, retryAfter: e.retryAfterSeconds });
			}
			if (isDomainError(e)) return fail(e.status, { code: e.code, loginId, retryAfter: null });
			throw e;
		}
	}
};
