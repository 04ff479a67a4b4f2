/** Display formats staff expect: ¥1,234; 2026-06-30 beside 令和8年6月30日; times in Asia/Tokyo. */
export type Locale = 'ja' | 'en';
export const TIME_ZONE = 'Asia/Tokyo';

const yenFmt = new Intl.NumberFormat('ja-JP');

/** Integer yen as ¥1,234 (negative as −¥1,234). */
export function yen(amount: number): string {
	const sign = amount < 0 ? '−' : '';
	return `${sign}¥${yenFmt.format(Math.abs(Math.round(amount)))}`;
}

const warekiFmt = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
	era: 'long',
	year: 'numeric',
	month: 'long',
	day: 'numeric',
	timeZone: 'UTC'
});

/** An ISO date ('2026-06-30') in the Japanese era: 令和8年6月30日 (元年 for year 1). */
export function wareki(isoDate: string): string {
	const d = new Date(`${isoDate}T00:00:00Z`);
	if (Number.isNaN(d.getTime())) return isoDate;
	return warekiFmt.format(d);
}

/** The modern eras from their first day (Gregorian), newest first, with their names in ASCII. */
const erasEn: readonly { from: string; name: string; firstYear: number }[] = [
	{ from: '2019-05-01', name: 'Reiwa', firstYear: 2019 },
	{ from: '1989-01-08', name: 'Heisei', firstYear: 1989 },
	{ from: '1926-12-25', name: 'Showa', firstYear: 1926 },
	{ from: '1912-07-30', name: 'Taisho', firstYear: 1912 },
	// Meiji 1 is 1868; dates are Gregorian (and so comparable) from 1873 (Meiji 6) on
	{ from: '1873-01-01', name: 'Meiji', firstYear: 1868 }
];

/**
 * An ISO date's era year for the English UI, in ASCII: 'Reiwa 8' (year 1 is 'Reiwa 1', not 元年); '' for a date
 * before 1873 (the Gregorian calendar in Japan) or not a date. The day and month are the ISO date's beside it.
 */
export function warekiEn(isoDate: string): string {
	const m = /^(\d{4})-\d{2}-\d{2}$/.exec(isoDate);
	if (!m || Number.isNaN(Date.parse(`${isoDate}T00:00:00Z`))) return '';
	const era = erasEn.find((e) => isoDate >= e.from);
	return era ? `${era.name} ${Number(m[1]) - era.firstYear + 1}` : '';
}

/**
 * The era beside a date, in the user's language: '（令和8年6月30日）' (ja, full-width brackets as staff write
 * it), '(Reiwa 8)' (en, ASCII); '' in English when there is no era to name.
 */
export function eraNote(isoDate: string, locale: Locale = 'ja'): string {
	if (locale === 'ja') return `（${wareki(isoDate)}）`;
	const en = warekiEn(isoDate);
	return en ? `(${en})` : '';
}

/** Both forms, the way staff read them: '2026-06-30（令和8年6月30日）' (ja), '2026-06-30 (Reiwa 8)' (en). */
export function dualDate(isoDate: string, locale: Locale = 'ja'): string {
	if (locale === 'ja') return `${isoDate}${eraNote(isoDate, 'ja')}`;
	const note = eraNote(isoDate, 'en');
	return note ? `${isoDate} ${note}` : isoDate;
}

/** A range of two dates in the user's language: '…（令和8年…） 〜 …' (ja), '… (Reiwa 8) – …' (en). */
export function dualDateRange(from: string, to: string, locale: Locale = 'ja'): string {
	return `${dualDate(from, locale)} ${locale === 'ja' ? '〜' : '–'} ${dualDate(to, locale)}`;
}

const TOKYO_OFFSET_MS = 9 * 3600_000;
const timeFormat = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** The calendar date in Tokyo of an instant, as 'YYYY-MM-DD'. */
export function tokyoDate(at: Date = new Date()): string {
	// Japan has kept UTC+9 without daylight saving since 1951: arithmetic, not a new Intl formatter per call
	// (the claim benchmark's profile found 4% of the server's time building formatters here)
	return new Date(at.getTime() + TOKYO_OFFSET_MS).toISOString().slice(0, 10);
}

/** The hour (0–23) in Tokyo of an instant. */
export function tokyoHour(at: Date): number {
	return new Date(at.getTime() + TOKYO_OFFSET_MS).getUTCHours();
}

/** HH:MM:SS in Tokyo. */
export function tokyoTime(at: Date | string): string {
	return timeFormat.format(typeof at === 'string' ? new Date(at) : at);
}

/** Date and time in Tokyo: '2026-11-27 14:32'. */
export function tokyoDateTime(at: Date | string): string {
	const d = typeof at === 'string' ? new Date(at) : at;
	return `${tokyoDate(d)} ${tokyoTime(d).slice(0, 5)}`;
}

const weekdaysJa = ['日', '月', '火', '水', '木', '金', '土'];
const weekdaysEn = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const monthsEn = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A day and time in Tokyo as a clerk says it, with the weekday: '12月1日(火) 9:00' (ja), 'Tue 1 Dec 09:00' (en).
 * The year is left out: what it names is within weeks.
 */
export function tokyoWhen(at: Date | string, locale: Locale): string {
	const d = new Date((typeof at === 'string' ? new Date(at) : at).getTime() + TOKYO_OFFSET_MS);
	const [m, day, wd, hh, mm] = [d.getUTCMonth(), d.getUTCDate(), d.getUTCDay(), d.getUTCHours(), String(d.getUTCMinutes()).padStart(2, '0')];
	return locale === 'ja' ? `${m + 1}月${day}日(${weekdaysJa[wd]}) ${hh}:${mm}` : `${weekdaysEn[wd]} ${day} ${monthsEn[m]} ${String(hh).padStart(2, '0')}:${mm}`;
}

/** The fiscal year (April–March) a Tokyo date falls in. */
export function fiscalYearOf(isoDate: string): number {
	const [y, m] = isoDate.split('-').map(Number);
	return m >= 4 ? y : y - 1;
}

/**
 * A name with ward-defined characters (外字: private-use code points decoded from the CP932 user area): each is
 * shown as 〓, the customary mark, instead of whatever glyph a font happens to hold there.
 */
export function markGaiji(text: string): string {
	return text.replace(/[\uE000-\uF8FF]|[\uDB80-\uDBFF][\uDC00-\uDFFF]/g, '〓');
}

/**
 * A nationality code as staff read it: its country's name in the user's language with the code in parentheses,
 * 「中国 (CN)」 / "China (CN)" (as languages are shown: 「日本語 (ja)」); a code with no known name stays as it is.
 */
export function nationalityLabel(code: string, locale: 'ja' | 'en'): string {
	let name: string | undefined;
	try {
		name = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' }).of(code.toUpperCase());
	} catch {
		name = undefined;
	}
	return name ? `${name} (${code})` : code;
}
