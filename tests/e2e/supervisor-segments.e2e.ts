import { test, expect } from '@playwright/test';
import { login, storedLocaleJapanese, hydrated, describePagesOnFailure } from './fixtures.ts';

// one code per run: the embedded database lives for the whole run
const code = `e2e-${Date.now().toString(36)}`;

test('a supervisor creates a segment with a few filters, sees the preview count, saves, and sees it in the list with its size', async ({ page }) => {
	await login(page, 'sv01');
	const counted: string[] = [];
	page.on('request', (r) => new URL(r.url()).pathname === '/supervisor/segments/preview' && counted.push(r.method()));
	await page.goto('/supervisor');
	await page.getByTestId('link-segments').click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('区分（セグメント）');
	// opening the page counts nothing (a count reads every household); the button counts on asking
	await hydrated(page);
	await expect(page.getByTestId('preview')).toHaveAttribute('data-status', 'idle');
	await expect(page.getByTestId('preview-idle')).toBeVisible();
	expect(counted).toHaveLength(0);
	// measured from the preview's own top (the page may scroll to the button clicked)
	const submitTop = async () => (await page.getByTestId('create-form-submit').boundingBox())!.y - (await page.getByTestId('preview').boundingBox())!.y;
	const idleTop = await submitTop();
	await page.getByTestId('preview-run').click();
	await expect(page.getByTestId('preview')).toHaveAttribute('data-status', 'ok');
	expect(counted).toEqual(['POST']);
	// the submit button does not move as the count comes (a click meant for it must not land on something else)
	expect(await submitTop()).toBe(idleTop);

	const create = page.getByTestId('create-form');
	await create.getByLabel('コード').fill(code);
	await create.getByLabel('名称（日本語）').fill('E2E 携帯・3万円以上');
	await create.getByLabel('名称（英語）').fill('E2E mobile, ¥30,000+');
	await create.getByLabel('並び順').fill('5');
	// an amount typed with full-width digits and commas
	await create.getByLabel('滞納額（以上）').fill('￥３０，０００');
	await create.getByRole('checkbox', { name: '携帯' }).check();

	// the live preview follows the form (debounced); wait for the count of the filter as typed
	const preview = page.getByTestId('preview');
	await expect(preview).toHaveAttribute('data-status', 'ok');
	const placed = preview.getByTestId('preview-placed');
	await expect(placed).toHaveAttribute('data-count', /^\d+$/);
	// a stricter filter previews fewer households: the count is live, not a constant
	const loose = Number(await placed.getAttribute('data-count'));
	const matching = Number(await preview.getByTestId('preview-matching').getAttribute('data-count'));
	expect(loose).toBeGreaterThan(0);
	expect(matching).toBeGreaterThanOrEqual(loose);
	expect(matching).toBeLessThan(Number(await preview.getByTestId('preview-of').getAttribute('data-households')));
	await create.getByLabel('滞納額（以上）').fill('￥３０，０００，０００');
	await expect(placed).toHaveAttribute('data-count', '0');
	await create.getByLabel('滞納額（以上）').fill('￥３０，０００');
	await expect(placed).toHaveAttribute('data-count', String(loose));

	await page.getByTestId('create-form-submit').click();
	await expect(page.getByTestId('segments-message')).toContainText('E2E 携帯・3万円以上');
	const row = page.getByTestId(`segment-${code}`);
	await expect(row).toContainText('E2E 携帯・3万円以上');
	await expect(row).toContainText('滞納額 ¥30,000以上');
	await expect(row).toContainText('電話: 携帯電話');
	// every household the preview counted is now in the segment (callable, held or waiting; or closed)
	const n = (s: string) => Number(s.replace(/,/g, ''));
	const size = n(await row.getByTestId('size').innerText());
	const closed = n(await row.getByTestId('closed').innerText());
	expect(size + closed).toBe(loose);
	expect(size).toBeGreaterThan(0);
});

test('an edit saved over someone else’s is refused with the current values', async ({ browser }) => {
	const a = await (await browser.newContext()).newPage();
	const b = await (await browser.newContext()).newPage();
	await login(a, 'sv01');
	await login(b, 'sv01');
	await a.goto('/supervisor/segments');
	await a.getByTestId(`segment-${code}`).getByRole('link').click();
	await expect(a.getByTestId('edit-form')).toBeVisible();
	const editUrl = a.url();
	await b.goto(editUrl);

	await a.getByTestId('edit-form').getByLabel('名称（日本語）').fill('E2E 先に保存');
	await a.getByTestId('edit-form-submit').click();
	await expect(a.getByTestId('segment-message')).toContainText('保存しました');

	await b.getByTestId('edit-form').getByLabel('名称（日本語）').fill('E2E 後から保存');
	await b.getByTestId('edit-form-submit').click();
	const stale = b.getByTestId('stale');
	await expect(stale).toContainText('他の人がこの区分を先に保存しました');
	await expect(stale.getByTestId('current-nameJa')).toHaveText('E2E 先に保存');
	// the draft stays in the form, and nothing was overwritten
	await expect(b.getByTestId('edit-form').getByLabel('名称（日本語）')).toHaveValue('E2E 後から保存');
	await a.goto(editUrl);
	await expect(a.getByTestId('edit-form').getByLabel('名称（日本語）')).toHaveValue('E2E 先に保存');
});

