/**
 * SQL of training runs (issue #9; migration 00028_training_mode): runs, their trainees, the sessions that joined
 * one, and the attempts with their scores. All of it is in the real schema (staff data); the households the
 * attempts name are ids of the training data set.
 */
import type { Db } from '../db.ts';
import type { RoleplayExportRow } from '../../domain/training-mode.ts';

export interface RunRow {
	id: number;
	title: string;
	scenarios: string[];
	trainerId: number | null;
	trainerName: string | null;
	startedAt: Date;
	endedAt: Date | null;
}

const RUN_COLUMNS = 'r.id, r.title, r.scenarios, r.trainer_id, u.display_name as trainer_name, r.started_at, r.ended_at';

export async function openRuns(db: Db): Promise<RunRow[]> {
	return db<RunRow[]>`select ${db.unsafe(RUN_COLUMNS)} from training_runs r left join users u on u.id = r.trainer_id where r.ended_at is null order by r.started_at`;
}

export async function recentRuns(db: Db, limit = 20): Promise<RunRow[]> {
	return db<RunRow[]>`
		select ${db.unsafe(RUN_COLUMNS)} from training_runs r left join users u on u.id = r.trainer_id
		where r.ended_at is not null order by r.ended_at desc limit ${limit}`;
}

export async function runById(db: Db, id: number, opts: { forUpdate?: boolean } = {}): Promise<RunRow | undefined> {
	const [r] = await db<RunRow[]>`
		select ${db.unsafe(RUN_COLUMNS)} from training_runs r left join users u on u.id = r.trainer_id where r.id = ${id}
		${opts.forUpdate ? db`for update of r` : db``}`;
	return r;
}

export async function insertRun(db: Db, r: { title: string; scenarios: string[]; trainerId: number }): Promise<number> {
	const [row] = await db<{ id: number }[]>`
		insert into training_runs (title, scenarios, trainer_id) values (${r.title}, ${r.scenarios}, ${r.trainerId}) returning id`;
	return row.id;
}

export async function addTrainees(db: Db, runId: number, userIds: number[], by: number): Promise<void> {
	await db`
		insert into training_run_trainees (run_id, user_id, added_by)
		select ${runId}, u, ${by} from unnest(${userIds}::bigint[]) as u on conflict do nothing`;
}

/** Of these users, the enabled operators. */
export async function enabledOperators(db: Db, ids: number[]): Promise<{ id: number; loginId: string; displayName: string; team: string | null }[]> {
	return db`
		select id, login_id, display_name, team from users
		where id = any(${ids}::bigint[]) and role = 'operator' and disabled_at is null order by id`;
}

/** Every enabled operator, for the trainer's choice. */
export async function operators(db: Db): Promise<{ id: number; loginId: string; displayName: string; team: string | null }[]> {
	return db`select id, login_id, display_name, team from users where role = 'operator' and disabled_at is null order by login_id`;
}

/** Of these users, those already in another open run (one run at a time). */
export async function inOpenRun(db: Db, ids: number[]): Promise<{ userId: number; runId: number }[]> {
	return db`
		select t.user_id, t.run_id from training_run_trainees t join training_runs r on r.id = t.run_id
		where r.ended_at is null and t.user_id = any(${ids}::bigint[])`;
}

/** The open run this user is a trainee of, if any. */
export async function openRunOf(db: Db, userId: number): Promise<RunRow | undefined> {
	const [r] = await db<RunRow[]>`
		select ${db.unsafe(RUN_COLUMNS)} from training_run_trainees t join training_runs r on r.id = t.run_id
		left join users u on u.id = r.trainer_id
		where t.user_id = ${userId} and r.ended_at is null order by r.started_at desc limit 1`;
	return r;
}

export interface TraineeRow {
	runId: number;
	userId: number;
	loginId: string;
	displayName: string;
	/** a live session of theirs works in the run now */
	joined: boolean;
}

export async function trainees(db: Db, runIds: number[]): Promise<TraineeRow[]> {
	return db<TraineeRow[]>`
		select t.run_id, t.user_id, u.login_id, u.display_name,
		  exists (select 1 from sessions s where s.user_id = t.user_id and s.training_run_id = t.run_id and s.expires_at > now()) as joined
		from training_run_trainees t join users u on u.id = t.user_id
		where t.run_id = any(${runIds}::bigint[]) order by t.run_id, u.login_id`;
}

export async function setSessionRun(db: Db, sessionId: string, runId: number | null): Promise<void> {
	await db`update sessions set training_run_id = ${runId} where id = ${sessionId}`;
}

export async function endRun(db: Db, runId: number, by: number): Promise<string[]> {
	await db`update training_runs set ended_at = now(), ended_by = ${by} where id = ${runId} and ended_at is null`;
	const rows = await db<{ id: string }[]>`update sessions set training_run_id = null where training_run_id = ${runId} returning id`;
	return rows.map((r) => r.id);
}

export interface AttemptRow {
	id: number;
	runId: number;
	userId: number;
	householdId: number;
	scenarioCode: string;
	claimedAt: Date;
	recordedAt: Date | null;
	attempt: Record<string, unknown> | null;
	observations: Record<string, boolean | null>;
	score: number | null;
	maxScore: number | null;
	percent: number | null;
	passed: boolean | null;
	fatal: boolean | null;
	checks: unknown[] | null;
}

