/**
 * Training mode (issue #9) against the real database: the training data set is a schema of its own, filled through
 * the import; a real-mode connection never reads a training row and a training connection never reads a real one
 * (at the query level: every name the app uses resolves in its own schema, and the use cases see only their set);
 * events of one never reach the other's channel; a trainer starts a run, a trainee joins it from their session,
 * works the same use cases against the training set (without the privacy training), and is scored; bad input is
 * named; roles are checked; a running instance routes a trainee's socket events to the training set.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import postgres from 'postgres';
import iconv from 'iconv-lite';
import { testSql, resetDb, testDatabaseUrl } from '../helpers/db.ts';
import { newHousehold, newSegment, newUser, TEST_PASSWORD } from '../helpers/factories.ts';
import { connectSocket, once, startInstance, type Instance } from '../helpers/server.ts';
import { closeDb, db, realDb, trainingDb } from '../../src/lib/server/db.ts';
import { inTraining, dataMode } from '../../src/lib/server/mode.ts';
import { actorForToken, signIn } from '../../src/lib/server/auth/sessions.ts';
import { assignOperator } from '../../src/lib/server/segments/segments.ts';
import { claimNextHousehold } from '../../src/lib/server/queue/claims.ts';
import { recordCallOutcome } from '../../src/lib/server/calls/calls.ts';
import { searchHouseholds } from '../../src/lib/server/search/search.ts';
import { syncPresenceState } from '../../src/lib/server/queue/states.ts';
import { readHouseholdCard } from '../../src/lib/server/households/households.ts';
import { TRAINING_EVENTS_CHANNEL } from '../../src/lib/server/publish.ts';
import { EVENTS_CHANNEL } from '../../src/lib/realtime/events.ts';
import { trainingSchemaExists } from '../../src/lib/server/migrate.ts';
import { ensureTrainingData, dropTrainingData, TRAINING_HOUSEHOLDS } from '../../src/lib/server/training/training-data.ts';
import { exportRoleplay, resetTrainingData, changeScenario, endRun, joinRun, leaveRun, myTrainingAttempts, observe, startRun, trainerConsole } from '../../src/lib/server/training/runs.ts';
import type { Actor } from '../../src/lib/server/auth/actor.ts';

const sql = testSql();
let inst: Instance | null = null;

beforeAll(async () => {
	await resetDb(sql);
	await dropTrainingData();
	await ensureTrainingData();
}, 180_000);

afterAll(async () => {
	await inst?.stop();
	await dropTrainingData().catch(() => {});
	await sql.end();
	await closeDb();
});

/** Every NOTIFY on a channel while `fn` runs (a connection of its own). */
async function heard(channel: string, fn: () => Promise<unknown>): Promise<string[]> {
	const listener = postgres(testDatabaseUrl(), { max: 1 });
	const got: string[] = [];
	const l = await listener.listen(channel, (p) => got.push(p));
	try {
		await fn();
		await new Promise((r) => setTimeout(r, 300));
	} finally {
		await l.unlisten();
		await listener.end();
	}
	return got;
}

