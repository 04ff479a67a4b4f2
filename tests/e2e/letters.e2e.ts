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
import { login, storedLocaleJapanese } from './fixtures.ts';

const PG_PORT = Number(process.env.E2E_EMBEDDED_PG_PORT ?? 5497);
const sql = postgres(`postgres://kansho:kansho-embedded@127.0.0.1:${PG_PORT}/kansho`, { max: 1, onnotice: () => {} });

test.afterAll(async () => {
	await sql.end();
});
test.afterEach(() => storedLocaleJapanese('staff01', 'admin01'));

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
	// the page asks first, naming how many letters (and pages) the batch makes
	const asked: string[] = [];
	staff.on('dialog', (d) => {
		asked.push(d.message());
		void d.accept();
	});
	await form.getByTestId('create').click();
	await expect(staff.getByTestId('created')).toContainText('3件');
	expect(asked).toEqual(['催告書 3件（PDF 3ページ）のバッチを作成します。よろしいですか？']);
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
	// 「PDFを開いて印刷」 opens the PDF (a new tab, served inline), it does not save a file
	const print = mine.getByTestId('print');
	await expect(print).toHaveText('PDFを開いて印刷');
	await expect(print).not.toHaveAttribute('download');
	await expect(print).toHaveAttribute('target', '_blank');
	const opened = await op.request.get((await print.getAttribute('href'))!);
	expect(opened.status()).toBe(200);
	expect(opened.headers()['content-type']).toBe('application/pdf');
	expect(opened.headers()['content-disposition']).toMatch(/^inline;/);
	expect((await opened.body()).length).toBe(fs.statSync(pdfFile).size);
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
	// the form is ready for the next envelope: the return date is still today (not emptied by the form's reset)
	await expect(ret.getByLabel('返戻日')).not.toHaveValue('');
	await expect(ret.getByLabel('整理番号')).toHaveValue('');
	// the same number again: it is a valid number, recorded already, and the page says that (in Japanese)
	await ret.getByLabel('整理番号').fill(item.referenceNumber);
	await ret.getByTestId('record-return').click();
	await expect(staff.getByTestId('ref-error')).toHaveText(`整理番号 ${item.referenceNumber} の返戻は既に記録されています（未確認の返戻の一覧にあります）。`);
	// a wrong check digit is refused, naming the field, in Japanese
	const bad = item.referenceNumber.slice(0, -1) + String((Number(item.referenceNumber.slice(-1)) + 1) % 10);
	await ret.getByLabel('整理番号').fill(bad);
	await ret.getByTestId('record-return').click();
	await expect(staff.getByTestId('ref-error')).toHaveText('整理番号の最後の数字（チェック数字）が合いません。打ち間違いがないか、封筒の番号をもう一度確認してください。');
	// not the shape of a reference number (one digit too many)
	await ret.getByLabel('整理番号').fill('Ｌ０００００１０００００２５');
	await ret.getByTestId('record-return').click();
	await expect(staff.getByTestId('ref-error')).toHaveText('整理番号の形が違います。催告書に印字された L-000012-00034-5 の形（英字L・数字6桁・5桁・1桁）で入力してください。');
	// the second letter's number typed in full width with full-width hyphens, as the hint allows: recorded
	const [item2] = await sql<{ referenceNumber: string }[]>`select reference_number as "referenceNumber" from letter_batch_items where batch_id = ${batchId} and seq = 2`;
	const fullWidth = item2.referenceNumber.replace(/[-0-9A-Z]/g, (c) => (c === '-' ? '－' : String.fromCharCode(c.charCodeAt(0) + 0xfee0)));
	await ret.getByLabel('整理番号').fill(fullWidth);
	await ret.getByTestId('record-return').click();
	await expect(staff.getByTestId('returned-ok')).toContainText(item2.referenceNumber);
	await expect(staff.getByTestId('ref-error')).toHaveCount(0);
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
	// a refused setting is worded in Japanese beside its field, with the bound (not 「(at least 1)」)
	await page.getByLabel('PDFの保存期間（日）').fill('0');
	await page.getByTestId('save-settings').click();
	await expect(page.getByTestId('settings-error-pdfKeepDays')).toHaveText('PDFの保存期間（日）は1以上にしてください。');
	await expect(page.getByTestId('setup-error')).toHaveText('入力内容に誤りがあります。各項目のメッセージを確認してください。');
});

