/**
 * `npm run kansho -- erase --confirm "消去します" -o DIR [--json]`: at contract end, erase all personal data when
 * the web is not available, and write the erasure certificate (JSON and PDF) into DIR.
 * `npm run kansho -- erase --dry-run [--json]`: what would be erased (counts), nothing changes.
 * Acts as the system (whoever runs it holds the database's credentials), logged under cli:<OS user>.
 * Exit codes: 0 erased and certificate written (or dry run), 1 refused (nothing erased), 2 usage,
 * 3 erased but the certificate could not be made or written (make it again on /admin/erasure).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { finish } from './cli-finish.ts';

const USAGE = 'usage: npm run kansho -- erase --confirm "消去します" -o DIR [--json]   |   npm run kansho -- erase --dry-run [--json]';

export async function eraseCommand(args: string[]): Promise<number> {
	let values: { confirm?: string; output?: string; json?: boolean; 'dry-run'?: boolean };
	try {
		values = parseArgs({
			args,
			options: { confirm: { type: 'string' }, output: { type: 'string', short: 'o' }, json: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
			strict: true,
			allowPositionals: false
		}).values;
	} catch (e) {
		console.error(`kansho: ${(e as Error).message}\n${USAGE}`);
		return 2;
	}
	const json = values.json === true;
	const dryRun = values['dry-run'] === true;
	if (!dryRun && (values.confirm === undefined || !values.output)) {
		console.error(`kansho: --confirm and -o are required (or --dry-run)\n${USAGE}`);
		return 2;
	}
	let outDir = '';
	if (!dryRun) {
		// before anything is erased: the certificate must have somewhere to go
		outDir = path.resolve(values.output!);
		try {
			fs.mkdirSync(outDir, { recursive: true });
			fs.accessSync(outDir, fs.constants.W_OK);
		} catch (e) {
			console.error(`kansho: -o ${outDir}: cannot write there (${(e as Error).message}); nothing was erased`);
			return 1;
		}
	}

	// --json: stdout carries one JSON document, so the process's own log lines (stdout too) stay quiet unless asked for
	if (json && !process.env.LOG_LEVEL) process.env.LOG_LEVEL = 'error';
	const { boot } = await import('./boot.ts');
	const { systemActor } = await import('../src/lib/server/auth/actor.ts');
	const { isDomainError } = await import('../src/lib/server/errors.ts');
	const erasure = await import('../src/lib/server/erasure/erasure.ts');
	const { db } = await import('../src/lib/server/db.ts');
	const b = await boot({ migrate: true, seed: false });
	const actor = systemActor(`cli:${os.userInfo().username}`);
	try {
		if (dryRun) {
			const p = await erasure.previewErasure(actor);
			if (json) {
				console.log(JSON.stringify({ dry_run: true, counts: p.counts, total_rows: p.totalRows, import_errors: p.importErrors, uploads: p.uploads, uncovered: p.uncovered, font: p.font }));
			} else {
				console.log('kansho: erase --dry-run — nothing is changed / 消去の確認（何も変更しません）');
				for (const [t, n] of Object.entries(p.counts)) console.log(`  ${t.padEnd(18)} ${n.toLocaleString('en').padStart(12)}`);
				console.log(`  ${'total'.padEnd(18)} ${p.totalRows.toLocaleString('en').padStart(12)}`);
				console.log(`  stored import files: ${p.uploads.files} (${p.uploads.bytes.toLocaleString('en')} bytes) in ${p.uploads.directory}`);
				if (p.uncovered.length) console.log(`  REFUSED until covered: tables with household data not in the erasure: ${p.uncovered.join(', ')}`);
				console.log(p.font.ok ? `  PDF font: ${p.font.path}` : `  PDF font: ${p.font.problem}`);
			}
			return 0;
		}
		let r;
		try {
			r = await erasure.eraseFromCommandLine(actor, { phrase: values.confirm });
		} catch (e) {
			if (isDomainError(e)) {
				if (json) console.log(JSON.stringify({ ok: false, erased: false, code: e.code, message: e.message, details: e.details ?? null }));
				console.error(`kansho: refused, nothing was erased: ${e.message}`);
				return 1;
			}
			throw e;
		}
		const result: Record<string, unknown> = { ok: false, erased: true, erasure_id: r.erasureId, households: r.households, total_rows: r.totalRows };
		if ('error' in r.certificate) {
			result.certificate = { error: r.certificate.error };
			if (json) console.log(JSON.stringify(result));
			console.error(`kansho: all personal data was erased (erasure #${r.erasureId}), but the certificate could not be made: ${r.certificate.error}`);
			console.error('        make it again on /admin/erasure (証明書を再作成)');
			return 3;
		}
		const [row] = await db()<{ certificateJson: string; certificatePdf: Buffer; counts: Record<string, number> }[]>`
			select certificate_json, certificate_pdf, counts from erasures where id = ${r.erasureId}`;
		const jsonPath = path.join(outDir, `erasure-certificate-${r.erasureId}.json`);
		const pdfPath = path.join(outDir, `erasure-certificate-${r.erasureId}.pdf`);
		try {
			fs.writeFileSync(jsonPath, row.certificateJson, { mode: 0o600 });
			fs.writeFileSync(pdfPath, row.certificatePdf, { mode: 0o600 });
		} catch (e) {
			console.error(`kansho: erased (erasure #${r.erasureId}); the certificate is stored in the database but could not be written to ${outDir}: ${(e as Error).message}`);
			return 3;
		}
		Object.assign(result, {
			ok: true,
			counts: row.counts,
			certificate: { sha256: r.certificate.sha256, chain_hash: r.certificate.chainHash, json_path: jsonPath, pdf_path: pdfPath }
		});
		if (json) console.log(JSON.stringify(result));
		else {
			console.log(`kansho: all personal data erased — erasure #${r.erasureId}: ${r.households.toLocaleString('en')} households, ${r.totalRows.toLocaleString('en')} rows`);
			console.log(`        すべての個人情報を消去しました（消去番号 ${r.erasureId}、世帯 ${r.households.toLocaleString('ja-JP')} 件）`);
			console.log(`  certificate / 消去証明書: ${pdfPath}`);
			console.log(`                           ${jsonPath} (sha256 ${r.certificate.sha256})`);
			console.log(`  access log final hash / 最終ハッシュ: ${r.certificate.chainHash}`);
		}
		return 0;
	} finally {
		await finish(b);
	}
}
