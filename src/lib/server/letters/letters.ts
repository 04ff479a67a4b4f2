/**
 * Reminder letters (催告書, issue #7 part 3): candidates, batches and their PDF, the label CSV, the batch's steps
 * (generated → printed → sealed → mailed, each with who and when), returned mail (宛所不明: flags the address),
 * and the administrator's template and settings.
 *
 * Who may do what (roles.ts): supervisors and staff (letters.manage) everything on /letters; an operator
 * (letters.print) only downloads the PDF of a batch assigned to them; administrators (letters.configure) edit the
 * template and the candidate settings. Every letter made and every download writes one access-log row per
 * household (letter.generate, letter.download), in the same transaction as the batch or before the file leaves.
 *
 * Generation is a job on the instance that created the batch: the batch and its items (the snapshot of name, address
 * and arrears) are written in one transaction, then the PDF is streamed to DATA_DIR/letters/batch-<id>.pdf, the
 * progress (pages done / total) kept on the batch row, which the pages poll. A batch whose progress stops (the
 * instance died) is marked failed by the sweeper. PDFs are deleted once the batch is mailed or after
 * `pdf_keep_days` (settings), whichever is first, and at contract end with everything else.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { Transform, type Writable } from 'node:stream';
import iconv from 'iconv-lite';
import { z } from 'zod';
import { db } from '../db.ts';
import { loadConfig } from '../config.ts';
import { can } from '../../domain/roles.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { DomainError, fieldProblems, invalidInput } from '../errors.ts';
import { issueProblems, problem } from '../../domain/field-problem.ts';
import { writeAccessLog, writeAccessLogForHouseholds } from '../audit/audit.ts';
import { id, isoDate } from '../validation.ts';
import { logger } from '../log.ts';
import { tokyoDate } from '../../domain/format.ts';
import { loadCallingRules } from '../queue/rules.ts';
import { cp932Safe } from '../exports/cp932.ts';
import { csvField } from '../exports/exports.ts';
import {
	batchSteps,
	candidateReasons,
	letterContent,
	previousState,
	printable,
	referenceNumber,
	checkReferenceNumber,
	placeholderFields,
	returnReasons,
	summarizeCandidates,
	templateFields,
	templateLimits,
	type CandidateSummary,
	type LetterTemplateText,
	type TemplateField
} from '../../domain/letters.ts';
import { letterPdf } from './pdf.ts';
import * as q from './letters.queries.ts';

export type { BatchRow, ReturnRow, SettingsRow, TemplateRow } from './letters.queries.ts';

/** One batch is created at a time (two at once could take the same households). */
const LETTERS_LOCK = 0x6c657474; // 'lett'
/** A 'generating' batch whose progress has not moved for this long is marked failed (its instance stopped). */
export const STALE_GENERATION_SECONDS = 300;
const CHUNK = 500;
const PROGRESS_EVERY = 250;
export const MAX_BATCH = 20_000;

/** Where the PDFs are kept (0700). */
export function lettersDir(): string {
	return path.join(loadConfig().dataDir, 'letters');
}

const PERSONAL_FIELDS = ['name', 'address', 'arrears'] as const;

function requireManage(actor: Actor | null | undefined): asserts actor is Actor {
	requirePermission(actor, 'letters.manage');
}

// ─── candidates ─────────────────────────────────────────────────────────────

async function candidates(tx: Parameters<typeof q.letterFacts>[0], today: string): Promise<{ summary: CandidateSummary; settings: q.SettingsRow; owed: Map<number, number> }> {
	const settings = await q.readSettings(tx);
	const rules = await loadCallingRules(tx);
	const facts = await q.letterFacts(tx, today, rules.paymentSuppressDays);
	const owed = new Map(facts.map((f) => [f.householdId, f.owed]));
	return { summary: summarizeCandidates(facts, settings, today), settings, owed };
}

export interface CandidatePreview {
	today: string;
	/** template fields still holding the installed placeholders (〇〇区役所, 03-0000-0000): no batch until filled in */
	placeholders: TemplateField[];
	candidates: CandidateSummary['candidates'];
	total: number;
	excluded: CandidateSummary['excluded'];
	settings: q.SettingsRow;
}

