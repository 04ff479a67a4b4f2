/**
 * Messages of the operators' performance view (/supervisor/performance, issue #8), both languages side by side;
 * merged into ja / en by index.ts.
 */
type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };

export const performanceJa = {
	nav: { performance: 'オペレータ実績' },
	performance: {
		title: 'オペレータ別の実績',
		lead: '期間中のオペレータごとの架電と応対の実績です（指導用。ウォール表示には出しません）。記録済みの架電から集計し、消去済み世帯の架電は含みません（月報・年報には含まれます）。',
		from: '開始日',
		to: '終了日',
		show: '表示',
		preset: { today: '今日', week: '直近7日', month: '今月' },
		operator: 'オペレータ',
		attempts: '架電件数',
		answerRate: '応答率',
		contactRate: '接触率',
		rightPartyRate: '本人接触率',
		promises: '納付約束',
		promiseRate: '納付約束率',
		promisedAmount: '約束金額',
		handoffs: '引継ぎ',
		inbound: '受電',
		meanTalk: '平均通話時間',
		perHour: '架電件数/時',
		onHousehold: '対応中',
		wrapUp: '後処理',
		available: '待機',
		break: '休憩',
		total: '合計',
		formulas:
			'応答率＝応答した架電÷架電件数、接触率＝接触した世帯÷架電世帯数、本人接触率＝本人に接触した世帯÷架電世帯数、納付約束率＝納付約束÷本人接触（docs/kpis.md）。架電件数/時＝架電件数÷（対応中＋後処理＋待機の時間）。平均通話時間は開始・終了が記録された通話のみ。世帯数による率はオペレータ間で合算できないため合計欄には出しません。'
	}
};

export const performanceEn: Messages<typeof performanceJa> = {
	nav: { performance: 'Operators' },
	performance: {
		title: 'Operators’ performance',
		lead: 'Calls and contacts per operator over a period (for coaching; never shown on the wall). From the calls recorded; calls of erased households are not included (the monthly and yearly reports include them).',
		from: 'From',
		to: 'To',
		show: 'Show',
		preset: { today: 'Today', week: 'Last 7 days', month: 'This month' },
		operator: 'Operator',
		attempts: 'Attempts',
		answerRate: 'Answer rate',
		contactRate: 'Contact rate',
		rightPartyRate: 'Right-party rate',
		promises: 'Promises',
		promiseRate: 'Promise rate',
		promisedAmount: 'Promised',
		handoffs: 'Handoffs',
		inbound: 'Inbound',
		meanTalk: 'Mean talk time',
		perHour: 'Attempts/hour',
		onHousehold: 'On a household',
		wrapUp: 'Wrap-up',
		available: 'Available',
		break: 'Break',
		total: 'Total',
		formulas:
			'Answer rate = answered attempts ÷ attempts; contact rate = households contacted ÷ households attempted; right-party rate = right-party contacts ÷ households attempted; promise rate = promises ÷ right-party contacts (docs/kpis.md). Attempts/hour = attempts ÷ (on a household + wrap-up + available). Mean talk time: calls with a recorded start and end only. Rates over households do not add up across operators, so the total row leaves them out.'
	}
};
