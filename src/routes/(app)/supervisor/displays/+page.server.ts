import { issueDisplayToken, listDisplayTokens, revokeDisplayToken } from '$lib/server/display/display';
import { actionError, formText, loadError } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

/** The wall displays' tokens: issue, list, revoke (display.manage: supervisors and administrators). */
export const load: PageServerLoad = async ({ locals }) => {
	try {
		const tokens = await listDisplayTokens(locals.user!);
		return { tokens };
	} catch (e) {
		loadError(e);
	}
};

export const actions: Actions = {
	issue: async ({ locals, request, url }) => {
		const form = await request.formData();
		const input = {
			label: formText(form, 'label') ?? '',
			panels: form.getAll('panels').filter((p): p is string => typeof p === 'string'),
			rotateSeconds: formText(form, 'rotateSeconds') || undefined
		};
		try {
			const { token, display } = await issueDisplayToken(locals.user!, input);
			// shown once, here: the server keeps only the token's hash
			return { step: 'issue', ok: true, label: display.label, tokenId: display.id, wallUrl: `${url.origin}/wall/t/${token}` };
		} catch (e) {
			return actionError(e, { step: 'issue', label: input.label });
		}
	},
	revoke: async ({ locals, request }) => {
		const form = await request.formData();
		try {
			const r = await revokeDisplayToken(locals.user!, { tokenId: formText(form, 'tokenId') });
			return { step: 'revoke', ok: true, label: r.label, tokenId: r.id };
		} catch (e) {
			return actionError(e, { step: 'revoke' });
		}
	}
};
