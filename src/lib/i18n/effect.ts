/**
 * Messages of the randomized holdout (issue #8): the segment editor's field and the effect report
 * (/manager/effect), both languages; merged by index.ts.
 */
type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };

export const effectJa = {
	nav: { effect: '架電の効果' },
	validation: {
		holdout_range: '{{field}}は0〜50%で入力してください。',
		holdout_number: '{{field}}は数値（%）で入力してください。',
		holdout_precision: '{{field}}は小数第1位までで入力してください。'
	},
	holdout: {
		legend: '効果測定（対照群）',
		field: '効果測定の対照群（架電しない割合）',
		unit: '%',
		hint:
			'区分に入った世帯のうち、この割合を無作為に選んで架電しません（催告書・受電・区の業務は通常どおり）。架電した世帯と納付率・納付額を比べ、架電そのものの効果を測ります。0〜50%、空欄は0%。世帯の組（架電する・しない）は初めてこの区分に入ったときに決まり、後で割合を変えても既に決まった世帯は変わりません（新しく入る世帯にだけ適用）。',
		summary: '対照群 {{share}}%（{{since}}から）：架電しない {{heldOut}}世帯・架電する {{called}}世帯',
		none: '対照群なし',
		badge: '対照群 {{share}}%（架電しない {{heldOut}}世帯）',
		report: '効果を見る'
	},
	effect: {
		title: '架電の効果（無作為対照群との比較）',
		lead: '区分ごとに、無作為に選んで架電しなかった世帯（対照群）と架電対象の世帯の納付を比べます。両群は無作為に分けているため、差は架電そのものによる効果と読めます。世帯名などの個人情報は表示しません。',
		from: '開始日',
		to: '終了日',
		fromHint: '空欄：対照群の開始日から',
		segment: '区分',
		allSegments: '対照群のあるすべての区分',
		show: '表示',
		none: '対照群を設定した区分がありません。区分の編集で「効果測定の対照群」を設定してください。',
		window: '{{from}} 〜 {{to}}（対照群 {{share}}%、{{started}}開始）',
		arm: '群',
		called: '架電対象',
		heldOut: '対照群（架電しない）',
		difference: '差（架電対象 − 対照群）',
		households: '世帯数',
		payers: '納付世帯',
		rate: '納付率',
		amount: '納付額',
		mean: '1世帯あたり納付額',
		ci: '95%信頼区間',
		extra: '上積み推定（1世帯あたりの差×架電対象の世帯数）',
		rateHigher: '架電により納付率が {{d}} ポイント（95%信頼区間 {{lo}}〜{{hi}}）高い。',
		rateLower: '架電した世帯の納付率が {{d}} ポイント（95%信頼区間 {{lo}}〜{{hi}}）低い。',
		rateUnclear: '納付率の差は統計的に確認できない（差 {{d}} ポイント、95%信頼区間 {{lo}}〜{{hi}}）。',
		rateNoData: '比べる世帯がまだいないため、納付率の差は計算できません。',
		notStarted: 'この期間はまだ始まっていません（{{from}}から）。期間が始まり、納付の記録ができてから比べられます。',
		running: '期間の途中です（{{to}}まで）。本日 {{today}} までの納付で比べています。',
		amountHigher: '1世帯あたり納付額は {{d}} 多く（95%信頼区間 {{lo}}〜{{hi}}）、架電対象 {{n}}世帯で約 {{extra}}（{{extraLo}}〜{{extraHi}}）の上積みと推定されます。',
		amountLower: '1世帯あたり納付額は架電した世帯が {{d}} 少ない（95%信頼区間 {{lo}}〜{{hi}}）。',
		amountUnclear: '1世帯あたり納付額の差は統計的に確認できない（差 {{d}}、95%信頼区間 {{lo}}〜{{hi}}）。',
		amountNoData: '1世帯あたり納付額の差の信頼区間は計算できません（各群2世帯以上で、納付額にばらつきが必要です）。',
		formula:
			'納付率＝期間内に入金（0円を超えるもの）があった世帯÷世帯数。納付額は期間内の入金の合計（還付・訂正を差し引いた額）、入金のない世帯は0円として平均に含めます。入金日は納付日（ない場合は取込日、東京時間）。各世帯は対照群に割り付けられた日以降の入金を数えます（期間の開始日がそれより後ならその日から）。割付後に別の区分へ移った世帯も最初の群のまま数えます（意図した割付による比較）。納付率の差の信頼区間はNewcombe法（Wilsonスコア区間の組合せ）、1世帯あたり納付額の差はWelchのt区間。上積み額＝1世帯あたりの差×架電対象の世帯数。',
		bias: '架電して「つながった世帯」と「つながらなかった世帯」を比べる方法は、もともと連絡のつきやすい世帯ほど納付しやすいため効果を過大に見せます。ここでは架電するかどうかを無作為に決めた群どうしを比べます。'
	}
};