const ATTEMPT_COLUMNS = `id, run_id, user_id, training_household_id as household_id, scenario_code, claimed_at, recorded_at, attempt, observations, score, max_score,
	percent, passed, fatal, checks`;

/** The attempt open on this household for this trainee (claimed, not yet recorded). */
export async function openAttempt(db: Db, runId: number, userId: number, householdId: number): Promise<AttemptRow | undefined> {
	const [r] = await db<AttemptRow[]>`
		select ${db.unsafe(ATTEMPT_COLUMNS)} from training_attempts
		where run_id = ${runId} and user_id = ${userId} and training_household_id = ${householdId} and recorded_at is null`;
	return r;
}

export async function attemptById(db: Db, id: number, opts: { forUpdate?: boolean } = {}): Promise<AttemptRow | undefined> {
	const [r] = await db<AttemptRow[]>`
		select ${db.unsafe(ATTEMPT_COLUMNS)} from training_attempts where id = ${id} ${opts.forUpdate ? db`for update` : db``}`;
	return r;
}

/** How many attempts this trainee has had in the run (the next scenario in turn). */
export async function attemptCount(db: Db, runId: number, userId: number): Promise<number> {
	const [r] = await db<{ n: number }[]>`select count(*)::int as n from training_attempts where run_id = ${runId} and user_id = ${userId}`;
	return r.n;
}

/** A new open attempt; an open one on the same household is kept (a resumed claim). */
export async function insertAttempt(db: Db, a: { runId: number; userId: number; householdId: number; scenarioCode: string }): Promise<AttemptRow> {
	const [r] = await db<AttemptRow[]>`
		insert into training_attempts (run_id, user_id, training_household_id, scenario_code)
		values (${a.runId}, ${a.userId}, ${a.householdId}, ${a.scenarioCode})
		on conflict (run_id, user_id, training_household_id) where recorded_at is null do update set scenario_code = training_attempts.scenario_code
		returning ${db.unsafe(ATTEMPT_COLUMNS)}`;
	return r;
}

export async function setScenario(db: Db, id: number, scenarioCode: string): Promise<void> {
	await db`update training_attempts set scenario_code = ${scenarioCode} where id = ${id}`;
}

export async function setObservations(db: Db, id: number, observations: Record<string, boolean | null>, by: number): Promise<void> {
	await db`update training_attempts set observations = ${db.json(observations)}, observed_by = ${by}, observed_at = now() where id = ${id}`;
}

export async function setRecorded(db: Db, id: number, attempt: Record<string, unknown>): Promise<void> {
	await db`update training_attempts set recorded_at = now(), attempt = ${db.json(attempt as never)} where id = ${id} and recorded_at is null`;
}

export async function setScore(
	db: Db,
	id: number,
	s: { score: number; max: number; percent: number; passed: boolean; fatal: boolean; checks: unknown[] }
): Promise<void> {
	await db`
		update training_attempts set score = ${s.score}, max_score = ${s.max}, percent = ${s.percent}, passed = ${s.passed}, fatal = ${s.fatal},
		  checks = ${db.json(s.checks as never)}
		where id = ${id}`;
}

export async function attemptsOfRuns(db: Db, runIds: number[]): Promise<AttemptRow[]> {
	return db<AttemptRow[]>`
		select ${db.unsafe(ATTEMPT_COLUMNS)} from training_attempts where run_id = any(${runIds}::bigint[]) order by claimed_at`;
}

export async function attemptsOfUser(db: Db, userId: number, limit = 50): Promise<(AttemptRow & { runTitle: string })[]> {
	return db`
		select a.id, a.run_id, a.user_id, a.training_household_id as household_id, a.scenario_code, a.claimed_at, a.recorded_at, a.attempt, a.observations,
		  a.score, a.max_score, a.percent, a.passed, a.fatal, a.checks, r.title as run_title
		from training_attempts a join training_runs r on r.id = a.run_id
		where a.user_id = ${userId} order by a.claimed_at desc limit ${limit}`;
}

/** Whether this user holds a household of the real queue (they must give it back before training). */
export async function holdsRealHousehold(db: Db, userId: number): Promise<boolean> {
	const [r] = await db`select 1 from call_queue where claimed_by = ${userId} and state = 'claimed' limit 1`;
	return !!r;
}

/** The user is shown on the real floor as on a training break (issue #9). */
export async function onTrainingBreak(db: Db, userId: number): Promise<boolean> {
	const [r] = await db`select 1 from operator_states where user_id = ${userId} and state = 'break' and break_reason = 'training'`;
	return !!r;
}

/** Every attempt for the audit export, oldest first. */
export async function roleplayExportRows(db: Db): Promise<RoleplayExportRow[]> {
	return db<RoleplayExportRow[]>`
		select r.title as run_title, r.started_at as run_started_at, tu.display_name as trainer_name, u.login_id, u.display_name,
		  a.scenario_code, a.claimed_at, a.recorded_at, a.attempt ->> 'outcomeCode' as outcome_code, a.score, a.max_score, a.percent,
		  a.passed, a.fatal, a.observations
		from training_attempts a join training_runs r on r.id = a.run_id join users u on u.id = a.user_id
		left join users tu on tu.id = r.trainer_id
		order by a.claimed_at, a.id`;
}