describe('the training data set is apart from the real data at the query level', () => {
	it('is a schema of its own, filled through the import, where every table name the app uses resolves', async () => {
		const [{ n }] = await trainingDb()<{ n: number }[]>`select count(*)::int as n from households`;
		expect(n).toBe(TRAINING_HOUSEHOLDS);
		// the training connection searches its schema only: an unqualified name never falls through to public
		const [{ searchPath }] = await trainingDb()<{ searchPath: string }[]>`show search_path`;
		expect(searchPath).toBe('training');
		const tables = await realDb()<{ tableName: string }[]>`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`;
		expect(tables.length).toBeGreaterThan(50);
		for (const { tableName } of tables) {
			const [r] = await trainingDb()<{ schema: string }[]>`select n.nspname as schema from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.oid = ${tableName}::regclass`;
			expect({ tableName, schema: r.schema }).toEqual({ tableName, schema: 'training' });
			const [p] = await realDb()<{ schema: string }[]>`select n.nspname as schema from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.oid = ${tableName}::regclass`;
			expect({ tableName, schema: p.schema }).toEqual({ tableName, schema: 'public' });
		}
		// the import that filled it is recorded in its own imports, not the real ones
		expect((await trainingDb()`select 1 from imports`).length).toBe(1);
		expect((await realDb()`select 1 from imports`).length).toBe(0);
	});

	it('db() follows the context; use cases of one never see the rows of the other; events go on separate channels', async () => {
		await resetDb(sql);
		const seg = await newSegment(sql);
		const realHousehold = await newHousehold(sql, { segmentId: seg });
		const [realPerson] = await sql<{ name: string }[]>`select name from persons where household_id = ${realHousehold}`;
		const op = await newUser(sql, 'operator', 'op-iso');
		await assignOperator(sql, op.id, seg);
		const sv = await newUser(sql, 'supervisor', 'sv-iso');
		const { id: runId } = await startRun(sv, { title: '隔離テスト', trainees: [op.id], scenarios: ['third_party'] });
		const session = await signIn({ loginId: 'op-iso', password: TEST_PASSWORD });
		await joinRun((await actorForToken(session.token))!);
		const trainee = (await actorForToken(session.token))!;
		expect(trainee.trainingRunId).toBe(runId);

		expect(dataMode()).toBe('real');
		expect(await inTraining(async () => dataMode())).toBe('training');
		const realNhi = new Set((await db()<{ nhiNumber: string }[]>`select nhi_number from households`).map((r) => r.nhiNumber));
		const trainingNhi = new Set((await inTraining(() => db()<{ nhiNumber: string }[]>`select nhi_number from households`)).map((r) => r.nhiNumber));
		expect(realNhi.size).toBe(1);
		expect(trainingNhi.size).toBe(TRAINING_HOUSEHOLDS);
		expect([...realNhi].filter((x) => trainingNhi.has(x))).toEqual([]);

		// the trainee claims in training: a training household, and the real queue is untouched
		let notices: string[] = [];
		const realNotices = await heard(EVENTS_CHANNEL, async () => {
			notices = await heard(TRAINING_EVENTS_CHANNEL, async () => {
				const claim = await inTraining(() => claimNextHousehold(trainee));
				const [inTrainingSet] = await trainingDb()<{ nhiNumber: string }[]>`select nhi_number from households where id = ${claim.householdId}`;
				expect(trainingNhi.has(inTrainingSet.nhiNumber)).toBe(true);
				expect((await realDb()`select 1 from call_queue where claimed_by = ${op.id}`).length).toBe(0);
				expect((await trainingDb()`select 1 from call_queue where claimed_by = ${op.id} and household_id = ${claim.householdId}`).length).toBe(1);
				// its card is read in training and logged in the training set's access log, not the real one
				const card = await inTraining(() => readHouseholdCard(trainee, { householdId: claim.householdId, reason: 'outbound' }));
				expect(card.id).toBe(claim.householdId);
				expect((await trainingDb()`select 1 from access_log where user_id = ${op.id} and household_id = ${claim.householdId}`).length).toBeGreaterThan(0);
				expect((await realDb()`select 1 from access_log where user_id = ${op.id} and household_id is not null`).length).toBe(0);
			});
		});
		expect(notices.some((n) => n.includes('"queue:changed"'))).toBe(true);
		expect(realNotices.filter((n) => n.includes('queue:changed') || n.includes('operator:state'))).toEqual([]);

		// a real person's name is not found in training, and a training name is not found in real data
		const trainingName = (await trainingDb()<{ name: string }[]>`select name from persons order by id limit 1`)[0].name;
		const inTrainingSearch = await inTraining(() => searchHouseholds(trainee, { q: realPerson.name }));
		expect(inTrainingSearch.results.map((r) => r.householdId)).not.toContain(realHousehold);
		const realSearch = await searchHouseholds(op, { q: trainingName });
		expect(realSearch.results).toEqual([]);
		// the real household's id does not open the real household in training (it is not held there: refused)
		await expect(inTraining(() => readHouseholdCard(trainee, { householdId: realHousehold, reason: 'outbound' }))).rejects.toMatchObject({ code: 'forbidden' });

		// the run ends: the session is real again, and a desk page still open on training data cannot record on the
		// real household with the same id
		await endRun(sv, { runId });
		const after = (await actorForToken(session.token))!;
		expect(after.trainingRunId).toBeNull();
		await expect(recordCallOutcome(after, { householdId: realHousehold, outcomeCode: '10', idempotencyKey: 'mode-changed-1', dataMode: 'training' })).rejects.toMatchObject({ code: 'mode_changed' });
		expect((await realDb()`select 1 from calls`).length).toBe(0);
	});
});

