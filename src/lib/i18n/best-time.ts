/** Messages of the best-time-to-call view (/manager/best-time, issue #8), both languages; merged by index.ts. */
type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };

export const bestTimeJa = {
	nav: { bestTime: 'つながりやすい時間帯' },
	bestTime: {
		title: 'つながりやすい時間帯（曜日×時間）',
		lead: '今年度の発信の応答率を曜日と時間帯ごとに示します。区分と言語で絞り込めます。件数の少ない枠は率を表示しません。',
		from: '開始日',
		to: '終了日',
		segment: '区分',
		allSegments: 'すべての区分',
		language: '言語',
		allLanguages: 'すべて',
		foreign: '日本語以外',
		show: '表示',
		summary: '発信{{attempts}}件、応答率{{rate}}。',
		best: 'つながりやすい枠：',
		caption: '応答率（応答した発信÷発信件数）と発信件数',
		weekdayHour: '曜日＼時',
		weekday: { '1': '月', '2': '火', '3': '水', '4': '木', '5': '金', '6': '土', '7': '日' },
		formula:
			'応答率＝応答した発信÷発信件数（東京時間の曜日・時、受電は含まない）。発信が20件未満の枠は率を表示しません。色は少ない件数の偏りを抑えるため全体の応答率に寄せた値（（応答＋10×全体の応答率）÷（発信＋10））で付けています。'
	}
};

export const bestTimeEn: Messages<typeof bestTimeJa> = {
	nav: { bestTime: 'Best time to call' },
	bestTime: {
		title: 'Best time to call (weekday × hour)',
		lead: 'The answer rate of this fiscal year’s outbound attempts by weekday and hour, by segment and language. Cells with few attempts show no rate.',
		from: 'From',
		to: 'To',
		segment: 'Segment',
		allSegments: 'All segments',
		language: 'Language',
		allLanguages: 'All',
		foreign: 'Other than Japanese',
		show: 'Show',
		summary: '{{attempts}} attempts, answer rate {{rate}}.',
		best: 'Best:',
		caption: 'Answer rate (answered attempts ÷ attempts) and attempts',
		weekdayHour: 'Day \\ hour',
		weekday: { '1': 'Mon', '2': 'Tue', '3': 'Wed', '4': 'Thu', '5': 'Fri', '6': 'Sat', '7': 'Sun' },
		formula:
			'Answer rate = answered outbound attempts ÷ outbound attempts (Tokyo weekday and hour; inbound calls not included). Cells with fewer than 20 attempts show no rate. The colour uses the rate shrunk towards the overall one so that few attempts do not mislead: (answered + 10 × overall) ÷ (attempts + 10).'
	}
};
