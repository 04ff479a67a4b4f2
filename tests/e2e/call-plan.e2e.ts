/**
 * The call plan (issue #8 part B, /manager/plan): the demo's plan is shown; a supervisor adds a week for a segment
 * and the page shows it; the actuals of this week's rows equal the server database's call rows; a bad value is
 * refused naming the field; a stale edit (another tab saved first) is refused and changes nothing; a manager reads
 * the plan without the editor, in English on request, and sees the month's progress on /manager. Checked in the
 * embedded PostgreSQL of playwright.config.ts.
 */
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import postgres from 'postgres';
import { login, storedLocaleJapanese } from './fixtures.ts';

// the language switch is stored on the user: put it back even if the test failed half-way
test.afterEach(() => storedLocaleJapanese('mgr01'));

const PG_PORT = Number(process.env.E2E_EMBEDDED_PG_PORT ?? 5497);
const sql = postgres(`postgres://kansho:kansho-embedded@127.0.0.1:${PG_PORT}/kansho`, { max: 1, onnotice: () => {} });

test.afterAll(async () => {
	await sql.end();
});

/** Actual measures per segment of the Tokyo week in progress, counted straight from the calls (docs/kpis.md). */
async function thisWeeksActuals() {
	return sql<{ segmentId: string; attempts: number; contacts: number; promises: number }[]>`
		select c.segment_id::text as "segmentId", count(*)::int as attempts,
		  count(distinct c.household_id) filter (where o.right_party)::int as contacts,
		  count(*) filter (where o.kind = 'promise')::int as promises
		from calls c join outcome_codes o on o.code = c.outcome_code
		where date_trunc('week', (c.recorded_at at time zone 'Asia/Tokyo')::date) = date_trunc('week', (now() at time zone 'Asia/Tokyo')::date)
		group by c.segment_id`;
}

