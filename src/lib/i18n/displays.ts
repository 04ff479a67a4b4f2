/**
 * Messages of the wall display (big screen, display tokens) and the supervisor's page that issues and revokes
 * display tokens (issue #6), both languages side by side; merged into ja / en by index.ts (like segments.ts).
 * `displaysEn` has the type of `displaysJa`'s keys: a key missing in one language does not compile.
 */
type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };

export const displaysJa = {
	nav: { displays: 'ウォール用トークン' },
	displays: {
		title: 'ウォール表示用トークン',
		lead: '壁掛けディスプレイ用のPCは、個人のログインではなく表示用トークンでウォール表示を開きます。トークンはウォール表示だけを見られ、世帯の個人情報は表示されません。発行したURLは一度しか表示されません。不要になったら取り消してください（開いている画面もすぐに閉じます）。',
		issueTitle: '新しいトークンを発行',
		label: '名前（設置場所など）',
		labelHint: '例：2階フロア 北側モニター',
		panels: '表示するパネル（順に切り替え）',
		seconds: '1パネルの表示秒数',
		secondsHint: '5〜600秒。パネルが1つなら切り替えません。',
		issue: '発行する',
		issued: 'トークン「{{label}}」を発行しました。このURLをウォール用PCのブラウザで開いてください。URLはこの画面を離れると二度と表示されません。',
		url: 'ウォール表示のURL',
		copy: 'コピー',
		copied: 'コピーしました',
		copyFailed: 'コピーできませんでした。URLを選択してコピーしてください。',
		listTitle: '発行済みトークン',
		empty: '発行済みのトークンはありません',
		created: '発行',
		lastUsed: '最終使用',
		never: '未使用',
		status: '状態',
		live: '有効',
		revokedAt: '取消 {{at}}（{{by}}）',
		revoke: '取り消す',
		revokeConfirm: '「{{label}}」を取り消しますか？このトークンで開いている画面はすぐに閉じます。',
		revokedDone: 'トークン「{{label}}」を取り消しました。',
		setupHelp: '設置手順は運用ガイド（docs/operations.md「ウォール表示用PC」）を参照してください。',
		link: 'ウォール表示用トークン'
	},
	wall: {
		panel: { summary: '本日の実績', segments: '区分別のキュー', operators: 'オペレータの状況' },
		live: '接続中',
		stale: '確認待ち… 表示は最新ではない可能性があります',
		connecting: '接続中…',
		ended: 'このウォール表示は終了しました（トークンが取り消されたか、ログインが切れました）',
		tokenInvalid: 'このウォール表示用トークンは無効か、取り消されています。管理者に新しいURLを発行してもらってください。',
		contacts: '接触（応答）',
		amountPromised: '約束金額',
		queue: 'キュー',
		callable: '架電可能',
		windowWaiting: '時間帯待ち',
		operatorsByState: 'オペレータ',
		people: '{{n}}人',
		noSegments: '有効な区分はありません',
		noOperators: 'オペレータはいません',
		display: '表示：{{label}}',
		panelOf: 'パネル {{n}} / {{total}}',
		target: '目標 {{value}}'
	},
	audit: {
		actions: {
			display_issue: '表示用トークンの発行',
			display_list: '表示用トークンの一覧',
			display_revoke: '表示用トークンの取消',
			display_open: 'ウォール表示を開いた（トークン）',
			display_refused: '無効な表示用トークン'
		}
	}
};

export const displaysEn: Messages<typeof displaysJa> = {
	nav: { displays: 'Wall tokens' },
	displays: {
		title: 'Wall display tokens',
		lead: 'A wall PC opens the wall display with a display token instead of a person’s login. A token shows the wall display only, with no personal data of households. The URL is shown once, when it is issued. Revoke a token when it is no longer needed (screens open with it close at once).',
		issueTitle: 'Issue a new token',
		label: 'Name (e.g. where the screen is)',
		labelHint: 'e.g. 2F floor, north screen',
		panels: 'Panels to show (in turn)',
		seconds: 'Seconds per panel',
		secondsHint: '5–600 seconds. With one panel nothing rotates.',
		issue: 'Issue',
		issued: 'Token “{{label}}” issued. Open this URL in the wall PC’s browser. The URL is not shown again once you leave this page.',
		url: 'Wall display URL',
		copy: 'Copy',
		copied: 'Copied',
		copyFailed: 'Could not copy. Select the URL and copy it.',
		listTitle: 'Issued tokens',
		empty: 'No tokens issued yet',
		created: 'Issued',
		lastUsed: 'Last used',
		never: 'never',
		status: 'Status',
		live: 'Active',
		revokedAt: 'Revoked {{at}} ({{by}})',
		revoke: 'Revoke',
		revokeConfirm: 'Revoke “{{label}}”? Screens open with this token close at once.',
		revokedDone: 'Token “{{label}}” revoked.',
		setupHelp: 'See the operations guide (docs/operations.md, “Wall display PC”) for setting up a screen.',
		link: 'Wall display tokens'
	},
	wall: {
		panel: { summary: 'Today', segments: 'Queue by segment', operators: 'Operators' },
		live: 'Live',
		stale: 'Waiting for confirmation… figures may be out of date',
		connecting: 'Connecting…',
		ended: 'This wall display has ended (its token was revoked or the sign-in expired)',
		tokenInvalid: 'This wall display token is unknown or revoked. Ask a supervisor for a new URL.',
		contacts: 'Contacts (answered)',
		amountPromised: 'Amount promised',
		queue: 'Queue',
		callable: 'Callable now',
		windowWaiting: 'Waiting for window',
		operatorsByState: 'Operators',
		people: '{{n}}',
		noSegments: 'No active segments',
		noOperators: 'No operators',
		display: 'Display: {{label}}',
		panelOf: 'Panel {{n}} of {{total}}',
		target: 'Target {{value}}'
	},
	audit: {
		actions: {
			display_issue: 'Display token issued',
			display_list: 'Display tokens listed',
			display_revoke: 'Display token revoked',
			display_open: 'Wall display opened (token)',
			display_refused: 'Display token refused'
		}
	}
};
