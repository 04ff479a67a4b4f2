/**
 * What is wrong with an import, as the page says it: problems with a whole file (a required column missing, a
 * column twice, an individual number, unreadable …) come first and are named by file and column; invalid rows are
 * counted as rows (a row with two bad cells is one row). A file-level problem is never counted as an invalid row,
 * and while any file has one the rows are not checked against the other files (a file read only up to its header
 * would make every row that hangs off it look orphaned). Pure.
 */

/** What is wrong with a whole file. The page words each code (i18n imports.fileProblem.<code>). */
export const fileProblemCodes = [
	'missing_column',
	'duplicate_column',
	'my_number_header',
	'my_number_values',
	'empty',
	'no_households',
	'csv_syntax',
	'unreadable'
] as const;
export type FileProblemCode = (typeof fileProblemCodes)[number];

export function isFileProblemCode(v: unknown): v is FileProblemCode {
	return typeof v === 'string' && (fileProblemCodes as readonly string[]).includes(v);
}

export interface ProblemLine {
	file: string;
	line: number;
	column: string | null;
	reason: string;
	/** set for a problem with the whole file */
	problem?: FileProblemCode | null;
}

export interface FileProblems {
	file: string;
	/** required columns the header lacks, in the file's order of report */
	missingColumns: string[];
	/** every other problem of the file, one each */
	others: (ProblemLine & { problem: FileProblemCode })[];
}

export interface ProblemSummary {
	/** per file with a problem, in the order first reported */
	files: FileProblems[];
	/** invalid rows: distinct (file, line) among the row problems */
	invalidRows: number;
	/** the row problems (cells), for the table */
	rowProblems: number;
	/** rows were checked against the other files (duplicates within a file are checked in any case) */
	crossChecked: boolean;
}

/** File-level problems first, grouped per file; rows counted once each. Row problems with a problem code count as file problems. */
export function summarizeProblems(lines: readonly ProblemLine[]): ProblemSummary {
	const byFile = new Map<string, FileProblems>();
	const rows = new Set<string>();
	let rowProblems = 0;
	for (const l of lines) {
		if (l.problem) {
			let f = byFile.get(l.file);
			if (!f) byFile.set(l.file, (f = { file: l.file, missingColumns: [], others: [] }));
			if (l.problem === 'missing_column' && l.column) f.missingColumns.push(l.column);
			else f.others.push({ ...l, problem: l.problem });
			continue;
		}
		rowProblems++;
		rows.add(`${l.file}\u0000${l.line}`);
	}
	return { files: [...byFile.values()], invalidRows: rows.size, rowProblems, crossChecked: byFile.size === 0 };
}
