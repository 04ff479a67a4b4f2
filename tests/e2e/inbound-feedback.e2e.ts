/**
 * Feedback of the inbound search (QA walkthrough): nothing typed says what to type; a query over 100 characters is
 * refused with a message next to the box; the echo shows the query as typed (not upper-cased); the masked phone
 * number has a fixed mask (its length is not given away).
 */
import { test, expect } from '@playwright/test';
import { login } from './fixtures.ts';

test('the inbound search says what to type, refuses a long query, echoes as typed and masks phones the same way', async ({ page }) => {
	await login(page, 'op02');
	await page.goto('/operator/inbound');
	await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'connected');
	const box = page.getByTestId('inbound-q');

	// nothing typed
	await box.press('Enter');
	await expect(page.getByTestId('inbound-q-error')).toHaveText('電話番号・氏名・カナ・国保記号番号（または住民番号）のいずれかを入力してください。');
	await expect(box).toHaveAttribute('aria-invalid', 'true');

	// 300 characters
	await box.fill('あ'.repeat(300));
	await box.press('Enter');
	await expect(page.getByTestId('inbound-q-error')).toHaveText('検索語は100文字以内で入力してください（いま300文字）。');
	await expect(page.getByTestId('inbound-read-as')).toHaveCount(0);

	// the echo as typed
	await box.fill(`%_'"<script>`);
	await expect(page.getByTestId('inbound-q-error')).toHaveCount(0);
	await box.press('Enter');
	await expect(page.getByTestId('inbound-read-as')).toHaveText(`氏名として検索: %_'"<script>`);

	// a name common in the demo data: the masked numbers all have the same shape
	await box.fill('さとう');
	await box.press('Enter');
	await expect(page.getByTestId('inbound-result').first()).toBeVisible();
	const masks = (await page.getByTestId('inbound-result').locator('td:nth-child(4)').allTextContents()).map((x) => x.trim()).filter((x) => x !== '');
	expect(masks.length).toBeGreaterThan(0);
	for (const m of masks) expect(m).toMatch(/^••••\d{4}$/);
});
