import { redirect } from '@sveltejs/kit';
import { myTraining } from '$lib/server/training/training';
import { joinRun, leaveRun, myTrainingAttempts } from '$lib/server/training/runs';
import { actionError, loadError } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

/** One's own training record (any signed-in user); operators without the privacy training are sent here (hooks). */
export const load: PageServerLoad = async ({ locals, url }) => {
	try {
		const [record, roleplay] = await Promise.all([myTraining(locals.user), myTrainingAttempts(locals.user!)]);
		return { ...record, roleplay, required: url.searchParams.has('required') };
	} catch (e) {
		loadError(e);
	}
};

/** Training mode (issue #9): this session joins the operator's open run, or leaves it; the desk follows. */
export const actions: Actions = {
	join: async ({ locals }) => {
		try {
			await joinRun(locals.user!);
		} catch (e) {
			return actionError(e, { step: 'join' });
		}
		redirect(303, '/operator?training=joined');
	},
	leave: async ({ locals }) => {
		try {
			await leaveRun(locals.user!);
		} catch (e) {
			return actionError(e, { step: 'leave' });
		}
		redirect(303, locals.user!.role === 'operator' ? '/operator?training=left' : '/training');
	}
};
