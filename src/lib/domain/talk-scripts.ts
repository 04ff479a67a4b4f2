/**
 * Talk scripts (トークスクリプト) for the call screen: per language and situation, as data. These are the built-in
 * texts; supervisors edit them on /supervisor/scripts (issue #9), each save a new version with a change note
 * (src/lib/server/scripts), and the desk reads the current version of each (mergeScripts). Placeholders in braces are filled from the household's
 * card; a value that is not known (the reader's field policy hides it, or the center's number is not configured)
 * is never printed as "undefined": the screen shows a marked gap the operator fills in by voice.
 *
 * Japanese and English are complete; Vietnamese, Chinese, Korean and Nepali have the first call (the operator
 * switches to the Japanese or English text for the rest). The foreign-language texts are content, not UI
 * language: they are read to the household, so the ward's interpreters should review them before use.
 */
import { markGaiji, wareki, yen } from './format.ts';
import { placeholderFields, type LetterTemplateText } from './letters.ts';

export const scriptLanguages = ['ja', 'en', 'vi', 'zh', 'ko', 'ne'] as const;
export type ScriptLanguage = (typeof scriptLanguages)[number];

/** The value as a script language, or null when there is no script in it (a household's 'tl', an unknown code). */
export function asScriptLanguage(v: string | null | undefined): ScriptLanguage | null {
	return (scriptLanguages as readonly string[]).includes(v ?? '') ? (v as ScriptLanguage) : null;
}

export const situations = ['first', 'broken_promise', 'callback', 'third_party', 'voicemail', 'inbound'] as const;
export type Situation = (typeof situations)[number];

/**
 * center, name, amount (total owed), periods (the unpaid periods), breakdown (each unpaid period with its amount and
 * due date: "amount by period, due dates"), phone and hours (the center's number and hours).
 */
export const placeholders = ['center', 'name', 'amount', 'periods', 'breakdown', 'phone', 'hours'] as const;
export type Placeholder = (typeof placeholders)[number];

/** The known values; null or absent = unknown (shown as a gap). */
export type ScriptValues = Partial<Record<Placeholder, string | null>>;

/** The center's name, number and hours as the script reads them; null = not known (a gap on screen). */
export type ScriptContact = { center: string | null; phone: string | null; hours: string | null };

/**
 * Where the script's {center}, {phone} and {hours} come from: the reminder letter's contact block (センター名・電話・
 * 受付時間 on /admin/letters, what residents read on the letter they were sent), unless a field still holds the
 * installed placeholder (〇〇, 03-0000-0000); else the server's CENTER_NAME / CENTER_PHONE / CENTER_HOURS (the
 * ward's name for the center as a last resort). Nothing configured = null: the screen shows a blank, not a name.
 */
export function scriptContact(
	letter: Pick<LetterTemplateText, 'centerName' | 'centerPhone' | 'centerHours'> | null | undefined,
	env: { CENTER_NAME?: string; CENTER_PHONE?: string; CENTER_HOURS?: string; WARD_NAME?: string } = {}
): ScriptContact {
	const blank = { letterhead: '', title: '', body: '', howToPay: '', contact: '', centerName: '', centerPhone: '', centerHours: '' };
	const unset = letter ? placeholderFields({ ...blank, ...letter }) : [];
	const pick = (field: 'centerName' | 'centerPhone' | 'centerHours', ...fallbacks: (string | undefined)[]): string | null => {
		const v = letter?.[field]?.trim();
		if (v && !unset.includes(field)) return v;
		return fallbacks.map((f) => f?.trim()).find((f) => !!f) ?? null;
	};
	return { center: pick('centerName', env.CENTER_NAME, env.WARD_NAME), phone: pick('centerPhone', env.CENTER_PHONE), hours: pick('centerHours', env.CENTER_HOURS) };
}

/** Each situation is a list of paragraphs with {placeholders}. */
export type ScriptSet = Record<ScriptLanguage, Partial<Record<Situation, string[]>>>;

