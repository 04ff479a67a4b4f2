/**
 * 日報・月報 (issue #8): a manager opens this month's report and today's, the figures equal the server database's
 * call rows, the sections add up, and the PDF, CSV (CP932 and UTF-8) and Excel files downloaded from the page carry
 * the same total (parsed here); the schedule of the monthly report is switched off and on. Checked in the embedded
 * PostgreSQL of playwright.config.ts.
 */
import { test, expect, type Page } from '@playwright/test';
import fs from 'node:fs';
import postgres from 'postgres';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { login } from './fixtures.ts';

const PG_PORT = Number(process.env.E2E_EMBEDDED_PG_PORT ?? 5497);
const sql = postgres(`postgres://kansho:kansho-embedded@127.0.0.1:${PG_PORT}/kansho`, { max: 1, onnotice: () => {} });

test.afterAll(async () => {
	await sql.end();
});

const tokyoToday = () => new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);

async function attemptsSince(day: string, until: string) {
	const [r] = await sql<{ n: number }[]>`
		select count(*)::int as n from calls
		where recorded_at >= (${day}::date::timestamp at time zone 'Asia/Tokyo') and recorded_at < (${until}::date::timestamp at time zone 'Asia/Tokyo')`;
	return r.n;
}

async function download(page: Page, format: string): Promise<Buffer> {
	const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-downloads').locator(`a[data-format="${format}"]`).click()]);
	return fs.readFileSync((await dl.path())!);
}

