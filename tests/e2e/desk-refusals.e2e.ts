/**
 * The desk's answers in the operator's language (QA walkthrough of /operator): a callback the server refuses
 * (outside calling hours) comes back to the form as typed, with the reason under 予約日時 and when calling hours
 * start next; a fresh claim is not announced as 再表示 while a reload onto a held household is; the card says why
 * the household is next, its segment and its numbers' sources in Japanese, not in codes.
 */
import { test, expect, type Page } from '@playwright/test';
import postgres from 'postgres';
import { login } from './fixtures.ts';
import { tokyoWhen } from '../../src/lib/domain/format.ts';

const PG_PORT = Number(process.env.E2E_EMBEDDED_PG_PORT ?? 5497);
const sql = postgres(`postgres://kansho:kansho-embedded@127.0.0.1:${PG_PORT}/kansho`, { max: 1, onnotice: () => {} });

test.afterAll(async () => {
	await sql.end();
});

/** The softphone on an operator's PC takes tel: links; here nothing does, so the browser must not try to open them. */
async function noTelLinks(page: Page) {
	await page.addInitScript(() =>
		document.addEventListener('click', (e) => (e.target as Element | null)?.closest?.('a[href^="tel:"]') && e.preventDefault(), true)
	);
}

async function openDesk(page: Page) {
	await noTelLinks(page);
	await login(page, 'op01');
	await page.goto('/operator');
	await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'connected');
	// a household left held by an earlier test is given back first
	if (await page.getByTestId('household-card').isVisible()) {
		await page.locator('form.release button').click();
		await expect(page.getByTestId('household-card')).toBeHidden();
	}
}

/** Tokyo wall-clock 'YYYY-MM-DDTHH:mm' of an instant (what a datetime-local input holds). */
const tokyoLocal = (at: Date) => new Date(at.getTime() + 9 * 3600_000).toISOString().slice(0, 16);

test('a callback outside calling hours is refused under 予約日時, in Japanese, and the form keeps what was typed', async ({ page }) => {
	// the refusal as the socket answers it: the stable code and when calling hours start next
	const answers: string[] = [];
	page.on('websocket', (ws) => ws.on('framereceived', (f) => typeof f.payload === 'string' && f.payload.includes('outsideHours') && answers.push(f.payload)));
	await openDesk(page);
	await page.keyboard.press('n');
	await expect(page.getByTestId('household-card')).toBeVisible();
	const householdId = Number(await page.getByTestId('household-card').getAttribute('data-household-id'));
	await expect(page.getByTestId('outcome-code')).toBeFocused();
	await page.keyboard.press('4');
	await expect(page.getByTestId('outcome-code')).toHaveValue('20');
	// tomorrow 23:00 Tokyo: within 30 days, never inside calling hours (hard limits 08:00–21:00)
	const tomorrow = new Date(Date.now() + 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Tokyo' });
	await page.getByTestId('callback-at').fill(`${tomorrow}T23:00`);
	await page.keyboard.press('Alt+m');
	await page.keyboard.type('夜に折り返し希望');
	await page.keyboard.press('Control+Enter');

	const message = page.getByTestId('callback-at-error');
	await expect(message).toBeVisible();
	await expect(message).toContainText('架電時間外のため予約できません');
	await expect.poll(() => answers.length).toBeGreaterThan(0);
	const opensAt = /"opensAt":"([^"]+)"/.exec(answers[0])![1];
	// the next calling hours as the server computed them, said in Tokyo time with the weekday
	await expect(message).toContainText(`次の架電時間は ${tokyoWhen(opensAt, 'ja')} から`);
	await expect(message).not.toContainText('outside');
	// what the operator typed is still there: the outcome (so the callback fields), the time, the note
	await expect(page.getByTestId('outcome-code')).toHaveValue('20');
	await expect(page.getByTestId('callback-at')).toHaveValue(`${tomorrow}T23:00`);
	await expect(page.getByTestId('callback-at')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByTestId('note')).toHaveValue('夜に折り返し希望');
	await expect(page.getByTestId('desk-message')).toHaveAttribute('data-code', 'invalid_input');
	expect(await sql`select 1 from calls where household_id = ${householdId} and note = '夜に折り返し希望'`).toHaveLength(0);
	await page.screenshot({ path: 'test-results/desk-refusal.png', fullPage: true });

	// an hour after calling hours open: saved, and the saved message confirms the callback's time
	const at = new Date(new Date(opensAt).getTime() + 3600_000);
	await page.getByTestId('callback-at').fill(tokyoLocal(at));
	await page.keyboard.press('Control+Enter');
	await expect(page.getByTestId('saved-message')).toContainText('20 本人応答');
	await expect(page.getByTestId('saved-callback')).toContainText(`${tokyoWhen(at, 'ja')} に折り返し予約`);
	const [cb] = await sql<{ dueAt: Date }[]>`select due_at as "dueAt" from callbacks where household_id = ${householdId} and status = 'open' order by id desc limit 1`;
	expect(cb.dueAt.toISOString()).toBe(at.toISOString());
});

test('a fresh claim is not announced as 再表示; a reload onto the held household is; the card speaks Japanese', async ({ page }) => {
	await openDesk(page);
	await page.keyboard.press('n');
	await expect(page.getByTestId('household-card')).toBeVisible();
	await expect(page.getByTestId('why')).toBeVisible();
	await expect(page.getByTestId('resumed-notice')).toHaveCount(0);
	await expect(page.getByTestId('why')).not.toContainText('再表示');

	// why this household: labels, not the score's codes
	const reasons = page.getByTestId('priority-reasons');
	await expect(reasons).toBeVisible();
	await expect(reasons).not.toContainText(/[a-z_]+:/);
	await expect(reasons).toContainText(/滞納額|時効が近い|未架電|約束不履行|前回架電からの日数|この時間帯の応答率|区分の優先加点/);
	// the segment by its name, not its id
	await expect(page.getByTestId('claim-segment')).toContainText('区分: ');
	await expect(page.getByTestId('claim-segment')).not.toContainText('#');
	// the numbers' sources translated (the demo's numbers come from the ward's data)
	const sources = page.getByTestId('phone-source');
	for (let i = 0; i < (await sources.count()); i++) await expect(sources.nth(i)).not.toContainText(/import|self_report|employer|research/);
	if ((await sources.count()) > 0 && (await sources.first().getAttribute('data-source')) === 'import') await expect(sources.first()).toHaveText('区データ');
	// the kind and the source stand apart (QA: 「携帯· 区データ」)
	if ((await sources.count()) > 0) await expect(sources.first().locator('..')).toHaveText(/\S\s·\s\S/);

	// back to the held household by a reload: now it is said
	const id = await page.getByTestId('household-card').getAttribute('data-household-id');
	await page.reload();
	await expect(page.getByTestId('household-card')).toHaveAttribute('data-household-id', id!);
	await expect(page.getByTestId('resumed-notice')).toContainText('担当中の世帯を再表示しています');

	await page.locator('form.release button').click();
	await expect(page.getByTestId('household-card')).toBeHidden();
});