test('a supervisor adds a plan week; the page shows it and this week’s actuals equal the calls', async ({ page }) => {
	// two calls of op01 this week (one reaching the payer), so that the actuals are not all zero
	await login(page, 'op01');
	for (const outcomeCode of ['11', '20']) {
		const claimed = await page.request.post('/api/claims/next');
		expect(claimed.status()).toBe(200);
		const { householdId } = await claimed.json();
		const saved = await page.request.post('/api/calls', { data: { householdId, outcomeCode, ...(outcomeCode === '20' ? { party: 'self' } : {}), idempotencyKey: `plan-e2e-${outcomeCode}-${Date.now()}` } });
		expect(saved.status()).toBe(201);
	}
	await page.request.post('/logout');

	await login(page, 'sv01');
	await page.goto('/manager/plan');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('納付案内計画');
	await expect(page.getByTestId('plan-table')).toBeVisible();
	await expect(page.getByTestId('plan-editor')).toBeVisible();

	// this week's rows (the demo plans every demo segment around today) against the calls
	const [{ week }] = await sql<{ week: string }[]>`select date_trunc('week', (now() at time zone 'Asia/Tokyo')::date)::date::text as week`;
	const actual = await thisWeeksActuals();
	const rows = page.locator(`tr[data-testid="plan-row"][data-week="${week}"]`);
	const n = await rows.count();
	expect(n).toBeGreaterThan(0);
	for (let i = 0; i < n; i++) {
		const row = rows.nth(i);
		const seg = await row.getAttribute('data-segment-id');
		const a = actual.find((x) => x.segmentId === seg);
		await expect(row).toHaveAttribute('data-actual-attempts', String(a?.attempts ?? 0));
		await expect(row).toHaveAttribute('data-actual-contacts', String(a?.contacts ?? 0));
		await expect(row).toHaveAttribute('data-actual-promises', String(a?.promises ?? 0));
	}
	const planned = await sql<{ segmentId: string }[]>`
		select w.segment_id::text as "segmentId" from call_plan_weeks w where w.week_start = ${week}::date`;
	const callsInPlanned = actual.filter((a) => planned.some((p) => p.segmentId === a.segmentId)).reduce((s, a) => s + a.attempts, 0);
	expect(callsInPlanned).toBeGreaterThanOrEqual(2);
	await expect(page.locator(`tr[data-testid="plan-week-total"][data-week="${week}"]`)).toHaveAttribute('data-actual-attempts', String(callsInPlanned));

	// a week of the year the demo did not plan, for the general segment
	const [general] = await sql<{ id: string }[]>`select id::text from segments where code = 'general'`;
	const options = await page.getByTestId('plan-add').locator('select[name="weekStart"] option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
	const taken = new Set((await sql<{ w: string }[]>`select week_start::text as w from call_plan_weeks where segment_id = ${general.id}`).map((r) => r.w));
	const free = options.find((w) => !taken.has(w) && w > week) ?? options.find((w) => !taken.has(w));
	expect(free).toBeTruthy();
	const form = page.getByTestId('plan-add');
	await form.locator('select[name="weekStart"]').selectOption(free!);
	await form.locator('select[name="segmentId"]').selectOption(general.id);
	await form.getByLabel('架電件数の目標').fill('321');
	await form.getByLabel('本人接触の目標').fill('80');
	await form.getByLabel('納付約束の目標').fill('20');
	await form.getByLabel('体制（人時）').fill('24');
	await form.getByRole('button', { name: '週の計画を追加' }).click();
	await expect(page.getByTestId('plan-message')).toHaveText('追加しました。');
	const added = page.locator(`tr[data-testid="plan-row"][data-week="${free}"][data-segment-id="${general.id}"]`);
	await expect(added).toHaveAttribute('data-target-attempts', '321');
	await expect(added).toHaveAttribute('data-actual-attempts', '0');
	const [db] = await sql<{ n: number }[]>`select target_attempts as n from call_plan_weeks where week_start = ${free!}::date and segment_id = ${general.id}`;
	expect(db.n).toBe(321);

	// the same cell again: refused, naming the field
	await form.locator('select[name="weekStart"]').selectOption(free!);
	await form.locator('select[name="segmentId"]').selectOption(general.id);
	for (const [label, v] of [['架電件数の目標', '10'], ['本人接触の目標', '1'], ['納付約束の目標', '1'], ['体制（人時）', '1']]) await form.getByLabel(label).fill(v);
	await form.getByRole('button', { name: '週の計画を追加' }).click();
	await expect(page.getByTestId('plan-error').locator('li[data-field="segmentId"]')).toContainText('区分');
	expect((await sql<{ n: number }[]>`select target_attempts as n from call_plan_weeks where week_start = ${free!}::date and segment_id = ${general.id}`)[0].n).toBe(321);

	// a stale edit: another tab saves the new row first; this page's removal (from the version it shows) is refused
	const other = await page.context().newPage();
	await other.goto(`/manager/plan?week=${free}`);
	const editRow = other.locator(`[data-testid="plan-edit-row"][data-segment-id="${general.id}"]`);
	await editRow.getByLabel('架電件数の目標').fill('400');
	await editRow.getByRole('button', { name: '保存' }).click();
	await expect(other.getByTestId('plan-message')).toHaveText('保存しました。');
	await other.close();
	const before = await sql`select id, week_start::text, segment_id, target_attempts from call_plan_weeks order by id`;
	await page.locator('[data-testid="plan-edit-row"]').first().getByRole('button', { name: '削除' }).click();
	await expect(page.getByTestId('plan-error')).toHaveAttribute('data-code', 'conflict');
	await expect(page.getByTestId('plan-error')).toContainText('他の人がこの計画を変更しました');
	expect(await sql`select id, week_start::text, segment_id, target_attempts from call_plan_weeks order by id`).toEqual(before);
	expect(before.find((r) => r.week_start === free && String(r.segment_id) === general.id)?.target_attempts).toBe(400);
});

test('a manager reads the plan (no editor), in English on request, and its month on /manager', async ({ page }) => {
	await login(page, 'mgr01');
	await page.goto('/manager/plan');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('納付案内計画');
	await expect(page.getByTestId('plan-table')).toBeVisible();
	await expect(page.getByTestId('plan-editor')).toHaveCount(0);
	// the year selector names fiscal years as everywhere else: 2026年度 (FY2026 in English)
	const today = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
	const fy = Number(today.slice(5, 7)) >= 4 ? Number(today.slice(0, 4)) : Number(today.slice(0, 4)) - 1;
	await expect(page.getByLabel('年度', { exact: true }).locator('option:checked')).toHaveText(`${fy}年度`);
	await expect(page.getByLabel('年度', { exact: true }).locator('option')).toContainText([`${fy - 1}年度`, `${fy}年度`, `${fy + 1}年度`]);
	const [{ total }] = await sql<{ total: number }[]>`
		select coalesce(sum(target_attempts), 0)::int as total from call_plan_weeks w join call_plans p on p.id = w.plan_id
		where p.fiscal_year = (select case when extract(month from d) >= 4 then extract(year from d) else extract(year from d) - 1 end
		                       from (select (now() at time zone 'Asia/Tokyo')::date as d) x)`;
	await expect(page.getByTestId('plan-total')).toHaveAttribute('data-target-attempts', String(total));
	// the data behind the chart, as CSV: its weeks' planned attempts add up to the plan's
	const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('csv-download').click()]);
	const lines = fs.readFileSync((await dl.path())!, 'utf8').slice(1).trim().split('\r\n');
	expect(lines[0]).toBe('week,target_attempts,actual_attempts,target_contacts,actual_contacts,target_promises,actual_promises');
	expect(lines.slice(1).reduce((sum, l) => sum + Number(l.split(',')[1]), 0)).toBe(total);
	// the page's minute refresh: the plan's table and version, as JSON
	const refresh = await page.request.get('/manager/plan/progress', { headers: { 'x-kansho-background': '1' } });
	expect(refresh.status()).toBe(200);
	const [{ version }] = await sql<{ version: number }[]>`select version::int from call_plans order by id desc limit 1`;
	expect((await refresh.json()).version).toBe(version);
	// a manager may not change it: the action is refused (a form post as a browser sends it without JavaScript)
	const res = await page.request.post('/manager/plan?/add', { form: { planId: '1', version: '1' }, headers: { origin: new URL(page.url()).origin, accept: 'text/html' } });
	expect(res.status()).toBe(403);

	await page.getByRole('button', { name: /English/ }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Call plan' })).toBeVisible();
	await expect(page.getByLabel('Fiscal year', { exact: true }).locator('option:checked')).toHaveText(`FY${fy}`);
	await page.getByRole('button', { name: /日本語/ }).click();
	await expect(page.getByRole('heading', { level: 1, name: '納付案内計画' })).toBeVisible();

	await page.goto('/manager');
	await expect(page.getByTestId('report-plan')).toBeVisible();
	const [m] = await sql<{ n: number }[]>`
		select coalesce(sum(target_attempts), 0)::int as n from call_plan_weeks
		where to_char(week_start, 'YYYY-MM') = to_char((now() at time zone 'Asia/Tokyo')::date, 'YYYY-MM')`;
	await expect(page.getByTestId('report-plan-total')).toHaveAttribute('data-target-attempts', String(m.n));
});
