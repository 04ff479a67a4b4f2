/**
 * Training scenarios (研修シナリオ, issue #9) and the scoring of a trainee's handling of one, pure. A trainer plays
 * the resident (reads the lines), the trainee works the training desk as on a real call, and the trainee's recorded
 * actions (outcome, party, promise, handoff, number marked wrong, script language, note) together with what the
 * trainer observed (named the center, disclosed to a third party, asked for an ATM operation, confirmed identity)
 * are scored against the expected handling, with feedback in Japanese and English.
 *
 * No I/O and no zod: the training pages import this module in the browser (zod's eval probe trips the strict CSP,
 * see training-kinds.ts).
 *
 * The resident lines are content read aloud: like the talk scripts, the foreign-language lines should be reviewed by
 * the ward's interpreters before use.
 */
import { partiesFor, promiseProblems, PROMISE_HORIZON_DAYS, type HandoffReason, type OutcomeKind, type Party } from './outcomes.ts';
import type { ScriptLanguage } from './talk-scripts.ts';

export const scenarioKinds = ['promise', 'refusal', 'installment', 'third_party', 'wrong_number', 'foreign'] as const;
export type ScenarioKind = (typeof scenarioKinds)[number];

/** One thing the trainer (playing the resident) says. */
export interface ResidentLine {
	ja: string;
	en: string;
	/** the line in the resident's language when it is not ja (what the trainer reads out) */
	native?: string;
}

export interface TrainingScenario {
	/** stable id: 'promise', 'refusal', 'installment', 'third_party', 'wrong_number', 'foreign_en' … 'foreign_ko' */
	code: string;
	kind: ScenarioKind;
	/** the household's preferred language ('ja' except foreign_*): the talk script the trainee should open */
	language: ScriptLanguage;
	titleJa: string;
	titleEn: string;
	/** for the trainer: who they play and how (a few sentences) */
	briefJa: string;
	briefEn: string;
	/** what the trainer (playing the resident) says, in order */
	lines: ResidentLine[];
	/** the expected handling, in words, shown as feedback after scoring */
	expectedJa: string;
	expectedEn: string;
}

/** The languages a foreign resident may prefer in the scenarios (every non-Japanese talk-script language). */
export const foreignLanguages = ['en', 'vi', 'zh', 'ne', 'ko'] as const satisfies readonly ScriptLanguage[];
export type ForeignLanguage = (typeof foreignLanguages)[number];

/** Names of the script languages, for the texts and the feedback. */
export const languageNames: Record<ScriptLanguage, { ja: string; en: string }> = {
	ja: { ja: '日本語', en: 'Japanese' },
	en: { ja: '英語', en: 'English' },
	vi: { ja: 'ベトナム語', en: 'Vietnamese' },
	zh: { ja: '中国語', en: 'Chinese' },
	ko: { ja: '韓国語', en: 'Korean' },
	ne: { ja: 'ネパール語', en: 'Nepali' }
};

const commonExpectedJa = '冒頭でセンター名を名乗る。ATMの操作や振込は決して求めない。応対記録を残す。';
const commonExpectedEn = 'Name the center at the start. Never ask for an ATM operation or a transfer. Write the conversation record.';

/**
 * The foreign resident's lines in each language: the resident asks for their language, then (once spoken to in it)
 * promises to pay. ja and en say what the native line means, for the trainer.
 */
const foreignLines: Record<ForeignLanguage, string[]> = {
	en: [
		"Hello? Sorry, I don't understand Japanese well. Can you speak English?",
		'Yes, I am ○○. … The health insurance? I got a letter, but I could not read it.',
		'I see. I will pay the full amount at a convenience store next Monday.',
		'Thank you for explaining in English.'
	],
	vi: [
		'A lô? Xin lỗi, tôi không hiểu tiếng Nhật lắm. Anh/chị có nói được tiếng Việt không?',
		'Vâng, tôi là ○○. … Bảo hiểm y tế ạ? Tôi có nhận được thư nhưng không đọc được.',
		'Tôi hiểu rồi. Thứ Hai tuần sau tôi sẽ trả toàn bộ ở cửa hàng tiện lợi.',
		'Cảm ơn anh/chị đã giải thích bằng tiếng Việt.'
	],
	zh: [
		'喂？对不起，我日语不太好。您会说中文吗？',
		'是的，我是○○。……健康保险？我收到了信，但是看不懂。',
		'我明白了。下周一我去便利店全额缴纳。',
		'谢谢您用中文给我解释。'
	],
	ne: [
		'हेलो? माफ गर्नुहोस्, मलाई जापानी भाषा राम्रोसँग आउँदैन। के तपाईं नेपाली बोल्न सक्नुहुन्छ?',
		'हो, म ○○ हुँ। … स्वास्थ्य बीमा? मलाई चिठी आएको थियो तर पढ्न सकिनँ।',
		'बुझेँ। अर्को सोमबार म कन्भिनियन्स स्टोरमा पूरै रकम तिर्छु।',
		'नेपालीमा बुझाइदिनुभएकोमा धन्यवाद।'
	],
	ko: [
		'여보세요? 죄송한데 일본어를 잘 못해요. 한국어 하실 수 있어요?',
		'네, 제가 ○○입니다. …… 건강보험이요? 편지는 받았는데 읽을 수가 없었어요.',
		'알겠습니다. 다음 주 월요일에 편의점에서 전액 낼게요.',
		'한국어로 설명해 주셔서 감사합니다.'
	]
};

