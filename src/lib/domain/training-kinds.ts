/**
 * The kinds of training course and the states of attendance (issue #9), with no dependency: the pages import them
 * (training.ts holds the validation, with zod, which must not reach the browser: its eval probe trips the strict CSP).
 */
export const courseKinds = ['privacy', 'desk', 'scripts', 'other'] as const;
export type CourseKind = (typeof courseKinds)[number];

export const attendanceStatuses = ['planned', 'attended', 'completed', 'absent'] as const;
export type AttendanceStatus = (typeof attendanceStatuses)[number];