test('a manager reads the monthly and daily report, and its PDF, CSV and Excel files agree with the database', async ({ page }) => {
	// a call today by op01, so that the day has something whatever ran before
	await login(page, 'op01');
	const claimed = await page.request.post('/api/claims/next');
	expect(claimed.status()).toBe(200);
	const { householdId } = await claimed.json();
	expect((await page.request.post('/api/calls', { data: { householdId, outcomeCode: '11', idempotencyKey: `report-e2e-${Date.now()}` } })).status()).toBe(201);
	await page.request.post('/logout');

	await login(page, 'mgr01');
	await page.goto('/manager/reports');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('日報・月報');
	const today = tokyoToday();
	const month = today.slice(0, 7);
	const [y, m] = month.split('-').map(Number);
	await expect(page.getByTestId('report-title')).toHaveText(`月報 ${y}年${m}月`);
	await expect(page.getByTestId('report-range')).toContainText('令和');
	const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
	const monthAttempts = await attemptsSince(`${month}-01`, next);
	expect(monthAttempts).toBeGreaterThanOrEqual(1);
	const total = page.getByTestId('report-total').locator('tr[data-key="total"] td[data-col="attempts"]');
	await expect(total).toHaveText(monthAttempts.toLocaleString('ja-JP'));
	// the operators' rows add up to the total
	const cells = await page.getByTestId('report-operator').locator('td[data-col="attempts"]').allTextContents();
	expect(cells.reduce((s, c) => s + Number(c.replace(/,/g, '')), 0)).toBe(monthAttempts);
	// op01's team is shown (the demo's 班)
	const [op01] = await sql<{ id: number; team: string }[]>`select id, team from users where login_id = 'op01'`;
	await expect(page.getByTestId('report-operator').locator(`tr[data-key="${op01.id}"] td.team`)).toHaveText(op01.team);

	// the demo's call plan: this month's planned weeks against what was done (its total row's attempts = the database's)
	const planWeeks = await sql<{ n: number }[]>`select count(*)::int as n from call_plan_weeks where to_char(week_start, 'YYYY-MM') = ${month}`;
	if (planWeeks[0].n > 0) await expect(page.getByTestId('report-plan').locator('tr[data-key="total"]')).toBeVisible();

	// the files: the same total in each
	const csv = iconv.decode(await download(page, 'csv'), 'cp932');
	const rows = parse(csv, { relax_column_count: true }) as string[][];
	const head = rows.findIndex((r) => r[0] === '' && r.includes('架電件数'));
	expect(rows[head + 1][0]).toBe('合計');
	expect(Number(rows[head + 1][rows[head].indexOf('架電件数')])).toBe(monthAttempts);
	const utf8 = (await download(page, 'csv-utf8')).toString('utf8');
	expect(utf8.charCodeAt(0)).toBe(0xfeff);
	expect(utf8).toContain(`月報 ${y}年${m}月`);
	if (planWeeks[0].n > 0) expect(utf8).toContain('計画対比');
	const wb = new ExcelJS.Workbook();
	await wb.xlsx.load((await download(page, 'xlsx')) as unknown as ArrayBuffer);
	const ws = wb.getWorksheet('合計')!;
	const col = (ws.getRow(4).values as unknown[]).map(String).indexOf('架電件数');
	expect(Number(ws.getRow(5).getCell(col).value)).toBe(monthAttempts);
	const pdf = await download(page, 'pdf');
	expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
	const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
	const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf) }).promise;
	const first = (await (await doc.getPage(1)).getTextContent()).items.map((x) => ('str' in x ? x.str : '')).join(' ');
	expect(first).toContain(`月報 ${y}年${m}月`);
	expect(first).toContain(monthAttempts.toLocaleString('ja-JP'));
	// every file made is recorded
	const [made] = await sql<{ n: number }[]>`select count(*)::int as n from report_files f join users u on u.id = f.requested_by where u.login_id = 'mgr01' and f.source = 'download' and f.period = ${`${month}-01`}`;
	expect(made.n).toBeGreaterThanOrEqual(4);

	// today's report, by hour
	await page.getByLabel('種類').selectOption('day');
	await page.getByLabel('日付').fill(today);
	await page.getByRole('button', { name: '表示' }).click();
	await expect(page).toHaveURL(new RegExp(`kind=day&period=${today}`));
	const [yy, mm, dd] = today.split('-').map(Number);
	await expect(page.getByTestId('report-title')).toHaveText(`日報 ${yy}年${mm}月${dd}日`);
	const dayAttempts = await attemptsSince(today, new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10));
	await expect(total).toHaveText(dayAttempts.toLocaleString('ja-JP'));
	await page.getByTestId('report-group-2').click();
	await expect(page.getByTestId('report-total').locator('th').nth(1)).toHaveText('引継（分納相談）');

	// a bad period is named in the user's language; this month's report is shown instead
	await page.goto('/manager/reports?kind=month&period=2026-13');
	await expect(page.getByTestId('report-refused')).toContainText('月は月（2026-04 のような形）で入力してください。');

	// the monthly schedule: off, then on again
	await page.goto('/manager/reports');
	const schedule = page.getByTestId('report-schedule');
	await schedule.getByLabel('自動作成する').uncheck();
	await schedule.getByRole('button', { name: '保存' }).click();
	await expect(schedule.getByRole('status')).toHaveText('保存しました。');
	expect((await sql<{ on: boolean }[]>`select monthly_enabled as on from report_schedule`)[0].on).toBe(false);
	await page.reload();
	await expect(schedule.getByLabel('自動作成する')).not.toBeChecked();
	await schedule.getByLabel('自動作成する').check();
	await schedule.getByRole('button', { name: '保存' }).click();
	await expect(schedule.getByRole('status')).toHaveText('保存しました。');
	expect((await sql<{ on: boolean }[]>`select monthly_enabled as on from report_schedule`)[0].on).toBe(true);
});

