import { currentRun, pendingInvitation } from '$lib/server/training/runs';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => {
	const user = locals.user;
	// training mode (issue #9): the banner of a session that works the training set, or an operator's invitation
	const [training, invitation] = user ? await Promise.all([currentRun(user), pendingInvitation(user)]) : [null, null];
	return {
		locale: locals.locale,
		user: user ? { id: user.id, displayName: user.displayName, role: user.role, loginId: user.loginId } : null,
		training,
		trainingInvitation: invitation
	};
};
