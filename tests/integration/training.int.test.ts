/**
 * Operator training (issue #9) against the real database and a running instance: an operator whose
 * personal-information protection training is not recorded gets no household data (use cases, HTTP API, socket
 * events), a supervisor plans the training and records the completion, and from then on the operator works;
 * bad input names the field; managers read the plan but do not change it; the audit export is CP932 and logged.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import iconv from 'iconv-lite';
import { testSql, resetDb } from '../helpers/db.ts';
import { newHousehold, newSegment, newUser, TEST_PASSWORD } from '../helpers/factories.ts';
import { api, connectSocket, once, startInstance, type Instance } from '../helpers/server.ts';
import { closeDb } from '../../src/lib/server/db.ts';
import { actorForToken, signIn } from '../../src/lib/server/auth/sessions.ts';
import { assignOperator } from '../../src/lib/server/segments/segments.ts';
import { claimNextHousehold } from '../../src/lib/server/queue/claims.ts';
import { searchHouseholds } from '../../src/lib/server/search/search.ts';
import { createCourse, exportTraining, myTraining, recordAttendance, scheduleSession, trainingPlan } from '../../src/lib/server/training/training.ts';
import type { Actor } from '../../src/lib/server/auth/actor.ts';

/** A Tokyo calendar day relative to today (YYYY-MM-DD). */
const tokyoDay = (days: number) => new Date(Date.now() + days * 86400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Tokyo' });

const sql = testSql();
let inst: Instance | null = null;
afterAll(async () => {
	await inst?.stop();
	await sql.end();
	await closeDb();
});

const privacyCourse = async () => (await sql<{ id: number }[]>`select id from training_courses where kind = 'privacy' order by id limit 1`)[0]?.id;

describe('the privacy-training gate', () => {
	let seg = 0;
	let supervisor: Actor;
	beforeEach(async () => {
		await resetDb(sql);
		seg = await newSegment(sql);
		await newHousehold(sql, { segmentId: seg });
		supervisor = await newUser(sql, 'supervisor');
		// a test database emptied of users loses the courses the migration seeded with them: make the privacy course again
		if (!(await privacyCourse())) await createCourse(supervisor, { code: 'privacy', titleJa: '個人情報保護研修', titleEn: 'Privacy', kind: 'privacy' });
	});

	it('refuses a new operator the desk until a supervisor records the completion; then the desk opens', async () => {
		const op = await newUser(sql, 'operator', 'op-new', { untrained: true });
		await assignOperator(sql, op.id, seg);
		const session = await signIn({ loginId: 'op-new', password: TEST_PASSWORD });
		let actor = (await actorForToken(session.token))!;
		expect(actor.privacyTrained).toBe(false);
		await expect(claimNextHousehold(actor)).rejects.toMatchObject({ code: 'training_required' });
		await expect(searchHouseholds(actor, { q: '試験' })).rejects.toMatchObject({ code: 'training_required' });
		expect((await myTraining(actor)).gated).toBe(true);
		// nothing was claimed
		expect((await sql`select 1 from call_queue where claimed_by = ${op.id}`).length).toBe(0);

		// a session that has not begun cannot be attended or completed: the desk must not open before the course is held
		const { id: future } = await scheduleSession(supervisor, { courseId: await privacyCourse(), startsAt: `${tokyoDay(+2)}T10:00`, durationMinutes: 90, attendees: [op.id], place: '研修室' });
		for (const status of ['attended', 'completed'])
			await expect(recordAttendance(supervisor, { sessionId: future, userId: op.id, status })).rejects.toMatchObject({ code: 'session_not_started' });
		await recordAttendance(supervisor, { sessionId: future, userId: op.id, status: 'absent' }); // told in advance: fine
		expect((await sql`select status from training_attendance where session_id = ${future} and user_id = ${op.id}`)[0].status).toBe('absent');

		// attended is not completed (a session held yesterday)
		const { id: sessionId } = await scheduleSession(supervisor, { courseId: await privacyCourse(), startsAt: `${tokyoDay(-1)}T10:00`, durationMinutes: 90, attendees: [op.id], place: '研修室' });
		await recordAttendance(supervisor, { sessionId, userId: op.id, status: 'attended' });
		actor = (await actorForToken(session.token))!;
		await expect(claimNextHousehold(actor)).rejects.toMatchObject({ code: 'training_required' });

		await recordAttendance(supervisor, { sessionId, userId: op.id, status: 'completed' });
		actor = (await actorForToken(session.token))!;
		expect(actor.privacyTrained).toBe(true);
		const claim = await claimNextHousehold(actor);
		expect(claim.householdId).toBeGreaterThan(0);
		const mine = await myTraining(actor);
		expect(mine.gated).toBe(false);
		expect(mine.records).toHaveLength(2);
		expect(mine.records).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ sessionId, courseKind: 'privacy', status: 'completed', place: '研修室' }),
				expect.objectContaining({ sessionId: future, status: 'absent' })
			])
		);
		// every change is in the access log
		const logged = await sql<{ reason: string }[]>`select reason from access_log where action = 'training.change' and user_id = ${supervisor.id} order by id`;
		expect(logged.map((r) => r.reason).slice(-3)).toEqual([expect.stringContaining('scheduled, 1 invited'), `user ${op.id} attended in session ${sessionId}`, `user ${op.id} completed in session ${sessionId}`]);
	});

	it('names what is wrong and changes nothing; managers read but do not change; operators do not read the plan', async () => {
		const op = await newUser(sql, 'operator');
		const manager = await newUser(sql, 'manager');
		const course = await privacyCourse();
		await expect(scheduleSession(supervisor, { courseId: course, startsAt: '2026-02-30T10:00', durationMinutes: 4 })).rejects.toMatchObject({
			code: 'invalid_input',
			details: { startsAt: expect.any(String), durationMinutes: expect.any(String) }
		});
		await expect(scheduleSession(supervisor, { courseId: course, startsAt: '2026-12-01T10:00', durationMinutes: 60, attendees: [op.id, 999_999] })).rejects.toMatchObject({
			code: 'invalid_input',
			details: { attendees: 'no enabled user 999999' }
		});
		await expect(scheduleSession(supervisor, { courseId: 999_999, startsAt: '2026-12-01T10:00', durationMinutes: 60 })).rejects.toMatchObject({ details: { courseId: 'no such course' } });
		await expect(createCourse(supervisor, { code: 'privacy', titleJa: '重複', titleEn: 'dup', kind: 'privacy' })).rejects.toMatchObject({ code: 'conflict' });
		await expect(recordAttendance(supervisor, { sessionId: 999_999, userId: op.id, status: 'completed' })).rejects.toMatchObject({ code: 'not_found' });
		expect((await sql`select 1 from training_sessions`).length).toBe(1); // only the factory's record of op's training

		expect((await trainingPlan(manager)).courses.length).toBeGreaterThan(0);
		await expect(createCourse(manager, { code: 'mgr', titleJa: 'x', titleEn: 'x', kind: 'other' })).rejects.toMatchObject({ code: 'forbidden' });
		await expect(recordAttendance(manager, { sessionId: 1, userId: op.id, status: 'completed' })).rejects.toMatchObject({ code: 'forbidden' });
		await expect(trainingPlan(op)).rejects.toMatchObject({ code: 'forbidden' });
		await expect(exportTraining(op)).rejects.toMatchObject({ code: 'forbidden' });
	});

	it('exports every attendance for the audit in CP932 with CRLF, and logs the export', async () => {
		const op = await newUser(sql, 'operator', 'op-export');
		const { id: sessionId } = await scheduleSession(supervisor, { courseId: await privacyCourse(), startsAt: '2026-12-01T10:00', durationMinutes: 60, attendees: [op.id], trainer: '田中 SV' });
		const auditor = await newUser(sql, 'auditor');
		const r = await exportTraining(auditor);
		const text = iconv.decode(Buffer.from(r.body), 'cp932');
		const lines = text.split('\r\n');
		expect(lines[0]).toBe('ログインID,氏名,役割,研修コード,研修名,種別,実施日時,時間(分),場所,講師,出欠,記録日時,記録者');
		expect(lines).toContainEqual(expect.stringMatching(/^op-export,.*,オペレータ,privacy,個人情報保護研修,個人情報保護,2026-12-01 10:00,60,,田中 SV,予定,,$/));
		expect(lines.at(-1)).toBe('');
		expect(r.rows).toBe(2); // the factory's completion and the planned session
		expect(sessionId).toBeGreaterThan(0);
		const [log] = await sql<{ reason: string }[]>`select reason from access_log where action = 'training.export' and user_id = ${auditor.id}`;
		expect(log.reason).toContain('2 rows');
	});
});

