/**
 * What supervisors read on the segments and controls pages (QA walkthrough): no internal version number on the
 * board's operator cards; nationalities named (「中国 (CN)」) like languages (「日本語 (ja)」), in ja and en; a
 * segment's code after its name shown as a secondary identifier (muted, monospace).
 */
import { test, expect } from '@playwright/test';
import { login, storedLocaleJapanese } from './fixtures.ts';

test.afterEach(async () => {
	await storedLocaleJapanese('sv01');
});

test("the board's cards show no version number; the segment form names nationalities; the list's codes are secondary", async ({ page }) => {
	await login(page, 'sv01');
	await page.goto('/supervisor/controls');
	const card = page.getByTestId('card-op01').first();
	await expect(card.locator('strong')).toHaveText('佐藤 オペレータ');
	await expect(card.locator('span.small').first()).toHaveText('op01');
	await expect(card).not.toContainText('版');
	// the version is still sent with the form (a stale board is refused)
	await expect(card.locator('input[name="version"]')).toHaveValue(/^\d+$/);

	await page.goto('/supervisor/segments');
	const include = page.getByRole('group', { name: '国籍（含む）' });
	await expect(include.getByRole('checkbox', { name: /^中国 \(CN\) [\d,]+$/ })).toBeVisible();
	await expect(include.getByRole('checkbox', { name: /^日本 \(JP\) [\d,]+$/ })).toBeVisible();
	await expect(page.getByRole('group', { name: '国籍（除く）' }).getByRole('checkbox', { name: 'ベトナム (VN)', exact: true })).toBeVisible();

	const code = page.getByTestId('segment-general').getByTestId('segment-code');
	await expect(code).toHaveText('general');
	const style = await code.evaluate((el) => {
		const c = getComputedStyle(el);
		const link = getComputedStyle(el.parentElement!.querySelector('a')!);
		return { font: c.fontFamily, color: c.color, linkColor: link.color };
	});
	expect(style.font).toMatch(/monospace/);
	expect(style.color).not.toBe(style.linkColor);

	// in English: the names in English, the code as before
	await page.getByRole('button', { name: /English/ }).click();
	await expect(page.getByRole('group', { name: 'Nationality (include)' }).getByRole('checkbox', { name: /^China \(CN\) [\d,]+$/ })).toBeVisible();
});
