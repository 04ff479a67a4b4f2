/**
 * Segments (区分): named, saved filters over households. A household belongs to the first segment, in sort order
 * (then id), whose filter it matches; a segment with an empty filter matches everyone (the catch-all). The filter
 * reads the household's facts (household-facts.ts), computed in SQL by the queue; every condition set must hold
 * (AND), and a list condition holds when any of its values applies (OR). The language is documented in
 * docs/queue.md. No I/O: the supervisor's filter form uses the same schema and descriptions in the browser.
 */
import { z } from 'zod';
import { yen, type Locale } from './format.ts';
import { issueProblems, type FieldProblem, type IssueLike } from './field-problem.ts';
import type { HouseholdFacts, PromiseStatus } from './household-facts.ts';

export type PhoneType = 'mobile' | 'landline' | 'none' | 'invalid';
export const phoneTypes: readonly PhoneType[] = ['mobile', 'landline', 'none', 'invalid'];
export type ArrearsYears = 'current' | 'carried' | 'both';
export const arrearsYearsValues: readonly ArrearsYears[] = ['current', 'carried', 'both'];
export const promiseStatuses: readonly PromiseStatus[] = ['none', 'pending', 'kept', 'partly_kept', 'broken'];

export interface SegmentFilter {
	/** owed (overdue arrears, yen) at least */
	minOwed?: number;
	/** owed below (exclusive, so that ranges tile: ¥0–¥50,000, ¥50,000–…) */
	maxOwed?: number;
	/** number of overdue unpaid periods, all years, at least / at most */
	minUnpaidPeriods?: number;
	maxUnpaidPeriods?: number;
	/** age in days (Tokyo calendar days) of the oldest overdue unpaid period, at least / at most */
	minOldestUnpaidDays?: number;
	maxOldestUnpaidDays?: number;
	/** any of these 期別 (1–14) of the current fiscal year overdue and unpaid ("this year's periods 1–3 unpaid") */
	currentYearPeriods?: number[];
	/** current: has current-year arrears (現年分); carried: has carried-over arrears (滞納繰越分); both: has both */
	arrearsYears?: ArrearsYears;
	/**
	 * any of: mobile (a callable mobile number), landline (a callable number that is not a mobile: landline, IP,
	 * free dial, other), none (no callable number), invalid (some number is invalid or marked wrong / dead)
	 */
	phoneTypes?: PhoneType[];
	/** 口座振替 enabled (true) or not (false) */
	bankTransfer?: boolean;
	/** 保険証交付区分 of the latest assessment year, any of */
	cardClasses?: string[];
	/** talk-script languages to include (e.g. ['vi','ne']) */
	languages?: string[];
	/** languages to exclude */
	excludeLanguages?: string[];
	/** nationality of the head of household (ISO alpha-2), any of; unknown nationality never matches */
	nationalities?: string[];
	/** nationalities to exclude ('foreign residents' = ['JP']); unknown nationality does not match either */
	excludeNationalities?: string[];
	/** 町名, any of */
	districts?: string[];
	/** days (Tokyo calendar days) since the last answered call at least / at most; never contacted = infinitely long ago */
	minDaysSinceContact?: number;
	maxDaysSinceContact?: number;
	/** calls made so far, at least / at most */
	minAttempts?: number;
	maxAttempts?: number;
	/** the latest promise's state, any of */
	promiseStatuses?: PromiseStatus[];
	/** an open callback is due now (true), or not (false) */
	callbackDue?: boolean;
}

export type SegmentFilterField = keyof SegmentFilter;

/** The filter's fields in the order the form shows them and explainFilter / describeFilter list them. */
export const segmentFilterFields = [
	'minOwed',
	'maxOwed',
	'arrearsYears',
	'currentYearPeriods',
	'minUnpaidPeriods',
	'maxUnpaidPeriods',
	'minOldestUnpaidDays',
	'maxOldestUnpaidDays',
	'phoneTypes',
	'bankTransfer',
	'cardClasses',
	'languages',
	'excludeLanguages',
	'nationalities',
	'excludeNationalities',
	'districts',
	'minDaysSinceContact',
	'maxDaysSinceContact',
	'minAttempts',
	'maxAttempts',
	'promiseStatuses',
	'callbackDue'
] as const satisfies readonly SegmentFilterField[];

