/** The command line as the ward's batch job runs it: exit codes, --json, export-results. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { testSql, resetDb } from '../helpers/db.ts';
import { newSegment } from '../helpers/factories.ts';
import { household, tempDir, writeSet } from '../helpers/ward-files.ts';

const sql = testSql();
const root = path.resolve(import.meta.dirname, '../..');

function cli(args: string[]) {
	const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
	delete env.VITEST;
	delete env.NODE_OPTIONS;
	const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
	await resetDb(sql);
	await sql`truncate imports, import_rejections, payments, exports restart identity cascade`;
	await newSegment(sql, 'general');
});
afterAll(() => sql.end());

describe('npm run kansho -- import / export-results', () => {
	it('exits 1 and applies nothing when a row is invalid, listing every rejection in --json', () => {
		const hs = [household('00100001', '2000000001'), household('00100002', '2000000002')];
		hs[0].収納[0].調定額 = 'abc';
		hs[1].個人.生年月日 = '令和8年2月30日';
		const r = cli(['import', writeSet(hs), '--json', '--as-of', '2026-11-27']);
		expect(r.code, r.stderr).toBe(1);
		const j = JSON.parse(r.stdout);
		expect(j.applied).toBe(false);
		expect(j.rejected).toEqual([
			{ file: '個人.csv', line: 3, column: '生年月日', reason: expect.stringContaining('令和8年2月30日') },
			{ file: '収納.csv', line: 2, column: '調定額', reason: expect.any(String) }
		]);
	});

	it('exits 0 on a clean dry run and on apply, with the figures in --json', async () => {
		const dir = writeSet([household('00100011', '2000000011', { paid: [10_000] }), household('00100012', '2000000012', { phone: '不明' })]);
		const dry = cli(['import', dir, '--dry-run', '--json', '--as-of', '2026-11-27']);
		expect(dry.code, dry.stderr).toBe(0);
		expect(JSON.parse(dry.stdout)).toMatchObject({ applied: false, status: 'dry_run', households: 2 });
		const r = cli(['import', dir, '--json', '--as-of', '2026-11-27']);
		expect(r.code, r.stderr).toBe(0);
		const j = JSON.parse(r.stdout);
		expect(j).toMatchObject({
			applied: true,
			households: 2,
			persons: 2,
			receipts: 12,
			households_in_arrears: 2,
			total_arrears_yen: 40_000 + 50_000,
			households_without_valid_phone: 1,
			resolved: 0,
			rejected: []
		});
		expect(j.import_id).toBeGreaterThan(0);
		const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from households where nhi_number like '001000%'`;
		expect(n).toBe(2);
	});

	it('prints a readable summary and progress on stderr without --json', () => {
		const r = cli(['import', writeSet([household('00100021', '2000000021')]), '--dry-run', '--as-of', '2026-11-27']);
		expect(r.code, r.stderr).toBe(0);
		expect(r.stdout).toBe('');
		expect(r.stderr).toContain('世帯.csv');
		expect(r.stderr).toContain('100%');
		expect(r.stderr).toContain('確認のみ');
	});

	it('exits 2 on usage errors and unreadable input', () => {
		expect(cli(['import']).code).toBe(2);
		expect(cli(['import', '/nonexistent/folder']).code).toBe(2);
		const dir = tempDir();
		fs.writeFileSync(path.join(dir, '世帯 (1).csv'), 'x');
		const r = cli(['import', dir]);
		expect(r.code).toBe(2);
		expect(r.stderr).toContain('世帯 (1).csv');
		expect(cli(['import', dir, '--encoding', 'latin1']).code).toBe(2);
		expect(cli(['export-results', '--from', '2026-11-01']).code).toBe(2);
	});

	it('writes 架電結果.csv in CP932', () => {
		const out = path.join(tempDir(), '架電結果.csv');
		const r = cli(['export-results', '--from', '2026-11-01', '--to', '2026-11-30', '-o', out]);
		expect(r.code, r.stderr).toBe(0);
		const text = iconv.decode(fs.readFileSync(out), 'cp932');
		expect(text.startsWith('国保記号番号,住民番号,架電日時')).toBe(true);
	});
});
