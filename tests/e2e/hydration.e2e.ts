/**
 * What a user types in the first moments after a page appears, before its JavaScript has started, is kept: Svelte 5
 * writes each field's rendered value again while hydrating, which used to empty the fields (a CI run met it: an
 * administrator's new user was sent with no ID and no name). src/app.html records what is typed until then and the
 * root layout puts it back. The page's scripts are held back here so that the typing surely comes first.
 */
import { test, expect } from '@playwright/test';
import { login } from './fixtures.ts';

test('fields typed before the page hydrates keep their values, and the form then works as usual', async ({ page }) => {
	await login(page, 'admin01');
	let release!: () => void;
	const gate = new Promise<void>((r) => (release = r));
	await page.route(/\/_app\/immutable\/.*\.js$/, async (route) => {
		await gate;
		await route.continue();
	});
	await page.goto('/admin', { waitUntil: 'domcontentloaded' });
	const create = page.getByRole('region', { name: 'ユーザーの追加' });
	await create.getByLabel('ユーザーID').fill('typed-early');
	await create.getByLabel('氏名').fill('早打ち 試験');
	await create.getByLabel('権限').selectOption('staff');
	// not hydrated yet: the recorder of src/app.html is still waiting
	expect(await page.evaluate(() => typeof (window as { __kanshoTypedBeforeHydration?: unknown }).__kanshoTypedBeforeHydration)).toBe('function');
	release();
	await page.waitForFunction(() => (window as { __kanshoTypedBeforeHydration?: unknown }).__kanshoTypedBeforeHydration === undefined);
	await expect(create.getByLabel('ユーザーID')).toHaveValue('typed-early');
	await expect(create.getByLabel('氏名')).toHaveValue('早打ち 試験');
	await expect(create.getByLabel('権限')).toHaveValue('staff');
	// hydrated: a refused password comes back next to its field, and the typed values are still there
	await create.getByLabel('初期パスワード').fill('password1234');
	await create.getByRole('button', { name: '追加する' }).click();
	await expect(page.getByTestId('error-password')).toBeVisible();
	await expect(create.getByLabel('ユーザーID')).toHaveValue('typed-early');
	await expect(page.getByTestId('users').locator('tr[data-login-id="typed-early"]')).toHaveCount(0);
});