test('the batch form: 最大件数 is required, refusals are worded in Japanese next to the field, and cancelling the question makes nothing', async ({ page }) => {
	await login(page, 'staff01');
	await page.goto('/letters');
	const form = page.getByTestId('create-form');
	const limit = form.getByLabel('最大件数');
	const batches = async () => (await sql<{ n: number }[]>`select count(*)::int as n from letter_batches`)[0].n;
	const before = await batches();
	const asked: string[] = [];
	page.on('dialog', (d) => {
		asked.push(d.message());
		void d.dismiss();
	});

	// blank: the browser refuses to send it (required), nothing is asked, no batch is made
	await expect(limit).toHaveAttribute('required');
	await limit.fill('');
	await form.getByTestId('create').click();
	expect(await limit.evaluate((e) => (e as HTMLInputElement).validity.valueMissing)).toBe(true);
	expect(asked).toEqual([]);

	// out of range (typed in full width): the server's refusal, worded in Japanese beside the field
	await limit.fill('２０００１');
	await form.getByTestId('create').click();
	await expect(page.getByTestId('limit-error')).toHaveText('最大件数は20,000以下にしてください。');
	await limit.fill('０');
	await form.getByTestId('create').click();
	await expect(page.getByTestId('limit-error')).toHaveText('最大件数は1以上にしてください。');
	await limit.fill('たくさん');
	await form.getByTestId('create').click();
	await expect(page.getByTestId('limit-error')).toHaveText('最大件数は整数で入力してください。');
	await expect(page.getByTestId('letters-error')).not.toContainText('Invalid');

	// ５ in full width is 5: asked about 5 letters; cancelled, nothing is made
	await limit.fill('５');
	await form.getByTestId('create').click();
	await expect.poll(() => asked).toEqual(['催告書 5件（PDF 5ページ）のバッチを作成します。よろしいですか？']);
	await expect(page.getByTestId('created')).toHaveCount(0);
	expect(await batches()).toBe(before);
});

test('a refused 印刷担当 (the operator was disabled after the page listed them) is worded next to that batch’s field, in Japanese and English', async ({ page }) => {
	// an operator of this test's own, listed when the page loads and disabled before the assignment is sent
	await sql`delete from users where login_id = 'op-letters-gone'`;
	await sql`insert into users (login_id, display_name, role, password_hash) values ('op-letters-gone', '退職 オペレータ', 'operator', 'x')`;
	try {
		await login(page, 'staff01');
		await page.goto('/letters');
		// a batch of one letter of this test's own
		page.on('dialog', (d) => void d.accept());
		const form = page.getByTestId('create-form');
		await form.getByLabel('最大件数').fill('1');
		await form.getByTestId('create').click();
		await expect(page.getByTestId('created')).toContainText('1件');
		const [{ id: batchId }] = await sql<{ id: number }[]>`select max(id)::int as id from letter_batches where created_by = (select id from users where login_id = 'staff01')`;
		const row = page.getByTestId(`batch-${batchId}`);
		await expect(row).toBeVisible();

		await sql`update users set disabled_at = now() where login_id = 'op-letters-gone'`;
		const select = row.getByRole('combobox', { name: `印刷担当: #${batchId}` });
		await select.selectOption({ label: '退職 オペレータ' });
		await row.getByRole('button', { name: '割り当て' }).click();
		const error = row.getByTestId('assign-error');
		await expect(error).toHaveText('印刷担当：選んだ人は現在有効なオペレータではありません（無効になったか、役割が変わりました）。別のオペレータか「（なし）」を選んでください。');
		await expect(select).toHaveAttribute('aria-invalid', 'true');
		await expect(page.getByTestId('letters-error')).toHaveText('入力内容に誤りがあります。各項目のメッセージを確認してください。');
		await expect(page.getByText('not an active operator')).toHaveCount(0);
		// nothing changed
		const [b] = await sql<{ assignedTo: number | null }[]>`select assigned_to as "assignedTo" from letter_batches where id = ${batchId}`;
		expect(b.assignedTo).toBeNull();

		// in English (the switch reloads the page: the operator is listed again, then disabled before the send)
		await sql`update users set disabled_at = null where login_id = 'op-letters-gone'`;
		await page.getByRole('button', { name: /English/ }).click();
		await expect(row.getByRole('button', { name: 'Assign' })).toBeVisible();
		await sql`update users set disabled_at = now() where login_id = 'op-letters-gone'`;
		await row.getByRole('combobox', { name: `Prints: #${batchId}` }).selectOption({ label: '退職 オペレータ' });
		await row.getByRole('button', { name: 'Assign' }).click();
		await expect(error).toHaveText('Prints: the person chosen is no longer an active operator (disabled, or their role changed). Choose another operator, or nobody.');
		await page.getByRole('button', { name: /日本語/ }).click();
	} finally {
		await sql`delete from users where login_id = 'op-letters-gone'`;
	}
});

