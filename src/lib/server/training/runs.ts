/**
 * Training mode (issue #9): a supervisor (the trainer) starts a run for some operators; each of them joins from
 * their desk (one session at a time) and then works the same desk against the training data set (./training-data.ts,
 * src/lib/server/mode.ts). Each household a trainee claims is an attempt played as one scenario
 * (src/lib/domain/training-scenarios.ts): the trainer reads the resident's lines on /supervisor/training, marks what
 * they hear (named the center, disclosed to a third party …), and the trainee's recorded outcome is scored against
 * the expected handling, with feedback on the desk and in their training record.
 *
 * Policy: training.run (supervisors) starts, ends, plays and marks; an operator joins and leaves only a run they are
 * a trainee of; everyone reads their own attempts. Every start, end, join, leave and mark is in the access log.
 */
import { z } from 'zod';
import { realDb, trainingDb, type Db, type Tx } from '../db.ts';
import { dataMode, inTraining } from '../mode.ts';
import { requirePermission, requireSignedIn, type Actor, type SessionActor } from '../auth/actor.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { id } from '../validation.ts';
import { publish, publishReal } from '../publish.ts';
import { recordOperatorState } from '../queue/states.ts';
import { arrearsOf } from '../households/households.ts';
import { tokyoDate } from '../../domain/format.ts';
import {
	scenarioByCode,
	scoreAttempt,
	trainingScenarios,
	type ScenarioScore,
	type TraineeAttempt,
	type TrainerObservations
} from '../../domain/training-scenarios.ts';
import { CLAIM_LOCK_NAMESPACE, type Claim } from '../queue/claims.ts';
import type { OutcomeKind, Party, HandoffReason } from '../../domain/outcomes.ts';
import { asScriptLanguage } from '../../domain/talk-scripts.ts';
import { ensureTrainingData, mirrorUsers, dropTrainingData } from './training-data.ts';
import * as q from './runs.queries.ts';
import { releaseAllOf } from '../queue/claims.queries.ts';
import { roleplayExportCells, roleplayExportHeader, scenarioFor, summarize } from '../../domain/training-mode.ts';
import { csvField } from '../exports/exports.ts';
import { csvFileBytes } from '../exports/cp932.ts';

export type { RunSummaryRow } from '../../domain/training-mode.ts';

export type { RunRow, TraineeRow, AttemptRow } from './runs.queries.ts';

/** advisory lock of starting runs and resetting the training set (serialized across instances) */
const RUNS_LOCK = 4_213_012;

const scenarioCodes = trainingScenarios.map((s) => s.code) as [string, ...string[]];

const startInput = z.object({
	// the messages are codes the console translates next to the field (trainingMode.console.problem.*)
	title: z.string({ error: 'required' }).trim().min(1, 'required').max(100, 'too_long'),
	trainees: z.array(id, { error: 'choose_trainee' }).min(1, 'choose_trainee').max(50, 'too_many_trainees'),
	scenarios: z.array(z.enum(scenarioCodes, { message: 'unknown_scenario' }), { error: 'choose_scenario' }).min(1, 'choose_scenario').max(20, 'too_many_scenarios')
});

const observationsInput = z.object({
	attemptId: id,
	namedCenter: z.boolean().nullable(),
	disclosedToThirdParty: z.boolean().nullable(),
	askedAtmOrTransfer: z.boolean().nullable(),
	confirmedIdentity: z.boolean().nullable()
});

const scenarioInput = z.object({ attemptId: id, scenario: z.enum(scenarioCodes, { message: 'unknown scenario' }) });

/** Start a run: the training set is made ready (first time: a few seconds), the trainees mirrored into it. */
export async function startRun(actor: Actor, raw: unknown): Promise<{ id: number }> {
	requirePermission(actor, 'training.run');
	const parsed = startInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { title, scenarios } = parsed.data;
	const wanted = [...new Set(parsed.data.trainees)];
	const sql = realDb();
	const ops = await q.enabledOperators(sql, wanted);
	const unknown = wanted.filter((u) => !ops.some((o) => o.id === u));
	if (unknown.length) throw new DomainError('invalid_input', `not an enabled operator: ${unknown.join(', ')}`, { trainees: 'not_operator' });
	const refuseBusy = async (db: Db) => {
		const busy = await q.inOpenRun(db, wanted);
		if (busy.length)
			throw new DomainError('conflict', `already in an open training run: ${busy.map((b) => ops.find((o) => o.id === b.userId)?.loginId ?? b.userId).join(', ')}`, {
				trainees: 'already in an open training run'
			});
	};
	await refuseBusy(sql);
	await ensureTrainingData();
	await mirrorUsers(wanted);
	return sql.begin(async (tx) => {
		// one start (or reset) at a time: two supervisors must not put one operator in two runs
		await tx`select pg_advisory_xact_lock(${RUNS_LOCK})`;
		await refuseBusy(tx);
		const runId = await q.insertRun(tx, { title, scenarios: [...new Set(scenarios)], trainerId: actor.id });
		await q.addTrainees(tx, runId, wanted, actor.id);
		await writeAccessLog(tx, actor, { action: 'training.run', reason: `run ${runId} started (${title}): ${ops.map((o) => o.loginId).join(', ')}; scenarios ${scenarios.join(', ')}` });
		return { id: runId };
	});
}