/** Counts only (no personal data): candidates by reason, exclusions by kind. */
export async function previewCandidates(actor: Actor): Promise<CandidatePreview> {
	requireManage(actor);
	const today = tokyoDate();
	const { summary, settings, placeholders } = await db().begin(async (tx) => {
		await tx`set local jit = off`;
		const placeholders = placeholderFields(await q.currentTemplate(tx));
		return { ...(await candidates(tx, today)), placeholders };
	});
	return { today, placeholders, candidates: summary.candidates, total: summary.total, excluded: summary.excluded, settings };
}

// ─── batches ────────────────────────────────────────────────────────────────

const running = new Map<number, Promise<void>>();

/** Resolves when this instance's generation of the batch ends (tests, the benchmark, the CLI). */
export function generationDone(batchId: number): Promise<void> {
	return running.get(batchId) ?? Promise.resolve();
}

const optionalId = z.union([z.literal('').transform(() => null), z.null(), id]).optional();

/**
 * A required whole number from `min` to `max`, as a number or typed (full-width digits are read as digits: NFKC).
 * Refusals are field codes the pages word (validation.<code>): required, whole_number, min_value, max_value.
 */
const wholeNumber = (min: number, max: number) => z.unknown().transform((v, ctx) => {
	const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.normalize('NFKC').trim() : '';
	const refuse = (code: string, message: string, params: Record<string, number> = {}) => {
		ctx.addIssue({ code: 'custom', message, params: { code, ...params } });
		return z.NEVER;
	};
	if (text === '') return refuse('required', 'required');
	if (!/^[-+]?\d{1,9}$/.test(text)) return refuse('whole_number', 'must be a whole number');
	const n = Number(text);
	if (n < min) return refuse('min_value', `at least ${min}`, { min });
	if (n > max) return refuse('max_value', `at most ${max}`, { max });
	return n;
});

/** 最大件数: required (never defaulted: a blank field must not become thousands of letters), 1 to MAX_BATCH. */
const batchLimit = wholeNumber(1, MAX_BATCH);

const createInput = z.object({
	reasons: z
		.array(z.enum(candidateReasons, { error: 'unknown reason' }))
		.min(1, 'required')
		.default([...candidateReasons]),
	limit: batchLimit,
	assignedTo: optionalId
});

/**
 * The person a batch is given to must be an active operator (one disabled, or whose role changed, since the page
 * listed them is refused): the form's field (`field`) named with the stable code `not_active_operator`.
 */
async function checkOperator(tx: Parameters<typeof q.userRole>[0], userId: number | null | undefined, field: 'assignedTo' | 'operatorId'): Promise<void> {
	if (!userId) return;
	const u = await q.userRole(tx, userId);
	if (!u || u.role !== 'operator' || u.disabled) throw fieldProblems({ [field]: problem('not_active_operator', 'not an active operator') });
}

/**
 * Create a batch of the current candidates (largest arrears first, up to `limit`), and start its PDF. One
 * transaction: the batch, its items with their reference numbers and snapshots, one access-log row per household.
 */
export async function createBatch(actor: Actor, raw: unknown): Promise<{ batchId: number; households: number }> {
	requireManage(actor);
	const parsed = createInput.safeParse(raw ?? {});
	if (!parsed.success) throw fieldProblems(issueProblems(raw ?? {}, parsed.error.issues));
	const { reasons, limit, assignedTo } = parsed.data;
	const today = tokyoDate();
	const result = await db().begin(async (tx) => {
		await tx`set local jit = off`;
		await tx`select pg_advisory_xact_lock(${LETTERS_LOCK})`;
		// letters with 「〇〇区役所」 and 「03-0000-0000」 tell residents nothing true: an administrator fills in the ward's details first
		const template = await q.currentTemplate(tx);
		const placeholders = placeholderFields(template);
		if (placeholders.length > 0) throw placeholdersRefusal(placeholders);
		await checkOperator(tx, assignedTo, 'assignedTo');
		const { summary, owed } = await candidates(tx, today);
		const picked = summary.ids
			.filter((c) => reasons.includes(c.reason))
			.sort((a, b) => (owed.get(b.householdId) ?? 0) - (owed.get(a.householdId) ?? 0) || a.householdId - b.householdId)
			.slice(0, limit);
		if (picked.length === 0) throw new DomainError('conflict', 'no letter candidates: nothing to send', { reasons: 'no_candidates' });
		const batchId = await q.insertBatch(tx, { templateId: template.id, households: picked.length, issuedOn: today, createdBy: actor.id > 0 ? actor.id : null, assignedTo: assignedTo ?? null });
		const items = picked.map((c, i) => ({ householdId: c.householdId, seq: i + 1, referenceNumber: referenceNumber(batchId, i + 1), reason: c.reason }));
		await q.insertItems(tx, batchId, items, today);
		await writeAccessLogForHouseholds(tx, actor, { action: 'letter.generate', fields: PERSONAL_FIELDS, reason: `letter batch #${batchId} (template v${template.version})` }, items.map((i) => i.householdId));
		return { batchId, households: items.length };
	});
	startGeneration(result.batchId);
	return result;
}

