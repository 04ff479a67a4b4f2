/**
 * The supervisor's floor controls (issue #6) in a browser, on the demo floor (playwright.config.ts: embedded
 * PostgreSQL, demo accounts): two supervisors change the same segment (the second is refused with the current
 * value; a third console shows the change without reloading); an operator reassigned mid-session gets households
 * from the new segment on the next claim, and their desk says so at once; a supervisor's message shows as a toast on the operator's desk; a card
 * dragged to another column moves the operator.
 */
import { test, expect, type Browser, type Page } from '@playwright/test';
import postgres from 'postgres';
import { login } from './fixtures.ts';

const PG_PORT = Number(process.env.E2E_EMBEDDED_PG_PORT ?? 5497);
const sql = postgres(`postgres://kansho:kansho-embedded@127.0.0.1:${PG_PORT}/kansho`, { max: 1, onnotice: () => {} });

test.afterAll(async () => {
	await sql.end();
});

async function segmentName(id: number): Promise<string> {
	const [r] = await sql<{ nameJa: string }[]>`select name_ja as "nameJa" from segments where id = ${id}`;
	return r.nameJa;
}
async function segmentId(code: string): Promise<number> {
	const [r] = await sql<{ id: number }[]>`select id::int as id from segments where code = ${code}`;
	return r.id;
}
async function segmentsOf(loginId: string): Promise<string[]> {
	const rows = await sql<{ code: string }[]>`
		select s.code from operator_segments os join users u on u.id = os.user_id join segments s on s.id = os.segment_id
		where u.login_id = ${loginId} order by s.code`;
	return rows.map((r) => r.code);
}

async function page(browser: Browser, loginId: string, opts: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
	const p = await (await browser.newContext(opts)).newPage();
	await login(p, loginId);
	return p;
}

