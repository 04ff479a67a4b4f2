import { myBatches } from '$lib/server/letters/letters';
import { loadError } from '$lib/server/http';
import type { PageServerLoad } from './$types';

/** The letter batches assigned to this operator, to print (letters.print). */
export const load: PageServerLoad = async ({ locals }) => {
	try {
		return { batches: await myBatches(locals.user!) };
	} catch (e) {
		loadError(e);
	}
};
