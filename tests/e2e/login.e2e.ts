import { test, expect } from '@playwright/test';
import { login } from './fixtures.ts';

const landings = [
	['op01', '/operator', '架電'],
	['sv01', '/supervisor', 'SVコンソール'],
	['staff01', '/staff', '引継ぎ一覧'],
	['mgr01', '/manager', '本日の実績'],
	['admin01', '/admin', 'ユーザー'],
	['audit01', '/audit', 'アクセスログ']
] as const;

test.describe('sign-in and roles', () => {
	for (const [loginId, path, heading] of landings) {
		test(`${loginId} lands on ${path} and is refused elsewhere`, async ({ page }) => {
			await login(page, loginId);
			await expect(page).toHaveURL(new RegExp(`${path}$`));
			await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
			// one page of another role
			const other = landings.find(([, p]) => p !== path && !(path === '/supervisor' && p === '/manager'))!;
			const res = await page.goto(other[1]);
			expect(res?.status()).toBe(403);
			await expect(page.getByTestId('error-message')).toHaveText('この画面・操作を利用する権限がありません。');
		});
	}

	test('operators may not open the wall display or its data', async ({ page }) => {
		await login(page, 'op02');
		expect((await page.goto('/wall'))?.status()).toBe(403);
		const api = await page.request.get('/api/wall');
		expect(api.status()).toBe(403);
		expect(await api.json()).toMatchObject({ code: 'forbidden' });
	});

	test('a wrong password is refused in Japanese, and in English after the switch', async ({ page }) => {
		await page.goto('/login');
		await page.getByLabel('ユーザーID').fill('op01');
		await page.getByLabel('パスワード').fill('wrong-password');
		await page.getByRole('button', { name: 'ログイン' }).click();
		await expect(page.getByTestId('login-error')).toHaveText('ユーザーIDまたはパスワードが正しくありません。');
		await expect(page).toHaveURL(/\/login/);

		await page.getByRole('button', { name: /English/ }).click();
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await page.getByLabel('User ID').fill('op01');
		await page.getByLabel('Password').fill('still-wrong');
		await page.getByRole('button', { name: 'Sign in' }).click();
		await expect(page.getByTestId('login-error')).toHaveText('Wrong user ID or password.');
	});

	test('a signed-out visitor is sent to the login page and back after signing in', async ({ page }) => {
		await page.goto('/operator');
		await expect(page).toHaveURL(/\/login\?next=%2Foperator/);
		await page.getByLabel('ユーザーID').fill('op03');
		await page.getByLabel('パスワード').fill('kansho-demo-2026');
		await page.getByRole('button', { name: 'ログイン' }).click();
		await expect(page).toHaveURL(/\/operator$/);
	});

	test('signing out ends the session', async ({ page, context }) => {
		await login(page, 'audit01');
		await page.getByRole('button', { name: 'ログアウト' }).click();
		await expect(page).toHaveURL(/\/login/);
		expect((await context.cookies()).find((c) => c.name === 'kansho_session')).toBeUndefined();
		await page.goto('/audit');
		await expect(page).toHaveURL(/\/login/);
	});
});
