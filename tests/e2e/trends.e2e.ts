/**
 * 収納率の推移 (issue #8): a manager opens the trends page on the demo data (three fiscal years), the table equals
 * the server database's receipt rows, switches the fiscal year and a segment, and downloads the data behind the
 * charts (parsed here). Checked in the embedded PostgreSQL of playwright.config.ts.
 */
import { test, expect } from '@playwright/test';
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

const DATE = `coalesce(last_received_on, received_on, last_paid_on, paid_on)`;
const pct = (received: number, assessed: number) => `${(Math.round((received / assessed) * 1000) / 10).toFixed(1)}%`;

/** March's cumulative current-year rate of fy, straight from the rows (optionally of one segment). */
async function marchRatio(fy: number, segmentId?: number) {
	const [r] = await sql<{ assessed: string; received: string }[]>`
		select sum(assessed) as assessed,
		  coalesce(sum(received_total) filter (where received_total > 0 and (${sql.unsafe(DATE)} is null or ${sql.unsafe(DATE)} < ${`${fy + 1}-04-01`}::date)), 0) as received
		from receipts where fiscal_year = ${fy}
		${segmentId ? sql`and household_id in (select household_id from call_queue where segment_id = ${segmentId})` : sql``}`;
	return Number(r.received) / Number(r.assessed);
}
const marchRate = async (fy: number, segmentId?: number) => {
	const x = await marchRatio(fy, segmentId);
	return pct(x, 1);
};

test('a manager reads the collection-rate trend, switches year and segment, and downloads its data', async ({ page }) => {
	await login(page, 'mgr01');
	await page.goto('/manager/trends');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('収納率の推移');
	// other tests import receipts and move households between segments: the summary is summed again first
	await page.getByRole('button', { name: '今すぐ再集計' }).click();
	await expect(page.getByTestId('trends-refreshed')).toContainText('再集計しました');
	expect((await sql<{ stale: boolean }[]>`select stale from collection_cells_state`)[0].stale).toBe(false);
	const years = (await sql<{ fy: number }[]>`select distinct fiscal_year as fy from receipts order by 1 desc`).map((r) => r.fy);
	expect(years.length).toBe(3);
	const [fy, prev] = years;
	// this year beside the two before: last year's March column equals the rows
	const table = page.getByTestId('trend-table-current');
	await expect(table.locator('thead th')).toContainText([`${fy}年度`, `${prev}年度`, `${prev - 1}年度`]);
	await expect(table.locator(`tr[data-month="${fy + 1}-03"] td[data-fy="${prev}"]`)).toHaveText(await marchRate(prev));
	await expect(page.getByTestId('trend-arrears').locator('canvas')).toBeVisible();

	// the previous fiscal year
	await page.getByTestId('trends-filter').locator('select[name="fy"]').selectOption(String(prev));
	await page.getByRole('button', { name: '表示' }).click();
	await expect(page).toHaveURL(new RegExp(`fy=${prev}`));
	await expect(table.locator(`tr[data-month="${prev + 1}-03"] td[data-fy="${prev}"]`)).toHaveText(await marchRate(prev));
	// the change from the year before says its unit (points), as the effect page does
	await expect(table.locator(`tr[data-month="${prev + 1}-03"] td[data-col="diff"]`)).toHaveText(/^[+−±]\d+\.\d pt$/);

	// one segment
	const [seg] = await sql<{ id: number; nameJa: string }[]>`select s.id, s.name_ja as "nameJa" from segments s join call_queue q on q.segment_id = s.id group by s.id order by count(*) desc limit 1`;
	await page.getByTestId('trends-filter').locator('select[name="segment"]').selectOption(String(seg.id));
	await page.screenshot({ path: test.info().outputPath('trends.png'), fullPage: true });
	await page.getByRole('button', { name: '表示' }).click();
	await expect(page).toHaveURL(new RegExp(`segment=${seg.id}`));
	await expect(table.locator(`tr[data-month="${prev + 1}-03"] td[data-fy="${prev}"]`)).toHaveText(await marchRate(prev, seg.id));
	await expect(page.getByTestId('trend-by-segment').locator(`tr[data-key="${seg.id}"] th`)).toHaveText(seg.nameJa);

	// the data behind the charts, as the page filters it
	const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('trends-downloads').locator('a[data-format="csv"]').click()]);
	const rows = parse(iconv.decode(fs.readFileSync((await dl.path())!), 'cp932')) as string[][];
	const march = rows.find((r) => r[0] === String(prev) && r[1] === '3月')!;
	// the file has three decimals (88.852%): the same ratio, to its rounding
	expect(Math.abs(parseFloat(march[4]) - (await marchRatio(prev, seg.id)) * 100)).toBeLessThanOrEqual(0.0005 + 1e-9);

	// Excel and PDF of the same view
	const [x] = await Promise.all([page.waitForEvent('download'), page.getByTestId('trends-downloads').locator('a[data-format="xlsx"]').click()]);
	const wb = new ExcelJS.Workbook();
	await wb.xlsx.load(fs.readFileSync((await x.path())!) as unknown as ArrayBuffer);
	expect(String(wb.getWorksheet('現年分')!.getRow(2).getCell(1).value)).toContain(seg.nameJa);
	expect(`${(Math.round(Number(wb.getWorksheet('現年分')!.getRow(16).getCell(2).value) * 1000) / 10).toFixed(1)}%`).toBe(await marchRate(prev, seg.id));
	const [p] = await Promise.all([page.waitForEvent('download'), page.getByTestId('trends-downloads').locator('a[data-format="pdf"]').click()]);
	const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
	const doc = await pdfjs.getDocument({ data: new Uint8Array(fs.readFileSync((await p.path())!)) }).promise;
	const text = (await (await doc.getPage(1)).getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join(' ');
	expect(text).toContain(`収納率の推移 ${prev}年度`);
	expect(text).toContain(await marchRate(prev, seg.id));

	// a bad year is refused
	expect((await page.goto('/manager/trends?fy=abc'))?.status()).toBe(400);
});
