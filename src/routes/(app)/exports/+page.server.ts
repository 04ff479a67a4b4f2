import { exportPageFor } from '$lib/server/exports/policy';
import { loadError } from '$lib/server/http';
import { tokyoDate } from '$lib/domain/format';
import type { PageServerLoad } from './$types';

/** The export page: only for roles the administrator allows (403 otherwise, operators always). */
export const load: PageServerLoad = async ({ locals }) => {
	try {
		return { ...(await exportPageFor(locals.user!)), today: tokyoDate() };
	} catch (e) {
		loadError(e);
	}
};
