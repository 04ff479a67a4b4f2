/**
 * The wall display with a display token (issue #6): issued by a supervisor, opened on a "wall PC" with no login,
 * updated live, honest when the server restarts (reconnecting, then a fresh "last updated"), closed when revoked,
 * and laid out for 1080p and 4K without scrollbars.
 *
 * The wall talks to an instance of its own (WALL_E2E_PORT, default 3214) on the same database as the test server,
 * so that the test can stop and start it; outcomes are recorded through the test server's API, as an operator's
 * desk would, and reach the wall's instance through PostgreSQL NOTIFY.
 */
import { test, expect, type Browser, type Page } from '@playwright/test';
import { figureEms } from '../../src/lib/components/wall/wall-board.ts';
import { randomUUID } from 'node:crypto';
import { login } from './fixtures.ts';
import { startInstance, type Instance } from '../helpers/server.ts';

const WALL_PORT = Number(process.env.WALL_E2E_PORT ?? 3214);
const PG_PORT = process.env.E2E_EMBEDDED_PG_PORT ?? '5497';
// the embedded PostgreSQL the test server started (server/embedded.ts, server/boot.ts)
const DATABASE_URL = `postgres://kansho:kansho-embedded@127.0.0.1:${PG_PORT}/kansho`;

let wallServer: Instance | null = null;
const startWallServer = () => startInstance({ port: WALL_PORT, env: { DATABASE_URL, INSTANCE_ID: 'wall-e2e', LIVE_RECOMPUTE_SECONDS: '2' } });

test.afterAll(async () => {
	await wallServer?.stop();
	wallServer = null;
});

/** A supervisor issues a token on /supervisor/displays; the URL is shown once. */
async function issueToken(browser: Browser, label: string, panels: string[] = ['summary']): Promise<{ url: string; sv: Page }> {
	const ctx = await browser.newContext();
	const sv = await ctx.newPage();
	await login(sv, 'sv01');
	await sv.goto('/supervisor/displays');
	await sv.getByLabel('名前（設置場所など）').fill(label);
	for (const p of ['summary', 'segments', 'operators']) {
		const box = sv.locator(`input[name="panels"][value="${p}"]`);
		if (panels.includes(p)) await box.check();
		else await box.uncheck();
	}
	await sv.getByTestId('issue').click();
	await expect(sv.getByTestId('issued')).toContainText(label);
	const url = await sv.getByTestId('wall-url').inputValue();
	expect(url).toMatch(/\/wall\/t\/kd_[A-Za-z0-9_-]{43}$/);
	await expect(sv.getByTestId('tokens')).toContainText(label);
	return { url, sv };
}

/** The wall PC: a fresh browser with no login opens the URL (on the given origin). */
async function openWall(browser: Browser, url: string, viewport = { width: 1920, height: 1080 }): Promise<Page> {
	const ctx = await browser.newContext({ viewport, deviceScaleFactor: 1 });
	const wall = await ctx.newPage();
	await wall.goto(url);
	// the token left the address bar: the link answered with a cookie and a redirect
	await expect(wall).toHaveURL(/\/wall(\?|$)/);
	expect(wall.url()).not.toContain('kd_');
	return wall;
}

const number = async (page: Page, testId: string) => Number((await page.getByTestId(testId).innerText()).replace(/[^\d]/g, ''));

/** An operator's call recorded through the test server's API (claim, then outcome 20 本人応答). */
async function recordCall(op: Page): Promise<void> {
	const origin = new URL(op.url()).origin;
	const claim = await op.request.post('/api/claims/next', { headers: { origin } });
	expect(claim.status(), await claim.text()).toBe(200);
	const { householdId } = await claim.json();
	const r = await op.request.post('/api/calls', {
		headers: { origin },
		data: { householdId, outcomeCode: '20', party: 'self', note: 'wall e2e', idempotencyKey: randomUUID() }
	});
	expect(r.status(), await r.text()).toBe(201);
}