export interface SegmentDef {
	id: number;
	sortOrder: number;
	filter: SegmentFilter;
	/** points added to every score in the segment (segments.priority_boost; 0 = none) */
	priorityBoost?: number;
}

// ---------------------------------------------------------------------------------------------------------
// Schema

const count = (field: string, max: number, what: string) =>
	z
		.number({ message: `${field}: must be a number (${what})` })
		.int({ message: `${field}: must be a whole number (${what})` })
		.min(0, { message: `${field}: must be 0 or more (${what})` })
		.max(max, { message: `${field}: must be at most ${max} (${what})` })
		.optional();
const amount = (field: string) =>
	z
		.number({ message: `${field}: must be an amount in yen` })
		.int({ message: `${field}: must be a whole number of yen` })
		.min(0, { message: `${field}: must be ¥0 or more` })
		.max(1_000_000_000, { message: `${field}: must be at most ¥1,000,000,000` })
		.optional();
const list = <T extends z.ZodType>(field: string, item: T, max = 200) =>
	z
		.array(item, { message: `${field}: must be a list` })
		.min(1, { message: `${field}: choose at least one, or leave the condition out` })
		.max(max, { message: `${field}: at most ${max} values` })
		.optional();
const flag = (field: string) => z.boolean({ message: `${field}: must be yes or no` }).optional();
const language = (field: string) =>
	z.string({ message: `${field}: must be language codes` }).regex(/^[a-z]{2,3}$/, { message: `${field}: language codes are 2–3 lowercase letters (vi, ne, zh)` });
const country = (field: string) =>
	z.string({ message: `${field}: must be country codes` }).regex(/^[A-Z]{2}$/, { message: `${field}: country codes are 2 capital letters (JP, VN)` });
const label = (field: string) =>
	z
		.string({ message: `${field}: must be text` })
		.trim()
		.min(1, { message: `${field}: must not be empty` })
		.max(100, { message: `${field}: at most 100 characters each` });

const DAYS = 36_500;

/**
 * The codes of a filter range the wrong way round (on the upper field, maxOwed …): `max_not_above_min` when the upper
 * bound is exclusive (maxOwed: below, so it must be more than minOwed), `max_below_min` when it is inclusive (at
 * most: not less than the lower one). The form's message names both fields.
 */
export const RANGE_CODES = { exclusive: 'max_not_above_min', inclusive: 'max_below_min' } as const;

/**
 * A segment's filter as the supervisor saves it (segments.filter): strict (unknown keys refused), every
 * condition optional; each issue's message starts with the field's name and says what is wrong.
 */