/** The refusal of a batch while the letter settings are the installed placeholders: which template fields to fill in. */
function placeholdersRefusal(fields: readonly TemplateField[]): DomainError {
	return new DomainError(
		'letter_placeholders',
		`the letter template still holds placeholders (${fields.join(', ')}): an administrator fills in the ward's details on /admin/letters first`,
		Object.fromEntries(fields.map((f) => [f, 'placeholder']))
	);
}

function startGeneration(batchId: number): void {
	const job = generate(batchId)
		.catch((e) => logger('letters').error({ err: e, batchId }, 'letter generation failed'))
		.finally(() => running.delete(batchId));
	running.set(batchId, job);
}

/** The batch's PDF, streamed to DATA_DIR/letters; progress on the batch row every PROGRESS_EVERY pages. */
async function generate(batchId: number): Promise<void> {
	const sql = db();
	const dir = lettersDir();
	const final = path.join(dir, `batch-${batchId}.pdf`);
	const tmp = `${final}.part`;
	try {
		const batch = await q.getBatch(sql, batchId);
		if (!batch || batch.state !== 'generating') return;
		const template = await q.templateById(sql, batch.templateId);
		if (!template) throw new Error(`template ${batch.templateId} is gone`);
		const settings = await q.readSettings(sql);
		fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
		const file = fs.createWriteStream(tmp, { mode: 0o600 });
		const hash = createHash('sha256');
		let bytes = 0;
		const tap = new Transform({
			transform(chunk: Buffer, _enc, cb) {
				hash.update(chunk);
				bytes += chunk.length;
				cb(null, chunk);
			}
		});
		tap.pipe(file);
		const pdf = letterPdf(tap, { title: `催告書 batch #${batchId}` });
		let done = 0;
		let gaijiLetters = 0;
		let after = 0;
		for (;;) {
			const items = await q.itemsPage(sql, batchId, after, CHUNK);
			if (items.length === 0) break;
			for (const it of items) {
				const before = pdf.marked;
				const content = letterContent(it.snapshot, template, { referenceNumber: it.referenceNumber, issuedOn: batch.issuedOn });
				pdf.add(content);
				// a 外字 in the data, or a character the font lacks: 〓 on the page, to be written in by hand
				if (content.gaiji.length > 0 || pdf.marked > before) gaijiLetters++;
				done++;
				if (done % PROGRESS_EVERY === 0) {
					await q.setProgress(sql, batchId, done);
					await pdf.drain();
				}
			}
			after = items[items.length - 1].seq;
		}
		await pdf.end();
		if (!file.closed) await once(file, 'close');
		fs.renameSync(tmp, final);
		const expiresAt = new Date(Date.now() + settings.pdfKeepDays * 86_400_000);
		const ok = await q.markGenerated(sql, batchId, { path: final, bytes, sha256: hash.digest('hex'), expiresAt, gaijiLetters, done });
		if (!ok) fs.rmSync(final, { force: true });
	} catch (e) {
		fs.rmSync(tmp, { force: true });
		fs.rmSync(final, { force: true });
		await q.markFailed(sql, batchId, (e as Error).message);
		throw e;
	}
}

const batchRef = z.object({ batchId: id });

/** Batches for supervisors and staff (letters.manage), newest first. */
export async function listBatches(actor: Actor): Promise<q.BatchRow[]> {
	requireManage(actor);
	return q.listBatches(db());
}

