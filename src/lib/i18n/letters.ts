/**
 * Messages of the reminder letters (催告書, issue #7): /letters (supervisors, staff), /operator/letters (an
 * operator's assigned batches) and /admin/letters (template and settings), both languages side by side; merged into
 * ja / en by index.ts. `lettersEn` has the type of `lettersJa`'s keys: a key missing in one language does not compile.
 */
type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };

export const lettersJa = {
	nav: { letters: '催告書', letterSetup: '催告書の設定', myLetters: '催告書の印刷' },
	letters: {
		title: '催告書（納付催告の郵送）',
		lead: '電話で連絡が取れない世帯に催告書を郵送します。候補を確認してバッチを作成すると、1世帯1ページ（A4）のPDFと宛名ラベルのCSVを作成します。印刷・封入封緘・発送をそれぞれ記録してください。PDFは発送を記録した時点、または保存期間（{{days}}日）を過ぎると削除されます。',
		candidatesTitle: '候補',
		asOf: '{{date}}時点',
		reason: {
			no_phone: '有効な電話番号なし',
			unreached: '規定回数架電しても不通'
		},
		total: '合計',
		rules: '不通の基準：前回の応答以降 {{attempts}}回以上の架電、{{slots}}つ以上の時間帯（午前・午後・夜間）。再送までの間隔：{{days}}日。',
		excludedTitle: '候補から除外（理由別）',
		excluded: {
			resolved: '完了済み',
			nothing_owed: '未納なし',
			no_address: '住所なし',
			address_flagged: '返戻により住所要確認',
			do_not_call: '架電停止中',
			handoff: '職員引継ぎ中',
			promise: '納付約束あり',
			payment: '最近の入金あり',
			pending_batch: '未発送のバッチに含まれる',
			recent_letter: '再送間隔内に送付済み'
		},
		createTitle: 'バッチを作成',
		reasons: '対象',
		limit: '最大件数',
		limitHint: '未納額の大きい順に選びます（1〜20,000件）。',
		assignedTo: '印刷するオペレータ（任意）',
		nobody: '（なし）',
		create: 'バッチを作成してPDFを作る',
		created: 'バッチ #{{id}}（{{n}}件）を作成しました。PDFを作成しています。',
		confirmCreate: '催告書 {{n}}件（PDF {{n}}ページ）のバッチを作成します。よろしいですか？',
		placeholdersTitle: '催告書の差出人・連絡先がまだ仮の値です',
		placeholders: '「{{fields}}」が初期値（〇〇区役所・〒000-0000・03-0000-0000 などの仮の値）のままです。このままでは区民に正しい問い合わせ先が届きません。管理者が「催告書の設定」（/admin/letters）でこれらの項目に区の実際の名称・住所・電話番号を入力するまで、バッチは作成できません。',
		placeholdersSetup: '催告書の設定を開く',
		batchesTitle: 'バッチ',
		none: 'バッチはまだありません。',
		col: {
			batch: 'バッチ',
			created: '作成',
			letters: '件数',
			state: '状態',
			gaiji: '外字',
			steps: '印刷・封入封緘・発送',
			assigned: '印刷担当',
			files: 'ファイル'
		},
		state: {
			generating: 'PDF作成中',
			generated: 'PDF作成済み',
			printed: '印刷済み',
			sealed: '封入封緘済み',
			mailed: '発送済み',
			failed: '失敗'
		},
		progress: '{{done}} / {{total}} 件',
		step: {
			printed: '印刷済みにする',
			sealed: '封入封緘済みにする',
			mailed: '発送済みにする'
		},
		stepDone: '{{state}}：{{at}} {{by}}',
		gaijiCount: '{{n}}件（〓を手書きで補正）',
		pdf: 'PDF',
		labelsCp932: 'ラベルCSV（Shift_JIS）',
		labelsUtf8: 'ラベルCSV（UTF-8）',
		pdfDeleted: 'PDFは削除済み',
		pdfUntil: '{{at}}まで保存',
		assign: '割り当て',
		advanced: 'バッチ #{{id}} を「{{state}}」にしました。',
		returnedTitle: '返戻（宛所不明など）',
		returnedLead: '戻ってきた催告書の整理番号を入力してください。世帯の住所に「要確認」の印が付き、確認するまで催告書の候補から外れます。',
		referenceNumber: '整理番号',
		referenceHint: '例：L-000012-00034-5（ハイフンなし・全角でも可）',
		returnedOn: '返戻日',
		returnReason: '理由',
		returnReasons: {
			unknown_address: '宛所不明',
			moved: '転居先不明',
			refused: '受取拒否',
			other: 'その他'
		},
		note: 'メモ（任意・500字まで）',
		record: '返戻を記録',
		recorded: '整理番号 {{ref}}（国保記号番号 {{nhi}}）の返戻を記録しました。住所に要確認の印を付けました。',
		returnsNone: '返戻の記録はありません。',
		nhiNumber: '国保記号番号',
		flagged: '住所要確認',
		resolvedAt: '確認済み（{{at}}）',
		resolve: '住所を確認した',
		recordedBy: '記録'
	},
	myLetters: {
		title: '催告書の印刷',
		lead: 'あなたに割り当てられた催告書のバッチです。PDFを印刷できます（ダウンロードはアクセスログに記録されます）。',
		none: '割り当てられたバッチはありません。',
		print: 'PDFを開いて印刷',
		placeholders: '催告書の文面の「{{fields}}」がまだ仮の値（〇〇区役所・03-0000-0000 など）です。印刷・発送する前にSVに確認してください（管理者が「催告書の設定」で区の実際の連絡先を入力します）。'
	},
	letterSetup: {
		title: '催告書の設定',
		templateTitle: '文面（テンプレート）',
		templateLead: '保存するたびに新しい版になります。作成済みのバッチは作成時の版を使います。右側は見本の世帯での表示です（PDFと同じ内容モデル）。',
		version: '現在の版：{{v}}（{{at}}）',
		fields: {
			letterhead: 'レターヘッド（区・担当課、複数行）',
			title: '表題',
			body: '本文',
			howToPay: '納付方法',
			contact: '区の問い合わせ先',
			centerName: 'センター名',
			centerPhone: 'センターの電話番号',
			centerHours: 'センターの受付時間'
		},
		save: '新しい版として保存',
		saved: '版 {{v}} を保存しました。',
		placeholder: 'まだ仮の値（〇〇・000-0000・03-0000-0000 など）です。区の実際の名称・住所・電話番号を入力して保存してください。仮の値のままでは催告書のバッチを作成できません。',
		preview: 'プレビュー（見本の世帯）',
		previewNote: '〓は外字（印字できない文字）の印です。',
		settingsTitle: '候補の条件',
		attemptsThreshold: '不通とみなす架電回数',
		distinctSlots: '必要な時間帯の数（1〜3）',
		resendIntervalDays: '再送までの間隔（日）',
		pdfKeepDays: 'PDFの保存期間（日）',
		saveSettings: '条件を保存',
		settingsSaved: '条件を保存しました。',
	},
	errors: {
		letter_placeholders: '催告書の差出人・連絡先がまだ仮の値（〇〇区役所・03-0000-0000 など）のため、バッチを作成できません。管理者が「催告書の設定」（/admin/letters）で「{{fields}}」に区の実際の名称・住所・電話番号を入力してください。'
	},
	validation: {
		reference_format: '{{field}}の形が違います。催告書に印字された L-000012-00034-5 の形（英字L・数字6桁・5桁・1桁）で入力してください。',
		reference_check_digit: '{{field}}の最後の数字（チェック数字）が合いません。打ち間違いがないか、封筒の番号をもう一度確認してください。',
		reference_unknown: '整理番号 {{ref}} の催告書は見つかりません。封筒の番号をもう一度確認してください。',
		return_recorded_already: '整理番号 {{ref}} の返戻は既に記録されています（未確認の返戻の一覧にあります）。',
		future_date: '{{field}}に未来の日付は指定できません。',
		no_candidates: '{{field}}に当てはまる候補の世帯がありません（未発送のバッチに含まれる世帯は除きます）。'
	},
	audit: {
		actions: {
			letter_generate: '催告書の作成',
			letter_download: '催告書のダウンロード',
			letter_state: '催告書バッチの状態変更',
			letter_returned: '催告書の返戻',
			letter_configure: '催告書の設定変更'
		}
	}
};

