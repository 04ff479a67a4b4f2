/**
 * Administrator settings that lock people out or stop work ask before saving: export settings with no role ticked
 * (every export stops, the command line's too), and requiring security keys for a role whose users have no key and
 * no registration allowance (they could not sign in; the question says how many). Cancelled, nothing changes;
 * accepted, the change is saved. Saves that lock nobody out do not ask. The settings are put back afterwards.
 */
import { test, expect } from '@playwright/test';
import postgres from 'postgres';
import { login } from './fixtures.ts';

const PG_PORT = Number(process.env.E2E_EMBEDDED_PG_PORT ?? 5497);
const sql = postgres(`postgres://kansho:kansho-embedded@127.0.0.1:${PG_PORT}/kansho`, { max: 1, onnotice: () => {} });

test.afterAll(async () => {
	await sql.end();
});

const exportRoles = async () => (await sql<{ role: string }[]>`select role from export_roles order by role`).map((r) => r.role);
const auditorRequired = async () => (await sql<{ required: boolean }[]>`select required from webauthn_role_requirements where role = 'auditor'`)[0]?.required;

test('export settings: saving with no role asks first; cancelled nothing changes, accepted every export stops', async ({ page }) => {
	const before = await exportRoles();
	expect(before.length).toBeGreaterThan(0);
	try {
		await login(page, 'admin01');
		await page.goto('/admin/exports');
		const boxes = page.getByTestId('export-settings').locator('input[type="checkbox"]:not([disabled])');
		for (const b of await boxes.all()) await b.uncheck();

		let asked = '';
		page.once('dialog', (d) => {
			asked = d.message();
			void d.dismiss();
		});
		await page.getByRole('button', { name: '保存' }).click();
		await expect.poll(() => asked).toBe('どの役割も選ばれていません。保存すると、コマンドラインを含むすべての書き出し（架電結果.csv）が止まります。よろしいですか？');
		await expect(page.getByTestId('export-settings-message')).toHaveCount(0);
		expect(await exportRoles()).toEqual(before);

		page.once('dialog', (d) => void d.accept());
		await page.getByRole('button', { name: '保存' }).click();
		await expect(page.getByTestId('export-settings-message')).toHaveText('保存しました。コマンドラインを含むすべての書き出しを停止しています。');
		expect(await exportRoles()).toEqual([]);

		// ticking roles again saves without asking (a dialog now would be dismissed and nothing saved)
		let dialogs = 0;
		page.on('dialog', (d) => {
			dialogs++;
			void d.dismiss();
		});
		for (const r of before) await page.getByTestId('export-settings').locator(`input[value="${r}"]`).check();
		await page.getByRole('button', { name: '保存' }).click();
		await expect(page.getByTestId('export-settings-message')).toHaveText('保存しました。');
		expect(dialogs).toBe(0);
		expect(await exportRoles()).toEqual(before);
	} finally {
		await sql`delete from export_roles where role <> all(${before}::text[])`;
		for (const r of before) await sql`insert into export_roles (role) values (${r}) on conflict (role) do nothing`;
	}
});

test('security keys: requiring keys for a role whose users would be locked out asks with their number', async ({ page }) => {
	expect(await auditorRequired()).toBe(false); // the demo requires no keys
	// enabled auditors following their role, without a key and without an allowance: they could not sign in
	const [{ n }] = await sql<{ n: number }[]>`
		select count(*)::int as n from users u
		where u.role = 'auditor' and u.disabled_at is null and u.key_requirement = 'role'
		  and not exists (select 1 from webauthn_credentials k where k.user_id = u.id)
		  and (u.key_enrolment_granted_at is null or u.key_enrolment_granted_at < now() - interval '24 hours')`;
	expect(n).toBeGreaterThan(0);
	try {
		await login(page, 'admin01');
		await page.goto('/admin/security-keys');
		const auditorRow = page.getByTestId('role-requirements').locator('tr[data-role="auditor"]');
		await auditorRow.locator('input[value="required"]').check();

		let asked = '';
		page.once('dialog', (d) => {
			asked = d.message();
			void d.dismiss();
		});
		await page.getByRole('button', { name: '保存' }).click();
		await expect.poll(() => asked).toContain(`監査 ${n}人`);
		expect(asked).toMatch(/^キーを必須にすると、次のユーザーは次回ログインできなくなります/);
		await expect(page.getByTestId('keys-settings-message')).toHaveCount(0);
		expect(await auditorRequired()).toBe(false);

		page.once('dialog', (d) => void d.accept());
		await page.getByRole('button', { name: '保存' }).click();
		await expect(page.getByTestId('keys-settings-message')).toHaveText('保存しました。');
		expect(await auditorRequired()).toBe(true);

		// back to not required: nobody is locked out by that, so no question
		let dialogs = 0;
		page.on('dialog', (d) => {
			dialogs++;
			void d.dismiss();
		});
		await auditorRow.locator('input[value="not_required"]').check();
		await page.getByRole('button', { name: '保存' }).click();
		await expect(page.getByTestId('keys-settings-message')).toHaveText('保存しました。');
		await expect.poll(auditorRequired).toBe(false);
		expect(dialogs).toBe(0);
	} finally {
		await sql`update webauthn_role_requirements set required = false where role = 'auditor'`;
	}
});

test('ending every session of a user asks first, naming them: cancelled their sessions stay, accepted they end', async ({ page, browser }) => {
	// mgr01 signed in elsewhere: a session the administrator can end
	const ctx = await browser.newContext();
	const other = await ctx.newPage();
	await login(other, 'mgr01');
	const [{ id }] = await sql<{ id: number }[]>`select id from users where login_id = 'mgr01'`;
	const open = async () => Number((await sql<{ n: number }[]>`select count(*)::int as n from sessions where user_id = ${id} and expires_at > now()`)[0].n);
	expect(await open()).toBeGreaterThan(0);

	await login(page, 'admin01');
	await page.goto(`/admin/users/${id}`);
	let asked = '';
	page.once('dialog', (d) => {
		asked = d.message();
		void d.dismiss();
	});
	await page.getByRole('button', { name: 'すべてのセッションを終了' }).click();
	await expect.poll(() => asked).toContain('（mgr01）のセッションをすべて終了します');
	expect(await open()).toBeGreaterThan(0);

	page.once('dialog', (d) => void d.accept());
	await page.getByRole('button', { name: 'すべてのセッションを終了' }).click();
	await expect.poll(open).toBe(0);
	await other.reload();
	await expect(other).toHaveURL(/\/login/);
	await ctx.close();
});
