import { letterSetup, saveSettings, saveTemplate } from '$lib/server/letters/letters';
import { templateFields } from '$lib/domain/letters';
import { actionError, formText, loadError } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

/** The letters' template (versioned, with a live preview) and candidate settings (letters.configure: administrators). */
export const load: PageServerLoad = async ({ locals }) => {
	try {
		return await letterSetup(locals.user!);
	} catch (e) {
		loadError(e);
	}
};

export const actions: Actions = {
	template: async ({ locals, request }) => {
		const form = await request.formData();
		const input: Record<string, string | undefined> = { basedOn: formText(form, 'basedOn') };
		for (const f of templateFields) input[f] = formText(form, f);
		try {
			const t = await saveTemplate(locals.user!, input);
			return { step: 'template', ok: true, version: t.version };
		} catch (e) {
			return actionError(e, { step: 'template' });
		}
	},
	settings: async ({ locals, request }) => {
		const form = await request.formData();
		const input = Object.fromEntries(['attemptsThreshold', 'distinctSlots', 'resendIntervalDays', 'pdfKeepDays', 'version'].map((k) => [k, formText(form, k)]));
		try {
			const s = await saveSettings(locals.user!, input);
			return { step: 'settings', ok: true, version: s.version };
		} catch (e) {
			return actionError(e, { step: 'settings' });
		}
	}
};
