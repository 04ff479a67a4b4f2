/**
 * The segment editor's form → the raw input of the segment use cases. Pure (no I/O): it only reshapes what the
 * browser sent (amounts typed as ¥12,000 or with full-width digits, multi-selects, blanks for "no condition");
 * the use case validates the result with the filter's zod schema, which names the field that is wrong.
 */

/** NFKC folds full-width digits, letters, commas and the yen sign (１２，０００ → 12,000; ￥ → ¥). */
function fold(s: string): string {
	return s.normalize('NFKC').trim();
}

/**
 * An amount of yen as typed: '¥12,000', '１２，０００円', '12000' → 12000; blank → undefined. Anything else is
 * passed on as typed, so that the schema refuses it and names the field.
 */
export function parseYenText(raw: string | null | undefined): number | string | undefined {
	if (raw === null || raw === undefined) return undefined;
	const s = fold(raw).replace(/[¥\\,\s円]/g, '');
	if (s === '') return undefined;
	return /^\d{1,13}$/.test(s) ? Number(s) : raw;
}

/** A whole number as typed (full-width digits too); blank → undefined; anything else passed on as typed. */
export function parseIntText(raw: string | null | undefined): number | string | undefined {
	if (raw === null || raw === undefined) return undefined;
	const s = fold(raw).replace(/[,\s]/g, '');
	if (s === '') return undefined;
	return /^-?\d{1,9}$/.test(s) ? Number(s) : raw;
}

/** '' → undefined, 'true' / 'false' → the boolean, else as typed. */
export function parseBoolText(raw: string | null | undefined): boolean | string | undefined {
	if (raw === null || raw === undefined || raw === '') return undefined;
	if (raw === 'true') return true;
	if (raw === 'false') return false;
	return raw;
}

/** The form fields of the filter, by kind (names are the filter's own keys). */
export const yenFields = ['minOwed', 'maxOwed'] as const;
export const intFields = [
	'minUnpaidPeriods',
	'maxUnpaidPeriods',
	'minOldestUnpaidDays',
	'maxOldestUnpaidDays',
	'minDaysSinceContact',
	'maxDaysSinceContact',
	'minAttempts',
	'maxAttempts'
] as const;
export const listFields = ['phoneTypes', 'cardClasses', 'languages', 'excludeLanguages', 'nationalities', 'excludeNationalities', 'districts', 'promiseStatuses'] as const;
export const boolFields = ['bankTransfer', 'callbackDue'] as const;

/** Something with FormData's getters (FormData, or URLSearchParams in tests). */
export interface FormLike {
	get(name: string): FormDataEntryValue | null;
	getAll(name: string): FormDataEntryValue[];
}

const text = (v: FormDataEntryValue | null): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * The filter as the form describes it: only the conditions that were filled in (an empty filter matches every
 * household). Field names are prefixed `f.` in the form (f.minOwed, f.languages …) so they never clash with the
 * segment's own fields.
 */
export function filterFromForm(form: FormLike): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const k of yenFields) {
		const v = parseYenText(text(form.get(`f.${k}`)));
		if (v !== undefined) out[k] = v;
	}
	for (const k of intFields) {
		const v = parseIntText(text(form.get(`f.${k}`)));
		if (v !== undefined) out[k] = v;
	}
	for (const k of listFields) {
		const vs = form
			.getAll(`f.${k}`)
			.map((v) => (typeof v === 'string' ? fold(v) : ''))
			.filter((v) => v !== '');
		if (vs.length > 0) out[k] = [...new Set(vs)];
	}
	for (const k of boolFields) {
		const v = parseBoolText(text(form.get(`f.${k}`)));
		if (v !== undefined) out[k] = v;
	}
	const periods = form
		.getAll('f.currentYearPeriods')
		.map((v) => (typeof v === 'string' ? parseIntText(v) : undefined))
		.filter((v) => v !== undefined);
	if (periods.length > 0) out.currentYearPeriods = [...new Set(periods)];
	const years = text(form.get('f.arrearsYears'));
	if (years) out.arrearsYears = years;
	return out;
}

/** The segment's own fields and its filter, from the editor's form. */
export function segmentFromForm(form: FormLike) {
	return {
		code: text(form.get('code')),
		nameJa: text(form.get('nameJa')),
		nameEn: text(form.get('nameEn')),
		description: text(form.get('description')),
		sortOrder: parseIntText(text(form.get('sortOrder'))),
		filter: filterFromForm(form),
		/** the holdout share in percent as typed (the use case parses it; absent from a form without the field) */
		holdoutPercent: text(form.get('holdoutPercent'))
	};
}