export const talkScripts: ScriptSet = {
	ja: {
		first: [
			'お忙しいところ恐れ入ります。{center}の者です。{name}様でいらっしゃいますか。',
			'国民健康保険料のお支払いについてご連絡いたしました。現在、{periods}の保険料、合計{amount}のお支払いが確認できておりません。',
			'（内訳を尋ねられた場合）{breakdown}です。',
			'お手元の納付書で、金融機関・コンビニエンスストアでお支払いいただけます。口座振替のお申し込みもできます。',
			'いつ頃お支払いいただけそうでしょうか。',
			'ご事情によりお支払いが難しい場合は、担当の職員から分割納付などのご相談についてご連絡いたします。'
		],
		broken_promise: [
			'お忙しいところ恐れ入ります。{center}の者です。{name}様でいらっしゃいますか。',
			'先日お約束いただいた国民健康保険料のお支払いが、まだ確認できておりません。行き違いでしたら申し訳ございません。',
			'現在、{periods}の保険料、合計{amount}が未納となっております。',
			'改めて、いつ頃お支払いいただけそうでしょうか。お支払いが難しいご事情があれば、担当職員へおつなぎします。'
		],
		callback: [
			'お忙しいところ恐れ入ります。{center}の者です。{name}様でいらっしゃいますか。',
			'お約束のお時間にお電話いたしました。国民健康保険料のお支払いの件です。',
			'現在、{periods}の保険料、合計{amount}のお支払いが確認できておりません。いつ頃お支払いいただけそうでしょうか。'
		],
		third_party: [
			'お忙しいところ恐れ入ります。{center}の者です。',
			'{name}様はいらっしゃいますか。',
			'（ご不在の場合）改めてこちらからお電話いたします。お差し支えなければ、ご在宅の時間帯を教えていただけますか。',
			'（用件を尋ねられた場合）ご本人様にお伝えしたいことがございますので、{phone}（{hours}）までご連絡いただけますとありがたいです。',
			'※本人以外の方に、滞納の内容や金額は伝えないでください。'
		],
		voicemail: [
			'{center}です。{name}様にお伝えしたいことがございます。',
			'恐れ入りますが、{phone}まで折り返しご連絡をお願いいたします。受付時間は{hours}です。',
			'※留守番電話に滞納の内容や金額を残さないでください。'
		],
		inbound: [
			'お電話ありがとうございます。{center}でございます。',
			'ご本人様確認のため、お名前とご住所（または国民健康保険の記号番号）をお願いいたします。',
			'（ご本人様と確認できた場合）{name}様、{periods}の保険料、合計{amount}のお支払いが確認できておりません。',
			'※ご本人様と確認できるまで、滞納の内容や金額はお伝えしないでください。'
		]
	},
	en: {
		first: [
			'Hello, this is {center}. May I speak to {name}?',
			'I am calling about your National Health Insurance premiums. We have not yet received the premiums for {periods}, {amount} in total.',
			'(If asked for the details) {breakdown}.',
			'You can pay with the payment slip at a bank or a convenience store, or apply for direct debit.',
			'When would you be able to pay?',
			'If paying is difficult for you, a member of our staff will contact you to discuss instalments or other options.'
		],
		broken_promise: [
			'Hello, this is {center}. May I speak to {name}?',
			'We have not yet received the National Health Insurance payment you told us about. Please excuse us if it has crossed with this call.',
			'The premiums for {periods}, {amount} in total, are still unpaid.',
			'When would you be able to pay? If there is a reason it is difficult, I can put you in touch with our staff.'
		],
		callback: [
			'Hello, this is {center}. May I speak to {name}?',
			'I am calling back at the time we agreed, about your National Health Insurance premiums.',
			'We have not yet received the premiums for {periods}, {amount} in total. When would you be able to pay?'
		],
		third_party: [
			'Hello, this is {center}.',
			'May I speak to {name}?',
			'(If not at home) We will call again. May I ask when {name} is usually at home?',
			'(If asked what it is about) We have something to tell {name} personally. Please ask them to call {phone} ({hours}).',
			'Note: never tell anyone but the payer about the arrears or the amount.'
		],
		voicemail: [
			'This is {center}, with a message for {name}.',
			'Please call us back at {phone}. We are available {hours}.',
			'Note: never leave the arrears or the amount on a voicemail.'
		],
		inbound: [
			'Thank you for calling {center}.',
			'To confirm who you are, may I have your name and address (or your National Health Insurance number)?',
			'(Once confirmed) {name}, we have not yet received the premiums for {periods}, {amount} in total.',
			'Note: tell nothing about the arrears or the amount until you have confirmed you are speaking with the payer.'
		]
	},
	vi: {
		first: [
			'Xin chào, tôi gọi từ {center}. Cho tôi hỏi có phải anh/chị {name} không ạ?',
			'Tôi gọi về phí Bảo hiểm Y tế Quốc dân. Chúng tôi chưa nhận được phí bảo hiểm của {periods}, tổng cộng {amount}.',
			'Anh/chị có thể thanh toán bằng phiếu nộp tiền tại ngân hàng hoặc cửa hàng tiện lợi, hoặc đăng ký chuyển khoản tự động.',
			'Khi nào anh/chị có thể thanh toán được ạ?'
		]
	},
	zh: {
		first: [
			'您好，这里是{center}。请问是{name}先生/女士吗？',
			'关于国民健康保险费的缴纳事宜给您打电话。{periods}的保险费，共计{amount}，目前尚未确认到缴纳。',
			'您可以持缴费单在银行或便利店缴纳，也可以申请账户自动扣款。',
			'请问您大概什么时候可以缴纳？'
		]
	},
	ko: {
		first: [
			'안녕하세요, {center}입니다. {name} 님 되십니까?',
			'국민건강보험료 납부 건으로 연락드렸습니다. {periods} 보험료, 합계 {amount}의 납부가 아직 확인되지 않았습니다.',
			'납부서로 은행이나 편의점에서 납부하실 수 있고, 계좌 자동이체 신청도 가능합니다.',
			'언제쯤 납부하실 수 있으신가요?'
		]
	},
	ne: {
		first: [
			'नमस्ते, म {center} बाट फोन गर्दैछु। के तपाईं {name} हुनुहुन्छ?',
			'राष्ट्रिय स्वास्थ्य बीमा शुल्कको बारेमा फोन गरेको हुँ। {periods} को बीमा शुल्क, जम्मा {amount}, अझै भुक्तानी भएको देखिएको छैन।',
			'तपाईं भुक्तानी पर्चीबाट बैंक वा कन्भिनियन्स स्टोरमा तिर्न सक्नुहुन्छ, वा खाताबाट स्वचालित भुक्तानीको लागि आवेदन दिन सक्नुहुन्छ।',
			'तपाईं कहिले तिर्न सक्नुहुन्छ?'
		]
	}
};

