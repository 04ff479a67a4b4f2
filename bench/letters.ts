/**
 * The reminder-letter benchmark (#7): `npm run bench -- letters [--letters 5000]`.
 *
 * A scratch database `kansho_bench_letters` is dropped, recreated, migrated and filled by SQL: `--letters`
 * households without a phone (all letter candidates), each with a head of household, a postal address with 方書 and
 * four overdue instalment periods over two fiscal years, plus as many households with a phone (not candidates).
 * Then, in the same run:
 *
 *   baseline  pdfkit (the same layout code, the same font) writing `--letters` pages of one fixed letter to a
 *             file, without any data access: what the PDF itself costs
 *   batch     createBatch as a staff member: the candidate rules over every household in arrears, the batch, its
 *             items with their snapshots and reference numbers, one access-log row per letter (one transaction)
 *   generate  the batch's PDF job: the items read in chunks, one page per household, streamed to DATA_DIR/letters,
 *             the progress written every 250 pages
 *
 * Printed: seconds for each, pages per second, the PDF's size, and whether batch + generate stayed under the issue's
 * target (5,000 letters in under a minute).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import type { Sql } from '../src/lib/server/db.ts';
import { freshBenchDb, openForBench } from './scratch.ts';

export const lettersUsage = 'letters [--letters 5000] [--database kansho_bench_letters]';

const TARGET_SECONDS = 60;

async function fill(sql: Sql, n: number, log: (m: string) => void) {
	const t = performance.now();
	await sql`
		insert into households (nhi_number, head_resident_number, postal_code, address, address_extra, synthetic)
		select lpad(g::text, 8, '0'), 'R' || lpad(g::text, 9, '0'), '16' || lpad((g % 100000)::text, 5, '0'),
		       '東京都新宿区西新宿' || (1 + g % 8) || '丁目' || (1 + g % 30) || '番' || (1 + g % 20) || '号',
		       case when g % 3 = 0 then 'コーポ新宿 ' || (100 + g % 900) || '号室' end, true
		from generate_series(1, ${2 * n}) g`;
	await sql`
		insert into persons (resident_number, household_id, fiscal_year, name, relationship)
		select h.head_resident_number, h.id, 2025, (array['佐藤','鈴木','髙橋','田中','山﨑','渡辺'])[1 + h.id % 6] || '　' || (array['太郎','花子','一郎','陽子'])[1 + h.id % 4], '世帯主'
		from households h`;
	await sql`
		insert into receipts (household_id, fiscal_year, period, assessed, received_total, due_date)
		select h.id, fy, p, 8000 + (h.id % 50) * 100, 0, make_date(fy, 5 + p, 28)
		from households h, (values (2024), (2025)) y(fy), generate_series(1, 2) p`;
	// the second half has a valid mobile number: not candidates
	await sql`
		insert into phones (household_id, raw, digits, kind, valid)
		select id, '090' || lpad(id::text, 8, '0'), '090' || lpad(id::text, 8, '0'), 'mobile', true from households where id > ${n}`;
	await sql`analyze`;
	log(`filled ${(2 * n).toLocaleString('en')} households (${n.toLocaleString('en')} without a phone) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

export async function runLettersBench(args: string[]): Promise<number> {
	const { values } = parseArgs({ args, options: { letters: { type: 'string', default: '5000' }, database: { type: 'string', default: 'kansho_bench_letters' } } });
	const n = Number(values.letters);
	if (!Number.isInteger(n) || n < 10 || n > 20_000) throw new Error('--letters: 10 to 20,000');
	const log = (m: string) => console.log(`[letters] ${m}`);
	const server = await openForBench('letters', log, () => process.exit(130), values.database);
	if (!server) return 2;
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kansho-bench-letters-'));
	try {
		await freshBenchDb(server.adminUrl, log, values.database);
		process.env.DATABASE_URL = server.benchUrl.toString();
		process.env.DATA_DIR = dataDir;
		process.env.DB_POOL_MAX = '4';
		process.env.LOG_LEVEL = 'silent';
		delete process.env.REDIS_URL;
		const { connect, closeDb } = await import('../src/lib/server/db.ts');
		const { migrate } = await import('../src/lib/server/migrate.ts');
		const { createUser } = await import('../src/lib/server/users/users.ts');
		const { createBatch, generationDone } = await import('../src/lib/server/letters/letters.ts');
		const { letterPdf } = await import('../src/lib/server/letters/pdf.ts');
		const { letterContent, SAMPLE_SNAPSHOT } = await import('../src/lib/domain/letters.ts');
		const q = await import('../src/lib/server/letters/letters.queries.ts');
		const sql = connect(server.benchUrl.toString(), { max: 2 });
		try {
			await migrate(sql, () => {});
			// a ward's details, not the installed placeholders (a batch is refused while they are)
			const { DEMO_LETTER_TEMPLATE } = await import('../src/lib/server/demo/letter-template.ts');
			await q.replaceInstalledTemplate(sql, DEMO_LETTER_TEMPLATE);
			await fill(sql, n, log);
			const template = await q.currentTemplate(sql);

			// baseline: the same pages of one letter, no data access
			log(`baseline: ${n} pages of one letter`);
			let t = performance.now();
			const file = fs.createWriteStream(path.join(dataDir, 'baseline.pdf'));
			const pdf = letterPdf(file, { title: 'baseline' });
			const content = letterContent(SAMPLE_SNAPSHOT, template, { referenceNumber: 'L-000000-00001-8', issuedOn: '2026-11-28' });
			for (let i = 1; i <= n; i++) {
				pdf.add(content);
				if (i % 250 === 0) await pdf.drain();
			}
			await pdf.end();
			const baselineS = (performance.now() - t) / 1000;
			const baselineBytes = fs.statSync(path.join(dataDir, 'baseline.pdf')).size;

			const { id } = await createUser(sql, { loginId: 'bench-staff', displayName: 'bench staff', role: 'staff', password: 'kansho-bench-2026' });
			const actor = { id, loginId: 'bench-staff', displayName: 'bench staff', role: 'staff' as const, locale: 'ja' as const };
			log(`batch: candidates and ${n} letters`);
			t = performance.now();
			const r = await createBatch(actor, { limit: n });
			const batchS = (performance.now() - t) / 1000;
			t = performance.now();
			// the progress as the page sees it (polled)
			let polls = 0;
			const poll = setInterval(async () => {
				const [b] = await sql<{ progressDone: number }[]>`select progress_done from letter_batches where id = ${r.batchId}`;
				polls++;
				if (polls % 5 === 0) log(`progress ${b.progressDone} / ${r.households}`);
			}, 1000);
			await generationDone(r.batchId);
			clearInterval(poll);
			const generateS = (performance.now() - t) / 1000;
			const [b] = await sql<{ state: string; pdfBytes: number; progressDone: number; error: string | null }[]>`
				select state, pdf_bytes, progress_done, error from letter_batches where id = ${r.batchId}`;
			if (b.state !== 'generated') throw new Error(`the batch ended ${b.state}: ${b.error}`);
			const [logRows] = await sql<{ n: number }[]>`select count(*)::int as n from access_log where action = 'letter.generate'`;
			const total = batchS + generateS;
			console.log('');
			console.log(`reminder letters: ${r.households.toLocaleString('en')} letters (of ${(2 * n).toLocaleString('en')} households in arrears), one A4 page each`);
			console.log('');
			console.log('| step | seconds | pages/s | PDF size |');
			console.log('|---|---:|---:|---:|');
			console.log(`| baseline: pdfkit, one letter ×${n} (no data) | ${baselineS.toFixed(1)} | ${(n / baselineS).toFixed(0)} | ${(baselineBytes / 1e6).toFixed(1)} MB |`);
			console.log(`| batch: candidates, items, access log (${logRows.n} rows) | ${batchS.toFixed(1)} | — | — |`);
			console.log(`| generate: the batch's PDF, streamed | ${generateS.toFixed(1)} | ${(r.households / generateS).toFixed(0)} | ${(b.pdfBytes / 1e6).toFixed(1)} MB |`);
			console.log('');
			console.log(`batch + generate: ${total.toFixed(1)} s for ${r.households} letters (target: ${n >= 5000 ? '5,000 letters' : `${n} letters`} < ${TARGET_SECONDS} s: ${total < TARGET_SECONDS ? 'met' : 'MISSED'}); generate vs baseline ×${(generateS / baselineS).toFixed(2)}`);
			return 0;
		} finally {
			await sql.end({ timeout: 5 });
			await closeDb();
		}
	} finally {
		fs.rmSync(dataDir, { recursive: true, force: true });
		await server.stop();
	}
}
