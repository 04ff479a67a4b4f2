import { myBatches, templatePlaceholders } from '$lib/server/letters/letters';
import { loadError } from '$lib/server/http';
import type { PageServerLoad } from './$types';

/** The letter batches assigned to this operator, to print (letters.print), and whether the letter text is still the installed placeholders. */
export const load: PageServerLoad = async ({ locals }) => {
	try {
		const user = locals.user!;
		const [batches, placeholders] = await Promise.all([myBatches(user), templatePlaceholders(user)]);
		return { batches, placeholders };
	} catch (e) {
		loadError(e);
	}
};
