/**
 * Operator training (issue #9): a new operator without the personal-information protection training recorded is
 * kept off the desk (sent to their training record, which says why); a supervisor plans the training with the new
 * operator invited and records the completion; the operator then claims a real household. Checked in the server's
 * database (the embedded PostgreSQL of playwright.config.ts).
 */
import { test, expect } from '@playwright/test';
import postgres from 'postgres';
import { login } from './fixtures.ts';

const yesterday = new Date(Date.now() - 86400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Tokyo' });

const PG_PORT = Number(process.env.E2E_EMBEDDED_PG_PORT ?? 5497);
const sql = postgres(`postgres://kansho:kansho-embedded@127.0.0.1:${PG_PORT}/kansho`, { max: 1, onnotice: () => {} });

test.afterAll(async () => {
	await sql.end();
});

test('an operator without the privacy training cannot claim; after the supervisor records it, they can', async ({ browser }) => {
	// a new operator as an administrator would create them (the demo's password, the general segment), with no training
	await sql`delete from users where login_id = 'op-e2e-new'`;
	const [{ id: newId }] = await sql<{ id: number }[]>`
		insert into users (login_id, display_name, role, password_hash)
		select 'op-e2e-new', '新人 オペレータ', 'operator', password_hash from users where login_id = 'op01' returning id`;
	await sql`insert into operator_segments (user_id, segment_id) select ${newId}, id from segments where code = 'general'`;

	const opContext = await browser.newContext();
	const op = await opContext.newPage();
	await login(op, 'op-e2e-new');
	// the desk sends them to their training record, which says why
	await expect(op).toHaveURL(/\/training\?required=1$/);
	await expect(op.getByTestId('training-required')).toContainText('個人情報保護研修の修了が必要です');
	await op.goto('/operator');
	await expect(op).toHaveURL(/\/training\?required=1$/);
	// the API refuses too (not only the page)
	const refused = await op.request.post('/api/claims/next');
	expect(refused.status()).toBe(403);
	expect((await refused.json()).code).toBe('training_required');

	// the supervisor plans the privacy training with the new operator invited, then records the completion
	const svContext = await browser.newContext();
	const sv = await svContext.newPage();
	await login(sv, 'sv01');
	await sv.goto('/training/plan');
	await expect(sv.getByTestId('training-people').locator('tr[data-login-id="op-e2e-new"]')).toHaveAttribute('data-privacy', 'missing');
	const form = sv.getByTestId('training-new-session');
	await form.getByLabel('研修').selectOption({ label: '個人情報保護研修' });
	// held yesterday: attendance and completion are recorded for sessions that have begun
	await form.getByLabel('開始日時（東京）').fill(`${yesterday}T10:00`);
	await form.getByLabel('時間（分）').fill('90');
	await form.getByLabel('場所').fill('研修室A');
	await form.getByLabel('新人 オペレータ (op-e2e-new)').check();
	await form.getByRole('button', { name: '計画する' }).click();
	await expect(sv.getByTestId('training-message')).toHaveText('研修を計画しました。');
	const session = sv.getByTestId('training-session').filter({ hasText: '研修室A' });
	const row = session.locator('tr[data-login-id="op-e2e-new"]');
	await expect(row).toHaveAttribute('data-status', 'planned');
	await row.getByTestId('attendance-status').selectOption('completed');
	await row.getByTestId('attendance-save').click();
	await expect(sv.getByTestId('training-message')).toHaveText('出欠を記録しました。');
	await expect(row).toHaveAttribute('data-status', 'completed');
	await expect(sv.getByTestId('training-people').locator('tr[data-login-id="op-e2e-new"]')).toHaveAttribute('data-privacy', 'done');

	// the operator's record shows it, and the desk opens: 次の世帯 claims a real household
	await op.goto('/training');
	await expect(op.getByTestId('training-open')).toBeVisible();
	await expect(op.getByTestId('training-records').locator('tr[data-kind="privacy"]')).toHaveAttribute('data-status', 'completed');
	await op.goto('/operator');
	await expect(op).toHaveURL(/\/operator$/);
	await expect(op.getByTestId('connection')).toHaveAttribute('data-status', 'connected');
	await op.keyboard.press('n');
	await expect(op.getByTestId('household-card')).toBeVisible();
	const held = await sql<{ householdId: number }[]>`select household_id as "householdId" from call_queue where claimed_by = ${newId} and state = 'claimed'`;
	expect(held).toHaveLength(1);
	// give it back so that other tests find the queue as it was
	await op.request.post('/api/claims/release', { data: { householdId: held[0].householdId } }).catch(() => {});
	await sql`update call_queue set state = 'ready', claimed_by = null, claimed_at = null, claim_expires_at = null, claim_kind = null where claimed_by = ${newId}`;
	await sql`update operator_states set state = 'offline' where user_id = ${newId}`.catch(() => {});

	// the audit export has the completion (CP932 CSV)
	const csv = await sv.request.get('/training/export?encoding=utf8');
	expect(csv.status()).toBe(200);
	expect(await csv.text()).toContain(`op-e2e-new,新人 オペレータ,オペレータ,privacy,個人情報保護研修,個人情報保護,${yesterday} 10:00,90,研修室A,,修了,`);

	await opContext.close();
	await svContext.close();
	// off the floor for the tests after this one (the live views show enabled operators)
	await sql`update users set disabled_at = now() where id = ${newId}`;
});
