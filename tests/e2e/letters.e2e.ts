/**
 * Reminder letters (issue #7 part 3) in a browser, on the demo data (playwright.config.ts: embedded PostgreSQL, demo
 * accounts): staff create a batch, see it made, download the PDF, whose text (extracted with pdfjs-dist) holds the
 * household's name, address, amount and the ward's contact; page 1 is rendered to PNG (pdftoppm, poppler-utils) and
 * kept under test-results/ for a person to look at. Then the batch is marked printed, the assigned operator prints
 * it from their page, returned mail flags the address, and the administrator's preview follows the editor live.
 */
import { test, expect } from '@playwright/test';
import postgres from 'postgres';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { login } from './fixtures.ts';

const PG_PORT = Number(process.env.E2E_EMBEDDED_PG_PORT ?? 5497);
const sql = postgres(`postgres://kansho:kansho-embedded@127.0.0.1:${PG_PORT}/kansho`, { max: 1, onnotice: () => {} });

test.afterAll(async () => {
	await sql.end();
});

async function pdfPages(file: string): Promise<string[]> {
	const pdf = await getDocument({ data: new Uint8Array(fs.readFileSync(file)), useSystemFonts: false }).promise;
	const out: string[] = [];
	for (let i = 1; i <= pdf.numPages; i++) {
		const tc = await (await pdf.getPage(i)).getTextContent();
		out.push(tc.items.map((x) => ('str' in x ? x.str : '')).join('').replace(/\s+/g, ''));
	}
	await pdf.destroy();
	return out;
}

const yen = (n: number) => `¥${n.toLocaleString('ja-JP')}`;

