import { exportPageFor } from '$lib/server/exports/policy';
import { loadError } from '$lib/server/http';
import { tokyoDate } from '$lib/domain/format';
import { dateRangeProblems } from '$lib/domain/date-range';
import type { PageServerLoad } from './$types';

/**
 * The export page: only for roles the administrator allows (403 otherwise, operators always). ?from=&to=&encoding=
 * is a refused download sent back here (call-results/+server.ts): the form shows those values and each field's
 * problem, worded by the page.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	try {
		const page = await exportPageFor(locals.user!);
		const today = tokyoDate();
		const q = url.searchParams;
		const returned = q.has('from') || q.has('to');
		const form = { from: q.get('from') ?? today, to: q.get('to') ?? today, encoding: q.get('encoding') === 'utf8' ? 'utf8' : 'cp932' };
		const problems = returned ? dateRangeProblems(form, { required: true }) : {};
		return {
			...page,
			today,
			form,
			details: Object.fromEntries(Object.entries(problems).map(([k, p]) => [k, p.code])),
			params: Object.fromEntries(Object.entries(problems).flatMap(([k, p]) => (p.params ? [[k, p.params]] : [])))
		};
	} catch (e) {
		loadError(e);
	}
};