function foreignScenario(language: ForeignLanguage): TrainingScenario {
	const name = languageNames[language];
	const native = foreignLines[language];
	return {
		code: `foreign_${language}`,
		kind: 'foreign',
		language,
		titleJa: `外国籍の世帯（${name.ja}）`,
		titleEn: `A foreign resident (${name.en})`,
		briefJa:
			`あなたは${name.ja}を話す外国籍の世帯主（納付義務者本人）です。日本語はほとんどわかりません。` +
			`オペレーターが日本語で話し続ける間は「すみません、日本語、わかりません」とだけ繰り返してください。` +
			`${name.ja}で話しかけられたら（トークスクリプトの${name.ja}版）、${name.ja}のセリフを読み、来週の月曜日にコンビニで全額を払うと約束してください。`,
		briefEn:
			`You are a foreign head of household (the payer) who speaks ${name.en} and hardly any Japanese. ` +
			`While the operator keeps to Japanese, only repeat "Sorry, no Japanese" (すみません、日本語、わかりません). ` +
			`Once spoken to in ${name.en} (the ${name.en} talk script), read the ${name.en} lines and promise to pay the full amount at a convenience store next Monday.`,
		lines: [
			{ ja: `もしもし？すみません、日本語はよくわかりません。${name.ja}は話せますか。`, en: `Hello? Sorry, I don't understand Japanese well. Can you speak ${name.en}?`, native: native[0] },
			{ ja: 'はい、○○です。……健康保険ですか？手紙は届きましたが、読めませんでした。', en: 'Yes, I am ○○. … The health insurance? I got a letter, but I could not read it.', native: native[1] },
			{ ja: 'わかりました。来週の月曜日に、コンビニで全額払います。', en: 'I see. I will pay the full amount at a convenience store next Monday.', native: native[2] },
			{ ja: `${name.ja}で説明してくれてありがとうございます。`, en: `Thank you for explaining in ${name.en}.`, native: native[3] }
		],
		expectedJa:
			`世帯の希望言語（${name.ja}）のトークスクリプトを開いて話す。滞納の話の前にご本人確認をする。` +
			`「40 納付約束」（相手：本人）で記録し、約束の金額（滞納額以内）と日付（来週の月曜日：過去でなく${PROMISE_HORIZON_DAYS}日以内）を入れる。` +
			commonExpectedJa,
		expectedEn:
			`Open the talk script in the household's language (${name.en}) and speak it. Confirm you are speaking to the payer before talking about the debt. ` +
			`Record "40 Promise to pay" (party: the payer) with the amount (no more than owed) and the date (next Monday: not past, within ${PROMISE_HORIZON_DAYS} days). ` +
			commonExpectedEn
	};
}

