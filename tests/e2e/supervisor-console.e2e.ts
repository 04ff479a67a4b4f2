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
