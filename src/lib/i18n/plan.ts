/**
 * Messages of the call plan (/manager/plan and its table on /manager, issue #8 part B), both languages side by side;
 * merged into ja / en by index.ts.
 */
type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };

export const planJa = {
	nav: { plan: '納付案内計画' },
	audit: { actions: { plan_change: '納付案内計画の変更' } },
	plan: {
		title: '納付案内計画',
		lead: '年度の計画：どの区分をどの週に架電するか、週ごとの目標（架電件数・本人接触・納付約束）と体制（オペレータ人時）。実績は記録済みの架電から随時集計します。',
		fiscalYear: '年度',
		fyOption: '{{fy}}年度',
		show: '表示',
		none: 'この年度の計画はまだありません。',
		noRows: 'まだ週の計画がありません。下のフォームで追加してください。',
		create: '計画を作成',
		name: '計画名',
		defaultName: '{{fy}}年度 納付案内計画',
		rename: '名前を変更',
		version: '版 {{version}}（{{at}} {{by}}）',
		asOf: '{{at}} 現在の実績（1分ごとに自動更新）',
		changedElsewhere: '他の人がこの計画を変更しました。変更する前に画面を更新してください。',
		reload: '最新の実績に更新',
		week: '週（月曜日）',
		weekOf: '{{date}} の週',
		segment: '区分',
		attempts: '架電件数',
		contacts: '本人接触',
		promises: '納付約束',
		staffHours: '体制（人時）',
		worked: '稼働 {{hours}}',
		target: '目標',
		actual: '実績',
		progress: '達成率',
		expected: '現時点の見込み',
		status: {
			ahead: '先行',
			on_track: '計画どおり',
			behind: '遅れ',
			not_started: '未開始',
			none: '目標なし'
		},
		weekTotal: '週計',
		total: '合計',
		bySegment: '区分別（全期間）',
		unplanned: '計画外の区分への架電 {{n}} 件',
		current: '今週',
		chart: '週別の架電件数：計画と実績',
		chartSummary: '週別の架電件数。計画 {{planned}} 件、実績 {{actual}} 件（合計）。',
		planned: '計画',
		editor: '計画の編集',
		editWeek: '編集する週',
		pick: '選択',
		rowsOfWeek: 'この週の計画',
		save: '保存',
		remove: '削除',
		add: '週の計画を追加',
		copy: '週をコピー',
		copyFrom: 'コピー元の週',
		copyTo: 'コピー先の週（空欄＝翌週）',
		copyNote: 'コピー先にすでにある区分の行はそのまま残します。',
		saved: '保存しました。',
		added: '追加しました。',
		removed: '削除しました。',
		created: '計画を作成しました。',
		copied: '{{copied}} 行をコピーしました（既存のため省略 {{skipped}} 行）。',
		stale: '他の人がこの計画を変更しました（現在 版 {{version}}）。画面を更新してから、もう一度変更してください。',
		readOnly: '閲覧のみ（計画の編集はスーパーバイザーが行います）。',
		field: {
			fiscalYear: '年度',
			name: '計画名',
			weekStart: '週',
			segmentId: '区分',
			targetAttempts: '架電件数の目標',
			targetContacts: '本人接触の目標',
			targetPromises: '納付約束の目標',
			staffHours: '体制（人時）',
			from: 'コピー元の週',
			to: 'コピー先の週',
			version: '版',
			planId: '計画',
			weekId: '計画の行'
		},
		formulas:
			'実績：架電件数＝記録された架電の件数、本人接触＝その週・区分で本人に接触した世帯数（重複なし）、納付約束＝納付約束の架電件数（docs/kpis.md と同じ定義。区分は架電時の区分、週は東京時間の月曜〜日曜）。達成率＝実績÷目標（目標0は —）。現時点の見込み＝目標×経過した稼働日の割合（土日・祝日・年末年始12/29〜1/3を除く。今日は架電時間 8:00〜21:00 の経過分）。状況：実績が見込みの110%以上で先行、90%未満で遅れ、その間は計画どおり。週計・区分別・合計は各行の和です（本人接触は行ごとの世帯数の和）。週計の「稼働」は全オペレータがその週に稼働した時間（待機＋対応中＋後処理。オペレータは複数の区分を担当するため週単位のみ）。',
		report: {
			title: '納付案内計画の進捗（{{month}}）',
			lead: '{{name}}：この月に始まる週（{{weeks}}週）の計画と実績。',
			none: 'この月の計画はありません。',
			link: '計画を開く'
		}
	}
};