/** The scenarios the issue lists: promise, refusal, instalments, a family member, a wrong number, five languages. */
export const trainingScenarios: readonly TrainingScenario[] = [
	{
		code: 'promise',
		kind: 'promise',
		language: 'ja',
		titleJa: '納付を約束する世帯',
		titleEn: 'A household that promises to pay',
		briefJa:
			'あなたは世帯主（納付義務者本人）です。通知は届いていたものの、うっかり払い忘れていたという設定です。' +
			'オペレーターが名乗り、ご本人確認をしてから用件を話したら、素直に応じて「来週の金曜日にコンビニで全額払う」と約束してください。',
		briefEn:
			'You are the head of household (the payer). You received the notice but simply forgot to pay. ' +
			'Once the operator has introduced themselves and confirmed who you are, cooperate and promise to pay the full amount at a convenience store next Friday.',
		lines: [
			{ ja: 'はい、○○です。', en: 'Hello, ○○ speaking.' },
			{ ja: 'はい、本人です。……ああ、保険料のことですね。通知は来ていたんですが、うっかりしていました。', en: 'Yes, speaking. … Oh, the premiums. I did get the notice, I just forgot.' },
			{ ja: '納付書はまだ手元にあります。来週の金曜日に、コンビニで全額払います。', en: 'I still have the payment slip. I will pay the full amount at a convenience store next Friday.' },
			{ ja: 'わかりました。わざわざありがとうございました。', en: 'All right. Thank you for calling.' }
		],
		expectedJa:
			'滞納の話の前にご本人確認をする。「40 納付約束」（相手：本人）で記録し、約束の金額（滞納額以内）と日付（来週の金曜日：過去でなく' +
			`${PROMISE_HORIZON_DAYS}日以内）を入れる。支払いは納付書で案内する。` +
			commonExpectedJa,
		expectedEn:
			'Confirm you are speaking to the payer before talking about the debt. Record "40 Promise to pay" (party: the payer) with the amount (no more than owed) and the date ' +
			`(next Friday: not past, within ${PROMISE_HORIZON_DAYS} days). Point to the payment slip for paying. ` +
			commonExpectedEn
	},
	{
		code: 'refusal',
		kind: 'refusal',
		language: 'ja',
		titleJa: '納付を拒否する世帯',
		titleEn: 'A household that refuses to pay',
		briefJa:
			'あなたは世帯主（納付義務者本人）です。国民健康保険料が高すぎると不満を持っており、払うつもりはありません。' +
			'オペレーターが約束を取ろうと食い下がっても応じず、最後は自分から電話を切ろうとしてください。声を荒げる必要はありません。',
		briefEn:
			'You are the head of household (the payer). You find the premiums far too high and do not intend to pay. ' +
			'Do not give in if the operator presses for a promise, and end by wanting to hang up. No need to shout.',
		lines: [
			{ ja: 'はい、○○ですけど。', en: 'Yes, this is ○○.' },
			{ ja: '……ええ、本人です。保険料？病院なんてほとんど行かないのに、なんであんなに高いんですか。', en: '… Yes, speaking. The premiums? I hardly ever see a doctor, why are they so high?' },
			{ ja: '払うつもりはありません。何度電話をもらっても同じですから。', en: 'I am not going to pay. It will be the same however many times you call.' },
			{ ja: 'もういいですか。切りますよ。', en: 'Are we done? I am hanging up.' }
		],
		expectedJa:
			'滞納の話の前にご本人確認をする。不満は否定せずに受け止め、無理に約束を取らない。「42 拒否」（相手：本人）で記録し、' +
			'理由（保険料が高い、ほとんど受診しない）を応対記録に残す。苦情として職員に引き継ぐ（50・苦情）のも誤りではないが、期待される記録は拒否。' +
			commonExpectedJa,
		expectedEn:
			'Confirm you are speaking to the payer before talking about the debt. Acknowledge the complaint without arguing and do not force a promise. ' +
			'Record "42 Refuses" (party: the payer) and the reason (premiums too high, hardly sees a doctor) in the record. A handoff as a complaint (50, complaint) ' +
			'is not wrong, but a refusal is the expected record. ' +
			commonExpectedEn
	},
	{
		code: 'installment',
		kind: 'installment',
		language: 'ja',
		titleJa: '分割納付を希望する世帯',
		titleEn: 'A household that asks for instalments',
		briefJa:
			'あなたは世帯主（納付義務者本人）です。先月失業し、一括では払えません。分割にしてほしいと頼み、' +
			'最後に「月五千円で今月から、ということでいいですね」とオペレーターに同意を求めてください（オペレーターは分割を約束できません）。',
		briefEn:
			'You are the head of household (the payer). You lost your job last month and cannot pay in one go. Ask for instalments, ' +
			'and at the end press the operator to agree to "5,000 yen a month from this month" (operators may not agree instalment plans).',
		lines: [
			{ ja: 'はい、○○です。', en: 'Hello, ○○ speaking.' },
			{ ja: 'はい、私です。……すみません、先月仕事を辞めてしまって、一度に全部はとても払えないんです。', en: 'Yes, that is me. … I am sorry, I lost my job last month and I really cannot pay it all at once.' },
			{ ja: '分割にしてもらうことはできませんか。毎月五千円くらいなら何とかなります。', en: 'Could I pay in instalments? I could manage about 5,000 yen a month.' },
			{ ja: 'じゃあ、月五千円で今月から払う、ということでいいですね。', en: 'So, 5,000 yen a month starting this month, that is settled then?' }
		],
		expectedJa:
			'滞納の話の前にご本人確認をする。分割納付はオペレーターが約束してはならない（約束を記録しない）。担当職員から連絡することを伝え、' +
			'「50 職員引継ぎ」・理由「分納相談」で引き継ぐ。事情（先月失業、月五千円なら可能）を応対記録に残す。' +
			commonExpectedJa,
		expectedEn:
			'Confirm you are speaking to the payer before talking about the debt. Operators never agree instalment plans (record no promise). Say that ward staff will ' +
			'contact them, and hand off with "50 Handoff to ward staff", reason "Instalment consultation". Write the circumstances (lost job last month, ' +
			'could manage 5,000 yen a month) in the record. ' +
			commonExpectedEn
	},
	{
		code: 'third_party',
		kind: 'third_party',
		language: 'ja',
		titleJa: '本人以外（家族）が応答',
		titleEn: 'A family member answers',
		briefJa:
			'あなたは納付義務者の妻です。夫は仕事で不在です。用件をしつこく聞き、「保険料のことですか」「いくらですか」「代わりに払います」と、' +
			'オペレーターから滞納の内容や金額を聞き出そうとしてください。教えてもらえなければ、夫に伝えると言って切ってください。',
		briefEn:
			"You are the payer's wife; he is out at work. Keep asking what the call is about — \"is it the premiums?\", \"how much?\", \"I'll pay it for him\" — " +
			'and try to get the operator to tell you about the arrears or the amount. If they will not, say you will pass the message on and hang up.',
		lines: [
			{ ja: 'はい、○○です。……主人は今仕事で出ておりますが、どういったご用件でしょうか。', en: 'Hello, ○○ residence. … My husband is out at work at the moment. What is it about?' },
			{ ja: '保険料のことですか？いくら払っていないんですか？', en: 'Is it about the insurance premiums? How much hasn\'t he paid?' },
			{ ja: '私が代わりに払っておきますから、金額を教えてください。', en: 'I will pay it for him, so just tell me the amount.' },
			{ ja: '……そうですか。では、帰ったら伝えておきます。', en: '… I see. Then I will tell him when he gets home.' }
		],
		expectedJa:
			'本人以外には滞納の内容・金額を一切伝えない（保険料の件かと聞かれても認めない）。センター名と折り返し先だけを伝え、ご本人の在宅時間を伺う。' +
			'「21 家族等応答」（相手：家族）で記録する。家族は納付義務者ではないので、約束を記録しない。' +
			commonExpectedJa,
		expectedEn:
			'Tell no one but the payer anything about the arrears or the amount (do not confirm it is about the premiums even when asked). Give only the center\'s ' +
			'name and the number to call back, and ask when the payer is at home. Record "21 Someone else answered" (party: family). The family member is not the payer: record no promise. ' +
			commonExpectedEn
	},
	{
		code: 'wrong_number',
		kind: 'wrong_number',
		language: 'ja',
		titleJa: '番号誤り',
		titleEn: 'A wrong number',
		briefJa:
			'あなたは世帯とは無関係の人です。この番号を何年も使っており、○○という人は知りません。不審がって、何の用件かを聞き出そうとしてください。',
		briefEn:
			'You have nothing to do with the household: you have had this number for years and do not know any ○○. Be suspicious and try to find out what the call is about.',
		lines: [
			{ ja: 'はい、もしもし。', en: 'Hello?' },
			{ ja: '○○さん？いえ、うちは違いますよ。', en: '○○? No, you have the wrong number.' },
			{ ja: 'この番号はもう何年も使っていますけど、そういう方はいません。', en: 'I have had this number for years, and there is nobody of that name here.' },
			{ ja: '区の窓口？本当に？何の件か言ってもらわないと信用できませんね。', en: 'The ward? Really? I can\'t believe that unless you tell me what it is about.' }
		],
		expectedJa:
			'番号誤りとわかったら、用件（保険料・滞納）は伝えずにお詫びして切る。「30 番号誤り」で記録し、次に同じ番号へかけないよう、この電話番号を誤りとしてマークする。' +
			commonExpectedJa,
		expectedEn:
			'Once it is clear the number is wrong, apologize and end the call without saying what it is about (premiums, arrears). Record "30 Wrong number" and ' +
			'mark the phone number as wrong so that nobody calls it again. ' +
			commonExpectedEn
	},
	...foreignLanguages.map(foreignScenario)
];

