/** The admin page's lists: import history, one import's report opened again, and quarantined rows. Policy: imports.run. */
import { z } from 'zod';
import { db } from '../db.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { id } from '../validation.ts';
import { isFileProblemCode, type FileProblemCode } from '../../domain/import/problems.ts';
import type { Encoding } from '../../domain/import/encoding.ts';
import type { FileReport, ImportReport } from './imports.ts';
import { dryRunApplyState, type ApplyState } from './uploads.ts';
import * as q from './imports.queries.ts';

export async function importHistory(actor: Actor) {
	requirePermission(actor, 'imports.run');
	return q.listImports(db());
}

/** How many invalid rows a report lists (the rest are counted; the command line's --json gives them all). */
export const SHOWN_REJECTIONS = 1000;

const CHANGE_KEYS = ['newHouseholds', 'knownHouseholds', 'newReceipts', 'changedReceipts', 'resolved', 'reactivated', 'promisesKept', 'promisesPartlyKept', 'promisesBroken', 'suppressed'] as const;
const SUMMARY_KEYS = ['householdsInArrears', 'totalArrearsYen', 'householdsWithoutValidPhone'] as const;

/** An import's report as its record keeps it: what the page showed after the run, shown again. */
export interface StoredReport {
	importId: number;
	status: string;
	mode: string;
	kind: 'full' | 'delta' | null;
	asOf: string;
	startedAt: Date;
	startedBy: string | null;
	source: string;
	files: FileReport[];
	counts: Record<string, number>;
	changes: ImportReport['changes'];
	summary: ImportReport['summary'];
	seconds: number;
	/** every problem with a whole file */
	fileErrors: { file: string; line: number; column: string | null; reason: string; problem: FileProblemCode }[];
	/** the first SHOWN_REJECTIONS row problems */
	rejected: { file: string; line: number; column: string | null; reason: string }[];
	/** row problems (cells) in all, and the rows they are on */
	rejectedTotal: number;
	invalidRows: number;
	/** why a failed import failed */
	error: string | null;
}

/**
 * One import's report, read from its record (a dry run's report after a reload, or any history row opened), and
 * for a dry run whether its held files can still be applied and by whom. Rejection reasons may quote a resident's
 * values, so opening one is written to the access log.
 */
export async function openImport(actor: Actor, raw: unknown): Promise<{ report: StoredReport; apply: ApplyState | null }> {
	requirePermission(actor, 'imports.run');
	const parsed = z.object({ importId: id }).safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const sql = db();
	const rec = await q.importRecord(sql, parsed.data.importId);
	if (!rec) throw new DomainError('not_found', `no import #${parsed.data.importId}`);
	const rej = await q.reportRejections(sql, rec.id, SHOWN_REJECTIONS);
	await writeAccessLog(sql, actor, { action: 'import', reason: `import #${rec.id} report opened` });
	const counts = Object.fromEntries(Object.entries(rec.counts).filter(([, v]) => typeof v === 'number')) as Record<string, number>;
	const pick = <K extends string>(keys: readonly K[]) => (keys[0] in counts ? (Object.fromEntries(keys.map((k) => [k, counts[k] ?? 0])) as Record<K, number>) : null);
	const report: StoredReport = {
		importId: rec.id,
		status: rec.status,
		mode: rec.mode,
		kind: rec.kind,
		asOf: rec.asOf,
		startedAt: rec.startedAt,
		startedBy: rec.startedBy,
		source: rec.source,
		files: rec.files.map((f) => ({ name: f.name, size: f.size, sha256: f.sha256, encoding: f.encoding as Encoding, rows: f.rows, accepted: f.accepted ?? 0, unknownColumns: f.unknownColumns ?? [] })),
		counts,
		changes: pick(CHANGE_KEYS),
		summary: pick(SUMMARY_KEYS),
		seconds: Number(counts.seconds ?? 0),
		fileErrors: rej.lines.flatMap((l) => (isFileProblemCode(l.problem) ? [{ file: l.file, line: l.line, column: l.column, reason: l.reason, problem: l.problem }] : [])),
		rejected: rej.lines.filter((l) => !l.problem).map(({ file, line, column, reason }) => ({ file, line, column, reason })),
		rejectedTotal: rej.rowProblems,
		invalidRows: rej.invalidRows,
		error: rec.status === 'failed' ? rec.error : null
	};
	const apply = rec.status === 'dry_run' ? await dryRunApplyState(actor, rec, sql) : null;
	return { report, apply };
}


export async function quarantine(actor: Actor) {
	requirePermission(actor, 'imports.run');
	return q.listQuarantine(db());
}

/** Dismiss a quarantined row (it was fixed at the source, or is not wanted); kept for the record. */
export async function dismissQuarantined(actor: Actor, raw: unknown): Promise<void> {
	requirePermission(actor, 'imports.run');
	const parsed = z.object({ rejectionId: id }).safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	if (!(await q.dismissRejection(db(), parsed.data.rejectionId, actor.id > 0 ? actor.id : null))) throw new DomainError('not_found', 'no such quarantined row');
}
