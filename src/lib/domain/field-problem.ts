/**
 * A field the server refused, as the screen needs it: a stable code (the outcome form's own vocabulary,
 * translated as `operator.problems.<code>`), the values its message names (a date, an amount, a number of days),
 * and an English sentence for API readers and logs. The code and values travel in a refusal's `details` and
 * `params`; the text in its `message`.
 */
export interface FieldProblem {
	code: string;
	/** what the message names: `days`, `owed` (yen), `opensAt` (ISO instant, '' when unknown) … */
	params?: Record<string, string | number>;
	/** English, for API readers and logs */
	text: string;
}

/** A problem without values. */
export function problem(code: string, text: string, params?: Record<string, string | number>): FieldProblem {
	return params ? { code, params, text } : { code, text };
}

/** What a zod issue carries that issueProblems reads (zod's own issues fit it). */
export interface IssueLike {
	code: string;
	path: PropertyKey[];
	message: string;
	/** invalid_type: the type wanted ('number', 'int', 'string', 'boolean', 'object' …) */
	expected?: string;
	/** too_small / too_big: what was measured ('number', 'string', 'array') and the bound */
	origin?: string;
	minimum?: number | bigint;
	maximum?: number | bigint;
	/** a custom issue's stable code (params.code) and the values its message names */
	params?: Record<string, unknown>;
}

/** The value at a path of the raw input (undefined when the path does not exist). */
function valueAt(raw: unknown, path: PropertyKey[]): unknown {
	let v = raw;
	for (const k of path) {
		if (v === null || typeof v !== 'object') return undefined;
		v = (v as Record<PropertyKey, unknown>)[k];
	}
	return v;
}

/** A stable code: lowercase words joined by '_' (not an English sentence). */
const isCode = (s: unknown): s is string => typeof s === 'string' && /^[a-z][a-z_]{0,39}$/.test(s);

/**
 * A form's zod issues as field problems in one vocabulary (translated as `validation.<code>`): `required` (blank or
 * absent), `whole_number` (not a whole number), `min_value` / `max_value` (a number out of range; params min / max),
 * `too_long` (params max), `choose_one` (an empty list), `too_many` (a list too long; params max), the field's own
 * format code (`formatCode`, e.g. `time_format`) for a malformed text, a custom issue's `params.code` with its other
 * params (or its message when that is a code already), else `invalid`. The text is the issue's English message
 * without a leading "field: " (the refusal's message names the field itself). One problem per field: the first.
 */
export function issueProblems(
	raw: unknown,
	issues: readonly IssueLike[],
	options: { key?: (path: PropertyKey[]) => string; formatCode?: (key: string) => string } = {}
): Record<string, FieldProblem> {
	const keyOf = options.key ?? ((p: PropertyKey[]) => p.map(String).join('.'));
	const out: Record<string, FieldProblem> = {};
	for (const i of issues) {
		const key = keyOf(i.path) || '(input)';
		if (out[key]) continue;
		const text = i.message.replace(/^[\w.]+: /, '');
		out[key] = issueProblem(i, valueAt(raw, i.path), text, options.formatCode?.(key) ?? 'invalid');
	}
	return out;
}

function issueProblem(i: IssueLike, value: unknown, text: string, formatCode: string): FieldProblem {
	const bound = (n: number | bigint | undefined) => Number(n ?? 0);
	switch (i.code) {
		case 'custom': {
			const { code, ...params } = i.params ?? {};
			if (isCode(code)) return problem(code, text, Object.keys(params).length ? (params as Record<string, string | number>) : undefined);
			return isCode(i.message) ? problem(i.message, i.message) : problem('invalid', text);
		}
		case 'invalid_type':
			if (value === undefined || value === '') return problem('required', text);
			if (i.expected === 'number' || i.expected === 'int') return problem('whole_number', text);
			if (i.expected === 'string') return problem(formatCode, text);
			return problem('invalid', text);
		case 'too_small':
			if (i.origin === 'number') return problem('min_value', text, { min: bound(i.minimum) });
			if (i.origin === 'array') return problem('choose_one', text);
			if (i.origin === 'string') return problem('required', text);
			return problem('invalid', text);
		case 'too_big':
			if (i.origin === 'number') return problem('max_value', text, { max: bound(i.maximum) });
			if (i.origin === 'array') return problem('too_many', text, { max: bound(i.maximum) });
			if (i.origin === 'string') return problem('too_long', text, { max: bound(i.maximum) });
			return problem('invalid', text);
		case 'invalid_format':
			return value === '' ? problem('required', text) : problem(formatCode, text);
		default:
			return problem('invalid', text);
	}
}