test('in English the letter preview shows what prints: the letter’s words in Japanese, under an English heading that says so', async ({ page }) => {
	await login(page, 'admin01');
	await page.goto('/admin/letters');
	await page.getByRole('button', { name: /English/ }).click();
	await expect(page.getByTestId('preview-heading')).toHaveText('Preview (printed in Japanese)');
	const preview = page.getByTestId('preview');
	await expect(preview.getByTestId('preview-head')).toHaveText(/年度\s*期別\s*納期限\s*未納額/);
	await expect(preview).toContainText('合計（未納額）');
	await expect(preview).toContainText('小計');
	await expect(preview).toContainText('■ 納付方法');
	await expect(preview.getByTestId('preview-contact')).toContainText('■ お問い合わせ');
	await expect(preview.getByTestId('preview-contact')).toContainText('受付時間');
	for (const english of ['Fiscal year', 'Unpaid', 'Subtotal', 'Total unpaid', 'How to pay', 'Contact', 'Hours']) await expect(preview).not.toContainText(english);
	await page.getByRole('button', { name: /日本語/ }).click();
	await expect(page.getByTestId('preview-heading')).toHaveText('プレビュー（見本の世帯）');
});

test('in English the 外字 column is named in English', async ({ page }) => {
	await login(page, 'staff01');
	await page.goto('/letters');
	await page.getByRole('button', { name: /English/ }).click();
	await expect(page.getByTestId('batches').getByRole('columnheader', { name: 'Non-standard characters (外字)' })).toBeVisible();
});

test('placeholder letter settings (〇〇区役所, 03-0000-0000): staff, the operator and the administrator are warned, and no batch can be created', async ({ browser }) => {
	// a version with the installed placeholders, as a new installation has (removed again at the end)
	const [v] = await sql<{ id: number }[]>`
		insert into letter_templates (version, letterhead, title, body, how_to_pay, contact, center_name, center_phone, center_hours)
		select version + 1, E'〇〇区役所\n区民部 国保年金課 収納係', title, body, how_to_pay, E'〇〇区役所 収納係\n〒000-0000 東京都〇〇区〇〇1-1-1　電話 03-0000-0000（代表）', center_name, '03-0000-0000', center_hours
		from letter_templates order by version desc limit 1 returning id::int`;
	try {
		const staff = await (await browser.newContext()).newPage();
		await login(staff, 'staff01');
		await staff.goto('/letters');
		const warning = staff.getByTestId('placeholders-warning');
		await expect(warning).toContainText('催告書の差出人・連絡先がまだ仮の値です');
		await expect(warning).toContainText('「レターヘッド（区・担当課、複数行）」「区の問い合わせ先」「センターの電話番号」');
		await expect(warning).toContainText('管理者が「催告書の設定」（/admin/letters）');
		await expect(staff.getByTestId('create')).toBeDisabled();

		const op = await (await browser.newContext()).newPage();
		await login(op, 'op01');
		await op.goto('/operator/letters');
		await expect(op.getByTestId('placeholders-warning')).toContainText('まだ仮の値');

		const admin = await (await browser.newContext()).newPage();
		await login(admin, 'admin01');
		await admin.goto('/admin/letters');
		await expect(admin.getByTestId('placeholder-centerPhone')).toContainText('まだ仮の値');
		await admin.getByLabel('センターの電話番号').fill('03-5555-0182');
		await expect(admin.getByTestId('placeholder-centerPhone')).toHaveCount(0);
		await expect(admin.getByTestId('placeholder-letterhead')).toBeVisible();
	} finally {
		await sql`delete from letter_templates where id = ${v.id}`;
	}
});
