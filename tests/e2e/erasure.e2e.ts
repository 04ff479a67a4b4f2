/**
 * Contract end: an administrator erases all personal data, downloads the certificate (PDF and JSON), and the
 * manager's figures are unchanged.
 *
 * Erasing would destroy what the other e2e files need, so this file starts a kansho instance of its own (its own
 * embedded PostgreSQL, data directory and port, demo data loaded on first start) and never touches the shared
 * server of playwright.config.ts. Ports: E2E_ERASURE_PORT / E2E_ERASURE_PG_PORT, by default the shared server's
 * (E2E_PORT, E2E_EMBEDDED_PG_PORT) + 5.
 */
import { test, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startInstance, type Instance } from '../helpers/server.ts';
import { login, PASSWORD } from './fixtures.ts';
import { erasedTables } from '../../src/lib/domain/erasure.ts';

const PORT = Number(process.env.E2E_ERASURE_PORT ?? Number(process.env.E2E_PORT ?? 3102) + 5);
const PG_PORT = Number(process.env.E2E_ERASURE_PG_PORT ?? Number(process.env.E2E_EMBEDDED_PG_PORT ?? 5497) + 5);
const DATA_DIR = path.join(os.tmpdir(), `kansho-e2e-erasure-${PORT}`);

let instance: Instance | null = null;

test.describe.configure({ mode: 'serial', timeout: 240_000 });

test.beforeAll(async () => {
	test.setTimeout(240_000);
	fs.rmSync(DATA_DIR, { recursive: true, force: true });
	instance = await startInstance({
		port: PORT,
		env: {
			DATABASE_URL: '', // empty = unset: an embedded PostgreSQL of its own
			REDIS_URL: '', // and the in-memory Socket.IO adapter: nothing shared with the other server
			DATA_DIR,
			EMBEDDED_PG_PORT: String(PG_PORT),
			SEED_DEMO: 'auto',
			DEMO_HOUSEHOLDS: '300',
			SWEEP_INTERVAL_SECONDS: '1',
			HOST: '127.0.0.1'
		},
		readyTimeoutMs: 200_000
	});
});

test.afterAll(async () => {
	await instance?.stop();
	fs.rmSync(DATA_DIR, { recursive: true, force: true });
});

async function signedIn(browser: Browser, loginId: string): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ baseURL: instance!.url, locale: 'ja-JP', timezoneId: 'Asia/Tokyo', acceptDownloads: true });
	const page = await context.newPage();
	await login(page, loginId);
	return { context, page };
}

/** The manager's report as text: the month rows, the days, households and fiscal years, and today's attempts. */
async function managerFigures(page: Page) {
	await page.goto('/manager');
	await expect(page.getByTestId('report')).toBeVisible();
	const text = async (id: string) => (await page.getByTestId(id).innerText()).replace(/\s+/g, ' ').trim();
	return {
		months: await text('report-months'),
		days: await text('report-days'),
		households: await text('report-households'),
		fiscalYears: await text('report-fiscal-years'),
		attemptsToday: await text('kpi-attempts')
	};
}

/**
 * The administrator reads what is erased in their words: no table name (call_queue, households …) on the page, and
 * no path of the server's (the data directory, /tmp, /var) anywhere in what the browser received.
 */
async function expectNoInternals(page: Page) {
	const text = await page.locator('main').innerText();
	for (const table of [...erasedTables.map((e) => e.table), 'imports.error']) expect(text, table).not.toMatch(new RegExp(`(^|[^a-z_])${table.replace('.', '\\.')}($|[^a-z_])`));
	expect(text).toContain('世帯（国保記号番号・住所・電話番号）');
	expect(text).toContain('架電記録（会話記録・架電した番号を含む）');
	const html = await page.content();
	for (const p of [DATA_DIR, '/tmp/', '/var/', os.tmpdir()]) expect(html, p).not.toContain(p);
}

