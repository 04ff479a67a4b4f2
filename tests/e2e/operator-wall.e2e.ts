import { test, expect } from '@playwright/test';
import { login } from './fixtures.ts';

test('an operator’s claim and outcome show on the wall display without reload', async ({ browser }) => {
	const wallCtx = await browser.newContext();
	const opCtx = await browser.newContext();
	const wall = await wallCtx.newPage();
	const op = await opCtx.newPage();

	await login(wall, 'sv01');
	await wall.goto('/wall');
	await expect(wall.getByTestId('updated-at')).toHaveAttribute('data-status', 'connected');
	const attemptsBefore = Number((await wall.getByTestId('kpi-attempts').innerText()).replace(/,/g, ''));

	await login(op, 'op01');
	await expect(op.getByTestId('connection')).toHaveAttribute('data-status', 'connected');
	// the wall sees the operator come online
	const opRow = wall.locator('[data-testid^="operator-"]', { hasText: '佐藤 オペレータ' });
	await expect(opRow).toHaveAttribute('data-state', 'available');

	// 次の世帯 by keyboard
	await op.keyboard.press('n');
	const card = op.getByTestId('household-card');
	await expect(card).toBeVisible();
	const firstNhi = await op.getByTestId('nhi-number').innerText();
	await expect(op.getByTestId('payer-name')).not.toBeEmpty();
	await expect(op.getByTestId('arrears-total')).toHaveText(/^¥[\d,]+$/);
	await expect(op.getByTestId('arrears-table')).toContainText('令和');
	await expect(opRow).toHaveAttribute('data-state', 'on_household');

	// the third-party rule appears when someone other than the payer answers
	await op.getByTestId('outcome-code').selectOption('21');
	await expect(op.getByTestId('third-party-rule')).toBeVisible();

	// outcome 20 (本人応答) is the 4th code: shortcut 4, then Ctrl+Enter saves
	await op.getByTestId('outcome-code').blur();
	await op.locator('body').press('4');
	await expect(op.getByTestId('outcome-code')).toHaveValue('20');
	await expect(op.getByTestId('third-party-rule')).toHaveCount(0);
	await op.getByLabel('会話記録').fill('本人と通話。納付書を確認するとのこと。');
	await op.keyboard.press('Control+Enter');

	await expect(op.getByTestId('saved-message')).toContainText('20 本人応答');
	// the next household is offered after the wrap-up; N ends the wrap-up at once
	await expect(op.getByTestId('wrap-up')).toBeVisible();
	await op.keyboard.press('n');
	await expect(op.getByTestId('nhi-number')).not.toHaveText(firstNhi);

	// and the wall shows the outcome, live
	await expect(wall.getByTestId('kpi-attempts')).toHaveText(String(attemptsBefore + 1));
	await expect(wall.getByTestId('chart-summary')).toContainText(`架電${attemptsBefore + 1}件`);
	const done = wall.locator('[data-testid^="segment-"] [data-testid="done-today"]');
	await expect.poll(async () => (await done.allInnerTexts()).reduce((s, x) => s + Number(x.replace(/,/g, '')), 0)).toBeGreaterThanOrEqual(1);
	await wall.screenshot({ path: 'test-results/wall.png', fullPage: true });
	await op.screenshot({ path: 'test-results/operator.png', fullPage: true });

	// a promise above the arrears is refused with a clear message, and nothing changes
	await op.getByTestId('outcome-code').selectOption('40');
	await op.getByLabel('約束金額（円）').fill('999999999');
	await op.getByLabel('約束日').fill(new Date(Date.now() + 7 * 86400_000).toISOString().slice(0, 10));
	await op.getByTestId('save-outcome').click();
	// (checked in the browser first; the server would refuse it the same way)
	await expect(op.locator('[data-field="promise.amount"]')).toContainText('滞納額');
	await expect(wall.getByTestId('kpi-attempts')).toHaveText(String(attemptsBefore + 1));

	// giving the household back frees the operator; with an outcome chosen it asks first (what was typed is not saved)
	const asked: string[] = [];
	op.once('dialog', (d) => {
		asked.push(d.message());
		void d.accept();
	});
	await op.getByRole('button', { name: '世帯を戻す' }).click();
	await expect.poll(() => asked.length).toBe(1);
	expect(asked[0]).toContain('保存されません');
	await expect(op.getByTestId('next-household')).toBeVisible();
	await expect(opRow).toHaveAttribute('data-state', 'available');

	await wallCtx.close();
	await opCtx.close();
});

test('the wall says when it is reconnecting and catches up after', async ({ browser }) => {
	const ctx = await browser.newContext();
	const wall = await ctx.newPage();
	// stand between the page and the server's WebSocket so that the connection can be dropped, as a network would
	let blocked = false;
	let current: { close: () => Promise<void> } | null = null;
	await wall.routeWebSocket(/\/socket\.io\//, (ws) => {
		if (blocked) return void ws.close();
		ws.connectToServer();
		current = ws;
	});
	await login(wall, 'mgr01');
	await wall.goto('/wall');
	const fresh = wall.getByTestId('updated-at');
	await expect(fresh).toHaveAttribute('data-status', 'connected');

	blocked = true;
	await current!.close();
	await expect(fresh).not.toHaveAttribute('data-status', 'connected');
	await expect(fresh).toContainText('再接続中');

	blocked = false;
	await expect(fresh).toHaveAttribute('data-status', 'connected', { timeout: 30_000 });
	await expect(fresh).toContainText('最終更新');
	await ctx.close();
});
