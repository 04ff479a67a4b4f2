import { saveScript, scriptEditor } from '$lib/server/scripts/scripts';
import { actionError, formText, loadError } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

/** The talk scripts' editor (scripts.manage): ?situation=&language= picks the script edited. */
export const load: PageServerLoad = async ({ locals, url }) => {
	try {
		return await scriptEditor(locals.user!, { situation: url.searchParams.get('situation') ?? undefined, language: url.searchParams.get('language') ?? undefined });
	} catch (e) {
		loadError(e);
	}
};

export const actions: Actions = {
	save: async ({ locals, request }) => {
		const f = await request.formData();
		try {
			const r = await saveScript(locals.user!, {
				situation: formText(f, 'situation'),
				language: formText(f, 'language'),
				text: formText(f, 'text'),
				changeNote: formText(f, 'changeNote'),
				baseVersion: formText(f, 'baseVersion') ?? null
			});
			return { step: 'save', versionId: r.versionId };
		} catch (e) {
			return actionError(e, { step: 'save', text: formText(f, 'text') ?? '', changeNote: formText(f, 'changeNote') ?? '' });
		}
	}
};