test('switching between 月報 and 日報 keeps the chosen date (today by default) instead of emptying it', async ({ page }) => {
	await login(page, 'mgr01');
	const form = page.getByTestId('report-period');
	const day = form.getByLabel('日付');
	const month = form.getByLabel('月', { exact: true });
	// this month's report: 日報 offers today
	await page.goto('/manager/reports');
	await page.waitForLoadState('networkidle');
	await form.getByLabel('種類').selectOption('day');
	await expect(day).toHaveValue(tokyoToday());

	// another month: its first day; a day chosen is kept across switching to 月報 and back
	await page.goto('/manager/reports?kind=month&period=2026-04');
	await page.waitForLoadState('networkidle');
	await expect(month).toHaveValue('2026-04');
	await form.getByLabel('種類').selectOption('day');
	await expect(day).toHaveValue('2026-04-01');
	await day.fill('2026-04-15');
	await form.getByLabel('種類').selectOption('month');
	await expect(month).toHaveValue('2026-04');
	await form.getByLabel('種類').selectOption('day');
	await expect(day).toHaveValue('2026-04-15');
	await form.getByRole('button', { name: '表示' }).click();
	await expect(page).toHaveURL(/kind=day&period=2026-04-15/);
	await expect(page.getByTestId('report-title')).toHaveText('日報 2026年4月15日');
	// from the daily report, 月報 offers that day's month
	await page.waitForLoadState('networkidle');
	await form.getByLabel('種類').selectOption('month');
	await expect(month).toHaveValue('2026-04');
});

test('a supervisor reads the report but may not change the schedule; an operator may not read it', async ({ page }) => {
	await login(page, 'sv01');
	await page.goto('/manager/reports?kind=month&period=2026-04');
	await expect(page.getByTestId('report-title')).toHaveText('月報 2026年4月');
	await expect(page.getByTestId('report-schedule').getByLabel('自動作成する')).toHaveCount(0);
	await page.request.post('/logout');
	await login(page, 'op02');
	const r = await page.goto('/manager/reports');
	expect(r?.status()).toBe(403);
});

test('an administrator sets an operator’s team (班), which the reports group by', async ({ page }) => {
	await login(page, 'admin01');
	const [op04] = await sql<{ id: number }[]>`select id from users where login_id = 'op04'`;
	await page.goto(`/admin/users/${op04.id}`);
	await page.waitForLoadState('networkidle');
	await expect(page.getByTestId('user-team')).toHaveText('B班');
	// the teams in use are offered to pick from (a datalist on the field)
	await expect(page.getByRole('combobox', { name: '班', exact: true })).toHaveAttribute('list', 'team-choices');
	const offered = await page.getByTestId('team-choices').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
	expect(offered).toEqual(expect.arrayContaining(['A班', 'B班']));
	// typed with a full-width letter and a space: saved as C班 (one team, not a second one)
	await page.getByRole('combobox', { name: '班', exact: true }).fill('Ｃ班　');
	await page.getByRole('button', { name: '班を保存' }).click();
	await expect(page.getByTestId('admin-message')).toHaveText('班を変更しました。');
	await expect(page.getByTestId('user-team')).toHaveText('C班');
	expect((await sql<{ team: string }[]>`select team from users where id = ${op04.id}`)[0].team).toBe('C班');
	// too long: refused by name, nothing changed
	await page.getByRole('combobox', { name: '班', exact: true }).fill('あ'.repeat(41));
	await page.getByRole('combobox', { name: '班', exact: true }).evaluate((e) => e.removeAttribute('maxlength'));
	await page.getByRole('combobox', { name: '班', exact: true }).fill('あ'.repeat(41));
	await page.getByRole('button', { name: '班を保存' }).click();
	await expect(page.locator('#team-error')).toHaveText('班が長すぎます。');
	await expect(page.getByRole('combobox', { name: '班', exact: true })).toHaveAttribute('aria-invalid', 'true');
	expect((await sql<{ team: string }[]>`select team from users where id = ${op04.id}`)[0].team).toBe('C班');
	await page.getByRole('combobox', { name: '班', exact: true }).fill('B班');
	await page.getByRole('button', { name: '班を保存' }).click();
	await expect(page.getByTestId('user-team')).toHaveText('B班');
	// the form is sent in the page (no page answering a POST): a reload sends nothing again
	await expect(page).toHaveURL(new RegExp(`/admin/users/${op04.id}$`));
	const posts: string[] = [];
	page.on('request', (r) => {
		if (r.method() === 'POST') posts.push(r.url());
	});
	await page.reload();
	await expect(page.getByTestId('user-team')).toHaveText('B班');
	expect(posts).toEqual([]);
});
