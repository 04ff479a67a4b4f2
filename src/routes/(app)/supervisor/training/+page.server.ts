import { changeScenario, endRun, observe, resetTrainingData, startRun, trainerConsole } from '$lib/server/training/runs';
import { actionError, formText, loadError } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

/** The trainer's console (training.run): runs, trainees, the scenario of each household in progress, marks, scores. */
export const load: PageServerLoad = async ({ locals, depends }) => {
	depends('kansho:training');
	try {
		return await trainerConsole(locals.user!);
	} catch (e) {
		loadError(e);
	}
};

/** A mark: yes, no, or not marked (empty). */
const mark = (f: FormData, key: string): boolean | null => {
	const v = formText(f, key);
	return v === 'yes' ? true : v === 'no' ? false : null;
};

export const actions: Actions = {
	start: async ({ locals, request }) => {
		const f = await request.formData();
		try {
			const r = await startRun(locals.user!, { title: formText(f, 'title'), trainees: f.getAll('trainees').map(String), scenarios: f.getAll('scenarios').map(String) });
			return { step: 'start', runId: r.id };
		} catch (e) {
			return actionError(e, { step: 'start' });
		}
	},
	end: async ({ locals, request }) => {
		const f = await request.formData();
		try {
			await endRun(locals.user!, { runId: formText(f, 'runId') });
			return { step: 'end', ok: true };
		} catch (e) {
			return actionError(e, { step: 'end' });
		}
	},
	observe: async ({ locals, request }) => {
		const f = await request.formData();
		try {
			await observe(locals.user!, {
				attemptId: formText(f, 'attemptId'),
				namedCenter: mark(f, 'namedCenter'),
				confirmedIdentity: mark(f, 'confirmedIdentity'),
				disclosedToThirdParty: mark(f, 'disclosedToThirdParty'),
				askedAtmOrTransfer: mark(f, 'askedAtmOrTransfer')
			});
			return { step: 'observe', attemptId: Number(formText(f, 'attemptId')) };
		} catch (e) {
			return actionError(e, { step: 'observe' });
		}
	},
	scenario: async ({ locals, request }) => {
		const f = await request.formData();
		try {
			await changeScenario(locals.user!, { attemptId: formText(f, 'attemptId'), scenario: formText(f, 'scenario') });
			return { step: 'scenario', attemptId: Number(formText(f, 'attemptId')) };
		} catch (e) {
			return actionError(e, { step: 'scenario' });
		}
	},
	reset: async ({ locals }) => {
		try {
			await resetTrainingData(locals.user!);
			return { step: 'reset', ok: true };
		} catch (e) {
			return actionError(e, { step: 'reset' });
		}
	}
};