test('a wall opened with a token updates live, says it is reconnecting while its server restarts, then recovers', async ({ browser }) => {
	test.setTimeout(180_000);
	const { url } = await issueToken(browser, 'E2E 北モニター');
	wallServer = await startWallServer();
	const wall = await openWall(browser, url.replace(/^https?:\/\/[^/]+/, wallServer.url));
	const fresh = wall.getByTestId('updated-at');
	await expect(fresh).toHaveAttribute('data-status', 'connected');
	await expect(wall.getByRole('heading', { level: 1 })).toContainText('E2E 北モニター');
	await expect(wall.getByTestId('stale-mark')).toHaveCount(0);
	const before = await number(wall, 'kpi-attempts');

	// an outcome recorded elsewhere changes the number, live
	const opCtx = await browser.newContext();
	const op = await opCtx.newPage();
	await login(op, 'op01');
	await recordCall(op);
	await expect(wall.getByTestId('kpi-attempts')).toHaveText(String(before + 1));
	await expect(fresh).toHaveAttribute('data-status', 'connected');
	const updatedBefore = Date.parse((await fresh.getAttribute('data-updated-at'))!);

	// the wall's server goes away: the wall says so, and its figures are marked as not live
	await wallServer.stop();
	await expect(fresh).toHaveAttribute('data-status', 'reconnecting');
	await expect(fresh).toContainText('再接続中');
	await expect(fresh).toContainText('最終更新');
	await expect(wall.getByTestId('stale-mark')).toBeVisible();
	await expect(wall.getByTestId('wall-board')).not.toHaveAttribute('data-fresh', 'connected');

	// meanwhile another call is recorded: the wall must not pretend to know it
	await recordCall(op);
	await expect(wall.getByTestId('kpi-attempts')).toHaveText(String(before + 1));

	// back on the same port: the wall reconnects by itself, reloads a snapshot, and the time is fresh
	wallServer = await startWallServer();
	await expect(fresh).toHaveAttribute('data-status', 'connected', { timeout: 60_000 });
	await expect(wall.getByTestId('kpi-attempts')).toHaveText(String(before + 2));
	await expect(wall.getByTestId('stale-mark')).toHaveCount(0);
	await expect.poll(async () => Date.parse((await fresh.getAttribute('data-updated-at'))!)).toBeGreaterThan(updatedBefore);
	await wall.screenshot({ path: test.info().outputPath('wall-token.png') });
	await opCtx.close();
	await wall.context().close();
});

test('revoking a token closes the wall open with it at once', async ({ browser }) => {
	const { url, sv } = await issueToken(browser, 'E2E 取消テスト');
	const wall = await openWall(browser, url);
	const fresh = wall.getByTestId('updated-at');
	await expect(fresh).toHaveAttribute('data-status', 'connected');

	const row = sv.locator('[data-testid^="token-"]', { hasText: 'E2E 取消テスト' });
	sv.once('dialog', (d) => d.accept());
	await row.getByTestId('revoke').click();
	await expect(sv.getByTestId('revoked-message')).toContainText('E2E 取消テスト');
	await expect(row).toHaveAttribute('data-revoked', 'true');

	await expect(fresh).toHaveAttribute('data-status', 'ended');
	await expect(fresh).toContainText('終了しました');
	// reloading does not bring it back, and asks for no password either
	await wall.reload();
	await expect(wall.getByRole('alert')).toContainText('取り消されています');
	await expect(wall.getByLabel('パスワード')).toHaveCount(0);
	await sv.context().close();
	await wall.context().close();
});

/** The summary panel's figures and labels that run out of their box: wider than their own box, or past their tile's edge. */
function overflowing(wall: Page) {
	return wall.evaluate(() =>
		[...document.querySelectorAll<HTMLElement>('[data-testid="panel-summary"] .v, [data-testid="panel-summary"] .k')].flatMap((e) => {
			const box = e.closest('.tile, li')!.getBoundingClientRect();
			const r = e.getBoundingClientRect();
			const out = e.scrollWidth > e.clientWidth || r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.bottom > box.bottom + 0.5;
			return out ? [`${e.textContent} (${e.scrollWidth} > ${e.clientWidth}, ${Math.round(r.right)} > ${Math.round(box.right)})`] : [];
		})
	);
}

