/**
 * 班 (team): a free-text label an administrator sets on an operator, for the reports per team. Typed by hand, the
 * same team comes in several forms (「Ｂ班」 with a full-width letter, 「B班」, 「 B班」), and the reports would
 * count them as different teams. One form at the boundary: Unicode NFKC (full-width letters, digits and spaces
 * become their ASCII forms; half-width katakana becomes full-width), then trimmed. Case is kept ('b班' is not
 * 'B班': a person typed it so). Blank is no team (null). The same normalization groups rows saved before it
 * (period-report.queries.ts, in SQL: btrim(normalize(team, NFKC))).
 */

/** The stored form of a team typed or read: NFKC, trimmed; null when blank. */
export function normalizeTeam(raw: string | null | undefined): string | null {
	if (raw === null || raw === undefined) return null;
	const t = raw.normalize('NFKC').trim();
	return t === '' ? null : t;
}

/** The distinct teams among these labels, each in its normalized form, sorted (for the choices a form offers). */
export function distinctTeams(labels: readonly (string | null | undefined)[]): string[] {
	const out = new Set<string>();
	for (const l of labels) {
		const t = normalizeTeam(l);
		if (t) out.add(t);
	}
	return [...out].sort((a, b) => a.localeCompare(b, 'ja'));
}
