import { describe, expect, it } from 'vitest';
import { scriptLanguages } from './talk-scripts.ts';
import {
	MIN_NOTE_LENGTH,
	feedbackOf,
	PASS_PERCENT,
	scenarioByCode,
	scenarioKinds,
	scoreAttempt,
	trainingScenarios,
	type ScenarioScore,
	type ScoreCheckId,
	type TraineeAttempt,
	type TrainerObservations,
	type TrainingScenario
} from './training-scenarios.ts';

const today = '2026-11-27';
const owed = 48_600;

const goodObservations: TrainerObservations = { namedCenter: true, disclosedToThirdParty: false, askedAtmOrTransfer: false, confirmedIdentity: true };

/** The expected handling of each scenario, written out by hand (not derived from the module under test). */
function ideal(s: TrainingScenario): TraineeAttempt {
	const base: TraineeAttempt = {
		outcomeCode: null,
		outcomeKind: null,
		party: null,
		promise: null,
		handoffReason: null,
		phoneMarkedWrong: false,
		scriptLanguage: s.language,
		note: '本人と話した内容を記録しました。Recorded what was said.',
		owed,
		today,
		observations: { ...goodObservations }
	};
	switch (s.kind) {
		case 'promise':
		case 'foreign':
			return { ...base, outcomeCode: '40', outcomeKind: 'promise', party: 'self', promise: { amount: owed, dueDate: '2026-12-04' } };
		case 'refusal':
			return { ...base, outcomeCode: '42', outcomeKind: 'refusal', party: 'self', note: '保険料が高い、ほとんど受診しないとの理由で拒否。' };
		case 'installment':
			return { ...base, outcomeCode: '50', outcomeKind: 'handoff', party: 'self', handoffReason: 'installment', note: '先月失業。月五千円なら可能とのこと。分納相談で引継ぎ。' };
		case 'third_party':
			return { ...base, outcomeCode: '21', outcomeKind: 'contact', party: 'family', note: '妻が応答。本人は仕事で不在。夜なら在宅。', observations: { ...goodObservations, confirmedIdentity: null } };
		case 'wrong_number':
			return { ...base, outcomeCode: '30', outcomeKind: 'invalid_phone', party: 'other', phoneMarkedWrong: true, note: '別人が応答。何年もこの番号を使用とのこと。' };
	}
}

const byCode = (code: string): TrainingScenario => {
	const s = scenarioByCode(code);
	if (!s) throw new Error(`no scenario ${code}`);
	return s;
};
const check = (score: ScenarioScore, id: ScoreCheckId) => {
	const c = score.checks.find((c) => c.id === id);
	if (!c) throw new Error(`no check ${id} in ${score.checks.map((c) => c.id).join(',')}`);
	return c;
};
const everyCode = trainingScenarios.map((s) => s.code);

