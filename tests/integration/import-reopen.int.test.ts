/**
 * A web dry run can be opened again (after a reload, or later from the history) and applied from its record while
 * its held files are there and no import was applied since; otherwise its report still opens and says why it can no
 * longer be applied, and the apply is refused with dry_run_stale (nothing changes). And a file that lacks a required
 * column is a file problem, not a pile of invalid rows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';

// the held uploads live under DATA_DIR: never the developer's ./data
const DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'kansho-import-reopen-int-'));
process.env.DATA_DIR = DATA_DIR;

import { testSql, resetDb } from '../helpers/db.ts';
import { newSegment, newUser } from '../helpers/factories.ts';
import { HEADERS, filesOf, household, tempDir, writeSet, writeWardFile } from '../helpers/ward-files.ts';
import { applyDryRun, purgeOldUploads, runUpload, saveUpload } from '../../src/lib/server/imports/uploads.ts';
import { openImport } from '../../src/lib/server/imports/history.ts';
import { runImport } from '../../src/lib/server/imports/imports.ts';
import { systemActor, type Actor } from '../../src/lib/server/auth/actor.ts';
import { closeDb } from '../../src/lib/server/db.ts';

const sql = testSql();
const AS_OF = '2026-11-27';

afterAll(async () => {
	await sql.end();
	await closeDb();
	fs.rmSync(DATA_DIR, { recursive: true, force: true });
});
let admin: Actor;
beforeEach(async () => {
	await resetDb(sql);
	await sql`truncate imports, import_rejections, payments, exports restart identity cascade`;
	await newSegment(sql, 'general');
	admin = await newUser(sql, 'admin');
	fs.rmSync(path.join(DATA_DIR, 'uploads'), { recursive: true, force: true });
});

/** The page's dry run: upload the files of a folder, then check them. */
async function dryRun(actor: Actor, dir: string, names = ['世帯.csv', '個人.csv']) {
	const files = names.map((n) => new File([fs.readFileSync(path.join(dir, n))], n));
	const token = await saveUpload(actor, files);
	return runUpload(actor, { token, mode: 'dry_run', asOf: AS_OF, encoding: 'auto' });
}

const households = async () => (await sql<{ nhiNumber: string }[]>`select nhi_number from households order by nhi_number`).map((h) => h.nhiNumber);