export const segmentFilterSchema = z
	.strictObject(
		{
			minOwed: amount('minOwed'),
			maxOwed: amount('maxOwed'),
			minUnpaidPeriods: count('minUnpaidPeriods', 1000, 'periods'),
			maxUnpaidPeriods: count('maxUnpaidPeriods', 1000, 'periods'),
			minOldestUnpaidDays: count('minOldestUnpaidDays', DAYS, 'days'),
			maxOldestUnpaidDays: count('maxOldestUnpaidDays', DAYS, 'days'),
			currentYearPeriods: list(
				'currentYearPeriods',
				z
					.number({ message: 'currentYearPeriods: periods are numbers 1–14' })
					.int({ message: 'currentYearPeriods: periods are whole numbers 1–14' })
					.min(1, { message: 'currentYearPeriods: periods are 1–14' })
					.max(14, { message: 'currentYearPeriods: periods are 1–14' }),
				14
			),
			arrearsYears: z.enum(arrearsYearsValues, { message: `arrearsYears: must be one of ${arrearsYearsValues.join(', ')}` }).optional(),
			phoneTypes: list('phoneTypes', z.enum(phoneTypes, { message: `phoneTypes: each must be one of ${phoneTypes.join(', ')}` }), 4),
			bankTransfer: flag('bankTransfer'),
			cardClasses: list('cardClasses', label('cardClasses')),
			languages: list('languages', language('languages')),
			excludeLanguages: list('excludeLanguages', language('excludeLanguages')),
			nationalities: list('nationalities', country('nationalities')),
			excludeNationalities: list('excludeNationalities', country('excludeNationalities')),
			districts: list('districts', label('districts'), 1000),
			minDaysSinceContact: count('minDaysSinceContact', DAYS, 'days'),
			maxDaysSinceContact: count('maxDaysSinceContact', DAYS, 'days'),
			minAttempts: count('minAttempts', 10_000, 'calls'),
			maxAttempts: count('maxAttempts', 10_000, 'calls'),
			promiseStatuses: list('promiseStatuses', z.enum(promiseStatuses, { message: `promiseStatuses: each must be one of ${promiseStatuses.join(', ')}` }), 5),
			callbackDue: flag('callbackDue')
		},
		{ error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown condition: ${iss.keys.join(', ')}` : 'must be a set of conditions') }
	)
	// a range the wrong way round is refused on its upper field with a stable code (SegmentForm.svelte puts it in the
	// user's language as validation.<code>, naming both fields): the upper amount is "below" (more than the lower one);
	// the upper counts and days are "at most" (not less than the lower one)
	.superRefine((f, ctx) => {
		if (f.minOwed !== undefined && f.maxOwed !== undefined && f.minOwed >= f.maxOwed)
			ctx.addIssue({ code: 'custom', path: ['maxOwed'], message: RANGE_CODES.exclusive });
		const pairs: [SegmentFilterField, SegmentFilterField][] = [
			['minUnpaidPeriods', 'maxUnpaidPeriods'],
			['minOldestUnpaidDays', 'maxOldestUnpaidDays'],
			['minDaysSinceContact', 'maxDaysSinceContact'],
			['minAttempts', 'maxAttempts']
		];
		for (const [lo, hi] of pairs) {
			const a = f[lo] as number | undefined;
			const b = f[hi] as number | undefined;
			if (a !== undefined && b !== undefined && a > b) ctx.addIssue({ code: 'custom', path: [hi], message: RANGE_CODES.inclusive });
		}
	}) satisfies z.ZodType<SegmentFilter>;

const formatCodes: Partial<Record<SegmentFilterField, string>> = {
	languages: 'language_code',
	excludeLanguages: 'language_code',
	nationalities: 'country_code',
	excludeNationalities: 'country_code'
};

/**
 * The filter's refusal, field by field, as stable codes (the editor words them as validation.<code> next to the
 * field) with the schema's English for API readers: required, whole_number, min_value (min), max_value (max),
 * choose_one, too_many (max), too_long (max), language_code, country_code, the range codes (RANGE_CODES), invalid.
 * Keys are `<prefix><field>` (a list item's problem is its list's: filter.currentYearPeriods); `raw` is the filter
 * as given, `issues` those of segmentFilterSchema with paths relative to it.
 */
export function segmentFilterProblems(raw: unknown, issues: readonly IssueLike[], prefix = ''): Record<string, FieldProblem> {
	return issueProblems(raw, issues, {
		key: (path) => (path.length ? `${prefix}${String(path[0])}` : prefix.replace(/\.$/, '')),
		formatCode: (key) => formatCodes[key.slice(prefix.length) as SegmentFilterField] ?? 'invalid'
	});
}

// ---------------------------------------------------------------------------------------------------------
// Matching

const DAY = 86_400_000;
const tokyoDay = (at: Date) => new Date(at.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
const daysBetween = (fromIso: string, toIso: string) => Math.round((Date.parse(`${toIso}T00:00:00Z`) - Date.parse(`${fromIso}T00:00:00Z`)) / DAY);

/** Age in Tokyo calendar days of the oldest overdue unpaid period, null when none. */
export function oldestUnpaidDays(h: Pick<HouseholdFacts, 'oldestDueDate'>, now: Date): number | null {
	return h.oldestDueDate ? daysBetween(h.oldestDueDate, tokyoDay(now)) : null;
}

/** Tokyo calendar days since the last answered call; null = never contacted (infinitely long ago). */
export function daysSinceContact(h: Pick<HouseholdFacts, 'lastContactAt'>, now: Date): number | null {
	return h.lastContactAt ? daysBetween(tokyoDay(new Date(h.lastContactAt)), tokyoDay(now)) : null;
}

/** Which phone types apply to a household. */
export function phoneTypesOf(h: Pick<HouseholdFacts, 'phoneKinds' | 'hasInvalidPhone'>): PhoneType[] {
	const out: PhoneType[] = [];
	if (h.phoneKinds.includes('mobile')) out.push('mobile');
	if (h.phoneKinds.some((k) => k !== 'mobile')) out.push('landline');
	if (h.phoneKinds.length === 0) out.push('none');
	if (h.hasInvalidPhone) out.push('invalid');
	return out;
}

/** Whether an open callback is due at `now`. */
export function isCallbackDue(h: Pick<HouseholdFacts, 'callbackDueAt'>, now: Date): boolean {
	return h.callbackDueAt !== null && Date.parse(h.callbackDueAt) <= now.getTime();
}

export interface FilterCheck {
	field: SegmentFilterField;
	ok: boolean;
	/** the household's value the condition compared (lists joined with ','); null when it has none */
	actual: string | number | null;
}

const join = (xs: readonly (string | number)[]) => (xs.length ? xs.join(',') : null);

function check(field: SegmentFilterField, f: SegmentFilter, h: HouseholdFacts, now: Date): FilterCheck {
	const r = (ok: boolean, actual: string | number | null): FilterCheck => ({ field, ok, actual });
	switch (field) {
		case 'minOwed':
			return r(h.owed >= f.minOwed!, h.owed);
		case 'maxOwed':
			return r(h.owed < f.maxOwed!, h.owed);
		case 'minUnpaidPeriods':
			return r(h.unpaidPeriods >= f.minUnpaidPeriods!, h.unpaidPeriods);
		case 'maxUnpaidPeriods':
			return r(h.unpaidPeriods <= f.maxUnpaidPeriods!, h.unpaidPeriods);
		case 'minOldestUnpaidDays': {
			const d = oldestUnpaidDays(h, now);
			return r(d !== null && d >= f.minOldestUnpaidDays!, d);
		}
		case 'maxOldestUnpaidDays': {
			const d = oldestUnpaidDays(h, now);
			return r(d !== null && d <= f.maxOldestUnpaidDays!, d);
		}
		case 'currentYearPeriods':
			return r(h.currentYearUnpaidPeriods.some((p) => f.currentYearPeriods!.includes(p)), join(h.currentYearUnpaidPeriods));
		case 'arrearsYears': {
			const cur = h.owedCurrentYear > 0;
			const car = h.owedCarriedOver > 0;
			const ok = f.arrearsYears === 'current' ? cur : f.arrearsYears === 'carried' ? car : cur && car;
			return r(ok, join([cur ? 'current' : '', car ? 'carried' : ''].filter(Boolean)));
		}
		case 'phoneTypes': {
			const types = phoneTypesOf(h);
			return r(types.some((t) => f.phoneTypes!.includes(t)), join(types));
		}
		case 'bankTransfer':
			return r(h.bankTransfer === f.bankTransfer, String(h.bankTransfer));
		case 'cardClasses':
			return r(h.cardClass !== null && f.cardClasses!.includes(h.cardClass), h.cardClass);
		case 'languages':
			return r(f.languages!.includes(h.language), h.language);
		case 'excludeLanguages':
			return r(!f.excludeLanguages!.includes(h.language), h.language);
		case 'nationalities':
			return r(h.nationality !== null && f.nationalities!.includes(h.nationality), h.nationality);
		case 'excludeNationalities':
			return r(h.nationality !== null && !f.excludeNationalities!.includes(h.nationality), h.nationality);
		case 'districts':
			return r(h.district !== null && f.districts!.includes(h.district), h.district);
		case 'minDaysSinceContact': {
			const d = daysSinceContact(h, now);
			return r(d === null || d >= f.minDaysSinceContact!, d);
		}
		case 'maxDaysSinceContact': {
			const d = daysSinceContact(h, now);
			return r(d !== null && d <= f.maxDaysSinceContact!, d);
		}
		case 'minAttempts':
			return r(h.attempts >= f.minAttempts!, h.attempts);
		case 'maxAttempts':
			return r(h.attempts <= f.maxAttempts!, h.attempts);
		case 'promiseStatuses':
			return r(f.promiseStatuses!.includes(h.promiseStatus), h.promiseStatus);
		case 'callbackDue': {
			const due = isCallbackDue(h, now);
			return r(due === f.callbackDue, String(due));
		}
	}
}

/**
 * Why a household is or is not in a segment: one entry per condition set in the filter, in the form's order,
 * with the household's value that was compared.
 */
export function explainFilter(f: SegmentFilter, h: HouseholdFacts, now: Date): FilterCheck[] {
	return segmentFilterFields.filter((k) => f[k] !== undefined).map((k) => check(k, f, h, now));
}

/** Whether a household's facts satisfy every condition of the filter (an empty filter matches everyone). */
export function matchesFacts(f: SegmentFilter, h: HouseholdFacts, now: Date): boolean {
	for (const k of segmentFilterFields) if (f[k] !== undefined && !check(k, f, h, now).ok) return false;
	return true;
}

function ordered(segments: readonly SegmentDef[]): SegmentDef[] {
	return [...segments].sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id);
}

/** The segment a household belongs to: the first match in sort order, then id; null when none matches. */
export function segmentForFacts(segments: readonly SegmentDef[], h: HouseholdFacts, now: Date): number | null {
	return ordered(segments).find((s) => matchesFacts(s.filter, h, now))?.id ?? null;
}

// ---------------------------------------------------------------------------------------------------------
// Descriptions

const phoneTypeText: Record<PhoneType, [string, string]> = {
	mobile: ['携帯電話', 'mobile'],
	landline: ['固定電話等', 'landline or other'],
	none: ['架電可能な番号なし', 'no callable number'],
	invalid: ['無効・誤り番号あり', 'an invalid or wrong number']
};
const promiseText: Record<PromiseStatus, [string, string]> = {
	none: ['約束なし', 'no promise'],
	pending: ['約束中', 'pending'],
	partly_kept: ['一部履行', 'partly kept'],
	kept: ['履行済', 'kept'],
	broken: ['不履行', 'broken']
};
const yearsText: Record<ArrearsYears, [string, string]> = {
	current: ['現年分の滞納あり', 'has current-year arrears'],
	carried: ['滞納繰越分あり', 'has carried-over arrears'],
	both: ['現年分と滞納繰越分の両方あり', 'has both current-year and carried-over arrears']
};

/** One human line per condition, in the form's order ('滞納額 ¥50,000以上', 'Arrears at least ¥50,000'). */
export function describeFilter(f: SegmentFilter, locale: Locale): string[] {
	const ja = locale === 'ja';
	const list = (xs: readonly (string | number)[]) => xs.join(ja ? '・' : ', ');
	const out: string[] = [];
	for (const k of segmentFilterFields) {
		const v = f[k];
		if (v === undefined) continue;
		switch (k) {
			case 'minOwed':
				out.push(ja ? `滞納額 ${yen(f.minOwed!)}以上` : `Arrears at least ${yen(f.minOwed!)}`);
				break;
			case 'maxOwed':
				out.push(ja ? `滞納額 ${yen(f.maxOwed!)}未満` : `Arrears below ${yen(f.maxOwed!)}`);
				break;
			case 'minUnpaidPeriods':
				out.push(ja ? `未納の期 ${f.minUnpaidPeriods}期以上` : `At least ${f.minUnpaidPeriods} unpaid periods`);
				break;
			case 'maxUnpaidPeriods':
				out.push(ja ? `未納の期 ${f.maxUnpaidPeriods}期以下` : `At most ${f.maxUnpaidPeriods} unpaid periods`);
				break;
			case 'minOldestUnpaidDays':
				out.push(ja ? `最古の未納期の納期限から${f.minOldestUnpaidDays}日以上` : `Oldest unpaid period at least ${f.minOldestUnpaidDays} days overdue`);
				break;
			case 'maxOldestUnpaidDays':
				out.push(ja ? `最古の未納期の納期限から${f.maxOldestUnpaidDays}日以内` : `Oldest unpaid period at most ${f.maxOldestUnpaidDays} days overdue`);
				break;
			case 'currentYearPeriods':
				out.push(
					ja
						? `今年度の${list(f.currentYearPeriods!.map((p) => `${p}期`))}のいずれかが未納`
						: `Any of this year's periods ${list(f.currentYearPeriods!)} unpaid`
				);
				break;
			case 'arrearsYears':
				out.push(ja ? yearsText[f.arrearsYears!][0] : capital(yearsText[f.arrearsYears!][1]));
				break;
			case 'phoneTypes':
				out.push(ja ? `電話: ${list(f.phoneTypes!.map((t) => phoneTypeText[t][0]))}` : `Phone: ${list(f.phoneTypes!.map((t) => phoneTypeText[t][1]))}`);
				break;
			case 'bankTransfer':
				out.push(ja ? (f.bankTransfer ? '口座振替あり' : '口座振替なし') : f.bankTransfer ? 'Bank transfer' : 'No bank transfer');
				break;
			case 'cardClasses':
				out.push(ja ? `保険証区分: ${list(f.cardClasses!)}` : `Insurance card class: ${list(f.cardClasses!)}`);
				break;
			case 'languages':
				out.push(ja ? `言語: ${list(f.languages!)}` : `Language: ${list(f.languages!)}`);
				break;
			case 'excludeLanguages':
				out.push(ja ? `言語が ${list(f.excludeLanguages!)} 以外` : `Language not ${list(f.excludeLanguages!)}`);
				break;
			case 'nationalities':
				out.push(ja ? `国籍: ${list(f.nationalities!)}` : `Nationality: ${list(f.nationalities!)}`);
				break;
			case 'excludeNationalities':
				out.push(ja ? `国籍が ${list(f.excludeNationalities!)} 以外（不明を除く）` : `Nationality not ${list(f.excludeNationalities!)} (known only)`);
				break;
			case 'districts':
				out.push(ja ? `町名: ${list(f.districts!)}` : `District: ${list(f.districts!)}`);
				break;
			case 'minDaysSinceContact':
				out.push(ja ? `最終接触から${f.minDaysSinceContact}日以上（未接触を含む）` : `Last contact at least ${f.minDaysSinceContact} days ago (or never)`);
				break;
			case 'maxDaysSinceContact':
				out.push(ja ? `最終接触から${f.maxDaysSinceContact}日以内` : `Last contact at most ${f.maxDaysSinceContact} days ago`);
				break;
			case 'minAttempts':
				out.push(ja ? `架電回数 ${f.minAttempts}回以上` : `At least ${f.minAttempts} calls so far`);
				break;
			case 'maxAttempts':
				out.push(ja ? `架電回数 ${f.maxAttempts}回以下` : `At most ${f.maxAttempts} calls so far`);
				break;
			case 'promiseStatuses':
				out.push(ja ? `約束: ${list(f.promiseStatuses!.map((s) => promiseText[s][0]))}` : `Promise: ${list(f.promiseStatuses!.map((s) => promiseText[s][1]))}`);
				break;
			case 'callbackDue':
				out.push(ja ? (f.callbackDue ? '折り返し予定時刻を過ぎている' : '期限到来の折り返しなし') : f.callbackDue ? 'Callback due' : 'No callback due');
				break;
		}
	}
	if (!out.length) out.push(ja ? '全世帯（条件なし）' : 'All households (no conditions)');
	return out;
}

function capital(s: string): string {
	return s.charAt(0).toUpperCase() + s.slice(1);
}

// ---------------------------------------------------------------------------------------------------------
// Issue #2's matching over { owed, language }

/** @deprecated the queue engine moves to matchesFacts / segmentForFacts over HouseholdFacts */
export interface SegmentSubject {
	owed: number;
	language: string;
}

/** @deprecated use matchesFacts: this reads only the arrears range and the languages */
export function matches(f: SegmentFilter, h: SegmentSubject): boolean {
	if (f.minOwed !== undefined && h.owed < f.minOwed) return false;
	if (f.maxOwed !== undefined && h.owed >= f.maxOwed) return false;
	if (f.languages && !f.languages.includes(h.language)) return false;
	if (f.excludeLanguages && f.excludeLanguages.includes(h.language)) return false;
	return true;
}

/** @deprecated use segmentForFacts. The segment a household belongs to, or null when none matches. */
export function segmentFor(segments: readonly SegmentDef[], h: SegmentSubject): number | null {
	return ordered(segments).find((s) => matches(s.filter, h))?.id ?? null;
}