/** End a run: its trainees' sessions go back to real data at their next click; its claims in the training set are released. */
export async function endRun(actor: Actor, raw: unknown): Promise<void> {
	requirePermission(actor, 'training.run');
	const parsed = z.object({ runId: id }).safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const runId = parsed.data.runId;
	const trainees = await realDb().begin(async (tx) => {
		const run = await q.runById(tx, runId, { forUpdate: true });
		if (!run) throw new DomainError('not_found', `no training run ${runId}`);
		if (run.endedAt) throw new DomainError('conflict', `training run ${runId} has ended already`);
		const people = await q.trainees(tx, [runId]);
		const sessions = await q.endRun(tx, runId, actor.id);
		// back on the real floor: a trainee shown as on a training break is available again (presence takes an
		// offline one from there)
		for (const p of people) if (await q.onTrainingBreak(tx, p.userId)) await recordOperatorState(tx, p.userId, 'available', { householdId: null });
		await writeAccessLog(tx, actor, { action: 'training.run', reason: `run ${runId} ended (${run.title}); ${sessions.length} session(s) back to real data` });
		// their desks reload onto real data (the claim they held in the training set is given back below)
		for (const p of people) await publish(tx, { type: 'training:changed', data: { userId: p.userId, runId, joined: false } });
		return people.map((p) => p.userId);
	});
	await releaseAllOf(trainingDb(), trainees);
}

/**
 * The trainee's session joins their open run: from the next request its desk works the training set. Refused while
 * they hold a real household (give it back first: it must not wait, claimed, through a training session).
 */
export async function joinRun(actor: SessionActor): Promise<{ runId: number }> {
	requireSignedIn(actor);
	if (actor.role !== 'operator') throw new DomainError('forbidden', 'only operators train at the desk');
	const sql = realDb();
	const run = await q.openRunOf(sql, actor.id);
	if (!run) throw new DomainError('not_found', 'you are not a trainee of an open training run');
	if (await q.holdsRealHousehold(sql, actor.id)) throw new DomainError('conflict', 'give back the household you hold before you start training');
	await ensureTrainingData();
	await mirrorUsers([actor.id]);
	// at the training desk they start available (the training set has no presence of its own)
	await inTraining(() => trainingDb().begin((tx) => recordOperatorState(tx, actor.id, 'available', { householdId: null })));
	await sql.begin(async (tx) => {
		// the claim lock (claims.ts): a real claim from another tab cannot slip in between the check and the switch
		await tx`select pg_advisory_xact_lock(${CLAIM_LOCK_NAMESPACE}, ${actor.id})`;
		if (await q.holdsRealHousehold(tx, actor.id)) throw new DomainError('conflict', 'give back the household you hold before you start training');
		const still = await q.runById(tx, run.id);
		if (!still || still.endedAt) throw new DomainError('conflict', 'the training run has ended');
		await q.setSessionRun(tx, actor.sessionId, run.id);
		// on the real floor they show as on a break for training, not as available for the queue
		await recordOperatorState(tx, actor.id, 'break', { breakReason: 'training', householdId: null });
		await writeAccessLog(tx, actor, { action: 'training.run', reason: `joined run ${run.id} (${run.title})` });
		await publish(tx, { type: 'training:changed', data: { userId: actor.id, runId: run.id, joined: true } });
	});
	return { runId: run.id };
}

