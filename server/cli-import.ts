/**
 * `npm run kansho -- import <folder-or-files…> [--dry-run] [--quarantine] [--as-of YYYY-MM-DD] [--encoding cp932|utf8] [--json]`
 * `npm run kansho -- export-results --from DATE --to DATE [--encoding utf8] -o FILE`
 * Exit codes (import): 0 applied (or a clean dry run), 1 validation failed and nothing applied, 2 usage or unreadable input.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { systemActor } from '../src/lib/server/auth/actor.ts';
import { isDomainError } from '../src/lib/server/errors.ts';
import { finish } from './cli-finish.ts';
import type { ImportFileInput, ImportProgress, ImportReport } from '../src/lib/server/imports/imports.ts';

const USAGE = `usage:
  npm run kansho -- import <folder-or-files…> [--dry-run] [--quarantine] [--as-of YYYY-MM-DD] [--encoding cp932|utf8] [--json]
  npm run kansho -- export-results --from YYYY-MM-DD --to YYYY-MM-DD [--encoding cp932|utf8] -o FILE`;

function fail(msg: string): number {
	console.error(`kansho: ${msg}\n${USAGE}`);
	return 2;
}

/** Files named on the command line, or every .csv in a named folder. */
export function collectFiles(args: string[]): ImportFileInput[] {
	const out: ImportFileInput[] = [];
	for (const a of args) {
		if (!fs.existsSync(a)) throw new Error(`not found: ${a}`);
		if (fs.statSync(a).isDirectory()) {
			for (const f of fs.readdirSync(a).sort()) {
				if (f.toLowerCase().endsWith('.csv')) out.push({ name: f.normalize('NFC'), path: path.join(a, f) });
			}
		} else out.push({ name: path.basename(a).normalize('NFC'), path: a });
	}
	return out;
}

function progressBar(): (p: ImportProgress) => void {
	const tty = process.stderr.isTTY;
	let current = '';
	return (p) => {
		if (p.phase === 'reading' && p.file) {
			const pct = p.totalBytes ? Math.min(100, Math.floor(((p.bytes ?? 0) / p.totalBytes) * 100)) : 100;
			const bar = '█'.repeat(Math.floor(pct / 5)).padEnd(20, '░');
			const line = `  ${p.file.padEnd(10, '　')} ${bar} ${String(pct).padStart(3)}%  ${(p.rows ?? 0).toLocaleString('en')} 行`;
			if (tty) process.stderr.write(`\r${line}`);
			else if (p.file !== current || pct === 100) process.stderr.write(line + '\n');
			if (tty && pct === 100) process.stderr.write('\n');
			current = p.file;
		} else if (p.phase === 'checking') process.stderr.write('  照合中（重複・世帯の有無）…\n');
		else if (p.phase === 'merging') process.stderr.write('  反映中…\n');
	};
}

export function jsonReport(r: ImportReport) {
	return {
		import_id: r.importId,
		applied: r.applied,
		status: r.status,
		kind: r.kind,
		as_of: r.asOf,
		households: r.counts.households,
		persons: r.counts.persons,
		receipts: r.counts.receipts,
		households_in_arrears: r.summary?.householdsInArrears ?? null,
		total_arrears_yen: r.summary?.totalArrearsYen ?? null,
		households_without_valid_phone: r.summary?.householdsWithoutValidPhone ?? null,
		resolved: r.changes?.resolved ?? 0,
		changes: r.changes,
		files: r.files.map((f) => ({ name: f.name, size: f.size, sha256: f.sha256, encoding: f.encoding, rows: f.rows, accepted: f.accepted, unknown_columns: f.unknownColumns })),
		rejected: [...r.fileErrors, ...r.rejected].map((x) => ({ file: x.file, line: x.line, column: x.column, reason: x.reason })),
		seconds: Math.round(r.seconds * 100) / 100
	};
}

function humanReport(r: ImportReport): string {
	const yen = (n: number | null | undefined) => (n === null || n === undefined ? '—' : `¥${n.toLocaleString('ja-JP')}`);
	const lines = [
		'',
		`取込 #${r.importId}  ${r.status === 'applied' ? '反映しました' : r.status === 'dry_run' ? '確認のみ（反映していません）' : '取り込めませんでした（何も反映していません）'}`,
		`  種類: ${r.kind === 'full' ? '全件' : '差分'}   基準日: ${r.asOf}   ${r.seconds.toFixed(1)} 秒`,
		...r.files.map((f) => `  ${f.name}: ${f.rows.toLocaleString('ja-JP')} 行中 ${f.accepted.toLocaleString('ja-JP')} 行 受付（${f.encoding}, ${f.size.toLocaleString('ja-JP')} バイト）${f.unknownColumns.length ? `  未知の列: ${f.unknownColumns.join('、')}` : ''}`)
	];
	if (r.changes)
		lines.push(
			`  新規世帯 ${r.changes.newHouseholds.toLocaleString('ja-JP')} ／ 既存世帯 ${r.changes.knownHouseholds.toLocaleString('ja-JP')} ／ 収納 新規 ${r.changes.newReceipts.toLocaleString('ja-JP')}・変更 ${r.changes.changedReceipts.toLocaleString('ja-JP')}`,
			`  解消 ${r.changes.resolved.toLocaleString('ja-JP')} ／ 再開 ${r.changes.reactivated} ／ 約束履行 ${r.changes.promisesKept} ・不履行 ${r.changes.promisesBroken} ／ 入金直後のため架電停止 ${r.changes.suppressed}`
		);
	if (r.summary)
		lines.push(`  滞納世帯 ${r.summary.householdsInArrears.toLocaleString('ja-JP')}  滞納額 ${yen(r.summary.totalArrearsYen)}  有効な電話番号なし ${r.summary.householdsWithoutValidPhone.toLocaleString('ja-JP')}`);
	const all = [...r.fileErrors, ...r.rejected];
	if (all.length) {
		lines.push(`  エラー ${all.length.toLocaleString('ja-JP')} 件:`);
		for (const x of all.slice(0, 200)) lines.push(`    ${x.file} ${x.line}行目${x.column ? `「${x.column}」` : ''}: ${x.reason}`);
		if (all.length > 200) lines.push(`    …ほか ${(all.length - 200).toLocaleString('ja-JP')} 件（--json で全件）`);
	}
	return lines.join('\n');
}

