/**
 * The app's header at office widths: a supervisor's and an administrator's twenty-odd links stay readable (QA found
 * them stacked one character a line at 1400 px), in Japanese and in English, and the user's own links stay usable.
 */
import { test, expect, type Page } from '@playwright/test';
import { login, storedLocaleJapanese } from './fixtures.ts';

test.afterEach(() => storedLocaleJapanese('sv01', 'admin01'));

/** Header links and buttons laid out badly: on more than one line, narrower than tall, or out of the screen. */
function badlyLaidOut(page: Page) {
	return page.evaluate(() => {
		const header = document.querySelector('header')!;
		const bad = [...header.querySelectorAll<HTMLElement>('a, button, .who')].flatMap((e) => {
			const r = e.getBoundingClientRect();
			const style = getComputedStyle(e);
			const line = parseFloat(style.lineHeight) || 1.5 * parseFloat(style.fontSize);
			const problems = [
				// one character a line (the defect), or a label broken over lines
				r.height > 2 * line && `${Math.round(r.height)} px high`,
				e.getClientRects().length > 1 && 'on two lines',
				r.width < 2 * parseFloat(style.fontSize) && `${Math.round(r.width)} px wide`,
				r.width < r.height && 'narrower than tall',
				(r.right > window.innerWidth || r.left < 0) && 'outside the screen'
			].filter(Boolean);
			return problems.length ? [`${e.textContent?.trim()}: ${problems.join(', ')}`] : [];
		});
		if (header.scrollWidth > header.clientWidth) bad.push(`header scrolls sideways (${header.scrollWidth} > ${header.clientWidth})`);
		return bad;
	});
}

for (const who of ['sv01', 'admin01']) {
	test(`${who}'s header at 1280×800 keeps every link on one line, in Japanese and in English`, async ({ page }) => {
		await page.setViewportSize({ width: 1280, height: 800 });
		await login(page, who);
		const nav = page.getByRole('navigation', { name: 'main' });
		expect(await nav.getByRole('link').count()).toBeGreaterThanOrEqual(10);
		expect(await badlyLaidOut(page)).toEqual([]);
		await expect(page.getByTestId('signed-in-as')).toBeInViewport();
		await expect(page.getByRole('button', { name: 'ログアウト' })).toBeInViewport();
		// the page itself starts below the header, not under it: the header takes a few lines at most
		const header = await page.locator('header').boundingBox();
		expect(header!.height).toBeLessThan(200);

		await page.getByRole('button', { name: /English/ }).click();
		await expect(page.getByRole('button', { name: 'Sign out' })).toBeInViewport();
		expect(await badlyLaidOut(page)).toEqual([]);
		await page.setViewportSize({ width: 1920, height: 1080 });
		expect(await badlyLaidOut(page)).toEqual([]);
	});
}

test('an administrator finds their own home (管理) first among the administration links, not last', async ({ page }) => {
	await login(page, 'admin01');
	const links = await page.getByRole('navigation', { name: 'main' }).getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
	const adminLinks = links.filter((h) => h?.startsWith('/admin'));
	expect(adminLinks[0]).toBe('/admin');
	expect(adminLinks.length).toBeGreaterThan(1);
});

test('the supervisor console fits a 1280-px screen in English: the page never scrolls sideways', async ({ page }) => {
	await page.setViewportSize({ width: 1280, height: 800 });
	await login(page, 'sv01');
	await page.getByRole('button', { name: /English/ }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Supervisor console' })).toBeVisible();
	await expect(page.getByTestId('queue-panel').locator('tbody tr').first()).toBeVisible();
	const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
	expect(widths.scroll).toBeLessThanOrEqual(widths.client);
});
