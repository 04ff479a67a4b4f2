/** Training mode (issue #9): which paths of a trainee's session work the training set (small: every page's layout reads it). */

/**
 * Which requests of a trainee's session work the training data set (issue #9): the desk's pages and the desk's API
 * (the same screens, the same keyboard flow). Everything else a trainee opens (their account, their training
 * record, sign-out) is staff data and stays real: a password changed during a run is the real password.
 */
export const trainingDeskPaths = ['/operator', '/api/claims', '/api/calls', '/api/households'] as const;

/**
 * Under those, what stays real: the letter batches assigned to the operator (their PDFs are files of the real data;
 * a trainee prints nothing from the training set).
 */
const realUnderDesk = ['/operator/letters'] as const;

const under = (path: string, p: string) => path === p || path.startsWith(p + '/');

export function isTrainingDeskPath(path: string): boolean {
	return trainingDeskPaths.some((p) => under(path, p)) && !realUnderDesk.some((p) => under(path, p));
}
