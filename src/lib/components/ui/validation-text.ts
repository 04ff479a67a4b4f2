/**
 * A form field's refusal in the user's language: the server's stable code for the field (details[field]) and the
 * values it names (params[field]: min, max, limit …) → `validation.<code>`, naming the field by its label. A value
 * that is not a code the screen knows (an English sentence from an older server, a code without a message) becomes
 * the general "not valid" line: never English prose on a Japanese page. Numbers are written with separators.
 */
type Translate = (key: string, vars?: Record<string, unknown>) => string;

export function validationText(
	t: Translate,
	locale: 'ja' | 'en',
	code: string | null | undefined,
	label: string,
	params?: Record<string, string | number> | null,
	/** more values the page supplies (e.g. `other`: the label of the field the code compares with) */
	extra: Record<string, unknown> = {}
): string {
	const fallback = () => t('validation.invalid', { field: label });
	if (!code || !/^[a-z][a-z_]{0,39}$/.test(code)) return fallback();
	const fmt = new Intl.NumberFormat(locale === 'ja' ? 'ja-JP' : 'en-US');
	const vars: Record<string, unknown> = { field: label };
	for (const [k, v] of Object.entries(params ?? {})) vars[k] = typeof v === 'number' ? fmt.format(v) : v;
	Object.assign(vars, extra);
	const key = `validation.${code}`;
	const text = t(key, vars);
	return text === key ? fallback() : text;
}
