/**
 * Deterministic synthetic demo data for the ward's tables (households, household_years, persons, phones,
 * receipts, premiums, bank_transfers, eligibility, employers, payment_managers, case_history).
 *
 * PURE: no I/O, no clock, no Math.random. The same { seed, today } yields the same households in the same
 * order, and household i does not depend on how many are asked for (the first N are always the same).
 *
 * Every household generated is a 現年度滞納者: on `today` it has at least one instalment period of the
 * arrears year whose 納期限 has passed and whose 収納額累計 is below the 調定額. The arrears year is the
 * fiscal year of `today` — except from April 1 to the first due date (第1期, end of June), when no period
 * of the new year is overdue yet; then it is the year before (the ward still counts it as current in its
 * 出納整理期間). See `arrearsFiscalYear`.
 *
 * Everything is synthetic (names from common-name lists, phone numbers random), and households are
 * marked `synthetic: true`.
 */
import { parsePhone, type PhoneKind } from '../../domain/phone.ts';
import { fiscalYearOf } from '../../domain/format.ts';

// ─── output shapes (property names are the camelCase of the column names) ──────────────────────────────

export interface DemoHouseholdRow {
	nhiNumber: string;
	headResidentNumber: string;
	postalCode: string;
	address: string;
	addressExtra: string | null;
	district: string;
	phoneRaw: string | null;
	language: string;
	synthetic: true;
}

export interface DemoHouseholdYear {
	fiscalYear: number;
	reassessedOn: string | null;
	reductionClass: string | null;
	cardClass: string;
	cardIssuedOn: string | null;
	cardExpiresOn: string | null;
	insuredCount: number;
	totalIncome: number;
}

export interface DemoPerson {
	/** index of this person in the household's `persons` (0 = the head, the payer) */
	key: number;
	residentNumber: string;
	fiscalYear: number;
	name: string;
	nameKana: string;
	nameSearch: string;
	kanaSearch: string;
	hasGaiji: false;
	postalCode: string;
	address: string;
	phoneRaw: string | null;
	sex: '男' | '女';
	relationship: string;
	birthDate: string;
	residentSince: string;
	residentSinceReason: string;
	residentUntil: string | null;
	residentUntilReason: string | null;
	deathDate: string | null;
	nationality: string;
}

export interface DemoPhone {
	/** the person it belongs to (key into persons), or null for the household's number alone */
	personKey: number | null;
	raw: string;
	digits: string | null;
	extension: string | null;
	kind: PhoneKind;
	valid: boolean;
	source: 'import';
}

export interface DemoReceipt {
	fiscalYear: number;
	equivalentYear: number;
	period: number;
	assessed: number;
	assessedCare: number | null;
	assessedElderly: number | null;
	dueDate: string;
	receivedTotal: number;
	receivedCare: number | null;
	receivedElderly: number | null;
	paidOn: string | null;
	receivedOn: string | null;
	receivingInstitution: string | null;
	lastPaidOn: string | null;
	lastReceivedOn: string | null;
}

export interface DemoPremium {
	fiscalYear: number;
	premiumType: string;
	incomeBase: number;
	incomeLevy: number;
	perCapita: number;
	perCapitaReduction: number;
	overCap: number;
	exemption: number;
	annualPremium: number;
	previousAnnualPremium: number;
}

export interface DemoBankTransfer {
	enabled: boolean;
	startsOn: string;
	endsOn: string | null;
	bankCode: string;
	branchCode: string;
	accountHolder: string;
}

export interface DemoEligibility {
	personKey: number;
	kind: '国保' | '介護';
	acquiredOn: string;
	acquiredFiledOn: string;
	acquiredReason: string;
	lostOn: string | null;
	lostFiledOn: string | null;
	lostReason: string | null;
}

export interface DemoEmployer {
	personKey: number;
	name: string;
	address: string;
	phoneRaw: string | null;
	businessType: string;
}

export interface DemoPaymentManager {
	kind: string;
	name: string;
	address: string;
}

export interface DemoCaseHistory {
	personKey: number | null;
	/** ISO instant with the Tokyo offset, e.g. '2026-03-12T14:30:00+09:00' */
	recordedAt: string;
	kind: string;
	place: string | null;
	counterpart: string | null;
	content: string;
}

export interface DemoHousehold {
	/** 0-based position in the generated sequence */
	index: number;
	household: DemoHouseholdRow;
	years: DemoHouseholdYear[];
	persons: DemoPerson[];
	phones: DemoPhone[];
	receipts: DemoReceipt[];
	premiums: DemoPremium[];
	bankTransfer: DemoBankTransfer | null;
	eligibility: DemoEligibility[];
	employers: DemoEmployer[];
	paymentManagers: DemoPaymentManager[];
	caseHistory: DemoCaseHistory[];
}

export interface DemoOptions {
	seed: number;
	households: number;
	/** 'YYYY-MM-DD', a Tokyo date */
	today: string;
}

// ─── dates (ISO strings, day arithmetic in UTC) ─────────────────────────────────────────────────────────

const DAY_MS = 86_400_000;
// date conversions dominate the generator's time: both directions are memoized (a few tens of thousands of days)
const daysOf = new Map<string, number>();
const isoOf = new Map<number, string>();
function toDays(iso: string): number {
	let n = daysOf.get(iso);
	if (n === undefined) {
		n = Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / DAY_MS;
		daysOf.set(iso, n);
	}
	return n;
}
function fromDays(n: number): string {
	let s = isoOf.get(n);
	if (s === undefined) {
		s = new Date(n * DAY_MS).toISOString().slice(0, 10);
		isoOf.set(n, s);
	}
	return s;
}
function addDays(iso: string, n: number): string {
	return fromDays(toDays(iso) + n);
}
const minDate = (a: string, b: string): string => (a < b ? a : b);
const maxDate = (a: string, b: string): string => (a > b ? a : b);

function ageOn(birth: string, on: string): number {
	const a = +on.slice(0, 4) - +birth.slice(0, 4);
	return on.slice(5) < birth.slice(5) ? a - 1 : a;
}

/** The day a person born on `birth` reaches `years` (Feb 29 → Mar 1 in common years). */
function anniversary(birth: string, years: number): string {
	const y = +birth.slice(0, 4) + years;
	const md = birth.slice(5);
	if (md === '02-29' && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) return `${y}-03-01`;
	return `${String(y).padStart(4, '0')}-${md}`;
}

/**
 * 納期限 of an instalment period: 第1期 June … 第10期 March (of fiscalYear + 1), the last day of the month,
 * moved to the following Monday when that is a Saturday or Sunday (holidays are ignored).
 */
const dueDates = new Map<number, string>();
export function dueDateOf(fiscalYear: number, period: number): string {
	const key = fiscalYear * 100 + period;
	const known = dueDates.get(key);
	if (known !== undefined) return known;
	const month = period + 5; // 1 → 6 (June) … 10 → 15 (March of the next year)
	const y = month > 12 ? fiscalYear + 1 : fiscalYear;
	const m = month > 12 ? month - 12 : month;
	const last = new Date(Date.UTC(y, m, 0));
	const dow = last.getUTCDay();
	const shift = dow === 6 ? 2 : dow === 0 ? 1 : 0;
	const due = fromDays(last.getTime() / DAY_MS + shift);
	dueDates.set(key, due);
	return due;
}

/**
 * The fiscal year whose arrears make a household a 現年度滞納者 on `today`: the fiscal year of `today`,
 * or the year before while no period of the new year is overdue yet (April 1 … 第1期 due date).
 */
export function arrearsFiscalYear(today: string): number {
	const fy = fiscalYearOf(today);
	return dueDateOf(fy, 1) < today ? fy : fy - 1;
}

// ─── seeded randomness ──────────────────────────────────────────────────────────────────────────────────

class Rng {
	private a: number;
	constructor(seed: number) {
		// spread small seeds (1, 2, 3 …) over the state space
		this.a = Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b) ^ 0x2545f491;
	}
	/** mulberry32: [0, 1) */
	next(): number {
		let t = (this.a = (this.a + 0x6d2b79f5) | 0);
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}
	/** integer in [lo, hi] */
	int(lo: number, hi: number): number {
		return lo + Math.floor(this.next() * (hi - lo + 1));
	}
	chance(p: number): boolean {
		return this.next() < p;
	}
	pick<T>(xs: readonly T[]): T {
		return xs[Math.floor(this.next() * xs.length)];
	}
	weighted<T>(xs: readonly (readonly [T, number])[]): T {
		let total = 0;
		for (const [, w] of xs) total += w;
		let r = this.next() * total;
		for (const [x, w] of xs) {
			r -= w;
			if (r < 0) return x;
		}
		return xs[xs.length - 1][0];
	}
	digits(n: number): string {
		let s = '';
		for (let i = 0; i < n; i++) s += String(this.int(0, 9));
		return s;
	}
	/** a date in [from, to] (inclusive) */
	date(from: string, to: string): string {
		const a = toDays(from);
		const b = toDays(to);
		return b <= a ? from : fromDays(this.int(a, b));
	}
	/** standard normal (Box–Muller) */
	normal(): number {
		const u = 1 - this.next();
		const v = this.next();
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
	}
}

// ─── text helpers ───────────────────────────────────────────────────────────────────────────────────────

const hiraToKata = (s: string): string => s.replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));
/** persons.name_search: NFKC, no spaces. */
export const nameSearchOf = (name: string): string => name.normalize('NFKC').replace(/\s+/g, '');
/** persons.kana_search: NFKC katakana, no spaces. */
export const kanaSearchOf = (kana: string): string => hiraToKata(kana.normalize('NFKC')).replace(/\s+/g, '');

