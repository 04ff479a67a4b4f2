/**
 * Inbound calls (受電, issue #5): an operator searches by a full-width phone number, finds the household, opens it
 * with the keyboard (the note: who called, what about) and records the outcome with the same form as the desk; the
 * call is stored as inbound. A kana search in hiragana finds a household by its katakana key. Checked in the
 * server's database (the embedded PostgreSQL of playwright.config.ts).
 */
import { test, expect } from '@playwright/test';
import postgres from 'postgres';
import { login } from './fixtures.ts';

const PG_PORT = Number(process.env.E2E_EMBEDDED_PG_PORT ?? 5497);
const sql = postgres(`postgres://kansho:kansho-embedded@127.0.0.1:${PG_PORT}/kansho`, { max: 1, onnotice: () => {} });

test.afterAll(async () => {
	await sql.end();
});

/** 0312345678 → ０３－１２３４－５６７８ (as a caller's number is sometimes pasted from a document). */
function fullWidthPhone(digits: string): string {
	const grouped = digits.length === 11 ? [digits.slice(0, 3), digits.slice(3, 7), digits.slice(7)] : [digits.slice(0, 2), digits.slice(2, 6), digits.slice(6)];
	return grouped.map((g) => g.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0))).join('－');
}

test('an operator finds a caller by a full-width phone number and records the inbound call with the keyboard', async ({ page }) => {
	// a household with a number of its own (no other household shares it) that nobody holds
	const [target] = await sql<{ householdId: number; digits: string }[]>`
		select p.household_id as "householdId", p.digits from phones p
		join call_queue q on q.household_id = p.household_id and q.state <> 'claimed'
		where p.valid and p.status = 'active' and p.digits ~ '^0[0-9]{9,10}$'
		  and (select count(*) from phones o where o.digits = p.digits) = 1
		order by p.household_id limit 1`;
	expect(target).toBeTruthy();

	const [{ started }] = await sql<{ started: Date }[]>`select now() as started`;
	await login(page, 'op04');
	await page.goto('/operator/inbound');
	await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'connected');
	// the search box has the focus
	await expect(page.getByTestId('inbound-q')).toBeFocused();
	await page.keyboard.type(fullWidthPhone(target.digits));
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('inbound-read-as')).toHaveAttribute('data-kind', 'phone');
	await expect(page.getByTestId('inbound-read-as')).toContainText(target.digits);
	const rows = page.getByTestId('inbound-result');
	await expect(rows).toHaveCount(1);
	await expect(rows.first()).toHaveAttribute('data-household-id', String(target.householdId));
	await expect(rows.first()).toHaveAttribute('aria-selected', 'true');
	// the matched number is masked except its last four digits
	await expect(rows.first()).toContainText(target.digits.slice(-4));
	await expect(rows.first()).not.toContainText(target.digits);

	// Enter on the chosen result: the note, then Enter opens it
	await expect(page.getByTestId('inbound-q')).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('inbound-note')).toBeFocused();
	await page.keyboard.type('本人より受電、督促状について');
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('inbound-open')).toHaveAttribute('data-household-id', String(target.householdId));
	await expect(page.getByTestId('household-card')).toHaveAttribute('data-household-id', String(target.householdId));
	const [held] = await sql<{ state: string; claimKind: string; loginId: string }[]>`
		select q.state, q.claim_kind as "claimKind", u.login_id as "loginId" from call_queue q join users u on u.id = q.claimed_by
		where q.household_id = ${target.householdId}`;
	expect(held).toEqual({ state: 'claimed', claimKind: 'inbound', loginId: 'op04' });
	const [view] = await sql<{ reason: string; note: string }[]>`
		select a.reason, n.note from access_log a join access_log_notes n on n.access_log_id = a.id
		where a.household_id = ${target.householdId} and a.action = 'household.view' order by a.id desc limit 1`;
	expect(view.reason).toMatch(/^inbound \(note sha256:[0-9a-f]{64}\)$/);
	expect(view.note).toBe('本人より受電、督促状について');

	// the outcome form of the desk, by keyboard: 1 → 20 本人応答 (an inbound call offers no 不在 / 留守番電話 / 話中),
	// Alt+M → the record, Ctrl+Enter saves
	await expect(page.getByTestId('outcome-code')).toBeFocused();
	await page.keyboard.press('1');
	await expect(page.getByTestId('outcome-code')).toHaveValue('20');
	await page.keyboard.press('Alt+m');
	await expect(page.getByTestId('note')).toBeFocused();
	await page.keyboard.type('督促状の内容を説明。来週納付予定とのこと。');
	await page.keyboard.press('Control+Enter');
	await expect(page.getByTestId('inbound-saved')).toContainText('20');
	// back to the search box for the next call
	await expect(page.getByTestId('inbound-q')).toBeFocused();

	const calls = await sql<{ direction: string; outcomeCode: string; note: string; loginId: string }[]>`
		select c.direction, c.outcome_code as "outcomeCode", c.note, u.login_id as "loginId"
		from calls c join users u on u.id = c.operator_id where c.household_id = ${target.householdId} and c.recorded_at >= ${started}`;
	expect(calls).toEqual([{ direction: 'inbound', outcomeCode: '20', note: '督促状の内容を説明。来週納付予定とのこと。', loginId: 'op04' }]);
	const [after] = await sql<{ state: string; claimedBy: number | null }[]>`
		select state, claimed_by as "claimedBy" from call_queue where household_id = ${target.householdId}`;
	expect(after?.claimedBy ?? null).toBeNull();
});

test('a hiragana search finds a household by its kana, and ↓ chooses among several results', async ({ page }) => {
	// a surname's kana that several households share
	const [common] = await sql<{ prefix: string; n: number }[]>`
		select left(kana_search, 3) as prefix, count(distinct household_id)::int as n from persons
		where kana_search ~ '^[ァ-ヴー]{3}' and household_id is not null
		group by 1 having count(distinct household_id) between 2 and 15 order by 2 desc limit 1`;
	expect(common).toBeTruthy();
	const hiragana = common.prefix.replace(/[\u30A1-\u30F6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
	await login(page, 'op04');
	await page.goto('/operator/inbound');
	await expect(page.getByTestId('inbound-q')).toBeFocused();
	await page.keyboard.type(hiragana);
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('inbound-read-as')).toHaveAttribute('data-kind', 'kana');
	const rows = page.getByTestId('inbound-result');
	await expect(rows.first()).toBeVisible();
	expect(await rows.count()).toBeGreaterThanOrEqual(Math.min(common.n, 2));
	await expect(rows.nth(0)).toHaveAttribute('aria-selected', 'true');
	await page.keyboard.press('ArrowDown');
	await expect(rows.nth(1)).toHaveAttribute('aria-selected', 'true');
	await expect(rows.nth(0)).toHaveAttribute('aria-selected', 'false');
	// Esc leaves the note and returns to the search
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('inbound-note')).toBeFocused();
	await page.keyboard.press('Escape');
	await expect(page.getByTestId('inbound-q')).toBeFocused();
	await expect(page.getByTestId('inbound-open-form')).toHaveCount(0);
});