export const effectEn: Messages<typeof effectJa> = {
	nav: { effect: 'Effect of calls' },
	validation: {
		holdout_range: '{{field}} must be between 0 and 50%.',
		holdout_number: '{{field}} must be a number (percent).',
		holdout_precision: '{{field}} may have at most one decimal.'
	},
	holdout: {
		legend: 'Effect measurement (holdout)',
		field: 'Holdout for measuring the effect (share not called)',
		unit: '%',
		hint:
			'This share of the households entering the segment is chosen at random and not called (letters, inbound calls and the ward’s own work continue). Their payments are compared with the called households’ to measure what the calls themselves add. 0–50%; blank is 0%. A household’s arm (called or not) is decided the first time it enters this segment; changing the share later applies only to households that enter from then on.',
		summary: 'Holdout {{share}}% (since {{since}}): {{heldOut}} households held out, {{called}} called',
		none: 'No holdout',
		badge: 'Holdout {{share}}% ({{heldOut}} households not called)',
		report: 'See the effect'
	},
	effect: {
		title: 'Effect of calls (against a randomized holdout)',
		lead: 'Per segment, the payments of households chosen at random not to be called (the holdout) against those of the called households. The arms were formed at random, so the difference is what the calls themselves did. No personal data is shown.',
		from: 'From',
		to: 'To',
		fromHint: 'blank: since the holdout started',
		segment: 'Segment',
		allSegments: 'All segments with a holdout',
		show: 'Show',
		none: 'No segment has a holdout. Set “Holdout for measuring the effect” in a segment’s editor.',
		window: '{{from}} to {{to}} (holdout {{share}}%, started {{started}})',
		arm: 'Arm',
		called: 'Called',
		heldOut: 'Held out (not called)',
		difference: 'Difference (called − held out)',
		households: 'Households',
		payers: 'Paying households',
		rate: 'Payment rate',
		amount: 'Amount collected',
		mean: 'Per household',
		ci: '95% confidence interval',
		extra: 'Extra yen implied (difference per household × called households)',
		rateHigher: 'Calling raised the payment rate by {{d}} points (95% CI {{lo}} to {{hi}}).',
		rateLower: 'Called households had a payment rate {{d}} points lower (95% CI {{lo}} to {{hi}}).',
		rateUnclear: 'No difference in the payment rate can be established (difference {{d}} points, 95% CI {{lo}} to {{hi}}).',
		rateNoData: 'No households to compare yet: no difference in the payment rate can be computed.',
		notStarted: 'This period has not started yet (it begins {{from}}). Payments can be compared once it has begun.',
		running: 'The period is not over (it ends {{to}}): compared on payments up to today, {{today}}.',
		amountHigher: 'Called households paid {{d}} more each (95% CI {{lo}} to {{hi}}): about {{extra}} ({{extraLo}} to {{extraHi}}) more over the {{n}} called households.',
		amountLower: 'Called households paid {{d}} less each (95% CI {{lo}} to {{hi}}).',
		amountUnclear: 'No difference in the amount per household can be established (difference {{d}}, 95% CI {{lo}} to {{hi}}).',
		amountNoData: 'No interval for the amount per household (each arm needs two households and some spread in the amounts).',
		formula:
			'Payment rate = households with a payment (above ¥0) in the period ÷ households. Amount = the sum of payments in the period (net of refunds and corrections); a household without payments counts as ¥0 in the mean. A payment’s day is its payment date (else the day it was imported, Tokyo). Each household counts payments from the day it was assigned (or the period’s first day, if later). A household that moved to another segment after its assignment still counts in its arm (intention to treat). Interval for the difference of rates: Newcombe’s hybrid score method (Wilson intervals combined); for the difference of means: Welch’s t interval. Extra yen = the difference per household × the called households.',
		bias: 'Comparing households reached with those not reached overstates the effect: households that are easy to reach tend to pay anyway. Here the comparison is between arms chosen at random.'
	}
};
