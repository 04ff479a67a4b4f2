/** Messages of the daily and monthly reports (/manager/reports, issue #8), both languages; merged by index.ts. */
type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };

export const reportsJa = {
	nav: { reports: '日報・月報' },
	reports: {
		title: '日報・月報',
		lead: 'オペレーター別・班別・区分別と合計の実績です。数値はライブのグラフと同じ集計から作られ、各表の行の和は合計と一致します（重複を除いた世帯数を除く）。',
		kind: '種類',
		day: '日報',
		month: '月報',
		date: '日付',
		monthLabel: '月',
		show: '表示',
		download: 'ダウンロード',
		pdf: 'PDF',
		csv: 'CSV（Shift_JIS・Excel向け）',
		csvUtf8: 'CSV（UTF-8）',
		xlsx: 'Excel（.xlsx）',
		partial: '期間の途中です（{{total}}日中{{elapsed}}日経過）。',
		chartDay: '時間帯別の架電件数・本人接触数・納付約束件数',
		chartMonth: '日別の架電件数・本人接触数・納付約束件数',
		chartSummary: '架電{{attempts}}件、本人接触{{rpc}}世帯、納付約束{{promises}}件。',
		group: '表示する列',
		sections: { total: '合計', team: '班別', operator: 'オペレーター別', segment: '区分別' },
		team: '班',
		name: '名前',
		empty: 'この期間の実績はありません。',
		notes: '各数値の定義',
		schedule: {
			title: '月報の自動作成',
			lead: '毎月の最初の開庁日（土日・祝日・年末年始を除く）に前月の月報を作成して保存します。',
			enabled: '自動作成する',
			formats: '形式',
			save: '保存',
			saved: '保存しました。',
			next: '次回の作成日：{{date}}',
			stored: '保存済みの月報',
			none: 'まだありません。',
			period: '対象月',
			format: '形式',
			size: 'サイズ',
			made: '作成日時'
		}
	}
};

export const reportsEn: Messages<typeof reportsJa> = {
	nav: { reports: 'Daily & monthly reports' },
	reports: {
		title: 'Daily and monthly reports',
		lead: 'Figures per operator, team and segment and in total. They come from the same queries as the live charts; the rows of each table add up to the total (except distinct-household counts).',
		kind: 'Kind',
		day: 'Daily',
		month: 'Monthly',
		date: 'Day',
		monthLabel: 'Month',
		show: 'Show',
		download: 'Download',
		pdf: 'PDF',
		csv: 'CSV (Shift_JIS, for Excel)',
		csvUtf8: 'CSV (UTF-8)',
		xlsx: 'Excel (.xlsx)',
		partial: 'The period is not over ({{elapsed}} of {{total}} days).',
		chartDay: 'Attempts, right-party contacts and promises by hour',
		chartMonth: 'Attempts, right-party contacts and promises by day',
		chartSummary: '{{attempts}} attempts, {{rpc}} right-party contacts, {{promises}} promises.',
		group: 'Columns',
		sections: { total: 'Total', team: 'By team', operator: 'By operator', segment: 'By segment' },
		team: 'Team',
		name: 'Name',
		empty: 'Nothing recorded in this period.',
		notes: 'What each figure is',
		schedule: {
			title: 'Monthly report schedule',
			lead: 'On the first working day of each month (not weekends, holidays or the year-end closure) last month’s report is made and kept.',
			enabled: 'Make it automatically',
			formats: 'Formats',
			save: 'Save',
			saved: 'Saved.',
			next: 'Next: {{date}}',
			stored: 'Kept monthly reports',
			none: 'None yet.',
			period: 'Month',
			format: 'Format',
			size: 'Size',
			made: 'Made'
		}
	}
};
