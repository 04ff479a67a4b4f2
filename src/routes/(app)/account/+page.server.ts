import { redirect } from '@sveltejs/kit';
import { changeOwnPassword, endOwnSessions, listOwnSessions } from '$lib/server/auth/account';
import { listOwnKeys, removeOwnKey, renameOwnKey } from '$lib/server/webauthn/keys';
import { SESSION_COOKIE, SignInThrottled } from '$lib/server/auth/sessions';
import { actionError, loadError } from '$lib/server/http';
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

const str = (form: FormData, k: string) => {
	const v = form.get(k);
	return typeof v === 'string' ? v : undefined;
};

export const actions: Actions = {
	password: async ({ locals, request, setHeaders }) => {
		const form = await request.formData();
		try {
			const r = await changeOwnPassword(locals.user!, {
				currentPassword: str(form, 'currentPassword'),
				newPassword: str(form, 'newPassword'),
				confirmPassword: str(form, 'confirmPassword')
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
			await renameOwnKey(locals.user!, { keyId: str(form, 'keyId'), name: str(form, 'name') });
			return { step: 'renameKey', ok: true };
		} catch (e) {
			return actionError(e, { step: 'renameKey' });
		}
	},
	removeKey: async ({ locals, request }) => {
		const form = await request.formData();
		try {
			await removeOwnKey(locals.user!, { keyId: str(form, 'keyId') });
			return { step: 'removeKey', ok: true };
		} catch (e) {
			return actionError(e, { step: 'removeKey' });
		}
	},
	end: async ({ locals, request, cookies }) => {
		const form = await request.formData();
		try {
			const others = form.get('others') === 'true';
			const r = await endOwnSessions(locals.user!, others ? { others: true } : { sessionId: str(form, 'sessionId') });
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
