import { expect, type Page } from '@playwright/test';

export const PASSWORD = 'kansho-demo-2026';

/** Sign in through the login form, as a person would. */
export async function login(page: Page, loginId: string, password = PASSWORD) {
	await page.goto('/login');
	await page.getByLabel('ユーザーID').fill(loginId);
	await page.getByLabel('パスワード').fill(password);
	await page.getByRole('button', { name: 'ログイン' }).click();
	await expect(page).not.toHaveURL(/\/login/);
}
