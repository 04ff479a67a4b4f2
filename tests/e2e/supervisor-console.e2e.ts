import { test, expect } from '@playwright/test';
import { login } from './fixtures.ts';

test('the supervisor console shows an operator’s state change live, with the queue’s reasons', async ({ browser }) => {
	const svCtx = await browser.newContext();
	const opCtx = await browser.newContext();
	const sv = await svCtx.newPage();
	const op = await opCtx.newPage();

	await login(sv, 'sv01');
	await sv.goto('/supervisor');
	await expect(sv.getByTestId('updated-at')).toHaveAttribute('data-status', 'connected');
	await expect(sv.getByTestId('queue-panel')).toBeVisible();
	// the queue per segment says how many are callable now
	await expect(sv.locator('[data-testid^="queue-segment-"]').first().getByTestId('callable')).toHaveText(/^[\d,]+$/);

	const row = sv.locator('[data-testid^="floor-operator-"]', { hasText: '佐藤 オペレータ' });
	await login(op, 'op01');
	await expect(op.getByTestId('connection')).toHaveAttribute('data-status', 'connected');
	await expect(row).toHaveAttribute('data-state', 'available');

	// a break by keyboard on the desk: the console follows without a reload
	await op.keyboard.press('b');
	await expect(op.getByTestId('on-break')).toBeVisible();
	await expect(row).toHaveAttribute('data-state', 'break');
	await expect(row).toContainText('休憩');

	// the operator leaves: offline on the console
	await opCtx.close();
	await expect(row).toHaveAttribute('data-state', 'offline');
	await svCtx.close();
});

test('the floor names the operators’ segments (担当区分) in the user’s language, never by their codes', async ({ page }) => {
	await login(page, 'sv01');
	await page.goto('/supervisor');
	await expect(page.getByTestId('updated-at')).toHaveAttribute('data-status', 'connected');
	// the segments as the queue panel names them (the test id carries the code)
	const names = new Map<string, string>();
	for (const row of await page.locator('[data-testid^="queue-segment-"]').all()) {
		const code = (await row.getAttribute('data-testid'))!.slice('queue-segment-'.length);
		names.set(code, (await row.locator('th').first().innerText()).replace(/⏸.*$/, '').trim());
	}
	expect(names.get('foreign')).toBe('外国籍世帯');
	const cells = (await page.locator('[data-testid^="floor-operator-"] [data-testid="assigned-segments"]').allInnerTexts()).map((c) => c.trim());
	expect(cells.length).toBeGreaterThan(0);
	const parts = cells.filter((c) => c !== '—').flatMap((c) => c.split('、'));
	// the demo's operators work segments: each one shown by its Japanese name, none by its code
	expect(parts.length).toBeGreaterThan(0);
	for (const p of parts) {
		expect([...names.values()], `「${p}」 is a segment's name`).toContain(p);
		expect([...names.keys()], `「${p}」 is not a code`).not.toContain(p);
	}
});
