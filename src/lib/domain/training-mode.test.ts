import { describe, expect, it } from 'vitest';
import { isTrainingDeskPath, roleplayExportCells, roleplayExportHeader, scenarioFor, summarize } from './training-mode.ts';

describe('isTrainingDeskPath', () => {
	it('takes the desk and its API, and nothing else a trainee opens', () => {
		for (const p of ['/operator', '/operator/inbound', '/api/claims/next', '/api/calls', '/api/households/12']) expect(isTrainingDeskPath(p)).toBe(true);
		for (const p of ['/', '/training', '/account', '/operators', '/operator/letters', '/operator/letters/3', '/api/wall', '/api/callsx', '/supervisor', '/logout']) expect(isTrainingDeskPath(p)).toBe(false);
	});
});

describe('scenarioFor', () => {
	const run = ['promise', 'third_party', 'foreign_vi', 'foreign_ne'];
	it('plays the foreign resident of the household’s language when the run has it', () => {
		expect(scenarioFor(run, 'vi', 0)).toBe('foreign_vi');
		expect(scenarioFor(run, 'ne', 5)).toBe('foreign_ne');
	});
	it('otherwise takes the run’s other scenarios in turn', () => {
		expect([0, 1, 2, 3].map((n) => scenarioFor(run, 'ja', n))).toEqual(['promise', 'third_party', 'promise', 'third_party']);
		// a language the run plays no foreign scenario for: the domestic ones
		expect(scenarioFor(run, 'zh', 1)).toBe('third_party');
		expect(scenarioFor(run, null, 0)).toBe('promise');
	});
	it('a run of foreign scenarios only plays them in turn for any household', () => {
		expect([0, 1, 2].map((n) => scenarioFor(['foreign_en', 'foreign_ko'], 'ja', n))).toEqual(['foreign_en', 'foreign_ko', 'foreign_en']);
	});
});

describe('summarize', () => {
	it('counts attempts, scored, passed and the average of the scored ones per key', () => {
		const attempts = [
			{ who: 'a', percent: 100, passed: true },
			{ who: 'a', percent: 41, passed: false },
			{ who: 'a', percent: null, passed: null },
			{ who: 'b', percent: 70, passed: true }
		];
		expect(summarize(attempts, (x) => x.who)).toEqual([
			{ key: 'a', attempts: 3, scored: 2, passed: 1, averagePercent: 71 },
			{ key: 'b', attempts: 1, scored: 1, passed: 1, averagePercent: 70 }
		]);
		expect(summarize([{ percent: null, passed: null }], () => 'x')).toEqual([{ key: 'x', attempts: 1, scored: 0, passed: 0, averagePercent: null }]);
	});
});

describe('roleplayExportCells', () => {
	const base = {
		runTitle: '新人研修',
		runStartedAt: new Date('2026-12-01T01:00:00Z'),
		trainerName: '田中 SV',
		loginId: 'op09',
		displayName: '新人',
		scenarioCode: 'third_party',
		claimedAt: new Date('2026-12-01T01:05:00Z'),
		recordedAt: new Date('2026-12-01T01:09:00Z'),
		outcomeCode: '21',
		score: 40,
		maxScore: 90,
		percent: 44,
		passed: false,
		fatal: true,
		observations: { namedCenter: true, disclosedToThirdParty: true, askedAtmOrTransfer: false }
	};
	it('has one cell per header, Tokyo times, the scenario’s Japanese title, the verdict and the marks', () => {
		const cells = roleplayExportCells(base);
		expect(cells).toHaveLength(roleplayExportHeader.length);
		expect(cells).toEqual([
			'新人研修', '2026-12-01 10:00', '田中 SV', 'op09', '新人', 'third_party', expect.stringMatching(/家族|本人以外/), '2026-12-01 10:05', '2026-12-01 10:09',
			'21', '40', '90', '44%', '不合格', 'あり', 'はい', '未評価', 'はい', 'いいえ'
		]);
	});
	it('leaves an attempt not yet recorded blank where nothing is known', () => {
		const cells = roleplayExportCells({ ...base, recordedAt: null, outcomeCode: null, score: null, maxScore: null, percent: null, passed: null, fatal: null, observations: {} });
		expect(cells.slice(8, 15)).toEqual(['', '', '', '', '', '', '']);
		expect(cells.slice(15)).toEqual(['未評価', '未評価', '未評価', '未評価']);
	});
});
