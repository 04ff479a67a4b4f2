/**
 * Tokyo time (UTC+9, no DST) and the ward's calendar (national holidays, the year-end closure), without zod or
 * anything else heavy: pages (the handoff panel's ages and due days) import these, and calling-rules.ts re-exports them.
 */
import holidayJp from '@holiday-jp/holiday_jp';
import type { Weekday } from './calling-rules.ts';

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const TOKYO_OFFSET_MS = 9 * 3600_000;
const MINUTE = 60_000;
const DAY = 86_400_000;

/** Minutes since midnight of 'HH:MM'. */
export function minutesOf(hhmm: string): number {
	const [h, m] = hhmm.split(':').map(Number);
	return h * 60 + m;
}

/** The Tokyo calendar date ('YYYY-MM-DD') of an instant. */
export function tokyoDay(at: Date): string {
	return new Date(at.getTime() + TOKYO_OFFSET_MS).toISOString().slice(0, 10);
}

/** Minutes since Tokyo midnight of an instant (0–1439). */
export function tokyoMinutes(at: Date): number {
	const local = at.getTime() + TOKYO_OFFSET_MS;
	return Math.floor((((local % DAY) + DAY) % DAY) / MINUTE);
}

/** The instant of a Tokyo wall-clock time: tokyoAt('2026-11-02', '09:00') = 2026-11-02T00:00Z. */
export function tokyoAt(isoDate: string, hhmm = '00:00'): Date {
	return new Date(Date.parse(`${isoDate}T00:00:00Z`) - TOKYO_OFFSET_MS + minutesOf(hhmm) * MINUTE);
}

/** An ISO date plus n days. */
export function addDays(isoDate: string, n: number): string {
	return new Date(Date.parse(`${isoDate}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
}

/** The weekday of an ISO date. */
export function weekdayOf(isoDate: string): Weekday {
	const d = new Date(`${isoDate}T00:00:00Z`).getUTCDay(); // 0 = Sunday
	return WEEKDAYS[(d + 6) % 7];
}

// The ward's calendar

const holidays = holidayJp.holidays as Record<string, { name: string; name_en: string }>;

/**
 * A Japanese national holiday (国民の祝日), including substitute holidays (振替休日) and citizens' holidays
 * (国民の休日), from @holiday-jp/holiday_jp (data 1970–2050; update the package when the law changes).
 */
export function isJapaneseHoliday(isoDate: string): boolean {
	return Object.hasOwn(holidays, isoDate);
}

/** The holiday's name ('文化の日' / 'National Culture Day'), or null. */
export function holidayName(isoDate: string, locale: 'ja' | 'en' = 'ja'): string | null {
	const h = holidays[isoDate];
	return h ? (locale === 'ja' ? h.name : h.name_en) : null;
}

/** The ward's year-end closure: 12/29–1/3. */
export function isYearEndClosure(isoDate: string): boolean {
	const md = isoDate.slice(5);
	return md >= '12-29' || md <= '01-03';
}

