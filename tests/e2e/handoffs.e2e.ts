/**
 * Staff handoffs (issue #7), with the demo users' real logins: an operator hands off two households (outcome 50,
 * one with the resident's callback window) → staff01 sees them in /staff, takes one, notes the contact and returns
 * it with an instruction, takes the other and resolves it → the operator's next claim of the returned household
 * shows the staff instruction. The database (the embedded PostgreSQL of playwright.config.ts) is checked too.
 */
import { test, expect, type Page } from '@playwright/test';
import postgres from 'postgres';
import { login, storedLocaleJapanese } from './fixtures.ts';
import { formatPhone } from '../../src/lib/domain/phone.ts';

const PG_PORT = Number(process.env.E2E_EMBEDDED_PG_PORT ?? 5497);
const sql = postgres(`postgres://kansho:kansho-embedded@127.0.0.1:${PG_PORT}/kansho`, { max: 1, onnotice: () => {} });

test.afterAll(async () => {
	await sql.end();
});
// the language switch is stored on the user: put it back even if a test failed half-way
test.afterEach(() => storedLocaleJapanese('staff01'));

const householdOnScreen = async (page: Page) => Number(await page.getByTestId('household-card').getAttribute('data-household-id'));
const tomorrow = () => new Date(Date.now() + 86400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Tokyo' });

/** The operator holds nothing: a household the desk claimed on its own (after the wrap-up) is given back. */
async function releaseHeld(page: Page) {
	if (await page.getByTestId('household-card').isVisible()) {
		await page.locator('form.release button').click();
		await expect(page.getByTestId('household-card')).toBeHidden();
	}
}

test('an operator hands off households; staff take, resolve and return them; the operator sees the instruction on the next claim', async ({ browser }) => {
	test.setTimeout(120_000);
	// ward staff have /staff open: the handoffs appear there live
	const stCtx = await browser.newContext();
	const st = await stCtx.newPage();
	await login(st, 'staff01');
	await expect(st).toHaveURL(/\/staff$/);
	await expect(st.getByTestId('handoffs-live')).toHaveAttribute('data-status', 'connected');

	// ── the operator hands off two households ──
	const opCtx = await browser.newContext();
	const op = await opCtx.newPage();
	await op.addInitScript(() =>
		document.addEventListener('click', (e) => (e.target as Element | null)?.closest?.('a[href^="tel:"]') && e.preventDefault(), true)
	);
	await login(op, 'op04');
	await op.goto('/operator');
	await expect(op.getByTestId('connection')).toHaveAttribute('data-status', 'connected');
	await releaseHeld(op);

	const handed: number[] = [];
	const plans = [
		{ reason: 'installment', label: '分納相談', note: '月5千円なら払えるとのこと。分納の相談を希望', window: true },
		{ reason: 'hardship', label: '生活困窮', note: '失業中。生活が苦しいとのこと', window: false }
	] as const;
	for (const p of plans) {
		if (handed.length === 0) await op.getByTestId('next-household').click();
		else await op.getByTestId('skip-wrap-up').click();
		await expect(op.getByTestId('household-card')).toBeVisible();
		const id = await householdOnScreen(op);
		expect(handed).not.toContain(id);
		await op.getByTestId('outcome-code').selectOption('50');
		await expect(op.getByTestId('handoff-rule')).toBeVisible();
		await op.getByTestId('handoff-reason').selectOption(p.reason);
		await op.locator('textarea[name="handoffNote"]').fill(p.note);
		if (p.window) {
			await op.getByTestId('handoff-callback-date').fill(tomorrow());
			await op.getByTestId('handoff-callback-from').fill('10:00');
			await op.getByTestId('handoff-callback-until').fill('12:00');
		}
		await op.getByTestId('note').fill(`${p.label}の相談。職員へ引継ぎ`);
		await op.getByTestId('save-outcome').click();
		await expect(op.getByTestId('saved-message')).toContainText('50 職員引継ぎ');
		handed.push(id);
	}
	const [toReturn, toResolve] = handed;
	// the database has both, new, with the window on the first
	// (the desk says 保存 when the outcome is in its outbox: the last one may reach the database a moment later)
	const handoffRows = () => sql<{ householdId: string; status: string; reason: string; callbackFrom: Date | null; id: string }[]>`
		select id, household_id as "householdId", status, reason, callback_from as "callbackFrom" from handoffs where household_id in ${sql(handed)} order by id`;
	await expect.poll(async () => (await handoffRows()).length).toBe(2);
	const rows = await handoffRows();
	expect(rows.map((r) => [Number(r.householdId), r.status, r.reason])).toEqual([
		[toReturn, 'new', 'installment'],
		[toResolve, 'new', 'hardship']
	]);
	expect(rows[0].callbackFrom).not.toBeNull();
	// the desk must not hold a household while staff work: give back what it claimed after the wrap-up
	await op.close();

	// ── ward staff: the list updated without a reload ──
	await expect(st.getByRole('heading', { name: '引継ぎ一覧' })).toBeVisible();
	const rowOf = (h: number) => st.locator(`[data-testid="handoff-row"][data-household-id="${h}"]`);
	await expect(rowOf(toReturn)).toBeVisible();
	await expect(st.getByTestId('handoffs-updated')).toBeVisible();
	await expect(rowOf(toReturn)).toContainText('分納相談');
	await expect(rowOf(toReturn)).toContainText('未着手');
	await expect(rowOf(toReturn)).toContainText('10:00〜12:00');
	await expect(rowOf(toResolve)).toContainText('生活困窮');
	// filter by reason: only the hardship one of the two
	await st.getByLabel('理由').selectOption('hardship');
	await st.getByRole('button', { name: '表示' }).click();
	await expect(st).toHaveURL(/reason=hardship/);
	await expect(rowOf(toResolve)).toBeVisible();
	await expect(rowOf(toReturn)).toHaveCount(0);
	await st.goto('/staff');

	// the operator's call record keeps the number dialled as digits (the desk's softphone dialled this one)
	await sql`update calls set dialed_number = '09081327183' where id = (select call_id from handoffs where household_id = ${toReturn})`;

	// the first: take it, note the contact, return it with an instruction
	await rowOf(toReturn).getByTestId('open-handoff').click();
	// a clerk calls the resident back: the household's numbers as the desk shows them (090-1234-5678), with their kind
	const phoneRows = await sql<{ digits: string }[]>`
		select digits from phones where household_id = ${toReturn} and valid and status = 'active' order by (kind = 'mobile') desc, id`;
	expect(phoneRows.length).toBeGreaterThan(0);
	await expect(st.getByTestId('staff-phones').getByTestId('staff-phone').first()).toHaveText(formatPhone(phoneRows[0].digits));
	await expect(st.getByTestId('staff-phones').getByTestId('staff-phone').first()).toHaveText(/^0\d{1,3}-\d{2,4}-\d{3,4}$/);
	await expect(st.getByTestId('staff-phone-kind').first()).toHaveText(/^(携帯|固定|IP|フリーダイヤル|その他)( · \S+)?$/);
	await expect(st.getByTestId('handoff-dialed')).toHaveText('090-8132-7183');
	// the due time reads as the day it is due by, not the next day at midnight; no version number for clerks
	await expect(st.getByTestId('handoff-due')).toContainText('中');
	await expect(st.getByTestId('handoff-due')).not.toContainText('00:00');
	await expect(st.getByTestId('handoff-actions')).not.toContainText('版');
	// the kana reads like the other labels (no colon after カナ, for screen readers too)
	await expect(st.getByTestId('payer-kana')).not.toContainText(':');
	await expect(st.getByTestId('handoff-state')).toHaveAttribute('data-status', 'new');
	await expect(st.getByTestId('handoff-call-note')).toContainText('分納相談の相談');
	await expect(st.getByTestId('handoff-note')).toContainText('月5千円なら払えるとのこと');
	await expect(st.getByTestId('household-card')).toHaveAttribute('data-household-id', String(toReturn));
	// the staff field policy: the fuller record (members) is there
	await expect(st.getByTestId('record-members')).toBeVisible();
	await st.getByTestId('record-members').locator('summary').click();
	await expect(st.getByTestId('record-members')).toContainText('続柄');
	await st.getByTestId('take').click();
	await expect(st.getByTestId('handoff-done')).toContainText('担当しました');
	await expect(st.getByTestId('handoff-state')).toHaveAttribute('data-status', 'in_progress');
	await st.getByTestId('note-text').fill('本人に電話。分納（月5千円）で了承');
	await st.getByTestId('note-contacted').check();
	await st.getByTestId('add-note').click();
	await expect(st.getByTestId('handoff-done')).toContainText('メモを追加しました');
	await expect(st.getByTestId('handoff-history')).toContainText('本人に電話。分納（月5千円）で了承');
	const instruction = '分納（月5千円）で了承済み。納付書が届いたか確認し、初回納付日を案内してください';
	await st.getByTestId('return-instruction').fill(instruction);
	// returning closes the handoff for good: it asks first; "cancel" changes nothing
	const statusOf = async (h: number) => (await sql<{ status: string }[]>`select status from handoffs where household_id = ${h}`)[0].status;
	let asked = '';
	st.once('dialog', (d) => {
		asked = d.message();
		void d.dismiss();
	});
	await st.getByTestId('return').click();
	await expect.poll(() => asked).toContain('センターへ差し戻します');
	expect(asked).toMatch(/^引継ぎ #\d+（.+）をセンターへ差し戻します。/);
	expect(asked).toContain('再開できません');
	await expect(st.getByTestId('handoff-state')).toHaveAttribute('data-status', 'in_progress');
	await expect(st.getByTestId('return-instruction')).toHaveValue(instruction);
	expect(await statusOf(toReturn)).toBe('in_progress');
	st.once('dialog', (d) => void d.accept());
	await st.getByTestId('return').click();
	await expect(st.getByTestId('handoff-state')).toHaveAttribute('data-status', 'returned');
	await expect(st.getByTestId('handoff-instruction')).toContainText(instruction);
	await expect(st.getByTestId('handoff-closed')).toBeVisible();

	// the second: take it and resolve it (referred to welfare): it stays out of the calls
	await st.goto('/staff');
	await rowOf(toResolve).getByTestId('open-handoff').click();
	await st.getByTestId('take').click();
	await expect(st.getByTestId('handoff-state')).toHaveAttribute('data-status', 'in_progress');
	await st.getByTestId('resolve-code').selectOption('referred');
	await st.getByTestId('resolve-text').fill('福祉事務所の相談窓口を案内');
	// resolving asks first too, naming the resolution and that the household will not be called; "cancel" changes nothing
	asked = '';
	st.once('dialog', (d) => {
		asked = d.message();
		void d.dismiss();
	});
	await st.getByTestId('resolve').click();
	await expect.poll(() => asked).toContain('「福祉等の窓口へつないだ」で対応完了にします');
	expect(asked).toContain('世帯は架電されなくなります');
	await expect(st.getByTestId('handoff-state')).toHaveAttribute('data-status', 'in_progress');
	expect(await statusOf(toResolve)).toBe('in_progress');
	st.once('dialog', (d) => void d.accept());
	await st.getByTestId('resolve').click();
	await expect(st.getByTestId('handoff-state')).toHaveAttribute('data-status', 'resolved');
	await expect(st.getByTestId('handoff-resolution')).toContainText('福祉等の窓口へつないだ');
	// the list (open ones) no longer shows either
	await st.goto('/staff');
	await expect(rowOf(toReturn)).toHaveCount(0);
	await expect(rowOf(toResolve)).toHaveCount(0);
	await stCtx.close();

	const queue = async (h: number) =>
		(await sql<{ state: string; closedReason: string | null }[]>`select state, closed_reason as "closedReason" from call_queue where household_id = ${h}`)[0];
	expect(await queue(toResolve)).toEqual({ state: 'closed', closedReason: 'handoff' });
	const back = await queue(toReturn);
	expect(back.state).not.toBe('closed');

	// ── the operator's next claim: the returned household, with the instruction ──
	// it re-entered the queue waiting out the minimum gap since its last call; make it the next callable household
	await sql`update call_queue set state = 'ready', next_eligible_at = null, wait_reason = null, priority = 999999999999 where household_id = ${toReturn}`;
	const op2 = await opCtx.newPage();
	await op2.goto('/operator');
	await expect(op2.getByTestId('connection')).toHaveAttribute('data-status', 'connected');
	await releaseHeld(op2);
	await op2.getByTestId('next-household').click();
	await expect(op2.getByTestId('household-card')).toHaveAttribute('data-household-id', String(toReturn));
	await expect(op2.getByTestId('staff-instruction')).toBeVisible();
	await expect(op2.getByTestId('staff-instruction')).toContainText('区職員からの指示');
	await expect(op2.getByTestId('staff-instruction-text')).toHaveText(instruction);
	await op2.locator('form.release button').click();
	await expect(op2.getByTestId('household-card')).toBeHidden();
	await opCtx.close();
});

test('the supervisor console shows open handoffs by reason; the SLA targets are edited by supervisors', async ({ page }) => {
	await login(page, 'sv01');
	await page.goto('/supervisor');
	await expect(page.getByTestId('handoff-panel')).toBeVisible();
	await expect(page.getByTestId('handoff-panel-row')).toHaveCount(5);
	const open = Number(await page.getByTestId('handoff-panel-total').getAttribute('data-open'));
	const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from handoffs where status in ('new', 'in_progress')`;
	expect(open).toBe(n);
	await page.getByTestId('link-handoff-sla').click();
	await expect(page.getByRole('heading', { name: '引継ぎの対応目標' })).toBeVisible();
	await page.getByTestId('sla-days-complaint').fill('2');
	await page.getByTestId('sla-save-complaint').click();
	await expect(page.getByTestId('sla-saved')).toContainText('苦情の対応目標を2営業日にしました');
	const [{ workingDays }] = await sql<{ workingDays: number }[]>`select working_days as "workingDays" from handoff_sla where reason = 'complaint'`;
	expect(workingDays).toBe(2);
	// back to the default for later runs
	await page.getByTestId('sla-days-complaint').fill('1');
	await page.getByTestId('sla-save-complaint').click();
	await expect(page.getByTestId('sla-saved')).toContainText('1営業日');
});

test('a take from a page showing an older version is refused with a clear message, and changes nothing', async ({ browser }) => {
	// a handoff in the pool (made here in the database: the operator's side is the first test's)
	const [h] = await sql<{ id: string }[]>`
		select q.household_id as id from call_queue q
		where q.state = 'ready' and not exists (select 1 from handoffs x where x.household_id = q.household_id) limit 1`;
	const [op] = await sql<{ id: string }[]>`select id from users where login_id = 'op01'`;
	const [ho] = await sql<{ id: string }[]>`
		insert into handoffs (household_id, reason, note, created_by, due_at) values (${h.id}, 'complaint', '対応が遅いとの苦情', ${op.id}, now() + interval '1 day')
		returning id`;
	await sql`update call_queue set state = 'closed', closed_reason = 'handoff' where household_id = ${h.id}`;

	const ctx = await browser.newContext();
	const a = await ctx.newPage();
	await login(a, 'staff01');
	const b = await ctx.newPage();
	await a.goto(`/staff/${ho.id}`);
	await b.goto(`/staff/${ho.id}`);
	await expect(b.getByTestId('handoff-state')).toHaveAttribute('data-status', 'new');
	// the first tab takes it and assigns it back to the pool (version 3 now); the second still shows version 1
	await a.getByTestId('take').click();
	await expect(a.getByTestId('handoff-state')).toHaveAttribute('data-status', 'in_progress');
	await a.getByTestId('assignee').selectOption('');
	await a.getByTestId('assign').click();
	await expect(a.getByTestId('handoff-done')).toContainText('担当者を変更しました');
	await b.getByTestId('take').click();
	await expect(b.getByTestId('handoff-stale')).toContainText('他の職員が先にこの引継ぎを変更していたため、保存しませんでした');
	await expect(b.getByTestId('handoff-stale')).toContainText('未着手');
	const [row] = await sql<{ status: string; assignedTo: string | null; version: string }[]>`
		select status, assigned_to as "assignedTo", version from handoffs where id = ${ho.id}`;
	expect(row).toEqual({ status: 'new', assignedTo: null, version: '3' });
	await ctx.close();
});

test('staff return a handoff with 「再架電は次の日以降」: a bad day is refused next to the field (ja/en), a good one holds the household until then and is shown to the operator', async ({ browser }) => {
	test.setTimeout(90_000);
	const tokyoDay = (plus: number) => new Date(Date.now() + plus * 86400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Tokyo' });
	// a handoff in progress for a ready household op01 works (made here in the database: the operator's side is the first test's)
	const [op] = await sql<{ id: string }[]>`select id from users where login_id = 'op01'`;
	const [staff] = await sql<{ id: string }[]>`select id from users where login_id = 'staff01'`;
	const [h] = await sql<{ id: string }[]>`
		select q.household_id as id from call_queue q
		where q.state = 'ready' and q.segment_id in (select segment_id from operator_segments where user_id = ${op.id})
		  and not exists (select 1 from handoffs x where x.household_id = q.household_id)
		order by q.household_id limit 1`;
	const [ho] = await sql<{ id: string }[]>`
		insert into handoffs (household_id, reason, note, created_by, due_at, status, assigned_to, assigned_at)
		values (${h.id}, 'installment', '給料日（25日）の後なら払えるとのこと', ${op.id}, now() + interval '2 days', 'in_progress', ${staff.id}, now())
		returning id`;
	await sql`update call_queue set state = 'closed', closed_reason = 'handoff' where household_id = ${h.id}`;

	const ctx = await browser.newContext();
	const st = await ctx.newPage();
	st.on('dialog', (d) => void d.accept()); // returning asks first (the first test checks the question)
	await login(st, 'staff01');
	await st.goto(`/staff/${ho.id}`);
	await st.waitForLoadState('networkidle');
	await expect(st.getByTestId('handoff-state')).toHaveAttribute('data-status', 'in_progress');
	const day = st.getByLabel('再架電は次の日以降（任意）');
	await expect(day).toHaveAttribute('min', tokyoDay(0));
	await expect(day).toHaveAttribute('max', tokyoDay(90));
	const instruction = '25日の給料日の後に架電し、納付書での納付を案内してください';
	// the browser's own check aside (min/max), the server refuses a day in the past, next to the field, in Japanese
	const send = async (value: string) => {
		await st.getByTestId('return-instruction').fill(instruction);
		await day.evaluate((e) => (e.removeAttribute('min'), e.removeAttribute('max')));
		await day.fill(value);
		await st.getByTestId('return').click();
	};
	await send(tokyoDay(-1));
	await expect(st.getByTestId('error-notBefore')).toHaveText(`再架電は次の日以降に過去の日付は指定できません（${tokyoDay(0)} 以降にしてください）。`);
	await expect(day).toHaveAttribute('aria-invalid', 'true');
	await expect(st.getByTestId('return-instruction')).toHaveValue(instruction);
	await expect(st.getByTestId('handoff-state')).toHaveAttribute('data-status', 'in_progress');
	await send(tokyoDay(91));
	await expect(st.getByTestId('error-notBefore')).toHaveText(`再架電は次の日以降は90日先（${tokyoDay(90)}）までの日付にしてください。`);
	expect((await sql<{ status: string }[]>`select status from handoffs where id = ${ho.id}`)[0].status).toBe('in_progress');
	expect(await sql`select 1 from handoff_instructions where handoff_id = ${ho.id}`).toHaveLength(0);

	// in English, in English
	await st.getByRole('button', { name: /English/ }).click();
	await expect(st.getByLabel('Call again not before (optional)')).toBeVisible();
	await st.waitForLoadState('networkidle');
	await st.getByTestId('return-instruction').fill(instruction);
	await st.getByLabel('Call again not before (optional)').evaluate((e) => e.removeAttribute('min'));
	await st.getByLabel('Call again not before (optional)').fill(tokyoDay(-3));
	await st.getByTestId('return').click();
	await expect(st.getByTestId('error-notBefore')).toHaveText(`Call again not before cannot be in the past (use ${tokyoDay(0)} or later).`);
	await st.getByRole('button', { name: /日本語/ }).click();
	await expect(day).toBeVisible();
	await st.waitForLoadState('networkidle');

	// a good day: returned; the page names the day; the household waits for it
	const notBefore = tokyoDay(7);
	await send(notBefore);
	await expect(st.getByTestId('handoff-state')).toHaveAttribute('data-status', 'returned');
	await expect(st.getByTestId('handoff-not-before')).toHaveText(new RegExp(`^${notBefore}（令和\\d+年\\d+月\\d+日） 以降$`));
	expect((await sql<{ d: string }[]>`select to_char(not_before, 'YYYY-MM-DD') as d from handoff_instructions where handoff_id = ${ho.id}`)[0].d).toBe(notBefore);
	const [q] = await sql<{ state: string; waitReason: string | null }[]>`select state, wait_reason as "waitReason" from call_queue where household_id = ${h.id}`;
	expect(q).toEqual({ state: 'waiting', waitReason: 'not_before' });
	await ctx.close();

	// the operator sees the day with the instruction (made the next callable household here, as the first test does)
	await sql`update call_queue set state = 'ready', next_eligible_at = null, wait_reason = null, priority = 999999999999 where household_id = ${h.id}`;
	const opCtx = await browser.newContext();
	const opPage = await opCtx.newPage();
	await opPage.addInitScript(() =>
		document.addEventListener('click', (e) => (e.target as Element | null)?.closest?.('a[href^="tel:"]') && e.preventDefault(), true)
	);
	await login(opPage, 'op01');
	await opPage.goto('/operator');
	await expect(opPage.getByTestId('connection')).toHaveAttribute('data-status', 'connected');
	await releaseHeld(opPage);
	await opPage.getByTestId('next-household').click();
	await expect(opPage.getByTestId('household-card')).toHaveAttribute('data-household-id', String(h.id));
	await expect(opPage.getByTestId('staff-instruction-text')).toHaveText(instruction);
	await expect(opPage.getByTestId('staff-instruction-not-before')).toHaveText(new RegExp(`^再架電は ${notBefore}（令和\\d+年\\d+月\\d+日） 以降$`));
	await opPage.locator('form.release button').click();
	await expect(opPage.getByTestId('household-card')).toBeHidden();
	await opCtx.close();
});
