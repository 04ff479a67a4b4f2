/**
 * Messages of staff handoffs (職員引継ぎ, issue #7): the staff queue (/staff), a handoff's page, the SLA targets
 * (/supervisor/handoff-sla), the console's panel, the operator's view of the staff instruction. Both languages side
 * by side; merged into ja / en by index.ts. `handoffsEn` has the type of `handoffsJa`'s keys.
 */
type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };

export const handoffsJa = {
	handoffs: {
		title: '引継ぎ一覧',
		lead: '架電センターから区職員への引継ぎです。対応目標（営業日）を過ぎた未連絡の引継ぎは赤で表示します。',
		live: '他の職員の変更をすぐに反映します',
		updated: '他の職員が引継ぎを更新しました。一覧を更新しました。',
		empty: '条件に合う引継ぎはありません',
		states: { new: '未着手', in_progress: '対応中', resolved: '対応完了', returned: 'センターへ差戻し' },
		stateFilter: { open: '未完了（未着手・対応中）', all: 'すべて', new: '未着手', in_progress: '対応中', resolved: '対応完了', returned: 'センターへ差戻し' },
		assigneeFilter: { any: '全員（自分と未割当）', unassigned: '未割当', mine: '自分の担当' },
		sortBy: { age: '経過時間（古い順）', due: '対応期限（近い順）' },
		filter: { state: '状態', reason: '理由', anyReason: 'すべての理由', assignee: '担当', overdue: '期限超過のみ', sort: '並び順', apply: '表示' },
		col: { nhi: '国保記号番号', payer: '納付義務者', reason: '理由', state: '状態', assignee: '担当', created: '登録', age: '経過', due: '対応期限', callback: '希望連絡時間帯' },
		unassigned: '未割当',
		overdue: '期限超過',
		contacted: '連絡済',
		open: '開く',
		count: '{{count}}件',
		limit: '最大{{limit}}件まで表示しています。条件を絞ってください。',
		detail: {
			title: '引継ぎ #{{id}}',
			back: '一覧へ戻る',
			handoff: '引継ぎ内容',
			reason: '理由',
			state: '状態',
			createdBy: '引継いだオペレータ',
			created: '登録日時',
			operatorNote: 'オペレータのメモ',
			callback: '希望連絡時間帯',
			noCallback: '指定なし',
			due: '対応期限',
			firstContact: '初回連絡',
			assignee: '担当',
			call: 'オペレータの応対記録',
			callAt: '通話日時',
			outcome: '応答区分',
			dialed: '架電番号',
			callNote: '会話記録',
			household: '世帯情報（職員の閲覧範囲）',
			history: '経過',
			resolution: '対応結果',
			instruction: 'オペレータへの指示',
			version: '版 {{version}}'
		},
		kinds: { created: '登録', assigned: '割当', taken: '着手', note: 'メモ', contact: '住民に連絡', resolved: '対応完了', returned: 'センターへ差戻し', migrated: '移行' },
		actions: {
			take: 'この引継ぎを担当する',
			assign: '担当者を変更',
			assignTo: '担当者',
			toPool: '未割当に戻す',
			note: 'メモを追加',
			noteLabel: 'メモ',
			contacted: '住民に連絡した（対応目標の達成）',
			resolve: '対応完了にする',
			resolveCode: '対応結果',
			resolveText: '対応内容',
			return: 'センターへ差し戻す',
			instruction: 'オペレータへの指示（次回架電時に表示）',
			choose: '選択してください',
			closed: 'この引継ぎは完了しています。'
		},
		done: { take: '担当しました。', assign: '担当者を変更しました。', note: 'メモを追加しました。', resolve: '対応完了にしました。', return: 'センターへ差し戻しました。世帯は架電キューに戻ります。' },
		stale: {
			changed: '他の職員が先にこの引継ぎを変更していたため、保存しませんでした（何も変更していません）。現在の状態: {{status}}、担当: {{assignee}}。',
			taken_by_other: '他の職員がこの引継ぎを担当しているため、操作できません（何も変更していません）。',
			closed: 'この引継ぎは既に完了しています（何も変更していません）。',
			not_taken: '先に「この引継ぎを担当する」を押してください。'
		},
		resolutions: {
			installment_agreed: '分納誓約',
			reduction_applied: '減免・軽減の申請受付',
			paid: '納付確認',
			referred: '福祉等の窓口へつないだ',
			complaint_handled: '苦情対応済み',
			resume_calls: '対応済み・架電再開',
			other: 'その他'
		},
		resumeNote: '「対応済み・架電再開」以外の対応結果では、世帯は架電されません。オペレータに伝えることがある場合は「センターへ差し戻す」を使ってください。',
		sla: {
			title: '引継ぎの対応目標',
			lead: '理由ごとに、引継ぎから住民へ連絡するまでの目標を営業日で設定します（土日・祝日・年末年始 12/29〜1/3 は数えません）。変更は対応中の引継ぎの期限にも反映されます。',
			reason: '理由',
			days: '営業日',
			updated: '最終更新',
			save: '保存',
			saved: '{{reason}}の対応目標を{{days}}営業日にしました（対応中{{count}}件の期限を再計算）。',
			link: '引継ぎの対応目標'
		},
		panel: {
			title: '職員引継ぎ（未完了）',
			reason: '理由',
			open: '未完了',
			untaken: '未着手',
			overdue: '期限超過',
			oldest: '最長経過',
			mean: '平均経過',
			total: '合計'
		},
		operator: {
			instruction: '区職員からの指示',
			from: '{{by}}（{{at}}）',
			form: {
				callbackWindow: '住民の希望連絡時間帯（任意）',
				callbackDate: '日付',
				callbackFrom: '開始',
				callbackUntil: '終了'
			}
		}
	},
	errors: {
		handoff_changed: '他の職員が先にこの引継ぎを変更しました。何も変更していません。'
	},
	audit: {
		actions: {
			handoff_take: '引継ぎの担当',
			handoff_assign: '引継ぎの担当者変更',
			handoff_note: '引継ぎへのメモ',
			handoff_resolve: '引継ぎの対応完了',
			handoff_return: '引継ぎのセンター差戻し',
			handoff_sla: '引継ぎ対応目標の変更'
		}
	},
	nav: { handoffSla: '引継ぎ目標' },
	operator: { problems: { order: '終了は開始より後にしてください' } }
};

