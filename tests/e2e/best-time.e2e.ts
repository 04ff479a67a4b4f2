/**
 * Best time to call (issue #8): a manager opens the weekday × hour view; every cell's attempts equal the server
 * database's outbound call rows of this fiscal year in that Tokyo weekday and hour; the segment filter narrows it.
 */
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import postgres from 'postgres';
import { login, storedLocaleJapanese } from './fixtures.ts';

const PG_PORT = Number(process.env.E2E_EMBEDDED_PG_PORT ?? 5497);
const sql = postgres(`postgres://kansho:kansho-embedded@127.0.0.1:${PG_PORT}/kansho`, { max: 1, onnotice: () => {} });

test.afterAll(async () => {
	await sql.end();
});
test.afterEach(() => storedLocaleJapanese('mgr01'));

test('a manager reads when households answer, by weekday and hour, for all and for one segment', async ({ page }) => {
	// two outbound calls of this hour in the general segment (the demo's history has none), written straight into the
	// database: no claim or operator state of the demo's operators changes for the tests after this one
	await sql`
		insert into calls (household_id, segment_id, operator_id, direction, party, outcome_code, started_at, recorded_at)
		select q.household_id, q.segment_id, (select id from users where login_id = 'op04'), 'outbound', 'none', '11', now(), now()
		from call_queue q join segments s on s.id = q.segment_id where s.code = 'general' and q.state = 'ready' order by q.household_id limit 2`;

	await login(page, 'mgr01');
	await page.goto('/manager/best-time');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('つながりやすい時間帯（曜日×時間）');
	await expect(page.getByTestId('best-time-summary')).toContainText('令和');
	const counts = (segment: number | null) =>
		sql<{ weekday: number; hour: number; n: number }[]>`
			select extract(isodow from c.recorded_at at time zone 'Asia/Tokyo')::int as weekday, extract(hour from c.recorded_at at time zone 'Asia/Tokyo')::int as hour, count(*)::int as n
			from calls c
			where c.direction = 'outbound'
			  and c.recorded_at >= make_date(extract(year from (now() at time zone 'Asia/Tokyo') - interval '3 months')::int, 4, 1)::timestamp at time zone 'Asia/Tokyo'
			  ${segment === null ? sql`` : sql`and c.segment_id = ${segment}`}
			group by 1, 2`;
	const table = page.getByTestId('best-time-table');
	const all = await counts(null);
	expect(all.reduce((n, c) => n + c.n, 0)).toBeGreaterThanOrEqual(2);
	for (const c of all) await expect(table.locator(`td[data-cell="${c.weekday}-${c.hour}"]`)).toHaveAttribute('data-attempts', String(c.n));
	expect(await table.locator('td[data-cell]').count()).toBe(7 * Number(await table.locator('thead th').count() - 1));

	const [general] = await sql<{ id: number }[]>`select id from segments where code = 'general'`;
	await page.getByTestId('best-time-filters').getByLabel('区分').selectOption(String(general.id));
	await page.getByTestId('best-time-filters').getByRole('button', { name: '表示' }).click();
	await expect(page).toHaveURL(new RegExp(`segment=${general.id}`));
	for (const c of await counts(general.id)) await expect(table.locator(`td[data-cell="${c.weekday}-${c.hour}"]`)).toHaveAttribute('data-attempts', String(c.n));

	// the data behind the heatmap, as CSV: the same attempts per cell
	const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('csv-download').click()]);
	const csv = fs.readFileSync((await dl.path())!, 'utf8');
	expect(csv.charCodeAt(0)).toBe(0xfeff);
	const rows = csv.slice(1).trim().split('\r\n').map((l) => l.split(','));
	expect(rows[0].slice(1)).toEqual(['weekday', 'hour', 'attempts', 'answered', 'rate']);
	for (const c of await counts(general.id)) expect(rows.find((r) => r[1] === String(c.weekday) && r[2] === String(c.hour))?.[3]).toBe(String(c.n));
});

test('a reversed range is refused at the 終了日 field in Japanese (and in English), with the dates typed kept', async ({ page }) => {
	await login(page, 'mgr01');
	await page.goto('/manager/best-time');
	const filters = page.getByTestId('best-time-filters');
	await filters.getByLabel('開始日').fill('2026-11-30');
	await filters.getByLabel('終了日').fill('2026-11-01');
	await filters.getByRole('button', { name: '表示' }).click();
	await expect(page).toHaveURL(/from=2026-11-30&to=2026-11-01/);
	await expect(filters.getByTestId('error-to')).toHaveText('終了日は開始日以降の日付にしてください。');
	await expect(filters.getByLabel('終了日')).toHaveAttribute('aria-invalid', 'true');
	await expect(filters.getByLabel('開始日')).toHaveValue('2026-11-30');
	await expect(filters.getByLabel('終了日')).toHaveValue('2026-11-01');
	await expect(page.getByTestId('best-time-refused')).toBeVisible();
	await expect(page.getByTestId('best-time-table')).toHaveCount(0);
	await expect(page.getByText('on or after from')).toHaveCount(0);

	await page.getByRole('button', { name: /English/ }).click();
	await expect(filters.getByTestId('error-to')).toHaveText('“To” must not be before “From”.');
	await expect(filters.getByLabel('From')).toHaveValue('2026-11-30');
	await expect(filters.getByLabel('To')).toHaveValue('2026-11-01');
	await page.getByRole('button', { name: /日本語/ }).click();
	await expect(filters.getByTestId('error-to')).toHaveText('終了日は開始日以降の日付にしてください。');
});