/** A piece of a filled paragraph: text, or a gap where a value is unknown. */
export type ScriptPart = { text: string } | { gap: Placeholder };

/** Fills a paragraph's placeholders; unknown values (and unknown placeholder names) become gaps, never "undefined". */
export function fillScript(paragraph: string, values: ScriptValues): ScriptPart[] {
	const parts: ScriptPart[] = [];
	let last = 0;
	for (const m of paragraph.matchAll(/\{(\w+)\}/g)) {
		if (m.index > last) parts.push({ text: paragraph.slice(last, m.index) });
		const name = m[1] as Placeholder;
		const v = (placeholders as readonly string[]).includes(name) ? values[name] : undefined;
		if (v === undefined || v === null || v.trim() === '') parts.push({ gap: name });
		// a ward-defined character (外字) in a name reads as 〓, as on the card, not as an empty box
		else parts.push({ text: markGaiji(v) });
		last = m.index + m[0].length;
	}
	if (last < paragraph.length) parts.push({ text: paragraph.slice(last) });
	// neighbouring texts as one
	return parts.reduce<ScriptPart[]>((out, p) => {
		const prev = out[out.length - 1];
		if (prev && 'text' in prev && 'text' in p) prev.text += p.text;
		else out.push({ ...p });
		return out;
	}, []);
}

export interface PickedScript {
	language: ScriptLanguage;
	situation: Situation;
	paragraphs: string[];
	/** the household's language or situation had no script: another language is shown */
	fallback: boolean;
}

/**
 * The script for a household's language and situation: that language, else English (a foreign resident is more
 * likely to follow it than Japanese), else Japanese.
 */
export function pickScript(language: string | null | undefined, situation: Situation, scripts: ScriptSet = talkScripts): PickedScript {
	const wanted = asScriptLanguage(language);
	// a Japanese-speaking household (or no language recorded) is read the Japanese script
	const order: ScriptLanguage[] = !language || language === 'ja' ? ['ja'] : wanted ? [wanted, 'en', 'ja'] : ['en', 'ja'];
	for (const l of order) {
		const paragraphs = scripts[l]?.[situation];
		if (paragraphs?.length) return { language: l, situation, paragraphs, fallback: l !== (language || 'ja') };
	}
	return { language: 'ja', situation, paragraphs: scripts.ja.first ?? [], fallback: true };
}

/** The situation to open with: an incoming call, a due callback, a broken promise, else a first call. */
export function openingSituation(ctx: { kind?: string | null; promises?: { status: string }[] | null }): Situation {
	if (ctx.kind === 'inbound') return 'inbound';
	if (ctx.kind === 'callback') return 'callback';
	if (ctx.promises?.some((p) => p.status === 'broken' || p.status === 'partly_kept')) return 'broken_promise';
	return 'first';
}

/**
 * The unpaid periods as read aloud, in the script's language: "2025年度 第3期・第4期、2026年度 第1期" (ja),
 * "FY2025 periods 3, 4; FY2026 period 1" (en), and the same in zh, ko, vi and ne (so that a Vietnamese script does
 * not carry an English phrase). Like the foreign scripts themselves, the forms should be reviewed by native speakers.
 */