export function scenarioByCode(code: string): TrainingScenario | undefined {
	return trainingScenarios.find((s) => s.code === code);
}

/** A scenario's title in the reader's language (its code when unknown: an attempt of a scenario since removed). */
export function scenarioTitle(code: string, locale: string): string {
	const s = scenarioByCode(code);
	return s ? (locale === 'ja' ? s.titleJa : s.titleEn) : code;
}

/** What the trainer marked during the call; null = the trainer did not mark it (neither credit nor penalty). */
export interface TrainerObservations {
	/** the trainee named the center at the start */
	namedCenter: boolean | null;
	/** told someone other than the payer about the debt/amount */
	disclosedToThirdParty: boolean | null;
	/** asked the resident to operate an ATM or make a transfer (fraud pattern: forbidden) */
	askedAtmOrTransfer: boolean | null;
	/** confirmed they were speaking to the payer before talking about the debt */
	confirmedIdentity: boolean | null;
}

/** What the trainee recorded on the training desk, and the trainer's observations. */
export interface TraineeAttempt {
	/** two-digit code recorded, null if the trainee recorded nothing */
	outcomeCode: string | null;
	outcomeKind: OutcomeKind | null;
	party: Party | null;
	/** ISO date */
	promise: { amount: number; dueDate: string } | null;
	handoffReason: HandoffReason | null;
	/** the number was marked wrong/not in service */
	phoneMarkedWrong: boolean;
	/** language of the talk script the trainee had open when saving */
	scriptLanguage: ScriptLanguage | null;
	/**
	 * the household's language as its card showed it (null or absent: not known, the scenario's counts). A domestic
	 * scenario played on a foreign resident's household (a run without that language's scenario) expects the script
	 * the card asks for: the desk opened it, and the trainee did right to keep it.
	 */
	householdLanguage?: ScriptLanguage | null;
	/** the conversation record */
	note: string | null;
	/** the household's arrears in yen */
	owed: number;
	/** ISO date (Tokyo) of the attempt */
	today: string;
	observations: TrainerObservations;
}

export const scoreCheckIds = ['recorded', 'outcome', 'promise', 'no_promise', 'handoff', 'not_treated_as_payer', 'phone_marked', 'named_center', 'identity', 'disclosure', 'no_atm', 'note', 'language'] as const;
export type ScoreCheckId = (typeof scoreCheckIds)[number];

/**
 * One check of an attempt.
 * - `ok`: nothing against the trainee (a check the trainer did not observe is ok, with observed = false);
 * - `fatal`: this check failed and fails the whole attempt whatever the points;
 * - `observed`: false when the check rests on an observation the trainer left unmarked: then points = max = 0, so
 *   the percentage is taken over what was observed;
 * - a rule that is only a gate (no ATM request, no disclosure when the payer answered, something recorded) has
 *   max 0: it cannot earn points, only fail the attempt.
 */
export interface ScoreCheck {
	id: ScoreCheckId;
	ok: boolean;
	fatal: boolean;
	observed: boolean;
	points: number;
	max: number;
	feedbackJa: string;
	feedbackEn: string;
}

export interface ScenarioScore {
	score: number;
	max: number;
	percent: number;
	passed: boolean;
	fatal: boolean;
	checks: ScoreCheck[];
}

/** The share of the points needed to pass (and no fatal check failed). */
export const PASS_PERCENT = 70;

/**
 * Points per check. Every scenario's points add up to 100: the outcome 40, the scenario's own detail 20 (the
 * promise, no promise, the handoff, not treating a family member as the payer, the number marked wrong), and 10
 * each for naming the center, identity (or non-disclosure where the payer is not on the line), the note and the
 * script language.
 */
export const POINTS = { outcome: 40, detail: 20, namedCenter: 10, identity: 10, note: 10, language: 10 } as const;

/** A note shorter than this (in characters, trimmed) does not count as a conversation record. */
export const MIN_NOTE_LENGTH = 10;

/**
 * The seeded outcome codes (migration 00001_init): labels for the feedback, and what `partiesFor` needs to know
 * which party the desk's form forces for a code. The training schema is migrated by the same migrations, so the
 * codes are these; an administrator's relabelling does not change what the code means.
 */
const standardCodes: Record<string, { ja: string; en: string; answered: boolean; rightParty: boolean }> = {
	'10': { ja: '不在', en: 'No answer', answered: false, rightParty: false },
	'11': { ja: '留守番電話', en: 'Answering machine', answered: false, rightParty: false },
	'12': { ja: '話中', en: 'Busy', answered: false, rightParty: false },
	'20': { ja: '本人応答', en: 'Payer reached', answered: true, rightParty: true },
	'21': { ja: '家族等応答', en: 'Someone else answered', answered: true, rightParty: false },
	'30': { ja: '番号誤り', en: 'Wrong number', answered: true, rightParty: false },
	'31': { ja: '現在使われていない', en: 'Not in service', answered: false, rightParty: false },
	'40': { ja: '納付約束', en: 'Promise to pay', answered: true, rightParty: true },
	'41': { ja: '納付済み申告', en: 'Says already paid', answered: true, rightParty: true },
	'42': { ja: '拒否', en: 'Refuses', answered: true, rightParty: true },
	'50': { ja: '職員引継ぎ', en: 'Handoff to ward staff', answered: true, rightParty: true },
	'60': { ja: '架電停止', en: 'Do not call', answered: true, rightParty: false }
};

const handoffLabels: Record<HandoffReason, { ja: string; en: string }> = {
	installment: { ja: '分納相談', en: 'Instalment consultation' },
	hardship: { ja: '生活困窮', en: 'Hardship' },
	reduction: { ja: '減免・軽減', en: 'Reduction / exemption' },
	complaint: { ja: '苦情', en: 'Complaint' },
	other: { ja: 'その他', en: 'Other' }
};

