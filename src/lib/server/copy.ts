/** PostgreSQL COPY text format: one value, escaped (\N for null; backslash, tab, newline and CR escaped). */
export function copyValue(v: string | number | boolean | null | undefined): string {
	if (v === null || v === undefined) return '\\N';
	if (typeof v === 'boolean') return v ? 't' : 'f';
	if (typeof v === 'number') {
		if (!Number.isFinite(v)) throw new Error(`cannot COPY a non-finite number (${v})`);
		return String(v);
	}
	return NEEDS_ESCAPE.test(v) ? v.replace(ESCAPED, escapeChar) : v;
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPED = /[\\\t\n\r]/g;
const escapeChar = (ch: string) => (ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r');

export function copyLine(values: readonly (string | number | boolean | null | undefined)[]): string {
	return values.map(copyValue).join('\t') + '\n';
}

/** One COPY line of `line` followed by the values at `keys` (the import's stage rows), without intermediate arrays. */
export function copyRow(line: number, keys: readonly string[], values: Readonly<Record<string, string | number | boolean | null | undefined>>): string {
	let out = String(line);
	for (let i = 0; i < keys.length; i++) out += '\t' + copyValue(values[keys[i]]);
	return out + '\n';
}
