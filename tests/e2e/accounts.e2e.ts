import { test, expect } from '@playwright/test';
import postgres from 'postgres';
import { login, storedLocaleJapanese } from './fixtures.ts';

// the language switch is stored on the user: put it back even if the test failed half-way
test.afterEach(() => storedLocaleJapanese('op-e2e', 'admin01'));

const INITIAL = 'はじめの パスワード 2026';
const CHANGED = 'correct horse battery staple';

test.describe('accounts', () => {
	test('an administrator creates a user, who signs in, changes their password and ends another session', async ({ page, browser }) => {
		// admin01 adds an operator; a common password is refused next to the field, in Japanese
		await login(page, 'admin01');
		await expect(page).toHaveURL(/\/admin$/);
		const create = page.getByRole('region', { name: 'ユーザーの追加' });
		await create.getByLabel('ユーザーID').fill('op-e2e');
		await create.getByLabel('氏名').fill('試験 オペレータ');
		await create.getByLabel('権限').selectOption('operator');
		await create.getByLabel('初期パスワード').fill('password1234');
		await create.getByRole('button', { name: '追加する' }).click();
		await expect(page.getByTestId('error-password')).toHaveText(
			'この初期パスワードはよく使われているため使えません。推測されにくい語句を組み合わせてください。'
		);
		await expect(create.getByLabel('初期パスワード')).toHaveAttribute('aria-invalid', 'true');
		await expect(create.getByLabel('ユーザーID')).toHaveValue('op-e2e'); // typed values are kept
		await expect(page.getByTestId('users').getByRole('row', { name: /op-e2e/ })).toHaveCount(0);

		await create.getByLabel('初期パスワード').fill(INITIAL);
		await create.getByRole('button', { name: '追加する' }).click();
		await expect(page.getByTestId('admin-message')).toHaveText('ユーザー op-e2e を追加しました。');
		await expect(page.getByTestId('users').locator('tr[data-login-id="op-e2e"]')).toContainText('オペレータ');

		// the new user signs in on another device (browser context) and opens the account page
		const device1 = await browser.newContext();
		const p1 = await device1.newPage();
		await login(p1, 'op-e2e', INITIAL);
		await expect(p1).toHaveURL(/\/training\?required=1$/); // a new operator: no privacy training recorded yet (issue #9)
		await p1.getByRole('link', { name: 'アカウント' }).click();
		await expect(p1.getByRole('heading', { level: 1, name: 'アカウント' })).toBeVisible();
		await expect(p1.getByTestId('own-sessions').locator('tbody tr')).toHaveCount(1);
		await expect(p1.getByTestId('own-sessions').locator('tr[data-current="true"]')).toContainText('この端末');

		// a weak new password is refused with the message next to the field; then a good one is taken
		await p1.getByLabel('現在のパスワード').fill(INITIAL);
		await p1.getByLabel('新しいパスワード', { exact: true }).fill('qwertyuiop123');
		await p1.getByLabel('新しいパスワード（確認）').fill('qwertyuiop123');
		await p1.getByRole('button', { name: 'パスワードを変更' }).click();
		await expect(p1.getByTestId('error-newPassword')).toHaveText(
			'この新しいパスワードはよく使われているため使えません。推測されにくい語句を組み合わせてください。'
		);
		await p1.getByLabel('現在のパスワード').fill(INITIAL);
		await p1.getByLabel('新しいパスワード', { exact: true }).fill(CHANGED);
		await p1.getByLabel('新しいパスワード（確認）').fill(CHANGED);
		await p1.getByRole('button', { name: 'パスワードを変更' }).click();
		await expect(p1.getByTestId('password-message')).toHaveText('パスワードを変更しました。ほかの端末のセッション（0件）は終了しました。');

		// the old password no longer works; the new one does, on a second device
		const device2 = await browser.newContext();
		const p2 = await device2.newPage();
		await p2.goto('/login');
		await p2.getByLabel('ユーザーID').fill('op-e2e');
		await p2.getByLabel('パスワード').fill(INITIAL);
		await p2.getByRole('button', { name: 'ログイン' }).click();
		await expect(p2.getByTestId('login-error')).toHaveText('ユーザーIDまたはパスワードが正しくありません。');
		await login(p2, 'op-e2e', CHANGED);

		// device 1 sees both sessions and ends the other one; device 2 is signed out
		await p1.reload();
		const rows = p1.getByTestId('own-sessions').locator('tbody tr');
		await expect(rows).toHaveCount(2);
		await p1.getByTestId('own-sessions').locator('tbody tr:not([data-current])').getByRole('button', { name: /セッションを終了/ }).click();
		await expect(p1.getByTestId('sessions-message')).toHaveText('1件のセッションを終了しました。');
		await expect(p1.getByTestId('own-sessions').locator('tbody tr')).toHaveCount(1);
		await p2.goto('/account');
		await expect(p2).toHaveURL(/\/login/);

		// the account page in English
		await p1.getByRole('button', { name: /English/ }).click();
		await expect(p1.getByRole('heading', { level: 1, name: 'Account' })).toBeVisible();
		await expect(p1.getByLabel('Current password')).toBeVisible();

		await device1.close();
		await device2.close();
	});

	test('an administrator disables a user and ends their sessions; the user is signed out', async ({ page, browser }) => {
		const device = await browser.newContext();
		const user = await device.newPage();
		await login(user, 'staff01');
		await expect(user).toHaveURL(/\/staff$/);

		await login(page, 'admin01');
		await page.getByRole('link', { name: '管理: staff01' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'ユーザー staff01' })).toBeVisible();
		await expect(page.getByTestId('user-sessions').locator('tbody tr')).toHaveCount(1);
		// disabling ends the sessions at once: it asks first, naming the user; "cancel" changes nothing
		let asked = '';
		page.once('dialog', (d) => {
			asked = d.message();
			void d.dismiss();
		});
		await page.getByRole('button', { name: '利用を停止する' }).click();
		await expect.poll(() => asked).toBe('伊藤 職員（staff01）の利用を停止します。このユーザーのセッションはすべて直ちに終了し、接続中の画面も切断されます。よろしいですか？');
		await expect(page.getByTestId('user-status')).toContainText('有効');
		await expect(page.getByTestId('admin-message')).toHaveCount(0);
		await user.reload();
		await expect(user).toHaveURL(/\/staff$/);
		page.once('dialog', (d) => void d.accept());
		await page.getByRole('button', { name: '利用を停止する' }).click();
		await expect(page.getByTestId('admin-message')).toHaveText('利用を停止しました。');
		await expect(page.getByTestId('user-status')).toContainText('無効');

		await user.reload();
		await expect(user).toHaveURL(/\/login/);
		await user.getByLabel('ユーザーID').fill('staff01');
		await user.getByLabel('パスワード').fill('kansho-demo-2026');
		await user.getByRole('button', { name: 'ログイン' }).click();
		await expect(user.getByTestId('login-error')).toHaveText('ユーザーIDまたはパスワードが正しくありません。');

		// enabled again: signing in works
		await page.getByRole('button', { name: '利用を再開する' }).click();
		await expect(page.getByTestId('admin-message')).toHaveText('利用を再開しました。');
		await login(user, 'staff01');
		await expect(user).toHaveURL(/\/staff$/);
		await device.close();
	});

	test('changing a role asks first, naming the user and the new role; cancelled, nothing changes', async ({ page }) => {
		const loginId = `role-e2e-${Date.now() % 1_000_000}`;
		await login(page, 'admin01');
		const create = page.getByRole('region', { name: 'ユーザーの追加' });
		await create.getByLabel('ユーザーID').fill(loginId);
		await create.getByLabel('氏名').fill('権限 試験');
		await create.getByLabel('権限').selectOption('operator');
		await create.getByLabel('初期パスワード').fill(INITIAL);
		await create.getByRole('button', { name: '追加する' }).click();
		await expect(page.getByTestId('admin-message')).toHaveText(`ユーザー ${loginId} を追加しました。`);
		await page.getByRole('link', { name: `管理: ${loginId}` }).click();
		await expect(page.getByTestId('user-role')).toHaveText('オペレータ');

		await page.locator('#role').selectOption('admin');
		let asked = '';
		page.once('dialog', (d) => {
			asked = d.message();
			void d.dismiss();
		});
		await page.getByTestId('change-role').click();
		await expect.poll(() => asked).toBe(
			`権限 試験（${loginId}）の権限を「オペレータ」から「システム管理者」に変更します。このユーザーのセッションはすべて終了し、「システム管理者」として再ログインが必要になります。よろしいですか？`
		);
		await page.reload();
		await expect(page.getByTestId('user-role')).toHaveText('オペレータ');

		await page.locator('#role').selectOption('admin');
		page.once('dialog', (d) => void d.accept());
		await page.getByTestId('change-role').click();
		await expect(page.getByTestId('admin-message')).toHaveText('権限を変更しました（セッションを終了しました）。');
		await expect(page.getByTestId('user-role')).toHaveText('システム管理者');

		// in English, the question names the user and the role in English
		await page.getByRole('button', { name: /English/ }).click();
		await page.locator('#role').selectOption('operator');
		page.once('dialog', (d) => {
			asked = d.message();
			void d.dismiss();
		});
		await page.getByTestId('change-role').click();
		await expect.poll(() => asked).toMatch(new RegExp(`^Change the role of 権限 試験 \\(${loginId}\\) from “Administrator” to “Operator”\\?`));
		await page.getByRole('button', { name: /日本語/ }).click();
	});

	test('/admin/users opens the list; after adding a user, reloading the page sends nothing again', async ({ page }) => {
		const loginId = `prg-e2e-${Date.now() % 1_000_000}`;
		await login(page, 'admin01');
		// a user page's URL trimmed: the list, not a 404
		const res = await page.goto('/admin/users');
		expect(res?.status()).toBe(200);
		await expect(page).toHaveURL(/\/admin$/);
		await expect(page.getByTestId('users').locator('tr[data-login-id="admin01"]')).toBeVisible();

		const create = page.getByRole('region', { name: 'ユーザーの追加' });
		await create.getByLabel('ユーザーID').fill(loginId);
		await create.getByLabel('氏名').fill('再送 試験');
		await create.getByLabel('権限').selectOption('operator');
		await create.getByLabel('初期パスワード').fill(INITIAL);
		await create.getByRole('button', { name: '追加する' }).click();
		await expect(page.getByTestId('admin-message')).toHaveText(`ユーザー ${loginId} を追加しました。`);
		// post/redirect/get: the page shown after adding is a GET of the list
		await expect(page).toHaveURL(new RegExp(`/admin\\?created=${loginId}$`));

		const posts: string[] = [];
		page.on('request', (r) => {
			if (r.method() === 'POST') posts.push(r.url());
		});
		await page.reload();
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await expect(page.getByTestId('admin-message')).toHaveText(`ユーザー ${loginId} を追加しました。`);
		await expect(page.getByTestId('create-error')).toHaveCount(0);
		await expect(page.getByTestId('users').locator(`tr[data-login-id="${loginId}"]`)).toHaveCount(1);
		expect(posts).toEqual([]);
		const sql = postgres(`postgres://kansho:kansho-embedded@127.0.0.1:${Number(process.env.E2E_EMBEDDED_PG_PORT ?? 5497)}/kansho`, { max: 1, onnotice: () => {} });
		try {
			expect((await sql<{ n: number }[]>`select count(*)::int as n from users where login_id = ${loginId}`)[0].n).toBe(1);
		} finally {
			await sql.end();
		}

		// the message is said only of a user in the list
		await page.goto('/admin?created=no-such-user');
		await expect(page.getByTestId('users')).toBeVisible();
		await expect(page.getByTestId('admin-message')).toHaveCount(0);
	});

	test('other roles cannot open user administration', async ({ page }) => {
		await login(page, 'op01');
		expect((await page.goto('/admin'))?.status()).toBe(403);
		expect((await page.goto('/admin/users/1'))?.status()).toBe(403);
		expect((await page.goto('/admin/users'))?.status()).toBe(403);
		// but every signed-in user has an account page
		expect((await page.goto('/account'))?.status()).toBe(200);
	});
});
