/**
 * The admin page's way in: uploaded files are kept under DATA_DIR/uploads/<token>/ between the dry run and the
 * apply (they hold personal data: deleted once applied, and after a day at the latest), and run through the
 * same use case as the command line, with progress sent live to the person running it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { loadConfig } from '../config.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { DomainError, fieldProblems } from '../errors.ts';
import { issueProblems, problem } from '../../domain/field-problem.ts';
import { publishNow } from '../publish.ts';
import { fileDef } from '../../domain/import/files.ts';
import { runImport, type ImportMode, type ImportProgress, type ImportReport } from './imports.ts';
import { db, type Tx } from '../db.ts';
import { needsResolveConfirmation } from '../../domain/import/mass-resolve.ts';
import { id as idSchema } from '../validation.ts';
import * as q from './imports.queries.ts';

const KEEP_MS = 24 * 3600 * 1000;

function uploadsDir(): string {
	return path.join(loadConfig().dataDir, 'uploads');
}

/** Remove uploads older than a day (their owners left them without applying). */
export function purgeOldUploads(now = Date.now()): number {
	const dir = uploadsDir();
	if (!fs.existsSync(dir)) return 0;
	let n = 0;
	for (const e of fs.readdirSync(dir)) {
		const p = path.join(dir, e);
		if (now - fs.statSync(p).mtimeMs > KEEP_MS) {
			fs.rmSync(p, { recursive: true, force: true });
			n++;
		}
	}
	return n;
}

/** Keep uploaded files for a dry run; returns the token the apply uses. Names must be the contract's. */
export async function saveUpload(actor: Actor, files: File[]): Promise<string> {
	requirePermission(actor, 'imports.run');
	const real = files.filter((f) => f && f.size > 0 && f.name);
	if (real.length === 0) throw fieldProblems({ files: problem('choose_file', 'choose the files to import') });
	const unknown = real.filter((f) => !fileDef(f.name.normalize('NFC')));
	if (unknown.length) {
		const names = unknown.map((f) => f.name).join(', ');
		throw fieldProblems({ files: problem('unknown_file_names', `file names not in the import format: ${names}`, { names }) });
	}
	purgeOldUploads();
	const token = randomUUID();
	const dir = path.join(uploadsDir(), `${actor.id}-${token}`);
	fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
	for (const f of real) fs.writeFileSync(path.join(dir, fileDef(f.name.normalize('NFC'))!.name), Buffer.from(await f.arrayBuffer()), { mode: 0o600 });
	return token;
}

const runInput = z.object({
	token: z.uuid('unknown upload'),
	mode: z.enum(['dry_run', 'apply', 'apply_quarantine']),
	asOf: z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')]).optional(),
	encoding: z.enum(['auto', 'cp932', 'utf8']).default('auto')
});

/** Run (dry run or apply) the files of an upload. The upload belongs to the person who made it. */
export async function runUpload(actor: Actor, raw: unknown, more: { precondition?: (tx: Tx) => Promise<void> } = {}): Promise<ImportReport> {
	requirePermission(actor, 'imports.run');
	const parsed = runInput.safeParse(raw);
	if (!parsed.success) throw fieldProblems(issueProblems(raw, parsed.error.issues, { formatCode: (k) => (k === 'asOf' ? 'date_format' : 'invalid') }));
	const { token, mode, asOf, encoding } = parsed.data;
	const dir = path.join(uploadsDir(), `${actor.id}-${token}`);
	if (!fs.existsSync(dir)) throw new DomainError('not_found', 'upload not found (applied already, or older than a day)');
	const files = fs.readdirSync(dir).map((name) => ({ name, path: path.join(dir, name) }));
	let last = 0;
	const onProgress = (p: ImportProgress) => {
		const now = Date.now();
		if (p.phase === 'reading' && p.bytes !== p.totalBytes && now - last < 250) return;
		last = now;
		void publishNow({ type: 'import:progress', data: { userId: actor.id, ...p } }).catch(() => {});
	};
	const report = await runImport(actor, files, {
		mode: mode as ImportMode,
		asOf: asOf || undefined,
		encoding,
		source: 'web',
		onProgress,
		upload: { token, encoding },
		precondition: more.precondition
	});
	// applied, or refused outright: the files are not needed any more (a dry run keeps them for the apply)
	if (report.applied || report.status === 'rejected') fs.rmSync(dir, { recursive: true, force: true });
	return report;
}

