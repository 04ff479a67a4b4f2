import { describe, expect, it } from 'vitest';
import { attendanceInput, completionMatrix, courseInput, exportCells, hasPrivacyTraining, sessionInput, tokyoInstant, type AttendanceRecord } from './training.ts';
import { needsPrivacyTraining, privacyGatedPermissions, roles } from './roles.ts';

describe('the privacy gate (who needs the training for what)', () => {
	it('operators need it for every permission that reads or works real households, and for nothing else', () => {
		for (const p of privacyGatedPermissions) expect(needsPrivacyTraining('operator', p)).toBe(true);
		expect(privacyGatedPermissions).toEqual(expect.arrayContaining(['queue.claim', 'call.record', 'household.read', 'household.search', 'letters.print']));
		expect(needsPrivacyTraining('operator', 'reports.view')).toBe(false);
		for (const r of roles.filter((r) => r !== 'operator')) expect(needsPrivacyTraining(r, 'household.read')).toBe(false);
	});

	it('a completion of a privacy course counts; attended, planned, absent or another course do not', () => {
		const at = new Date('2026-11-01T01:00:00Z');
		const rec = (userId: number, courseKind: AttendanceRecord['courseKind'], status: AttendanceRecord['status']): AttendanceRecord => ({ userId, courseId: courseKind === 'privacy' ? 1 : 2, courseKind, status, startsAt: at, recordedAt: at });
		expect(hasPrivacyTraining([rec(7, 'privacy', 'completed')], 7)).toBe(true);
		expect(hasPrivacyTraining([rec(7, 'privacy', 'attended'), rec(7, 'privacy', 'planned'), rec(7, 'privacy', 'absent')], 7)).toBe(false);
		expect(hasPrivacyTraining([rec(7, 'desk', 'completed')], 7)).toBe(false);
		expect(hasPrivacyTraining([rec(8, 'privacy', 'completed')], 7)).toBe(false);
		expect(hasPrivacyTraining([], 7)).toBe(false);
	});

	it('the completion matrix keeps the best state per user and course', () => {
		const a = new Date('2026-11-01T01:00:00Z');
		const b = new Date('2026-11-08T01:00:00Z');
		const m = completionMatrix([
			{ userId: 7, courseId: 1, courseKind: 'privacy', status: 'absent', startsAt: a, recordedAt: a },
			{ userId: 7, courseId: 1, courseKind: 'privacy', status: 'completed', startsAt: b, recordedAt: b },
			{ userId: 7, courseId: 2, courseKind: 'desk', status: 'planned', startsAt: b, recordedAt: null }
		]);
		expect(m.get('7:1')).toEqual({ status: 'completed', at: b });
		expect(m.get('7:2')).toEqual({ status: 'planned', at: b });
	});
});

describe('inputs', () => {
	it('a course: a code of lower-case letters and digits, both titles, a known kind', () => {
		expect(courseInput.safeParse({ code: 'privacy-2026', titleJa: '個人情報保護研修', titleEn: 'Privacy', kind: 'privacy' }).success).toBe(true);
		const bad = courseInput.safeParse({ code: 'Privacy 2026', titleJa: '', titleEn: 'x'.repeat(101), kind: 'fun' });
		expect(bad.success).toBe(false);
		const paths = bad.error!.issues.map((i) => i.path.join('.'));
		expect(paths).toEqual(expect.arrayContaining(['code', 'titleJa', 'titleEn', 'kind']));
		expect(courseInput.safeParse({ code: 'ok', titleJa: 'a', titleEn: 'b', kind: 'desk', extra: 1 }).success).toBe(false);
	});

	it('a session: a Tokyo date and time, 5–600 minutes, attendees as ids', () => {
		const ok = sessionInput.parse({ courseId: '3', startsAt: '2026-12-01T10:00', durationMinutes: '90', attendees: ['4', '5'] });
		expect(ok).toMatchObject({ courseId: 3, durationMinutes: 90, attendees: [4, 5], place: '' });
		for (const startsAt of ['2026-02-30T10:00', '2026-12-01 10:00', '2026-12-01T24:00', '']) expect(sessionInput.safeParse({ courseId: 3, startsAt, durationMinutes: 60 }).success, startsAt).toBe(false);
		for (const durationMinutes of [0, 4, 601, 1.5]) expect(sessionInput.safeParse({ courseId: 3, startsAt: '2026-12-01T10:00', durationMinutes }).success).toBe(false);
	});

	it('attendance: one of the four states', () => {
		expect(attendanceInput.safeParse({ sessionId: 1, userId: 2, status: 'completed' }).success).toBe(true);
		expect(attendanceInput.safeParse({ sessionId: 1, userId: 2, status: 'passed' }).success).toBe(false);
	});

	it('Tokyo wall-clock time is UTC+9 all year', () => {
		expect(tokyoInstant('2026-12-01T10:00').toISOString()).toBe('2026-12-01T01:00:00.000Z');
		expect(tokyoInstant('2026-07-01T08:30').toISOString()).toBe('2026-06-30T23:30:00.000Z');
		expect(Number.isNaN(tokyoInstant('2026-13-01T10:00').getTime())).toBe(true);
	});
});

describe('the audit export', () => {
	it('one row per attendance in Japanese, Tokyo times', () => {
		const cells = exportCells({
			loginId: 'op01',
			displayName: '佐藤 オペレータ',
			role: 'operator',
			courseCode: 'privacy',
			courseTitleJa: '個人情報保護研修',
			courseKind: 'privacy',
			startsAt: new Date('2026-12-01T01:00:00Z'),
			durationMinutes: 60,
			place: '研修室',
			trainer: '田中',
			status: 'completed',
			recordedAt: new Date('2026-12-01T03:05:00Z'),
			recordedBy: 'sv01'
		});
		expect(cells).toEqual(['op01', '佐藤 オペレータ', 'オペレータ', 'privacy', '個人情報保護研修', '個人情報保護', '2026-12-01 10:00', '60', '研修室', '田中', '修了', '2026-12-01 12:05', 'sv01']);
	});
});
