/**
 * Messages of the supervisor's floor controls (issue #6: assignment board, segment pause/resume/order, stuck
 * claims, messages to operators and the desk's toast, the day's targets, thresholds, today's changes), both
 * languages side by side; merged into ja / en by index.ts. `floorEn` has the type of `floorJa`'s keys: a key
 * missing in one language does not compile.
 */
type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };

export const floorJa = {
	floor: {
		title: 'フロア操作',
		lead: '操作はすぐに全員に反映されます。他のSVの変更もこの画面にすぐ表示されます。同じものを同時に変更した場合、後から保存した方は取り消され、現在の値が表示されます。',
		link: 'フロア操作',
		matrixStale: '他のSVが先に {{operators}} の担当区分を変更していたため、保存しませんでした（何も変更していません）。下の表は現在の割り当てです。確認してからもう一度保存してください。',
		back: 'SVコンソールへ戻る',
		live: '他のSVの変更をすぐに反映します',
		refreshed: '他のSVの変更を反映しました（{{time}}）',
		who: '対象：{{who}}',
		board: {
			title: '担当区分（オペレータの割り当て）',
			lead: 'オペレータのカードを別の区分の列へドラッグすると移動します。キーボードでは、カードの「操作」を選んで「実行」を押してください。変更は次の「次の世帯」から有効です。',
			unassigned: '未割当',
			paused: '一時停止中',
			ready: '架電可能 {{n}}件',
			empty: 'この列にはオペレータがいません。',
			noOperators: '割り当てられるオペレータがいません。',
			action: '{{name}} の操作（いま：{{from}}）',
			choose: '選んでください',
			moveTo: '「{{segment}}」へ移動',
			addTo: '「{{segment}}」にも追加',
			remove: '「{{segment}}」から外す',
			apply: '実行',
			dropHere: 'ここにドロップ：{{segment}}',
			moved: '{{name}} の担当区分を変更しました（{{segments}}）。',
			none: 'なし',
			version: '版 {{version}}'
		},
		segments: {
			title: '区分の一時停止・再開・優先順',
			lead: '上の区分ほど先に世帯を受け取ります。一時停止した区分の世帯は、条件に合う次の区分に入ります。',
			order: '順',
			name: '区分',
			state: '状態',
			active: '● 有効',
			paused: '‖ 一時停止中',
			ready: '架電可能',
			claimed: '担当中',
			operators: '担当',
			actions: '操作',
			pause: '「{{name}}」を一時停止',
			resume: '「{{name}}」を再開',
			up: '「{{name}}」を「{{other}}」の上へ',
			down: '「{{name}}」を「{{other}}」の下へ',
			pausedOk: '「{{name}}」を一時停止しました。',
			resumedOk: '「{{name}}」を再開しました。',
			movedOk: '優先順を変更しました。'
		},
		claims: {
			title: '担当中の世帯（止まった担当の解除）',
			lead: 'オペレータが離席したまま、画面が応答しないなどで止まった担当を解除します。世帯はキューに戻り、オペレータの画面に通知されます。',
			none: '担当中の世帯はありません。',
			operator: 'オペレータ',
			household: '世帯',
			segment: '区分',
			since: '担当開始',
			lease: '担当期限',
			release: '{{name}} の世帯 #{{id}} を解除',
			released: '世帯 #{{id}} の担当を解除しました（{{state}}）。'
		},
		claimStates: { ready: '架電可能としてキューに戻りました', waiting: '待機としてキューに戻りました', closed: '終了', claimed: '担当中' },
		message: {
			title: 'オペレータへのメッセージ',
			lead: '受け取ったオペレータの画面に表示されます。チームはその区分に割り当てられたオペレータです。',
			target: '宛先',
			one: '一人',
			team: 'チーム（区分）',
			all: '全員',
			operator: 'オペレータ',
			segment: '区分',
			text: 'メッセージ',
			counter: '{{n}} / {{max}} 文字',
			sendOne: '{{name}} に送信',
			sendTeam: '「{{segment}}」のチーム（{{n}}人）に送信',
			sendAll: '全オペレータ（{{n}}人）に送信',
			sent: '{{n}}人に送信しました。'
		},
		targets: {
			title: '本日の目標',
			lead: '{{day}} の目標です。ウォール表示にも表示されます。',
			attempts: '架電数',
			contacts: '通話数（応答）',
			promises: '納付約束の件数',
			promisedAmount: '約束金額（円）',
			save: '目標を保存',
			saved: '目標を保存しました（版 {{version}}）。',
			notSet: 'まだ設定されていません。',
			last: '最終更新：{{who}}（{{time}}）'
		},
		thresholds: {
			title: '長時間の通話・休憩の基準',
			lead: 'この時間を超えた通話と休憩は、フロア表示で強調されます。',
			longCall: '長い通話（分）',
			longBreak: '長い休憩（分）',
			save: '基準を保存',
			saved: '基準を保存しました（版 {{version}}）。'
		},
		changes: {
			title: '本日の変更',
			none: '本日の変更はまだありません。',
			assign: '{{operator}}の担当区分を変更（追加：{{added}}／解除：{{removed}}）',
			pause: '区分「{{segment}}」を一時停止',
			resume: '区分「{{segment}}」を再開',
			reorder: '区分「{{segment}}」を「{{passing}}」の{{dir}}へ移動',
			up: '上',
			down: '下',
			release: '{{operator}}の世帯 #{{householdId}} の担当を解除',
			message: 'メッセージを送信（{{to}}、{{count}}人）：{{text}}',
			toOne: '{{name}}',
			toTeam: 'チーム「{{name}}」',
			toAll: '全員',
			targets: '{{day}} の目標を設定（架電 {{attempts}}・通話 {{contacts}}・約束 {{promises}}・{{amount}}）',
			thresholds: '基準を変更（長い通話 {{longCallMinutes}}分・長い休憩 {{longBreakMinutes}}分）',
			segment_create: '区分「{{segment}}」を作成',
			segment_update: '区分「{{segment}}」を保存（版 {{version}}）',
			rules: '架電ルールを変更（版 {{version}}）',
			someone: '（複数）',
			nothing: 'なし'
		},
		stale: {
			title: '他のSVが先に変更していたため、この操作は行われませんでした。',
			lead: '何も変更していません。現在の値を確認して、必要ならもう一度操作してください。',
			current: '現在の値',
			assignment: '{{name}} の担当区分（版 {{version}}）：{{segments}}',
			segment: '区分「{{name}}」：{{state}}（版 {{version}}）',
			order: '現在の優先順：{{order}}',
			claim: '世帯 #{{id}}：{{state}}',
			heldBy: '{{name}} が担当中',
			notHeld: '担当されていません（{{state}}）',
			targets: '架電 {{attempts}}・通話 {{contacts}}・約束 {{promises}}・{{amount}}（版 {{version}}、{{who}}）',
			thresholds: '長い通話 {{longCallMinutes}}分・長い休憩 {{longBreakMinutes}}分（版 {{version}}、{{who}}）'
		},
		toast: {
			region: 'SVからのメッセージ',
			from: '{{from}} より',
			toTeam: 'チーム「{{segment}}」宛',
			toAll: '全員宛',
			close: '閉じる'
		},
		assignmentNotice: {
			changed: '担当区分が変更されました：{{segments}}（{{by}}）',
			none: '担当区分が外されました（{{by}}）。次の世帯は配られません。',
			note: '次の世帯から適用されます。今の世帯はそのまま担当してください。',
			close: '閉じる'
		}
	},
	audit: {
		actions: {
			floor_release: '担当の解除（SV）',
			floor_message: 'オペレータへのメッセージ',
			floor_targets: '本日の目標の設定',
			floor_thresholds: '長時間の基準の変更'
		}
	},
	validation: {
		no_recipients: '{{field}}に受け取るオペレータがいません。',
		not_operator: '{{field}}は有効なオペレータではありません。',
		unknown_segment: '{{field}}に存在しない区分が含まれています。'
	}
};

