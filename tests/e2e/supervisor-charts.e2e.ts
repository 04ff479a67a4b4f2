import { test, expect, type Page } from '@playwright/test';
import { login, storedLocaleJapanese } from './fixtures.ts';

// the language switch is stored on the user: put it back even if the test failed half-way
test.afterEach(() => storedLocaleJapanese('sv01'));

/** The Tokyo hour now (the hour an outcome recorded now is counted in). */
const tokyoHour = () => new Date(Date.now() + 9 * 3600_000).getUTCHours();

/** The attempts chart's table cell of today at `hour` (0 when the hour has no row yet: outside 8–21 with no calls). */
async function attemptsAt(page: Page, hour: number): Promise<number> {
	const cell = page.getByTestId('chart-attempts').locator(`tr[data-hour="${hour}"] [data-testid="today"]`);
	if ((await cell.count()) === 0) return 0;
	return Number((await cell.innerText()).replace(/[^\d]/g, ''));
}

async function funnelAttempted(page: Page): Promise<number> {
	const cells = await page.locator('[data-testid^="funnel-"] tr[data-stage="attempted"] [data-testid="count"]').allTextContents();
	return cells.reduce((s, x) => s + Number(x.replace(/[^\d]/g, '')), 0);
}

test('the supervisor’s live charts state their formulas, have table views, and count an outcome as it is recorded', async ({ browser }) => {
	const svCtx = await browser.newContext();
	const opCtx = await browser.newContext();
	const sv = await svCtx.newPage();
	const op = await opCtx.newPage();

	await login(sv, 'sv01');
	await sv.goto('/supervisor');
	await expect(sv.getByTestId('updated-at')).toHaveAttribute('data-status', 'connected');
	const charts = sv.getByTestId('live-charts');
	await expect(charts.getByRole('heading', { name: 'ライブグラフ' })).toBeVisible();

	// every chart states its formula and denominator
	await expect(sv.getByTestId('chart-contactRate').getByTestId('formula')).toHaveText(/接触率 = 接触世帯数 ÷ 架電世帯数\s*分母：架電世帯数/);
	await expect(sv.getByTestId('chart-promiseRate').getByTestId('formula')).toContainText('納付約束率 = 納付約束件数 ÷ 本人接触数');
	await expect(sv.getByTestId('chart-attempts').getByTestId('formula')).toContainText('分母はありません');
	// and has a table view, opened from the keyboard
	const attemptsChart = sv.getByTestId('chart-attempts');
	await attemptsChart.locator('details > summary').focus();
	await sv.keyboard.press('Enter');
	await expect(attemptsChart.getByTestId('table')).toBeVisible();
	await expect(attemptsChart.getByTestId('table').locator('tbody tr').first()).toHaveAttribute('data-hour', /\d+/);
	await sv.getByTestId('chart-contactRate').locator('details > summary').click();

	const hour = tokyoHour();
	const before = await attemptsAt(sv, hour);
	const funnelBefore = await funnelAttempted(sv);

	// an operator records an outcome
	await login(op, 'op01');
	await expect(op.getByTestId('connection')).toHaveAttribute('data-status', 'connected');
	await op.keyboard.press('n');
	await expect(op.getByTestId('household-card')).toBeVisible();
	await op.getByTestId('outcome-code').selectOption('20');
	await op.getByLabel('会話記録').fill('本人と通話。');
	await op.keyboard.press('Control+Enter');
	await expect(op.getByTestId('saved-message')).toContainText('20 本人応答');

	// the supervisor's table shows it without reload: this hour's attempts one up, the contact rate with its parts
	await expect.poll(() => attemptsAt(sv, hour)).toBe(before + 1);
	await expect(sv.getByTestId('chart-contactRate').locator(`tr[data-hour="${hour}"] [data-testid="today"]`)).toHaveText(/^\d+\.\d%\s*\(\d+ \/ \d+\)$/);
	await expect(sv.getByTestId('chart-attempts').getByTestId('summary')).toContainText(`架電件数 ${hour}時：`);
	await expect.poll(() => funnelAttempted(sv)).toBeGreaterThan(funnelBefore);
	await charts.screenshot({ path: 'test-results/charts/supervisor-charts.png' });

	// in English too, with the same definitions
	await sv.getByRole('button', { name: /English/ }).click();
	await expect(sv.getByRole('heading', { name: 'Live charts' })).toBeVisible();
	await expect(sv.getByTestId('chart-contactRate').getByTestId('formula')).toHaveText(/Contact rate = households contacted ÷ households attempted\s*Denominator: households attempted/);
	await expect(sv.getByTestId('chart-attempts').getByTestId('summary')).toContainText(`Attempts ${hour}:00:`);
	// back to Japanese: the choice is stored on the user, and later tests sign in as sv01 too
	await sv.getByRole('button', { name: /日本語/ }).click();
	await expect(sv.getByRole('heading', { name: 'ライブグラフ' })).toBeVisible();

	await svCtx.close();
	await opCtx.close();
});
