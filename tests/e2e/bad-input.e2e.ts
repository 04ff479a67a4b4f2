import { test, expect } from '@playwright/test';
import { login, storedLocaleJapanese } from './fixtures.ts';

// the language switch is stored on the user: put it back even if a test failed half-way
test.afterEach(() => storedLocaleJapanese('audit01'));

const tokyoToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
const daysFromToday = (n: number) => new Date(Date.parse(`${tokyoToday()}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

test('export: a reversed range stays on the page with the message at 終了日, also when the server refuses the form', async ({ page }) => {
	await login(page, 'admin01');
	await page.goto('/exports');
	await page.getByLabel('開始日').fill('2026-12-01');
	await page.getByLabel('終了日').fill('2026-11-01');
	await page.getByRole('button', { name: 'CSVを書き出す' }).click();
	await expect(page).toHaveURL(/\/exports$/);
	await expect(page.getByTestId('error-to')).toHaveText('終了日は開始日以降の日付にしてください。');
	await expect(page.getByLabel('開始日')).toHaveValue('2026-12-01');
	await expect(page.getByLabel('終了日')).toHaveAttribute('aria-invalid', 'true');
	// the browser's form reaching the server anyway (no script): the page again, never JSON
	await page.goto('/exports/call-results?from=2026-12-01&to=2026-11-01&encoding=utf8');
	await expect(page).toHaveURL(/\/exports\?from=2026-12-01&to=2026-11-01&encoding=utf8$/);
	await expect(page.getByRole('heading', { level: 1, name: '書き出し' })).toBeVisible();
	await expect(page.getByTestId('error-to')).toHaveText('終了日は開始日以降の日付にしてください。');
	await expect(page.getByLabel('文字コード')).toHaveValue('utf8');
	await expect(page.locator('body')).not.toContainText('invalid_input');
});

test('effect: a reversed range keeps the app and the form with the message; a future window says it has not started; names without codes', async ({ page }) => {
	await login(page, 'mgr01');
	await page.goto('/manager/effect?from=2026-12-31&to=2026-11-01');
	await expect(page.getByRole('navigation', { name: 'main' })).toBeVisible();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('架電の効果（無作為対照群との比較）');
	await expect(page.getByTestId('error-to')).toHaveText('終了日は開始日以降の日付にしてください。');
	await expect(page.getByLabel('開始日')).toHaveValue('2026-12-31');
	await expect(page.getByLabel('終了日')).toHaveValue('2026-11-01');
	await expect(page.getByTestId('effect-segment')).toHaveCount(0);

	const section = page.locator('[data-testid="effect-segment"][data-segment="general"]');
	await page.goto('/manager/effect');
	await expect(section.getByRole('heading', { level: 2 })).not.toContainText('general');
	await expect(section.locator('code')).toHaveCount(0);

	await page.goto(`/manager/effect?from=${daysFromToday(40)}&to=${daysFromToday(70)}`);
	await expect(section.getByTestId('effect-state')).toHaveAttribute('data-state', 'not_started');
	await expect(section.getByTestId('effect-state')).toContainText('この期間はまだ始まっていません');
	await expect(section.getByTestId('effect-rate-sentence')).toHaveCount(0);
	await expect(section.getByTestId('effect-table')).toHaveCount(0);
});

test('reports: a day that does not exist shows the reports page with a notice; a future day says so', async ({ page }) => {
	await login(page, 'mgr01');
	const res = await page.goto('/manager/reports?kind=day&period=2026-02-30');
	expect(res?.status()).toBe(200);
	await expect(page.getByRole('navigation', { name: 'main' })).toBeVisible();
	await expect(page.getByTestId('report-refused')).toContainText('日付：2026-02-30 は存在しない日付です。');
	await expect(page.getByTestId('report-refused')).toContainText('代わりに');
	await expect(page.getByTestId('report-title')).toBeVisible();

	await page.goto(`/manager/reports?kind=day&period=${daysFromToday(20)}`);
	await expect(page.getByTestId('report-future')).toHaveText('この期間はまだ始まっていません（今日より後の期間です）。実績はまだありません。');
	await expect(page.getByTestId('report-partial')).toHaveCount(0);
});

test('access log: a bad filter keeps the form with what was typed and names the field in the user’s language', async ({ page }) => {
	await login(page, 'audit01');
	await page.goto('/audit');
	await page.getByLabel('開始日時').fill('2026-12-01');
	await page.getByLabel('終了日時').fill('2026-11-01');
	await page.getByRole('button', { name: '絞り込む' }).click();
	await expect(page.getByTestId('error-to')).toHaveText('終了日時は開始日時以降の日付にしてください。');
	await expect(page.getByLabel('開始日時')).toHaveValue('2026-12-01');
	await expect(page.getByLabel('終了日時')).toHaveValue('2026-11-01');

	await page.goto('/audit');
	await page.getByLabel('ユーザーID').fill('伊藤');
	await page.getByRole('button', { name: '絞り込む' }).click();
	await expect(page.getByTestId('error-user')).toHaveText('ユーザーIDは2〜64文字の半角英数字と「.」「_」「-」で入力してください。');
	await expect(page.getByLabel('ユーザーID')).toHaveValue('伊藤');
	await expect(page.getByTestId('audit-filter')).toBeVisible();
	await expect(page.locator('body')).not.toContainText('must be');

	// English on request: the same refusal in English
	await page.getByRole('button', { name: /English/ }).click();
	await expect(page.getByTestId('error-user')).toHaveText('User ID must be 2–64 letters, digits, “.”, “_” or “-”.');
	await page.getByRole('button', { name: /日本語/ }).click();
	await expect(page.getByTestId('error-user')).toHaveText('ユーザーIDは2〜64文字の半角英数字と「.」「_」「-」で入力してください。');

	// a login ID in capitals finds the same rows; a sign-in's user agent is shortened, the full text in the tooltip
	await page.goto('/audit?user=AUDIT01&action=login');
	const row = page.locator('[data-testid="access-log"] tr[data-action="login"]').first();
	await expect(row).toBeVisible();
	const reason = row.locator('td.reason');
	await expect(reason).not.toContainText('Mozilla/5.0');
	await expect(reason).toHaveAttribute('title', /Mozilla\/5\.0/);
	// field groups are named in the user's language, never by their internal keys
	await page.goto('/audit?action=household.view');
	for (const cell of await page.getByTestId('audit-fields').allTextContents()) expect(cell).not.toMatch(/identity|payer|phones|bankTransfer/);
});