/** The trainee's session goes back to real data (the training claim is given back). */
export async function leaveRun(actor: SessionActor): Promise<void> {
	requireSignedIn(actor);
	if (!actor.trainingRunId) return;
	const runId = actor.trainingRunId;
	await releaseAllOf(trainingDb(), [actor.id]);
	await realDb().begin(async (tx) => {
		await q.setSessionRun(tx, actor.sessionId, null);
		await recordOperatorState(tx, actor.id, 'available', { householdId: null });
		await writeAccessLog(tx, actor, { action: 'training.run', reason: `left run ${runId}` });
		await publish(tx, { type: 'training:changed', data: { userId: actor.id, runId, joined: false } });
	});
}

/**
 * A trainee claimed a household of the training set (claims.ts calls this in a training context): the attempt is
 * opened with its scenario, for the trainer's console. A resumed claim keeps its attempt.
 */
export async function trainingClaimed(actor: Actor, claim: Pick<Claim, 'householdId'>): Promise<void> {
	if (dataMode() !== 'training' || !actor.trainingRunId) return;
	const sql = realDb();
	const run = await q.runById(sql, actor.trainingRunId);
	if (!run || run.endedAt) return;
	if (await q.openAttempt(sql, run.id, actor.id, claim.householdId)) return;
	const [h] = await trainingDb()<{ language: string | null }[]>`select language from households where id = ${claim.householdId}`;
	const code = scenarioFor(run.scenarios, h?.language ?? null, await q.attemptCount(sql, run.id, actor.id));
	await sql.begin(async (tx) => {
		const a = await q.insertAttempt(tx, { runId: run.id, userId: actor.id, householdId: claim.householdId, scenarioCode: code });
		await publishReal(tx, { type: 'training:attempt', data: { runId: run.id, userId: actor.id, attemptId: a.id } });
	});
}

/** What the call screen sent, as far as scoring needs it. */
export interface RecordedForScoring {
	householdId: number;
	outcomeCode: string;
	outcomeKind: OutcomeKind;
	party: Party | null;
	promise: { amount: number; dueDate: string } | null;
	handoffReason: HandoffReason | null;
	note: string | null;
	scriptLanguage: string | null;
}

/** The score the desk shows after a training save. */
export interface TrainingFeedback {
	attemptId: number;
	scenario: string;
	score: ScenarioScore;
}

/**
 * A trainee recorded an outcome in the training set (calls.ts calls this after the commit, in a training context):
 * the open attempt on the household is closed with what was recorded and scored. Null when there is no attempt
 * (not a trainee's call, or an inbound call).
 */
export async function trainingRecorded(actor: Actor, r: RecordedForScoring): Promise<TrainingFeedback | null> {
	if (dataMode() !== 'training' || !actor.trainingRunId) return null;
	const sql = realDb();
	const open = await q.openAttempt(sql, actor.trainingRunId, actor.id, r.householdId);
	if (!open) return null;
	const t = trainingDb();
	const [arrears, phones, [household]] = await Promise.all([
		arrearsOf(t, r.householdId),
		// marked by the trainee during this attempt (not a number the training set had marked already)
		t<{ n: number }[]>`
			select count(*)::int as n from phones
			where household_id = ${r.householdId} and status <> 'active' and status_changed_by = ${actor.id} and status_changed_at >= ${open.claimedAt}`,
		// the language the card showed (a domestic scenario on a foreign resident's household expects its script)
		t<{ language: string | null }[]>`select language from households where id = ${r.householdId}`
	]);
	const attempt: Omit<TraineeAttempt, 'observations'> = {
		outcomeCode: r.outcomeCode,
		outcomeKind: r.outcomeKind,
		party: r.party,
		promise: r.promise,
		handoffReason: r.handoffReason,
		phoneMarkedWrong: phones[0].n > 0,
		scriptLanguage: asScriptLanguage(r.scriptLanguage),
		householdLanguage: asScriptLanguage(household?.language ?? null),
		note: r.note,
		owed: arrears.total,
		today: tokyoDate()
	};
	const score = await sql.begin(async (tx) => {
		const a = await q.attemptById(tx, open.id, { forUpdate: true });
		if (!a || a.recordedAt) return null; // recorded meanwhile (a resend)
		await q.setRecorded(tx, open.id, attempt as unknown as Record<string, unknown>);
		await publishReal(tx, { type: 'training:attempt', data: { runId: open.runId, userId: actor.id, attemptId: open.id } });
		return rescore(tx, open.id);
	});
	return score ? { attemptId: open.id, scenario: open.scenarioCode, score } : null;
}