test('two supervisors pause the same segment: the second is refused with its current state; a third console sees it at once', async ({ browser }) => {
	const a = await page(browser, 'sv01');
	// B's page has no JavaScript: it is not refreshed live and keeps what it showed (the forms still work)
	const b = await page(browser, 'sv01', { javaScriptEnabled: false });
	const c = await page(browser, 'sv01');
	for (const p of [a, b]) await p.goto('/supervisor/controls');
	// C is the console itself (/supervisor), its controls from the live floor view
	await c.goto('/supervisor');
	await expect(a.getByTestId('controls-live')).toHaveAttribute('data-status', 'connected');
	await expect(c.getByTestId('updated-at')).toHaveAttribute('data-status', 'connected');
	const consoleControls = c.getByTestId('console-controls');
	await expect(consoleControls.getByTestId('segctl-high').getByTestId('segctl-state')).toHaveText('● 有効');
	const rowA = a.getByTestId('segctl-high');
	await expect(rowA.getByTestId('segctl-state')).toHaveText('● 有効');

	// A pauses 「高額滞納」: the button says which segment it acts on
	await rowA.getByRole('button', { name: '「高額滞納（10万円以上）」を一時停止' }).click();
	await expect(a.getByTestId('segments-ok')).toContainText('一時停止しました');
	await expect(rowA.getByTestId('segctl-state')).toHaveText('‖ 一時停止中');
	// the console shows it without being reloaded (the server's floor view: one snapshot for all its viewers)
	await expect(consoleControls.getByTestId('segctl-high').getByTestId('segctl-state')).toHaveText('‖ 一時停止中');
	await expect(c.getByTestId('changes-feed').getByTestId('change').first()).toContainText('区分「高額滞納（10万円以上）」を一時停止');

	// B still shows it active and presses pause from that version: refused, with the current state
	await b.getByTestId('segctl-high').getByRole('button', { name: '「高額滞納（10万円以上）」を一時停止' }).click();
	const stale = b.getByTestId('stale');
	await expect(stale).toContainText('他のSVが先に変更していたため、この操作は行われませんでした');
	await expect(stale.getByTestId('stale-current')).toContainText('一時停止中');
	expect((await sql`select active from segments where code = 'high'`)[0].active).toBe(false);
	const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from floor_changes where what = 'pause'`;
	expect(n).toBe(1);

	// A resumes it (the console is left as it was for the other tests)
	await rowA.getByRole('button', { name: '「高額滞納（10万円以上）」を再開' }).click();
	await expect(rowA.getByTestId('segctl-state')).toHaveText('● 有効');
	await expect(consoleControls.getByTestId('segctl-high').getByTestId('segctl-state')).toHaveText('● 有効');

	// the same with the board: B (stale) moves an operator whose segments A changed meanwhile
	await a.getByTestId('column-general').getByTestId('card-op02').getByLabel(/鈴木 オペレータ の操作/).selectOption({ label: '「外国籍世帯」にも追加' });
	await a.getByTestId('column-general').getByTestId('card-op02').getByTestId('board-apply').click();
	await expect(a.getByTestId('board-ok')).toContainText('鈴木 オペレータ の担当区分を変更しました');
	expect(await segmentsOf('op02')).toEqual(['foreign', 'general', 'high']);
	await b.getByTestId('column-general').getByTestId('card-op02').getByLabel(/鈴木 オペレータ の操作/).selectOption({ label: '「一般」から外す' });
	await b.getByTestId('column-general').getByTestId('card-op02').getByTestId('board-apply').click();
	await expect(b.getByTestId('stale').getByTestId('stale-current')).toContainText('外国籍世帯');
	expect(await segmentsOf('op02')).toEqual(['foreign', 'general', 'high']);
});

test('an operator reassigned mid-session is told so on the desk and gets a household of the new segment on the next claim, and a message shows as a toast on their desk', async ({ browser }) => {
	const op = await page(browser, 'op03');
	const sv = await page(browser, 'sv01');
	const general = await segmentId('general');
	const foreign = await segmentId('foreign');
	expect(await segmentsOf('op03')).toEqual(['general']);

	// the operator works a household of 一般 and gives it back
	await op.goto('/operator');
	await expect(op.getByTestId('connection')).toHaveAttribute('data-status', 'connected');
	await expect(op.getByTestId('assignment-notice')).toHaveCount(0);
	const other = await page(browser, 'op01');
	await other.goto('/operator');
	await op.getByTestId('next-household').click();
	// the card names the segment (its Japanese name; no longer its id)
	await expect(op.getByTestId('why')).toContainText(`区分: ${await segmentName(general)}`);
	await op.getByRole('button', { name: '世帯を戻す' }).click();
	await expect(op.getByTestId('next-household')).toBeVisible();

	// the supervisor moves op03 from 一般 to 外国籍世帯 with the keyboard way (the option names both)
	await sv.goto('/supervisor/controls');
	const card = sv.getByTestId('column-general').getByTestId('card-op03');
	const action = card.getByLabel(/高橋 オペレータ の操作（いま：一般）/);
	await action.focus();
	await action.selectOption({ label: '「外国籍世帯」へ移動' });
	await card.getByTestId('board-apply').press('Enter');
	await expect(sv.getByTestId('board-ok')).toContainText('高橋 オペレータ の担当区分を変更しました（外国籍世帯）');
	await expect(sv.getByTestId('column-foreign').getByTestId('card-op03')).toBeVisible();
	await expect(sv.getByTestId('column-general').getByTestId('card-op03')).toHaveCount(0);
	// the operator's desk says so at once (assignment:changed, to op03's own sockets only); another operator's does not
	await expect(op.getByTestId('assignment-notice-text')).toHaveText(`担当区分が変更されました：${await segmentName(foreign)}（田中 SV）`);
	await expect(other.getByTestId('connection')).toHaveAttribute('data-status', 'connected');
	await expect(other.getByTestId('assignment-notice')).toHaveCount(0);
	await op.getByTestId('assignment-notice-close').click();
	await expect(op.getByTestId('assignment-notice')).toHaveCount(0);

	// the operator's next claim, without reloading the desk, comes from 外国籍世帯
	await op.getByTestId('next-household').click();
	await expect(op.getByTestId('why')).toContainText(`区分: ${await segmentName(foreign)}`);

	// a message to op03: the button names the recipient; the toast shows on the desk
	const form = sv.getByTestId('message-form');
	await form.getByLabel('一人').check();
	await form.getByLabel('オペレータ', { exact: true }).selectOption({ label: '高橋 オペレータ（op03）' });
	await form.getByLabel('メッセージ').fill('高橋さん、外国籍世帯の担当に変わりました。');
	await expect(form.getByTestId('message-send')).toHaveText('高橋 オペレータ に送信');
	await form.getByTestId('message-send').click();
	await expect(sv.getByTestId('message-ok')).toContainText('1人に送信しました');
	const toast = op.getByTestId('floor-message');
	await expect(toast).toContainText('高橋さん、外国籍世帯の担当に変わりました。');
	await expect(toast).toContainText('田中 SV より');
	await toast.getByRole('button', { name: '閉じる' }).click();
	await expect(toast).toHaveCount(0);

	// put op03 back (the household held stays theirs until its outcome)
	await sv.getByTestId('column-foreign').getByTestId('card-op03').getByLabel(/高橋 オペレータ の操作/).selectOption({ label: '「一般」へ移動' });
	await sv.getByTestId('column-foreign').getByTestId('card-op03').getByTestId('board-apply').click();
	await expect(sv.getByTestId('column-general').getByTestId('card-op03')).toBeVisible();
});

test('a card dragged to another column moves the operator there', async ({ browser }) => {
	const sv = await page(browser, 'sv01');
	await sv.goto('/supervisor/controls');
	await expect(sv.getByTestId('controls-live')).toHaveAttribute('data-status', 'connected');
	expect(await segmentsOf('op04')).toEqual(['foreign', 'general']);
	// HTML5 drag and drop with the mouse: press on the card's name, move over the other column (twice: the first
	// move starts the drag), release
	await sv.getByTestId('column-foreign').getByTestId('card-op04').locator('strong').hover();
	await sv.mouse.down();
	const target = sv.getByTestId('column-high').getByRole('heading');
	await target.hover();
	await target.hover({ position: { x: 20, y: 8 } });
	await sv.mouse.up();
	await expect(sv.getByTestId('board-ok')).toContainText('グエン オペレータ の担当区分を変更しました');
	await expect(sv.getByTestId('column-high').getByTestId('card-op04')).toBeVisible();
	expect(await segmentsOf('op04')).toEqual(['general', 'high']);
	// the page then follows the server's floor view (its own change came back in the view's snapshot)
	await expect(sv.getByTestId('controls-live')).toHaveAttribute('data-source', 'live');
});
