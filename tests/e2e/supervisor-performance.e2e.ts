/**
 * The operators' performance (issue #8, supervisors): the page's figures equal the server database's call rows for
 * today and for the last 7 days, the period shows in both calendars, and a bad date is refused. Checked in the
 * embedded PostgreSQL of playwright.config.ts.
 */
import { test, expect } from '@playwright/test';
import postgres from 'postgres';
import { login } from './fixtures.ts';

const PG_PORT = Number(process.env.E2E_EMBEDDED_PG_PORT ?? 5497);
const sql = postgres(`postgres://kansho:kansho-embedded@127.0.0.1:${PG_PORT}/kansho`, { max: 1, onnotice: () => {} });

test.afterAll(async () => {
	await sql.end();
});

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

	const bad = await page.goto('/supervisor/performance?from=2026-02-30');
	expect(bad?.status()).toBe(400);
});
