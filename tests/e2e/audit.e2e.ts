import { test, expect } from '@playwright/test';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { login, storedLocaleJapanese } from './fixtures.ts';

// the language switch is stored on the user: put it back even if the test failed half-way
test.afterEach(() => storedLocaleJapanese('audit01'));

const tokyoToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

test.describe('access log (auditor)', () => {
	test('the auditor filters the log, downloads it as CSV, and finds the export logged with its SHA-256', async ({ page, browser }) => {
		// something to find: op03 signs in (a `login` row)
		const other = await browser.newContext();
		await login(await other.newPage(), 'op03');
		await other.close();

		await login(page, 'audit01');
		await expect(page).toHaveURL(/\/audit$/);
		await expect(page.getByRole('heading', { level: 1, name: 'アクセスログ' })).toBeVisible();

		const today = tokyoToday();
		await page.getByLabel('ユーザーID').fill('op03');
		await page.getByLabel('操作', { exact: true }).selectOption('login');
		await page.getByLabel('開始日時').fill(today);
		await page.getByLabel('終了日時').fill(today);
		await page.getByRole('button', { name: '絞り込む' }).click();
		await expect(page).toHaveURL(/[?&]user=op03/);
		await expect(page).toHaveURL(/[?&]action=login/);

		const rows = page.getByTestId('access-log').locator('tbody tr');
		await expect(rows.first()).toBeVisible();
		const n = await rows.count();
		for (let i = 0; i < n; i++) {
			await expect(rows.nth(i)).toHaveAttribute('data-action', 'login');
			await expect(rows.nth(i)).toContainText('op03');
			await expect(rows.nth(i)).toContainText('ログイン');
			// Western date beside the Japanese era
			await expect(rows.nth(i).locator('td').first()).toContainText(`${today}（令和`);
		}
		// personal-data pages are not cached
		const again = await page.request.get(page.url());
		expect(again.headers()['cache-control']).toContain('no-store');

		// the CSV of exactly this filter
		const downloading = page.waitForEvent('download');
		await page.getByRole('link', { name: 'CSVを出力（UTF-8）' }).click();
		const download = await downloading;
		expect(download.suggestedFilename()).toMatch(/^access-log-\d{8}-\d{6}\.csv$/);
		const bytes = fs.readFileSync((await download.path())!);
		expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
		const lines = bytes.toString('utf8').slice(1).split('\r\n').filter((l) => l !== '');
		expect(lines[0]).toBe('ログID,連鎖番号,日時,日時（和暦）,ユーザーID,役割,操作,操作名,国保記号番号,世帯番号,項目,理由,IPアドレス,リクエストID,ハッシュ,受電メモ');
		expect(lines.length - 1).toBe(n);
		for (const line of lines.slice(1)) {
			expect(line).toContain(',op03,オペレータ,login,ログイン,');
			expect(line).toContain(`,${today} `);
		}
		const sha256 = createHash('sha256').update(bytes).digest('hex');

		// the export is itself in the log, with the file's SHA-256 and the filter
		await page.goto('/audit?user=audit01&action=audit.export');
		const exported = page.getByTestId('access-log').locator('tbody tr').first();
		await expect(exported).toContainText(`sha256 ${sha256}`);
		await expect(exported).toContainText('"user":"op03"');
		// and so are the auditor's reads, with their filters
		await page.goto('/audit?user=audit01&action=audit.view');
		await expect(page.getByTestId('access-log').locator('tbody tr').first()).toContainText('"action":"audit.export"');

		// English on request
		await page.getByRole('button', { name: /English/ }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Access log' })).toBeVisible();
		await expect(page.getByLabel('User ID')).toHaveValue('audit01');
		await expect(page.getByRole('link', { name: 'Export CSV (UTF-8)' })).toBeVisible();
		// back to Japanese: the choice is stored on the user, and later tests sign in as audit01 too
		await page.getByRole('button', { name: /日本語/ }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'アクセスログ' })).toBeVisible();
	});

	test('a bad filter is refused naming the field, the form kept; the export answers 400', async ({ page }) => {
		await login(page, 'audit01');
		await page.goto('/audit?from=2026-02-30');
		await expect(page.getByTestId('error-from')).toHaveText('開始日時：2026-02-30 は存在しない日付です。');
		await expect(page.getByTestId('audit-filter')).toBeVisible();
		const csv = await page.request.get('/audit/export?action=drop');
		expect(csv.status()).toBe(400);
		expect(await csv.json()).toMatchObject({ code: 'invalid_input', details: { action: expect.any(String) } });
		// a refused export leaves the server up (its temporary file is cleaned up without an unhandled error)
		await expect.poll(async () => (await page.request.get('/readyz')).status()).toBe(200);
		expect((await page.request.get('/audit/export?user=nobody')).status()).toBe(200);
		expect((await page.request.get('/readyz')).status()).toBe(200);
	});

	test('an operator gets 403 on the access log and its export', async ({ page }) => {
		await login(page, 'op01');
		const res = await page.goto('/audit');
		expect(res?.status()).toBe(403);
		await expect(page.getByTestId('error-message')).toHaveText('この画面・操作を利用する権限がありません。');
		expect((await page.request.get('/audit/export')).status()).toBe(403);
		expect((await page.request.get('/audit/export?user=op01')).status()).toBe(403);
	});
});
