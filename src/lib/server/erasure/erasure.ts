/**
 * Erasure of personal data (issue #4, item 7; docs/operations.md, "Contract end and retention").
 *
 * Contract end (`eraseAllPersonalData` from /admin/erasure, `eraseFromCommandLine` from `npm run kansho -- erase`):
 * policy (data.erase, administrators) → the typed phrase and, on the web, the administrator's password → checks
 * that can fail without harm (every table with household data is covered; a Japanese font for the PDF) → ONE
 * transaction: lock the personal tables, count them, add their numbers to the statistics, empty them, clear import
 * error texts, write the erasures record and the access-log row, publish `data:erased` (delivered on commit) →
 * after commit: delete the stored import files, seal and verify the access log's chain, and make the certificate
 * (JSON with its SHA-256, and a PDF) quoting the chain's final hash. Either every personal row is gone or none is;
 * files and the certificate follow the commit (a failure there is reported and the certificate can be made again).
 *
 * Retention (`sweepRetention`, run by every instance's sweeper): households resolved more than
 * RETENTION_DAYS_AFTER_CLOSE days ago are erased the same way in batches, each batch one transaction with its own
 * erasures record, access-log row and JSON certificate.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { db, type Tx } from '../db.ts';
import { loadConfig } from '../config.ts';
import { requirePermission, systemActor, type Actor } from '../auth/actor.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { publish } from '../publish.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { describeBreak, sealAccessLog, verifyAccessLog } from '../audit/chain.ts';
import { findUserById } from '../auth/sessions.queries.ts';
import { recheckPassword } from '../auth/recheck.ts';
import { logger } from '../log.ts';
import { tokyoDate } from '../../domain/format.ts';
import {
	buildCertificate,
	ERASE_PHRASE,
	erasedTables,
	phraseMatches,
	statisticsTables,
	uncoveredTables,
	type ErasedTable,
	type ErasureKind,
	type FilesErased
} from '../../domain/erasure.ts';
import { certificateJson, certificatePdf, FontMissingError, resolvePdfFont, sha256Hex } from './certificate.ts';
import * as q from './erasure.queries.ts';
import { deleteAllLetterFiles } from '../letters/letters.ts';

/** Advisory lock: one erasure at a time, across instances (migrations hold 4_213_001, the sealer 4_213_101). */
const ERASE_LOCK = 4_213_201;
/** Households per retention transaction, and at most this many batches per sweep. */
export const RETENTION_BATCH = 500;
const RETENTION_MAX_BATCHES = 20;
/** Key in `counts` for cleared import error texts (not a table). */
const IMPORT_ERRORS_KEY = 'imports.error';

/** Where the admin import page keeps uploaded ward files (src/lib/server/imports/uploads.ts). */
function uploadsDir(): string {
	return path.join(loadConfig().dataDir, 'uploads');
}

function sizeOf(p: string): { files: number; bytes: number } {
	const st = fs.lstatSync(p);
	if (!st.isDirectory()) return { files: 1, bytes: st.size };
	let files = 0;
	let bytes = 0;
	for (const e of fs.readdirSync(p)) {
		const s = sizeOf(path.join(p, e));
		files += s.files;
		bytes += s.bytes;
	}
	return { files, bytes };
}

/** The stored import files: uploads (one folder each), files and bytes. */
export function scanUploads(): { directory: string; entries: number; files: number; bytes: number } {
	const dir = uploadsDir();
	if (!fs.existsSync(dir)) return { directory: dir, entries: 0, files: 0, bytes: 0 };
	let files = 0;
	let bytes = 0;
	const entries = fs.readdirSync(dir);
	for (const e of entries) {
		const s = sizeOf(path.join(dir, e));
		files += s.files;
		bytes += s.bytes;
	}
	return { directory: dir, entries: entries.length, files, bytes };
}

/** Delete every stored import file; what could not be deleted is reported, not hidden. */
export function deleteUploads(): FilesErased {
	const dir = uploadsDir();
	const out: FilesErased = { directory: dir, found: 0, deleted: 0, files: 0, bytes: 0, errors: [] };
	if (!fs.existsSync(dir)) return out;
	for (const e of fs.readdirSync(dir)) {
		out.found++;
		const p = path.join(dir, e);
		try {
			const s = sizeOf(p);
			fs.rmSync(p, { recursive: true, force: true });
			out.deleted++;
			out.files += s.files;
			out.bytes += s.bytes;
		} catch (err) {
			out.errors.push(`${e}: ${(err as Error).message}`);
		}
	}
	return out;
}