/** Full-width katakana → half-width (ﾔﾏﾀﾞ ﾀﾛｳ), as banks write account holders. Built from NFKC itself. */
const toHalfKana = (() => {
	const map = new Map<string, string>();
	for (let c = 0xff66; c <= 0xff9d; c++) {
		const half = String.fromCharCode(c);
		map.set(half.normalize('NFKC'), half);
		for (const mark of ['\uff9e', '\uff9f']) {
			const full = (half + mark).normalize('NFKC');
			if (full.length === 1) map.set(full, half + mark);
		}
	}
	map.set('ー', '\uff70');
	map.set('\u3000', ' ');
	return (s: string): string => Array.from(s, (ch) => map.get(ch) ?? ch).join('');
})();

const FW_DIGITS = '０１２３４５６７８９';
const toFullWidthDigits = (s: string): string => s.replace(/[0-9]/g, (d) => FW_DIGITS[+d]);
const yenText = (n: number): string => n.toLocaleString('en-US');

// ─── places ─────────────────────────────────────────────────────────────────────────────────────────────

/** 町名, postal code, number of 丁目 (0 = none: 番地 only), weight for Japanese and for foreign residents. */
const TOWNS: readonly (readonly [string, string, number, number, number])[] = [
	['西新宿', '160-0023', 8, 8, 8],
	['北新宿', '169-0074', 4, 6, 10],
	['百人町', '169-0073', 4, 5, 16],
	['大久保', '169-0072', 3, 6, 16],
	['高田馬場', '169-0075', 4, 7, 12],
	['歌舞伎町', '160-0021', 2, 2, 5],
	['新宿', '160-0022', 7, 5, 5],
	['四谷', '160-0004', 4, 3, 1],
	['神楽坂', '162-0825', 6, 2, 1],
	['早稲田鶴巻町', '162-0041', 0, 2, 2],
	['戸山', '162-0052', 3, 4, 2],
	['中落合', '161-0032', 4, 4, 1],
	['上落合', '161-0034', 3, 4, 2],
	['下落合', '161-0033', 4, 4, 2],
	['西落合', '161-0031', 4, 3, 1],
	['中井', '161-0035', 2, 2, 1],
	['市谷柳町', '162-0061', 0, 1, 0.5],
	['若松町', '162-0056', 0, 2, 1],
	['余丁町', '162-0055', 0, 2, 1],
	['富久町', '162-0067', 0, 1, 0.5],
	['新小川町', '162-0814', 0, 1, 0.5],
	['西早稲田', '169-0051', 3, 4, 4],
	['早稲田町', '162-0042', 0, 1, 0.5],
	['早稲田南町', '162-0043', 0, 1, 0.5],
	['大京町', '160-0015', 0, 1, 0.5],
	['信濃町', '160-0016', 0, 1, 0.3],
	['荒木町', '160-0007', 0, 1, 0.3],
	['左門町', '160-0017', 0, 1, 0.3],
	['若葉', '160-0011', 3, 1, 0.3],
	['河田町', '162-0054', 0, 1, 0.5],
	['原町', '162-0053', 3, 1, 0.5],
	['弁天町', '162-0851', 0, 1, 0.5],
	['榎町', '162-0806', 0, 1, 0.3],
	['山吹町', '162-0801', 0, 1, 0.3],
	['矢来町', '162-0805', 0, 1, 0.3],
	['内藤町', '160-0014', 0, 0.5, 0.2]
];
const TOWNS_JP = TOWNS.map((t) => [t, t[3]] as const);
const TOWNS_FOREIGN = TOWNS.map((t) => [t, t[4]] as const);

const BUILDING_PREFIX = ['メゾン', 'コーポ', 'ハイツ', 'グランメゾン', 'パークハウス', 'サンハイム', 'ヴィラ', 'レジデンス', 'シャトー', 'ドミール', 'プラザ', 'ライオンズマンション', 'クレスト', 'アーバン'];
const BUILDING_WORD = ['新宿', 'さくら', 'ひまわり', 'グリーン', 'ロイヤル', 'セントラル', 'エクセル', 'サンライズ', 'フォレスト', 'ベル', '第二', 'ブルーム'];
const APARTMENT_SUFFIX = ['荘', '館', 'ハウス', 'アパート'];

const OTHER_TOKYO: readonly (readonly [string, string])[] = [
	['渋谷区', '道玄坂'],
	['渋谷区', '代々木'],
	['豊島区', '池袋'],
	['豊島区', '東池袋'],
	['中野区', '中野'],
	['千代田区', '神田小川町'],
	['港区', '芝浦'],
	['中央区', '日本橋人形町'],
	['品川区', '大崎'],
	['江東区', '豊洲'],
	['杉並区', '高円寺南'],
	['練馬区', '豊玉北'],
	['新宿区', '西新宿'],
	['新宿区', '高田馬場'],
	['新宿区', '歌舞伎町']
];

// ─── names ──────────────────────────────────────────────────────────────────────────────────────────────

type NamePair = readonly [string, string];

const JP_FAMILY: readonly NamePair[] = [
	['佐藤', 'サトウ'], ['鈴木', 'スズキ'], ['高橋', 'タカハシ'], ['田中', 'タナカ'], ['伊藤', 'イトウ'], ['渡辺', 'ワタナベ'],
	['山本', 'ヤマモト'], ['中村', 'ナカムラ'], ['小林', 'コバヤシ'], ['加藤', 'カトウ'], ['吉田', 'ヨシダ'], ['山田', 'ヤマダ'],
	['佐々木', 'ササキ'], ['山口', 'ヤマグチ'], ['松本', 'マツモト'], ['井上', 'イノウエ'], ['木村', 'キムラ'], ['林', 'ハヤシ'],
	['斎藤', 'サイトウ'], ['清水', 'シミズ'], ['山崎', 'ヤマザキ'], ['森', 'モリ'], ['池田', 'イケダ'], ['橋本', 'ハシモト'],
	['阿部', 'アベ'], ['石川', 'イシカワ'], ['山下', 'ヤマシタ'], ['中島', 'ナカジマ'], ['石井', 'イシイ'], ['小川', 'オガワ'],
	['前田', 'マエダ'], ['岡田', 'オカダ'], ['長谷川', 'ハセガワ'], ['藤田', 'フジタ'], ['後藤', 'ゴトウ'], ['近藤', 'コンドウ'],
	['村上', 'ムラカミ'], ['遠藤', 'エンドウ'], ['青木', 'アオキ'], ['坂本', 'サカモト'], ['斉藤', 'サイトウ'], ['福田', 'フクダ'],
	['太田', 'オオタ'], ['西村', 'ニシムラ'], ['藤井', 'フジイ'], ['金子', 'カネコ'], ['岡本', 'オカモト'], ['藤原', 'フジワラ'],
	['中野', 'ナカノ'], ['三浦', 'ミウラ'], ['原田', 'ハラダ'], ['中川', 'ナカガワ'], ['松田', 'マツダ'], ['竹内', 'タケウチ'],
	['小野', 'オノ'], ['田村', 'タムラ'], ['中山', 'ナカヤマ'], ['和田', 'ワダ'], ['石田', 'イシダ'], ['森田', 'モリタ'],
	['上田', 'ウエダ'], ['原', 'ハラ'], ['内田', 'ウチダ'], ['柴田', 'シバタ'], ['酒井', 'サカイ'], ['宮崎', 'ミヤザキ'],
	['横山', 'ヨコヤマ'], ['高木', 'タカギ'], ['安藤', 'アンドウ'], ['宮本', 'ミヤモト'], ['大野', 'オオノ'], ['小島', 'コジマ'],
	['谷口', 'タニグチ'], ['今井', 'イマイ'], ['工藤', 'クドウ'], ['高田', 'タカダ'], ['増田', 'マスダ'], ['丸山', 'マルヤマ'],
	['杉山', 'スギヤマ'], ['村田', 'ムラタ'], ['大塚', 'オオツカ'], ['新井', 'アライ'], ['小山', 'コヤマ'], ['平野', 'ヒラノ'],
	['藤本', 'フジモト'], ['河野', 'コウノ'], ['上野', 'ウエノ'], ['野口', 'ノグチ'], ['武田', 'タケダ'], ['松井', 'マツイ'],
	['千葉', 'チバ'], ['岩崎', 'イワサキ'], ['菅原', 'スガワラ'], ['木下', 'キノシタ'], ['久保', 'クボ'], ['佐野', 'サノ'],
	['野村', 'ノムラ'], ['松尾', 'マツオ'], ['市川', 'イチカワ'], ['菊地', 'キクチ'], ['杉本', 'スギモト'], ['古川', 'フルカワ'],
	['大西', 'オオニシ'], ['島田', 'シマダ'], ['水野', 'ミズノ'], ['桜井', 'サクライ'], ['高野', 'タカノ'], ['渡部', 'ワタナベ'],
	['吉川', 'ヨシカワ'], ['山内', 'ヤマウチ'], ['西田', 'ニシダ'], ['飯田', 'イイダ'], ['菅野', 'カンノ'], ['東', 'アズマ']
];
/** Family names with the characters that trip up systems (髙 U+9AD9, 﨑 U+FA11, 邉 U+9089, 邊 U+908A). */
const JP_FAMILY_RARE: readonly NamePair[] = [
	['髙橋', 'タカハシ'], ['山﨑', 'ヤマザキ'], ['渡邉', 'ワタナベ'], ['渡邊', 'ワタナベ'], ['髙田', 'タカダ'], ['宮﨑', 'ミヤザキ'],
	['岩﨑', 'イワサキ'], ['田邉', 'タナベ'], ['髙木', 'タカギ']
];
const JP_MALE: readonly NamePair[] = [
	['太郎', 'タロウ'], ['一郎', 'イチロウ'], ['健太', 'ケンタ'], ['翔太', 'ショウタ'], ['大輔', 'ダイスケ'], ['拓也', 'タクヤ'],
	['直樹', 'ナオキ'], ['誠', 'マコト'], ['浩', 'ヒロシ'], ['隆', 'タカシ'], ['茂', 'シゲル'], ['勝', 'マサル'], ['清', 'キヨシ'],
	['和夫', 'カズオ'], ['修', 'オサム'], ['健一', 'ケンイチ'], ['雄一', 'ユウイチ'], ['剛', 'ツヨシ'], ['学', 'マナブ'],
	['聡', 'サトシ'], ['亮', 'リョウ'], ['大樹', 'ダイキ'], ['蓮', 'レン'], ['悠真', 'ユウマ'], ['陽翔', 'ハルト'], ['湊', 'ミナト'],
	['颯太', 'ソウタ'], ['大和', 'ヤマト'], ['優斗', 'ユウト'], ['和也', 'カズヤ'], ['達也', 'タツヤ'], ['秀樹', 'ヒデキ'],
	['正樹', 'マサキ'], ['康弘', 'ヤスヒロ'], ['進', 'ススム'], ['稔', 'ミノル']
];
const JP_FEMALE: readonly NamePair[] = [
	['花子', 'ハナコ'], ['恵子', 'ケイコ'], ['幸子', 'サチコ'], ['洋子', 'ヨウコ'], ['美香', 'ミカ'], ['由美子', 'ユミコ'],
	['真由美', 'マユミ'], ['裕子', 'ユウコ'], ['智子', 'トモコ'], ['直美', 'ナオミ'], ['久美子', 'クミコ'], ['陽子', 'ヨウコ'],
	['明美', 'アケミ'], ['愛', 'アイ'], ['彩', 'アヤ'], ['舞', 'マイ'], ['美咲', 'ミサキ'], ['千尋', 'チヒロ'], ['結衣', 'ユイ'],
	['陽菜', 'ヒナ'], ['葵', 'アオイ'], ['凛', 'リン'], ['芽依', 'メイ'], ['さくら', 'サクラ'], ['美穂', 'ミホ'], ['麻衣', 'マイ'],
	['沙織', 'サオリ'], ['香織', 'カオリ'], ['優子', 'ユウコ'], ['京子', 'キョウコ'], ['和子', 'カズコ'], ['節子', 'セツコ'],
	['みどり', 'ミドリ'], ['あゆみ', 'アユミ']
];

