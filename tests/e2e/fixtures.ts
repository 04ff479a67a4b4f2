import { expect, type Page } from '@playwright/test';
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