describe('the scenarios', () => {
	it('are the ten the issue lists, with unique codes, each kind present', () => {
		expect(everyCode).toEqual(['promise', 'refusal', 'installment', 'third_party', 'wrong_number', 'foreign_en', 'foreign_vi', 'foreign_zh', 'foreign_ne', 'foreign_ko']);
		expect(new Set(everyCode).size).toBe(everyCode.length);
		expect(new Set(trainingScenarios.map((s) => s.kind))).toEqual(new Set(scenarioKinds));
	});

	it('cover the five foreign languages; the Japanese scenarios are ja', () => {
		const foreign = trainingScenarios.filter((s) => s.kind === 'foreign');
		expect(foreign.map((s) => s.language).sort()).toEqual(['en', 'ko', 'ne', 'vi', 'zh']);
		for (const s of foreign) expect(s.code).toBe(`foreign_${s.language}`);
		for (const s of trainingScenarios.filter((s) => s.kind !== 'foreign')) expect(s.language).toBe('ja');
		for (const s of trainingScenarios) expect(scriptLanguages).toContain(s.language);
	});

	it('have non-empty texts in Japanese and English and 3–5 lines each', () => {
		for (const s of trainingScenarios) {
			for (const t of [s.titleJa, s.titleEn, s.briefJa, s.briefEn, s.expectedJa, s.expectedEn]) expect(t.trim().length, s.code).toBeGreaterThan(0);
			expect(s.lines.length, s.code).toBeGreaterThanOrEqual(3);
			expect(s.lines.length, s.code).toBeLessThanOrEqual(5);
			for (const l of s.lines) {
				expect(l.ja.trim(), s.code).not.toBe('');
				expect(l.en.trim(), s.code).not.toBe('');
			}
		}
	});

	it('give the trainer each foreign line in the resident\'s language, in its own script', () => {
		const scripts: Record<string, RegExp> = { vi: /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i, zh: /[\u4e00-\u9fff]/, ne: /[\u0900-\u097f]/, ko: /[\uac00-\ud7af]/, en: /^[\x20-\x7e…○]+$/ };
		for (const s of trainingScenarios.filter((s) => s.kind === 'foreign')) {
			for (const l of s.lines) {
				expect(l.native, s.code).toBeTruthy();
				expect(l.native!, `${s.code}: ${l.native}`).toMatch(scripts[s.language]);
			}
		}
		// Japanese scenarios are read in Japanese: no native text
		for (const s of trainingScenarios.filter((s) => s.kind !== 'foreign')) for (const l of s.lines) expect(l.native).toBeUndefined();
	});

	it('the Japanese lines are Japanese, and the third-party trap is there', () => {
		for (const s of trainingScenarios) for (const l of s.lines) expect(l.ja, s.code).toMatch(/[\u3040-\u30ff]/);
		const t = byCode('third_party');
		expect(t.lines.map((l) => l.ja).join('')).toContain('いくら払っていないんですか');
	});

	it('are found by code; an unknown code is undefined', () => {
		expect(scenarioByCode('foreign_ne')?.language).toBe('ne');
		expect(scenarioByCode('installment')?.kind).toBe('installment');
		expect(scenarioByCode('nope')).toBeUndefined();
		expect(scenarioByCode('')).toBeUndefined();
	});
});

describe('the ideal handling', () => {
	it.each(everyCode)('%s: passes with 100%% and every check ok', (code) => {
		const s = byCode(code);
		const r = scoreAttempt(s, ideal(s));
		const failed = r.checks.filter((c) => !c.ok).map((c) => c.id);
		expect(failed).toEqual([]);
		expect(r.fatal).toBe(false);
		expect(r.percent).toBe(100);
		expect(r.score).toBe(r.max);
		expect(r.passed).toBe(true);
	});

	it('is worth 100 points in every scenario where everything was observed', () => {
		for (const s of trainingScenarios) {
			const a = ideal(s);
			const r = scoreAttempt(s, { ...a, observations: { ...goodObservations } });
			expect(r.max, s.code).toBe(100);
			expect(r.score, s.code).toBe(100);
		}
	});

	it('every check has feedback in both languages, for a good and a bad attempt', () => {
		const bad: Partial<TraineeAttempt> = {
			outcomeCode: '10',
			outcomeKind: 'retry',
			party: 'none',
			promise: { amount: owed + 1, dueDate: '2026-11-01' },
			handoffReason: 'other',
			scriptLanguage: 'zh',
			note: 'x',
			observations: { namedCenter: false, disclosedToThirdParty: true, askedAtmOrTransfer: true, confirmedIdentity: false }
		};
		for (const s of trainingScenarios) {
			for (const a of [ideal(s), { ...ideal(s), ...bad }, { ...ideal(s), observations: { namedCenter: null, disclosedToThirdParty: null, askedAtmOrTransfer: null, confirmedIdentity: null } }]) {
				const r = scoreAttempt(s, a);
				expect(r.checks.length).toBeGreaterThanOrEqual(8);
				for (const c of r.checks) {
					expect(c.feedbackJa.trim().length, `${s.code} ${c.id}`).toBeGreaterThan(5);
					expect(c.feedbackEn.trim().length, `${s.code} ${c.id}`).toBeGreaterThan(5);
					expect(c.feedbackJa).not.toMatch(/undefined|NaN|null/);
					expect(c.feedbackEn).not.toMatch(/undefined|NaN|null/);
					expect(c.points).toBeGreaterThanOrEqual(0);
					expect(c.points).toBeLessThanOrEqual(c.max);
				}
			}
		}
	});

	it('check ids are unique within an attempt', () => {
		for (const s of trainingScenarios) {
			const ids = scoreAttempt(s, ideal(s)).checks.map((c) => c.id);
			expect(new Set(ids).size, s.code).toBe(ids.length);
		}
	});
});