type Sex = '男' | '女';
interface Name {
	name: string;
	kana: string;
}
interface NameStyle {
	/** a fresh full name */
	full(rng: Rng, sex: Sex): Name & { family: NamePair };
	/** a child's name: the parent's family name (where the culture passes it on) and a new given name */
	child(rng: Rng, sex: Sex, family: NamePair): Name;
}

const SP = '\u3000';

/** Kanji family + given name with a full-width space (Japanese, Chinese, Korean, Taiwanese). */
function kanjiStyle(family: readonly NamePair[], male: readonly NamePair[], female: readonly NamePair[], rare: readonly NamePair[] = [], rareShare = 0): NameStyle {
	const given = (rng: Rng, sex: Sex) => rng.pick(sex === '男' ? male : female);
	return {
		full(rng, sex) {
			const f = rare.length > 0 && rng.chance(rareShare) ? rng.pick(rare) : rng.pick(family);
			const g = given(rng, sex);
			return { name: f[0] + SP + g[0], kana: f[1] + SP + g[1], family: f };
		},
		child(rng, sex, f) {
			const g = given(rng, sex);
			return { name: f[0] + SP + g[0], kana: f[1] + SP + g[1] };
		}
	};
}

/** Latin letters in the order family … given, as on the residence card, with katakana beside. */
function latinStyle(family: readonly NamePair[], male: readonly (readonly NamePair[])[], female: readonly (readonly NamePair[])[]): NameStyle {
	const parts = (rng: Rng, sex: Sex) => (sex === '男' ? male : female).map((list) => rng.pick(list));
	const join = (f: NamePair, rest: NamePair[]): Name => ({
		name: [f[0], ...rest.map((p) => p[0])].join(' '),
		kana: [f[1], ...rest.map((p) => p[1])].join(SP)
	});
	return {
		full(rng, sex) {
			const f = rng.pick(family);
			return { ...join(f, parts(rng, sex)), family: f };
		},
		child(rng, sex, f) {
			return join(f, parts(rng, sex));
		}
	};
}

const VN_FAMILY: readonly NamePair[] = [
	['NGUYEN', 'グエン'], ['TRAN', 'チャン'], ['LE', 'レ'], ['PHAM', 'ファム'], ['HOANG', 'ホアン'], ['VU', 'ヴー'], ['DANG', 'ダン'],
	['BUI', 'ブイ'], ['DO', 'ドー'], ['HO', 'ホー'], ['NGO', 'ゴ'], ['DUONG', 'ズオン']
];
const VN_MIDDLE_M: readonly NamePair[] = [['VAN', 'ヴァン'], ['VAN', 'ヴァン'], ['DUC', 'ドゥック'], ['MINH', 'ミン'], ['HUU', 'フー'], ['QUOC', 'クオック']];
const VN_MIDDLE_F: readonly NamePair[] = [['THI', 'ティ'], ['THI', 'ティ'], ['THI', 'ティ'], ['NGOC', 'ゴック'], ['THU', 'トゥ']];
const VN_GIVEN_M: readonly NamePair[] = [
	['AN', 'アン'], ['BINH', 'ビン'], ['CUONG', 'クオン'], ['DUNG', 'ズン'], ['HAI', 'ハイ'], ['HUNG', 'フン'], ['KHANH', 'カイン'],
	['LONG', 'ロン'], ['NAM', 'ナム'], ['QUANG', 'クアン'], ['TUAN', 'トゥアン'], ['THANH', 'タイン'], ['DAT', 'ダット']
];
const VN_GIVEN_F: readonly NamePair[] = [
	['LINH', 'リン'], ['PHUONG', 'フオン'], ['THAO', 'タオ'], ['TRANG', 'チャン'], ['HOA', 'ホア'], ['HUONG', 'フオン'], ['LAN', 'ラン'],
	['MAI', 'マイ'], ['NGA', 'ガー'], ['THUY', 'トゥイ'], ['HANH', 'ハン'], ['NHUNG', 'ニュン']
];

const NP_FAMILY: readonly NamePair[] = [
	['GURUNG', 'グルン'], ['TAMANG', 'タマン'], ['RAI', 'ライ'], ['MAGAR', 'マガル'], ['SHRESTHA', 'シュレスタ'], ['THAPA', 'タパ'],
	['SHARMA', 'シャルマ'], ['ADHIKARI', 'アディカリ'], ['POUDEL', 'ポウデル'], ['BHANDARI', 'バンダリ'], ['KARKI', 'カルキ'], ['LAMA', 'ラマ']
];
const NP_GIVEN_M: readonly NamePair[] = [
	['RAM', 'ラム'], ['HARI', 'ハリ'], ['KRISHNA', 'クリシュナ'], ['BIKASH', 'ビカス'], ['SURESH', 'スレシュ'], ['RAJESH', 'ラジェシュ'],
	['SANJAY', 'サンジャイ'], ['DIPAK', 'ディパク'], ['PRAKASH', 'プラカス'], ['ROSHAN', 'ロシャン'], ['BISHNU', 'ビシュヌ']
];
const NP_GIVEN_F: readonly NamePair[] = [
	['SITA', 'シタ'], ['GITA', 'ギタ'], ['SABITA', 'サビタ'], ['ANITA', 'アニタ'], ['MAYA', 'マヤ'], ['SUNITA', 'スニタ'], ['KABITA', 'カビタ']
];

const CN_FAMILY: readonly NamePair[] = [
	['王', 'ワン'], ['李', 'リー'], ['張', 'チャン'], ['劉', 'リュウ'], ['陳', 'チン'], ['楊', 'ヤン'], ['黄', 'ホアン'], ['趙', 'チャオ'],
	['呉', 'ウー'], ['周', 'チョウ'], ['徐', 'シュー'], ['孫', 'スン'], ['馬', 'マー'], ['朱', 'チュー'], ['胡', 'フー'], ['林', 'リン'],
	['郭', 'グオ'], ['何', 'ハー']
];
const CN_MALE: readonly NamePair[] = [
	['偉', 'ウェイ'], ['強', 'チアン'], ['磊', 'レイ'], ['軍', 'ジュン'], ['洋', 'ヤン'], ['勇', 'ヨン'], ['傑', 'ジエ'], ['涛', 'タオ'],
	['明', 'ミン'], ['超', 'チャオ'], ['浩然', 'ハオラン'], ['子軒', 'ズーシュエン'], ['宇航', 'ユーハン']
];
const CN_FEMALE: readonly NamePair[] = [
	['芳', 'ファン'], ['娜', 'ナー'], ['敏', 'ミン'], ['静', 'ジン'], ['艶', 'イェン'], ['秀英', 'シウイン'], ['麗', 'リー'], ['子涵', 'ズーハン'],
	['雨桐', 'ユートン'], ['婷', 'ティン'], ['雪', 'シュエ']
];

const TW_FAMILY: readonly NamePair[] = [['陳', 'チェン'], ['林', 'リン'], ['黃', 'ホワン'], ['張', 'チャン'], ['李', 'リー'], ['王', 'ワン'], ['吳', 'ウー'], ['蔡', 'ツァイ']];
const TW_MALE: readonly NamePair[] = [['家豪', 'ジャーハオ'], ['志明', 'ジーミン'], ['冠宇', 'グァンユー'], ['建宏', 'ジェンホン'], ['俊傑', 'ジュンジエ']];
const TW_FEMALE: readonly NamePair[] = [['怡君', 'イージュン'], ['雅婷', 'ヤーティン'], ['淑芬', 'シューフェン'], ['佳穎', 'ジャーイン'], ['美玲', 'メイリン']];

