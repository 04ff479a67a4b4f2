/**
 * The nine files of the data contract (spec/import-format.md, "Files"): their Japanese headers, the keys kansho
 * stores them under, and the type of each column. Pure: the import reads these to map headers, normalize
 * values and build its staging tables.
 */
export type ColumnType =
	| 'id' // identifiers: text, leading zeros kept
	| 'text'
	| 'name' // a person's name (search form and 外字 flag derived)
	| 'kana' // kana (half-width converted for display, search form derived)
	| 'phone' // raw text kept; digits, kind and validity derived
	| 'address' // text kept; the 町名 derived (`<key>Town`, address.ts townOf)
	| 'date'
	| 'datetime'
	| 'amount' // integer yen
	| 'count'
	| 'period' // 期別
	| 'year' // fiscal year
	| 'flag'
	| 'qualification'; // 資格種別: 国保 / 退職 / 介護

export interface ColumnDef {
	header: string;
	key: string;
	type: ColumnType;
	required?: boolean;
}

export interface FileDef {
	/** file name as the ward's system writes it */
	name: string;
	/** the group of the ward's item list (付属資料1) */
	group: string;
	/** the columns that identify a row: two rows of one set with the same key are a conflict */
	key: string[];
	/** 'household' rows hang off a household (国保記号番号), 'person' rows off a person (住民番号) */
	owner: 'household' | 'person' | 'either';
	columns: ColumnDef[];
}

const c = (header: string, key: string, type: ColumnType, required = false): ColumnDef => ({ header, key, type, required });

