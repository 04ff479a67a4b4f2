/**
 * Operator training (issue #9): the plan (courses, sessions, attendees), attendance and completion, one's own
 * record, and the export for the ward's audit. Recording a completion of the personal-information protection course
 * (kind 'privacy') opens real households' data to an operator: the session lookup reads it
 * (sessions.queries.ts) and requirePermission refuses the desk's permissions without it.
 *
 * Policy: training.manage (supervisors, administrators) changes the plan and the records; training.view
 * (supervisors, managers, administrators, auditors) reads them and exports them; everyone reads their own record.
 * Every change and every export is written to the access log.
 */
import { z } from 'zod';
import { db } from '../db.ts';
import { requirePermission, requireSignedIn, type Actor, type SessionActor } from '../auth/actor.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { isoDate } from '../validation.ts';
import { csvField } from '../exports/exports.ts';
import { csvFileBytes } from '../exports/cp932.ts';
import { attendanceInput, courseInput, exportCells, exportHeader, sessionInput, tokyoInstant } from '../../domain/training.ts';
import * as q from './training.queries.ts';

export type { CourseRow, PlanSession, UserTrainingRow, OwnRecord } from './training.queries.ts';

/** Who recorded it: the user, or nobody for the command line (the system actor has no user id). */
const by = (actor: Actor): number | null => (actor.id > 0 ? actor.id : null);

/** The plan: courses, the sessions from 90 days ago on with their attendees, and who has completed the privacy course. */
export async function trainingPlan(actor: Actor) {
	requirePermission(actor, 'training.view');
	const sql = db();
	const [courses, sessions, people] = await Promise.all([q.courses(sql), q.plan(sql), q.people(sql)]);
	return { courses, sessions, people };
}

/** A new course. */
export async function createCourse(actor: Actor, raw: unknown): Promise<{ id: number }> {
	requirePermission(actor, 'training.manage');
	const parsed = courseInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	return db().begin(async (tx) => {
		const id = await q.insertCourse(tx, parsed.data, by(actor));
		if (id === null) throw new DomainError('conflict', `a course with the code ${parsed.data.code} exists already`, { code: 'taken' });
		await writeAccessLog(tx, actor, { action: 'training.change', reason: `course ${parsed.data.code} created (${parsed.data.kind}): ${parsed.data.titleJa}` });
		return { id };
	});
}

/** A session of a course at a time, with the users invited to it (planned). */
export async function scheduleSession(actor: Actor, raw: unknown): Promise<{ id: number }> {
	requirePermission(actor, 'training.manage');
	const parsed = sessionInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const s = parsed.data;
	return db().begin(async (tx) => {
		if (!(await q.courseExists(tx, s.courseId))) throw new DomainError('invalid_input', `no course ${s.courseId}`, { courseId: 'no such course' });
		const attendees = [...new Set(s.attendees)];
		const known = new Set(await q.enabledUsers(tx, attendees));
		const unknown = attendees.filter((u) => !known.has(u));
		if (unknown.length) throw new DomainError('invalid_input', `no enabled user ${unknown.join(', ')}`, { attendees: `no enabled user ${unknown.join(', ')}` });
		const id = await q.insertSession(tx, { courseId: s.courseId, startsAt: tokyoInstant(s.startsAt), durationMinutes: s.durationMinutes, place: s.place, trainer: s.trainer }, by(actor));
		await q.invite(tx, id, attendees);
		await writeAccessLog(tx, actor, { action: 'training.change', reason: `session ${id} of course ${s.courseId} at ${s.startsAt} (Tokyo) scheduled, ${attendees.length} invited` });
		return { id };
	});
}

/** Record one user's attendance of a session: planned, attended, completed or absent (a completion of the privacy course opens the desk). */
export async function recordAttendance(actor: Actor, raw: unknown): Promise<void> {
	requirePermission(actor, 'training.manage');
	const parsed = attendanceInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const a = parsed.data;
	await db().begin(async (tx) => {
		// attended or completed only once the session has begun: a completion of the privacy course opens the desk
		if ((a.status === 'attended' || a.status === 'completed') && (await q.sessionStartsInFuture(tx, a.sessionId)))
			throw new DomainError('session_not_started', `session ${a.sessionId} has not started yet: only planned or absent can be recorded`);
		if (!(await q.setAttendance(tx, a.sessionId, a.userId, a.status, by(actor)))) throw new DomainError('not_found', `no session ${a.sessionId} or no user ${a.userId}`);
		await writeAccessLog(tx, actor, { action: 'training.change', reason: `user ${a.userId} ${a.status} in session ${a.sessionId}` });
	});
}

