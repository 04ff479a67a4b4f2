/**
 * The randomized holdout (issue #8): a supervisor sets a share on a segment (効果測定の対照群) and sees the arms'
 * counts; a manager opens /manager/effect and the figures of both arms equal the server database's payments. Checked
 * in the embedded PostgreSQL of playwright.config.ts (the demo holds out 5% of 一般 since eight weeks ago).
 */
import { test, expect } from '@playwright/test';
import postgres from 'postgres';
import { login, storedLocaleJapanese, hydrated, describePagesOnFailure } from './fixtures.ts';

// the language switch is stored on the user: put it back even if the test failed half-way
test.afterEach(async ({ context }, testInfo) => {
	await describePagesOnFailure(context.pages(), testInfo);
	await storedLocaleJapanese('mgr01');
});

const PG_PORT = Number(process.env.E2E_EMBEDDED_PG_PORT ?? 5497);
const sql = postgres(`postgres://kansho:kansho-embedded@127.0.0.1:${PG_PORT}/kansho`, { max: 1, onnotice: () => {} });

test.afterAll(async () => {
	await sql.end();
});

/** Each arm of a segment as the report counts it by default: payments from each household's assignment day to today. */
async function armsInDb(code: string) {
	return sql<{ heldOut: boolean; households: number; payers: number; amount: string }[]>`
		select held_out as "heldOut", count(*)::int as households, count(*) filter (where paid)::int as payers, coalesce(sum(amount), 0)::text as amount
		from (
		  select a.household_id, a.held_out, coalesce(sum(p.amount), 0) as amount, coalesce(bool_or(p.amount > 0), false) as paid
		  from holdout_assignments a join segments s on s.id = a.segment_id and s.code = ${code}
		  left join payments p on p.household_id = a.household_id
		    and coalesce(p.paid_on, (p.recorded_at at time zone 'Asia/Tokyo')::date)
		        between (a.assigned_at at time zone 'Asia/Tokyo')::date and (now() at time zone 'Asia/Tokyo')::date
		  group by a.household_id, a.held_out
		) x group by held_out`;
}

test('a supervisor sets a holdout share on a segment and sees both arms counted', async ({ page }) => {
	const [seg] = await sql<{ id: number }[]>`select id from segments where code = 'high'`;
	await login(page, 'sv01');
	await page.goto(`/supervisor/segments/${seg.id}`);
	const form = page.getByTestId('edit-form');
	const field = form.getByLabel('効果測定の対照群（架電しない割合）');
	await expect(field).toHaveValue('');
	// out of range: refused, named by field
	await field.fill('60');
	await page.getByTestId('edit-form-submit').click();
	await expect(page.getByTestId('error-holdoutPercent')).toContainText('0〜50%');
	// the refusal is a new page (the form posts without script): type again once it is hydrated. In two fresh-clone
	// runs the save after the refusal did not answer within 10 s (the field kept １０ and the old message), and in a
	// third the segment page's submit button never stood still for Playwright's click; not explained yet (session
	// notes). describePagesOnFailure prints the page's state if it happens again
	await hydrated(page);
	await page.getByTestId('edit-form').getByLabel('効果測定の対照群（架電しない割合）').fill('１０');
	await page.getByTestId('edit-form-submit').click();
	await expect(page.getByTestId('segment-message')).toContainText('保存しました');
	const summary = page.getByTestId('segment-holdout');
	await expect(summary).toHaveAttribute('data-share', '0.1');
	const [n] = await sql<{ held: number; called: number; closed: number }[]>`
		select count(*) filter (where held_out)::int as held, count(*) filter (where not held_out)::int as called,
		  (select count(*)::int from call_queue q where q.segment_id = ${seg.id} and q.closed_reason = 'holdout') as closed
		from holdout_assignments where segment_id = ${seg.id}`;
	expect(n.held + n.called).toBeGreaterThan(0);
	await expect(summary).toHaveAttribute('data-held-out', String(n.held));
	await expect(summary).toHaveAttribute('data-called', String(n.called));
	await expect(summary).toContainText(`架電しない ${n.held.toLocaleString()}世帯`);
	await expect(page.getByTestId('edit-form').getByLabel('効果測定の対照群（架電しない割合）')).toHaveValue('10');
	// the held-out households are closed as holdout (never claimed); the household page says why
	expect(n.closed).toBeLessThanOrEqual(n.held);
	const [one] = await sql<{ householdId: number }[]>`select household_id as "householdId" from call_queue where segment_id = ${seg.id} and closed_reason = 'holdout' limit 1`;
	if (one) {
		await page.goto(`/supervisor/households/${one.householdId}`);
		await expect(page.getByTestId('closed-reason')).toContainText('効果測定の対照群');
	}

	// leave the demo as it was for the other tests: forget this segment's arms, then save it with no share (placed again)
	await sql`delete from holdout_assignments where segment_id = ${seg.id}`;
	await page.goto(`/supervisor/segments/${seg.id}`);
	await page.getByTestId('edit-form').getByLabel('効果測定の対照群（架電しない割合）').fill('');
	await page.getByTestId('edit-form-submit').click();
	await expect(page.getByTestId('segment-message')).toContainText('保存しました');
	await sql`update segments set holdout_seed = null, holdout_started_at = null where id = ${seg.id}`;
	const [left] = await sql<{ n: number }[]>`select count(*)::int as n from call_queue where segment_id = ${seg.id} and closed_reason = 'holdout'`;
	expect(left.n).toBe(0);
});

