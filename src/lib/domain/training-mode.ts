/** Training mode (issue #9): which requests work the training set, which scenario an attempt plays, the run's report. */
import { scenarioByCode } from './training-scenarios.ts';
import { tokyoDateTime } from './format.ts';

export { isTrainingDeskPath, trainingDeskPaths } from './training-paths.ts';

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

/** The role-play results' export for the ward's audit (one row per attempt; staff data, synthetic households). */
export const roleplayExportHeader = [
	'研修名',
	'研修開始',
	'講師',
	'ログインID',
	'氏名',
	'場面コード',
	'場面',
	'世帯取得日時',
	'記録日時',
	'応答区分',
	'得点',
	'満点',
	'得点率',
	'合否',
	'重大な誤り',
	'センター名を名乗った',
	'本人確認',
	'第三者への開示',
	'ATM・振込の依頼'
];

export interface RoleplayExportRow {
	runTitle: string;
	runStartedAt: Date;
	trainerName: string | null;
	loginId: string;
	displayName: string;
	scenarioCode: string;
	claimedAt: Date;
	recordedAt: Date | null;
	outcomeCode: string | null;
	score: number | null;
	maxScore: number | null;
	percent: number | null;
	passed: boolean | null;
	fatal: boolean | null;
	observations: Record<string, boolean | null> | null;
}

const mark = (v: boolean | null | undefined) => (v === true ? 'はい' : v === false ? 'いいえ' : '未評価');
const num = (v: number | null) => (v === null ? '' : String(v));

/** The cells of one attempt (text; the caller quotes and encodes). Not yet recorded or scored: empty cells. */
export function roleplayExportCells(r: RoleplayExportRow): string[] {
	const o = r.observations ?? {};
	return [
		r.runTitle,
		tokyoDateTime(r.runStartedAt),
		r.trainerName ?? '',
		r.loginId,
		r.displayName,
		r.scenarioCode,
		scenarioByCode(r.scenarioCode)?.titleJa ?? r.scenarioCode,
		tokyoDateTime(r.claimedAt),
		r.recordedAt ? tokyoDateTime(r.recordedAt) : '',
		r.outcomeCode ?? '',
		num(r.score),
		num(r.maxScore),
		r.percent === null ? '' : `${r.percent}%`,
		r.passed === null ? '' : r.passed ? '合格' : '不合格',
		r.fatal ? 'あり' : r.fatal === false ? 'なし' : '',
		mark(o.namedCenter),
		mark(o.confirmedIdentity),
		mark(o.disclosedToThirdParty),
		mark(o.askedAtmOrTransfer)
	];
}
