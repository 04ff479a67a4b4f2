/**
 * Promises (issue #7 part 2): the supervisor's promises page (due today, this week, broken since yesterday, the
 * reconcile button) and the operator seeing a household's promise history on the call screen. A broken promise
 * sends the household to the 約束不履行 segment with a priority boost, so op01 (who works that segment in the demo)
 * is offered it first. Data is put in the server's database (the embedded PostgreSQL of playwright.config.ts).
 */
import { test, expect } from '@playwright/test';
import postgres from 'postgres';
import { login } from './fixtures.ts';

const PG_PORT = Number(process.env.E2E_EMBEDDED_PG_PORT ?? 5497);
const sql = postgres(`postgres://kansho:kansho-embedded@127.0.0.1:${PG_PORT}/kansho`, { max: 1, onnotice: () => {} });

const DAY = 86_400_000;
const tokyo = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toLocaleDateString('sv-SE', { timeZone: 'Asia/Tokyo' });

let broken = { id: 0, nhi: '' };
let dueToday = { id: 0, nhi: '' };
let dueSoon = { id: 0, nhi: '' };

test.beforeAll(async () => {
	// three households nobody has called, ready in the queue, no payment lately (else a payment would hold them back)
	const hs = await sql<{ id: number; nhi: string }[]>`
		select h.id, h.nhi_number as nhi from households h join call_queue q on q.household_id = h.id
		where q.state = 'ready' and h.status = 'active'
		  and not exists (select 1 from calls c where c.household_id = h.id)
		  and not exists (select 1 from promises p where p.household_id = h.id)
		  and not exists (select 1 from payments y where y.household_id = h.id and y.paid_on > current_date - 30)
		order by h.id limit 3`;
	[broken, dueToday, dueSoon] = hs;
	const [op] = await sql<{ id: number }[]>`select id from users where login_id = 'op02'`;
	// broken: an earlier promise kept by a payment, then ¥5,000 promised for 10 days ago (pending: a reconciliation,
	// the supervisor's or the server's daily one, judges it)
	const [kept] = await sql<{ id: number }[]>`insert into promises (household_id, amount, due_date, status, paid_amount, settled_at, created_by, created_at)
		values (${broken.id}, 3000, ${tokyo(-40)}, 'kept', 3000, now() - interval '38 days', ${op.id}, ${`${tokyo(-50)}T03:00:00Z`}) returning id`;
	const [paid] = await sql<{ id: number }[]>`insert into payments (household_id, fiscal_year, period, amount, paid_on)
		values (${broken.id}, 2025, 1, 3000, ${tokyo(-45)}) returning id`;
	await sql`insert into promise_payments (promise_id, payment_id, household_id, amount) values (${kept.id}, ${paid.id}, ${broken.id}, 3000)`;
	await sql`insert into promises (household_id, amount, due_date, created_by, created_at)
		values (${broken.id}, 5000, ${tokyo(-10)}, ${op.id}, ${`${tokyo(-20)}T03:00:00Z`})`;
	await sql`insert into promises (household_id, amount, due_date, created_by, created_at) values (${dueToday.id}, 7000, ${tokyo(0)}, ${op.id}, ${`${tokyo(-5)}T03:00:00Z`})`;
	await sql`insert into promises (household_id, amount, due_date, created_by, created_at) values (${dueSoon.id}, 9000, ${tokyo(3)}, ${op.id}, ${`${tokyo(-5)}T03:00:00Z`})`;
});

test.afterAll(async () => {
	await sql.end();
});

test('the supervisor sees promises due today and this week, reconciles, and sees the broken one', async ({ page }) => {
	await login(page, 'sv01');
	await page.goto('/supervisor');
	await page.getByTestId('link-promises').click();
	await expect(page).toHaveURL(/\/supervisor\/promises$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('納付約束');

	const today = page.getByTestId('due-today');
	await expect(today.locator(`tr[data-household-id="${dueToday.id}"]`)).toContainText(dueToday.nhi);
	await expect(today.locator(`tr[data-household-id="${dueToday.id}"]`)).toContainText('¥7,000');
	await expect(today.locator(`tr[data-household-id="${dueToday.id}"]`)).toContainText('約束中');
	await expect(page.getByTestId('due-week').locator(`tr[data-household-id="${dueSoon.id}"]`)).toContainText('¥9,000');

	await page.getByTestId('reconcile').click();
	await expect(page.getByTestId('reconcile-message')).toContainText('消込しました');
	await page.reload();
	// the ¥5,000 promise is broken; the ¥3,000 one stays kept (its payment counted)
	const row = page.getByTestId('broken-since-yesterday').locator(`tr[data-household-id="${broken.id}"]`);
	await expect(row).toHaveCount(1);
	await expect(row).toContainText(broken.nhi);
	await expect(row).toContainText('不履行');
	await expect(row).toContainText('約束不履行'); // its segment now
	await expect(page.getByTestId('runs').locator('tr[data-source="manual"]').first()).toContainText('手動');
});

test('the operator is offered the broken promise first and sees the promise history', async ({ page }) => {
	// after the supervisor's reconcile: the household is ready in the broken-promises segment
	const [q] = await sql<{ code: string; state: string }[]>`
		select s.code, q.state from call_queue q join segments s on s.id = q.segment_id where q.household_id = ${broken.id}`;
	expect(q).toEqual({ code: 'broken-promises', state: 'ready' });

	await login(page, 'op01');
	await page.goto('/operator');
	await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'connected');
	await page.keyboard.press('n');
	const card = page.getByTestId('household-card');
	await expect(card).toBeVisible();
	await expect(card).toHaveAttribute('data-household-id', String(broken.id));

	const history = page.getByTestId('promises');
	await expect(history.locator('tbody tr')).toHaveCount(2);
	const latest = history.locator('tbody tr').first();
	await expect(latest).toHaveAttribute('data-status', 'broken');
	await expect(latest).toContainText('不履行');
	await expect(latest).toContainText('¥5,000');
	await expect(latest).toContainText(tokyo(-10));
	await expect(latest).toContainText(tokyo(-20));
	const earlier = history.locator('tbody tr').nth(1);
	await expect(earlier).toHaveAttribute('data-status', 'kept');
	await expect(earlier).toContainText('履行');
	await expect(earlier).toContainText('¥3,000');

	// give the household back (other tests use the queue after this one)
	await page.getByRole('button', { name: '世帯を戻す' }).click();
	await expect(page.getByTestId('household-card')).toHaveCount(0);
});

test('the manager sees the kept rate with its formula and the counts it is made of', async ({ page }) => {
	await login(page, 'mgr01');
	await page.goto('/manager');
	await expect(page.getByTestId('kept-rate-formula')).toContainText('約束履行率 = 履行した約束 ÷ 期間内に期日を迎えた約束');
	// this month's row: the promises of this file that fall due in it are counted (kept / due)
	const month = tokyo(0).slice(0, 7);
	const [c] = await sql<{ due: number; kept: number }[]>`
		select count(*)::int as due, count(*) filter (where status = 'kept')::int as kept from promises
		where status <> 'cancelled' and to_char(due_date, 'YYYY-MM') = ${month}`;
	await expect(page.getByTestId('report-months').locator(`tr[data-period="${month}"]`)).toContainText(`${c.kept} / ${c.due}`);
});
