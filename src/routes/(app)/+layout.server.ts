import { mayExport } from '$lib/server/exports/policy';
import type { LayoutServerLoad } from './$types';

/** Whether to show the export link: the role's ceiling and the administrator's setting (exports/policy.ts). */
export const load: LayoutServerLoad = async ({ locals }) => ({
	exportAllowed: locals.user ? await mayExport(locals.user) : false
});