export async function importCommand(args: string[]): Promise<number> {
	let parsed;
	try {
		parsed = parseArgs({
			args,
			allowPositionals: true,
			options: {
				'dry-run': { type: 'boolean', default: false },
				quarantine: { type: 'boolean', default: false },
				'as-of': { type: 'string' },
				encoding: { type: 'string' },
				json: { type: 'boolean', default: false }
			}
		});
	} catch (e) {
		return fail((e as Error).message);
	}
	const { values, positionals } = parsed;
	if (positionals.length === 0) return fail('import needs a folder or files');
	if (values.encoding && !['cp932', 'utf8', 'sjis', 'shift_jis', 'utf-8'].includes(values.encoding.toLowerCase())) return fail(`--encoding must be cp932 or utf8, not ${values.encoding}`);
	if (values['dry-run'] && values.quarantine) return fail('--dry-run and --quarantine do not go together (a dry run reports every invalid row already)');
	let files: ImportFileInput[];
	try {
		files = collectFiles(positionals);
	} catch (e) {
		return fail((e as Error).message);
	}
	const encoding = values.encoding ? (values.encoding.toLowerCase().startsWith('utf') ? 'utf8' : 'cp932') : 'auto';
	const { boot } = await import('./boot.ts');
	const { runImport } = await import('../src/lib/server/imports/imports.ts');
	const b = await boot({ migrate: true, seed: false });
	try {
		const r = await runImport(systemActor(`cli:${os.userInfo().username}`), files, {
			mode: values['dry-run'] ? 'dry_run' : values.quarantine ? 'apply_quarantine' : 'apply',
			asOf: values['as-of'],
			encoding,
			source: `cli:${os.userInfo().username}`,
			onProgress: values.json ? undefined : progressBar()
		});
		if (values.json) process.stdout.write(JSON.stringify(jsonReport(r)) + '\n');
		else console.error(humanReport(r));
		return r.status === 'rejected' || (r.status === 'dry_run' && r.rejected.length + r.fileErrors.length > 0) ? 1 : 0;
	} catch (e) {
		if (isDomainError(e)) return fail(Object.values(e.details ?? {}).join('; ') || e.message);
		throw e;
	} finally {
		await finish(b);
	}
}

export async function exportCommand(args: string[]): Promise<number> {
	let parsed;
	try {
		parsed = parseArgs({ args, options: { from: { type: 'string' }, to: { type: 'string' }, encoding: { type: 'string', default: 'cp932' }, o: { type: 'string', short: 'o' }, output: { type: 'string' } } });
	} catch (e) {
		return fail((e as Error).message);
	}
	const v = parsed.values;
	const outPath = v.o ?? v.output;
	if (!v.from || !v.to || !outPath) return fail('export-results needs --from, --to and -o FILE');
	const encoding = v.encoding!.toLowerCase().startsWith('utf') ? 'utf8' : v.encoding!.toLowerCase() === 'cp932' || v.encoding!.toLowerCase() === 'sjis' ? 'cp932' : null;
	if (!encoding) return fail(`--encoding must be cp932 or utf8, not ${v.encoding}`);
	const { boot } = await import('./boot.ts');
	const { exportCallResults } = await import('../src/lib/server/exports/exports.ts');
	const b = await boot({ migrate: true, seed: false });
	const tmp = `${outPath}.partial`;
	try {
		const out = fs.createWriteStream(tmp);
		const r = await exportCallResults(systemActor(`cli:${os.userInfo().username}`), { from: v.from, to: v.to, encoding }, out, {
			fileName: path.basename(outPath),
			source: `cli:${os.userInfo().username}`
		});
		await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
		fs.renameSync(tmp, outPath);
		console.error(`kansho: 架電結果 ${r.rows.toLocaleString('ja-JP')} 件を ${outPath} に書き出しました（${encoding}, ${r.bytes.toLocaleString('ja-JP')} バイト, SHA-256 ${r.sha256}）${r.replacedCharacters ? `。CP932で表せない ${r.replacedCharacters} 文字を〓にしました` : ''}`);
		return 0;
	} catch (e) {
		fs.rmSync(tmp, { force: true });
		if (isDomainError(e)) return fail(Object.entries(e.details ?? {}).map(([k, m]) => `${k}: ${m}`).join('; ') || e.message);
		throw e;
	} finally {
		await finish(b);
	}
}

