import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { login } from './fixtures.ts';
import { HEADERS, household, removeTempDirs, tempDir, writeSet, writeWardFile } from '../helpers/ward-files.ts';

test.afterAll(removeTempDirs);

/**
 * The administrator's import page: upload, dry run, apply, live progress, history, quarantine. The sets here
 * carry 世帯.csv and 個人.csv only (a delta), so the demo households of the other tests stay in the queue.
 */
function wardSet(prefix: string, opts: { badBirthDate?: boolean } = {}) {
	const dir = tempDir('kansho-e2e-import-');
	const hs = [household(`${prefix}01`, `${prefix}R01`, { name: '髙橋　一郎', kana: 'ﾀｶﾊｼ ｲﾁﾛｳ' }), household(`${prefix}02`, `${prefix}R02`)];
	if (opts.badBirthDate) hs[1].個人.生年月日 = '平成31年5月1日';
	writeWardFile(dir, '世帯.csv', HEADERS.世帯, hs.map((h) => h.世帯));
	writeWardFile(dir, '個人.csv', HEADERS.個人, hs.map((h) => h.個人));
	return ['世帯.csv', '個人.csv'].map((f) => path.join(dir, f));
}

test('an administrator checks, applies and reviews an import', async ({ page }) => {
	// five imports and a reload in one story: more than the default time on a busy machine
	test.slow();
	await login(page, 'admin01');
	await page.getByRole('link', { name: 'データ取込' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'データ取込' })).toBeVisible();

	// 1. dry run of a clean set
	await page.getByTestId('import-files').setInputFiles(wardSet('E2EA'));
	await page.getByTestId('dry-run').click();
	const report = page.getByTestId('import-report');
	await expect(report).toHaveAttribute('data-status', 'dry_run');
	await expect(report).toContainText('確認のみ（未反映）');
	await expect(page.getByTestId('import-changes')).toContainText('新規世帯');
	await expect(report.locator('tr', { hasText: '世帯.csv' })).toContainText('cp932');
	// live progress reached every file
	const progress = page.getByTestId('import-progress');
	await expect(progress.locator('.prog', { hasText: '世帯.csv' })).toContainText('100%');
	await expect(progress.locator('.prog', { hasText: '個人.csv' })).toContainText('100%');

	// the dry run is a record: a reload shows its report again, with its apply button
	await expect(page).toHaveURL(/\/admin\/imports\?import=\d+$/);
	const dryRunId = Number(new URL(page.url()).searchParams.get('import'));
	await page.reload();
	await expect(report).toHaveAttribute('data-status', 'dry_run');
	await expect(report).toHaveAttribute('data-import', String(dryRunId));
	await expect(page.getByTestId('import-changes')).toContainText('新規世帯');
	await expect(page.getByTestId('kept-until')).toContainText('まで保持します');
	// and coming back later: the page without it shows no report; the history row opens it
	await page.goto('/admin/imports');
	await expect(report).toHaveCount(0);
	await page.getByTestId(`open-import-${dryRunId}`).click();
	await expect(report).toHaveAttribute('data-import', String(dryRunId));
	await expect(report).toHaveAttribute('data-status', 'dry_run');

	// 2. apply it, from the reopened report
	await page.getByTestId('apply').click();
	await expect(report).toHaveAttribute('data-status', 'applied');
	await expect(page.getByTestId('import-history').locator('tr[data-status="applied"]').first()).toContainText('世帯.csv');
	const appliedId = Number(await report.getAttribute('data-import'));
	expect(appliedId).toBeGreaterThan(dryRunId);
	// the dry run's report still opens, and says plainly that it was applied (no apply button any more)
	await page.getByTestId(`open-import-${dryRunId}`).click();
	await expect(report).toHaveAttribute('data-import', String(dryRunId));
	await expect(page.getByTestId('apply-unavailable')).toHaveText(new RegExp(`この確認の内容は取込 #${appliedId} として反映済みです。`));
	await expect(page.getByTestId('apply')).toHaveCount(0);

	// 3. a set with an invalid row: every bad row is shown with file, line, column and reason, in Japanese
	await page.getByTestId('import-files').setInputFiles(wardSet('E2EB', { badBirthDate: true }));
	await page.getByTestId('dry-run').click();
	// the page showed the first dry run (reopened): wait for this one's record
	await expect(page).not.toHaveURL(new RegExp(`import=${dryRunId}$`));
	await expect(report).not.toHaveAttribute('data-import', String(dryRunId));
	await expect(report).toHaveAttribute('data-status', 'dry_run');
	const rejected = page.getByTestId('rejected-rows');
	await expect(rejected.locator('tbody tr')).toHaveCount(1);
	await expect(rejected.locator('tbody tr').first()).toContainText('個人.csv');
	await expect(rejected.locator('tbody tr').first()).toContainText('生年月日');
	await expect(rejected.locator('tbody tr').first()).toContainText('「平成31年5月1日」は存在しません');
	await expect(page.getByTestId('apply')).toHaveCount(0);

	// 4. apply while holding the bad row back
	await page.getByLabel(/不正な 1 行を保留し/).check();
	await page.getByTestId('apply-quarantine').click();
	await expect(report).toHaveAttribute('data-status', 'applied');
	const quarantine = page.getByTestId('quarantine');
	await expect(quarantine).toContainText('平成31年5月1日');
	await page.screenshot({ path: 'test-results/imports.png', fullPage: true });

	// 5. dismissing asks first, naming the row: "cancel" keeps it (on the server too: still there after a reload)
	const questions: string[] = [];
	page.once('dialog', (d) => {
		questions.push(d.message());
		void d.dismiss();
	});
	await quarantine.getByRole('button', { name: '取り下げ' }).first().click();
	await expect.poll(() => questions.length).toBe(1);
	expect(questions[0]).toMatch(/^個人\.csv の\d+行目を保留中の行から取り下げますか？/);
	await page.reload();
	await expect(page.getByTestId('quarantine')).toContainText('平成31年5月1日');
	// "OK" dismisses it
	page.once('dialog', (d) => void d.accept());
	await page.getByTestId('quarantine').getByRole('button', { name: '取り下げ' }).first().click();
	await expect(page.getByText('保留中の行はありません')).toBeVisible();
});