export const lettersEn: Messages<typeof lettersJa> = {
	nav: { letters: 'Letters', letterSetup: 'Letter setup', myLetters: 'Print letters' },
	letters: {
		title: 'Reminder letters (催告書)',
		lead: 'Households the center cannot reach by phone get a letter. Check the candidates and create a batch: kansho makes one PDF (one A4 page per household) and an address-label CSV. Record printing, sealing and mailing. The PDF is deleted when the batch is mailed or after {{days}} days.',
		candidatesTitle: 'Candidates',
		asOf: 'as of {{date}}',
		reason: {
			no_phone: 'No valid phone number',
			unreached: 'Not reached after the set number of calls'
		},
		total: 'Total',
		rules: 'Not reached: {{attempts}} or more calls since the last answer, in {{slots}} or more time slots (morning, afternoon, evening). Re-send after {{days}} days.',
		excludedTitle: 'Left out (by reason)',
		excluded: {
			resolved: 'Resolved',
			nothing_owed: 'Owes nothing',
			no_address: 'No address',
			address_flagged: 'Address flagged (returned mail)',
			do_not_call: 'Do not call',
			handoff: 'Handed off to ward staff',
			promise: 'Open promise to pay',
			payment: 'Paid recently',
			pending_batch: 'In a batch not mailed yet',
			recent_letter: 'Letter sent within the re-send interval'
		},
		createTitle: 'Create a batch',
		reasons: 'Include',
		limit: 'At most',
		limitHint: 'Largest arrears first (1–20,000 letters).',
		assignedTo: 'Operator who prints it (optional)',
		nobody: '(nobody)',
		create: 'Create the batch and its PDF',
		created: 'Batch #{{id}} ({{n}} letters) created. Making the PDF.',
		confirmCreate: 'Create a batch of {{n}} letters (a PDF of {{n}} pages)?',
		placeholdersTitle: 'The letters’ sender and contact details are still placeholders',
		placeholders: '“{{fields}}” still hold the installed placeholders (〇〇区役所, 〒000-0000, 03-0000-0000 …), so residents would not learn whom to contact. No batch can be created until an administrator enters the ward’s real name, address and phone numbers in these fields on Letter setup (/admin/letters).',
		placeholdersSetup: 'Open Letter setup',
		batchesTitle: 'Batches',
		none: 'No batches yet.',
		col: {
			batch: 'Batch',
			created: 'Created',
			letters: 'Letters',
			state: 'State',
			gaiji: 'Non-standard characters (外字)',
			steps: 'Printed, sealed, mailed',
			assigned: 'Prints',
			files: 'Files'
		},
		state: {
			generating: 'Making the PDF',
			generated: 'PDF ready',
			printed: 'Printed',
			sealed: 'Sealed',
			mailed: 'Mailed',
			failed: 'Failed'
		},
		progress: '{{done}} / {{total}}',
		step: {
			printed: 'Mark printed',
			sealed: 'Mark sealed',
			mailed: 'Mark mailed'
		},
		stepDone: '{{state}}: {{at}} {{by}}',
		gaijiCount: '{{n}} (write 〓 in by hand)',
		pdf: 'PDF',
		labelsCp932: 'Labels CSV (Shift_JIS)',
		labelsUtf8: 'Labels CSV (UTF-8)',
		pdfDeleted: 'PDF deleted',
		pdfUntil: 'kept until {{at}}',
		assign: 'Assign',
		advanced: 'Batch #{{id}} is now “{{state}}”.',
		returnedTitle: 'Returned mail (unknown address …)',
		returnedLead: 'Type the reference number of a letter that came back. The household’s address is flagged for staff and it gets no letters until someone checks it.',
		referenceNumber: 'Reference number',
		referenceHint: 'e.g. L-000012-00034-5 (hyphens and full-width digits are fine)',
		returnedOn: 'Returned on',
		returnReason: 'Reason',
		returnReasons: {
			unknown_address: 'Unknown address',
			moved: 'Moved, no forwarding address',
			refused: 'Refused',
			other: 'Other'
		},
		note: 'Note (optional, up to 500 characters)',
		record: 'Record returned mail',
		recorded: 'Returned mail {{ref}} (NHI {{nhi}}) recorded. The address is flagged.',
		returnsNone: 'No returned mail recorded.',
		nhiNumber: 'NHI number',
		flagged: 'Address to check',
		resolvedAt: 'Checked ({{at}})',
		resolve: 'Address checked',
		recordedBy: 'Recorded'
	},
	myLetters: {
		title: 'Print letters',
		lead: 'Letter batches assigned to you. You may print their PDF (each download is written to the access log).',
		none: 'No batches are assigned to you.',
		print: 'Open the PDF to print',
		placeholders: '“{{fields}}” of the letter text are still placeholders (〇〇区役所, 03-0000-0000 …). Ask your supervisor before printing or mailing (an administrator enters the ward’s real contact details on Letter setup).'
	},
	letterSetup: {
		title: 'Letter setup',
		templateTitle: 'Text (template)',
		templateLead: 'Every save is a new version; batches keep the version they were made with. The preview shows a sample household (the same content model as the PDF).',
		version: 'Current version: {{v}} ({{at}})',
		fields: {
			letterhead: 'Letterhead (ward, department; several lines)',
			title: 'Title',
			body: 'Body',
			howToPay: 'How to pay',
			contact: 'Ward contact',
			centerName: 'Center name',
			centerPhone: 'Center phone',
			centerHours: 'Center hours'
		},
		save: 'Save as a new version',
		saved: 'Version {{v}} saved.',
		placeholder: 'Still a placeholder (〇〇, 000-0000, 03-0000-0000 …). Enter the ward’s real name, address and phone number and save: no letter batch can be made with placeholders.',
		preview: 'Preview (printed in Japanese)',
		previewNote: 'A sample household, with the letter’s words as they print. 〓 marks a 外字 (a character that cannot be printed).',
		settingsTitle: 'Candidate rules',
		attemptsThreshold: 'Calls before “not reached”',
		distinctSlots: 'Time slots needed (1–3)',
		resendIntervalDays: 'Days before re-sending',
		pdfKeepDays: 'Days a PDF is kept',
		saveSettings: 'Save the rules',
		settingsSaved: 'Rules saved.',
	},
	errors: {
		letter_placeholders: 'The letters’ sender and contact details are still placeholders (〇〇区役所, 03-0000-0000 …), so no batch can be created. An administrator must enter the ward’s real name, address and phone numbers in “{{fields}}” on Letter setup (/admin/letters).'
	},
	validation: {
		reference_format: '{{field}} is not in the form printed on the letter: L-000012-00034-5 (L, then 6, 5 and 1 digits).',
		reference_check_digit: 'The last digit of the {{field}} (its check digit) does not match. Check the number on the envelope for a typing mistake.',
		reference_unknown: 'No letter has the reference number {{ref}}. Check the number on the envelope.',
		return_recorded_already: 'Returned mail for {{ref}} is recorded already (it is in the list of returns not yet checked).',
		future_date: '{{field}} may not be in the future.',
		no_candidates: 'No household is a candidate for the {{field}} ticked (households in a batch not mailed yet are left out).'
	},
	audit: {
		actions: {
			letter_generate: 'Letter made',
			letter_download: 'Letters downloaded',
			letter_state: 'Letter batch state changed',
			letter_returned: 'Returned letter',
			letter_configure: 'Letter settings changed'
		}
	}
};
