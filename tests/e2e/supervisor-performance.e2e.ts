/**
 * The operators' performance (issue #8, supervisors): the page's figures equal the server database's call rows for
 * today and for the last 7 days, the period shows in both calendars, and a bad date is refused. Checked in the
 * embedded PostgreSQL of playwright.config.ts.
 */
import { test, expect } from '@playwright/test';
import postgres from 'postgres';
import { login, storedLocaleJapanese } from './fixtures.ts';

const PG_PORT = Number(process.env.E2E_EMBEDDED_PG_PORT ?? 5497);
const sql = postgres(`postgres://kansho:kansho-embedded@127.0.0.1:${PG_PORT}/kansho`, { max: 1, onnotice: () => {} });

test.afterAll(async () => {
	await sql.end();
});
test.afterEach(() => storedLocaleJapanese('sv01'));

test('a supervisor reads each operator’s figures for today and the last 7 days; they match the call rows', async ({ page }) => {
	// a call of op01 today, so that the table has something to show whatever ran before
	await login(page, 'op01');
	const claimed = await page.request.post('/api/claims/next');
	expect(claimed.status()).toBe(200);
	const { householdId } = await claimed.json();
	const saved = await page.request.post('/api/calls', { data: { householdId, outcomeCode: '11', idempotencyKey: `perf-e2e-${Date.now()}` } });
	expect(saved.status()).toBe(201);
	await page.request.post('/logout');

	await login(page, 'sv01');
	await page.goto('/supervisor/performance');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('オペレータ別の実績');
	await expect(page.getByTestId('performance-period')).toContainText('令和');
	const counts = async (days: number) =>
		sql<{ id: number; n: number }[]>`
			select u.id, count(c.id)::int as n from users u
			left join calls c on c.operator_id = u.id and c.recorded_at >= (date_trunc('day', now() at time zone 'Asia/Tokyo') - make_interval(days => ${days - 1})) at time zone 'Asia/Tokyo'
			where u.role = 'operator' and u.disabled_at is null group by u.id`;
	const table = page.getByTestId('performance-table');
	for (const row of await counts(1)) await expect(table.locator(`tr[data-operator-id="${row.id}"]`)).toHaveAttribute('data-attempts', String(row.n));
	const [op01] = await sql<{ id: number }[]>`select id from users where login_id = 'op01'`;
	expect(Number(await table.locator(`tr[data-operator-id="${op01.id}"]`).getAttribute('data-attempts'))).toBeGreaterThanOrEqual(1);
	const total = (await counts(1)).reduce((s, r) => s + r.n, 0);
	await expect(page.getByTestId('performance-total')).toHaveAttribute('data-attempts', String(total));

	await page.getByRole('link', { name: '直近7日' }).click();
	await expect(page).toHaveURL(/from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}/);
	for (const row of await counts(7)) await expect(table.locator(`tr[data-operator-id="${row.id}"]`)).toHaveAttribute('data-attempts', String(row.n));

	// a date that does not exist is refused at its field, the page kept
	await page.goto('/supervisor/performance?from=2026-02-30');
	await expect(page.getByTestId('error-from')).toHaveText('開始日：2026-02-30 は存在しない日付です。');
});

test('a reversed range is refused at the 終了日 field in Japanese (and in English), with the dates typed kept', async ({ page }) => {
	await login(page, 'sv01');
	await page.goto('/supervisor/performance');
	const range = page.getByTestId('performance-range');
	await range.getByLabel('開始日').fill('2026-11-30');
	await range.getByLabel('終了日').fill('2026-11-01');
	await range.getByRole('button', { name: '表示' }).click();
	await expect(page).toHaveURL(/from=2026-11-30&to=2026-11-01/);
	await expect(range.getByTestId('error-to')).toHaveText('終了日は開始日以降の日付にしてください。');
	await expect(range.getByLabel('開始日')).toHaveValue('2026-11-30');
	await expect(range.getByLabel('終了日')).toHaveValue('2026-11-01');
	await expect(page.getByTestId('performance-refused')).toBeVisible();
	await expect(page.getByTestId('performance-table')).toHaveCount(0);
	await expect(page.getByText('on or after from')).toHaveCount(0);

	await page.getByRole('button', { name: /English/ }).click();
	await expect(range.getByTestId('error-to')).toHaveText('“To” must not be before “From”.');
	await expect(range.getByLabel('From')).toHaveValue('2026-11-30');
	await expect(range.getByLabel('To')).toHaveValue('2026-11-01');
	// the period in English names the era in ASCII (no 令和, no full-width brackets); in Japanese as staff write it
	await page.goto('/supervisor/performance?from=2026-11-01&to=2026-11-30');
	await expect(page.getByTestId('performance-period')).toHaveText('2026-11-01 (Reiwa 8) – 2026-11-30 (Reiwa 8)');
	await page.getByRole('button', { name: /日本語/ }).click();
	await expect(page.getByTestId('performance-period')).toHaveText('2026-11-01（令和8年11月1日） 〜 2026-11-30（令和8年11月30日）');

	// a range longer than 93 days, in Japanese
	await page.goto('/supervisor/performance?from=2026-01-01&to=2026-12-31');
	await expect(range.getByTestId('error-to')).toHaveText('開始日から終了日までの期間は93日以内にしてください。');
});