function observationsOf(o: Record<string, boolean | null> | null | undefined): TrainerObservations {
	const v = (k: string) => (typeof o?.[k] === 'boolean' ? (o[k] as boolean) : null);
	return { namedCenter: v('namedCenter'), disclosedToThirdParty: v('disclosedToThirdParty'), askedAtmOrTransfer: v('askedAtmOrTransfer'), confirmedIdentity: v('confirmedIdentity') };
}

/**
 * Score an attempt again from what is stored (after a save, a mark or a change of scenario), in the caller's
 * transaction, which holds the attempt's row lock (a save and a mark at once: the later one scores both). Null
 * until recorded.
 */
async function rescore(sql: Tx, attemptId: number): Promise<ScenarioScore | null> {
	const a = await q.attemptById(sql, attemptId);
	if (!a || !a.attempt) return null;
	const scenario = scenarioByCode(a.scenarioCode);
	if (!scenario) return null;
	const score = scoreAttempt(scenario, { ...(a.attempt as unknown as Omit<TraineeAttempt, 'observations'>), observations: observationsOf(a.observations) });
	await q.setScore(sql, a.id, { score: score.score, max: score.max, percent: score.percent, passed: score.passed, fatal: score.fatal, checks: score.checks });
	return score;
}

/** The trainer's marks on an attempt (before or after the trainee saves): the score follows. */
export async function observe(actor: Actor, raw: unknown): Promise<ScenarioScore | null> {
	requirePermission(actor, 'training.run');
	const parsed = observationsInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { attemptId, ...marks } = parsed.data;
	return realDb().begin(async (tx) => {
		const a = await q.attemptById(tx, attemptId, { forUpdate: true });
		if (!a) throw new DomainError('not_found', `no training attempt ${attemptId}`);
		const run = await q.runById(tx, a.runId);
		if (!run || run.endedAt) throw new DomainError('conflict', 'the training run has ended: its attempts are kept as they were');
		await q.setObservations(tx, attemptId, marks, actor.id);
		await writeAccessLog(tx, actor, { action: 'training.run', reason: `attempt ${attemptId} marked: ${JSON.stringify(marks)}` });
		await publishReal(tx, { type: 'training:attempt', data: { runId: a.runId, userId: a.userId, attemptId } });
		return rescore(tx, attemptId);
	});
}

/** The trainer plays another scenario on an attempt (before the trainee saves, or to correct it after). */
export async function changeScenario(actor: Actor, raw: unknown): Promise<ScenarioScore | null> {
	requirePermission(actor, 'training.run');
	const parsed = scenarioInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	return realDb().begin(async (tx) => {
		const a = await q.attemptById(tx, parsed.data.attemptId, { forUpdate: true });
		if (!a) throw new DomainError('not_found', `no training attempt ${parsed.data.attemptId}`);
		const run = await q.runById(tx, a.runId);
		if (!run || run.endedAt) throw new DomainError('conflict', 'the training run has ended: its attempts are kept as they were');
		await q.setScenario(tx, a.id, parsed.data.scenario);
		await writeAccessLog(tx, actor, { action: 'training.run', reason: `attempt ${a.id} played as ${parsed.data.scenario} (was ${a.scenarioCode})` });
		await publishReal(tx, { type: 'training:attempt', data: { runId: a.runId, userId: a.userId, attemptId: a.id } });
		return rescore(tx, a.id);
	});
}

/** A household of the training set as the trainer's console shows it (synthetic: the whole card is fine to show). */
export interface TrainingHousehold {
	id: number;
	name: string | null;
	kana: string | null;
	language: string | null;
	owed: number;
}

async function trainingHouseholds(ids: number[]): Promise<Map<number, TrainingHousehold>> {
	if (ids.length === 0) return new Map();
	const t = trainingDb();
	const rows = await t<{ id: number; name: string | null; kana: string | null; language: string | null }[]>`
		select h.id, p.name, p.kana, h.language from households h
		left join lateral (select name, name_kana as kana from persons where household_id = h.id order by (relationship = '世帯主') desc nulls last, id limit 1) p on true
		where h.id = any(${ids}::bigint[])`;
	const out = new Map<number, TrainingHousehold>();
	for (const r of rows) out.set(r.id, { ...r, owed: (await arrearsOf(t, r.id)).total });
	return out;
}

