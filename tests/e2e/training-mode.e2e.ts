/**
 * Training mode (issue #9) in the browser: a supervisor starts a role-play run for a new operator who has not done
 * the privacy training; the operator joins it from their training record, works the same desk (marked 研修 on every
 * screen) against the synthetic training set, the trainer reads the scenario's lines and marks what they hear, and
 * the trainee gets a score and feedback after each save: a promise handled well passes, a disclosure to a family
 * member fails. Back on real data the operator still cannot claim a real household. Checked in the server's
 * database: nothing the trainee did is in the real tables.
 */
import { test, expect, type Page } from '@playwright/test';
import postgres from 'postgres';
import { login } from './fixtures.ts';

const PG_PORT = Number(process.env.E2E_EMBEDDED_PG_PORT ?? 5497);
const sql = postgres(`postgres://kansho:kansho-embedded@127.0.0.1:${PG_PORT}/kansho`, { max: 1, onnotice: () => {} });

test.afterAll(async () => {
	await sql.end();
});

const inAWeek = () => new Date(Date.now() + 7 * 86400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Tokyo' });

/** The trainer plays a scenario on the trainee's household in progress and marks what they heard. */
async function play(sv: Page, scenario: string, marks: Record<string, 'yes' | 'no'>) {
	await sv.goto('/supervisor/training');
	const trainee = sv.getByTestId('trainee').filter({ has: sv.locator('[data-testid="current-attempt"]') });
	await expect(trainee).toHaveCount(1);
	const current = trainee.getByTestId('current-attempt');
	await current.getByTestId('scenario-select').selectOption(scenario);
	await current.getByRole('button', { name: '場面を変更' }).click();
	await expect(sv.getByTestId('console-message')).toHaveText('場面を変更しました。');
	await expect(current).toHaveAttribute('data-scenario', scenario);
	// the trainer has the resident's lines to read
	await expect(current.getByTestId('scenario-lines').locator('li').first()).toBeVisible();
	for (const [k, v] of Object.entries(marks)) await current.getByTestId(`mark-${k}-${v}`).check();
	await current.getByTestId('save-marks').click();
	await expect(sv.getByTestId('console-message')).toHaveText('評価を保存しました。');
	return Number(await current.getAttribute('data-attempt'));
}

test('a trainee works the desk on training data, is scored against the scenario, and real data is untouched', async ({ browser }) => {
	test.setTimeout(120_000);
	// a new operator with no privacy training (the demo's password), as an administrator would create them
	await sql`delete from users where login_id = 'op-e2e-rp'`;
	const [{ id: opId }] = await sql<{ id: number }[]>`
		insert into users (login_id, display_name, role, password_hash)
		select 'op-e2e-rp', 'ロールプレイ オペレータ', 'operator', password_hash from users where login_id = 'op01' returning id`;

	// the supervisor starts a run for them
	const svContext = await browser.newContext();
	const sv = await svContext.newPage();
	await login(sv, 'sv01');
	await sv.goto('/supervisor/training');
	await expect(sv.getByRole('heading', { level: 1 })).toHaveText('研修モード（ロールプレイ）');
	const start = sv.getByTestId('start-form');
	// a run needs someone to train: the browser will not send it empty, and the server names it if sent
	await start.getByTestId('run-title').fill('新人ロールプレイ');
	await start.getByRole('button', { name: '開始する' }).click();
	await expect(sv.getByTestId('console-error')).toHaveAttribute('data-code', 'invalid_input');
	// named next to the field, in Japanese
	await expect(start.getByTestId('error-trainees')).toHaveText('受講者を1人以上選んでください。');
	await start.getByTestId('trainee-op-e2e-rp').check();
	await start.getByRole('button', { name: '開始する' }).click();
	await expect(sv.getByTestId('console-message')).toHaveText(/研修を開始しました/, { timeout: 60_000 });
	const run = sv.getByTestId('training-run').filter({ hasText: '新人ロールプレイ' });
	await expect(run.getByTestId('trainee')).toHaveAttribute('data-joined', 'false');

	// the operator cannot use the real desk (no privacy training), but is invited to train
	const opContext = await browser.newContext();
	const op = await opContext.newPage();
	await op.addInitScript(() => document.addEventListener('click', (e) => (e.target as Element | null)?.closest?.('a[href^="tel:"]') && e.preventDefault(), true));
	await login(op, 'op-e2e-rp');
	await expect(op).toHaveURL(/\/training\?required=1$/);
	await expect(op.getByTestId('training-required')).toBeVisible();
	await expect(op.getByTestId('training-invitation')).toContainText('新人ロールプレイ');
	await op.getByTestId('training-invitation').getByRole('button', { name: '研修を始める' }).click();
	await expect(op).toHaveURL(/\/operator\?training=joined$/);
	// every screen says 研修
	await expect(op.getByTestId('training-banner')).toContainText('研修モード：新人ロールプレイ');
	await expect(op.getByTestId('training-banner')).toContainText('研修用の架空データです');
	await expect(op.getByTestId('connection')).toHaveAttribute('data-status', 'connected');
	await expect(op.getByTestId('desk-state')).toHaveAttribute('data-state', 'available');
	// the trainer's console, left open, follows live (no reload, no polling while connected): the join, then the claim
	await expect(sv.getByTestId('console-live')).toHaveAttribute('data-status', 'connected');
	await expect(run.getByTestId('trainee')).toHaveAttribute('data-joined', 'true');

	// attempt 1: the trainer plays a resident who promises; the trainee handles it well
	await op.keyboard.press('n');
	await expect(op.getByTestId('household-card')).toBeVisible();
	await expect(run.getByTestId('current-attempt')).toHaveCount(1);
	// the training set's numbers are synthetic but may exist: no tel: link, Alt+1 only starts the call timer
	const links = op.getByTestId('phone-link');
	if ((await links.count()) > 0) {
		await expect(links.first()).not.toHaveAttribute('href', /^tel:/);
		await op.keyboard.press('Alt+1');
		await expect(op.getByTestId('call-timer')).toHaveAttribute('data-running', 'true');
	}
	await play(sv, 'promise', { namedCenter: 'yes', confirmedIdentity: 'yes', disclosedToThirdParty: 'no', askedAtmOrTransfer: 'no' });
	await expect(op.getByTestId('outcome-code')).toBeFocused();
	await op.keyboard.press('8');
	await expect(op.getByTestId('outcome-code')).toHaveValue('40');
	await op.getByTestId('promise-amount').fill('1000');
	await op.getByTestId('promise-date').fill(inAWeek());
	await op.getByTestId('note').fill('本人と通話。来週コンビニで1,000円納付の約束。');
	await op.keyboard.press('Control+Enter');
	const feedback = op.getByTestId('training-feedback');
	await expect(feedback).toBeVisible();
	await expect(feedback).toHaveAttribute('data-passed', 'true');
	await expect(feedback).toContainText('合格');
	expect(Number(await feedback.getAttribute('data-percent'))).toBeGreaterThanOrEqual(70);
	await expect(feedback.locator('[data-check="disclosure"]')).toHaveAttribute('data-ok', 'true');

	// attempt 2: a family member answers and the trainee tells them the debt (the trainer heard it): fail
	await expect(op.getByTestId('wrap-up')).toBeVisible();
	await op.keyboard.press('n');
	await expect(op.getByTestId('household-card')).toBeVisible();
	await expect(feedback).toHaveCount(0);
	await play(sv, 'third_party', { namedCenter: 'yes', disclosedToThirdParty: 'yes', askedAtmOrTransfer: 'no' });
	await op.keyboard.press('5');
	await expect(op.getByTestId('outcome-code')).toHaveValue('21');
	await op.getByTestId('note').fill('妻が応答。滞納額を伝えた。');
	await op.keyboard.press('Control+Enter');
	await expect(feedback).toHaveAttribute('data-passed', 'false');
	await expect(feedback).toContainText('重大な誤りがあります');
	await expect(feedback.locator('[data-check="disclosure"]')).toHaveAttribute('data-ok', 'false');

	// the trainer's console has both attempts and the run's own report
	await sv.goto('/supervisor/training');
	const rows = run.getByTestId('attempt-row');
	await expect(rows).toHaveCount(2);
	await expect(run.locator('[data-testid="attempt-row"][data-scenario="promise"]')).toHaveAttribute('data-passed', 'true');
	await expect(run.locator('[data-testid="attempt-row"][data-scenario="third_party"]')).toHaveAttribute('data-passed', 'false');
	await expect(run.getByTestId('summary-byTrainee').locator('tr[data-key="op-e2e-rp"] td').first()).toHaveText('2');
	await expect(run.getByTestId('trainee')).toHaveAttribute('data-joined', 'true');

	// nothing the trainee did is in the real data; the training set has both calls
	expect(await sql`select 1 from calls where operator_id = ${opId}`).toHaveLength(0);
	expect(await sql`select 1 from call_queue where claimed_by = ${opId}`).toHaveLength(0);
	expect(await sql`select 1 from training.calls where operator_id = ${opId}`).toHaveLength(2);
	// the trainee's record keeps the results
	await op.goto('/training');
	await expect(op.getByTestId('training-banner')).toBeVisible();
	// off the desk the banner says the screen is real (a trainee must not take a real page for practice)
	await expect(op.getByTestId('training-banner')).toContainText('この画面は研修用ではなく実データです');
	await expect(op.getByTestId('roleplay-attempts').locator('tbody tr')).toHaveCount(2);
	// with the feedback of each attempt, as the desk gave it: the disclosure the trainer heard is named
	const failedAttempt = op.getByTestId('roleplay-attempts').locator('tbody tr[data-scenario="third_party"]');
	await failedAttempt.getByTestId('attempt-feedback').locator('summary').click();
	await expect(failedAttempt.locator('[data-check="disclosure"]')).toHaveAttribute('data-ok', 'false');
	await expect(failedAttempt.locator('[data-check="disclosure"]')).toContainText('本人以外に滞納の内容や金額を伝えました');
	await expect(failedAttempt.getByTestId('attempt-feedback')).toContainText('期待される対応');
	await expect(op.getByTestId('roleplay-attempts').locator('tbody tr[data-scenario="promise"] [data-check="disclosure"]')).toHaveAttribute('data-ok', 'true');

	// leaving training: back on real data, where the operator without the privacy training still cannot claim
	await op.getByTestId('training-leave').click();
	await expect(op).toHaveURL(/\/training\?required=1$/);
	await expect(op.getByTestId('training-banner')).toHaveCount(0);
	const refused = await op.request.post('/api/claims/next');
	expect(refused.status()).toBe(403);
	expect((await refused.json()).code).toBe('training_required');

	// the trainer ends the run; it is listed with its scores
	await sv.goto('/supervisor/training');
	await expect(run.getByTestId('run-scenarios')).toContainText('納付を約束する世帯');
	// ending asks first: dismissed, nothing happens; accepted, the run ends
	sv.once('dialog', (d) => void d.dismiss());
	await run.getByTestId('end-run').click();
	await expect(run).toBeVisible();
	expect((await sql<{ n: number }[]>`select count(*)::int as n from training_runs where title = '新人ロールプレイ' and ended_at is null`)[0].n).toBe(1);
	let asked = '';
	sv.once('dialog', (d) => {
		asked = d.message();
		void d.accept();
	});
	await run.getByTestId('end-run').click();
	await expect(sv.getByTestId('console-message')).toHaveText(/研修を終了しました/);
	expect(asked).toContain('研修「新人ロールプレイ」を終了しますか');
	await expect(sv.getByTestId('ended-run').filter({ hasText: '新人ロールプレイ' }).getByTestId('attempt-row')).toHaveCount(2);
	// the results go to the ward's audit (the link on the console)
	const csv = await sv.request.get((await sv.getByTestId('roleplay-export').getAttribute('href'))! + '?encoding=utf8');
	expect(csv.status()).toBe(200);
	const rowsOf = (await csv.text()).trim().split('\r\n').filter((l) => l.includes(',op-e2e-rp,'));
	expect(rowsOf).toHaveLength(2);
	expect(rowsOf.map((l) => l.includes('合格') && !l.includes('不合格'))).toEqual([true, false]);
	await svContext.close();
	await opContext.close();
});
