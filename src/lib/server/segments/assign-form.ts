/**
 * The assignment form (checkboxes operator × segment) → setAssignments' input. The form lists the operators and
 * segments it showed (`operator`, `segment` hidden fields) and one checkbox `a` = "userId:segmentId" per checked
 * box; only assignments between those shown change. `v` = "userId:version" per shown operator (optional) makes the
 * save refuse to undo a change made to that operator since the form was shown.
 */
import type { FormLike } from './filter-form.ts';

export function assignmentsFromForm(form: FormLike) {
	const strings = (k: string) => form.getAll(k).filter((v): v is string => typeof v === 'string');
	// the version of each shown operator's segments ("userId:version"): a save over someone else's change is refused
	const versions = strings('v').map((v) => {
		const [userId, version] = v.split(':');
		return { userId, version };
	});
	return {
		operatorIds: strings('operator'),
		segmentIds: strings('segment'),
		...(versions.length ? { versions } : {}),
		pairs: strings('a').map((v) => {
			const [userId, segmentId] = v.split(':');
			return { userId, segmentId };
		})
	};
}