describe('a training run: start, join, work, score, end', () => {
	let seg = 0;
	let sv: Actor;
	beforeAll(async () => {
		await resetDb(sql);
		seg = await newSegment(sql);
		await newHousehold(sql, { segmentId: seg });
		sv = await newUser(sql, 'supervisor', 'sv-run');
	});

	it('names bad input and changes nothing; only supervisors run training; an operator may not join a run they are not in', async () => {
		const op = await newUser(sql, 'operator', 'op-bad');
		const mgr = await newUser(sql, 'manager', 'mgr-run');
		await expect(startRun(sv, { title: '', trainees: [], scenarios: ['nope'] })).rejects.toMatchObject({
			code: 'invalid_input',
			details: expect.objectContaining({ title: expect.any(String), trainees: expect.any(String), 'scenarios.0': expect.any(String) })
		});
		await expect(startRun(sv, { title: 'x', trainees: [sv.id], scenarios: ['promise'] })).rejects.toMatchObject({ code: 'invalid_input', details: { trainees: 'not_operator' } });
		await expect(startRun(sv, { title: '', trainees: [], scenarios: [] })).rejects.toMatchObject({ details: { title: 'required', trainees: 'choose_trainee', scenarios: 'choose_scenario' } });
		await expect(startRun(mgr, { title: 'x', trainees: [op.id], scenarios: ['promise'] })).rejects.toMatchObject({ code: 'forbidden' });
		await expect(startRun(op, { title: 'x', trainees: [op.id], scenarios: ['promise'] })).rejects.toMatchObject({ code: 'forbidden' });
		await expect(trainerConsole(op)).rejects.toMatchObject({ code: 'forbidden' });
		expect((await sql`select 1 from training_runs`).length).toBe(0);
		const s = await signIn({ loginId: 'op-bad', password: TEST_PASSWORD });
		await expect(joinRun((await actorForToken(s.token))!)).rejects.toMatchObject({ code: 'not_found' });
	});

	it('an operator without the privacy training practises in training but still cannot claim a real household', async () => {
		const op = await newUser(sql, 'operator', 'op-new-t', { untrained: true });
		await assignOperator(sql, op.id, seg);
		const { id: runId } = await startRun(sv, { title: '新人研修', trainees: [op.id], scenarios: ['promise', 'third_party'] });
		// another run may not take the same trainee
		await expect(startRun(sv, { title: '重複', trainees: [op.id], scenarios: ['promise'] })).rejects.toMatchObject({ code: 'conflict' });
		const s = await signIn({ loginId: 'op-new-t', password: TEST_PASSWORD });
		await joinRun((await actorForToken(s.token))!);
		const trainee = (await actorForToken(s.token))!;
		expect(trainee.privacyTrained).toBe(false);
		// the desk's page reload drops and reopens the socket: on the real floor they stay 研修, not available
		await syncPresenceState(realDb(), op.id, false);
		await syncPresenceState(realDb(), op.id, true);
		const [{ state, breakReason }] = await realDb()<{ state: string; breakReason: string }[]>`select state, break_reason from operator_states where user_id = ${op.id}`;
		expect(`${state}:${breakReason}`).toBe('break:training');
		// real: refused
		await expect(claimNextHousehold(trainee)).rejects.toMatchObject({ code: 'training_required' });
		// training: works, and opens an attempt with the run's first scenario for a Japanese household
		const claim = await inTraining(() => claimNextHousehold(trainee));
		const [open] = await sql<{ id: number; scenarioCode: string; recordedAt: Date | null }[]>`select id, scenario_code, recorded_at from training_attempts where run_id = ${runId} and user_id = ${op.id}`;
		const [{ language }] = await trainingDb()<{ language: string }[]>`select language from households where id = ${claim.householdId}`;
		if (language === 'ja') expect(open.scenarioCode).toBe('promise');
		expect(open.recordedAt).toBeNull();
		// the trainer plays "a family member answers" instead, and marks that the trainee disclosed the debt
		await changeScenario(sv, { attemptId: open.id, scenario: 'third_party' });
		await observe(sv, { attemptId: open.id, namedCenter: true, confirmedIdentity: null, disclosedToThirdParty: true, askedAtmOrTransfer: false });
		// the trainee records 21 (someone else answered) with party family: right outcome, but the disclosure fails it
		const saved = await inTraining(() =>
			recordCallOutcome(trainee, { householdId: claim.householdId, outcomeCode: '21', party: 'family', note: '妻が応答。本人不在のため折り返しを依頼。', scriptLanguage: 'ja', idempotencyKey: 'training-1-abcdef', dataMode: 'training' })
		);
		expect(saved.training).toMatchObject({ attemptId: open.id, scenario: 'third_party', score: { passed: false, fatal: true } });
		expect(saved.training!.score.checks.find((c) => c.id === 'disclosure')).toMatchObject({ ok: false, fatal: true });
		// the call is in the training set only
		expect((await trainingDb()`select 1 from calls where operator_id = ${op.id}`).length).toBe(1);
		expect((await realDb()`select 1 from calls where operator_id = ${op.id}`).length).toBe(0);
		// the trainer corrects the mark: no disclosure after all; the score follows
		const rescored = await observe(sv, { attemptId: open.id, namedCenter: true, confirmedIdentity: null, disclosedToThirdParty: false, askedAtmOrTransfer: false });
		expect(rescored).toMatchObject({ passed: true, fatal: false });
		expect(rescored!.percent).toBeGreaterThanOrEqual(70);
		const [stored] = await sql<{ percent: number; passed: boolean; attempt: { outcomeCode: string; owed: number } }[]>`select percent, passed, attempt from training_attempts where id = ${open.id}`;
		expect(stored).toMatchObject({ percent: rescored!.percent, passed: true, attempt: { outcomeCode: '21' } });
		expect(stored.attempt.owed).toBeGreaterThan(0);
		// the trainee's own record and the trainer's console show it
		expect((await myTrainingAttempts(trainee)).attempts).toEqual([expect.objectContaining({ id: open.id, runTitle: '新人研修', passed: true })]);
		const console_ = await trainerConsole(sv);
		const run = console_.runs.find((r) => r.id === runId)!;
		expect(run.trainees).toEqual([expect.objectContaining({ userId: op.id, joined: true })]);
		expect(run.byScenario).toEqual([{ key: 'third_party', attempts: 1, scored: 1, passed: 1, averagePercent: rescored!.percent }]);

		// back on real data, the gate applies again
		await leaveRun(trainee);
		const back = (await actorForToken(s.token))!;
		expect(back.trainingRunId).toBeNull();
		await expect(claimNextHousehold(back)).rejects.toMatchObject({ code: 'training_required' });
		// the real floor showed them on a training break while they trained, then available
		const states = await realDb()<{ state: string; breakReason: string | null }[]>`select state, break_reason from operator_state_changes where user_id = ${op.id} order by id`;
		expect(states.map((x) => `${x.state}:${x.breakReason ?? ''}`)).toEqual(['break:training', 'offline:', 'break:training', 'available:']);

		// the role-play results go to the ward's audit as CP932 CSV (training.view; operators may not), logged
		const auditor = await newUser(sql, 'auditor', 'audit-rp');
		await expect(exportRoleplay(op, {})).rejects.toMatchObject({ code: 'forbidden' });
		const file = await exportRoleplay(auditor, {});
		const lines = iconv.decode(Buffer.from(file.body), 'cp932').trim().split('\r\n');
		expect(lines[0]).toBe('研修名,研修開始,講師,ログインID,氏名,場面コード,場面,世帯取得日時,記録日時,応答区分,得点,満点,得点率,合否,重大な誤り,センター名を名乗った,本人確認,第三者への開示,ATM・振込の依頼');
		expect(lines).toHaveLength(2);
		expect(lines[1]).toContain(`新人研修,`);
		expect(lines[1]).toContain(',op-new-t,');
		expect(lines[1]).toContain(`,21,${rescored!.score},${rescored!.max},${rescored!.percent}%,合格,なし,はい,未評価,いいえ,いいえ`);
		expect((await realDb()<{ reason: string }[]>`select reason from access_log where action = 'training.export' and user_id = ${auditor.id}`)[0].reason).toContain('1 rows');

		// the training set is not dropped while a run is open
		await expect(resetTrainingData(sv)).rejects.toMatchObject({ code: 'conflict' });
		expect(await trainingSchemaExists()).toBe(true);
		// ending the run: the attempts are kept, marks are refused; every step is in the real access log
		await endRun(sv, { runId });
		await expect(endRun(sv, { runId })).rejects.toMatchObject({ code: 'conflict' });
		await expect(observe(sv, { attemptId: open.id, namedCenter: false, confirmedIdentity: null, disclosedToThirdParty: null, askedAtmOrTransfer: null })).rejects.toMatchObject({ code: 'conflict' });
		const log = await realDb()<{ reason: string }[]>`select reason from access_log where action = 'training.run' order by id`;
		expect(log.map((l) => l.reason)).toEqual([
			expect.stringContaining(`run ${runId} started (新人研修): op-new-t`),
			expect.stringContaining(`joined run ${runId}`),
			expect.stringContaining('played as third_party'),
			expect.stringContaining(`attempt ${open.id} marked`),
			expect.stringContaining(`attempt ${open.id} marked`),
			expect.stringContaining(`left run ${runId}`),
			expect.stringContaining(`run ${runId} ended`)
		]);
	});

	it('a trainee holding a real household must give it back before joining', async () => {
		const op = await newUser(sql, 'operator', 'op-busy');
		await assignOperator(sql, op.id, seg);
		await startRun(sv, { title: '保持中', trainees: [op.id], scenarios: ['promise'] });
		const s = await signIn({ loginId: 'op-busy', password: TEST_PASSWORD });
		const actor = (await actorForToken(s.token))!;
		await newHousehold(sql, { segmentId: seg });
		await claimNextHousehold(actor);
		await expect(joinRun(actor)).rejects.toMatchObject({ code: 'conflict' });
		expect((await actorForToken(s.token))!.trainingRunId).toBeNull();
	});
});