/**
 * Whether a dry run's held upload can still be applied, and if not, why (the page says it in the user's words):
 * - not_uploaded: the dry run read files given on the command line (apply them there)
 * - not_yours: the upload is its uploader's (as ever: only they apply it)
 * - applied: this upload was applied already (importId: by which import)
 * - newer_import: another import was applied since (importId), so the report no longer says what applying would do
 * - files_gone: the held files were deleted (kept a day at most, and erased at contract end)
 */
export type ApplyState =
	| { ok: true; keptUntil: string }
	| { ok: false; reason: 'not_uploaded' | 'not_yours' | 'files_gone' }
	| { ok: false; reason: 'applied' | 'newer_import'; importId: number };

export async function dryRunApplyState(
	actor: Actor,
	rec: { id: number; startedById: number | null; uploadToken: string | null },
	sql = db()
): Promise<ApplyState> {
	if (!rec.uploadToken) return { ok: false, reason: 'not_uploaded' };
	if (rec.startedById !== actor.id) return { ok: false, reason: 'not_yours' };
	const applied = await q.appliedFromUpload(sql, rec.uploadToken);
	if (applied !== null) return { ok: false, reason: 'applied', importId: applied };
	const newer = await q.appliedAfter(sql, rec.id);
	if (newer !== null) return { ok: false, reason: 'newer_import', importId: newer };
	purgeOldUploads();
	const dir = path.join(uploadsDir(), `${actor.id}-${rec.uploadToken}`);
	if (!fs.existsSync(dir)) return { ok: false, reason: 'files_gone' };
	return { ok: true, keptUntil: new Date(fs.statSync(dir).mtimeMs + KEEP_MS).toISOString() };
}

/** The apply of a dry run whose report showed many households leaving the queue, without the confirmation's tick. */
export class ResolveNotConfirmed extends Error {
	constructor(public readonly resolved: number) {
		super(`confirm that ${resolved} households leave the queue`);
	}
}

const applyInput = z.object({
	importId: idSchema,
	quarantine: z.boolean().default(false),
	confirmResolved: z.boolean().default(false)
});

/**
 * Apply the upload a dry run read, from its record (the page right after the dry run, after a reload, or from the
 * history): with the dry run's own 基準日 and encoding, validated again from the files in one transaction (runImport).
 * Refused (dry_run_stale, naming why) when the dry run can no longer be applied; the check that no import was applied
 * since is made again under the import lock, so that two applies of one dry run cannot both land.
 */
export async function applyDryRun(actor: Actor, raw: unknown): Promise<ImportReport> {
	requirePermission(actor, 'imports.run');
	const parsed = applyInput.safeParse(raw);
	if (!parsed.success) throw fieldProblems(issueProblems(raw, parsed.error.issues));
	const { importId, quarantine, confirmResolved } = parsed.data;
	const sql = db();
	const rec = await q.importRecord(sql, importId);
	if (!rec || rec.status !== 'dry_run') throw new DomainError('not_found', `no dry run #${importId}`);
	const state = await dryRunApplyState(actor, rec, sql);
	if (!state.ok) {
		throw new DomainError('dry_run_stale', `dry run #${importId} cannot be applied: ${state.reason}`, { importId: state.reason }, 'importId' in state ? { importId: { importId: state.importId } } : undefined);
	}
	const resolved = Number(rec.counts.resolved ?? 0);
	if (needsResolveConfirmation(resolved, Number(rec.counts.householdsInArrears ?? 0)) && !confirmResolved) throw new ResolveNotConfirmed(resolved);
	return runUpload(
		actor,
		{ token: rec.uploadToken, mode: quarantine ? 'apply_quarantine' : 'apply', asOf: rec.asOf, encoding: rec.encoding ?? 'auto' },
		{
			precondition: async (tx) => {
				const newer = await q.appliedAfter(tx, importId);
				if (newer !== null)
					throw new DomainError('dry_run_stale', `import #${newer} was applied after dry run #${importId}`, { importId: 'newer_import' }, { importId: { importId: newer } });
			}
		}
	);
}