/** The batches assigned to the operator (letters.print): print only. */
export async function myBatches(actor: Actor): Promise<q.BatchRow[]> {
	requirePermission(actor, 'letters.print');
	return q.listBatches(db(), { assignedTo: actor.id });
}

/**
 * The current template's fields that still hold the installed placeholders, for the warning on the operator's print
 * page (letters.print) and the administrator's setup page (letters.configure); staff see it in previewCandidates.
 */
export async function templatePlaceholders(actor: Actor): Promise<TemplateField[]> {
	if (!can(actor.role, 'letters.manage') && !can(actor.role, 'letters.configure')) requirePermission(actor, 'letters.print');
	return placeholderFields(await q.currentTemplate(db()));
}

export async function getBatch(actor: Actor, raw: unknown): Promise<q.BatchRow> {
	const parsed = batchRef.safeParse(raw ?? {});
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	if (!can(actor.role, 'letters.manage')) requirePermission(actor, 'letters.print');
	const b = await q.getBatch(db(), parsed.data.batchId);
	if (!b) throw new DomainError('not_found', 'no such batch');
	if (!can(actor.role, 'letters.manage') && b.assignedTo !== actor.id) throw new DomainError('forbidden', 'this batch is not assigned to you');
	return b;
}

export interface PdfDownload {
	stream: fs.ReadStream;
	bytes: number;
	sha256: string;
	fileName: string;
}

/**
 * The batch's PDF: letters.manage, or letters.print for a batch assigned to the operator (anything else: 403, logged
 * as nothing leaves). The file is opened first, then one access-log row per household is written, then it is sent.
 */
export async function downloadPdf(actor: Actor, raw: unknown): Promise<PdfDownload> {
	const manage = actor && can(actor.role, 'letters.manage');
	if (!manage) requirePermission(actor, 'letters.print');
	const parsed = batchRef.safeParse(raw ?? {});
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { batchId } = parsed.data;
	return db().begin(async (tx) => {
		const b = await q.lockBatch(tx, batchId);
		if (!b) throw new DomainError('not_found', 'no such batch');
		if (!manage && b.assignedTo !== actor.id) throw new DomainError('forbidden', 'this batch is not assigned to you');
		if (b.state === 'generating') throw new DomainError('conflict', 'the PDF is still being made');
		if (b.state === 'failed') throw new DomainError('conflict', 'the batch failed: create it again');
		if (!b.pdfPath || b.pdfDeletedAt) throw new DomainError('not_found', 'the PDF was deleted (mailed, or past its keeping period)');
		const row = await q.getBatch(tx, batchId);
		const stream = fs.createReadStream(b.pdfPath);
		await once(stream, 'open').catch(() => {
			throw new DomainError('not_found', 'the PDF file is missing');
		});
		const households = await q.itemHouseholds(tx, batchId);
		await writeAccessLogForHouseholds(tx, actor, { action: 'letter.download', fields: PERSONAL_FIELDS, reason: `letter batch #${batchId} PDF (${b.households} letters, sha256 ${row!.pdfSha256})` }, households);
		return { stream, bytes: row!.pdfBytes ?? 0, sha256: row!.pdfSha256 ?? '', fileName: `letters-batch-${batchId}.pdf` };
	});
}

export const LABEL_HEADERS = ['郵便番号', '住所', '方書', '氏名', '整理番号', '外字'] as const;

const labelsInput = z.object({ batchId: id, encoding: z.enum(['cp932', 'utf8']).default('cp932') });

/**
 * The address labels as CSV (CP932 by default, or UTF-8 with BOM; CRLF): 〒, address, 方書, name with 様, reference
 * number, and whether a 外字 was marked as 〓. letters.manage only (operators print the PDF and nothing else).
 */