export const planEn: Messages<typeof planJa> = {
	nav: { plan: 'Call plan' },
	audit: { actions: { plan_change: 'Call plan changed' } },
	plan: {
		title: 'Call plan',
		lead: 'The season’s plan: which segments are worked in which weeks, the weekly targets (attempts, right-party contacts, promises) and staffing (operator-hours). Actuals come live from the recorded calls.',
		fiscalYear: 'Fiscal year',
		fyOption: 'FY{{fy}}',
		show: 'Show',
		none: 'This fiscal year has no plan yet.',
		noRows: 'No weeks planned yet. Add one with the form below.',
		create: 'Create the plan',
		name: 'Plan name',
		defaultName: 'FY{{fy}} call plan',
		rename: 'Rename',
		version: 'Version {{version}} ({{at}} {{by}})',
		asOf: 'Actuals as of {{at}} (refreshed every minute)',
		changedElsewhere: 'Someone else changed this plan. Reload the page before you change it.',
		reload: 'Refresh the actuals',
		week: 'Week (Monday)',
		weekOf: 'Week of {{date}}',
		segment: 'Segment',
		attempts: 'Attempts',
		contacts: 'Right-party contacts',
		promises: 'Promises',
		staffHours: 'Staffing (operator-hours)',
		worked: 'worked {{hours}}',
		target: 'Target',
		actual: 'Actual',
		progress: 'Progress',
		expected: 'Expected by now',
		status: {
			ahead: 'Ahead',
			on_track: 'On track',
			behind: 'Behind',
			not_started: 'Not started',
			none: 'No target'
		},
		weekTotal: 'Week total',
		total: 'Total',
		bySegment: 'By segment (all weeks)',
		unplanned: '{{n}} attempts in segments not planned this week',
		current: 'this week',
		chart: 'Attempts per week: planned and actual',
		chartSummary: 'Attempts per week. Planned {{planned}}, actual {{actual}} in total.',
		planned: 'Planned',
		editor: 'Edit the plan',
		editWeek: 'Week to edit',
		pick: 'Pick',
		rowsOfWeek: 'This week’s rows',
		save: 'Save',
		remove: 'Remove',
		add: 'Add a week’s row',
		copy: 'Copy a week',
		copyFrom: 'Week to copy',
		copyTo: 'Copy to (empty = the next week)',
		copyNote: 'Segments already planned in the target week keep their rows.',
		saved: 'Saved.',
		added: 'Added.',
		removed: 'Removed.',
		created: 'Plan created.',
		copied: '{{copied}} rows copied ({{skipped}} skipped: planned already).',
		stale: 'Someone else changed this plan (now version {{version}}). Reload the page and make your change again.',
		readOnly: 'Read only (supervisors edit the plan).',
		field: {
			fiscalYear: 'Fiscal year',
			name: 'Plan name',
			weekStart: 'Week',
			segmentId: 'Segment',
			targetAttempts: 'Target attempts',
			targetContacts: 'Target right-party contacts',
			targetPromises: 'Target promises',
			staffHours: 'Staffing (operator-hours)',
			from: 'Week to copy',
			to: 'Copy to',
			version: 'Version',
			planId: 'Plan',
			weekId: 'Plan row'
		},
		formulas:
			'Actuals: attempts = recorded calls; right-party contacts = distinct households reached in person in the week and segment; promises = calls with a promise outcome (the definitions of docs/kpis.md; the segment is the call’s, the week Monday–Sunday in Tokyo). Progress = actual ÷ target (— for a zero target). Expected by now = target × share of the week’s working days passed (weekends, national holidays and the 12/29–1/3 closure excluded; today counts by the part of its 08:00–21:00 calling day passed). Status: ahead at ≥110% of expected, behind below 90%, on track between. Week, segment and plan totals are sums of the rows (contacts: the sum of each row’s households). “Worked” in a week’s total: the hours all operators worked that week (available + on a household + wrap-up; operators work several segments, so per week only).',
		report: {
			title: 'Call plan progress ({{month}})',
			lead: '{{name}}: the plan and actuals of the weeks beginning this month ({{weeks}} weeks).',
			none: 'No plan for this month.',
			link: 'Open the plan'
		}
	}
};

/** Japanese for the server's field messages (zod and plan checks, in English); others are shown as they are. */
export const planProblemsJa: Record<string, string> = {
	required: '入力してください',
	'must be a whole number': '整数で入力してください',
	'must be a whole number 0 or more': '0以上の整数で入力してください',
	'must be 0 or more': '0以上で入力してください',
	'must be a Monday': '月曜日を指定してください',
	'must be a date (YYYY-MM-DD)': '日付（YYYY-MM-DD）で入力してください',
	'not a real date': '存在しない日付です',
	'at most the target attempts': '架電件数の目標以下にしてください',
	'this segment is planned for this week already (edit that row)': 'この週のこの区分はすでに計画があります（その行を編集してください）',
	'no such segment': '区分がありません',
	'this fiscal year has a plan already': 'この年度の計画はすでにあります',
	'this week has no rows to copy': 'この週にはコピーする行がありません',
	'must differ from the week copied': 'コピー元と違う週を指定してください',
	'must be above 0': '選択してください',
	'at most 100 characters': '100文字以内で入力してください',
	'must be a year': '年度を数字で入力してください'
};

/** A server field message in Japanese when known (a fiscal year or a limit named in it included), else as it is. */
export function planProblemJa(message: string): string {
	const fy = /^not a week of fiscal year (\d+)$/.exec(message);
	if (fy) return `${fy[1]}年度の週ではありません`;
	const max = /^at most (\d+)$/.exec(message);
	if (max) return `${Number(max[1]).toLocaleString('ja-JP')}以下で入力してください`;
	return planProblemsJa[message] ?? message;
}
