/**
 * Web security in the browser (issue #4 item 8): every main page is served with the strict
 * Content-Security-Policy and the security headers, and nothing on it (Svelte, Chart.js, Socket.IO, the forms)
 * trips the policy: no violation is reported, in the console or as a securitypolicyviolation event. Personal
 * pages are not stored (no-store). An operator reaches no export, admin or audit page.
 */
import { test, expect, type Page } from '@playwright/test';
import { login } from './fixtures.ts';

/** Collect CSP violations: the page's own events (installed before any script runs) and console messages. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
	const fromConsole: string[] = [];
	page.on('console', (m) => {
		const text = m.text();
		if (/Content[- ]Security[- ]Policy|Permissions-Policy|Refused to (load|execute|apply|connect|frame)/i.test(text)) fromConsole.push(`${m.type()}: ${text}`);
	});
	await page.addInitScript(() => {
		(window as unknown as { __csp: string[] }).__csp = [];
		document.addEventListener('securitypolicyviolation', (e) => {
			(window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
		});
	});
	return async () => [...fromConsole, ...(await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []))];
}

function expectStrictPage(headers: Record<string, string>) {
	const csp = headers['content-security-policy'];
	expect(csp, 'CSP header').toBeTruthy();
	const script = csp.split(';').find((d) => d.trim().startsWith('script-src'))!;
	expect(script).toMatch(/'self'/);
	expect(script).toMatch(/'nonce-[^']+'/); // SvelteKit's own inline script, by nonce
	expect(script).not.toMatch(/unsafe-inline|unsafe-eval/);
	expect(csp).toMatch(/frame-ancestors 'none'/);
	expect(csp).toMatch(/connect-src 'self'/);
	expect(headers['x-content-type-options']).toBe('nosniff');
	expect(headers['x-frame-options']).toBe('DENY');
	expect(headers['referrer-policy']).toBe('same-origin');
	expect(headers['cross-origin-opener-policy']).toBe('same-origin');
	expect(headers['permissions-policy']).toContain('publickey-credentials-get=(self)');
}

test.describe('Content-Security-Policy and security headers', () => {
	const pages: [who: string, path: string, ready: (p: Page) => Promise<void>][] = [
		['op01', '/operator', async (p) => expect(p.getByTestId('connection')).toHaveAttribute('data-status', 'connected')],
		['sv01', '/supervisor', async (p) => expect(p.getByTestId('updated-at')).toHaveAttribute('data-status', 'connected')],
		['sv01', '/wall', async (p) => expect(p.getByTestId('updated-at')).toHaveAttribute('data-status', 'connected')],
		['mgr01', '/manager', async (p) => expect(p.locator('main')).not.toBeEmpty()],
		['staff01', '/staff', async (p) => expect(p.locator('main')).not.toBeEmpty()],
		['admin01', '/admin', async (p) => expect(p.getByTestId('users')).toBeVisible()],
		['admin01', '/admin/imports', async (p) => expect(p.locator('main')).not.toBeEmpty()],
		['admin01', '/exports', async (p) => expect(p.getByTestId('export-form')).toBeVisible()],
		['admin01', '/admin/exports', async (p) => expect(p.getByTestId('export-settings')).toBeVisible()],
		['admin01', '/admin/erasure', async (p) => expect(p.locator('main')).not.toBeEmpty()],
		['audit01', '/audit', async (p) => expect(p.locator('main')).not.toBeEmpty()],
		// issues #8 and #9
		['sv01', '/training/plan', async (p) => expect(p.getByTestId('training-people')).toBeVisible()],
		['op01', '/training', async (p) => expect(p.getByTestId('training-open')).toBeVisible()],
		['sv01', '/supervisor/scripts', async (p) => expect(p.getByTestId('script-editor')).toBeVisible()],
		['sv01', '/supervisor/performance', async (p) => expect(p.getByTestId('performance-table')).toBeVisible()],
		['mgr01', '/manager/best-time', async (p) => expect(p.getByTestId('best-time-table')).toBeVisible()],
		['mgr01', '/manager/reports', async (p) => expect(p.getByTestId('report-total')).toBeVisible()],
		['mgr01', '/manager/trends', async (p) => expect(p.getByTestId('trend-table-current')).toBeVisible()],
		// the call plan with its chart and, for a supervisor, the editor
		['sv01', '/manager/plan', async (p) => expect(p.getByTestId('plan-table')).toBeVisible()],
		['mgr01', '/manager/effect', async (p) => expect(p.getByTestId('effect-table').first()).toBeVisible()]
	];
	for (const [who, path, ready] of pages) {
		test(`${path} (${who}): strict CSP, no violation, not stored`, async ({ page }) => {
			const violations = await watchCsp(page);
			await login(page, who);
			const res = await page.goto(path);
			expect(res!.status()).toBe(200);
			const headers = res!.headers();
			expectStrictPage(headers);
			expect(headers['cache-control']).toBe('no-store');
			expect(headers['pragma']).toBe('no-cache');
			await ready(page);
			// charts draw and the socket has connected by now; give late scripts a moment to report
			await page.waitForLoadState('networkidle');
			expect(await violations()).toEqual([]);
		});
	}

	test('the login page too, and an inline script injected into the page is refused', async ({ page }) => {
		const violations = await watchCsp(page);
		const res = await page.goto('/login');
		expectStrictPage(res!.headers());
		// what an injected <script> would do: the policy stops it and reports it
		const ran = await page.evaluate(() => {
			const s = document.createElement('script');
			s.textContent = 'window.__injected = true';
			document.body.appendChild(s);
			return (window as unknown as { __injected?: boolean }).__injected === true;
		});
		expect(ran).toBe(false);
		await expect.poll(async () => (await violations()).join('\n')).toContain('script-src');
	});
});

test('an operator reaches no export, admin or audit page', async ({ page }) => {
	await login(page, 'op01');
	for (const path of ['/exports', '/exports/call-results?from=2026-01-01&to=2026-01-31', '/admin', '/admin/exports', '/admin/imports', '/audit', '/audit/export']) {
		const res = await page.goto(path);
		expect(res!.status(), path).toBe(403);
	}
	// and no link leads there
	await page.goto('/operator');
	const nav = page.getByRole('navigation', { name: 'main' });
	// 催告書の印刷: only the letter batches a supervisor assigned to this operator (letters.print; issue #7)
	await expect(nav.getByRole('link')).toHaveText(['架電', '受電', '催告書の印刷']);
	for (const name of ['書き出し', '管理', 'アクセスログ', 'データ取込', 'データ消去']) await expect(nav.getByRole('link', { name })).toHaveCount(0);
});
