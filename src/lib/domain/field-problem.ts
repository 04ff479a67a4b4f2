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