for (const size of [
	{ name: '1080p', width: 1920, height: 1080 },
	{ name: '4K', width: 3840, height: 2160 }
]) {
	test(`every panel fits a ${size.name} screen without scrollbars`, async ({ browser }) => {
		const { url, sv } = await issueToken(browser, `E2E ${size.name}`, ['summary', 'segments', 'operators']);
		const wall = await openWall(browser, url, { width: size.width, height: size.height });
		await expect(wall.getByTestId('updated-at')).toHaveAttribute('data-status', 'connected');
		const sizes: number[] = [];
		for (const panel of ['summary', 'segments', 'operators']) {
			// the URL may pick a panel for this screen (the cookie from the link stays)
			await wall.goto(`/wall?panels=${panel}`);
			await expect(wall.getByTestId(`panel-${panel}`)).toBeVisible();
			const fit = await wall.evaluate((p) => {
				const doc = document.documentElement;
				const visible = document.querySelector(`[data-testid="panel-${p}"]`)!;
				// everything the panel shows lies inside the screen (nothing cut off below or to the right)
				const items = [...visible.querySelectorAll('.tile, li, tr')].map((e) => e.getBoundingClientRect());
				return {
					scrollX: doc.scrollWidth - window.innerWidth,
					scrollY: doc.scrollHeight - window.innerHeight,
					outside: items.filter((r) => r.bottom > window.innerHeight + 0.5 || r.right > window.innerWidth + 0.5).length,
					items: items.length
				};
			}, panel);
			expect(fit, panel).toEqual({ scrollX: 0, scrollY: 0, outside: 0, items: fit.items });
			expect(fit.items, panel).toBeGreaterThan(0);
			if (panel === 'summary') sizes.push(await wall.getByTestId('kpi-attempts').evaluate((e) => parseFloat(getComputedStyle(e).fontSize)));
		}
		// big numbers: at least 7% of the screen's height… readable from five meters at either resolution
		expect(sizes[0]).toBeGreaterThanOrEqual(size.height * 0.065);
		await wall.goto('/wall?panels=summary');
		await expect(wall.getByTestId('updated-at')).toHaveAttribute('data-status', 'connected');
		// every big figure and its label fit their tile: the demo's figures (the queue's thousands among them)…
		expect(await overflowing(wall), 'demo figures').toEqual([]);
		expect(Number((await wall.getByTestId('queue-callable').innerText()).replace(/,/g, ''))).toBeGreaterThan(999);
		// …and a ward's: 128,000 households callable, ¥12,345,678 promised (the figure with the width the page gives it)
		await wall.evaluate(
			(figures) => {
				for (const [testid, text, ems] of figures) {
					const e = document.querySelector<HTMLElement>(`[data-testid="${testid}"]`)!;
					e.textContent = text;
					e.style.setProperty('--ems', String(ems));
				}
			},
			(
				[
					['queue-callable', '128,000'],
					['queue-claimed', '1,234'],
					['queue-window', '23,456'],
					['kpi-attempts', '12,345'],
					['kpi-amount', '¥12,345,678']
				] as const
			).map(([id, text]) => [id, text, figureEms(text)] as const)
		);
		expect(await overflowing(wall), 'a ward’s figures').toEqual([]);
		await wall.screenshot({ path: test.info().outputPath(`wall-${size.name}-large.png`) });
		await wall.reload();
		await expect(wall.getByTestId('updated-at')).toHaveAttribute('data-status', 'connected');
		await wall.screenshot({ path: test.info().outputPath(`wall-${size.name}.png`) });
		await sv.context().close();
		await wall.context().close();
	});
}

test('panels rotate by themselves as the URL says, and say which one shows', async ({ browser }) => {
	const { url, sv } = await issueToken(browser, 'E2E 切替');
	const wall = await openWall(browser, `${url}?panels=summary,operators&seconds=5`);
	await expect(wall.getByTestId('panel-summary')).toBeVisible();
	await expect(wall.getByTestId('panel-operators')).toBeHidden();
	await expect(wall.getByTestId('panel-name')).toContainText('(パネル 1 / 2)');
	// no interaction: the next panel comes after its seconds
	await expect(wall.getByTestId('panel-operators')).toBeVisible({ timeout: 15_000 });
	await expect(wall.getByTestId('panel-summary')).toBeHidden();
	await expect(wall.getByTestId('panel-name')).toContainText('(パネル 2 / 2)');
	await sv.context().close();
	await wall.context().close();
});
