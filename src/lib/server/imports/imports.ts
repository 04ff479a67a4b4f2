/**
 * Importing a set of the ward's files (spec/import-format.md): read and normalize every row, check rows across
 * files, then, in ONE transaction, merge, resolve, reconcile promises and rebuild the queue. A dry run does all
 * of it and rolls back, so its report is exactly what applying would do. Without quarantine, any invalid row
 * stops the import and nothing changes; every invalid row is reported (file, physical line, column, reason).
 */
import path from 'node:path';
import fs from 'node:fs';
import { db, type Db, type Tx } from '../db.ts';
import { loadConfig } from '../config.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { DomainError } from '../errors.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { publish } from '../publish.ts';
import { rebuildQueue } from '../queue/claims.ts';
import { loadCallingRules } from '../queue/rules.ts';
import { markCollectionCellsStale } from '../reports/trends.queries.ts';
import { tokyoDate } from '../../domain/format.ts';
import { defaultHeaderAliases, fileDef, fileOrder, fullSnapshotFiles, importFiles, type FileDef } from '../../domain/import/files.ts';
import { mapHeaders, myNumberColumns, normalizeRow } from '../../domain/import/rows.ts';
import { IMPORT_LOCK, reconcileInTx } from '../promises/promises.ts';
import type { Encoding } from '../../domain/import/encoding.ts';
import type { FileProblemCode } from '../../domain/import/problems.ts';
import { CsvSyntaxError, openCsv, sha256File, type CsvRecord } from './reader.ts';
import { createAllStages, stageWriter, snake } from './staging.ts';
import * as q from './imports.queries.ts';
import { isoDate } from '../validation.ts';

export type ImportMode = 'dry_run' | 'apply' | 'apply_quarantine';

export interface ImportFileInput {
	/** the file's name as the ward wrote it (世帯.csv …) */
	name: string;
	path: string;
}

export interface Rejection {
	file: string;
	/** physical line where the record starts; the header is line 1 */
	line: number;
	column: string | null;
	reason: string;
	raw?: Record<string, string> | null;
	/** a problem with the whole file (fileErrors only): what the page words in the user's language */
	problem?: FileProblemCode | null;
}

export interface ImportProgress {
	phase: 'reading' | 'checking' | 'merging' | 'done';
	file?: string;
	rows?: number;
	bytes?: number;
	totalBytes?: number;
}

export interface FileReport {
	name: string;
	size: number;
	sha256: string;
	encoding: Encoding;
	rows: number;
	accepted: number;
	unknownColumns: string[];
}

export interface ImportReport {
	importId: number;
	mode: ImportMode;
	applied: boolean;
	status: 'dry_run' | 'applied' | 'rejected';
	kind: 'full' | 'delta';
	asOf: string;
	files: FileReport[];
	/** rows accepted per kind */
	counts: { households: number; persons: number; receipts: number; [file: string]: number };
	/** what the set changes (dry run: would change) */
	changes: { newHouseholds: number; knownHouseholds: number; newReceipts: number; changedReceipts: number; resolved: number; reactivated: number; promisesKept: number; promisesPartlyKept: number; promisesBroken: number; suppressed: number } | null;
	/** the system after the import (dry run: after it would be applied) */
	summary: { householdsInArrears: number; totalArrearsYen: number; householdsWithoutValidPhone: number } | null;
	rejected: Rejection[];
	/** problems with a whole file (unreadable, a required column missing, an individual-number column): never quarantined */
	fileErrors: Rejection[];
	seconds: number;
}

export interface ImportOptions {
	mode: ImportMode;
	/** 基準日: a period is in arrears when due before this date (default today in Tokyo) */
	asOf?: string;
	encoding?: Encoding | 'auto';
	/** who, in words: 'web', 'cli:root', 'demo' */
	source: string;
	/** mark new households as synthetic demo data */
	synthetic?: boolean;
	/** the held upload (the admin page) this run reads, kept with the record so that its dry run can be applied later */
	upload?: { token: string; encoding: Encoding | 'auto' };
	/**
	 * checked inside the import's transaction once it holds the import lock, before anything is read: throw to refuse
	 * (an apply of a dry run refuses when another import was applied since)
	 */
	precondition?: (tx: Tx) => Promise<void>;
	onProgress?: (p: ImportProgress) => void;
}

