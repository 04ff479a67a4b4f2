/**
 * Messages of the supervisor console's live floor and live queue (issue #6), both languages side by side; merged
 * into ja / en by index.ts. `liveEn` has the type of `liveJa`'s keys: a key missing in one language does not compile.
 */
type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };

export const liveJa = {
	live: {
		stale: '表示が最新ではない可能性があります（最終更新 {{time}}）',
		reconnecting: '再接続中…',
		connected: 'リアルタイム更新中',
		floor: {
			title: 'フロア',
			summary: '{{n}}人中 通話中{{on}}人・待機{{available}}人・後処理{{wrap}}人・休憩{{brk}}人・オフライン{{off}}人',
			operator: 'オペレータ',
			state: '状態',
			time: '経過時間',
			segment: '対応中の区分',
			calls: '本日架電',
			contacts: '本日応答',
			assigned: '担当区分',
			longCall: '長時間通話（{{m}}分以上）',
			longBreak: '長時間休憩（{{m}}分以上）',
			thresholds: '強調表示: 通話{{call}}分以上・休憩{{brk}}分以上',
			empty: 'オペレータがいません',
			breakReasons: { rest: '休憩', lunch: '昼食', training: '研修', meeting: 'ミーティング', other: 'その他' }
		},
		queue: {
			title: 'キュー（区分別）',
			segment: '区分',
			callable: '今すぐ架電可能',
			claimed: '対応中',
			window: '時間帯待ち',
			suppressed: '抑止中',
			doneToday: '本日対応済',
			why: '架電できない理由',
			none: 'なし',
			paused: '一時停止中',
			empty: '区分がありません',
			reasons: {
				retry: '再架電待ち',
				gap: '前回架電からの間隔',
				daily_limit: '本日の架電回数上限',
				weekly_limit: '7日間の架電回数上限',
				slot: '時間帯ローテーション',
				payment: '最近の入金あり',
				promise: '納付約束の期日待ち',
				callback: '折り返し予定（期日前）',
				handoff: '職員へ引継ぎ中',
				not_before: '職員の指定日まで再架電しない（差し戻し）',
				do_not_call: '架電停止',
				window: '架電時間外',
				shared_phone: '同じ番号を別の世帯で架電中',
				paused: '区分が一時停止中',
				closed_no_phone: '有効な電話番号なし',
				closed_handoff: '職員へ引継ぎ済（終了）',
				closed_do_not_call: '架電停止（終了）',
				closed_manual: '手動で終了',
				closed_holdout: '効果測定の対照群（架電しない）',
				other: 'その他（{{reason}}）'
			}
		}
	}
};

export const liveEn: Messages<typeof liveJa> = {
	live: {
		stale: 'These figures may not be current (last updated {{time}})',
		reconnecting: 'Reconnecting…',
		connected: 'Live',
		floor: {
			title: 'Floor',
			summary: '{{n}} operators: {{on}} on a call, {{available}} available, {{wrap}} in wrap-up, {{brk}} on a break, {{off}} offline',
			operator: 'Operator',
			state: 'State',
			time: 'Time in state',
			segment: 'Current segment',
			calls: 'Calls today',
			contacts: 'Answered today',
			assigned: 'Segments',
			longCall: 'Long call ({{m}} min or more)',
			longBreak: 'Long break ({{m}} min or more)',
			thresholds: 'Highlighted: calls of {{call}} min or more, breaks of {{brk}} min or more',
			empty: 'No operators',
			breakReasons: { rest: 'Rest', lunch: 'Lunch', training: 'Training', meeting: 'Meeting', other: 'Other' }
		},
		queue: {
			title: 'Queue by segment',
			segment: 'Segment',
			callable: 'Callable now',
			claimed: 'Claimed',
			window: 'Waiting for a calling window',
			suppressed: 'Suppressed',
			doneToday: 'Done today',
			why: 'Why households are not callable',
			none: 'None',
			paused: 'Paused',
			empty: 'No segments',
			reasons: {
				retry: 'Retry later',
				gap: 'Minimum gap since the last call',
				daily_limit: 'Daily call limit reached',
				weekly_limit: 'Weekly call limit reached',
				slot: 'Time-slot rotation',
				payment: 'Recent payment',
				promise: 'Promise not yet due',
				callback: 'Callback not yet due',
				handoff: 'Handed off to ward staff',
				not_before: 'Not before the day set by ward staff (returned)',
				do_not_call: 'Do not call',
				window: 'Outside calling hours',
				shared_phone: 'Same number being called for another household',
				paused: 'Segment paused',
				closed_no_phone: 'No valid phone number',
				closed_handoff: 'Handed off (closed)',
				closed_do_not_call: 'Do not call (closed)',
				closed_manual: 'Closed by hand',
				closed_holdout: 'Effect measurement holdout (not called)',
				other: 'Other ({{reason}})'
			}
		}
	}
};