export interface ErasureSummary {
	id: number;
	kind: ErasureKind;
	startedAt: Date;
	finishedAt: Date | null;
	certifiedAt: Date | null;
	actorLogin: string;
	households: number;
	totalRows: number;
	files: number;
	chainHash: string | null;
	certificateSha256: string | null;
	hasPdf: boolean;
}

function summarize(r: q.ErasureRow): ErasureSummary {
	const totalRows = erasedTables.reduce((s, t) => s + (Number(r.counts[t.table]) || 0), 0);
	return {
		id: r.id,
		kind: r.kind,
		startedAt: r.startedAt,
		finishedAt: r.finishedAt,
		certifiedAt: r.certifiedAt,
		actorLogin: r.actorLogin,
		households: Number(r.counts.households) || 0,
		totalRows,
		files: Number((r.files as { files?: number }).files) || 0,
		chainHash: r.chainHash,
		certificateSha256: r.certificateSha256,
		hasPdf: r.hasPdf
	};
}

export interface ErasurePreview {
	/** rows each personal table holds now: what the contract-end erasure would erase */
	counts: Record<ErasedTable, number>;
	totalRows: number;
	importErrors: number;
	uploads: ReturnType<typeof scanUploads>;
	retained: Awaited<ReturnType<typeof q.retainedCounts>>;
	statistics: Record<string, number>;
	/** tables with household data the erasure does not know (erasure is refused while any is listed) */
	uncovered: string[];
	font: { ok: true; path: string } | { ok: false; problem: string };
	phrase: string;
	retentionDays: number;
	ward: string | null;
	contract: string | null;
	erasures: ErasureSummary[];
}

/** What an erasure would erase now (a dry run: nothing changes), and the erasures so far. Policy: data.erase. */
export async function previewErasure(actor: Actor): Promise<ErasurePreview> {
	requirePermission(actor, 'data.erase');
	const sql = db();
	const cfg = loadConfig();
	const [counts, [{ n: importErrors }], retained, statistics, tables, rows] = await Promise.all([
		q.countAll(sql),
		sql<{ n: number }[]>`select count(*)::bigint as n from imports where error is not null`,
		q.retainedCounts(sql),
		q.statisticsRows(sql, statisticsTables),
		q.tablesWithHouseholdColumns(sql),
		q.listErasures(sql)
	]);
	let font: ErasurePreview['font'];
	try {
		font = { ok: true, path: resolvePdfFont().path };
	} catch (e) {
		font = { ok: false, problem: (e as Error).message };
	}
	return {
		counts,
		totalRows: Object.values(counts).reduce((s, n) => s + n, 0),
		importErrors,
		uploads: scanUploads(),
		retained,
		statistics,
		uncovered: uncoveredTables(tables),
		font,
		phrase: ERASE_PHRASE,
		retentionDays: cfg.RETENTION_DAYS_AFTER_CLOSE,
		ward: cfg.WARD_NAME ?? null,
		contract: cfg.CONTRACT_NAME ?? null,
		erasures: rows.map(summarize)
	};
}

const eraseInput = z
	.object({
		phrase: z.string({ error: 'required' }).trim().min(1, 'required').max(200, 'too_long'),
		password: z.string({ error: 'required' }).min(1, 'required').max(1024, 'too_long')
	})
	.superRefine((v, ctx) => {
		if (v.phrase && !phraseMatches(v.phrase)) ctx.addIssue({ code: 'custom', path: ['phrase'], message: 'phrase_mismatch' });
	});

export interface ErasureResult {
	erasureId: number;
	households: number;
	totalRows: number;
	/** the certificate, or why it could not be made (the data is erased either way; make it again from the page) */
	certificate: { sha256: string; chainHash: string } | { error: string };
}

/**
 * Erase all personal data (contract end), from the admin page. Needs the phrase typed and the administrator's
 * password again (a wrong one counts towards the sign-in lockout). Policy: data.erase.
 */
export async function eraseAllPersonalData(actor: Actor, raw: unknown): Promise<ErasureResult> {
	requirePermission(actor, 'data.erase');
	const parsed = eraseInput.safeParse(raw);
	if (!parsed.success) {
		if (parsed.error.issues.some((i) => i.message === 'phrase_mismatch'))
			await writeAccessLog(db(), actor, { action: 'data.erase', reason: 'refused: the confirmation phrase did not match; nothing erased' });
		throw invalidInput(parsed.error.issues);
	}
	await recheckPassword(actor, parsed.data.password, { field: 'password', why: 'wrong password when confirming the erasure of all personal data' });
	return runContractEnd(actor, 'web');
}