const KR_FAMILY: readonly NamePair[] = [
	['金', 'キム'], ['李', 'イ'], ['朴', 'パク'], ['崔', 'チェ'], ['鄭', 'チョン'], ['姜', 'カン'], ['趙', 'チョ'], ['尹', 'ユン'],
	['張', 'チャン'], ['林', 'イム'], ['韓', 'ハン'], ['呉', 'オ'], ['申', 'シン']
];
const KR_MALE: readonly NamePair[] = [
	['民俊', 'ミンジュン'], ['志勲', 'ジフン'], ['成民', 'ソンミン'], ['賢宇', 'ヒョヌ'], ['俊浩', 'ジュノ'], ['東賢', 'ドンヒョン'],
	['在勲', 'ジェフン'], ['泰英', 'テヨン']
];
const KR_FEMALE: readonly NamePair[] = [
	['瑞妍', 'ソヨン'], ['知恩', 'ジウン'], ['秀賢', 'スヒョン'], ['恩智', 'ウンジ'], ['美英', 'ミヨン'], ['恵珍', 'ヘジン'], ['智英', 'ジヨン']
];

const MM_MALE: readonly NamePair[] = [
	['AUNG', 'アウン'], ['KYAW', 'チョー'], ['MIN', 'ミン'], ['HTET', 'テッ'], ['NAING', 'ナイン'], ['ZAW', 'ゾー'], ['THET', 'テッ'],
	['SOE', 'ソー'], ['WIN', 'ウィン'], ['TUN', 'トゥン'], ['KO', 'コー'], ['MYO', 'ミョー'], ['HLAING', 'フライン']
];
const MM_FEMALE: readonly NamePair[] = [
	['THANDAR', 'タンダー'], ['SU', 'スー'], ['HNIN', 'ニン'], ['PHYU', 'ピュー'], ['KHIN', 'キン'], ['SANDAR', 'サンダー'], ['NWE', 'ヌエ'],
	['AYE', 'エー'], ['MYAT', 'ミャッ'], ['THIN', 'ティン'], ['MAY', 'メー']
];

const PH_FAMILY: readonly NamePair[] = [
	['SANTOS', 'サントス'], ['REYES', 'レイエス'], ['CRUZ', 'クルーズ'], ['BAUTISTA', 'バウティスタ'], ['GARCIA', 'ガルシア'],
	['MENDOZA', 'メンドーサ'], ['RAMOS', 'ラモス'], ['AQUINO', 'アキノ'], ['VILLANUEVA', 'ビジャヌエバ']
];
const PH_MALE: readonly NamePair[] = [['JOSE', 'ホセ'], ['JOHN', 'ジョン'], ['MARK', 'マーク'], ['MICHAEL', 'マイケル'], ['RODEL', 'ロデル']];
const PH_FEMALE: readonly NamePair[] = [['MARIA', 'マリア'], ['ANNA', 'アンナ'], ['GRACE', 'グレース'], ['JOY', 'ジョイ'], ['CHRISTINE', 'クリスティン'], ['ROSE', 'ローズ']];

const US_FAMILY: readonly NamePair[] = [['SMITH', 'スミス'], ['JOHNSON', 'ジョンソン'], ['BROWN', 'ブラウン'], ['WILLIAMS', 'ウィリアムズ'], ['MILLER', 'ミラー'], ['DAVIS', 'デイビス']];
const US_MALE: readonly NamePair[] = [['JAMES', 'ジェームズ'], ['DAVID', 'デイビッド'], ['ROBERT', 'ロバート'], ['DANIEL', 'ダニエル']];
const US_FEMALE: readonly NamePair[] = [['EMILY', 'エミリー'], ['SARAH', 'サラ'], ['JESSICA', 'ジェシカ'], ['LAURA', 'ローラ']];

const IN_FAMILY: readonly NamePair[] = [['SINGH', 'シン'], ['KUMAR', 'クマール'], ['PATEL', 'パテル'], ['SHARMA', 'シャルマ'], ['GUPTA', 'グプタ']];
const IN_MALE: readonly NamePair[] = [['RAHUL', 'ラフル'], ['AMIT', 'アミット'], ['VIKRAM', 'ヴィクラム'], ['ARJUN', 'アルジュン']];
const IN_FEMALE: readonly NamePair[] = [['PRIYA', 'プリヤ'], ['ANJALI', 'アンジャリ'], ['POOJA', 'プージャ'], ['NEHA', 'ネハ']];

/** Myanmar names have no family name: two or three syllables, none passed on. */
const myanmarStyle: NameStyle = {
	full(rng, sex) {
		const list = sex === '男' ? MM_MALE : MM_FEMALE;
		const parts = Array.from({ length: rng.int(2, 3) }, () => rng.pick(list));
		return { name: parts.map((p) => p[0]).join(' '), kana: parts.map((p) => p[1]).join(SP), family: parts[0] };
	},
	child(rng, sex) {
		const { name, kana } = myanmarStyle.full(rng, sex);
		return { name, kana };
	}
};

interface Nationality {
	code: string;
	language: string;
	style: NameStyle;
	/** a spouse keeps their own family name (true) or takes the head's (false) */
	spouseOwnName: boolean;
}

const NATIONALITIES: Record<string, Nationality> = {
	JP: { code: 'JP', language: 'ja', style: kanjiStyle(JP_FAMILY, JP_MALE, JP_FEMALE, JP_FAMILY_RARE, 0.02), spouseOwnName: false },
	CN: { code: 'CN', language: 'zh', style: kanjiStyle(CN_FAMILY, CN_MALE, CN_FEMALE), spouseOwnName: true },
	TW: { code: 'TW', language: 'zh', style: kanjiStyle(TW_FAMILY, TW_MALE, TW_FEMALE), spouseOwnName: true },
	KR: { code: 'KR', language: 'ko', style: kanjiStyle(KR_FAMILY, KR_MALE, KR_FEMALE), spouseOwnName: true },
	VN: { code: 'VN', language: 'vi', style: latinStyle(VN_FAMILY, [VN_MIDDLE_M, VN_GIVEN_M], [VN_MIDDLE_F, VN_GIVEN_F]), spouseOwnName: true },
	NP: { code: 'NP', language: 'ne', style: latinStyle(NP_FAMILY, [NP_GIVEN_M], [NP_GIVEN_F]), spouseOwnName: false },
	MM: { code: 'MM', language: 'my', style: myanmarStyle, spouseOwnName: true },
	PH: { code: 'PH', language: 'en', style: latinStyle(PH_FAMILY, [PH_MALE], [PH_FEMALE]), spouseOwnName: false },
	US: { code: 'US', language: 'en', style: latinStyle(US_FAMILY, [US_MALE], [US_FEMALE]), spouseOwnName: false },
	IN: { code: 'IN', language: 'en', style: latinStyle(IN_FAMILY, [IN_MALE], [IN_FEMALE]), spouseOwnName: false }
};
const FOREIGN_MIX: readonly (readonly [string, number])[] = [
	['CN', 28], ['VN', 17], ['NP', 16], ['KR', 14], ['MM', 9], ['PH', 4], ['TW', 4], ['US', 4], ['IN', 4]
];
/** Share of households (all delinquent) whose head is a foreign resident. */
const FOREIGN_SHARE = 0.17;

// ─── premiums (rates near the 23 wards' recent ones; caps scaled so that a year stays ≤ ¥900,000) ────────

const RATE = {
	medical: { income: 0.0771, perCapita: 49_100, cap: 580_000 },
	support: { income: 0.0269, perCapita: 16_500, cap: 180_000 },
	care: { income: 0.0225, perCapita: 16_600, cap: 140_000 }
};
const BASIC_DEDUCTION = 430_000;
const floor100 = (n: number): number => Math.floor(n / 100) * 100;

interface YearPremium {
	medical: number;
	support: number;
	care: number;
	total: number;
	careMembers: number;
	reductionClass: string | null;
	premium: Omit<DemoPremium, 'fiscalYear' | 'previousAnnualPremium' | 'annualPremium'>;
}

function assessYear(income: number, insured: number, careMembers: number, earners: number): YearPremium {
	const base = Math.max(0, income - BASIC_DEDUCTION * Math.max(1, earners));
	const reduction =
		income <= BASIC_DEDUCTION ? 0.7 : income <= BASIC_DEDUCTION + 295_000 * insured ? 0.5 : income <= BASIC_DEDUCTION + 545_000 * insured ? 0.2 : 0;
	const part = (r: { income: number; perCapita: number; cap: number }, heads: number) => {
		const levy = Math.floor(base * r.income);
		const perCapita = r.perCapita * heads;
		const reduced = Math.floor(perCapita * reduction);
		const raw = levy + perCapita - reduced;
		const amount = floor100(Math.min(raw, r.cap));
		return { levy, perCapita, reduced, overCap: Math.max(0, raw - r.cap), amount };
	};
	const m = part(RATE.medical, insured);
	const s = part(RATE.support, insured);
	const c = careMembers > 0 ? part(RATE.care, careMembers) : { levy: 0, perCapita: 0, reduced: 0, overCap: 0, amount: 0 };
	return {
		medical: m.amount,
		support: s.amount,
		care: c.amount,
		total: m.amount + s.amount + c.amount,
		careMembers,
		reductionClass: reduction === 0.7 ? '7割軽減' : reduction === 0.5 ? '5割軽減' : reduction === 0.2 ? '2割軽減' : null,
		premium: {
			premiumType: '医療',
			incomeBase: base,
			incomeLevy: m.levy + s.levy + c.levy,
			perCapita: m.perCapita + s.perCapita + c.perCapita,
			perCapitaReduction: m.reduced + s.reduced + c.reduced,
			overCap: m.overCap + s.overCap + c.overCap,
			exemption: 0
		}
	};
}