test('a manager opens the effect report: both arms’ figures equal the database, with a sentence and the intervals', async ({ page }) => {
	await login(page, 'mgr01');
	await page.goto('/manager/effect');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('架電の効果（無作為対照群との比較）');
	const section = page.locator('[data-testid="effect-segment"][data-segment="general"]');
	await expect(section).toBeVisible();
	for (const a of await armsInDb('general')) {
		const row = section.locator(`tr[data-arm="${a.heldOut ? 'heldOut' : 'called'}"]`);
		await expect(row).toHaveAttribute('data-households', String(a.households));
		await expect(row).toHaveAttribute('data-payers', String(a.payers));
		await expect(row).toHaveAttribute('data-amount', a.amount);
	}
	const arms = await armsInDb('general');
	const held = arms.find((a) => a.heldOut)!;
	expect(held.households).toBeGreaterThan(0);
	// the demo's comparison is not empty: payments in the window
	expect(arms.reduce((s, a) => s + a.payers, 0)).toBeGreaterThan(0);
	await page.screenshot({ path: `${process.env.TMPDIR ?? '/tmp'}/effect-page.png`, fullPage: true });
	await expect(section.getByTestId('effect-rate-sentence')).toContainText(/納付率|計算できません/);
	await expect(section.getByTestId('effect-window')).toContainText('令和');
	// amounts are shown as ¥1,234
	await expect(section.getByTestId('effect-table')).toContainText('¥');
	// English on request (amounts still ¥1,234); back to Japanese, the choice is stored on the user
	await page.getByRole('button', { name: /English/ }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Effect of calls (against a randomized holdout)' })).toBeVisible();
	await expect(section.locator('tr[data-arm="heldOut"] th')).toHaveText('Held out (not called)');
	await expect(section.getByTestId('effect-rate-sentence')).toContainText(/payment rate/);
	await page.getByRole('button', { name: /日本語/ }).click();
	await expect(page.getByRole('heading', { level: 1, name: '架電の効果（無作為対照群との比較）' })).toBeVisible();
	// one segment chosen
	const [seg] = await sql<{ id: number }[]>`select id from segments where code = 'general'`;
	await page.goto(`/manager/effect?segment=${seg.id}`);
	await expect(page.getByTestId('effect-segment')).toHaveCount(1);
	// a bad date is refused at its field, the page kept
	await page.goto('/manager/effect?from=2026-02-30');
	await expect(page.getByTestId('error-from')).toHaveText('開始日：2026-02-30 は存在しない日付です。');
});