/** Erase all personal data from the command line (acts as the system, with the database's credentials). */
export async function eraseFromCommandLine(actor: Actor, raw: { phrase?: unknown }): Promise<ErasureResult> {
	requirePermission(actor, 'data.erase');
	if (!phraseMatches(raw.phrase)) {
		await writeAccessLog(db(), actor, { action: 'data.erase', reason: 'refused: the confirmation phrase did not match; nothing erased' });
		throw new DomainError('invalid_input', `--confirm: type the phrase ${ERASE_PHRASE}`, { confirm: 'phrase_mismatch' });
	}
	return runContractEnd(actor, 'cli');
}

/** The checks that can fail without harm, before anything is erased. */
async function preflight(): Promise<void> {
	const uncovered = uncoveredTables(await q.tablesWithHouseholdColumns(db()));
	if (uncovered.length)
		throw new DomainError('conflict', `tables hold household data but the erasure does not cover them: ${uncovered.join(', ')} (add them to src/lib/domain/erasure.ts)`);
	try {
		resolvePdfFont();
	} catch (e) {
		if (e instanceof FontMissingError) throw new DomainError('conflict', e.message);
		throw e;
	}
}

async function takeEraseLock(tx: Tx): Promise<boolean> {
	const [{ locked }] = await tx<{ locked: boolean }[]>`select pg_try_advisory_xact_lock(${ERASE_LOCK}) as locked`;
	return locked;
}

function totalOf(counts: Record<string, number>): number {
	return erasedTables.reduce((s, t) => s + (Number(counts[t.table]) || 0), 0);
}

function describeCounts(counts: Record<string, number>): string {
	return erasedTables
		.filter((t) => counts[t.table])
		.map((t) => `${t.table} ${counts[t.table]}`)
		.join(', ');
}

async function runContractEnd(actor: Actor, via: 'web' | 'cli'): Promise<ErasureResult> {
	await preflight();
	const startedAt = new Date();
	const today = tokyoDate(startedAt);
	let done: { erasureId: number; households: number; counts: Record<string, number> };
	try {
		done = await db().begin(async (tx) => {
			// an import merging or an operator saving finishes first; a long wait is reported, not endured
			await tx`set local lock_timeout = '20s'`;
			if (!(await takeEraseLock(tx))) throw new DomainError('conflict', 'another erasure is running');
			await tx`lock table ${tx(erasedTables.map((t) => t.table))} in access exclusive mode`;
			const counts: Record<string, number> = { ...(await q.countAll(tx)) };
			const households = await q.markHouseholds(tx, 'all');
			await q.aggregateMarked(tx, today);
			await q.truncatePersonal(tx);
			counts[IMPORT_ERRORS_KEY] = await q.clearImportErrors(tx);
			// the training data set (issue #9) is synthetic, but nothing of the center's data outlives the contract
			await q.dropTrainingSchema(tx);
			const erasureId = await q.insertErasure(tx, { kind: 'contract_end', startedAt, actorId: actor.id > 0 ? actor.id : null, actorLogin: actor.loginId, counts, accessLogId: null });
			const logId = await writeAccessLog(tx, actor, {
				action: 'data.erase',
				reason: `contract end (${via}): erasure #${erasureId}: all personal data erased: ${households} households, ${totalOf(counts)} rows (${describeCounts(counts)})`
			});
			await tx`update erasures set access_log_id = ${logId} where id = ${erasureId}`;
			const at = new Date().toISOString();
			await publish(tx, { type: 'data:erased', data: { erasureId, kind: 'contract_end', households, at } });
			await publish(tx, { type: 'queue:bulk', data: { reason: 'erased', count: households } });
			return { erasureId, households, counts };
		});
	} catch (e) {
		if ((e as { code?: string }).code === '55P03') throw new DomainError('conflict', 'the tables are busy (an import or another long task); nothing was erased, try again');
		throw e;
	}
	const log = logger('erasure');
	log.warn({ erasureId: done.erasureId, households: done.households, by: actor.loginId }, 'all personal data erased (contract end)');
	const files = deleteUploads();
	// the reminder letters' PDFs (DATA_DIR/letters) hold names, addresses and arrears too
	const letters = deleteAllLetterFiles();
	if (letters.found) {
		files.directory = `${files.directory}, ${letters.directory}`;
		files.found += letters.found;
		files.deleted += letters.deleted;
		files.files += letters.deleted;
		files.bytes += letters.bytes;
		files.errors.push(...letters.errors);
	}
	await q.setErasureFiles(db(), done.erasureId, files);
	const by = { loginId: actor.loginId, displayName: actor.displayName, role: actor.role, via };
	try {
		const c = await certify(done.erasureId, by, { verify: true });
		return { erasureId: done.erasureId, households: done.households, totalRows: totalOf(done.counts), certificate: c };
	} catch (e) {
		log.error({ err: e, erasureId: done.erasureId }, 'the erasure certificate could not be made');
		return { erasureId: done.erasureId, households: done.households, totalRows: totalOf(done.counts), certificate: { error: (e as Error).message } };
	}
}