const partyLabels: Record<Party, { ja: string; en: string }> = {
	self: { ja: '本人', en: 'the payer' },
	family: { ja: '家族', en: 'family' },
	other: { ja: 'その他', en: 'someone else' },
	none: { ja: 'なし', en: 'nobody' }
};

/** The outcome each kind of scenario expects: the code, and the parties that may go with it. */
export const expectedOutcomes: Record<ScenarioKind, { code: string; parties: Party[] }> = {
	promise: { code: '40', parties: ['self'] },
	refusal: { code: '42', parties: ['self'] },
	installment: { code: '50', parties: ['self'] },
	third_party: { code: '21', parties: ['family', 'other'] },
	wrong_number: { code: '30', parties: ['other'] },
	foreign: { code: '40', parties: ['self'] }
};

/** Scenarios in which the person on the line is not the payer: there, non-disclosure replaces the identity check. */
const notThePayer: readonly ScenarioKind[] = ['third_party', 'wrong_number'];

function codeLabel(code: string, lang: 'ja' | 'en'): string {
	const c = standardCodes[code];
	return c ? `${code} ${c[lang]}` : code;
}

/**
 * The party that goes with the recorded outcome: as recorded, or, when the trainee's form sent none, the one the
 * desk's form forces for that code (partiesFor offers a single choice: 'self' for a right-party code, 'other' for a
 * wrong number, 'none' for no answer).
 */
function effectiveParty(a: TraineeAttempt): Party | null {
	if (a.party) return a.party;
	const c = a.outcomeCode ? standardCodes[a.outcomeCode] : undefined;
	if (!c || !a.outcomeCode) return null;
	const offered = partiesFor({ ...c, code: a.outcomeCode });
	return offered.length === 1 ? offered[0] : null;
}

const yen = (n: number) => `${n.toLocaleString('en-US')}`;

function check(id: ScoreCheckId, ok: boolean, max: number, feedbackJa: string, feedbackEn: string, opts: { fatal?: boolean; points?: number } = {}): ScoreCheck {
	return { id, ok, fatal: !ok && (opts.fatal ?? false), observed: true, points: opts.points ?? (ok ? max : 0), max, feedbackJa, feedbackEn };
}

/** A check resting on an observation the trainer left unmarked: reported, but neither credit nor penalty. */
function notObserved(id: ScoreCheckId, whatJa: string, whatEn: string): ScoreCheck {
	return {
		id,
		ok: true,
		fatal: false,
		observed: false,
		points: 0,
		max: 0,
		feedbackJa: `未観察：トレーナーが「${whatJa}」を記録しなかったため、採点の対象外です。`,
		feedbackEn: `Not observed: the trainer did not mark "${whatEn}", so it is not scored.`
	};
}

/**
 * Rule: something must be recorded (fatal). A call the trainee ends without recording anything leaves the queue
 * not knowing what happened. A record is an outcome code, a promise, a handoff or a number marked wrong; a note alone
 * does not count (it tells the queue nothing).
 */
function recordedCheck(a: TraineeAttempt): ScoreCheck {
	const any = a.outcomeCode !== null || a.promise !== null || a.handoffReason !== null || a.phoneMarkedWrong;
	return any
		? check('recorded', true, 0, '通話の結果が記録されています。', 'The call was recorded.')
		: check(
				'recorded',
				false,
				0,
				'何も記録されていません（応答区分・約束・引継ぎ・番号誤りのいずれもなし）。通話は必ず応答区分を選んで記録します。',
				'Nothing was recorded (no outcome, promise, handoff or wrong number). Every call ends with its outcome recorded.',
				{ fatal: true }
			);
}

/**
 * Rule: the outcome the scenario expects (40 points), with the right party. Partial credit where the alternative
 * is sound but not the expected record: a refusal handed off as a complaint (50, complaint: half), a wrong number
 * recorded as not in service (31: half, the number is out of the queue either way).
 */
function outcomeCheck(s: TrainingScenario, a: TraineeAttempt): ScoreCheck {
	const exp = expectedOutcomes[s.kind];
	const max = POINTS.outcome;
	const expJa = `期待される記録は「${codeLabel(exp.code, 'ja')}」（相手：${exp.parties.map((p) => partyLabels[p].ja).join('または')}）です。`;
	const expEn = `The expected record is "${codeLabel(exp.code, 'en')}" (party: ${exp.parties.map((p) => partyLabels[p].en).join(' or ')}).`;
	if (a.outcomeCode === null) return check('outcome', false, max, `応答区分が記録されていません。${expJa}`, `No outcome was recorded. ${expEn}`);
	const party = effectiveParty(a);
	const gotJa = `「${codeLabel(a.outcomeCode, 'ja')}」（相手：${party ? partyLabels[party].ja : '未選択'}）`;
	const gotEn = `"${codeLabel(a.outcomeCode, 'en')}" (party: ${party ? partyLabels[party].en : 'not chosen'})`;
	if (a.outcomeCode === exp.code) {
		if (party !== null && exp.parties.includes(party)) return check('outcome', true, max, `${gotJa}で記録しました。期待どおりです。`, `You recorded ${gotEn}, as expected.`);
		return check('outcome', false, max, `${gotJa}で記録しました。応答区分は正しいが、相手が違います。${expJa}`, `You recorded ${gotEn}: the right outcome with the wrong party. ${expEn}`);
	}
	if (s.kind === 'refusal' && a.outcomeCode === '50' && a.handoffReason === 'complaint')
		return check('outcome', false, max, `苦情として職員に引き継ぎました。誤りではありませんが、払わないという意思は拒否として記録します。${expJa}`, `You handed off as a complaint. Not wrong, but a refusal to pay is recorded as a refusal. ${expEn}`, {
			points: max / 2
		});
	if (s.kind === 'wrong_number' && a.outcomeCode === '31')
		return check('outcome', false, max, `${gotJa}で記録しました。電話はつながり、相手が別人だと言ったので番号誤りです。${expJa}`, `You recorded ${gotEn}. The call was answered by someone else, so the number is wrong, not out of service. ${expEn}`, {
			points: max / 2
		});
	if ((s.kind === 'refusal' && (a.outcomeKind === 'promise' || a.outcomeCode === '40')) || (s.kind === 'installment' && a.outcomeCode === '40'))
		return check(
			'outcome',
			false,
			max,
			`${gotJa}で記録しました。相手は約束していません。拒否や相談の申し出を約束に置き換えて記録してはいけません。${expJa}`,
			`You recorded ${gotEn}. The resident did not promise: a refusal or a request for a consultation is not recorded as a promise. ${expEn}`
		);
	return check('outcome', false, max, `${gotJa}で記録しました。${expJa}`, `You recorded ${gotEn}. ${expEn}`);
}

