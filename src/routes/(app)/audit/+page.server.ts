import { readAccessLog } from '$lib/server/audit/read';
import { loadError } from '$lib/server/http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	try {
		return { rows: await readAccessLog(locals.user!, { before: url.searchParams.get('before') }) };
	} catch (e) {
		loadError(e);
	}
};