/** Split an amount over n periods in 100-yen steps, the remainder in the first. */
function split(amount: number, n: number): number[] {
	const each = floor100(amount / n);
	const out = new Array<number>(n).fill(each);
	if (n > 0) out[0] = amount - each * (n - 1);
	return out;
}

// ─── payments ───────────────────────────────────────────────────────────────────────────────────────────

const INSTITUTIONS: readonly (readonly [string, number])[] = [
	['コンビニ', 40],
	['ゆうちょ銀行', 14],
	['みずほ銀行', 8],
	['三菱UFJ銀行', 8],
	['三井住友銀行', 7],
	['りそな銀行', 4],
	['区役所窓口', 7],
	['特別出張所', 4],
	['モバイルレジ', 5],
	['PayPay請求書払い', 3]
];
const BANKS: readonly (readonly [string, string])[] = [
	['0001', 'みずほ銀行'],
	['0005', '三菱UFJ銀行'],
	['0009', '三井住友銀行'],
	['0010', 'りそな銀行'],
	['9900', 'ゆうちょ銀行'],
	['1344', '西武信用金庫'],
	['0397', 'ＳＢＩ新生銀行']
];

type PeriodFate = 'paid' | 'late' | 'partial' | 'none';

// ─── phones ─────────────────────────────────────────────────────────────────────────────────────────────

function mobileDigits(rng: Rng): string {
	return rng.weighted([['090', 50], ['080', 35], ['070', 15]] as const) + String(rng.int(1, 9)) + rng.digits(7);
}
function landlineDigits(rng: Rng): string {
	return '03' + rng.pick(['5', '6']) + rng.digits(7);
}
function writeMobile(rng: Rng, d: string): string {
	const a = d.slice(0, 3), b = d.slice(3, 7), c = d.slice(7);
	return rng.weighted([
		[`${a}-${b}-${c}`, 50],
		[d, 20],
		[toFullWidthDigits(`${a}－${b}－${c}`), 12],
		[`${a} ${b} ${c}`, 6],
		[`${a}(${b})${c}`, 6],
		[`${a}－${b}－${c}`, 3],
		[`+81-${a.slice(1)}-${b}-${c}`, 3]
	] as const);
}
function writeLandline(rng: Rng, d: string, extension?: string): string {
	const a = d.slice(0, 2), b = d.slice(2, 6), c = d.slice(6);
	const s = rng.weighted([
		[`${a}-${b}-${c}`, 50],
		[`${a}(${b})${c}`, 15],
		[d, 15],
		[toFullWidthDigits(`${a}－${b}－${c}`), 10],
		[`(${a})${b}-${c}`, 5],
		[`${a} ${b} ${c}`, 5]
	] as const);
	return extension ? s + rng.pick([' 内線', '内線', ' 内']) + extension : s;
}
function invalidPhone(rng: Rng): string {
	return rng.weighted([
		['不明', 20],
		['0000000000', 10],
		['00000000000', 4],
		[`03-${rng.digits(3)}-${rng.digits(2)}`, 12],
		[`090-${rng.digits(4)}-${rng.digits(3)}`, 12],
		[`03-${rng.int(5, 6)}${rng.digits(3)}-${rng.digits(5)}`, 8],
		[`${rng.int(5, 6)}${rng.digits(3)}-${rng.digits(4)}`, 10],
		[`080-${rng.digits(4)}-${rng.digits(5)}`, 8],
		['なし', 6],
		['要確認', 5],
		[toFullWidthDigits(rng.digits(4)), 5]
	] as const);
}

// ─── the generator ──────────────────────────────────────────────────────────────────────────────────────

interface MemberPlan {
	sex: Sex;
	age: number;
	relationship: string;
	nationality: Nationality;
	name: Name;
	family: NamePair;
}

export function* generateDemoData(opts: DemoOptions): Generator<DemoHousehold> {
	const { seed, households, today } = opts;
	if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error(`today must be YYYY-MM-DD, got ${today}`);
	const rng = new Rng(seed);
	const ctx = new Context(rng, today);
	for (let i = 0; i < households; i++) yield ctx.household(i);
}

class Context {
	readonly fy: number;
	readonly arrearsFy: number;
	readonly years: number[];
	private personCounter = 0;

	constructor(
		private readonly rng: Rng,
		private readonly today: string
	) {
		this.fy = fiscalYearOf(today);
		this.arrearsFy = arrearsFiscalYear(today);
		this.years = [this.fy - 2, this.fy - 1, this.fy];
	}

