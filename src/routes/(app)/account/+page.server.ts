import { redirect } from '@sveltejs/kit';
import { changeOwnPassword, endOwnSessions, listOwnSessions } from '$lib/server/auth/account';
import { listOwnKeys, removeOwnKey, renameOwnKey } from '$lib/server/webauthn/keys';
import { SESSION_COOKIE, SignInThrottled } from '$lib/server/auth/sessions';
import { actionError, loadError, formText } from '$lib/server/http';
import { loadConfig } from '$lib/server/config';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '$lib/domain/password-policy';
import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	try {
		const cfg = loadConfig();
		return {
			sessions: await listOwnSessions(locals.user!),
			securityKeys: await listOwnKeys(locals.user!),
			rules: { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH },
			lifetime: { idleMinutes: cfg.SESSION_IDLE_MINUTES, hours: cfg.SESSION_TTL_HOURS }
		};
	} catch (e) {
		loadError(e);
	}
};

export const actions: Actions = {
	password: async ({ locals, request, setHeaders }) => {
		const form = await request.formData();
		try {
			const r = await changeOwnPassword(locals.user!, {
				currentPassword: formText(form, 'currentPassword'),
				newPassword: formText(form, 'newPassword'),
				confirmPassword: formText(form, 'confirmPassword')
			});
			return { step: 'password', otherSessionsEnded: r.otherSessionsEnded };
		} catch (e) {
			if (e instanceof SignInThrottled) {
				setHeaders({ 'retry-after': String(e.retryAfterSeconds) });
				return fail(e.status, { step: 'password', code: e.code, retryAfter: e.retryAfterSeconds, details: null });
			}
			return actionError(e, { step: 'password' });
		}
	},
	renameKey: async ({ locals, request }) => {
		const form = await request.formData();
		try {
			await renameOwnKey(locals.user!, { keyId: formText(form, 'keyId'), name: formText(form, 'name') });
			return { step: 'renameKey', ok: true };
		} catch (e) {
			return actionError(e, { step: 'renameKey' });
		}
	},
	removeKey: async ({ locals, request }) => {
		const form = await request.formData();
		try {
			await removeOwnKey(locals.user!, { keyId: formText(form, 'keyId') });
			return { step: 'removeKey', ok: true };
		} catch (e) {
			return actionError(e, { step: 'removeKey' });
		}
	},
	end: async ({ locals, request, cookies }) => {
		const form = await request.formData();
		try {
			const others = form.get('others') === 'true';
			const r = await endOwnSessions(locals.user!, others ? { others: true } : { sessionId: formText(form, 'sessionId') });
			if (r.current) {
				cookies.delete(SESSION_COOKIE, { path: '/' });
				redirect(303, '/login');
			}
			return { step: 'end', ended: r.ended };
		} catch (e) {
			return actionError(e, { step: 'end' });
		}
	}
};