/** Problems of a promise in Japanese and English, from promiseProblems (the desk's own rule) plus a date that is not a date. */
function promiseFeedback(p: { amount: number; dueDate: string }, a: TraineeAttempt): { ja: string[]; en: string[] } {
	const ja: string[] = [];
	const en: string[] = [];
	const validDate = /^\d{4}-\d{2}-\d{2}$/.test(p.dueDate) && new Date(`${p.dueDate}T00:00:00Z`).toISOString().slice(0, 10) === p.dueDate;
	const problems = validDate ? promiseProblems(p, { today: a.today, owed: a.owed }) : { ...promiseProblems(p, { today: a.today, owed: a.owed }), 'promise.dueDate': 'not a date' };
	if (problems['promise.amount']) {
		if (!Number.isInteger(p.amount) || p.amount <= 0) {
			ja.push(`金額（${p.amount}円）は1円以上の整数でなければなりません`);
			en.push(`the amount (${p.amount} yen) must be a whole number of yen above 0`);
		} else {
			ja.push(`金額（${yen(p.amount)}円）が滞納額（${yen(a.owed)}円）を超えています`);
			en.push(`the amount (${yen(p.amount)} yen) is more than is owed (${yen(a.owed)} yen)`);
		}
	}
	if (problems['promise.dueDate']) {
		if (!validDate) {
			ja.push(`日付（${p.dueDate}）が日付として正しくありません`);
			en.push(`the date (${p.dueDate}) is not a date`);
		} else if (p.dueDate < a.today) {
			ja.push(`日付（${p.dueDate}）が過去です（本日${a.today}）`);
			en.push(`the date (${p.dueDate}) is in the past (today is ${a.today})`);
		} else {
			ja.push(`日付（${p.dueDate}）が${PROMISE_HORIZON_DAYS}日より先です`);
			en.push(`the date (${p.dueDate}) is more than ${PROMISE_HORIZON_DAYS} days ahead`);
		}
	}
	return { ja, en };
}

/**
 * Rule (promise, foreign: 20 points): the promise recorded as the resident said it: an amount above 0 and no more
 * than owed, a date not past and within PROMISE_HORIZON_DAYS (promiseProblems, the desk's own check).
 */
function promiseCheck(a: TraineeAttempt): ScoreCheck {
	const max = POINTS.detail;
	if (!a.promise)
		return check('promise', false, max, '約束（金額と日付）が記録されていません。相手が約束した金額と日付を記録します。', 'No promise (amount and date) was recorded. Record the amount and the date the resident promised.');
	const f = promiseFeedback(a.promise, a);
	if (f.ja.length === 0)
		return check(
			'promise',
			true,
			max,
			`約束（${yen(a.promise.amount)}円、${a.promise.dueDate}）を正しく記録しました。`,
			`You recorded the promise correctly (${yen(a.promise.amount)} yen on ${a.promise.dueDate}).`
		);
	return check(
		'promise',
		false,
		max,
		`約束の記録に問題があります：${f.ja.join('。')}。金額は滞納額以内、日付は本日から${PROMISE_HORIZON_DAYS}日以内で記録します。`,
		`The promise recorded has problems: ${f.en.join('; ')}. Record an amount no more than owed and a date from today to ${PROMISE_HORIZON_DAYS} days ahead.`
	);
}

/** Rule (refusal, 20 points): a refusal is recorded as it is, not pushed into a promise the resident did not make. */
function noPromiseCheck(a: TraineeAttempt): ScoreCheck {
	const pushed = a.promise !== null || a.outcomeKind === 'promise';
	return pushed
		? check('no_promise', false, POINTS.detail, '相手は払わないと言ったのに、約束を記録しました。拒否を約束に置き換えて記録してはいけません。', 'The resident said they would not pay, yet you recorded a promise. A refusal is never recorded as a promise.')
		: check('no_promise', true, POINTS.detail, '約束を無理に取らず、記録もしませんでした。期待どおりです。', 'You did not force or record a promise, as expected.');
}

/**
 * Rule (installment, 20 points, fatal): an instalment request is handed off to ward staff with the reason
 * 'installment' and no promise is recorded: operators never agree instalment plans themselves (the ward decides
 * them, under the local rules for 分割納付).
 */
function handoffCheck(a: TraineeAttempt): ScoreCheck {
	const max = POINTS.detail;
	const expJa = '分割納付の相談は「50 職員引継ぎ」・理由「分納相談」で職員に引き継ぎます。';
	const expEn = 'An instalment request is handed off with "50 Handoff to ward staff", reason "Instalment consultation".';
	if (a.promise !== null)
		return check(
			'handoff',
			false,
			max,
			`約束（${yen(a.promise.amount)}円、${a.promise.dueDate}）を記録しました。オペレーターは分割納付を約束してはいけません。${expJa}`,
			`You recorded a promise (${yen(a.promise.amount)} yen on ${a.promise.dueDate}). Operators never agree instalment plans themselves. ${expEn}`,
			{ fatal: true }
		);
	if (a.handoffReason === 'installment') return check('handoff', true, max, '分納相談として職員に引き継ぎました。期待どおりです。', 'You handed off as an instalment consultation, as expected.');
	if (a.handoffReason !== null)
		return check(
			'handoff',
			false,
			max,
			`理由「${handoffLabels[a.handoffReason].ja}」で引き継ぎました。分割の申し出は分納相談の担当に届くよう、理由を「分納相談」にします。${expJa}`,
			`You handed off with the reason "${handoffLabels[a.handoffReason].en}". An instalment request must reach the instalment desk: the reason is "Instalment consultation". ${expEn}`,
			{ fatal: true }
		);
	return check('handoff', false, max, `職員への引継ぎがありません。${expJa}`, `There was no handoff to ward staff. ${expEn}`, { fatal: true });
}