test('a full set that would take most households out of the queue asks for a confirmation naming the count (never applied here)', async ({ page }) => {
	await login(page, 'admin01');
	await page.goto('/admin/imports');
	// two households as the "full" snapshot: every demo household would be resolved
	const dir = writeSet([household('E2EF01', 'E2EFR01'), household('E2EF02', 'E2EFR02')], { dir: tempDir('kansho-e2e-import-') });
	await page.getByTestId('import-files').setInputFiles(['世帯.csv', '個人.csv', '収納.csv'].map((f) => path.join(dir, f)));
	await page.getByTestId('dry-run').click();
	const report = page.getByTestId('import-report');
	await expect(report).toHaveAttribute('data-status', 'dry_run');
	const warning = page.getByTestId('mass-resolve');
	await expect(warning).toContainText('世帯が「解消」として架電対象から外れます');
	// the browser will not send the apply without the tick
	await page.getByTestId('apply').click();
	await expect(report).toHaveAttribute('data-status', 'dry_run');
	expect(await page.getByTestId('confirm-resolved').evaluate((e: HTMLInputElement) => e.validity.valueMissing)).toBe(true);
	// nor does the server take it without the tick
	const form = page.locator('form.apply');
	const fields = Object.fromEntries(
		await form.locator('input[type="hidden"]').evaluateAll((inputs) => inputs.map((i) => [(i as HTMLInputElement).name, (i as HTMLInputElement).value]))
	);
	// the form names the dry run only: the count to confirm is the dry run's record's, not something the browser sends
	expect(Object.keys(fields)).toEqual(['importId']);
	const res = await page.request.post('/admin/imports?/apply', { form: fields, headers: { origin: new URL(page.url()).origin, 'x-sveltekit-action': 'true' } });
	const body = await res.json();
	expect(body.type).toBe('failure');
	expect(body.status).toBe(400);
	expect(String(body.data)).toContain('confirm_resolve');
	// nothing was applied: the history's newest record is still the dry run
	await page.reload();
	await expect(page.getByTestId('import-history').locator('tbody tr').first()).toHaveAttribute('data-status', 'dry_run');
});