export function periodsText(periods: { fiscalYear: number; period: number }[] | null | undefined, language: ScriptLanguage): string | null {
	if (!periods?.length) return null;
	const byYear = new Map<number, number[]>();
	for (const p of periods) byYear.set(p.fiscalYear, [...(byYear.get(p.fiscalYear) ?? []), p.period]);
	const years = [...byYear].sort(([a], [b]) => a - b);
	switch (language) {
		case 'ja':
			return years.map(([y, ps]) => `${y}年度 ${ps.map((n) => `第${n}期`).join('・')}`).join('、');
		case 'zh':
			return years.map(([y, ps]) => `${y}年度 ${ps.map((n) => `第${n}期`).join('、')}`).join('；');
		case 'ko':
			return years.map(([y, ps]) => `${y}년도 ${ps.map((n) => `제${n}기`).join('·')}`).join(', ');
		case 'vi':
			return years.map(([y, ps]) => `năm tài chính ${y} kỳ ${ps.join(', ')}`).join('; ');
		case 'ne':
			return years.map(([y, ps]) => `आर्थिक वर्ष ${y} को किस्ता ${ps.join(', ')}`).join('; ');
		default:
			return years.map(([y, ps]) => `FY${y} ${ps.length > 1 ? 'periods' : 'period'} ${ps.join(', ')}`).join('; ');
	}
}

/** How many periods the breakdown reads out before "and N more" (a long arrears history is read from the card). */
export const BREAKDOWN_MAX_PERIODS = 6;

/**
 * Each unpaid period with its amount and due date, in the script's language ({breakdown}): "2025年度 第3期 ¥12,300
 * （納期限 令和7年9月30日）、…" (ja, due dates in the era as residents read them on their slips), "FY2025 period 3:
 * ¥12,300, due 2025-09-30; …" (en) and the same in zh, ko, vi and ne; at most BREAKDOWN_MAX_PERIODS, then how many
 * more. Null without periods.
 */
export function breakdownText(periods: { fiscalYear: number; period: number; owed: number; dueDate: string }[] | null | undefined, language: ScriptLanguage): string | null {
	if (!periods?.length) return null;
	const shown = periods.slice(0, BREAKDOWN_MAX_PERIODS);
	const more = periods.length - shown.length;
	const one = (p: (typeof periods)[number]): string => {
		switch (language) {
			case 'ja':
				return `${p.fiscalYear}年度 第${p.period}期 ${yen(p.owed)}（納期限 ${wareki(p.dueDate)}）`;
			case 'zh':
				return `${p.fiscalYear}年度 第${p.period}期 ${yen(p.owed)}（缴纳期限 ${p.dueDate}）`;
			case 'ko':
				return `${p.fiscalYear}년도 제${p.period}기 ${yen(p.owed)} (납부기한 ${p.dueDate})`;
			case 'vi':
				return `năm tài chính ${p.fiscalYear} kỳ ${p.period}: ${yen(p.owed)}, hạn nộp ${p.dueDate}`;
			case 'ne':
				return `आर्थिक वर्ष ${p.fiscalYear} को किस्ता ${p.period}: ${yen(p.owed)}, भुक्तानी म्याद ${p.dueDate}`;
			default:
				return `FY${p.fiscalYear} period ${p.period}: ${yen(p.owed)}, due ${p.dueDate}`;
		}
	};
	const sep = language === 'ja' || language === 'zh' ? '、' : '; ';
	const tail =
		more === 0
			? ''
			: { ja: `、ほか${more}期`, zh: `，另有${more}期`, ko: `, 외 ${more}기`, vi: `; và ${more} kỳ khác`, ne: `; र अरू ${more} किस्ता`, en: `; and ${more} more` }[language];
	return shown.map(one).join(sep) + tail;
}

/** The placeholders named in paragraphs that the screen cannot fill (typos such as {nmae}), each once, in order. */
export function unknownPlaceholders(paragraphs: readonly string[]): string[] {
	const out: string[] = [];
	for (const p of paragraphs)
		for (const m of p.matchAll(/\{([^{}\s]*)\}/g)) if (!(placeholders as readonly string[]).includes(m[1]) && !out.includes(m[1])) out.push(m[1]);
	return out;
}

/** A script as edited: one paragraph per line, blank lines dropped, each trimmed. */
export function paragraphsOf(text: string): string[] {
	return text
		.split(/\r?\n/)
		.map((l) => l.trim())
		.filter((l) => l.length > 0);
}

/** One saved version of a script (the current one per situation and language wins over the built-in text). */
export interface ScriptVersion {
	situation: Situation;
	language: ScriptLanguage;
	paragraphs: string[];
}

/** The scripts the desk reads: the built-in texts, each replaced by its current saved version where there is one. */
export function mergeScripts(current: readonly ScriptVersion[], builtIn: ScriptSet = talkScripts): ScriptSet {
	const out = Object.fromEntries(scriptLanguages.map((l) => [l, { ...builtIn[l] }])) as ScriptSet;
	for (const v of current) if (v.paragraphs.length) out[v.language][v.situation] = [...v.paragraphs];
	return out;
}