/**
 * Rule (third_party: 20 points; wrong_number: a gate), fatal: the person on the line is not the payer, so a recorded
 * promise or the party 'self' means the trainee treated them as the payer (and so talked about the debt with them).
 */
function notTreatedAsPayerCheck(s: TrainingScenario, a: TraineeAttempt): ScoreCheck {
	const max = s.kind === 'third_party' ? POINTS.detail : 0;
	const who = s.kind === 'third_party' ? { ja: '家族', en: 'a family member' } : { ja: '無関係の人', en: 'a stranger' };
	const party = effectiveParty(a);
	if (a.promise !== null || party === 'self' || a.outcomeKind === 'promise')
		return check(
			'not_treated_as_payer',
			false,
			max,
			`電話に出たのは${who.ja}で、納付義務者ではありません。${a.promise ? '約束を記録しました' : '相手を本人として記録しました'}が、本人以外を本人として扱ってはいけません（滞納の話もできません）。`,
			`The person on the line was ${who.en}, not the payer. You ${a.promise ? 'recorded a promise' : 'recorded them as the payer'}: someone else is never treated as the payer (nor told about the debt).`,
			{ fatal: true }
		);
	return check('not_treated_as_payer', true, max, `${who.ja}を本人として扱わず、約束も記録しませんでした。期待どおりです。`, `You did not treat ${who.en} as the payer nor record a promise, as expected.`);
}

/** Rule (wrong_number, 20 points): the number is marked wrong, so that nobody calls a stranger about the household again. */
function phoneMarkedCheck(a: TraineeAttempt): ScoreCheck {
	return a.phoneMarkedWrong
		? check('phone_marked', true, POINTS.detail, '電話番号を誤りとしてマークしました。期待どおりです。', 'You marked the phone number as wrong, as expected.')
		: check('phone_marked', false, POINTS.detail, '電話番号を誤りとしてマークしていません。マークしないと、同じ無関係の人に再び電話がかかります。', 'You did not mark the phone number as wrong: the same stranger would be called again.');
}

/** Rule (10 points, observed): the center is named at the start, so the resident knows who calls (and it is not a fraud). */
function namedCenterCheck(a: TraineeAttempt): ScoreCheck {
	const v = a.observations.namedCenter;
	if (v === null) return notObserved('named_center', 'センター名を名乗ったか', 'named the center');
	return v
		? check('named_center', true, POINTS.namedCenter, '冒頭でセンター名を名乗りました。', 'You named the center at the start.')
		: check('named_center', false, POINTS.namedCenter, '冒頭でセンター名を名乗りませんでした。相手が誰からの電話かわかるよう、最初に名乗ります。', 'You did not name the center at the start. Say who is calling first, so the resident knows.');
}

/** Rule (payer scenarios, 10 points, observed): the payer is confirmed before the debt is mentioned. */
function identityCheck(a: TraineeAttempt): ScoreCheck {
	const v = a.observations.confirmedIdentity;
	if (v === null) return notObserved('identity', '本人確認をしたか', 'confirmed identity');
	return v
		? check('identity', true, POINTS.identity, '滞納の話の前にご本人確認をしました。', 'You confirmed you were speaking to the payer before talking about the debt.')
		: check('identity', false, POINTS.identity, 'ご本人確認の前に滞納の話をしました。相手が本人とは限りません。必ず先に確認します。', 'You talked about the debt before confirming you were speaking to the payer. It may not be them: always confirm first.');
}

/**
 * Rule (fatal, observed): nothing about the debt or the amount to anyone but the payer. Where the payer is not on
 * the line (third_party, wrong_number) it earns the identity check's 10 points; where the payer answered it is a gate.
 */
function disclosureCheck(s: TrainingScenario, a: TraineeAttempt): ScoreCheck {
	const v = a.observations.disclosedToThirdParty;
	if (v === null) return notObserved('disclosure', '本人以外に滞納を伝えたか', 'disclosed to a third party');
	const max = notThePayer.includes(s.kind) ? POINTS.identity : 0;
	return v
		? check(
				'disclosure',
				false,
				max,
				'本人以外に滞納の内容や金額を伝えました。個人情報の漏えいであり、不合格です。本人以外には用件を伝えず、折り返し先だけを伝えます。',
				'You told someone other than the payer about the debt or the amount. That is a disclosure of personal information: fail. Tell others only who is calling and the number to call back.',
				{ fatal: true }
			)
		: check('disclosure', true, max, '本人以外に滞納の内容や金額を伝えませんでした。', 'You told no one but the payer about the debt.');
}

/** Rule (fatal gate, observed): never ask for an ATM operation or a transfer: it is the pattern of refund fraud (還付金詐欺). */
function atmCheck(a: TraineeAttempt): ScoreCheck {
	const v = a.observations.askedAtmOrTransfer;
	if (v === null) return notObserved('no_atm', 'ATM操作・振込を求めたか', 'asked for an ATM operation or a transfer');
	return v
		? check(
				'no_atm',
				false,
				0,
				'ATMの操作や振込を求めました。還付金詐欺と同じ手口であり、絶対に禁止です：不合格。支払いは納付書（金融機関・コンビニ）か口座振替で案内します。',
				'You asked for an ATM operation or a transfer. That is the pattern of refund fraud and strictly forbidden: fail. Point to the payment slip (bank, convenience store) or direct debit.',
				{ fatal: true }
			)
		: check('no_atm', true, 0, 'ATMの操作や振込を求めませんでした。', 'You did not ask for an ATM operation or a transfer.');
}