	household(index: number): DemoHousehold {
		const { rng, today } = this;
		const foreign = rng.chance(FOREIGN_SHARE);
		const nat = NATIONALITIES[foreign ? rng.weighted(FOREIGN_MIX) : 'JP'];

		// ── members ──
		const members = this.members(nat, foreign);
		const head = members[0];

		// ── address ──
		const town = rng.weighted(foreign ? TOWNS_FOREIGN : TOWNS_JP);
		const [district, postalCode, chome] = town;
		let street: string;
		if (chome > 0) {
			const c = rng.int(1, chome), b = rng.int(1, 30), g = rng.int(1, 25);
			street = rng.chance(0.7) ? `${c}丁目${b}番${g}号` : `${c}-${b}-${g}`;
		} else {
			street = rng.chance(0.6) ? `${rng.int(1, 600)}番地` : `${rng.int(1, 300)}-${rng.int(1, 20)}`;
		}
		const address = `東京都新宿区${district}${street}`;
		const addressExtra = this.addressExtra(foreign, district);

		// ── people ──
		const persons: DemoPerson[] = [];
		const birthDates: string[] = [];
		for (const [key, m] of members.entries()) {
			const birth = this.birthDate(m.age);
			birthDates.push(birth);
			persons.push({
				key,
				residentNumber: this.residentNumber(),
				fiscalYear: this.fy,
				name: m.name.name,
				nameKana: m.name.kana,
				nameSearch: nameSearchOf(m.name.name),
				kanaSearch: kanaSearchOf(m.name.kana),
				hasGaiji: false,
				postalCode,
				address: addressExtra ? `${address}　${addressExtra}` : address,
				phoneRaw: null,
				sex: m.sex,
				relationship: m.relationship,
				birthDate: birth,
				residentSince: birth,
				residentSinceReason: '出生',
				residentUntil: null,
				residentUntilReason: null,
				deathDate: null,
				nationality: m.nationality.code
			});
		}

		// when the household moved in, and when it joined 国保 (never after April 1 of the arrears year, so that
		// the arrears year is a full year of 10 periods)
		const arrearsStart = `${this.arrearsFy}-04-01`;
		const adult = anniversary(birthDates[0], 18);
		const movedIn = foreign
			? rng.date(maxDate(adult, addDays(today, -12 * 365)), arrearsStart)
			: rng.chance(0.25)
				? birthDates[0]
				: rng.date(adult, arrearsStart);
		const earliest = maxDate(movedIn, adult);
		let nhiSince: string;
		let nhiReason: string;
		const fyStart0 = `${this.fy - 2}-04-01`;
		if (foreign) {
			nhiSince = movedIn;
			nhiReason = rng.chance(0.85) ? '国外転入' : '転入';
		} else if (earliest < fyStart0 && rng.chance(0.8)) {
			nhiSince = rng.date(earliest, fyStart0);
			nhiReason = rng.weighted([['社保離脱', 65], ['転入', 25], ['生保廃止', 5], ['その他', 5]] as const);
			if (nhiSince === movedIn && movedIn !== birthDates[0]) nhiReason = '転入';
		} else {
			// left an employer's insurance at the end of March (the commonest case), or moved in
			const aprils = this.years.map((y) => `${y}-04-01`).filter((d) => d >= earliest && d <= arrearsStart);
			nhiSince = aprils.length > 0 ? rng.pick(aprils) : earliest <= arrearsStart ? earliest : arrearsStart;
			nhiReason = '社保離脱';
		}
		if (nhiSince > arrearsStart) nhiSince = arrearsStart;

		for (const [key, p] of persons.entries()) {
			const m = members[key];
			if (foreign) {
				// family members arrived with the head or later (children born here)
				if (p.birthDate > movedIn) continue; // born here: 出生
				p.residentSince = movedIn;
				p.residentSinceReason = nhiReason;
			} else if (key === 0) {
				if (movedIn !== p.birthDate) {
					p.residentSince = movedIn;
					p.residentSinceReason = '転入';
				}
			} else if (m.relationship === '妻' || m.relationship === '夫' || m.relationship === '父' || m.relationship === '母') {
				p.residentSince = rng.date(maxDate(p.birthDate, addDays(movedIn, -3000)), nhiSince);
				p.residentSinceReason = p.residentSince === p.birthDate ? '出生' : '転入';
			} else if (p.birthDate < movedIn && movedIn !== persons[0].birthDate) {
				p.residentSince = movedIn;
				p.residentSinceReason = '転入';
			}
		}
		const headRow = persons[0];

		// ── eligibility ──
		const eligibility: DemoEligibility[] = [];
		for (const p of persons) {
			const acquiredOn = maxDate(nhiSince, p.birthDate);
			const reason = acquiredOn === p.birthDate && acquiredOn !== nhiSince ? '出生' : p.key === 0 ? nhiReason : rng.chance(0.8) ? nhiReason : '社保離脱';
			eligibility.push({
				personKey: p.key,
				kind: '国保',
				acquiredOn,
				acquiredFiledOn: minDate(addDays(acquiredOn, rng.int(0, 45)), today),
				acquiredReason: reason,
				lostOn: null,
				lostFiledOn: null,
				lostReason: null
			});
			const age = ageOn(p.birthDate, today);
			if (age >= 40 && age <= 64) {
				// 介護保険第2号: from the day before the 40th birthday, or from joining 国保
				const forty = addDays(anniversary(p.birthDate, 40), -1);
				const on = maxDate(forty, acquiredOn);
				eligibility.push({
					personKey: p.key,
					kind: '介護',
					acquiredOn: on,
					acquiredFiledOn: on,
					acquiredReason: on === forty ? '年齢到達' : '国保加入',
					lostOn: null,
					lostFiledOn: null,
					lostReason: null
				});
			}
		}

		// ── phones ──
		const phones: DemoPhone[] = [];
		const addPhone = (personKey: number | null, raw: string): boolean => {
			const parsed = parsePhone(raw);
			if (phones.some((x) => x.raw === raw || (parsed.digits !== null && x.digits === parsed.digits))) return false;
			phones.push({ personKey, raw, digits: parsed.digits, extension: parsed.extension, kind: parsed.kind, valid: parsed.valid, source: 'import' });
			return true;
		};
		const phoneCase = rng.weighted(
			foreign
				? ([['mobile', 68], ['landline', 5], ['none', 22], ['invalid', 5]] as const)
				: ([['mobile', 53], ['landline', 22], ['none', 20], ['invalid', 5]] as const)
		);
		let householdPhone: string | null = null;
		if (phoneCase === 'mobile') {
			householdPhone = writeMobile(rng, mobileDigits(rng));
			const sameOnPerson = rng.chance(0.7);
			if (sameOnPerson) headRow.phoneRaw = householdPhone;
			addPhone(sameOnPerson ? 0 : null, householdPhone);
		} else if (phoneCase === 'landline') {
			householdPhone = writeLandline(rng, landlineDigits(rng), rng.chance(0.04) ? String(rng.int(1, 399)) : undefined);
			addPhone(null, householdPhone);
			if (rng.chance(0.15)) {
				// the head also has a mobile of their own
				for (let t = 0; t < 3; t++) {
					const raw = writeMobile(rng, mobileDigits(rng));
					if (addPhone(0, raw)) {
						headRow.phoneRaw = raw;
						break;
					}
				}
			} else if (rng.chance(0.5)) {
				headRow.phoneRaw = householdPhone;
				phones[0].personKey = 0;
			}
		} else if (phoneCase === 'invalid') {
			householdPhone = invalidPhone(rng);
			headRow.phoneRaw = householdPhone;
			addPhone(0, householdPhone);
		}
		if (phoneCase !== 'none') {
			for (const p of persons.slice(1)) {
				if (ageOn(p.birthDate, today) < 15 || !rng.chance(0.15)) continue;
				for (let t = 0; t < 3; t++) {
					const raw = writeMobile(rng, mobileDigits(rng));
					if (addPhone(p.key, raw)) {
						p.phoneRaw = raw;
						break;
					}
				}
			}
		}

		// ── incomes, assessments, receipts ──
		const earners = members.filter((m, k) => m.age >= 20 && m.age < 65 && (k === 0 || rng.chance(0.4))).length;
		const baseIncome = this.income(foreign, members.length, head.age);
		const years: DemoHouseholdYear[] = [];
		const premiums: DemoPremium[] = [];
		const receipts: DemoReceipt[] = [];

		const bankTransfer = this.bankTransfer(headRow, nhiSince);
		const transferActive = (due: string) =>
			bankTransfer !== null && bankTransfer.startsOn < due && (bankTransfer.endsOn === null || bankTransfer.endsOn > due);

		// how this household pays: chronic non-payers carry arrears over, others fell behind only this year
		const chronic = rng.chance(0.35);
		const currentPattern = rng.weighted([['none', chronic ? 60 : 30], ['stopped', 30], ['sporadic', 25], ['late', 8]] as const);
		let carried = 0; // years of arrears so far, for the card class
		let prevIncome = baseIncome;

		for (const fy of this.years) {
			const fyStart = `${fy}-04-01`;
			const fyEnd = `${fy + 1}-03-31`;
			if (nhiSince > fyEnd) continue;
			const income = fy === this.fy ? baseIncome : Math.max(0, Math.round((prevIncome * (0.8 + rng.next() * 0.4)) / 1000) * 1000);
			prevIncome = income;
			const ages = birthDates.map((b) => ageOn(b, fyStart));
			const careMembers = ages.filter((a) => a >= 40 && a <= 64).length;
			const full = assessYear(income, members.length, careMembers, Math.max(1, earners));

			// joined during this year: 月割 from the month of joining, over the periods still to come
			let months = 12;
			let periods = Array.from({ length: 10 }, (_, k) => k + 1);
			if (nhiSince > fyStart) {
				const m = +nhiSince.slice(5, 7);
				months = m >= 4 ? 16 - m : 4 - m;
				periods = periods.filter((p) => dueDateOf(fy, p) >= nhiSince);
			}
			const prorate = (n: number) => floor100((n * months) / 12);
			const medical = prorate(full.medical), support = prorate(full.support), care = prorate(full.care);
			const annual = medical + support + care;

			const totalParts = split(annual, periods.length);
			const careParts = full.careMembers > 0 ? split(care, periods.length) : null;
			const supportParts = split(support, periods.length);

			const rows: DemoReceipt[] = [];
			for (let k = 0; k < periods.length; k++) {
				const period = periods[k];
				rows.push({
					fiscalYear: fy,
					equivalentYear: fy,
					period,
					assessed: totalParts[k],
					assessedCare: careParts ? careParts[k] : null,
					assessedElderly: supportParts[k],
					dueDate: dueDateOf(fy, period),
					receivedTotal: 0,
					receivedCare: careParts ? 0 : null,
					receivedElderly: 0,
					paidOn: null,
					receivedOn: null,
					receivingInstitution: null,
					lastPaidOn: null,
					lastReceivedOn: null
				});
			}

			// fates of the periods
			const overdue = rows.filter((r) => r.dueDate < today);
			let fates: PeriodFate[];
			if (fy < this.arrearsFy) {
				const carryOver = rng.chance(chronic ? (carried > 0 ? 0.75 : 0.55) : 0.08);
				fates = carryOver ? this.arrearsFates(rows.length, rng.weighted([['none', 25], ['stopped', 40], ['sporadic', 35]] as const)) : this.paidFates(rows.length);
				if (carryOver) carried++;
			} else if (fy === this.arrearsFy) {
				fates = this.arrearsFates(overdue.length, currentPattern);
				while (fates.length < rows.length) fates.push('none');
			} else {
				fates = rows.map(() => 'none');
			}
			for (const [k, r] of rows.entries()) {
				if (r.dueDate >= today && fy <= this.arrearsFy) {
					// not due yet: a few pay ahead
					fates[k] = currentPattern === 'late' && rng.chance(0.05) ? 'paid' : 'none';
				}
				this.pay(r, fates[k], transferActive(r.dueDate));
			}
			if (fy === this.arrearsFy && !overdue.some((r) => r.receivedTotal < r.assessed)) {
				// the guarantee: the latest overdue period stays (at least partly) unpaid
				this.unpay(overdue[overdue.length - 1]);
			}
			receipts.push(...rows);

			// household year and premium
			// 賦課更正 after the main assessment in June, never in the future
			const reassessed = rng.chance(0.12) && `${fy}-07-01` < today ? rng.date(`${fy}-07-01`, minDate(fyEnd, today)) : null;
			// 前回年間保険料額: the amount before the latest 賦課更正 (the same amount when there was none)
			const previous = reassessed ? floor100(annual * (0.75 + rng.next() * 0.5)) : annual;
			premiums.push({
				fiscalYear: fy,
				...full.premium,
				incomeLevy: prorate(full.premium.incomeLevy),
				perCapita: prorate(full.premium.perCapita),
				perCapitaReduction: prorate(full.premium.perCapitaReduction),
				overCap: prorate(full.premium.overCap),
				annualPremium: annual,
				previousAnnualPremium: previous
			});
			years.push(this.householdYear(fy, nhiSince, reassessed, full.reductionClass, carried, members.length, income));
		}

		// ── employers, payment managers, case history ──
		const employers: DemoEmployer[] = [];
		if (head.age < 70 && rng.chance(0.2)) employers.push(this.employer(0, foreign, nat));
		for (const p of persons.slice(1)) {
			const age = ageOn(p.birthDate, today);
			if (age >= 20 && age < 65 && rng.chance(0.04)) employers.push(this.employer(p.key, foreign, nat));
		}

		const paymentManagers: DemoPaymentManager[] = [];
		if (rng.chance(0.01)) {
			if (!foreign && head.age >= 55 && persons.length > 1) {
				// the head died this year; an heir pays
				const death = rng.date(`${this.arrearsFy}-04-01`, addDays(today, -20));
				headRow.deathDate = death;
				headRow.residentUntil = death;
				headRow.residentUntilReason = '死亡';
				const e = eligibility.find((x) => x.personKey === 0 && x.kind === '国保')!;
				e.lostOn = addDays(death, 1);
				e.lostFiledOn = minDate(addDays(death, rng.int(3, 14)), today);
				e.lostReason = '死亡';
				const heir = persons[1];
				paymentManagers.push({ kind: '相続人', name: heir.name, address: heir.address });
			} else {
				const manager = rng.chance(0.5) ? NATIONALITIES.JP.style.full(rng, rng.chance(0.5) ? '男' : '女').name : `${rng.pick(BUILDING_WORD)}行政書士事務所`;
				const [ward, t] = rng.pick(OTHER_TOKYO);
				paymentManagers.push({ kind: '納付管理人', name: manager, address: `東京都${ward}${t}${rng.int(1, 5)}-${rng.int(1, 20)}-${rng.int(1, 15)}` });
			}
		}

		const caseHistory = rng.chance(0.1) ? this.caseHistory(persons, foreign, nat, receipts) : [];

		const household: DemoHouseholdRow = {
			nhiNumber: String(10_000 + index * 3 + rng.int(0, 2)).padStart(8, '0'),
			headResidentNumber: headRow.residentNumber,
			postalCode,
			address,
			addressExtra,
			district,
			phoneRaw: householdPhone,
			language: nat.language,
			synthetic: true
		};
		return {
			index,
			household,
			years,
			persons,
			phones,
			receipts,
			premiums,
			bankTransfer,
			eligibility,
			employers,
			paymentManagers,
			caseHistory
		};
	}

