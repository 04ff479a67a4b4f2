import { createCourse, recordAttendance, scheduleSession, trainingPlan } from '$lib/server/training/training';
import { actionError, formText, loadError } from '$lib/server/http';
import { can } from '$lib/domain/roles';
import type { Actions, PageServerLoad } from './$types';

/** The training plan and records (training.view); supervisors and administrators change them (training.manage). */
export const load: PageServerLoad = async ({ locals }) => {
	try {
		return { ...(await trainingPlan(locals.user!)), canManage: can(locals.user!.role, 'training.manage') };
	} catch (e) {
		loadError(e);
	}
};

export const actions: Actions = {
	course: async ({ locals, request }) => {
		const f = await request.formData();
		try {
			await createCourse(locals.user!, { code: formText(f, 'code'), titleJa: formText(f, 'titleJa'), titleEn: formText(f, 'titleEn'), kind: formText(f, 'kind'), description: formText(f, 'description') ?? '' });
			return { step: 'course' };
		} catch (e) {
			return actionError(e, { step: 'course' });
		}
	},
	session: async ({ locals, request }) => {
		const f = await request.formData();
		try {
			const r = await scheduleSession(locals.user!, {
				courseId: formText(f, 'courseId'),
				startsAt: formText(f, 'startsAt'),
				durationMinutes: formText(f, 'durationMinutes'),
				place: formText(f, 'place') ?? '',
				trainer: formText(f, 'trainer') ?? '',
				attendees: f.getAll('attendees').map(String)
			});
			return { step: 'session', sessionId: r.id };
		} catch (e) {
			return actionError(e, { step: 'session' });
		}
	},
	attendance: async ({ locals, request }) => {
		const f = await request.formData();
		try {
			await recordAttendance(locals.user!, { sessionId: formText(f, 'sessionId'), userId: formText(f, 'userId'), status: formText(f, 'status') });
			return { step: 'attendance' };
		} catch (e) {
			return actionError(e, { step: 'attendance' });
		}
	}
};