export async function writeLabelsCsv(actor: Actor, raw: unknown, out: Writable): Promise<{ bytes: number; sha256: string; rows: number }> {
	requireManage(actor);
	const parsed = labelsInput.safeParse(raw ?? {});
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { batchId, encoding } = parsed.data;
	const sql = db();
	const b = await q.getBatch(sql, batchId);
	if (!b) throw new DomainError('not_found', 'no such batch');
	if (b.state === 'failed') throw new DomainError('conflict', 'the batch failed: create it again');
	const rows = await q.labelRows(sql, batchId);
	const hash = createHash('sha256');
	let bytes = 0;
	const write = async (text: string) => {
		const buf = encoding === 'cp932' ? iconv.encode(cp932Safe(text).text, 'cp932') : Buffer.from(text, 'utf8');
		hash.update(buf);
		bytes += buf.length;
		if (!out.write(buf)) await once(out, 'drain');
	};
	if (encoding === 'utf8') await write('\uFEFF');
	await write(LABEL_HEADERS.join(',') + '\r\n');
	let chunk = '';
	for (const r of rows) {
		const s = r.snapshot;
		const name = printable(s.name);
		const addr = printable(s.address);
		const extra = printable(s.addressExtra ?? '');
		const postal = (s.postalCode ?? '').normalize('NFKC').replace(/[^0-9]/g, '');
		chunk += [postal.length === 7 ? `${postal.slice(0, 3)}-${postal.slice(3)}` : (s.postalCode ?? ''), addr.text, extra.text, `${name.text} 様`, r.referenceNumber, name.marked + addr.marked + extra.marked > 0 ? '有' : '']
			.map(csvField)
			.join(',') + '\r\n';
		if (chunk.length > 64_000) {
			await write(chunk);
			chunk = '';
		}
	}
	if (chunk) await write(chunk);
	const sha256 = hash.digest('hex');
	await db().begin(async (tx) => {
		await writeAccessLogForHouseholds(tx, actor, { action: 'letter.download', fields: ['name', 'address'], reason: `letter batch #${batchId} labels CSV ${encoding} (${rows.length} rows, sha256 ${sha256})` }, rows.map((r) => r.householdId));
	});
	return { bytes, sha256, rows: rows.length };
}

const stepInput = z.object({ batchId: id, step: z.enum(batchSteps, { error: 'unknown step' }), version: id });

/** Record that the batch was printed, sealed (封入封緘) or mailed: each only after the one before, with who and when. */
export async function advanceBatch(actor: Actor, raw: unknown): Promise<q.BatchRow> {
	requireManage(actor);
	const parsed = stepInput.safeParse(raw ?? {});
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { batchId, step, version } = parsed.data;
	const row = await db().begin(async (tx) => {
		const b = await q.lockBatch(tx, batchId);
		if (!b) throw new DomainError('not_found', 'no such batch');
		if (b.version !== version) throw new DomainError('conflict', 'the batch changed meanwhile: reload');
		if (b.state !== previousState(step)) throw new DomainError('conflict', `the batch is ${b.state}: ${step} comes after ${previousState(step)}`);
		await q.setStep(tx, batchId, step, actor.id > 0 ? actor.id : null);
		await writeAccessLog(tx, actor, { action: 'letter.state', reason: `letter batch #${batchId}: ${b.state} → ${step} (${b.households} letters)` });
		return (await q.getBatch(tx, batchId))!;
	});
	// mailed: the PDF is not needed any more
	if (step === 'mailed') await deleteBatchPdf(batchId);
	return (await q.getBatch(db(), batchId)) ?? row;
}

const assignInput = z.object({ batchId: id, operatorId: optionalId });