export const handoffsEn: Messages<typeof handoffsJa> = {
	handoffs: {
		title: 'Handoffs',
		lead: 'Households the call center handed to ward staff. Handoffs past their target (working days) without a contact are shown in red.',
		live: 'Other staff members’ changes show at once',
		updated: 'Another staff member updated a handoff. The list was reloaded.',
		empty: 'No handoffs match',
		states: { new: 'New', in_progress: 'In progress', resolved: 'Resolved', returned: 'Returned to the center' },
		stateFilter: { open: 'Open (new, in progress)', all: 'All', new: 'New', in_progress: 'In progress', resolved: 'Resolved', returned: 'Returned to the center' },
		assigneeFilter: { any: 'Anyone (mine and unassigned)', unassigned: 'Unassigned', mine: 'Mine' },
		sortBy: { age: 'Age (oldest first)', due: 'Due (soonest first)' },
		filter: { state: 'State', reason: 'Reason', anyReason: 'Any reason', assignee: 'Assignee', overdue: 'Overdue only', sort: 'Sort', apply: 'Show' },
		col: { nhi: 'NHI number', payer: 'Payer', reason: 'Reason', state: 'State', assignee: 'Assignee', created: 'Made', age: 'Age', due: 'Due', callback: 'Callback window' },
		unassigned: 'Unassigned',
		overdue: 'Overdue',
		contacted: 'Contacted',
		open: 'Open',
		count: '{{count}} handoffs',
		limit: 'Showing at most {{limit}}. Narrow the filters.',
		detail: {
			title: 'Handoff #{{id}}',
			back: 'Back to the list',
			handoff: 'The handoff',
			reason: 'Reason',
			state: 'State',
			createdBy: 'Handed off by',
			created: 'Made',
			operatorNote: 'Operator’s note',
			callback: 'Callback window',
			noCallback: 'None given',
			due: 'Due',
			firstContact: 'First contact',
			assignee: 'Assignee',
			call: 'The operator’s call record',
			callAt: 'Call',
			outcome: 'Outcome',
			dialed: 'Number dialled',
			callNote: 'Conversation record',
			household: 'Household (as staff may see it)',
			history: 'History',
			resolution: 'Resolution',
			instruction: 'Instruction for operators',
			version: 'version {{version}}'
		},
		kinds: { created: 'Made', assigned: 'Assigned', taken: 'Taken', note: 'Note', contact: 'Resident contacted', resolved: 'Resolved', returned: 'Returned to the center', migrated: 'Migrated' },
		actions: {
			take: 'Take this handoff',
			assign: 'Change assignee',
			assignTo: 'Assignee',
			toPool: 'Back to the pool (unassigned)',
			note: 'Add note',
			noteLabel: 'Note',
			contacted: 'I reached the resident (meets the target)',
			resolve: 'Resolve',
			resolveCode: 'Resolution',
			resolveText: 'What was done',
			return: 'Return to the call center',
			instruction: 'Instruction for operators (shown on their next call)',
			choose: 'Choose',
			closed: 'This handoff is closed.'
		},
		done: { take: 'You took the handoff.', assign: 'Assignee changed.', note: 'Note added.', resolve: 'Resolved.', return: 'Returned to the center. The household goes back to the call queue.' },
		stale: {
			changed: 'Another staff member changed this handoff first, so nothing was saved. It is now: {{status}}, assignee: {{assignee}}.',
			taken_by_other: 'Another staff member has this handoff: nothing was changed.',
			closed: 'This handoff is closed already: nothing was changed.',
			not_taken: 'Take the handoff first.'
		},
		resolutions: {
			installment_agreed: 'Installment plan agreed',
			reduction_applied: 'Reduction application received',
			paid: 'Payment confirmed',
			referred: 'Referred to welfare or another office',
			complaint_handled: 'Complaint handled',
			resume_calls: 'Done, calls may resume',
			other: 'Other'
		},
		resumeNote: 'With any resolution but “Done, calls may resume” the household is not called. To tell operators something, return the handoff to the center instead.',
		sla: {
			title: 'Handoff targets',
			lead: 'Per reason, the target from handoff to contacting the resident, in working days (weekends, national holidays and the year-end closure 12/29–1/3 do not count). A change also moves the due time of open handoffs.',
			reason: 'Reason',
			days: 'Working days',
			updated: 'Last changed',
			save: 'Save',
			saved: 'The target for {{reason}} is now {{days}} working days ({{count}} open handoffs recomputed).',
			link: 'Handoff targets'
		},
		panel: {
			title: 'Staff handoffs (open)',
			reason: 'Reason',
			open: 'Open',
			untaken: 'New',
			overdue: 'Overdue',
			oldest: 'Oldest',
			mean: 'Mean age',
			total: 'Total'
		},
		operator: {
			instruction: 'Instruction from ward staff',
			from: '{{by}} ({{at}})',
			form: {
				callbackWindow: 'When the resident wants the ward to call (optional)',
				callbackDate: 'Date',
				callbackFrom: 'From',
				callbackUntil: 'Until'
			}
		}
	},
	errors: {
		handoff_changed: 'Another staff member changed this handoff first. Nothing was changed.'
	},
	audit: {
		actions: {
			handoff_take: 'Handoff taken',
			handoff_assign: 'Handoff assigned',
			handoff_note: 'Handoff note',
			handoff_resolve: 'Handoff resolved',
			handoff_return: 'Handoff returned to the center',
			handoff_sla: 'Handoff target changed'
		}
	},
	nav: { handoffSla: 'Handoff targets' },
	operator: { problems: { order: 'The end must be after the start' } }
};