/** The per-file name check: the set is identified by the ward's file names. */
export function identifyFiles(inputs: ImportFileInput[]): { def: FileDef; input: ImportFileInput }[] {
	const unknown = inputs.filter((f) => !fileDef(path.basename(f.name)));
	if (unknown.length) {
		throw new DomainError('invalid_input', `unknown file name(s): ${unknown.map((f) => f.name).join(', ')} (expected: ${fileOrder.join(', ')})`, {
			files: `ファイル名が契約にありません: ${unknown.map((f) => path.basename(f.name)).join('、')}`
		});
	}
	const seen = new Map<string, ImportFileInput>();
	for (const f of inputs) {
		const name = fileDef(path.basename(f.name))!.name;
		if (seen.has(name)) throw new DomainError('invalid_input', `${name} given twice`, { files: `${name} が2回指定されています` });
		seen.set(name, f);
	}
	if (seen.size === 0) throw new DomainError('invalid_input', 'no files', { files: 'ファイルがありません' });
	return importFiles.filter((d) => seen.has(d.name)).map((def) => ({ def, input: seen.get(def.name)! }));
}

/** Import a set of files. Policy: imports.run. */
export async function runImport(actor: Actor, inputs: ImportFileInput[], opts: ImportOptions): Promise<ImportReport> {
	requirePermission(actor, 'imports.run');
	const started = performance.now();
	const cfg = loadConfig();
	const asOf = opts.asOf ?? tokyoDate();
	const asOfOk = isoDate.safeParse(asOf).success && Math.abs(Date.parse(asOf) - Date.parse(tokyoDate())) <= 400 * 86400_000;
	if (!asOfOk) throw new DomainError('invalid_input', 'asOf must be a real date within about a year of today', { asOf: '基準日は今日の前後1年以内の実在する日付（YYYY-MM-DD）で指定してください' });
	const set = identifyFiles(inputs);
	for (const { input } of set) {
		if (!fs.existsSync(input.path) || !fs.statSync(input.path).isFile())
			throw new DomainError('invalid_input', `cannot read ${input.path}`, { files: `ファイルを読めません: ${input.name}` });
	}
	const aliases = { ...defaultHeaderAliases, ...cfg.IMPORT_HEADER_ALIASES };
	const progress = opts.onProgress ?? (() => {});
	const kind: 'full' | 'delta' = fullSnapshotFiles.every((f) => set.some((s) => s.def.name === f)) ? 'full' : 'delta';
	const sql = db();
	const importId = await q.insertImport(sql, { startedBy: actor.id > 0 ? actor.id : null, source: opts.source, mode: opts.mode, asOf, upload: opts.upload ?? null });

	const files: FileReport[] = [];
	/**
	 * the 国保記号番号 of 世帯.csv rows refused while reading: with the staged ones, every household the snapshot
	 * carries (a full snapshot resolves only households absent from it); kept apart so memory stays flat
	 */
	const refusedKeys = new Set<string>();
	const timings: Record<string, number> = {};
	/**
	 * where the phases' time goes (milliseconds, summed per file): reading = decode (file read, decoding and CSV
	 * tokenizing), rows (normalizing and validating rows, writing their COPY text), copy (waiting for COPY to take
	 * the text); merge steps; the queue's parts. Stored with the import record for the benchmark and for tuning.
	 */
	const detail: Record<string, number> = {};
	const rejected: Rejection[] = [];
	const fileErrors: Rejection[] = [];
	let report: ImportReport | null = null;

	class Rollback extends Error {}

	try {
		await sql.begin(async (tx) => {
			await tx`select pg_advisory_xact_lock(${IMPORT_LOCK})`;
			// no JIT: the import runs many statements over staged rows and pages of households, and a JIT compile
			// (~0.2 s each, triggered by large cost estimates) costs more than it saves on any of them
			await tx`set local jit = off`;
			if (opts.precondition) await opts.precondition(tx);
			await createAllStages(tx, importFiles);

			// 1. read, normalize, stage
			const t0 = performance.now();
			for (const { def, input } of set) {
				const fr = await stageFile(tx, def, input, opts.encoding ?? 'auto', aliases, rejected, fileErrors, progress, def.name === '世帯.csv' ? refusedKeys : null, detail);
				if (def.name === '世帯.csv' && kind === 'full' && fr.rows === 0 && !fileErrors.some((e) => e.file === def.name))
					fileErrors.push({ file: def.name, line: 2, column: null, problem: 'no_households', reason: '世帯.csv に行がありません。全件（世帯・個人・収納）の取込で世帯が0件だと、すべての世帯が解消扱いになるため取り込みません' });
				files.push(fr);
			}

			// 2. checks across rows and files: duplicates, then rows whose household / person is nowhere
			await q.analyzeStages(tx);
			await q.fillSnapshotKeys(tx, refusedKeys);
			timings.read = performance.now() - t0;
			const t1 = performance.now();
			progress({ phase: 'checking' });
			const drop = async (rows: q.StageRejection[]) => {
				rejected.push(...rows);
				const byFile = new Map<string, number[]>();
				for (const r of rows) {
					const lines = byFile.get(r.file);
					if (lines) lines.push(r.line);
					else byFile.set(r.file, [r.line]);
				}
				for (const [file, lines] of byFile) await q.deleteStageLines(tx, file, lines);
			};
			for (const { def } of set) {
				const keyCols = def.key.map(snake);
				const keyHeaders = def.key.map((k) => def.columns.find((c) => c.key === k)!.header);
				await drop(await q.duplicateKeys(tx, def.name, keyCols, keyHeaders));
			}
			// rows against the other files: only when every file was read whole. A file stopped at its header (a column
			// missing …) staged nothing, so every row hanging off it would look orphaned: 25 "invalid rows" for one
			// missing column. The set is refused for the file's problem anyway (summarizeProblems says so).
			if (fileErrors.length === 0) {
				// what hangs off a household whose 世帯.csv row was refused is refused with it (even if kansho knows the household)
				for (const { def } of set) {
					if (def.name === '世帯.csv') continue;
					if (def.owner === 'household' || def.name === '経過記録.csv') await drop(await q.dependentsOfRefusedHouseholds(tx, def.name));
				}
				for (const { def } of set) {
					if (def.name === '世帯.csv') continue;
					if (def.owner === 'household' || def.name === '経過記録.csv') await drop(await q.orphanRows(tx, def.name, 'household'));
				}
				for (const { def } of set) {
					if (def.owner === 'person' || def.name === '経過記録.csv') await drop(await q.orphanRows(tx, def.name, 'person'));
				}
			}
			rejected.sort((a, b) => fileOrder.indexOf(a.file) - fileOrder.indexOf(b.file) || a.line - b.line);
			for (const f of files) f.accepted = await q.stageCount(tx, f.name);

			const counts = {
				households: await q.stageDistinctHouseholds(tx),
				persons: files.find((f) => f.name === '個人.csv')?.accepted ?? 0,
				receipts: files.find((f) => f.name === '収納.csv')?.accepted ?? 0,
				...Object.fromEntries(files.map((f) => [f.name, f.accepted]))
			};
			const invalid = rejected.length > 0 || fileErrors.length > 0;
			const base = { importId, mode: opts.mode, kind, asOf, files, counts, rejected, fileErrors };

			if (fileErrors.length > 0 || (invalid && opts.mode === 'apply')) {
				report = { ...base, applied: false, status: 'rejected', changes: null, summary: null, seconds: 0 };
				throw new Rollback();
			}

			// 3. merge, resolve, reconcile, rebuild the queue
			timings.check = performance.now() - t1;
			const t2 = performance.now();
			progress({ phase: 'merging' });
			const preview = await q.preview(tx);
			await q.merge(tx, importId, { asOf, synthetic: opts.synthetic ?? false, timings: detail });
			// the trends' summary by district and month is built from what the merge wrote (its trigger does not fire
			// under the merge's replica mode)
			await markCollectionCellsStale(tx);
			timings.merge = performance.now() - t2;
			const t3 = performance.now();
			// a dry run leaves the queue alone: its rows would stay locked (and operators' claims empty) until the rollback
			const dry = opts.mode === 'dry_run';
			const res = await q.resolve(tx, importId, { asOf, fullSnapshot: kind === 'full', touchQueue: !dry });
			// promises against the payments this import brought (and every pending one), judged on the 基準日; an
			// import without 収納.csv brings no payment (the daily run judges what falls due meanwhile)
			const promises = set.some((s) => s.def.name === '収納.csv')
				? await reconcileInTx(tx, { today: asOf, importId, source: 'import', startedBy: actor.id > 0 ? actor.id : null })
				: { kept: 0, partlyKept: 0, broken: 0 };
			detail['queue.resolve+promises'] = performance.now() - t3;
			// counted before the queue is rebuilt, from the data alone: the same in a dry run (which leaves the queue as
			// it is) as in the apply, whose rebuild is what holds these households back (placement's payment suppression)
			const rules = await loadCallingRules(tx);
			const suppressed = await q.countPaymentSuppressions(tx, { importId, asOf, days: rules.paymentSuppressDays });
			const t4 = performance.now();
			if (!dry && (await hasSegments(tx))) await rebuildQueue(tx, asOf);
			detail['queue.rebuild'] = performance.now() - t4;
			timings.queue = performance.now() - t3;
			const summary = await q.summary(tx, asOf);
			const changes = { ...preview, resolved: res.resolved, reactivated: res.reactivated, promisesKept: promises.kept, promisesPartlyKept: promises.partlyKept, promisesBroken: promises.broken, suppressed };

			if (opts.mode === 'dry_run') {
				report = { ...base, applied: false, status: 'dry_run', changes, summary, seconds: 0 };
				throw new Rollback();
			}
			await writeAccessLog(tx, actor, { action: 'import', reason: `import #${importId} ${kind} ${files.map((f) => f.name).join(',')}` });
			await publish(tx, { type: 'queue:bulk', data: { reason: 'rebuilt', count: counts.households } });
			report = { ...base, applied: true, status: 'applied', changes, summary, seconds: (performance.now() - started) / 1000 };
			// the quarantine and the record commit with the data: an applied import never loses its held rows
			await record(tx, report, 'quarantined');
		});
	} catch (e) {
		if (!(e instanceof Rollback)) {
			await q.finishImport(sql, importId, { status: 'failed', kind, files: files.map(fileRecord), counts: {}, rejectedCount: rejected.length, error: (e as Error).message?.slice(0, 2000) ?? String(e) });
			await writeAccessLog(sql, actor, { action: 'import', reason: `import #${importId} failed` }).catch(() => {});
			throw e;
		}
	}
	const r = report as unknown as ImportReport;
	r.seconds = (performance.now() - started) / 1000;
	if (!r.applied) {
		// a dry run or a refused set: its record and the rows it refused outlive the rolled-back transaction
		await record(sql, r, 'reported');
		await writeAccessLog(sql, actor, { action: 'import', reason: `import #${importId} ${r.status}` });
	}
	progress({ phase: 'done' });
	return r;

	async function record(db: Db, rep: ImportReport, status: 'reported' | 'quarantined') {
		const all = [...rep.fileErrors, ...rep.rejected];
		await q.insertRejections(db, importId, all.map((x) => ({ ...x, raw: x.raw ?? null, problem: x.problem ?? null })), status);
		await q.finishImport(db, importId, {
			status: rep.status,
			kind,
			files: files.map(fileRecord),
			counts: {
				...rep.counts,
				...(rep.changes ?? {}),
				...(rep.summary ?? {}),
				seconds: Math.round(rep.seconds * 10) / 10,
				phaseSeconds: Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v / 100) / 10])),
				phaseDetail: Object.fromEntries(Object.entries(detail).map(([k, v]) => [k, Math.round(v / 100) / 10]))
			},
			rejectedCount: all.length
		});
	}
}

