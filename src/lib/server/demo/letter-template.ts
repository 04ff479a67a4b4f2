/**
 * The letter text of a fictional ward office (みどり区: there is no such ward in Tokyo; the postal code and phone
 * numbers are invented), for the demo database, the benchmark and the tests: a letter that looks like a ward's and
 * passes placeholderFields, so that batches can be made there. A real installation replaces the installed
 * placeholders on /admin/letters (kansho refuses batches until it does).
 */
import type { LetterTemplateText } from '../../domain/letters.ts';

export const DEMO_LETTER_TEMPLATE: LetterTemplateText = {
	letterhead: 'みどり区役所\n区民部 国保年金課 収納係',
	title: '国民健康保険料 納付のお願い（催告書）',
	body: '日頃より区政にご理解とご協力をいただき、ありがとうございます。\nあなたの世帯の国民健康保険料について、下記のとおり納期限を過ぎても納付が確認できておりません。お手元の納付書により、至急納付してください。\n行き違いで納付済みの場合は、ご容赦ください。納付が難しい事情がある場合は、お早めにご相談ください。',
	howToPay:
		'同封の納付書により、金融機関・ゆうちょ銀行・コンビニエンスストア・区役所の窓口で納付できます。スマートフォン決済アプリ（納付書のバーコード）もご利用いただけます。口座振替のお申し込みは国保年金課までご連絡ください。',
	contact: 'みどり区役所 区民部 国保年金課 収納係\n〒169-8799 東京都みどり区若葉一丁目2番3号　電話 03-5555-0110（代表）',
	centerName: '国保納付勧奨センター',
	centerPhone: '03-5555-0182',
	centerHours: '平日 9:00〜20:00'
};
