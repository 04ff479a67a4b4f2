/** Training mode (issue #9): which requests work the training set, which scenario an attempt plays, the run's report. */
import { scenarioByCode } from './training-scenarios.ts';

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

/** The scenario for a new attempt: a foreign resident's when the household's language has one, else the next in turn. */
export function scenarioFor(runScenarios: readonly string[], language: string | null, attemptsSoFar: number): string {
	const foreign = runScenarios.find((c) => scenarioByCode(c)?.kind === 'foreign' && scenarioByCode(c)?.language === language);
	if (foreign) return foreign;
	const domestic = runScenarios.filter((c) => scenarioByCode(c)?.kind !== 'foreign');
	const pool = domestic.length ? domestic : [...runScenarios];
	return pool[attemptsSoFar % pool.length];
}

/** What the run's report needs of an attempt. */
export interface ScoredAttempt {
	percent: number | null;
	passed: boolean | null;
}

/** Per trainee and per scenario: attempts, scored, passed, average percent (the run's own report). */
export interface RunSummaryRow {
	key: string;
	attempts: number;
	scored: number;
	passed: number;
	averagePercent: number | null;
}

export function summarize<A extends ScoredAttempt>(attempts: readonly A[], keyOf: (a: A) => string): RunSummaryRow[] {
	const by = new Map<string, A[]>();
	for (const a of attempts) by.set(keyOf(a), [...(by.get(keyOf(a)) ?? []), a]);
	return [...by].map(([key, list]) => {
		const scored = list.filter((a) => a.percent !== null);
		return {
			key,
			attempts: list.length,
			scored: scored.length,
			passed: scored.filter((a) => a.passed).length,
			averagePercent: scored.length ? Math.round(scored.reduce((s, a) => s + a.percent!, 0) / scored.length) : null
		};
	});
}
