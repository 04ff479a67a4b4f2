/**
 * Which requests of a trainee's session work the training data set (issue #9): the desk's pages and the desk's API
 * (the same screens, the same keyboard flow). Everything else a trainee opens (their account, their training
 * record, sign-out) is staff data and stays real: a password changed during a run is the real password.
 */
export const trainingDeskPaths = ['/operator', '/api/claims', '/api/calls', '/api/households'] as const;

export function isTrainingDeskPath(path: string): boolean {
	return trainingDeskPaths.some((p) => path === p || path.startsWith(p + '/'));
}