export const importFiles: readonly FileDef[] = [
	{
		name: '世帯.csv',
		group: '国保世帯情報',
		key: ['nhiNumber', 'fiscalYear'],
		owner: 'household',
		columns: [
			c('国保記号番号', 'nhiNumber', 'id', true),
			c('賦課年度', 'fiscalYear', 'year', true),
			c('世帯主住民番号', 'headResidentNumber', 'id'),
			c('郵便番号', 'postalCode', 'text'),
			c('住所', 'address', 'address'),
			c('方書', 'addressExtra', 'text'),
			c('電話番号', 'phone', 'phone'),
			c('賦課更正年月日', 'reassessedOn', 'date'),
			c('賦課軽減区分', 'reductionClass', 'text'),
			c('保険証交付区分', 'cardClass', 'text'),
			c('保険者証交付年月日', 'cardIssuedOn', 'date'),
			c('保険証有効期限', 'cardExpiresOn', 'date'),
			c('被保険者数', 'insuredCount', 'count'),
			c('総所得世帯合計', 'totalIncome', 'amount')
		]
	},
	{
		name: '個人.csv',
		group: '国保個人基本情報',
		key: ['residentNumber'],
		owner: 'household',
		columns: [
			c('住民番号', 'residentNumber', 'id', true),
			c('国保記号番号', 'nhiNumber', 'id', true),
			c('賦課年度', 'fiscalYear', 'year'),
			c('氏名', 'name', 'name', true),
			c('氏名カナ', 'nameKana', 'kana'),
			c('郵便番号', 'postalCode', 'text'),
			c('住所', 'address', 'text'),
			c('電話番号', 'phone', 'phone'),
			c('性別', 'sex', 'text'),
			c('続柄', 'relationship', 'text'),
			c('生年月日', 'birthDate', 'date'),
			c('区民日', 'residentSince', 'date'),
			c('区民となった事由', 'residentSinceReason', 'text'),
			c('区民でなくなった日', 'residentUntil', 'date'),
			c('区民でなくなった事由', 'residentUntilReason', 'text'),
			c('死亡日', 'deathDate', 'date'),
			c('国籍', 'nationality', 'text')
		]
	},
	{
		name: '収納.csv',
		group: '収納情報',
		key: ['nhiNumber', 'fiscalYear', 'period'],
		owner: 'household',
		columns: [
			c('国保記号番号', 'nhiNumber', 'id', true),
			c('賦課年度', 'fiscalYear', 'year', true),
			c('賦課相当年度', 'equivalentYear', 'year'),
			c('期別', 'period', 'period', true),
			c('調定額', 'assessed', 'amount', true),
			c('介護分調定額', 'assessedCare', 'amount'),
			c('高齢者支援金分調定額', 'assessedElderly', 'amount'),
			c('納期限', 'dueDate', 'date'),
			c('収納額累計', 'receivedTotal', 'amount'),
			c('介護分収納額', 'receivedCare', 'amount'),
			c('高齢者支援金分収納額', 'receivedElderly', 'amount'),
			c('納付年月日', 'paidOn', 'date'),
			c('収納年月日', 'receivedOn', 'date'),
			c('収納機関', 'receivingInstitution', 'text'),
			c('最終納付年月日', 'lastPaidOn', 'date'),
			c('最終収納年月日', 'lastReceivedOn', 'date')
		]
	},
	{
		name: '口座振替.csv',
		group: '口座振替納付情報',
		key: ['nhiNumber'],
		owner: 'household',
		columns: [
			c('国保記号番号', 'nhiNumber', 'id', true),
			c('口座振替の有無', 'enabled', 'flag', true),
			c('口座納付開始日', 'startsOn', 'date'),
			c('口座納付終了日', 'endsOn', 'date'),
			c('振替金融機関コード', 'bankCode', 'id'),
			c('金融機関本支店コード', 'branchCode', 'id'),
			c('口座名義人', 'accountHolder', 'text')
		]
	},
	{
		name: '納付管理人.csv',
		group: '納付管理人・相続人情報',
		key: ['nhiNumber', 'kind', 'name'],
		owner: 'household',
		columns: [c('国保記号番号', 'nhiNumber', 'id', true), c('納付者種別', 'kind', 'text'), c('氏名・名称', 'name', 'text'), c('住所・方書', 'address', 'text')]
	},
	{
		name: '勤務先.csv',
		group: '勤務先情報',
		key: ['residentNumber', 'name'],
		owner: 'person',
		columns: [
			c('住民番号', 'residentNumber', 'id', true),
			c('勤務先名称', 'name', 'text'),
			c('所在地', 'address', 'text'),
			c('電話番号', 'phoneRaw', 'text'),
			c('事業種別', 'businessType', 'text')
		]
	},
	{
		name: '国保料.csv',
		group: '国保料情報',
		key: ['nhiNumber', 'fiscalYear', 'premiumType'],
		owner: 'household',
		columns: [
			c('国保記号番号', 'nhiNumber', 'id', true),
			c('賦課年度', 'fiscalYear', 'year', true),
			c('保険料種類', 'premiumType', 'text'),
			c('所得割賦課標準額', 'incomeBase', 'amount'),
			c('所得割額', 'incomeLevy', 'amount'),
			c('均等割額', 'perCapita', 'amount'),
			c('均等割軽減税額', 'perCapitaReduction', 'amount'),
			c('限度超過額', 'overCap', 'amount'),
			c('減免額', 'exemption', 'amount'),
			c('年間保険料額', 'annualPremium', 'amount'),
			c('前回年間保険料額', 'previousAnnualPremium', 'amount')
		]
	},
	{
		name: '資格.csv',
		group: '国保資格情報',
		key: ['residentNumber', 'kind'],
		owner: 'person',
		columns: [
			c('住民番号', 'residentNumber', 'id', true),
			c('資格種別', 'kind', 'qualification', true),
			c('資格取得年月日', 'acquiredOn', 'date'),
			c('資格取得届出日', 'acquiredFiledOn', 'date'),
			c('資格取得事由', 'acquiredReason', 'text'),
			c('資格喪失年月日', 'lostOn', 'date'),
			c('資格喪失届出日', 'lostFiledOn', 'date'),
			c('資格喪失事由', 'lostReason', 'text')
		]
	},
	{
		name: '経過記録.csv',
		group: '経過記録内容',
		key: [],
		owner: 'either',
		columns: [
			c('国保記号番号', 'nhiNumber', 'id'),
			c('住民番号', 'residentNumber', 'id'),
			c('記録日時', 'recordedAt', 'datetime'),
			c('種別', 'kind', 'text'),
			c('交渉場所', 'place', 'text'),
			c('交渉相手名', 'counterpart', 'text'),
			c('内容', 'content', 'text')
		]
	}
];

/** Import order: households before what hangs off them. */
export const fileOrder = importFiles.map((f) => f.name);

/** The files that together make a full snapshot (households absent from it are resolved). */
export const fullSnapshotFiles = ['世帯.csv', '個人.csv', '収納.csv'];

/** Header spellings seen in real exports, mapped to the contract's. A site adds its own in IMPORT_HEADER_ALIASES. */
export const defaultHeaderAliases: Record<string, string> = {
	高齢者支援均分調定額: '高齢者支援金分調定額',
	高齢者支援均分収納額: '高齢者支援金分収納額',
	保険証交付年月日: '保険者証交付年月日',
	氏名ｶﾅ: '氏名カナ',
	フリガナ: '氏名カナ'
};

export function fileDef(name: string): FileDef | undefined {
	const n = name.normalize('NFC').trim();
	return importFiles.find((f) => f.name === n);
}