	// ── members ─────────────────────────────────────────────────────────────────────────────────────────

	private members(nat: Nationality, foreign: boolean): MemberPlan[] {
		const { rng } = this;
		const headAge = foreign
			? rng.weighted([[[20, 29], 55], [[30, 39], 28], [[40, 49], 10], [[50, 64], 7]] as const)
			: rng.weighted([[[20, 29], 20], [[30, 39], 20], [[40, 49], 20], [[50, 59], 18], [[60, 64], 10], [[65, 74], 12]] as const);
		const age = rng.int(headAge[0], headAge[1]);
		const kind = foreign
			? rng.weighted([['single', 70], ['couple', 15], ['family', 12], ['parent', 3]] as const)
			: rng.weighted([['single', 55], ['couple', 15], ['family', 15], ['single_parent', 7], ['with_parent', 5], ['siblings', 3]] as const);
		const headSex: Sex = kind === 'single_parent' ? (rng.chance(0.85) ? '女' : '男') : rng.chance(foreign ? 0.58 : 0.62) ? '男' : '女';
		const headName = nat.style.full(rng, headSex);
		const out: MemberPlan[] = [{ sex: headSex, age, relationship: '世帯主', nationality: nat, name: headName, family: headName.family }];
		const other = (s: Sex): Sex => (s === '男' ? '女' : '男');
		const spouse = () => {
			const sex = other(headSex);
			const a = Math.min(74, Math.max(20, age + (headSex === '男' ? -rng.int(-2, 6) : rng.int(-2, 6))));
			const n = nat.spouseOwnName ? nat.style.full(rng, sex) : { ...nat.style.child(rng, sex, headName.family), family: headName.family };
			out.push({ sex, age: a, relationship: sex === '女' ? '妻' : '夫', nationality: nat, name: n, family: n.family });
		};
		const children = (n: number, parentAge: number) => {
			const hi = Math.min(parentAge - 20, 25);
			if (hi < 3) return;
			for (let k = 0; k < n && out.length < 4; k++) {
				// siblings at least two years apart
				const a = rng.int(3, hi);
				if (out.some((m) => m.relationship === '子' && Math.abs(m.age - a) < 2)) continue;
				const sex: Sex = rng.chance(0.5) ? '男' : '女';
				out.push({ sex, age: a, relationship: '子', nationality: nat, name: nat.style.child(rng, sex, headName.family), family: headName.family });
			}
		};
		switch (kind) {
			case 'couple':
				spouse();
				break;
			case 'family':
				spouse();
				children(rng.int(1, 2), Math.min(age, out[1].age));
				break;
			case 'single_parent':
			case 'parent':
				children(rng.int(1, 2), age);
				break;
			case 'with_parent': {
				const pa = age + rng.int(24, 34);
				if (pa <= 74) {
					const sex: Sex = rng.chance(0.65) ? '女' : '男';
					out.push({ sex, age: pa, relationship: sex === '女' ? '母' : '父', nationality: nat, name: nat.style.child(rng, sex, headName.family), family: headName.family });
				}
				break;
			}
			case 'siblings': {
				const sex: Sex = rng.chance(0.5) ? '男' : '女';
				const a = Math.min(74, Math.max(18, age + rng.int(-8, 8)));
				const rel = sex === '男' ? (a > age ? '兄' : '弟') : a > age ? '姉' : '妹';
				out.push({ sex, age: a, relationship: rel, nationality: nat, name: nat.style.child(rng, sex, headName.family), family: headName.family });
				break;
			}
		}
		return out;
	}

	private birthDate(age: number): string {
		// a date on which the person is `age` today
		const anniversaryThisYear = anniversary(this.today.slice(5) === '02-29' ? `2000-02-28` : `2000-${this.today.slice(5)}`, +this.today.slice(0, 4) - 2000 - age);
		return addDays(anniversaryThisYear, -this.rng.int(0, 364));
	}

	private residentNumber(): string {
		const n = this.personCounter++;
		return String(1_000_000 + n * 11 + this.rng.int(0, 10)).padStart(10, '0');
	}

	private addressExtra(foreign: boolean, district: string): string | null {
		const { rng } = this;
		if (!rng.chance(foreign ? 0.9 : 0.6)) return null;
		const room = `${rng.int(1, foreign ? 5 : 12)}0${rng.int(1, 9)}`;
		const style = rng.weighted([['mansion', 55], ['apartment', 25], ['share', foreign ? 20 : 3], ['fw', 5]] as const);
		switch (style) {
			case 'mansion':
				return `${rng.pick(BUILDING_PREFIX)}${rng.chance(0.5) ? district : rng.pick(BUILDING_WORD)}${rng.chance(0.5) ? ' ' : ''}${room}${rng.chance(0.4) ? '号室' : ''}`;
			case 'apartment':
				return `${rng.pick(BUILDING_WORD)}${rng.pick(APARTMENT_SUFFIX)} ${rng.int(1, 2)}0${rng.int(1, 6)}号室`;
			case 'share':
				return `シェアハウス${rng.pick(BUILDING_WORD)} ${rng.int(1, 4)}F-${rng.pick(['A', 'B', 'C', 'D'])}`;
			case 'fw':
				return `${rng.pick(BUILDING_PREFIX)}${district}　${toFullWidthDigits(room)}号室`;
		}
	}

	/** 総所得世帯合計: most delinquent households earn little. */
	private income(foreign: boolean, size: number, headAge: number): number {
		const { rng } = this;
		const band = rng.weighted([
			['seven', foreign ? 45 : 36],
			['five', 14],
			['two', 14],
			['full', foreign ? 27 : 36]
		] as const);
		switch (band) {
			case 'seven':
				return rng.chance(0.4) ? 0 : rng.int(0, 430) * 1000;
			case 'five':
				return rng.int(431, 430 + 295 * size) * 1000;
			case 'two':
				return rng.int(431 + 295 * size, 430 + 545 * size) * 1000;
			case 'full': {
				const median = headAge >= 65 ? 1_800_000 : 2_600_000;
				const v = Math.exp(Math.log(median) + 0.7 * rng.normal());
				return Math.round(Math.min(Math.max(v, 430_000 + 545_000 * size + 1000), 15_000_000) / 1000) * 1000;
			}
		}
	}

	// ── payments ────────────────────────────────────────────────────────────────────────────────────────

	private paidFates(n: number): PeriodFate[] {
		return Array.from({ length: n }, () => (this.rng.chance(0.82) ? 'paid' : 'late'));
	}

	/** Fates for n overdue periods such that at least one stays unpaid or partly paid. */
	private arrearsFates(n: number, pattern: 'none' | 'stopped' | 'sporadic' | 'late'): PeriodFate[] {
		const { rng } = this;
		if (n === 0) return [];
		switch (pattern) {
			case 'none':
				return Array.from({ length: n }, () => 'none');
			case 'stopped': {
				const k = rng.int(0, n - 1); // paid the first k, then stopped
				return Array.from({ length: n }, (_, i) => (i < k ? (rng.chance(0.8) ? 'paid' : 'late') : 'none'));
			}
			case 'sporadic': {
				const f: PeriodFate[] = Array.from({ length: n }, () => rng.weighted([['paid', 35], ['late', 10], ['partial', 30], ['none', 25]] as const));
				if (!f.some((x) => x === 'partial' || x === 'none')) f[rng.int(0, n - 1)] = rng.chance(0.5) ? 'partial' : 'none';
				return f;
			}
			case 'late': {
				// pays, but months late: the latest periods are still open
				const open = rng.int(1, Math.min(2, n));
				return Array.from({ length: n }, (_, i) => (i < n - open ? 'late' : 'none'));
			}
		}
	}