export const floorEn: Messages<typeof floorJa> = {
	floor: {
		title: 'Floor controls',
		lead: 'Changes apply to everyone at once, and other supervisors’ changes show here at once. When two people change the same thing, the later save is refused and the current value is shown.',
		link: 'Floor controls',
		matrixStale: 'Another supervisor changed the segments of {{operators}} first, so nothing was saved. The table below shows the current assignments: check them and save again.',
		back: 'Back to the console',
		live: 'Other supervisors’ changes show here at once',
		refreshed: 'Updated with another supervisor’s change ({{time}})',
		who: 'Affects: {{who}}',
		board: {
			title: 'Operator assignments',
			lead: 'Drag an operator’s card to another segment’s column to move them. With the keyboard, choose an action on the card and press Apply. Effective from their next “Next household”.',
			unassigned: 'Unassigned',
			paused: 'Paused',
			ready: '{{n}} callable',
			empty: 'No operator in this column.',
			noOperators: 'No operator can be assigned.',
			action: 'Action for {{name}} (now: {{from}})',
			choose: 'Choose',
			moveTo: 'Move to “{{segment}}”',
			addTo: 'Also add to “{{segment}}”',
			remove: 'Remove from “{{segment}}”',
			apply: 'Apply',
			dropHere: 'Drop here: {{segment}}',
			moved: 'Segments of {{name}} changed ({{segments}}).',
			none: 'none',
			version: 'v{{version}}'
		},
		segments: {
			title: 'Pause, resume and order of segments',
			lead: 'Segments higher up take households first. A paused segment’s households go to the next segment whose filter they match.',
			order: 'Order',
			name: 'Segment',
			state: 'State',
			active: '● Active',
			paused: '‖ Paused',
			ready: 'Callable',
			claimed: 'Held',
			operators: 'Operators',
			actions: 'Actions',
			pause: 'Pause “{{name}}”',
			resume: 'Resume “{{name}}”',
			up: 'Move “{{name}}” above “{{other}}”',
			down: 'Move “{{name}}” below “{{other}}”',
			pausedOk: '“{{name}}” paused.',
			resumedOk: '“{{name}}” resumed.',
			movedOk: 'Order changed.'
		},
		claims: {
			title: 'Held households (release a stuck claim)',
			lead: 'Release a claim that is stuck (the operator left, their screen hangs). The household returns to the queue and the operator’s screen is told.',
			none: 'No household is held.',
			operator: 'Operator',
			household: 'Household',
			segment: 'Segment',
			since: 'Held since',
			lease: 'Lease until',
			release: 'Release household #{{id}} from {{name}}',
			released: 'Household #{{id}} released ({{state}}).'
		},
		claimStates: { ready: 'back in the queue, callable', waiting: 'back in the queue, waiting', closed: 'closed', claimed: 'held' },
		message: {
			title: 'Message to operators',
			lead: 'Shown on the receiving operators’ screens. A team is the operators assigned to a segment.',
			target: 'To',
			one: 'One operator',
			team: 'A team (segment)',
			all: 'Everyone',
			operator: 'Operator',
			segment: 'Segment',
			text: 'Message',
			counter: '{{n}} / {{max}} characters',
			sendOne: 'Send to {{name}}',
			sendTeam: 'Send to the “{{segment}}” team ({{n}})',
			sendAll: 'Send to every operator ({{n}})',
			sent: 'Sent to {{n}}.'
		},
		targets: {
			title: 'Today’s targets',
			lead: 'Targets for {{day}}. The wall display shows them too.',
			attempts: 'Calls',
			contacts: 'Contacts (answered)',
			promises: 'Promises to pay',
			promisedAmount: 'Amount promised (yen)',
			save: 'Save targets',
			saved: 'Targets saved (v{{version}}).',
			notSet: 'Not set yet.',
			last: 'Last changed by {{who}} ({{time}})'
		},
		thresholds: {
			title: 'Long calls and long breaks',
			lead: 'Calls and breaks longer than these are highlighted on the floor.',
			longCall: 'Long call (minutes)',
			longBreak: 'Long break (minutes)',
			save: 'Save thresholds',
			saved: 'Thresholds saved (v{{version}}).'
		},
		changes: {
			title: 'Today’s changes',
			none: 'No changes today yet.',
			assign: 'Segments of {{operator}} changed (added: {{added}}; removed: {{removed}})',
			pause: 'Segment “{{segment}}” paused',
			resume: 'Segment “{{segment}}” resumed',
			reorder: 'Segment “{{segment}}” moved {{dir}} “{{passing}}”',
			up: 'above',
			down: 'below',
			release: 'Household #{{householdId}} released from {{operator}}',
			message: 'Message sent ({{to}}, {{count}}): {{text}}',
			toOne: '{{name}}',
			toTeam: 'team “{{name}}”',
			toAll: 'everyone',
			targets: 'Targets for {{day}} set (calls {{attempts}}, contacts {{contacts}}, promises {{promises}}, {{amount}})',
			thresholds: 'Thresholds changed (long call {{longCallMinutes}} min, long break {{longBreakMinutes}} min)',
			segment_create: 'Segment “{{segment}}” created',
			segment_update: 'Segment “{{segment}}” saved (v{{version}})',
			rules: 'Calling rules changed (v{{version}})',
			someone: '(several)',
			nothing: 'none'
		},
		stale: {
			title: 'Another supervisor changed this first: your action was not applied.',
			lead: 'Nothing was changed. Check the current value below and act again if still needed.',
			current: 'Current value',
			assignment: 'Segments of {{name}} (v{{version}}): {{segments}}',
			segment: 'Segment “{{name}}”: {{state}} (v{{version}})',
			order: 'Current order: {{order}}',
			claim: 'Household #{{id}}: {{state}}',
			heldBy: 'held by {{name}}',
			notHeld: 'not held ({{state}})',
			targets: 'calls {{attempts}}, contacts {{contacts}}, promises {{promises}}, {{amount}} (v{{version}}, {{who}})',
			thresholds: 'long call {{longCallMinutes}} min, long break {{longBreakMinutes}} min (v{{version}}, {{who}})'
		},
		toast: {
			region: 'Messages from supervisors',
			from: 'From {{from}}',
			toTeam: 'to the “{{segment}}” team',
			toAll: 'to everyone',
			close: 'Close'
		},
		assignmentNotice: {
			changed: 'Your segments were changed: {{segments}} ({{by}})',
			none: 'You were taken off all segments ({{by}}). No further households will be given to you.',
			note: 'From your next household on; keep working on the one you have.',
			close: 'Close'
		}
	},
	audit: {
		actions: {
			floor_release: 'Claim released (supervisor)',
			floor_message: 'Message to operators',
			floor_targets: 'Day’s targets set',
			floor_thresholds: 'Long-call/break thresholds changed'
		}
	},
	validation: {
		no_recipients: 'No operator would receive this ({{field}}).',
		not_operator: '{{field}} is not an active operator.',
		unknown_segment: '{{field}} includes a segment that does not exist.'
	}
};