test.afterEach(async ({ context }, testInfo) => {
	await describePagesOnFailure(context.pages(), testInfo);
	await storedLocaleJapanese('sv01');
});

test('a range the wrong way round is refused in the user’s language, naming both fields', async ({ page }) => {
	await login(page, 'sv01');
	await page.goto('/supervisor/segments');
	const create = page.getByTestId('create-form');
	const fill = async (lower: string, upper: string, names: [string, string, string, string, string]) => {
		// each refusal, like the language switch, is a new page (the form posts without script): type once it is hydrated
		await hydrated(page);
		await create.getByLabel(names[0]).fill(`${code}-r`);
		await create.getByLabel(names[1]).fill('E2E 範囲');
		await create.getByLabel(names[2]).fill('E2E range');
		await create.getByLabel(names[3]).fill(lower);
		await create.getByLabel(names[4]).fill(upper);
		await page.getByTestId('create-form-submit').click();
	};
	await fill('50,000', '30,000', ['コード', '名称（日本語）', '名称（英語）', '滞納額（以上）', '滞納額（未満）']);
	const error = page.getByTestId('error-filter.maxOwed');
	await expect(error).toHaveText('「滞納額（未満）」は「滞納額（以上）」より大きい金額にしてください（「未満」の金額は含まれないため、同じ金額では該当する世帯がありません）。');
	await expect(create.getByLabel('滞納額（未満）')).toHaveAttribute('aria-invalid', 'true');
	// nothing of the schema's own English words
	await expect(create).not.toContainText('minOwed');
	// the counts too (at most: not less than the lower one)
	await hydrated(page);
	await create.getByLabel('滞納額（未満）').fill('');
	await create.getByLabel('架電回数（以上）').fill('5');
	await create.getByLabel('架電回数（以下）').fill('4');
	await page.getByTestId('create-form-submit').click();
	await expect(page.getByTestId('error-filter.maxAttempts')).toHaveText('「架電回数（以下）」は「架電回数（以上）」以上の値にしてください。');
	await expect(page.getByTestId('error-filter.maxOwed')).toHaveCount(0);

	// the same refusal in English
	await page.getByRole('button', { name: /English/ }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Segments');
	await fill('100', '100', ['Code', 'Name (Japanese)', 'Name (English)', 'Arrears at least', 'Arrears below']);
	await expect(page.getByTestId('error-filter.maxOwed')).toHaveText('“Arrears below” must be more than “Arrears at least” (the upper amount is not included, so the same amount matches no household).');
	await expect(page.getByTestId(`segment-${code}-r`)).toHaveCount(0);
});

test('the calling-rules page refuses 07:30 as a start, next to the field', async ({ page }) => {
	await login(page, 'sv01');
	await page.goto('/supervisor/rules');
	await expect(page.getByTestId('hard-limits')).toContainText('08:00');
	const before = await page.getByTestId('rules-version').innerText();
	await page.getByLabel('月曜 開始').fill('07:30');
	await page.getByTestId('rules-save').click();
	await expect(page.getByTestId('error-windows.mon.start')).toHaveText('月曜 開始は08:00より前にできません（上限）。');
	await expect(page.getByLabel('月曜 開始')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByLabel('月曜 開始')).toHaveValue('07:30');
	await expect(page.getByTestId('rules-version')).toHaveText(before);

	// a valid change saves with a new version
	await page.getByLabel('月曜 開始').fill('09:30');
	await page.getByTestId('rules-save').click();
	await expect(page.getByTestId('rules-message')).toContainText('架電ルールを保存しました');
	await expect(page.getByLabel('月曜 開始')).toHaveValue('09:30');
});

test('the calling-rules page words every refusal next to its field, in Japanese and in English, never the schema’s English', async ({ page }) => {
	await login(page, 'sv01');
	await page.goto('/supervisor/rules');
	const form = page.getByTestId('rules-form');
	// the cross-field rule: fewer calls in 7 days than in a day
	await page.getByLabel('1日の架電回数の上限（世帯ごと）').fill('4');
	await page.getByLabel('7日間の架電回数の上限（世帯ごと）').fill('3');
	await page.getByTestId('rules-save').click();
	await expect(page.getByTestId('error-maxAttemptsPerWeek')).toHaveText('「7日間の架電回数の上限（世帯ごと）」は「1日の架電回数の上限（世帯ごと）」以上の値にしてください。');
	await expect(page.getByLabel('7日間の架電回数の上限（世帯ごと）')).toHaveAttribute('aria-invalid', 'true');
	await expect(form).not.toContainText('maxAttempts');
	// single-field problems: not a number, above the limit, blank
	await page.getByLabel('7日間の架電回数の上限（世帯ごと）').fill('5');
	await page.getByLabel('架電の最小間隔（分）').fill('abc');
	await page.getByLabel('後処理時間（秒）').fill('601');
	await page.getByLabel('入金後に架電しない日数').fill('');
	await page.getByTestId('rules-save').click();
	await expect(page.getByTestId('error-minGapMinutes')).toHaveText('架電の最小間隔（分）は整数で入力してください。');
	await expect(page.getByTestId('error-wrapUpSeconds')).toHaveText('後処理時間（秒）は600以下にしてください。');
	await expect(page.getByTestId('error-paymentSuppressDays')).toHaveText('入金後に架電しない日数を入力してください。');
	await expect(page.getByTestId('error-maxAttemptsPerWeek')).toHaveCount(0);
	await expect(form).not.toContainText('must');

	// the same refusals in English
	await page.getByRole('button', { name: /English/ }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Calling rules');
	await page.getByLabel('Calls per household per day, at most').fill('4');
	await page.getByLabel('Calls per household in 7 days, at most').fill('3');
	await page.getByLabel('Wrap-up time (seconds)').fill('601');
	await page.getByTestId('rules-save').click();
	await expect(page.getByTestId('error-wrapUpSeconds')).toHaveText('Wrap-up time (seconds) must be at most 600.');
	await page.getByLabel('Wrap-up time (seconds)').fill('30');
	await page.getByTestId('rules-save').click();
	await expect(page.getByTestId('error-maxAttemptsPerWeek')).toHaveText('“Calls per household in 7 days, at most” must not be less than “Calls per household per day, at most”.');
	await expect(page.getByTestId('rules-message')).toHaveCount(0);
});

test('a filter value that is not a number or out of range is refused next to its field in the user’s language', async ({ page }) => {
	await login(page, 'sv01');
	await page.goto('/supervisor/segments');
	const create = page.getByTestId('create-form');
	const fill = async (names: [string, string, string, string, string]) => {
		await create.getByLabel(names[0]).fill(`${code}-s`);
		await create.getByLabel(names[1]).fill('E2E 単項目');
		await create.getByLabel(names[2]).fill('E2E single');
		await create.getByLabel(names[3]).fill('5万');
		await create.getByLabel(names[4]).fill('40000');
		await page.getByTestId('create-form-submit').click();
	};
	await fill(['コード', '名称（日本語）', '名称（英語）', '滞納額（以上）', '最古の未納の経過日数（以下）']);
	await expect(page.getByTestId('error-filter.minOwed')).toHaveText('滞納額（以上）は整数で入力してください。');
	await expect(page.getByTestId('error-filter.maxOldestUnpaidDays')).toHaveText('最古の未納の経過日数（以下）は36,500以下にしてください。');
	await expect(create.getByLabel('滞納額（以上）')).toHaveAttribute('aria-invalid', 'true');
	// nothing of the schema's own English words, nor the generic line
	await expect(create).not.toContainText('must');
	await expect(create).not.toContainText('正しくありません');

	await page.getByRole('button', { name: /English/ }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Segments');
	await fill(['Code', 'Name (Japanese)', 'Name (English)', 'Arrears at least', 'Days since the oldest unpaid due date, at most']);
	await expect(page.getByTestId('error-filter.minOwed')).toHaveText('Arrears at least must be a whole number.');
	await expect(page.getByTestId('error-filter.maxOldestUnpaidDays')).toHaveText('Days since the oldest unpaid due date, at most must be at most 36,500.');
	await expect(page.getByTestId(`segment-${code}-s`)).toHaveCount(0);
});

test('the NHI search leads to why a household is where it is', async ({ page }) => {
	await login(page, 'sv01');
	await page.goto('/supervisor/households/1');
	const heading = await page.getByRole('heading', { level: 1 }).innerText();
	const nhi = /世帯 (\S+) の/.exec(heading)![1];
	await page.goto('/supervisor/segments');
	// full-width digits are read as the number
	await page.getByLabel('国保記号番号').fill(nhi.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))));
	await page.getByRole('button', { name: '表示' }).click();
	await expect(page).toHaveURL(/\/supervisor\/households\/1$/);
	await expect(page.getByTestId('explain-segment')).toBeVisible();
	await expect(page.getByTestId('explain-home')).toContainText('区分');
	await expect(page.getByTestId('explain-queue')).toBeVisible();
	await expect(page.getByTestId('explain-score')).toContainText('点');
});