	private pay(r: DemoReceipt, fate: PeriodFate, byTransfer: boolean): void {
		const { rng, today } = this;
		if (fate === 'none' || r.assessed <= 0) return;
		if (fate === 'partial' && r.assessed <= 200) return;
		const noticeOn = `${r.fiscalYear}-06-15`;
		let amount = r.assessed;
		let paidOn: string;
		let institution: string;
		if (fate === 'paid' && byTransfer) {
			paidOn = r.dueDate;
			institution = '口座振替';
		} else if (fate === 'paid') {
			paidOn = maxDate(addDays(r.dueDate, -rng.int(0, 25)), noticeOn);
			institution = rng.weighted(INSTITUTIONS);
		} else if (fate === 'late') {
			paidOn = addDays(r.dueDate, rng.int(7, 150));
			institution = rng.weighted(INSTITUTIONS);
		} else {
			amount = Math.max(100, floor100(r.assessed * (0.2 + rng.next() * 0.6)));
			if (amount >= r.assessed) amount = r.assessed - 100;
			paidOn = addDays(r.dueDate, rng.int(-10, 90));
			institution = rng.weighted(INSTITUTIONS);
		}
		const lag = institution === '口座振替' ? 1 : 2;
		let receivedOn = addDays(paidOn, rng.int(lag, lag * 3));
		// payment data reaches the ward days later: a payment not received by today is not in the data yet
		if (receivedOn > today) {
			if (fate === 'paid') return;
			paidOn = addDays(today, -rng.int(7, 20));
			if (paidOn < maxDate(noticeOn, addDays(r.dueDate, -25))) return;
			receivedOn = minDate(addDays(paidOn, rng.int(lag, lag * 3)), today);
		}
		// sometimes in two instalments: paid_on is the first, last_paid_on the second
		let lastPaidOn = paidOn;
		let lastReceivedOn = receivedOn;
		if (institution !== '口座振替' && rng.chance(0.1)) {
			const second = addDays(paidOn, rng.int(10, 60));
			const secondReceived = addDays(second, rng.int(lag, lag * 3));
			if (secondReceived <= today) {
				lastPaidOn = second;
				lastReceivedOn = secondReceived;
			}
		}
		r.receivedTotal = amount;
		if (r.assessedCare !== null) r.receivedCare = amount === r.assessed ? r.assessedCare : Math.floor((r.assessedCare * amount) / r.assessed);
		if (r.assessedElderly !== null) r.receivedElderly = amount === r.assessed ? r.assessedElderly : Math.floor((r.assessedElderly * amount) / r.assessed);
		r.paidOn = paidOn;
		r.receivedOn = receivedOn;
		r.receivingInstitution = institution;
		r.lastPaidOn = lastPaidOn;
		r.lastReceivedOn = lastReceivedOn;
	}

	private unpay(r: DemoReceipt): void {
		r.receivedTotal = 0;
		r.receivedCare = r.assessedCare === null ? null : 0;
		r.receivedElderly = r.assessedElderly === null ? null : 0;
		r.paidOn = r.receivedOn = r.receivingInstitution = r.lastPaidOn = r.lastReceivedOn = null;
	}

	// ── the rest ────────────────────────────────────────────────────────────────────────────────────────

	private householdYear(fy: number, nhiSince: string, reassessedOn: string | null, reductionClass: string | null, carried: number, insured: number, income: number): DemoHouseholdYear {
		const { rng, today } = this;
		const fyStart = `${fy}-04-01`;
		let cardClass = '一般';
		if (carried >= 2) cardClass = rng.weighted([['一般', 30], ['短期証', 55], ['資格証明書', 15]] as const);
		else if (carried === 1) cardClass = rng.weighted([['一般', 70], ['短期証', 30]] as const);
		let issued: string;
		let expires: string | null;
		if (cardClass === '一般') {
			issued = maxDate(fyStart, addDays(nhiSince, rng.int(3, 20)));
			expires = `${fy + 1}-09-30`;
		} else {
			issued = `${fy}-10-01` <= today ? `${fy}-10-01` : fyStart;
			expires = cardClass === '短期証' ? (issued.endsWith('10-01') ? `${fy + 1}-03-31` : `${fy}-09-30`) : null;
		}
		return {
			fiscalYear: fy,
			reassessedOn,
			reductionClass,
			cardClass,
			cardIssuedOn: minDate(issued, today),
			cardExpiresOn: expires,
			insuredCount: insured,
			totalIncome: income
		};
	}

	private bankTransfer(head: DemoPerson, nhiSince: string): DemoBankTransfer | null {
		const { rng, today } = this;
		if (!rng.chance(0.25)) return null;
		const startsOn = rng.date(maxDate(nhiSince, addDays(today, -8 * 365)), addDays(today, -60));
		const enabled = rng.chance(0.45);
		const endsOn = enabled ? null : rng.date(addDays(startsOn, 30), addDays(today, -10));
		const [bankCode] = rng.pick(BANKS);
		const holder = /^[A-Z]/.test(head.name) ? head.name : toHalfKana(head.nameKana);
		return { enabled, startsOn, endsOn, bankCode, branchCode: rng.digits(3), accountHolder: holder };
	}

	private employer(personKey: number, foreign: boolean, nat: Nationality): DemoEmployer {
		const { rng } = this;
		const word = rng.pick(['新宿', '東和', '大和', '富士', 'サクラ', 'アオバ', '光', '三栄', 'ミライ', '東京', 'グローバル', 'アジア']);
		const [name, businessType] = foreign
			? rng.weighted([
					[[`${word}日本語学校`, '教育'], 15],
					[[`株式会社${word}フーズ`, '飲食業'], 25],
					[[nat.code === 'NP' ? `ネパール料理 ${word}` : nat.code === 'VN' ? `ベトナム料理 ${word}` : `中華料理 ${word}`, '飲食業'], 20],
					[[`株式会社${word}ロジスティクス`, '運輸業'], 15],
					[[`${word}介護センター`, '医療・福祉'], 10],
					[[`株式会社${word}人材サービス`, '人材派遣'], 15]
				] as const)
			: rng.weighted([
					[[`株式会社${word}商事`, '卸売業'], 15],
					[[`有限会社${word}工業`, '製造業'], 10],
					[[`株式会社${word}建設`, '建設業'], 12],
					[[`${word}食堂`, '飲食業'], 12],
					[[`株式会社${word}システム`, '情報通信業'], 12],
					[[`${word}運輸株式会社`, '運輸業'], 10],
					[[`株式会社${word}企画`, 'サービス業'], 14],
					[[`${word}不動産`, '不動産業'], 7],
					[[`美容室${word}`, 'サービス業'], 8]
				] as const);
		const [ward, town] = rng.pick(OTHER_TOKYO);
		const phone = rng.chance(0.85) ? writeLandline(rng, landlineDigits(rng), rng.chance(0.3) ? String(rng.int(1, 899)) : undefined) : null;
		return { personKey, name, address: `東京都${ward}${town}${rng.int(1, 5)}-${rng.int(1, 20)}-${rng.int(1, 15)}`, phoneRaw: phone, businessType };
	}

	private caseHistory(persons: DemoPerson[], foreign: boolean, nat: Nationality, receipts: DemoReceipt[]): DemoCaseHistory[] {
		const { rng, today } = this;
		const head = persons[0];
		const n = rng.int(1, 4);
		const owedFys = [...new Set(receipts.filter((r) => r.dueDate < today && r.receivedTotal < r.assessed).map((r) => r.fiscalYear))];
		const langName: Record<string, string> = { zh: '中国語', ko: '韓国語', vi: 'ベトナム語', ne: 'ネパール語', my: 'ミャンマー語', en: '英語', ja: '日本語' };
		const out: DemoCaseHistory[] = [];
		for (let k = 0; k < n; k++) {
			const day = rng.date(addDays(today, -720), addDays(today, -1));
			const at = `${day}T${String(rng.int(9, 16)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:00+09:00`;
			const kind = rng.weighted([['訪問', 30], ['交渉', 35], ['帳票発行', 35]] as const);
			const amount = yenText(rng.int(3, 30) * 1000);
			const month = rng.int(1, 12);
			const fy = owedFys.length > 0 ? rng.pick(owedFys) : this.arrearsFy;
			const other = persons.length > 1 ? persons[rng.int(1, persons.length - 1)] : null;
			if (kind === '訪問') {
				const c = rng.weighted([['absent', 45], ['self', 35], ['family', other ? 20 : 0]] as const);
				out.push({
					personKey: c === 'self' ? 0 : c === 'family' ? other!.key : null,
					recordedAt: at,
					kind,
					place: '自宅',
					counterpart: c === 'self' ? head.name : c === 'family' ? other!.name : null,
					content:
						c === 'absent'
							? rng.pick(['自宅訪問。不在のため催告書を差し置き。', '臨戸訪問。表札なし。郵便受けに郵便物多数。居住実態要確認。', '自宅訪問。不在。\n隣人の話では日中は仕事で不在とのこと。'])
							: c === 'self'
								? rng.pick([`自宅訪問。本人と面談。${month}月末までに${amount}円を納付する旨約束。`, `自宅訪問。本人と面談。\n収入減少のため一括納付困難との申出。分納を案内。`])
								: `自宅訪問。${other!.relationship}が対応。本人は仕事で不在。納付について伝言を依頼。`
				});
			} else if (kind === '交渉') {
				const place = rng.weighted([['窓口', 50], ['電話', 50]] as const);
				const content = foreign && rng.chance(0.5)
					? `通訳（${langName[nat.language] ?? '英語'}）同席にて${place === '窓口' ? '窓口' : '電話'}相談。制度を説明し、分納（月${amount}円）を案内。`
					: place === '窓口'
						? rng.pick([`来庁。収入減少のため一括納付困難との申出。分納（月${amount}円）を了承。`, '窓口にて現年度分の納付相談。生活状況を聴取し、分納誓約書を受理。', '来庁。減免・軽減制度について相談あり。申請書を交付。'])
						: rng.pick(['電話にて納付勧奨。\n本人より、来月給与支給後に納付するとの回答。', '電話。減免・軽減制度について問い合わせあり。申請書を送付。', `電話にて納付勧奨。${month}月中に${amount}円納付予定とのこと。`]);
				out.push({ personKey: 0, recordedAt: at, kind, place, counterpart: head.name, content });
			} else {
				out.push({
					personKey: null,
					recordedAt: at,
					kind,
					place: null,
					counterpart: null,
					content: rng.pick([`催告書発送（${fy}年度分）`, '差押予告通知書発送', '短期被保険者証交付通知発送', `納付書再発行（第${rng.int(1, 10)}期分）`, `督促状発送（${fy}年度 第${rng.int(1, 10)}期分）`])
				});
			}
		}
		return out.sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
	}
}

/** Sum of 調定額 − 収納額累計 over periods already due on `today` (what the household owes now). */
export function householdArrears(h: DemoHousehold, today: string): number {
	let owed = 0;
	for (const r of h.receipts) if (r.dueDate < today) owed += r.assessed - r.receivedTotal;
	return owed;
}