/**
 * Make (or make again) an erasure's certificate: seal the access log (contract end: and verify the whole chain),
 * take the chain's head, build the JSON and its SHA-256, and for the contract end the PDF; store them.
 */
async function certify(
	erasureId: number,
	by: { loginId: string; displayName: string; role: string; via: 'web' | 'cli' | 'sweeper' },
	opts: { verify: boolean }
): Promise<{ sha256: string; chainHash: string }> {
	const sql = db();
	const row = await q.getErasure(sql, erasureId);
	if (!row) throw new DomainError('not_found', `no erasure #${erasureId}`);
	let verified: { ok: boolean; rows: number; problem: string | null } | null = null;
	let head: { lastSeq: number; lastHash: string };
	if (opts.verify) {
		const v = await verifyAccessLog(sql);
		verified = { ok: v.ok, rows: v.rows, problem: v.break ? describeBreak(v.break) : null };
		head = v.ok ? { lastSeq: v.lastSeq, lastHash: v.finalHash } : await q.chainHead(sql);
	} else {
		await sealAccessLog(sql, { wait: true });
		head = await q.chainHead(sql);
	}
	const counts = row.counts;
	const cfg = loadConfig();
	const certifiedAt = new Date();
	const cert = buildCertificate({
		erasureId,
		kind: row.kind,
		ward: cfg.WARD_NAME ?? null,
		contract: cfg.CONTRACT_NAME ?? null,
		by,
		startedAt: row.startedAt,
		finishedAt: row.finishedAt ?? row.startedAt,
		certifiedAt,
		counts: Object.fromEntries(erasedTables.filter((t) => counts[t.table] !== undefined).map((t) => [t.table, Number(counts[t.table])])),
		importErrorsCleared: Number(counts[IMPORT_ERRORS_KEY]) || 0,
		files: row.kind === 'contract_end' && row.files && 'found' in row.files ? (row.files as unknown as FilesErased) : null,
		retained: await q.retainedCounts(sql),
		statistics: await q.statisticsRows(sql, statisticsTables),
		accessLog: {
			entryId: row.accessLogId ?? 0,
			entryChainSeq: row.accessLogId ? await q.chainSeqOf(sql, row.accessLogId) : null,
			headChainSeq: head.lastSeq,
			headHash: head.lastHash,
			verified
		}
	});
	const json = certificateJson(cert);
	const pdf = row.kind === 'contract_end' ? await certificatePdf(cert, json.sha256) : null;
	await q.storeCertificate(sql, erasureId, {
		certifiedAt,
		chainSeq: head.lastSeq,
		chainHash: head.lastHash,
		json: json.text,
		sha256: json.sha256,
		pdf,
		pdfSha256: pdf ? sha256Hex(pdf) : null
	});
	return { sha256: json.sha256, chainHash: head.lastHash };
}