describe('the gate at the boundary: HTTP API, socket events and pages of a running instance', () => {
	beforeAll(async () => {
		inst = await startInstance({ port: Number(process.env.TRAINING_TEST_PORT ?? 3940), env: { REDIS_URL: undefined, INSTANCE_ID: 'training' } });
	});
	// stopped before the next tests empty the tables (its sweeper's locks and a TRUNCATE would deadlock)
	afterAll(async () => {
		await inst?.stop();
		inst = null;
	});

	it('an untrained operator gets 403 training_required from the API and the socket, and the desk page sends them to their record', async () => {
		await resetDb(sql);
		const seg = await newSegment(sql);
		await newHousehold(sql, { segmentId: seg });
		const op = await newUser(sql, 'operator', 'op-gate', { untrained: true });
		await assignOperator(sql, op.id, seg);
		const { token } = await signIn({ loginId: 'op-gate', password: TEST_PASSWORD });

		const claimed = await api(`${inst!.url}/api/claims/next`, token, 'POST');
		expect(claimed.status).toBe(403);
		expect(claimed.json).toMatchObject({ code: 'training_required' });

		const page = await fetch(`${inst!.url}/operator`, { headers: { cookie: `kansho_session=${token}` }, redirect: 'manual' });
		expect(page.status).toBe(303);
		expect(page.headers.get('location')).toBe('/training?required=1');
		const record = await fetch(`${inst!.url}/training?required=1`, { headers: { cookie: `kansho_session=${token}` } });
		expect(record.status).toBe(200);
		expect(await record.text()).toContain('個人情報保護研修の修了が必要です');

		const socket = connectSocket(inst!.url, token);
		try {
			await once(socket, 'connect');
			const ack = await new Promise<{ ok: boolean; code?: string }>((r) => socket.emit('claim:next', {}, r));
			expect(ack).toMatchObject({ ok: false, code: 'training_required' });
		} finally {
			socket.close();
		}
		expect((await sql`select 1 from call_queue where claimed_by = ${op.id}`).length).toBe(0);
	});
});

