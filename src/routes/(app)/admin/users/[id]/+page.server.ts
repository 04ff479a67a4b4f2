import { redirect } from '@sveltejs/kit';
import { changeUserRole, endUserSessions, resetUserPassword, setUserEnabled, setUserTeamBy, userDetailFor } from '$lib/server/users/admin';
import { SESSION_COOKIE } from '$lib/server/auth/sessions';
import { allowKeyEnrolmentBy, recoverKeysBy, removeUserKeyBy, setUserKeyRequirementBy, userKeysFor } from '$lib/server/webauthn/admin';
import { actionError, loadError, formText } from '$lib/server/http';
import { roles } from '$lib/domain/roles';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '$lib/domain/password-policy';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	try {
		const detail = await userDetailFor(locals.user!, { userId: params.id });
		const securityKeys = await userKeysFor(locals.user!, { userId: params.id });
		return { ...detail, securityKeys, self: detail.user.id === locals.user!.id, roles: [...roles], rules: { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH } };
	} catch (e) {
		loadError(e);
	}
};

export const actions: Actions = {
	role: async ({ locals, params, request }) => {
		const form = await request.formData();
		try {
			await changeUserRole(locals.user!, { userId: params.id, role: formText(form, 'role') });
			return { step: 'role', ok: true };
		} catch (e) {
			return actionError(e, { step: 'role' });
		}
	},
	team: async ({ locals, params, request }) => {
		const form = await request.formData();
		try {
			await setUserTeamBy(locals.user!, { userId: params.id, team: formText(form, 'team') ?? '' });
			return { step: 'team', ok: true };
		} catch (e) {
			return actionError(e, { step: 'team' });
		}
	},
	enabled: async ({ locals, params, request }) => {
		const form = await request.formData();
		const enabled = formText(form, 'enabled');
		try {
			await setUserEnabled(locals.user!, { userId: params.id, enabled: enabled === 'true' ? true : enabled === 'false' ? false : enabled });
			return { step: 'enabled', ok: true, enabled: enabled === 'true' };
		} catch (e) {
			return actionError(e, { step: 'enabled' });
		}
	},
	password: async ({ locals, params, request }) => {
		const form = await request.formData();
		try {
			await resetUserPassword(locals.user!, { userId: params.id, password: formText(form, 'password') });
			return { step: 'password', ok: true };
		} catch (e) {
			return actionError(e, { step: 'password' });
		}
	},
	keyRequirement: async ({ locals, params, request }) => {
		const form = await request.formData();
		try {
			await setUserKeyRequirementBy(locals.user!, { userId: params.id, requirement: formText(form, 'requirement') });
			return { step: 'keyRequirement', ok: true };
		} catch (e) {
			return actionError(e, { step: 'keyRequirement' });
		}
	},
	removeKey: async ({ locals, params, request }) => {
		const form = await request.formData();
		try {
			await removeUserKeyBy(locals.user!, { userId: params.id, keyId: formText(form, 'keyId') });
			return { step: 'removeKey', ok: true };
		} catch (e) {
			return actionError(e, { step: 'removeKey' });
		}
	},
	allowEnrolment: async ({ locals, params, request }) => {
		const form = await request.formData();
		try {
			const r = await allowKeyEnrolmentBy(locals.user!, { userId: params.id, confirm: form.get('confirm') === 'true' || undefined });
			return { step: 'allowEnrolment', ok: true, until: r.endsAt.toISOString() };
		} catch (e) {
			return actionError(e, { step: 'allowEnrolment' });
		}
	},
	recoverKeys: async ({ locals, params, request, cookies }) => {
		const form = await request.formData();
		try {
			const r = await recoverKeysBy(locals.user!, { userId: params.id, confirm: form.get('confirm') === 'true' || undefined });
			// an administrator who recovered their own keys has ended their own session too
			if (locals.user!.id === Number(params.id)) {
				cookies.delete(SESSION_COOKIE, { path: '/' });
				redirect(303, '/login');
			}
			return { step: 'recoverKeys', ok: true, removed: r.removed, until: r.endsAt.toISOString() };
		} catch (e) {
			return actionError(e, { step: 'recoverKeys' });
		}
	},
	end: async ({ locals, params, request, cookies }) => {
		const form = await request.formData();
		try {
			const sessionId = formText(form, 'sessionId');
			const r = await endUserSessions(locals.user!, { userId: params.id, sessionId: sessionId || null });
			// an administrator who ended their own current session is signed out
			if (locals.user!.id === Number(params.id) && (!sessionId || sessionId === locals.user!.sessionId)) {
				cookies.delete(SESSION_COOKIE, { path: '/' });
				redirect(303, '/login');
			}
			return { step: 'end', ok: true, ended: r.ended };
		} catch (e) {
			return actionError(e, { step: 'end' });
		}
	}
};
