/**
 * Segments (区分): named filters over households. Issue #2 keeps them simple (arrears range and language);
 * the full filter language comes with the operator-desk work. A household belongs to the first segment, in
 * sort order, whose filter it matches; a segment with an empty filter matches everyone (the default).
 */
export interface SegmentFilter {
	/** owed (overdue arrears, yen) at least */
	minOwed?: number;
	/** owed below */
	maxOwed?: number;
	/** talk-script languages to include (e.g. ['vi','ne']) */
	languages?: string[];
	/** languages to exclude */
	excludeLanguages?: string[];
}

export interface SegmentDef {
	id: number;
	sortOrder: number;
	filter: SegmentFilter;
}

export interface SegmentSubject {
	owed: number;
	language: string;
}

export function matches(f: SegmentFilter, h: SegmentSubject): boolean {
	if (f.minOwed !== undefined && h.owed < f.minOwed) return false;
	if (f.maxOwed !== undefined && h.owed >= f.maxOwed) return false;
	if (f.languages && !f.languages.includes(h.language)) return false;
	if (f.excludeLanguages && f.excludeLanguages.includes(h.language)) return false;
	return true;
}

/** The segment a household belongs to, or null when none matches. */
export function segmentFor(segments: readonly SegmentDef[], h: SegmentSubject): number | null {
	const ordered = [...segments].sort((a, b) => a.sortOrder - b.sortOrder || a.id - b.id);
	return ordered.find((s) => matches(s.filter, h))?.id ?? null;
}
