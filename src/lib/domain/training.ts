/**
 * Operator training (issue #9), pure: the plan's inputs, the states of attendance, who has completed what, and the
 * audit export's rows. The server (src/lib/server/training) reads and writes; the gate on real data is in
 * src/lib/server/auth/actor.ts (requirePermission), from the session's `privacyTrained`.
 */
import { z } from 'zod';
import { tokyoAt } from './tokyo-time.ts';

import { attendanceStatuses, courseKinds, type AttendanceStatus, type CourseKind } from './training-kinds.ts';
export { attendanceStatuses, courseKinds, type AttendanceStatus, type CourseKind };

export const courseInput = z
	.object({
		code: z
			.string({ error: 'required' })
			.trim()
			.regex(/^[a-z0-9][a-z0-9_-]{1,39}$/, 'lower-case letters, digits, - and _ (2–40 characters)'),
		titleJa: z.string({ error: 'required' }).trim().min(1, 'required').max(100, 'at most 100 characters'),
		titleEn: z.string({ error: 'required' }).trim().min(1, 'required').max(100, 'at most 100 characters'),
		kind: z.enum(courseKinds, { message: `one of ${courseKinds.join(', ')}` }),
		description: z.string().trim().max(2000, 'at most 2,000 characters').default('')
	})
	.strict();
export type CourseInput = z.infer<typeof courseInput>;

/** A session's start as typed in a form (Tokyo wall-clock time, YYYY-MM-DDTHH:MM). */
const localDateTime = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

export const sessionInput = z
	.object({
		courseId: z.coerce.number({ error: 'required' }).int().positive('choose a course'),
		startsAt: z
			.string({ error: 'required' })
			.trim()
			.regex(localDateTime, 'date and time as YYYY-MM-DDTHH:MM')
			.refine((s) => !Number.isNaN(tokyoInstant(s).getTime()), 'not a date'),
		durationMinutes: z.coerce.number({ error: 'required' }).int('whole minutes').min(5, 'at least 5 minutes').max(600, 'at most 600 minutes'),
		place: z.string().trim().max(100, 'at most 100 characters').default(''),
		trainer: z.string().trim().max(100, 'at most 100 characters').default(''),
		attendees: z.array(z.coerce.number().int().positive()).max(500, 'at most 500 attendees').default([])
	})
	.strict();
export type SessionInput = z.infer<typeof sessionInput>;

export const attendanceInput = z
	.object({
		sessionId: z.coerce.number({ error: 'required' }).int().positive(),
		userId: z.coerce.number({ error: 'required' }).int().positive(),
		status: z.enum(attendanceStatuses, { message: `one of ${attendanceStatuses.join(', ')}` })
	})
	.strict();

/** A Tokyo wall-clock time (YYYY-MM-DDTHH:MM) as an instant (Japan has no daylight saving). */
export function tokyoInstant(local: string): Date {
	const m = localDateTime.exec(local);
	if (!m) return new Date(NaN);
	const [, y, mo, d, h, mi] = m.map(Number);
	// 2026-02-30 would roll over into March: refuse it, and hours or minutes out of range
	const day = new Date(Date.UTC(y, mo - 1, d));
	if (day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d || h > 23 || mi > 59) return new Date(NaN);
	return tokyoAt(local.slice(0, 10), local.slice(11, 16));
}

/** One attendance row as the records show it. */
export interface AttendanceRecord {
	userId: number;
	courseId: number;
	courseKind: CourseKind;
	status: AttendanceStatus;
	startsAt: Date;
	recordedAt: Date | null;
}

/** Whether a user may work real households: a completion of a privacy course is recorded. */
export function hasPrivacyTraining(records: readonly AttendanceRecord[], userId: number): boolean {
	return records.some((r) => r.userId === userId && r.courseKind === 'privacy' && r.status === 'completed');
}

/** Per user and course: the best state reached (completed > attended > planned > absent) and when it was recorded. */
export function completionMatrix(records: readonly AttendanceRecord[]): Map<string, { status: AttendanceStatus; at: Date | null }> {
	const rank: Record<AttendanceStatus, number> = { completed: 3, attended: 2, planned: 1, absent: 0 };
	const out = new Map<string, { status: AttendanceStatus; at: Date | null }>();
	for (const r of records) {
		const key = `${r.userId}:${r.courseId}`;
		const cur = out.get(key);
		if (!cur || rank[r.status] > rank[cur.status] || (rank[r.status] === rank[cur.status] && (r.recordedAt?.getTime() ?? 0) > (cur.at?.getTime() ?? 0)))
			out.set(key, { status: r.status, at: r.recordedAt ?? (r.status === 'planned' ? r.startsAt : null) });
	}
	return out;
}

/** The audit export's header (the ward's audit of its staff-education clause). */
export const exportHeader = ['ログインID', '氏名', '役割', '研修コード', '研修名', '種別', '実施日時', '時間(分)', '場所', '講師', '出欠', '記録日時', '記録者'];

/** Role names as the ward's staff read them (the export is in Japanese, like its other columns). */
const roleJa: Record<string, string> = { operator: 'オペレータ', supervisor: 'スーパーバイザー', staff: '区職員', manager: '管理者', admin: 'システム管理者', auditor: '監査' };

const statusJa: Record<AttendanceStatus, string> = { planned: '予定', attended: '出席', completed: '修了', absent: '欠席' };
const kindJa: Record<CourseKind, string> = { privacy: '個人情報保護', desk: '業務', scripts: 'トーク・ルール', other: 'その他' };

export interface ExportRow {
	loginId: string;
	displayName: string;
	role: string;
	courseCode: string;
	courseTitleJa: string;
	courseKind: CourseKind;
	startsAt: Date;
	durationMinutes: number;
	place: string;
	trainer: string;
	status: AttendanceStatus;
	recordedAt: Date | null;
	recordedBy: string | null;
}

/** Tokyo wall-clock time of an instant, YYYY-MM-DD HH:MM. */
export function tokyoText(at: Date): string {
	return new Date(at.getTime() + 9 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** The export's cells for one row (text; the caller quotes and encodes). */
export function exportCells(r: ExportRow): string[] {
	return [
		r.loginId,
		r.displayName,
		roleJa[r.role] ?? r.role,
		r.courseCode,
		r.courseTitleJa,
		kindJa[r.courseKind],
		tokyoText(r.startsAt),
		String(r.durationMinutes),
		r.place,
		r.trainer,
		statusJa[r.status],
		r.recordedAt ? tokyoText(r.recordedAt) : '',
		r.recordedBy ?? ''
	];
}