describe('fatal rules fail the attempt whatever the points', () => {
	const expectFatal = (r: ScenarioScore, id: ScoreCheckId) => {
		expect(r.fatal).toBe(true);
		expect(r.passed).toBe(false);
		const c = check(r, id);
		expect(c.ok).toBe(false);
		expect(c.fatal).toBe(true);
		expect(c.points).toBe(0);
		// the other checks are not fatal
		expect(r.checks.filter((x) => x.fatal).map((x) => x.id)).toEqual([id]);
	};

	it.each(everyCode)('%s: disclosure to a third party (observed) is fatal', (code) => {
		const s = byCode(code);
		const a = ideal(s);
		const r = scoreAttempt(s, { ...a, observations: { ...a.observations, disclosedToThirdParty: true } });
		expectFatal(r, 'disclosure');
		// in the payer's scenarios it is a gate worth no points, so the points stay high: only the fatal flag fails it
		if (s.kind !== 'third_party' && s.kind !== 'wrong_number') expect(r.percent).toBe(100);
		else expect(r.percent).toBe(90);
		expect(check(r, 'disclosure').feedbackEn).toMatch(/fail/);
	});

	it.each(everyCode)('%s: asking for an ATM operation or a transfer is fatal', (code) => {
		const s = byCode(code);
		const a = ideal(s);
		const r = scoreAttempt(s, { ...a, observations: { ...a.observations, askedAtmOrTransfer: true } });
		expectFatal(r, 'no_atm');
		expect(r.percent).toBe(100);
		expect(check(r, 'no_atm').feedbackJa).toContain('詐欺');
	});

	it('third party: a recorded promise means the family member was treated as the payer', () => {
		const s = byCode('third_party');
		const r = scoreAttempt(s, { ...ideal(s), promise: { amount: 10_000, dueDate: '2026-12-01' } });
		expectFatal(r, 'not_treated_as_payer');
		// the outcome (21, family) was still right
		expect(check(r, 'outcome').ok).toBe(true);
		expect(r.percent).toBe(80);
	});

	it('third party: the party "self" (or a payer-only code) means the same', () => {
		const s = byCode('third_party');
		expectFatal(scoreAttempt(s, { ...ideal(s), party: 'self' }), 'not_treated_as_payer');
		// 20 本人応答: the form forces the party self even when none was sent
		const r = scoreAttempt(s, { ...ideal(s), outcomeCode: '20', outcomeKind: 'contact', party: null });
		expect(check(r, 'not_treated_as_payer').fatal).toBe(true);
		expect(r.passed).toBe(false);
	});

	it('third party: a promise outcome without the amount is still treating them as the payer', () => {
		const s = byCode('third_party');
		const r = scoreAttempt(s, { ...ideal(s), outcomeCode: '40', outcomeKind: 'promise', party: null });
		expect(check(r, 'not_treated_as_payer').fatal).toBe(true);
		expect(check(r, 'outcome').points).toBe(0);
	});

	it('wrong number: a promise from the stranger is fatal too (a gate, no points)', () => {
		const s = byCode('wrong_number');
		const r = scoreAttempt(s, { ...ideal(s), promise: { amount: 1000, dueDate: '2026-12-01' } });
		expectFatal(r, 'not_treated_as_payer');
		expect(check(r, 'not_treated_as_payer').max).toBe(0);
		expect(r.percent).toBe(100);
	});

	it('installment: no handoff is fatal', () => {
		const s = byCode('installment');
		const r = scoreAttempt(s, { ...ideal(s), handoffReason: null });
		expectFatal(r, 'handoff');
		expect(r.score).toBe(80);
		expect(r.percent).toBe(80);
	});

	it('installment: a handoff for another reason is fatal (the request must reach the instalment desk)', () => {
		const s = byCode('installment');
		for (const reason of ['hardship', 'reduction', 'complaint', 'other'] as const) {
			const r = scoreAttempt(s, { ...ideal(s), handoffReason: reason });
			expectFatal(r, 'handoff');
			expect(check(r, 'outcome').ok).toBe(true);
		}
		expect(check(scoreAttempt(s, { ...ideal(s), handoffReason: 'hardship' }), 'handoff').feedbackJa).toContain('生活困窮');
	});

	it('installment: a promise recorded (even beside the handoff) is fatal: operators never agree instalment plans', () => {
		const s = byCode('installment');
		const withHandoff = scoreAttempt(s, { ...ideal(s), promise: { amount: 5000, dueDate: '2026-11-30' } });
		expectFatal(withHandoff, 'handoff');
		expect(check(withHandoff, 'handoff').feedbackEn).toContain('never agree instalment plans');
		const instead = scoreAttempt(s, { ...ideal(s), outcomeCode: '40', outcomeKind: 'promise', handoffReason: null, promise: { amount: 5000, dueDate: '2026-11-30' } });
		expect(instead.passed).toBe(false);
		expect(check(instead, 'handoff').fatal).toBe(true);
		expect(check(instead, 'outcome').points).toBe(0);
		expect(instead.score).toBe(40);
	});

	it.each(everyCode)('%s: nothing recorded at all is fatal', (code) => {
		const s = byCode(code);
		const r = scoreAttempt(s, { ...ideal(s), outcomeCode: null, outcomeKind: null, party: null, promise: null, handoffReason: null, phoneMarkedWrong: false });
		expect(r.fatal).toBe(true);
		expect(r.passed).toBe(false);
		expect(check(r, 'recorded')).toMatchObject({ ok: false, fatal: true, points: 0, max: 0 });
		expect(check(r, 'outcome')).toMatchObject({ ok: false, points: 0, max: 40 });
	});

	it('a note alone is not a record; a number marked wrong is', () => {
		const s = byCode('wrong_number');
		const nothing = { outcomeCode: null, outcomeKind: null, party: null, promise: null, handoffReason: null } as const;
		expect(check(scoreAttempt(s, { ...ideal(s), ...nothing, phoneMarkedWrong: false, note: '長い応対記録をきちんと書きました。' }), 'recorded').fatal).toBe(true);
		const marked = scoreAttempt(s, { ...ideal(s), ...nothing, phoneMarkedWrong: true });
		expect(check(marked, 'recorded').ok).toBe(true);
		expect(marked.fatal).toBe(false);
		// no outcome: 40 lost, 60 left, a fail on points
		expect(marked.percent).toBe(60);
		expect(marked.passed).toBe(false);
	});

	it('two fatal faults are both reported', () => {
		const s = byCode('promise');
		const r = scoreAttempt(s, { ...ideal(s), observations: { ...goodObservations, disclosedToThirdParty: true, askedAtmOrTransfer: true } });
		expect(r.checks.filter((c) => c.fatal).map((c) => c.id).sort()).toEqual(['disclosure', 'no_atm']);
	});
});