/** Let one operator print (download) the batch, or nobody (operators see only batches assigned to them). */
export async function assignBatch(actor: Actor, raw: unknown): Promise<void> {
	requireManage(actor);
	const parsed = assignInput.safeParse(raw ?? {});
	if (!parsed.success) throw fieldProblems(issueProblems(raw ?? {}, parsed.error.issues));
	const { batchId, operatorId } = parsed.data;
	await db().begin(async (tx) => {
		const b = await q.lockBatch(tx, batchId);
		if (!b) throw new DomainError('not_found', 'no such batch');
		await checkOperator(tx, operatorId, 'operatorId');
		await q.setAssignee(tx, batchId, operatorId ?? null);
		await writeAccessLog(tx, actor, { action: 'letter.state', reason: `letter batch #${batchId}: print assigned to ${operatorId ? `user #${operatorId}` : 'nobody'}` });
	});
}

async function deleteBatchPdf(batchId: number): Promise<void> {
	await db().begin(async (tx) => {
		const b = await q.lockBatch(tx, batchId);
		if (!b?.pdfPath || b.pdfDeletedAt) return;
		fs.rmSync(b.pdfPath, { force: true });
		await q.markPdfDeleted(tx, batchId);
	});
}

// ─── returned mail ──────────────────────────────────────────────────────────

const returnInput = z.object({
	referenceNumber: z
		.string({ error: 'required' })
		.trim()
		.min(1, 'required')
		.max(40, 'too_long')
		.transform((s, ctx) => {
			const r = checkReferenceNumber(s);
			if (!r.ok) {
				ctx.addIssue({
					code: 'custom',
					message: r.problem === 'reference_check_digit' ? 'its check digit is wrong (mistyped?)' : 'not a reference number (L-000000-00000-0)',
					params: { code: r.problem }
				});
				return z.NEVER;
			}
			return r.text;
		}),
	returnedOn: isoDate,
	reason: z.enum(returnReasons, { error: 'unknown reason' }).default('unknown_address'),
	note: z
		.string()
		.trim()
		.max(500, 'at most 500 characters')
		.optional()
		.transform((s) => s || null)
});

/**
 * Record returned mail by the reference number printed on the letter: the household's address is flagged (shown to
 * staff here, no further letters) until staff resolve it.
 */
export async function recordReturn(actor: Actor, raw: unknown): Promise<{ returnId: number; householdId: number; nhiNumber: string; referenceNumber: string }> {
	requireManage(actor);
	const parsed = returnInput.safeParse(raw ?? {});
	if (!parsed.success) throw fieldProblems(issueProblems(raw ?? {}, parsed.error.issues, { formatCode: (k) => (k === 'returnedOn' ? 'date_format' : 'invalid') }));
	const { referenceNumber: ref, returnedOn, reason, note } = parsed.data;
	if (returnedOn > tokyoDate()) throw fieldProblems({ returnedOn: problem('future_date', 'in the future') });
	return db().begin(async (tx) => {
		const item = await q.itemByReference(tx, ref);
		// the number is well formed; these say what is true of it, as field codes (validation.<code>)
		if (!item) throw new DomainError('not_found', `referenceNumber: no letter has the reference number ${ref}`, { referenceNumber: 'reference_unknown' }, { referenceNumber: { ref } });
		if (await q.openReturnFor(tx, ref))
			throw new DomainError('conflict', `referenceNumber: returned mail for ${ref} is recorded already`, { referenceNumber: 'return_recorded_already' }, { referenceNumber: { ref } });
		const returnId = await q.insertReturn(tx, { householdId: item.householdId, batchId: item.batchId, referenceNumber: ref, reason, returnedOn, note, by: actor.id > 0 ? actor.id : null });
		await writeAccessLog(tx, actor, { action: 'letter.returned', householdId: item.householdId, reason: `returned mail ${ref} (${reason}, ${returnedOn}): address flagged`, note: note ?? undefined });
		return { returnId, householdId: item.householdId, nhiNumber: item.nhiNumber, referenceNumber: ref };
	});
}

/** Staff checked the address (a new one imported, or confirmed): the flag is lifted. */
export async function resolveReturn(actor: Actor, raw: unknown): Promise<void> {
	requireManage(actor);
	const parsed = z.object({ returnId: id }).safeParse(raw ?? {});
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	await db().begin(async (tx) => {
		const r = await q.resolveReturn(tx, parsed.data.returnId, actor.id > 0 ? actor.id : null);
		if (!r) throw new DomainError('not_found', 'no open returned mail with this id');
		await writeAccessLog(tx, actor, { action: 'letter.returned', householdId: r.householdId, reason: `returned mail #${parsed.data.returnId} resolved: address flag lifted` });
	});
}

export async function listReturns(actor: Actor): Promise<q.ReturnRow[]> {
	requireManage(actor);
	return q.listReturns(db());
}

export async function listOperators(actor: Actor): Promise<{ id: number; displayName: string; loginId: string }[]> {
	requireManage(actor);
	return q.operators(db());
}

// ─── template and settings (administrators) ─────────────────────────────────

export async function letterSetup(actor: Actor): Promise<{ template: q.TemplateRow; settings: q.SettingsRow }> {
	requirePermission(actor, 'letters.configure');
	const sql = db();
	return { template: await q.currentTemplate(sql), settings: await q.readSettings(sql) };
}

const templateInput = z.object({
	...Object.fromEntries(
		templateFields.map((f) => [
			f,
			z
				.string({ error: 'required' })
				.trim()
				.transform((s) => s.replace(/\r\n/g, '\n'))
				.pipe(z.string().min(1, 'required').max(templateLimits[f], `at most ${templateLimits[f]} characters`))
		])
	),
	basedOn: id
}) as unknown as z.ZodType<LetterTemplateText & { basedOn: number }>;

/** Save the template as a new version (batches keep the version they used); refused when someone saved first. */
export async function saveTemplate(actor: Actor, raw: unknown): Promise<q.TemplateRow> {
	requirePermission(actor, 'letters.configure');
	const parsed = templateInput.safeParse(raw ?? {});
	if (!parsed.success) throw fieldProblems(issueProblems(raw ?? {}, parsed.error.issues));
	const { basedOn, ...text } = parsed.data;
	return db().begin(async (tx) => {
		const row = await q.insertTemplate(tx, text, basedOn, actor.id > 0 ? actor.id : null);
		if (!row) throw new DomainError('conflict', 'the template was saved by someone else meanwhile: reload');
		await writeAccessLog(tx, actor, { action: 'letter.configure', reason: `letter template v${row.version}` });
		return row;
	});
}

const settingsInput = z.object({
	attemptsThreshold: wholeNumber(1, 100),
	distinctSlots: wholeNumber(1, 3),
	resendIntervalDays: wholeNumber(1, 3650),
	pdfKeepDays: wholeNumber(1, 90),
	version: id
});

export async function saveSettings(actor: Actor, raw: unknown): Promise<q.SettingsRow> {
	requirePermission(actor, 'letters.configure');
	const parsed = settingsInput.safeParse(raw ?? {});
	if (!parsed.success) throw fieldProblems(issueProblems(raw ?? {}, parsed.error.issues));
	const { version, ...s } = parsed.data;
	return db().begin(async (tx) => {
		const row = await q.updateSettings(tx, s, version, actor.id > 0 ? actor.id : null);
		if (!row) throw new DomainError('conflict', 'the settings were saved by someone else meanwhile: reload');
		await writeAccessLog(tx, actor, {
			action: 'letter.configure',
			reason: `letter settings v${row.version}: ${s.attemptsThreshold} attempts in ${s.distinctSlots} slots, re-send after ${s.resendIntervalDays} days, PDF kept ${s.pdfKeepDays} days`
		});
		return row;
	});
}

// ─── housekeeping ───────────────────────────────────────────────────────────

/**
 * The sweeper's part: batches whose generation stopped are marked failed; PDFs of mailed or failed batches and PDFs
 * past their keeping period are deleted (the file, then the row says when).
 */
export async function sweepLetters(): Promise<{ failed: number; deleted: number }> {
	const sql = db();
	const failed = await q.failStale(sql, STALE_GENERATION_SECONDS);
	// a batch this instance is still generating is not stale, whatever the clock says
	for (const f of failed) if (running.has(f)) logger('letters').warn({ batchId: f }, 'a running generation was marked failed');
	let deleted = 0;
	await sql.begin(async (tx) => {
		for (const b of await q.pdfsToDelete(tx)) {
			if (running.has(b.id)) continue;
			fs.rmSync(b.pdfPath, { force: true });
			await q.markPdfDeleted(tx, b.id);
			deleted++;
		}
	});
	return { failed: failed.length, deleted };
}

/** Contract end: delete every letter PDF (and unfinished parts); what could not be deleted is reported. */
export function deleteAllLetterFiles(): { directory: string; found: number; deleted: number; bytes: number; errors: string[] } {
	const dir = lettersDir();
	const out = { directory: dir, found: 0, deleted: 0, bytes: 0, errors: [] as string[] };
	if (!fs.existsSync(dir)) return out;
	for (const e of fs.readdirSync(dir)) {
		out.found++;
		const p = path.join(dir, e);
		try {
			const size = fs.statSync(p).size;
			fs.rmSync(p, { recursive: true, force: true });
			out.deleted++;
			out.bytes += size;
		} catch (err) {
			out.errors.push(`${e}: ${(err as Error).message}`);
		}
	}
	return out;
}