test('the import page is the administrator’s alone, and bad files get a clear message', async ({ page, browser }) => {
	const ctx = await browser.newContext();
	const other = await ctx.newPage();
	await login(other, 'sv01');
	expect((await other.goto('/admin/imports'))?.status()).toBe(403);
	await ctx.close();

	await login(page, 'admin01');
	await page.goto('/admin/imports');
	const dir = tempDir('kansho-e2e-bad-');
	fs.writeFileSync(path.join(dir, 'households.csv'), 'a,b\r\n1,2\r\n');
	await page.getByTestId('import-files').setInputFiles(path.join(dir, 'households.csv'));
	await page.getByTestId('dry-run').click();
	// the refusal names the file in the user's language, not the server's code
	await expect(page.getByTestId('import-error-field')).toHaveText('取込仕様にないファイル名です：households.csv（世帯.csv・個人.csv・収納.csv など、仕様どおりの名前にしてください）。');
	await expect(page.getByTestId('import-error')).not.toContainText('unknown_file_names');
	// nothing was read: no progress is left on screen saying 読み込み中… (QA: it stayed for ever)
	await expect(page.getByTestId('import-progress')).toHaveCount(0);
});

test('a file without a required column is named as a file problem, not counted as invalid rows', async ({ page }) => {
	await login(page, 'admin01');
	await page.goto('/admin/imports');
	// 世帯.csv without its 電話番号 column, and three persons who hang off those households
	const dir = tempDir('kansho-e2e-import-');
	const hs = ['01', '02', '03'].map((n) => household(`E2EM${n}`, `E2EMR${n}`));
	writeWardFile(dir, '世帯.csv', HEADERS.世帯.filter((h) => h !== '電話番号'), hs.map((h) => h.世帯));
	writeWardFile(dir, '個人.csv', HEADERS.個人, hs.map((h) => h.個人));
	await page.getByTestId('import-files').setInputFiles(['世帯.csv', '個人.csv'].map((f) => path.join(dir, f)));
	await page.getByTestId('dry-run').click();
	const report = page.getByTestId('import-report');
	await expect(report).toHaveAttribute('data-status', 'rejected');
	await expect(report.getByRole('heading', { level: 2 })).toContainText('ファイルに問題があるため取り込みませんでした');
	const problems = page.getByTestId('file-problems');
	await expect(problems.getByTestId('file-problem')).toHaveText(['世帯.csv に必須の列がありません：電話番号']);
	await expect(problems).toContainText('ファイル間の照合');
	// no "不正な行 N 件": the persons' rows are not counted as invalid because of the other file's header
	await expect(page.getByTestId('rejected-rows')).toHaveCount(0);
	await expect(report).not.toContainText('不正な行');
	await expect(page.getByTestId('apply')).toHaveCount(0);
	await expect(page.getByTestId('apply-quarantine')).toHaveCount(0);
	// the history says the same: a file problem, no invalid rows
	const id = new URL(page.url()).searchParams.get('import');
	const row = page.getByTestId('import-history').locator('tr', { has: page.getByTestId(`open-import-${id}`) });
	await expect(row).toContainText('ファイルに問題があるため取り込みませんでした');
	await expect(row.locator('td.num').last()).toHaveText('0');
	await page.screenshot({ path: 'test-results/imports-file-problem.png', fullPage: true });
});
