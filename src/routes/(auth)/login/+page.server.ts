import { fail, redirect } from '@sveltejs/kit';
import { checkCredentials, SESSION_COOKIE, SignInThrottled } from '$lib/server/auth/sessions';
import { continueSignIn, KEY_STEP_COOKIE } from '$lib/server/webauthn/login';
import { keyStepCookieOptions, sessionCookieOptions } from '$lib/server/webauthn/cookies';
import { isDomainError } from '$lib/server/errors';
import { homePath } from '$lib/domain/roles';
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
		const next = sameOriginPath(form.get('next'), url.origin);
		const meta = { ip: getClientAddress(), userAgent: request.headers.get('user-agent'), requestId: locals.requestId };
		try {
			// step 1: lockout and password
			const user = await checkCredentials({ loginId, password: String(form.get('password') ?? '') }, meta);
			// step 2: the security key, when the user has one or must have one (src/lib/server/webauthn/login.ts);
			// the key step itself is POST /login/key (and /login/enrol to register a first key)
			const after = await continueSignIn(user, { url, origin: request.headers.get('origin') }, meta);
			if (after.step === 'session') {
				cookies.set(SESSION_COOKIE, after.session.token, sessionCookieOptions(after.session.expiresAt, url));
				redirect(303, next ?? homePath[after.session.actor.role]);
			}
			cookies.set(KEY_STEP_COOKIE, after.token, keyStepCookieOptions(after.expiresInSeconds, url));
			return after.step === 'key'
				? { step: 'key' as const, loginId, next, authentication: after.options, registration: null }
				: { step: 'enrol' as const, loginId, next, authentication: null, registration: after.options };
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