describe('observations the trainer left unmarked', () => {
	it('are neither credit nor penalty: excluded from max, reported as not observed', () => {
		const s = byCode('promise');
		const r = scoreAttempt(s, { ...ideal(s), observations: { ...goodObservations, namedCenter: null } });
		const c = check(r, 'named_center');
		expect(c).toMatchObject({ ok: true, fatal: false, observed: false, points: 0, max: 0 });
		expect(c.feedbackJa).toContain('未観察');
		expect(c.feedbackEn).toContain('Not observed');
		expect(r.max).toBe(90);
		expect(r.score).toBe(90);
		expect(r.percent).toBe(100);
		expect(r.passed).toBe(true);
	});

	it('keep the percentage fair: a missing note weighs 10 of 80 when two observations are unmarked', () => {
		const s = byCode('refusal');
		const r = scoreAttempt(s, { ...ideal(s), note: '', observations: { ...goodObservations, namedCenter: null, confirmedIdentity: null } });
		expect(r.max).toBe(80);
		expect(r.score).toBe(70);
		expect(r.percent).toBe(88); // round(87.5)
		expect(r.passed).toBe(true);
	});

	it('all unmarked: only the recorded actions count', () => {
		const unmarked: TrainerObservations = { namedCenter: null, disclosedToThirdParty: null, askedAtmOrTransfer: null, confirmedIdentity: null };
		for (const s of trainingScenarios) {
			const r = scoreAttempt(s, { ...ideal(s), observations: unmarked });
			expect(r.max, s.code).toBe(80);
			expect(r.percent, s.code).toBe(100);
			expect(r.fatal).toBe(false);
			expect(r.checks.filter((c) => !c.observed).map((c) => c.id).sort(), s.code).toEqual(
				s.kind === 'third_party' || s.kind === 'wrong_number' ? ['disclosure', 'named_center', 'no_atm'] : ['disclosure', 'identity', 'named_center', 'no_atm']
			);
		}
	});

	it('an observed failure costs its points', () => {
		const s = byCode('promise');
		const r = scoreAttempt(s, { ...ideal(s), observations: { ...goodObservations, namedCenter: false, confirmedIdentity: false } });
		expect(check(r, 'named_center')).toMatchObject({ ok: false, observed: true, points: 0, max: 10, fatal: false });
		expect(check(r, 'identity')).toMatchObject({ ok: false, observed: true, points: 0, max: 10, fatal: false });
		expect(r.percent).toBe(80);
		expect(r.passed).toBe(true);
	});

	it('in the third-party and wrong-number scenarios non-disclosure replaces the identity check', () => {
		for (const code of ['third_party', 'wrong_number']) {
			const s = byCode(code);
			const r = scoreAttempt(s, ideal(s));
			expect(r.checks.some((c) => c.id === 'identity')).toBe(false);
			expect(check(r, 'disclosure')).toMatchObject({ ok: true, points: 10, max: 10 });
		}
		const p = scoreAttempt(byCode('promise'), ideal(byCode('promise')));
		expect(check(p, 'disclosure')).toMatchObject({ ok: true, points: 0, max: 0 });
		expect(check(p, 'identity')).toMatchObject({ ok: true, points: 10, max: 10 });
	});
});