const idInput = z.object({ id: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').positive('must be positive') });

/** Make an erasure's certificate again (when making it failed after the data was erased). Policy: data.erase. */
export async function certifyAgain(actor: Actor, raw: unknown): Promise<{ sha256: string; chainHash: string }> {
	requirePermission(actor, 'data.erase');
	const parsed = idInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const row = await q.getErasure(db(), parsed.data.id);
	if (!row) throw new DomainError('not_found', `no erasure #${parsed.data.id}`);
	if (row.certifiedAt) throw new DomainError('conflict', `erasure #${row.id} has its certificate already`);
	const user = row.actorId ? await findUserById(db(), row.actorId) : undefined;
	const r = await certify(row.id, { loginId: row.actorLogin, displayName: user?.displayName ?? row.actorLogin, role: user?.role ?? 'admin', via: row.actorLogin.startsWith('system:') ? 'sweeper' : row.actorId ? 'web' : 'cli' }, { verify: row.kind === 'contract_end' });
	await writeAccessLog(db(), actor, { action: 'admin.change', reason: `erasure #${row.id}: certificate made again, sha256 ${r.sha256}` });
	return r;
}

/** The erasures so far, newest first. Policy: data.erase. */
export async function listErasures(actor: Actor): Promise<ErasureSummary[]> {
	requirePermission(actor, 'data.erase');
	return (await q.listErasures(db())).map(summarize);
}

const fileInput = z.object({
	id: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').positive('must be positive'),
	format: z.enum(['pdf', 'json'], { error: 'pdf or json' })
});

/** A certificate file to download; the download is logged (action export) with its SHA-256. Policy: data.erase. */
export async function erasureCertificateFile(actor: Actor, raw: unknown): Promise<{ body: Uint8Array<ArrayBuffer>; contentType: string; fileName: string }> {
	requirePermission(actor, 'data.erase');
	const parsed = fileInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { id, format } = parsed.data;
	const f = await q.certificateFile(db(), id);
	if (!f) throw new DomainError('not_found', `no erasure #${id}`);
	const body = format === 'pdf' ? f.pdf : f.json ? Buffer.from(f.json, 'utf8') : null;
	if (!body) throw new DomainError('not_found', `erasure #${id} has no ${format} certificate`);
	await writeAccessLog(db(), actor, { action: 'export', reason: `erasure certificate #${id} (${format}), ${body.length} bytes, sha256 ${sha256Hex(body)}` });
	return {
		body: new Uint8Array(body),
		contentType: format === 'pdf' ? 'application/pdf' : 'application/json; charset=utf-8',
		fileName: `erasure-certificate-${id}.${format}`
	};
}

export interface RetentionResult {
	batches: number;
	households: number;
	erasureIds: number[];
	/** another instance held the erasure lock */
	busy: boolean;
}

/**
 * Erase closed cases past retention: households resolved more than RETENTION_DAYS_AFTER_CLOSE days ago (0 = off),
 * RETENTION_BATCH at a time, each batch in one transaction (statistics first), logged, with a JSON certificate.
 * Also removes rejected rows of imports older than the period (not those held in quarantine) and their error texts,
 * and the access log's notes of that age whose household does not exist (any more).
 */
export async function sweepRetention(opts: { days?: number; batch?: number; maxBatches?: number } = {}): Promise<RetentionResult> {
	const days = opts.days ?? loadConfig().RETENTION_DAYS_AFTER_CLOSE;
	const out: RetentionResult = { batches: 0, households: 0, erasureIds: [], busy: false };
	if (!days) return out;
	const batch = opts.batch ?? RETENTION_BATCH;
	const actor = systemActor('system:retention');
	const sql = db();
	for (let i = 0; i < (opts.maxBatches ?? RETENTION_MAX_BATCHES); i++) {
		const first = i === 0;
		const step = await sql.begin(async (tx) => {
			if (!(await takeEraseLock(tx))) return null;
			const ids = await q.dueForRetention(tx, days, batch);
			const rejections = first ? await q.deleteOldRejections(tx, days) : 0;
			const importErrors = first ? await q.clearImportErrors(tx, days) : 0;
			const orphanNotes = first ? await q.deleteOrphanNotes(tx, days) : 0;
			if (ids.length === 0 && rejections === 0 && importErrors === 0 && orphanNotes === 0) return { erasureId: 0, households: 0 };
			const startedAt = new Date();
			await q.markHouseholds(tx, ids);
			const marked = await q.countMarked(tx);
			const counts: Record<string, number> = { ...marked, access_log_notes: (marked.access_log_notes ?? 0) + orphanNotes, import_rejections: rejections, [IMPORT_ERRORS_KEY]: importErrors };
			await q.aggregateMarked(tx, tokyoDate(startedAt));
			await q.deleteMarked(tx);
			const erasureId = await q.insertErasure(tx, { kind: 'retention', startedAt, actorId: null, actorLogin: actor.loginId, counts, accessLogId: null });
			const logId = await writeAccessLog(tx, actor, {
				action: 'data.erase',
				reason: `retention (${days} days after close): erasure #${erasureId}: ${ids.length} closed households, ${totalOf(counts)} rows (${describeCounts(counts)})`
			});
			await tx`update erasures set access_log_id = ${logId} where id = ${erasureId}`;
			if (ids.length > 0) {
				await publish(tx, { type: 'data:erased', data: { erasureId, kind: 'retention', households: ids.length, at: new Date().toISOString() } });
				await publish(tx, { type: 'queue:bulk', data: { reason: 'erased', count: ids.length } });
			}
			return { erasureId, households: ids.length };
		});
		if (!step) {
			out.busy = true;
			break;
		}
		if (step.erasureId === 0) break;
		out.batches++;
		out.households += step.households;
		out.erasureIds.push(step.erasureId);
		await certify(step.erasureId, { loginId: actor.loginId, displayName: 'retention (sweeper)', role: 'system', via: 'sweeper' }, { verify: false });
		if (step.households < batch) break;
	}
	return out;
}