describe('npm run kansho -- training record (completions held on paper)', () => {
	const root = path.resolve(import.meta.dirname, '../..');
	function cli(args: string[]) {
		const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
		delete env.VITEST;
		delete env.NODE_OPTIONS;
		const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'training', ...args], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
		return { code: r.status, stdout: r.stdout, stderr: r.stderr };
	}

	it('records all or nothing, names what is wrong, and opens the desk to those recorded', async () => {
		await resetDb(sql);
		const sv = await newUser(sql, 'supervisor');
		if (!(await privacyCourse())) await createCourse(sv, { code: 'privacy', titleJa: '個人情報保護研修', titleEn: 'Privacy', kind: 'privacy' });
		const a = await newUser(sql, 'operator', 'op-paper-a', { untrained: true });
		await newUser(sql, 'operator', 'op-paper-b', { untrained: true });

		expect(cli(['record', '--course', 'privacy']).code).toBe(2);
		expect(cli(['nonsense']).code).toBe(2);
		const refused = cli(['record', '--course', 'privacy', '--date', '2026-04-01', '--login-id', 'op-paper-a', '--login-id', 'nobody', '--json']);
		expect(refused.code).toBe(1);
		expect(JSON.parse(refused.stdout)).toEqual({ recorded: false, problems: { loginIds: 'no enabled user nobody' } });
		expect(cli(['record', '--course', 'nosuch', '--date', '2026-04-01', '--login-id', 'op-paper-a']).stderr).toContain('courseCode: no course nosuch');
		expect(cli(['record', '--course', 'privacy', '--date', '2999-04-01', '--login-id', 'op-paper-a']).stderr).toContain('date: in the future');
		expect((await sql`select 1 from training_attendance a join users u on u.id = a.user_id where u.login_id like 'op-paper-%'`).length).toBe(0);

		const ok = cli(['record', '--course', 'privacy', '--date', '2026-04-01', '--login-id', 'op-paper-a,op-paper-b', '--trainer', '田中 SV', '--json']);
		expect(ok.code).toBe(0);
		expect(JSON.parse(ok.stdout)).toMatchObject({ recorded: true, users: 2 });
		const session = await signIn({ loginId: 'op-paper-a', password: TEST_PASSWORD });
		expect((await actorForToken(session.token))!.privacyTrained).toBe(true);
		const [row] = await sql<{ startsAt: Date; trainer: string }[]>`select s.starts_at, s.trainer from training_sessions s join training_attendance t on t.session_id = s.id where t.user_id = ${a.id}`;
		expect(row).toEqual({ startsAt: new Date('2026-04-01T00:00:00Z'), trainer: '田中 SV' });
		const [log] = await sql<{ reason: string; userId: number | null }[]>`select reason, user_id from access_log where action = 'training.change' order by id desc limit 1`;
		expect(log).toEqual({ reason: 'completions of course privacy on 2026-04-01 recorded for op-paper-a, op-paper-b', userId: null });
	});
});