describe('the promise', () => {
	const s = byCode('promise');
	const withPromise = (amount: number, dueDate: string) => scoreAttempt(s, { ...ideal(s), promise: { amount, dueDate } });

	it('above the amount owed loses the promise check', () => {
		const r = withPromise(owed + 1, '2026-12-04');
		expect(check(r, 'promise')).toMatchObject({ ok: false, points: 0, max: 20, fatal: false });
		expect(check(r, 'promise').feedbackEn).toContain('more than is owed (48,600 yen)');
		expect(check(r, 'promise').feedbackJa).toContain('滞納額（48,600円）を超えています');
		expect(r.score).toBe(80);
		expect(r.passed).toBe(true);
	});

	it('in the past loses the promise check; today is fine', () => {
		const r = withPromise(owed, '2026-11-26');
		expect(check(r, 'promise').ok).toBe(false);
		expect(check(r, 'promise').feedbackEn).toContain('in the past');
		expect(check(withPromise(owed, today), 'promise').ok).toBe(true);
	});

	it('beyond the horizon loses it; on the last day is fine', () => {
		expect(check(withPromise(owed, '2027-02-25'), 'promise').ok).toBe(true); // today + 90 days
		const r = withPromise(owed, '2027-02-26');
		expect(check(r, 'promise').ok).toBe(false);
		expect(check(r, 'promise').feedbackEn).toContain('more than 90 days ahead');
	});

	it('a partial amount is a promise; zero, negative, fractional or not a date are not', () => {
		expect(check(withPromise(10_000, '2026-12-04'), 'promise').ok).toBe(true);
		expect(check(withPromise(1, '2026-12-04'), 'promise').ok).toBe(true);
		for (const amount of [0, -100, 100.5]) expect(check(withPromise(amount, '2026-12-04'), 'promise').ok, String(amount)).toBe(false);
		for (const d of ['2026-02-30', '2026/12/04', '']) expect(check(withPromise(owed, d), 'promise').ok, d).toBe(false);
	});

	it('amount and date wrong together are both named', () => {
		const c = check(withPromise(owed * 2, '2026-01-01'), 'promise');
		expect(c.feedbackEn).toMatch(/more than is owed.*in the past/);
		expect(c.feedbackJa).toMatch(/超えています.*過去です/);
	});

	it('no promise loses the promise check', () => {
		const r = scoreAttempt(s, { ...ideal(s), promise: null });
		expect(check(r, 'promise')).toMatchObject({ ok: false, points: 0 });
		expect(r.percent).toBe(80);
	});

	it('the outcome must be 40 with the payer', () => {
		expect(check(scoreAttempt(s, { ...ideal(s), outcomeCode: '20', outcomeKind: 'contact' }), 'outcome')).toMatchObject({ ok: false, points: 0 });
		expect(check(scoreAttempt(s, { ...ideal(s), party: 'family' }), 'outcome')).toMatchObject({ ok: false, points: 0 });
		// the form forces the payer for 40: a missing party is the payer
		expect(check(scoreAttempt(s, { ...ideal(s), party: null }), 'outcome')).toMatchObject({ ok: true, points: 40 });
		const wrong = scoreAttempt(s, { ...ideal(s), outcomeCode: '41', outcomeKind: 'paid_claim' });
		expect(check(wrong, 'outcome').feedbackJa).toContain('41 納付済み申告');
		expect(check(wrong, 'outcome').feedbackJa).toContain('40 納付約束');
		expect(wrong.percent).toBe(60);
		expect(wrong.passed).toBe(false);
	});
});

