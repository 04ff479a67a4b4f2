/**
 * Messages of the supervisor console's live charts (issue #6: today by hour against last week, promises and the
 * amount promised, the per-segment funnel), both languages side by side; merged into ja / en by index.ts.
 * `chartsEn` has the type of `chartsJa`'s keys: a key missing in one language does not compile. The definitions
 * the texts state are those of docs/kpis.md.
 */
type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };

export const chartsJa = {
	charts: {
		title: 'ライブグラフ',
		lead: '今日（{{day}}）の時間帯別の実績を、先週の同じ曜日（{{lastWeekDay}}）と比べます。時間帯は通話を記録した時刻（東京時間）です。定義：docs/kpis.md',
		today: '今日',
		lastWeek: '先週同曜日',
		hour: '{{h}}時',
		hourColumn: '時間帯',
		formula: '計算式',
		denominator: '分母',
		table: '表で見る',
		noData: '—',
		measure: {
			attempts: '架電件数',
			answeredAttempts: '応答件数',
			householdsAttempted: '架電世帯数',
			householdsContacted: '接触世帯数',
			rightPartyContacts: '本人接触数',
			promises: '納付約束件数',
			promisedAmount: '約束金額',
			contactRate: '接触率',
			rightPartyRate: '本人接触率',
			promiseRate: '納付約束率'
		},
		countDef: {
			attempts: '記録された通話の数（受電を含む）',
			promises: '納付約束で終わった通話の数',
			promisedAmount: '納付約束の金額の合計（円）'
		},
		rateFormula: '{{name}} = {{num}} ÷ {{den}}',
		denominatorIs: '分母：{{den}}',
		countFormula: '{{name}} = {{def}}',
		noDenominator: '件数・金額のため分母はありません',
		summaryRate: '{{name}} {{hour}}：{{rate}}（{{den}} {{d}} のうち {{n}}）。先週同曜日 {{lastRate}}。',
		summaryCount: '{{name}} {{hour}}：{{value}}。先週同曜日 {{last}}。',
		summaryNone: '{{name}}：今日はまだ通話がありません。',
		summaryDay: '今日の合計 {{value}}（先週同曜日の終日 {{last}}）',
		promisesTitle: '納付約束と約束金額',
		promisesToday: '今日の納付約束',
		amountToday: '今日の約束金額',
		lastWeekWholeDay: '先週同曜日（終日）：{{value}}',
		dayNote: '今日の合計は今の時点まで、先週同曜日は終日の値です。',
		funnel: {
			title: '区分別ファネル（今日）',
			lead: '各区分のキューに今いる世帯と、その世帯の今日の結果です。率はそれぞれの分母に対する割合です。',
			stageColumn: '段階',
			countColumn: '世帯数',
			rateColumn: '率',
			rateOf: '{{den}}の {{rate}}',
			none: '有効な区分がありません。',
			summary: '{{segment}}：対象 {{households}}、架電可能 {{dialable}}、架電 {{attempted}}、接触 {{contacted}}、約束 {{promised}}、収納 {{paid}}（世帯）',
			stage: {
				households: '対象世帯',
				dialable: '架電可能',
				attempted: '架電',
				contacted: '接触',
				promised: '約束',
				paid: '収納'
			},
			def: {
				households: '区分のキューにいる世帯（状態を問わない）',
				dialable: '今日架電した世帯、または架電可能・担当中・間隔や時間帯・予約の時刻を待つだけの世帯（入金・約束で保留中、終了は除く）',
				attempted: '今日1回以上架電した世帯',
				contacted: '今日の通話に応答があった世帯',
				promised: '今日納付約束をした世帯',
				paid: '今日架電した世帯のうち、最初の架電日以降の日付の入金がある世帯（入金は取込で届くため数日遅れます）'
			}
		}
	}
};

export const chartsEn: Messages<typeof chartsJa> = {
	charts: {
		title: 'Live charts',
		lead: 'Today ({{day}}) by hour against the same weekday last week ({{lastWeekDay}}). The hour is when the call was recorded (Tokyo time). Definitions: docs/kpis.md',
		today: 'Today',
		lastWeek: 'Same weekday last week',
		hour: '{{h}}:00',
		hourColumn: 'Hour',
		formula: 'Formula',
		denominator: 'Denominator',
		table: 'Show as a table',
		noData: '—',
		measure: {
			attempts: 'Attempts',
			answeredAttempts: 'Answered attempts',
			householdsAttempted: 'households attempted',
			householdsContacted: 'households contacted',
			rightPartyContacts: 'right-party contacts',
			promises: 'Promises',
			promisedAmount: 'Amount promised',
			contactRate: 'Contact rate',
			rightPartyRate: 'Right-party contact rate',
			promiseRate: 'Promise rate'
		},
		countDef: {
			attempts: 'calls recorded (inbound included)',
			promises: 'calls ending in a promise to pay',
			promisedAmount: 'sum of the amounts promised (yen)'
		},
		rateFormula: '{{name}} = {{num}} ÷ {{den}}',
		denominatorIs: 'Denominator: {{den}}',
		countFormula: '{{name}} = {{def}}',
		noDenominator: 'a count or an amount: no denominator',
		summaryRate: '{{name}} {{hour}}: {{rate}} ({{n}} of {{d}} {{den}}); last week {{lastRate}}.',
		summaryCount: '{{name}} {{hour}}: {{value}}; last week {{last}}.',
		summaryNone: '{{name}}: no calls yet today.',
		summaryDay: 'Today so far {{value}} (same weekday last week, whole day: {{last}})',
		promisesTitle: 'Promises and amount promised',
		promisesToday: 'Promises today',
		amountToday: 'Amount promised today',
		lastWeekWholeDay: 'Same weekday last week (whole day): {{value}}',
		dayNote: "Today's totals are so far; last week's are for the whole day.",
		funnel: {
			title: 'Funnel by segment (today)',
			lead: "The households in each segment's queue now, and what happened to them today. Each rate is over its own denominator.",
			stageColumn: 'Stage',
			countColumn: 'Households',
			rateColumn: 'Rate',
			rateOf: '{{rate}} of {{den}}',
			none: 'No active segment.',
			summary: '{{segment}}: households {{households}}, dialable {{dialable}}, attempted {{attempted}}, contacted {{contacted}}, promised {{promised}}, paid {{paid}}',
			stage: {
				households: 'Households',
				dialable: 'Dialable',
				attempted: 'Attempted',
				contacted: 'Contacted',
				promised: 'Promised',
				paid: 'Paid'
			},
			def: {
				households: "households in the segment's queue, in any state",
				dialable: 'called today, or ready, claimed, or waiting only for pacing, a calling window or a callback time (not held back by a payment or a promise, not closed)',
				attempted: '≥1 call recorded today',
				contacted: '≥1 answered call today',
				promised: 'a promise to pay today',
				paid: 'attempted today, with a payment dated on or after the household’s first call ever (payments arrive with imports, days late)'
			}
		}
	}
};
