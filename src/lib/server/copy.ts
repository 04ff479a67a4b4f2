/** PostgreSQL COPY text format: one value, escaped (\N for null; backslash, tab, newline and CR escaped). */
export function copyValue(v: string | number | boolean | null | undefined): string {
	if (v === null || v === undefined) return '\\N';
	if (typeof v === 'boolean') return v ? 't' : 'f';
	if (typeof v === 'number') {
		if (!Number.isFinite(v)) throw new Error(`cannot COPY a non-finite number (${v})`);
		return String(v);
	}
	return v.replace(/[\\\t\n\r]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r'));
}

export function copyLine(values: readonly (string | number | boolean | null | undefined)[]): string {
	return values.map(copyValue).join('\t') + '\n';
}