const completionsInput = z
	.object({
		courseCode: z.string({ error: 'required' }).trim().min(1, 'required'),
		/** the day the course was completed (Tokyo), not in the future */
		date: isoDate,
		loginIds: z.array(z.string().trim().min(1)).min(1, 'at least one login id').max(1000, 'at most 1,000 users'),
		place: z.string().trim().max(100, 'at most 100 characters').default(''),
		trainer: z.string().trim().max(100, 'at most 100 characters').default('')
	})
	.strict();

/**
 * Completions held elsewhere (paper records when kansho is introduced, a course run by the ward): one session of the
 * course on that day (09:00 Tokyo), each user completed. All or nothing: an unknown course, an unknown or disabled
 * login id or a date in the future is refused, naming it. For the command line (`npm run kansho -- training record`).
 */
export async function recordCompletions(actor: Actor, raw: unknown): Promise<{ sessionId: number; users: number }> {
	requirePermission(actor, 'training.manage');
	const parsed = completionsInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const c = parsed.data;
	const startsAt = tokyoInstant(`${c.date}T09:00`);
	if (Number.isNaN(startsAt.getTime())) throw new DomainError('invalid_input', `date: ${c.date} is not a date`, { date: 'not a date' });
	if (startsAt.getTime() > Date.now()) throw new DomainError('invalid_input', `date: ${c.date} is in the future`, { date: 'in the future' });
	return db().begin(async (tx) => {
		const course = await q.courseByCode(tx, c.courseCode);
		if (!course) throw new DomainError('invalid_input', `courseCode: no course ${c.courseCode}`, { courseCode: `no course ${c.courseCode}` });
		const loginIds = [...new Set(c.loginIds)];
		const users = await q.usersByLoginId(tx, loginIds);
		const missing = loginIds.filter((l) => !users.some((u) => u.loginId === l));
		if (missing.length) throw new DomainError('invalid_input', `loginIds: no enabled user ${missing.join(', ')}`, { loginIds: `no enabled user ${missing.join(', ')}` });
		const sessionId = await q.insertSession(tx, { courseId: course.id, startsAt, durationMinutes: 60, place: c.place, trainer: c.trainer }, by(actor));
		for (const u of users) await q.setAttendance(tx, sessionId, u.id, 'completed', by(actor));
		await writeAccessLog(tx, actor, { action: 'training.change', reason: `completions of course ${course.code} on ${c.date} recorded for ${users.map((u) => u.loginId).join(', ')}` });
		return { sessionId, users: users.length };
	});
}

/** One's own training record, and whether the desk is open to one. */
export async function myTraining(actor: SessionActor | null | undefined) {
	requireSignedIn(actor);
	const records = await q.recordsOf(db(), actor.id);
	const privacyCompleted = records.some((r) => r.courseKind === 'privacy' && r.status === 'completed');
	return { records, privacyCompleted, gated: actor.role === 'operator' && !privacyCompleted };
}

/** Every attendance row as CSV for the ward's audit (CP932 by default, CRLF, header), written to the access log. */
export async function exportTraining(actor: Actor, opts: { encoding?: 'cp932' | 'utf8' } = {}): Promise<{ body: Uint8Array; rows: number; filename: string }> {
	requirePermission(actor, 'training.view');
	const rows = await q.exportRows(db());
	const text = [exportHeader, ...rows.map(exportCells)].map((cells) => cells.map(csvField).join(',') + '\r\n').join('');
	const body = csvFileBytes(text, opts.encoding ?? 'cp932');
	await writeAccessLog(db(), actor, { action: 'training.export', reason: `training records exported (${rows.length} rows, ${opts.encoding ?? 'cp932'})` });
	const day = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
	return { body, rows: rows.length, filename: `研修記録_${day}.csv` };
}
