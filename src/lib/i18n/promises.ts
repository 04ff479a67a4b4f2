/**
 * Messages of promise tracking (納付約束): the supervisor's promises page, the operator card's history, the manager's
 * kept rate, both languages side by side; merged into ja / en by index.ts (like segments.ts).
 * `promisesEn` has the type of `promisesJa`'s keys: a key missing in one language does not compile.
 */
type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };

export const promisesJa = {
	promises: {
		title: '納付約束',
		lead: '約束日から期日までの入金（期日までの入金が期日＋猶予{{grace}}日までに取り込まれたもの）で約束金額に達すれば「履行」。期日＋猶予を過ぎて一部だけなら「一部履行」、入金がなければ「不履行」となり、約束不履行の区分に優先度を上げて戻ります。消込は取込のたび・毎日1回・下のボタンで実行されます。',
		dueToday: '本日が期日の約束（{{date}}）',
		dueThisWeek: '今週期日の約束（明日〜{{date}}）',
		brokenSinceYesterday: '昨日以降に不履行・一部履行となった約束',
		none: '該当なし',
		household: '国保記号番号',
		madeAt: '約束した日',
		amount: '約束金額',
		dueDate: '期日',
		state: '状態',
		paid: '充当額',
		settledAt: '判定日時',
		segment: '区分',
		queue: 'キュー',
		reconcile: '今すぐ消込',
		reconciled: '消込しました：{{checked}}件を確認、{{changed}}件が変化（履行 {{kept}}・一部履行 {{partlyKept}}・不履行 {{broken}}）',
		runs: '最近の消込',
		runSource: { import: '取込', daily: '日次', manual: '手動' },
		runAt: '実行日時',
		runOn: '判定日',
		runBy: '実行者',
		runCounts: '確認 / 変化',
		states: { pending: '約束中', kept: '履行', partly_kept: '一部履行', broken: '不履行', cancelled: '取消' },
		history: '納付約束の履歴',
		historyEmpty: '約束はありません',
		keptRateFormula: '約束履行率 = 履行した約束 ÷ 期間内に期日を迎えた約束（取消を除く。一部履行・未判定の約束は分母にのみ入る）',
		partlyKept: '一部履行',
		keptOfDue: '履行 / 期日到来',
		queueStates: { ready: '架電可能', waiting: '待機', claimed: '対応中', closed: '終了' }
	},
	audit: { actions: { promises_reconcile: '納付約束の消込（手動）' } }
};

export const promisesEn: Messages<typeof promisesJa> = {
	promises: {
		title: 'Promises',
		lead: 'A promise is kept when payments from the day it was made to its date (posted by the date + {{grace}} grace days) reach its amount. After the date + grace it is partly kept when only some money arrived, broken when none did, and the household returns to the broken-promises segment with a higher priority. Reconciliation runs after every import, once a day, and with the button below.',
		dueToday: 'Promises due today ({{date}})',
		dueThisWeek: 'Promises due this week (tomorrow – {{date}})',
		brokenSinceYesterday: 'Broken or partly kept since yesterday',
		none: 'None',
		household: 'NHI number',
		madeAt: 'Made on',
		amount: 'Amount',
		dueDate: 'Due',
		state: 'State',
		paid: 'Paid towards it',
		settledAt: 'Judged at',
		segment: 'Segment',
		queue: 'Queue',
		reconcile: 'Reconcile now',
		reconciled: 'Reconciled: {{checked}} checked, {{changed}} changed (kept {{kept}}, partly kept {{partlyKept}}, broken {{broken}})',
		runs: 'Recent reconciliations',
		runSource: { import: 'import', daily: 'daily', manual: 'manual' },
		runAt: 'Run at',
		runOn: 'Judged as of',
		runBy: 'By',
		runCounts: 'Checked / changed',
		states: { pending: 'pending', kept: 'kept', partly_kept: 'partly kept', broken: 'broken', cancelled: 'cancelled' },
		history: 'Promise history',
		historyEmpty: 'No promises',
		keptRateFormula: 'Kept rate = promises kept ÷ promises falling due in the period (cancelled excluded; partly kept and not yet judged promises count in the denominator only)',
		partlyKept: 'Partly kept',
		keptOfDue: 'Kept / due',
		queueStates: { ready: 'callable', waiting: 'waiting', claimed: 'in a call', closed: 'closed' }
	},
	audit: { actions: { promises_reconcile: 'Promises reconciled (manual)' } }
};