function fileRecord(f: FileReport) {
	return { name: f.name, size: f.size, sha256: f.sha256, encoding: f.encoding, rows: f.rows, accepted: f.accepted, unknownColumns: f.unknownColumns };
}

async function hasSegments(tx: Tx): Promise<boolean> {
	const [r] = await tx<{ n: number }[]>`select count(*)::int as n from segments where active`;
	return r.n > 0;
}

const SAMPLE_ROWS = 200;
const RAW_KEPT = 20_000;

async function stageFile(
	tx: Tx,
	def: FileDef,
	input: ImportFileInput,
	encoding: Encoding | 'auto',
	aliases: Record<string, string>,
	rejected: Rejection[],
	fileErrors: Rejection[],
	progress: (p: ImportProgress) => void,
	refusedKeys: Set<string> | null,
	detail: Record<string, number>
): Promise<FileReport> {
	const totalBytes = fs.statSync(input.path).size;
	let bytes = 0;
	let rows = 0;
	let lastTick = 0;
	const csv = openCsv(input.path, { encoding, onBytes: (b) => (bytes = b) });
	const report: FileReport = { name: def.name, size: totalBytes, sha256: '', encoding: csv.encoding, rows: 0, accepted: 0, unknownColumns: [] };
	const fileError = (problem: FileProblemCode, reason: string, line = 1, column: string | null = null) => fileErrors.push({ file: def.name, line, column, reason, problem });
	const writer = await stageWriter(tx, def);
	progress({ phase: 'reading', file: def.name, rows: 0, bytes: 0, totalBytes });

	let headers: string[] | null = null;
	let mapping: ReturnType<typeof mapHeaders> | null = null;
	const sample: { line: number; fields: string[] }[] = [];
	let sampleChecked = false;

	const handle = (rec: CsvRecord) => {
		rows++;
		const n = normalizeRow(def, mapping!, rec.fields, headers!.length);
		if (n.errors.length) {
			if (refusedKeys && typeof n.values.nhiNumber === 'string') refusedKeys.add(n.values.nhiNumber);
			// the row as read, for the quarantine: the contract's columns only (an unknown column may hold anything)
			const raw = rejected.length < RAW_KEPT ? Object.fromEntries(def.columns.map((c) => [c.header, rec.fields[mapping!.index.get(c.key) ?? -1] ?? ''])) : null;
			for (const e of n.errors) rejected.push({ file: def.name, line: rec.line, column: e.column, reason: e.reason, raw });
			return;
		}
		writer.add(rec.line, n.values);
	};
	const sampleDone = () => {
		sampleChecked = true;
		if (refuseMyNumber(headers!, sample, fileError)) return false;
		for (const s of sample) handle(s);
		return true;
	};

	const spent = (key: string, since: number) => {
		const now = performance.now();
		detail[key] = (detail[key] ?? 0) + now - since;
		return now;
	};
	let mark = performance.now();
	try {
		reading: for await (const batch of csv.batches) {
			mark = spent('read.decode', mark);
			for (const rec of batch) {
				if (!headers) {
					headers = rec.fields;
					mapping = mapHeaders(def, headers, aliases);
					report.unknownColumns = mapping.unknown;
					for (const h of mapping.myNumber) fileError('my_number_header', `個人番号（マイナンバー）と思われる列「${h}」があります。マイナンバーは取り込めません`, 1, h);
					for (const h of mapping.missing) fileError('missing_column', `必須の列「${h}」がありません`, 1, h);
					for (const h of mapping.duplicated) fileError('duplicate_column', `列「${h}」が2回あります`, 1, h);
					if (fileErrors.some((e) => e.file === def.name)) break reading;
					continue;
				}
				if (!sampleChecked) {
					sample.push(rec);
					if (sample.length < SAMPLE_ROWS) continue;
					if (!sampleDone()) break reading;
					continue;
				}
				handle(rec);
			}
			mark = spent('read.rows', mark);
			await writer.maybeFlush();
			mark = spent('read.copy', mark);
			if (rows - lastTick >= 5000) {
				lastTick = rows;
				progress({ phase: 'reading', file: def.name, rows, bytes, totalBytes });
			}
		}
		if (!sampleChecked && headers && !fileErrors.some((e) => e.file === def.name)) sampleDone();
		if (!headers) fileError('empty', 'ファイルが空です（見出し行がありません）');
	} catch (e) {
		if (e instanceof CsvSyntaxError) fileError('csv_syntax', `CSVとして読めません: ${e.reason}`, e.line);
		else if (typeof (e as NodeJS.ErrnoException).code === 'string' && (e as NodeJS.ErrnoException).syscall)
			fileError('unreadable', `ファイルを読めません（${(e as NodeJS.ErrnoException).code}）`, csv.nextLine());
		else throw e;
		// read nothing more: the file cannot be trusted past this point
	}
	mark = performance.now();
	await writer.finish();
	spent('read.copy', mark);
	report.rows = rows;
	try {
		report.sha256 = csv.sha256();
	} catch {
		report.sha256 = await sha256File(input.path); // stopped early: the stream did not see every byte
	}
	progress({ phase: 'reading', file: def.name, rows, bytes: totalBytes, totalBytes });
	return report;
}

function refuseMyNumber(headers: string[], sample: { fields: string[] }[], fileError: (problem: FileProblemCode, reason: string, line?: number, column?: string | null) => void): boolean {
	const cols = myNumberColumns(
		headers,
		sample.map((s) => s.fields)
	);
	for (const c of cols) fileError('my_number_values', `列「${c}」の値が12桁の数字で、個人番号（マイナンバー）と思われます。マイナンバーは取り込めません`, 1, c);
	return cols.length > 0;
}