test('an administrator erases all personal data with a certificate; the manager’s figures stay', async ({ browser }) => {
	// an operator works a few households: a promise, a contact, no answer
	const op = await signedIn(browser, 'op01');
	const inAWeek = new Date(Date.now() + 7 * 86400_000).toISOString().slice(0, 10);
	for (const outcome of [{ outcomeCode: '40', party: 'self', note: '来週払う', promise: { amount: 1000, dueDate: inAWeek } }, { outcomeCode: '20', party: 'self', note: '折り返し' }, { outcomeCode: '10' }]) {
		const claim = await op.page.request.post('/api/claims/next');
		expect(claim.status(), await claim.text()).toBe(200);
		const { householdId } = await claim.json();
		const saved = await op.page.request.post('/api/calls', { data: { householdId, ...outcome, idempotencyKey: `erasure-e2e-${householdId}-${outcome.outcomeCode}` } });
		expect(saved.status(), await saved.text()).toBe(201);
	}
	await op.context.close();

	// the manager's figures before
	const mgr = await signedIn(browser, 'mgr01');
	const before = await managerFigures(mgr.page);
	expect(before.attemptsToday).toBe('3');
	const thisMonth = mgr.page.getByTestId('report-months').locator(`tr[data-period="${new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Tokyo' }).slice(0, 7)}"]`);
	await expect(thisMonth.locator('td').first()).toHaveText('3');
	expect(before.households).toMatch(/^対象世帯 .* 300 /);

	// the administrator opens the erasure page: counts of what would go, nothing changed yet
	const admin = await signedIn(browser, 'admin01');
	await admin.page.getByRole('link', { name: 'データ消去' }).click();
	await expect(admin.page).toHaveURL(/\/admin\/erasure$/);
	await expect(admin.page.getByRole('heading', { level: 1, name: 'データ消去（契約終了）' })).toBeVisible();
	const counts = admin.page.getByTestId('erasure-counts');
	await expect(counts.locator('tr[data-table="households"] td.num')).toHaveText('300');
	await expect(counts.locator('tr[data-table="calls"] td.num')).toHaveText('3');
	const persons = Number((await counts.locator('tr[data-table="persons"] td.num').innerText()).replace(/,/g, ''));
	expect(persons).toBeGreaterThanOrEqual(300);
	await expectNoInternals(admin.page);
	const again = await admin.page.request.get('/admin/erasure');
	expect(again.headers()['cache-control']).toContain('no-store');

	// a wrong phrase is refused next to the field, and nothing is erased
	const form = admin.page.getByRole('region', { name: 'すべての個人情報を消去する' });
	await form.getByLabel('確認のため「消去します」と入力してください').fill('消去');
	await form.getByLabel('あなたのパスワード（再入力）').fill(PASSWORD);
	await form.getByRole('button', { name: 'すべての個人情報を消去する' }).click();
	await expect(admin.page.getByTestId('error-phrase')).toContainText('確認の語句が一致しません');
	await expect(counts.locator('tr[data-table="households"] td.num')).toHaveText('300');
	// so is a wrong password
	await form.getByLabel('確認のため「消去します」と入力してください').fill('消去します');
	await form.getByLabel('あなたのパスワード（再入力）').fill('not-the-password');
	await form.getByRole('button', { name: 'すべての個人情報を消去する' }).click();
	await expect(admin.page.getByTestId('error-password')).toContainText('あなたのパスワード（再入力）が正しくありません');
	await expect(counts.locator('tr[data-table="households"] td.num')).toHaveText('300');

	// the phrase and the password: erased
	await form.getByLabel('確認のため「消去します」と入力してください').fill('消去します');
	await form.getByLabel('あなたのパスワード（再入力）').fill(PASSWORD);
	await form.getByRole('button', { name: 'すべての個人情報を消去する' }).click();
	await expect(admin.page.getByTestId('erasure-done')).toContainText('消去しました', { timeout: 60_000 });
	await expect(admin.page.getByTestId('erasure-done')).toContainText('世帯 300 件');
	await expect(counts.locator('tr[data-table="households"] td.num')).toHaveText('0');
	await expect(counts.locator('tr[data-table="calls"] td.num')).toHaveText('0');
	await expect(admin.page.getByTestId('erasure-history').locator('tr[data-kind="contract_end"]')).toHaveCount(1);
	// the page says where the certificate is (its links), not where the server keeps files
	await expect(admin.page.getByTestId('erasure-done')).toContainText('消去証明書はここからダウンロードできます');
	await expectNoInternals(admin.page);

	// the certificate as PDF …
	let downloading = admin.page.waitForEvent('download');
	await admin.page.getByTestId('certificate-pdf').click();
	const pdf = await downloading;
	expect(pdf.suggestedFilename()).toMatch(/^erasure-certificate-\d+\.pdf$/);
	const pdfBytes = fs.readFileSync((await pdf.path())!);
	expect(pdfBytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
	// … and as JSON, with the counts, the final chain hash and its own SHA-256
	downloading = admin.page.waitForEvent('download');
	await admin.page.getByTestId('certificate-json').click();
	const json = await downloading;
	const file = JSON.parse(fs.readFileSync((await json.path())!, 'utf8'));
	expect(file.format).toBe('kansho.erasure-certificate.v1');
	expect(file.sha256).toBe(createHash('sha256').update(JSON.stringify(file.certificate)).digest('hex'));
	const erased = Object.fromEntries(file.certificate.erased.map((e: { table: string; rows: number }) => [e.table, e.rows]));
	expect(erased).toMatchObject({ households: 300, persons, calls: 3, promises: 1, call_queue: expect.any(Number) });
	expect(file.certificate.erasedBy).toMatchObject({ loginId: 'admin01', via: 'web' });
	expect(file.certificate.accessLog.headHash).toMatch(/^[0-9a-f]{64}$/);
	expect(file.certificate.accessLog.verified).toMatchObject({ ok: true });
	expect(file.certificate.title.ja).toBe('消去証明書');
	await admin.context.close();

	// the manager's figures are the same, read from the statistics now
	const after = await managerFigures(mgr.page);
	expect(after).toEqual(before);
	await mgr.context.close();
});