describe('a running instance routes a trainee’s socket events to the training set', () => {
	beforeAll(async () => {
		inst = await startInstance({ port: Number(process.env.TRAINING_MODE_TEST_PORT ?? 3946), env: { REDIS_URL: undefined, INSTANCE_ID: 'training-mode' } });
	});
	afterAll(async () => {
		await inst?.stop();
		inst = null;
	});

	it('claim:next and outcome:record of a joined session work the training set and come back scored; the real queue is untouched', async () => {
		await resetDb(sql);
		const seg = await newSegment(sql);
		await newHousehold(sql, { segmentId: seg });
		const op = await newUser(sql, 'operator', 'op-sock');
		await assignOperator(sql, op.id, seg);
		const sv = await newUser(sql, 'supervisor', 'sv-sock');
		await startRun(sv, { title: 'ソケット', trainees: [op.id], scenarios: ['wrong_number'] });
		const { token } = await signIn({ loginId: 'op-sock', password: TEST_PASSWORD });
		await joinRun((await actorForToken(token))!);

		// the desk page of a trainee's session is marked 研修
		const page = await fetch(`${inst!.url}/operator`, { headers: { cookie: `kansho_session=${token}` } });
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('data-testid="training-banner"');
		expect(html).toContain('研修モード：ソケット');

		// the trainer's console follows the attempts live: a supervisor's socket hears them, the trainee's does not
		const svToken = (await signIn({ loginId: 'sv-sock', password: TEST_PASSWORD })).token;
		const socket = connectSocket(inst!.url, token);
		const svSocket = connectSocket(inst!.url, svToken);
		const heard: { runId: number; userId: number; attemptId: number | null }[] = [];
		const traineeHeard: unknown[] = [];
		svSocket.on('training:attempt', (e) => heard.push(e));
		socket.on('training:attempt', (e) => traineeHeard.push(e));
		try {
			await Promise.all([once(socket, 'connect'), once(svSocket, 'connect')]);
			const claim = await new Promise<{ ok: boolean; data?: { householdId: number } }>((r) => socket.emit('claim:next', {}, r));
			expect(claim.ok).toBe(true);
			const hid = claim.data!.householdId;
			expect((await trainingDb()`select 1 from call_queue where claimed_by = ${op.id} and household_id = ${hid}`).length).toBe(1);
			expect((await realDb()`select 1 from call_queue where claimed_by = ${op.id}`).length).toBe(0);
			const [phone] = await trainingDb()<{ id: number }[]>`select id from phones where household_id = ${hid} and status = 'active' and valid order by id limit 1`;
			const saved = await new Promise<{ ok: boolean; data?: { training?: { scenario: string; score: { checks: { id: string; ok: boolean }[] } } } }>((r) =>
				socket.emit('outcome:record', { householdId: hid, outcomeCode: '30', phoneId: phone?.id ?? null, note: '別人が応答。番号誤りとして記録。', idempotencyKey: 'sock-training-1', dataMode: 'training', scriptLanguage: 'ja' }, r)
			);
			expect(saved.ok).toBe(true);
			expect(saved.data!.training!.scenario).toBe('wrong_number');
			expect(saved.data!.training!.score.checks.find((c) => c.id === 'outcome')).toMatchObject({ ok: true });
			// the number the trainee marked wrong on this call counts; the training set had none of theirs before
			if (phone) expect(saved.data!.training!.score.checks.find((c) => c.id === 'phone_marked')).toMatchObject({ ok: true });
			expect((await realDb()`select 1 from calls`).length).toBe(0);
			// opened at the claim, then saved: two events about the same attempt, for this run and trainee
			const [attempt] = await realDb()<{ id: number; runId: number }[]>`select id, run_id as "runId" from training_attempts where user_id = ${op.id}`;
			await vi.waitFor(() => expect(heard.length).toBeGreaterThanOrEqual(2), { timeout: 5000 });
			expect(heard.slice(0, 2)).toEqual([
				{ runId: attempt.runId, userId: op.id, attemptId: attempt.id },
				{ runId: attempt.runId, userId: op.id, attemptId: attempt.id }
			]);
			expect(traineeHeard).toEqual([]);
		} finally {
			socket.close();
			svSocket.close();
		}
	});
});