/** The trainer's console: open runs with their trainees, attempts and summaries; recent ended runs; the operators. */
export async function trainerConsole(actor: Actor) {
	requirePermission(actor, 'training.run');
	const sql = realDb();
	const [open, ended, operators] = await Promise.all([q.openRuns(sql), q.recentRuns(sql), q.operators(sql)]);
	const runIds = [...open, ...ended].map((r) => r.id);
	const [people, attempts] = await Promise.all([q.trainees(sql, runIds), q.attemptsOfRuns(sql, runIds)]);
	const openAttemptHouseholds = [...new Set(attempts.filter((a) => open.some((r) => r.id === a.runId)).map((a) => a.householdId))];
	const households = await trainingHouseholds(openAttemptHouseholds.slice(-200));
	const loginOf = new Map(people.map((p) => [p.userId, p.loginId]));
	const runs = [...open, ...ended].map((r) => {
		const mine = attempts.filter((a) => a.runId === r.id);
		return {
			...r,
			trainees: people.filter((p) => p.runId === r.id),
			attempts: mine.map((a) => ({ ...a, household: households.get(a.householdId) ?? null })),
			byTrainee: summarize(mine, (a) => loginOf.get(a.userId) ?? String(a.userId)),
			byScenario: summarize(mine, (a) => a.scenarioCode)
		};
	});
	return { runs, operators };
}

/** A trainee's own attempts (their training record) and the run they may join. */
export async function myTrainingAttempts(actor: SessionActor) {
	requireSignedIn(actor);
	const sql = realDb();
	const [run, attempts] = await Promise.all([q.openRunOf(sql, actor.id), q.attemptsOfUser(sql, actor.id)]);
	return { run: run ?? null, joined: actor.trainingRunId ?? null, attempts };
}

/** The run a trainee's desk works in, for the banner: null in real mode. */
export async function currentRun(actor: Actor | null): Promise<{ id: number; title: string } | null> {
	if (!actor?.trainingRunId) return null;
	const run = await q.runById(realDb(), actor.trainingRunId);
	return run && !run.endedAt ? { id: run.id, title: run.title } : null;
}

/** An invitation for an operator who is a trainee of an open run and has not joined it in this session. */
export async function pendingInvitation(actor: Actor | null): Promise<{ id: number; title: string; trainerName: string | null } | null> {
	if (!actor || actor.role !== 'operator' || actor.trainingRunId) return null;
	const run = await q.openRunOf(realDb(), actor.id);
	return run ? { id: run.id, title: run.title, trainerName: run.trainerName } : null;
}

/** Drop the training set so that the next run starts on a fresh one (no run may be open). */
export async function resetTrainingData(actor: Actor): Promise<boolean> {
	requirePermission(actor, 'training.run');
	return realDb().begin(async (tx) => {
		await tx`select pg_advisory_xact_lock(${RUNS_LOCK})`;
		if ((await q.openRuns(tx)).length) throw new DomainError('conflict', 'end the open training runs first');
		const dropped = await dropTrainingData(tx);
		await writeAccessLog(tx, actor, { action: 'training.run', reason: dropped ? 'training data set dropped (a fresh one is made at the next run)' : 'training data set reset: there was none' });
		return dropped;
	});
}

/**
 * Every role-play attempt as CSV for the ward's audit (CP932 by default, UTF-8 with a BOM; CRLF): who trained when,
 * in which scenario, with which score and the trainer's marks (training.view; logged).
 */
export async function exportRoleplay(actor: Actor, opts: { encoding?: 'cp932' | 'utf8' } = {}): Promise<{ body: Uint8Array; rows: number; filename: string }> {
	requirePermission(actor, 'training.view');
	const sql = realDb();
	const rows = await q.roleplayExportRows(sql);
	const text = [roleplayExportHeader, ...rows.map(roleplayExportCells)].map((cells) => cells.map(csvField).join(',') + '\r\n').join('');
	await writeAccessLog(sql, actor, { action: 'training.export', reason: `role-play results exported (${rows.length} rows, ${opts.encoding ?? 'cp932'})` });
	const day = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
	return { body: csvFileBytes(text, opts.encoding ?? 'cp932'), rows: rows.length, filename: `ロールプレイ研修_${day}.csv` };
}

/** Whether any training run is open (the sweeper then sweeps the training set's queue too). */
export async function anyOpenRun(): Promise<boolean> {
	return (await q.openRuns(realDb())).length > 0;
}

/** For the socket request wrapper: run a desk event in the mode of the actor's session. */
export function withActorMode<T>(actor: Actor, fn: () => Promise<T>): Promise<T> {
	return actor.trainingRunId ? inTraining(fn) : fn();
}