describe('scenario outcomes', () => {
	it('refusal: 42 is expected; a complaint handoff earns half; a promise earns nothing', () => {
		const s = byCode('refusal');
		const complaint = scoreAttempt(s, { ...ideal(s), outcomeCode: '50', outcomeKind: 'handoff', handoffReason: 'complaint' });
		expect(check(complaint, 'outcome')).toMatchObject({ ok: false, points: 20, max: 40 });
		expect(complaint.percent).toBe(80);
		expect(complaint.passed).toBe(true);
		const otherHandoff = scoreAttempt(s, { ...ideal(s), outcomeCode: '50', outcomeKind: 'handoff', handoffReason: 'hardship' });
		expect(check(otherHandoff, 'outcome').points).toBe(0);
		const pushed = scoreAttempt(s, { ...ideal(s), outcomeCode: '40', outcomeKind: 'promise', promise: { amount: 1000, dueDate: '2026-12-01' } });
		expect(check(pushed, 'outcome').points).toBe(0);
		expect(check(pushed, 'no_promise')).toMatchObject({ ok: false, points: 0 });
		expect(check(pushed, 'no_promise').feedbackEn).toContain('never recorded as a promise');
		expect(pushed.percent).toBe(40);
		expect(pushed.passed).toBe(false);
		expect(pushed.fatal).toBe(false);
	});

	it('installment: 50 is expected', () => {
		const s = byCode('installment');
		const r = scoreAttempt(s, { ...ideal(s), outcomeCode: '42', outcomeKind: 'refusal' });
		expect(check(r, 'outcome').points).toBe(0);
		expect(r.percent).toBe(60);
	});

	it('third party: 21 with family or someone else; not 20, not self', () => {
		const s = byCode('third_party');
		expect(check(scoreAttempt(s, { ...ideal(s), party: 'other' }), 'outcome').ok).toBe(true);
		expect(scoreAttempt(s, { ...ideal(s), party: 'other' }).percent).toBe(100);
		expect(check(scoreAttempt(s, { ...ideal(s), party: null }), 'outcome').ok).toBe(false); // 21 offers several parties: one must be chosen
		expect(check(scoreAttempt(s, { ...ideal(s), outcomeCode: '10', outcomeKind: 'retry', party: 'none' }), 'outcome').points).toBe(0);
	});

	it('wrong number: 30 and the number marked wrong; 31 earns half; an unmarked number loses the detail', () => {
		const s = byCode('wrong_number');
		const notMarked = scoreAttempt(s, { ...ideal(s), phoneMarkedWrong: false });
		expect(check(notMarked, 'phone_marked')).toMatchObject({ ok: false, points: 0, max: 20 });
		expect(notMarked.percent).toBe(80);
		const notInService = scoreAttempt(s, { ...ideal(s), outcomeCode: '31', outcomeKind: 'invalid_phone', party: 'none' });
		expect(check(notInService, 'outcome')).toMatchObject({ ok: false, points: 20 });
		expect(notInService.percent).toBe(80);
		// 30 forces the party "other": none sent is fine
		expect(check(scoreAttempt(s, { ...ideal(s), party: null }), 'outcome').ok).toBe(true);
		expect(check(scoreAttempt(s, { ...ideal(s), outcomeCode: '21', outcomeKind: 'contact' }), 'outcome').points).toBe(0);
	});

	it('foreign: a promise as for the promise scenario', () => {
		const s = byCode('foreign_vi');
		const r = scoreAttempt(s, { ...ideal(s), promise: { amount: owed + 100, dueDate: '2026-12-07' } });
		expect(check(r, 'promise').ok).toBe(false);
		expect(check(scoreAttempt(s, { ...ideal(s), outcomeCode: '20', outcomeKind: 'contact', promise: null }), 'outcome').points).toBe(0);
	});
});