describe('a dry run opened again', () => {
	it('shows the same report by its id later, and applies from it (one transaction, validated again); then says it was applied', async () => {
		const dry = await dryRun(admin, writeSet([household('00070001', '7000000001'), household('00070002', '7000000002')]));
		expect(dry.status).toBe('dry_run');

		// later (a reload): the record gives the report back, with its apply
		const opened = await openImport(admin, { importId: String(dry.importId) });
		expect(opened.report).toMatchObject({ importId: dry.importId, status: 'dry_run', kind: 'delta', asOf: AS_OF, fileErrors: [], rejected: [], rejectedTotal: 0 });
		expect(opened.report.changes).toMatchObject({ newHouseholds: 2, knownHouseholds: 0 });
		expect(opened.report.summary).toEqual(dry.summary);
		expect(opened.report.files.map((f) => [f.name, f.rows, f.accepted, f.encoding])).toEqual([
			['世帯.csv', 2, 2, 'cp932'],
			['個人.csv', 2, 2, 'cp932']
		]);
		expect(opened.apply).toMatchObject({ ok: true });
		// opening a report is an access to what the files said: logged
		const [log] = await sql<{ n: number }[]>`select count(*)::int as n from access_log where action = 'import' and reason = ${`import #${dry.importId} report opened`}`;
		expect(log.n).toBe(1);
		expect(await households()).toEqual([]);

		const applied = await applyDryRun(admin, { importId: String(dry.importId) });
		expect(applied).toMatchObject({ status: 'applied', applied: true, asOf: AS_OF });
		expect(applied.importId).toBeGreaterThan(dry.importId);
		expect(await households()).toEqual(['00070001', '00070002']);

		// the dry run's report still opens, and says by which import it was applied; a second apply is refused
		const again = await openImport(admin, { importId: dry.importId });
		expect(again.report.status).toBe('dry_run');
		expect(again.apply).toEqual({ ok: false, reason: 'applied', importId: applied.importId });
		await expect(applyDryRun(admin, { importId: dry.importId })).rejects.toMatchObject({ code: 'dry_run_stale', details: { importId: 'applied' } });
		expect((await openImport(admin, { importId: applied.importId })).apply).toBeNull();
	});

	it('refuses (dry_run_stale) once another import was applied since, and changes nothing', async () => {
		const dry = await dryRun(admin, writeSet([household('00070011', '7000000011')]));
		const other = await runImport(systemActor('cli:test'), filesOf(writeSet([household('00070012', '7000000012')])), { mode: 'apply', asOf: AS_OF, source: 'test' });
		expect(other.status).toBe('applied');

		const opened = await openImport(admin, { importId: dry.importId });
		expect(opened.report.changes).toMatchObject({ newHouseholds: 1 });
		expect(opened.apply).toEqual({ ok: false, reason: 'newer_import', importId: other.importId });
		await expect(applyDryRun(admin, { importId: dry.importId })).rejects.toMatchObject({
			code: 'dry_run_stale',
			details: { importId: 'newer_import' },
			params: { importId: { importId: other.importId } }
		});
		expect(await households()).toEqual(['00070012']);
		// a dry run made since is not stale: it reports against the data as it is now
		const fresh = await dryRun(admin, writeSet([household('00070011', '7000000011')]));
		expect((await openImport(admin, { importId: fresh.importId })).apply).toMatchObject({ ok: true });
	});

	it('refuses when the held files are gone, and the upload is its uploader’s', async () => {
		const dry = await dryRun(admin, writeSet([household('00070021', '7000000021')]));
		const otherAdmin = await newUser(sql, 'admin');
		expect((await openImport(otherAdmin, { importId: dry.importId })).apply).toEqual({ ok: false, reason: 'not_yours' });
		await expect(applyDryRun(otherAdmin, { importId: dry.importId })).rejects.toMatchObject({ code: 'dry_run_stale', details: { importId: 'not_yours' } });

		// a day later the held files are deleted
		expect(purgeOldUploads(Date.now() + 25 * 3600 * 1000)).toBe(1);
		const opened = await openImport(admin, { importId: dry.importId });
		expect(opened.report.changes).toMatchObject({ newHouseholds: 1 });
		expect(opened.apply).toEqual({ ok: false, reason: 'files_gone' });
		await expect(applyDryRun(admin, { importId: dry.importId })).rejects.toMatchObject({ code: 'dry_run_stale', details: { importId: 'files_gone' } });
		expect(await households()).toEqual([]);

		// a command-line dry run has no held upload: its report opens, its apply is the command line's
		const cli = await runImport(systemActor('cli:test'), filesOf(writeSet([household('00070022', '7000000022')])), { mode: 'dry_run', asOf: AS_OF, source: 'test' });
		expect((await openImport(admin, { importId: cli.importId })).apply).toEqual({ ok: false, reason: 'not_uploaded' });
		await expect(applyDryRun(admin, { importId: cli.importId })).rejects.toMatchObject({ code: 'dry_run_stale' });
		await expect(openImport(admin, { importId: 999999 })).rejects.toMatchObject({ code: 'not_found' });
		await expect(openImport(admin, { importId: 'x' })).rejects.toMatchObject({ code: 'invalid_input' });
		const operator = await newUser(sql, 'operator');
		await expect(openImport(operator, { importId: dry.importId })).rejects.toMatchObject({ code: 'forbidden' });
		await expect(applyDryRun(operator, { importId: dry.importId })).rejects.toMatchObject({ code: 'forbidden' });
	});

	it('two applies of one dry run at once: one lands, the other is refused', async () => {
		const dry = await dryRun(admin, writeSet([household('00070031', '7000000031'), household('00070032', '7000000032')]));
		const results = await Promise.allSettled([applyDryRun(admin, { importId: dry.importId }), applyDryRun(admin, { importId: dry.importId })]);
		const ok = results.filter((r) => r.status === 'fulfilled');
		const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
		expect(ok).toHaveLength(1);
		expect(refused).toHaveLength(1);
		expect(['dry_run_stale', 'not_found']).toContain(refused[0].reason.code);
		const [n] = await sql<{ n: number }[]>`select count(*)::int as n from imports where status = 'applied'`;
		expect(n.n).toBe(1);
		expect(await households()).toEqual(['00070031', '00070032']);
	});
});

describe('a file without a required column', () => {
	it('is one file problem naming the file and the column, not every row of the set counted as invalid', async () => {
		const hs = Array.from({ length: 5 }, (_, i) => household(`0007010${i}`, `700000010${i}`));
		const dir = tempDir();
		writeWardFile(dir, '世帯.csv', HEADERS.世帯.filter((h) => h !== '電話番号'), hs.map((h) => h.世帯));
		writeWardFile(dir, '個人.csv', HEADERS.個人, hs.map((h) => h.個人));
		const dry = await dryRun(admin, dir);
		expect(dry.status).toBe('rejected');
		expect(dry.fileErrors).toEqual([expect.objectContaining({ file: '世帯.csv', line: 1, column: '電話番号', problem: 'missing_column' })]);
		// the persons' rows are not "orphans" of a file that was read only up to its header
		expect(dry.rejected).toEqual([]);

		const opened = await openImport(admin, { importId: dry.importId });
		expect(opened.report.fileErrors).toEqual([expect.objectContaining({ file: '世帯.csv', column: '電話番号', problem: 'missing_column' })]);
		expect(opened.report).toMatchObject({ rejected: [], rejectedTotal: 0, invalidRows: 0, status: 'rejected' });
		expect(opened.apply).toBeNull();
	});
});
