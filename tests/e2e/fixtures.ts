import { expect, type Page, type TestInfo } from '@playwright/test';
import postgres from 'postgres';

export const PASSWORD = 'kansho-demo-2026';

/** Sign in through the login form, as a person would. */
export async function login(page: Page, loginId: string, password = PASSWORD) {
	await page.goto('/login');
	await page.getByLabel('ユーザーID').fill(loginId);
	await page.getByLabel('パスワード').fill(password);
	await page.getByRole('button', { name: 'ログイン' }).click();
	await expect(page).not.toHaveURL(/\/login/);
}

/**
 * Put these users' stored language back to Japanese in the server's database. The language switch stores the choice
 * on the user, so a test that switches to English and then fails before switching back would leave every later test
 * that signs in as the same user on English pages; run this in afterEach of such tests.
 */
export async function storedLocaleJapanese(...loginIds: string[]) {
	const port = Number(process.env.E2E_EMBEDDED_PG_PORT ?? 5497);
	const sql = postgres(`postgres://kansho:kansho-embedded@127.0.0.1:${port}/kansho`, { max: 1, onnotice: () => {} });
	try {
		await sql`update users set locale = 'ja' where login_id in ${sql(loginIds)}`;
	} finally {
		await sql.end();
	}
}

/**
 * Wait until the page's scripts have hydrated it: the root layout has then taken what src/app.html recorded of the
 * typing before hydration (src/lib/state/typed-before-hydration.ts). Polls on a timer, not on animation frames.
 * Use it after a full page load (a form that posts without script, the language switch) before typing again.
 */
export async function hydrated(page: Page) {
	await page.waitForFunction(() => !('__kanshoTypedBeforeHydration' in window), undefined, { polling: 100, timeout: 15_000 });
}

/**
 * After a failed test, print the state its pages were in, for a CI log that keeps no trace: URL, document state,
 * hydration, and whether the page still paints (animation frames run). Playwright's click waits on animation frames
 * to see its target stand still; an intermittent CI failure hung there with the button present (session notes).
 */
export async function describePagesOnFailure(pages: Page[], testInfo: TestInfo) {
	if (testInfo.status === testInfo.expectedStatus) return;
	for (const [i, page] of pages.entries()) {
		const probe = page
			.evaluate(
				() =>
					new Promise<string>((resolve) => {
						const state = `readyState=${document.readyState} hydrated=${!('__kanshoTypedBeforeHydration' in window)} hidden=${document.hidden}`;
						requestAnimationFrame(() => resolve(`${state} frames=running`));
						setTimeout(() => resolve(`${state} frames=STALLED (no animation frame in 2 s)`), 2000);
					})
			)
			.catch((e: unknown) => `evaluate failed: ${e instanceof Error ? e.message : String(e)}`);
		const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('evaluate did not answer in 5 s (main thread blocked?)'), 5000));
		console.error(`[page ${i} after failure] ${page.url()} ${await Promise.race([probe, timeout])}`);
	}
}