describe('the script language', () => {
	it.each(['foreign_vi', 'foreign_zh', 'foreign_ne', 'foreign_ko'])('%s: Japanese loses the check but the attempt still passes', (code) => {
		const s = byCode(code);
		const r = scoreAttempt(s, { ...ideal(s), scriptLanguage: 'ja' });
		expect(check(r, 'language')).toMatchObject({ ok: false, points: 0, max: 10, fatal: false });
		expect(r.percent).toBe(90);
		expect(r.passed).toBe(true);
	});

	it.each(['foreign_vi', 'foreign_zh', 'foreign_ne', 'foreign_ko'])('%s: English earns half (partial credit)', (code) => {
		const s = byCode(code);
		const r = scoreAttempt(s, { ...ideal(s), scriptLanguage: 'en' });
		expect(check(r, 'language')).toMatchObject({ ok: false, points: 5, max: 10 });
		expect(r.percent).toBe(95);
		expect(check(r, 'language').feedbackEn).toContain('partial credit');
	});

	it('another foreign language, or no script, earns nothing', () => {
		const s = byCode('foreign_ko');
		expect(check(scoreAttempt(s, { ...ideal(s), scriptLanguage: 'zh' }), 'language').points).toBe(0);
		expect(check(scoreAttempt(s, { ...ideal(s), scriptLanguage: null }), 'language').points).toBe(0);
		expect(check(scoreAttempt(s, { ...ideal(s), scriptLanguage: 'zh' }), 'language').feedbackJa).toContain('韓国語');
	});

	it('English speaker: Japanese earns nothing (no half credit to give)', () => {
		const s = byCode('foreign_en');
		expect(check(scoreAttempt(s, { ...ideal(s), scriptLanguage: 'ja' }), 'language').points).toBe(0);
	});

	it('Japanese household: only the Japanese script counts', () => {
		const s = byCode('promise');
		expect(check(scoreAttempt(s, { ...ideal(s), scriptLanguage: 'en' }), 'language').points).toBe(0);
		expect(check(scoreAttempt(s, ideal(s)), 'language').points).toBe(10);
	});

	// a run without the household's language among its scenarios plays a domestic scenario on a foreign resident's
	// household: the desk opened the card's language, and keeping it is right (QA found this marked wrong)
	it.each(['promise', 'refusal', 'installment', 'third_party', 'wrong_number'])('%s on an English-speaking household: the English script counts, Japanese does not', (code) => {
		const s = byCode(code);
		const en = check(scoreAttempt(s, { ...ideal(s), householdLanguage: 'en', scriptLanguage: 'en' }), 'language');
		expect(en).toMatchObject({ ok: true, points: 10 });
		const ja = check(scoreAttempt(s, { ...ideal(s), householdLanguage: 'en', scriptLanguage: 'ja' }), 'language');
		expect(ja).toMatchObject({ ok: false, points: 0 });
		expect(ja.feedbackJa).toContain('世帯の希望言語は英語です。英語のトークスクリプトを開いてください。');
	});

	it('a Chinese-speaking household in a domestic scenario: English earns half, as in the foreign scenarios', () => {
		const s = byCode('promise');
		expect(check(scoreAttempt(s, { ...ideal(s), householdLanguage: 'zh', scriptLanguage: 'zh' }), 'language').points).toBe(10);
		expect(check(scoreAttempt(s, { ...ideal(s), householdLanguage: 'zh', scriptLanguage: 'en' }), 'language').points).toBe(5);
	});

	it('a foreign resident scenario keeps its own language whatever the card says (the trainer speaks it)', () => {
		const s = byCode('foreign_vi');
		expect(check(scoreAttempt(s, { ...ideal(s), householdLanguage: 'ja', scriptLanguage: 'vi' }), 'language').points).toBe(10);
		expect(check(scoreAttempt(s, { ...ideal(s), householdLanguage: 'ja', scriptLanguage: 'ja' }), 'language').points).toBe(0);
	});

	it('an unknown household language falls back to the scenario’s', () => {
		const s = byCode('promise');
		expect(check(scoreAttempt(s, { ...ideal(s), householdLanguage: null, scriptLanguage: 'ja' }), 'language').points).toBe(10);
	});
});