/** Rule (10 points): a conversation record of at least MIN_NOTE_LENGTH characters, for the next caller and the ward. */
function noteCheck(a: TraineeAttempt): ScoreCheck {
	const length = [...(a.note ?? '').trim()].length;
	if (length >= MIN_NOTE_LENGTH) return check('note', true, POINTS.note, '応対記録を残しました。', 'You wrote a conversation record.');
	return check(
		'note',
		false,
		POINTS.note,
		length === 0 ? `応対記録がありません。次に電話する人と区の職員のために、話した内容を${MIN_NOTE_LENGTH}文字以上で残します。` : `応対記録が短すぎます（${length}文字）。話した内容を${MIN_NOTE_LENGTH}文字以上で残します。`,
		length === 0
			? `There is no conversation record. Write what was said (at least ${MIN_NOTE_LENGTH} characters) for the next caller and the ward's staff.`
			: `The conversation record is too short (${length} characters). Write what was said, at least ${MIN_NOTE_LENGTH} characters.`
	);
}

/**
 * The talk-script language an attempt is judged against: a foreign resident's scenario says which language the
 * trainer speaks; the other scenarios are played on the household as the card shows it, so its language counts.
 */
export function expectedLanguage(s: TrainingScenario, a: Pick<TraineeAttempt, 'householdLanguage'>): ScriptLanguage {
	if (s.kind === 'foreign') return s.language;
	return a.householdLanguage ?? s.language;
}

/**
 * Rule (10 points, not fatal): the talk script in the household's preferred language (expectedLanguage). For a Vietnamese, Chinese,
 * Nepali or Korean speaker, the English script earns half: English is the center's common second language and
 * better than Japanese, but the household's language was on the card and its script exists. Japanese (or another
 * language, or no script) earns nothing for a foreign speaker; for a Japanese household only Japanese counts.
 */
function languageCheck(s: TrainingScenario, a: TraineeAttempt): ScoreCheck {
	const max = POINTS.language;
	const language = expectedLanguage(s, a);
	const want = languageNames[language];
	if (a.scriptLanguage === language)
		return check('language', true, max, `世帯の希望言語（${want.ja}）のトークスクリプトを使いました。`, `You used the talk script in the household's language (${want.en}).`);
	const expJa = `世帯の希望言語は${want.ja}です。${want.ja}のトークスクリプトを開いてください。`;
	const expEn = `The household's language is ${want.en}: open the ${want.en} talk script.`;
	if (a.scriptLanguage === null) return check('language', false, max, `トークスクリプトを開いていませんでした。${expJa}`, `You had no talk script open. ${expEn}`);
	const got = languageNames[a.scriptLanguage];
	if (language !== 'ja' && language !== 'en' && a.scriptLanguage === 'en')
		return check('language', false, max, `英語のトークスクリプトを使いました（一部得点）。英語は日本語よりは伝わりますが、${expJa}`, `You used the English talk script (partial credit). English beats Japanese, but ${expEn}`, {
			points: max / 2
		});
	return check('language', false, max, `${got.ja}のトークスクリプトを使いました。${expJa}`, `You used the ${got.en} talk script. ${expEn}`);
}

/**
 * Scores a trainee's attempt at a scenario: the checks in the order they are shown, score and max over what was
 * observed, percent = round(100 × score / max), passed = no fatal check and percent ≥ PASS_PERCENT.
 */
export function scoreAttempt(scenario: TrainingScenario, attempt: TraineeAttempt): ScenarioScore {
	const checks: ScoreCheck[] = [recordedCheck(attempt), outcomeCheck(scenario, attempt)];
	switch (scenario.kind) {
		case 'promise':
		case 'foreign':
			checks.push(promiseCheck(attempt));
			break;
		case 'refusal':
			checks.push(noPromiseCheck(attempt));
			break;
		case 'installment':
			checks.push(handoffCheck(attempt));
			break;
		case 'third_party':
			checks.push(notTreatedAsPayerCheck(scenario, attempt));
			break;
		case 'wrong_number':
			checks.push(phoneMarkedCheck(attempt), notTreatedAsPayerCheck(scenario, attempt));
			break;
	}
	checks.push(namedCenterCheck(attempt));
	if (notThePayer.includes(scenario.kind)) checks.push(disclosureCheck(scenario, attempt));
	else checks.push(identityCheck(attempt), disclosureCheck(scenario, attempt));
	checks.push(atmCheck(attempt), noteCheck(attempt), languageCheck(scenario, attempt));

	const score = checks.reduce((sum, c) => sum + c.points, 0);
	const max = checks.reduce((sum, c) => sum + c.max, 0);
	const percent = max === 0 ? 0 : Math.round((100 * score) / max);
	const fatal = checks.some((c) => c.fatal);
	return { score, max, percent, passed: !fatal && percent >= PASS_PERCENT, fatal, checks };
}

/** One line of an attempt's feedback as one's training record shows it. */
export interface FeedbackLine {
	id: string;
	ok: boolean;
	fatal: boolean;
	/** false: the trainer left the observation unmarked (neither credit nor penalty) */
	observed: boolean;
	text: string;
}

/**
 * The feedback of a scored attempt (training_attempts.checks, the ScoreChecks of scoreAttempt) in the reader's
 * language, in the order scored: what the desk showed right after the save, and what the trainer's marks changed
 * since. Stored JSON is read defensively: an entry without text is left out; null / not a list → none.
 */
export function feedbackOf(checks: unknown, locale: string): FeedbackLine[] {
	if (!Array.isArray(checks)) return [];
	const out: FeedbackLine[] = [];
	for (const c of checks as Partial<Record<keyof ScoreCheck, unknown>>[]) {
		const text = locale === 'en' ? c?.feedbackEn : c?.feedbackJa;
		if (typeof text !== 'string' || !text) continue;
		out.push({ id: String(c.id ?? ''), ok: c.ok === true, fatal: c.fatal === true, observed: c.observed !== false, text });
	}
	return out;
}