test('staff create a letter batch, download its PDF (name, address, amounts, ward contact), and the operator assigned prints it', async ({ browser }, testInfo) => {
	const staff = await (await browser.newContext({ acceptDownloads: true })).newPage();
	await login(staff, 'staff01');
	await staff.goto('/letters');
	await expect(staff.getByRole('heading', { name: '催告書（納付催告の郵送）' })).toBeVisible();
	// the demo has households without a valid number
	await expect(staff.getByTestId('cand-no_phone')).not.toHaveText('0');

	const form = staff.getByTestId('create-form');
	await form.getByLabel('最大件数').fill('3');
	await form.getByLabel('印刷するオペレータ（任意）').selectOption({ label: '佐藤 オペレータ (op01)' });
	await form.getByTestId('create').click();
	await expect(staff.getByTestId('created')).toContainText('3件');
	const [{ id: batchId }] = await sql<{ id: number }[]>`select max(id)::int as id from letter_batches`;
	const row = staff.getByTestId(`batch-${batchId}`);
	// made in the background; the page follows its progress and shows it made
	await expect(row).toHaveAttribute('data-state', 'generated', { timeout: 30_000 });
	await expect(row.getByTestId('state')).toHaveText(/PDF作成済み/);

	// download the PDF and read its text
	const downloading = staff.waitForEvent('download');
	await row.getByTestId('pdf').click();
	const download = await downloading;
	const pdfFile = testInfo.outputPath('letters.pdf');
	await download.saveAs(pdfFile);
	const pages = await pdfPages(pdfFile);
	expect(pages).toHaveLength(3);
	const [item] = await sql<{ referenceNumber: string; snapshot: { name: string; address: string; postalCode: string | null; arrears: { owed: number }[] } }[]>`
		select reference_number as "referenceNumber", snapshot from letter_batch_items where batch_id = ${batchId} and seq = 1`;
	const s = item.snapshot;
	const page1 = pages[0];
	expect(page1).toContain(`${s.name.replace(/\s+/g, '').replace(/[\uE000-\uF8FF]/g, '〓')}様`);
	expect(page1).toContain(s.address.replace(/\s+/g, ''));
	// the first fiscal year's amount (its periods, or one line for the year when they are too many for one page) and the total
	const arrears = s.arrears as { fiscalYear: number; owed: number }[];
	const firstYear = arrears.filter((a) => a.fiscalYear === arrears[0].fiscalYear).reduce((a, x) => a + x.owed, 0);
	expect(page1).toContain(yen(firstYear));
	expect(page1).toContain(yen(arrears.reduce((a, x) => a + x.owed, 0)));
	expect(page1).toContain(item.referenceNumber);
	// the ward's contact and the center's phone (the template's)
	const [tpl] = await sql<{ contact: string; centerPhone: string }[]>`select contact, center_phone as "centerPhone" from letter_templates order by version desc limit 1`;
	expect(page1).toContain(tpl.contact.split('\n')[0].replace(/\s+/g, ''));
	expect(page1).toContain(tpl.centerPhone);
	// the download is in the access log, one row per household
	expect(await sql`select 1 from access_log where action = 'letter.download' and reason like ${`letter batch #${batchId} PDF%`}`).toHaveLength(3);

	// page 1 as a picture, for a person to look at (kept under test-results/)
	const png = testInfo.outputPath('letter-page1');
	execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', pdfFile, png]);
	expect(fs.statSync(`${png}.png`).size).toBeGreaterThan(20_000);
	await testInfo.attach('letter-page1.png', { path: `${png}.png`, contentType: 'image/png' });

	// printed: who and when
	await row.getByTestId('step-printed').click();
	await expect(row.getByTestId('done-printed')).toContainText('伊藤 職員');

	// the operator assigned prints it from their page
	const op = await (await browser.newContext({ acceptDownloads: true })).newPage();
	await login(op, 'op01');
	await op.goto('/operator/letters');
	const mine = op.getByTestId(`my-batch-${batchId}`);
	await expect(mine).toBeVisible();
	const opDownloading = op.waitForEvent('download');
	await mine.getByTestId('print').click();
	const opFile = testInfo.outputPath('operator.pdf');
	await (await opDownloading).saveAs(opFile);
	expect(fs.statSync(opFile).size).toBe(fs.statSync(pdfFile).size);
	// another operator has nothing to print, and /letters is not theirs
	const op2 = await (await browser.newContext()).newPage();
	await login(op2, 'op02');
	await op2.goto('/operator/letters');
	await expect(op2.getByTestId('no-batches')).toBeVisible();
	const refused = await op2.request.get(`/operator/letters/${batchId}/pdf`);
	expect(refused.status()).toBe(403);

	// returned mail, typed from the envelope without hyphens: the address is flagged
	const ret = staff.getByTestId('returned-form');
	await ret.getByLabel('整理番号').fill(item.referenceNumber.replace(/-/g, ''));
	await ret.getByTestId('record-return').click();
	await expect(staff.getByTestId('returned-ok')).toContainText(item.referenceNumber);
	await expect(staff.getByTestId(`return-${item.referenceNumber}`).getByTestId('flagged')).toBeVisible();
	// a wrong check digit is refused, naming the field
	const bad = item.referenceNumber.slice(0, -1) + String((Number(item.referenceNumber.slice(-1)) + 1) % 10);
	await ret.getByLabel('整理番号').fill(bad);
	await ret.getByTestId('record-return').click();
	await expect(staff.getByTestId('ref-error')).toContainText('check digit');
});

test('the administrator edits the letter and the preview follows at once', async ({ page }) => {
	await login(page, 'admin01');
	await page.goto('/admin/letters');
	const preview = page.getByTestId('preview');
	await expect(preview).toContainText('〒160-0023');
	await expect(preview).toContainText('〓'); // the sample's 外字
	await page.getByLabel('センターの電話番号').fill('03-7777-8888');
	await expect(page.getByTestId('preview-contact')).toContainText('03-7777-8888');
	await page.getByLabel('表題').fill('国民健康保険料 納付のお願い（最終）');
	await expect(page.getByTestId('preview-title')).toHaveText('国民健康保険料 納付のお願い（最終）');
	await page.getByTestId('save-template').click();
	await expect(page.getByTestId('template-saved')).toContainText('版 2');
	await expect(page.getByTestId('template-version')).toContainText('現在の版：2');
});