describe('the note', () => {
	const s = byCode('promise');
	it(`needs at least ${MIN_NOTE_LENGTH} characters, trimmed, counting Japanese characters one each`, () => {
		expect(check(scoreAttempt(s, { ...ideal(s), note: '来週金曜日に全額納付約束' }), 'note').ok).toBe(true); // 12 characters
		expect(check(scoreAttempt(s, { ...ideal(s), note: '全額約束。金曜日払' }), 'note').ok).toBe(false); // 9 characters
		expect(check(scoreAttempt(s, { ...ideal(s), note: '   short    ' }), 'note').ok).toBe(false);
		expect(check(scoreAttempt(s, { ...ideal(s), note: '0123456789' }), 'note').ok).toBe(true);
		const none = check(scoreAttempt(s, { ...ideal(s), note: null }), 'note');
		expect(none).toMatchObject({ ok: false, points: 0, max: 10 });
		expect(none.feedbackEn).toContain('There is no conversation record');
	});
});

describe('pass mark', () => {
	it(`is ${PASS_PERCENT}%: exactly 70 passes, 65 fails`, () => {
		expect(PASS_PERCENT).toBe(70);
		const s = byCode('promise');
		// no promise (−20), no note (−10): 70
		const seventy = scoreAttempt(s, { ...ideal(s), promise: null, note: null });
		expect(seventy.percent).toBe(70);
		expect(seventy.passed).toBe(true);
		// and the English script for a Japanese household (−10): 60
		const sixty = scoreAttempt(s, { ...ideal(s), promise: null, note: null, scriptLanguage: 'en' });
		expect(sixty.percent).toBe(60);
		expect(sixty.passed).toBe(false);
		// a Nepali speaker with the English script, no promise, no note: 65
		const ne = byCode('foreign_ne');
		const sixtyFive = scoreAttempt(ne, { ...ideal(ne), promise: null, note: null, scriptLanguage: 'en' });
		expect(sixtyFive.percent).toBe(65);
		expect(sixtyFive.passed).toBe(false);
	});
});

describe('feedbackOf', () => {
	it('gives the stored checks’ feedback in the reader’s language, in the order scored, with the trainer’s marks', () => {
		const s = byCode('third_party');
		const r = scoreAttempt(s, { ...ideal(s), observations: { ...goodObservations, confirmedIdentity: null, disclosedToThirdParty: true, namedCenter: null } });
		// what training_attempts.checks holds (jsonb round trip)
		const stored: unknown = JSON.parse(JSON.stringify(r.checks));
		const ja = feedbackOf(stored, 'ja');
		expect(ja.map((l) => l.id)).toEqual(r.checks.map((c) => c.id));
		const disclosure = ja.find((l) => l.id === 'disclosure')!;
		expect(disclosure).toMatchObject({ ok: false, fatal: true, observed: true });
		expect(disclosure.text).toContain('本人以外に滞納の内容や金額を伝えました');
		expect(ja.find((l) => l.id === 'named_center')).toMatchObject({ observed: false });
		expect(feedbackOf(stored, 'en').find((l) => l.id === 'disclosure')!.text).toMatch(/^You told someone other than the payer/);
	});
	it('reads stored JSON defensively: none for null or a non-list, entries without text left out', () => {
		expect(feedbackOf(null, 'ja')).toEqual([]);
		expect(feedbackOf({ a: 1 }, 'ja')).toEqual([]);
		expect(feedbackOf([{ id: 'x' }, null, { id: 'note', ok: true, feedbackJa: '記録あり', feedbackEn: 'Recorded' }], 'en')).toEqual([{ id: 'note', ok: true, fatal: false, observed: true, text: 'Recorded' }]);
	});
});
