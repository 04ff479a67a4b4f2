/**
 * The field policy (data minimization): which groups of a household's record each role may read. This table is
 * the one place it is decided. The server runs the SQL of a group only for roles that may read it (a group that
 * is not allowed is never selected, so it can never reach a page, a JSON answer or a log line), and the access
 * log records which groups were disclosed. `docs/field-policy.md` shows this table; a unit test keeps the two
 * equal.
 */
import type { Role } from './roles.ts';

/** The groups of a household's record, in the order the card shows them. */
export const fieldGroups = [
	'identity',
	'payer',
	'language',
	'phones',
	'address',
	'arrears',
	'promises',
	'contacts',
	'instructions',
	'handoffs',
	'members',
	'receipts',
	'assessment',
	'income',
	'premiums',
	'bankTransfer',
	'paymentManagers',
	'employers',
	'eligibility',
	'caseHistory'
] as const;
export type FieldGroup = (typeof fieldGroups)[number];

export interface FieldGroupInfo {
	/** short name for the policy table */
	label: string;
	/** where the data comes from: the ward's file and columns (import-format.md) or kansho's own tables */
	source: string;
	/** the keys of the household card (the JSON answer) that this group fills; no two groups share a key */
	cardKeys: readonly string[];
}

export const fieldGroupInfo = {
	identity: { label: '国保記号番号 (NHI number)', source: '世帯.csv 国保記号番号', cardKeys: ['nhiNumber'] },
	payer: { label: '納付義務者の氏名・カナ (payer name, kana)', source: '個人.csv 氏名, 氏名カナ of the head of household', cardKeys: ['payerName', 'payerKana', 'payerNameHasGaiji'] },
	language: { label: '案内言語 (talk-script language)', source: 'kansho', cardKeys: ['language'] },
	phones: { label: '電話番号 (phones)', source: '世帯.csv / 個人.csv 電話番号, and numbers the center collects', cardKeys: ['phones'] },
	address: { label: '送付先住所 (address for letters)', source: '世帯.csv 郵便番号, 住所, 方書', cardKeys: ['address'] },
	arrears: { label: '期別の滞納額・納期限 (arrears per period, due dates)', source: '収納.csv 賦課年度, 期別, 調定額 − 収納額累計, 納期限', cardKeys: ['arrears'] },
	promises: { label: '納付約束 (promises)', source: 'kansho', cardKeys: ['promises'] },
	contacts: { label: 'センターの架電履歴 (this center\'s calls)', source: 'kansho: calls, outcome, conversation record', cardKeys: ['lastContacts'] },
	instructions: { label: '職員からの指示 (ward staff\'s instruction on a returned handoff)', source: 'kansho: handoffs returned to the center', cardKeys: ['staffInstruction'] },
	handoffs: { label: '職員引継ぎ (handoffs to ward staff)', source: 'kansho', cardKeys: ['handoffs'] },
	members: { label: '世帯員 (members: birth date, sex, relationship, nationality, residence)', source: '個人.csv (all columns)', cardKeys: ['members'] },
	receipts: { label: '収納明細 (receipts in detail)', source: '収納.csv (all columns: care and elderly parts, payment and receipt dates, institution)', cardKeys: ['receipts'] },
	assessment: { label: '賦課・保険証 (assessment, reduction class, insurance card)', source: '世帯.csv 賦課更正年月日, 賦課軽減区分, 保険証交付区分, 保険者証交付年月日, 保険証有効期限, 被保険者数', cardKeys: ['assessment'] },
	income: { label: '所得 (income)', source: '世帯.csv 総所得世帯合計; 国保料.csv 所得割賦課標準額, 所得割額', cardKeys: ['income'] },
	premiums: { label: '保険料の内訳 (premium breakdown)', source: '国保料.csv 保険料種類, 均等割額, 均等割軽減税額, 限度超過額, 減免額, 年間保険料額, 前回年間保険料額', cardKeys: ['premiums'] },
	bankTransfer: { label: '口座振替 (bank transfer, account)', source: '口座振替.csv (all columns)', cardKeys: ['bankTransfer'] },
	paymentManagers: { label: '納付管理人・相続人 (payment manager, heir)', source: '納付管理人.csv', cardKeys: ['paymentManagers'] },
	employers: { label: '勤務先 (employer)', source: '勤務先.csv', cardKeys: ['employers'] },
	eligibility: { label: '資格履歴 (eligibility history)', source: '資格.csv', cardKeys: ['eligibility'] },
	caseHistory: { label: '経過記録 (the ward\'s case history)', source: '経過記録.csv', cardKeys: ['caseHistory'] }
} as const satisfies Record<FieldGroup, FieldGroupInfo>;

/** The card keys a group fills (for typing the server's readers). */
export type CardKeyOf<G extends FieldGroup> = (typeof fieldGroupInfo)[G]['cardKeys'][number];

/** Roles in the column order of the table below. */
const columns = ['operator', 'supervisor', 'staff', 'manager', 'admin', 'auditor'] as const satisfies readonly Role[];
const Y = true;
const _ = false;

/**
 * Role × field group. Operators see what a reminder call (and a reminder letter) needs, no more; supervisors the
 * same (they coach and listen in on those calls); ward staff the fuller record (they own consultations and
 * enforcement, and the data is the ward's); managers, administrators and auditors no household's personal data
 * at all (reports are aggregates; imports are run, not read; the access log names households by id and 国保記号番号 only: see the exceptions in docs/field-policy.md).
 * The ward's case history is not for operators: the ward marks no row as shareable (経過記録.csv has no such
 * column), so there is nothing to show them.
 */
// prettier-ignore
const table: Record<FieldGroup, readonly [op: boolean, sv: boolean, staff: boolean, mgr: boolean, admin: boolean, auditor: boolean]> = {
	//                 op sv staff mgr admin auditor
	identity:        [Y, Y, Y, _, _, _],
	payer:           [Y, Y, Y, _, _, _],
	language:        [Y, Y, Y, _, _, _],
	phones:          [Y, Y, Y, _, _, _],
	address:         [Y, Y, Y, _, _, _],
	arrears:         [Y, Y, Y, _, _, _],
	promises:        [Y, Y, Y, _, _, _],
	contacts:        [Y, Y, Y, _, _, _],
	instructions:    [Y, Y, Y, _, _, _],
	handoffs:        [_, _, Y, _, _, _],
	members:         [_, _, Y, _, _, _],
	receipts:        [_, _, Y, _, _, _],
	assessment:      [_, _, Y, _, _, _],
	income:          [_, _, Y, _, _, _],
	premiums:        [_, _, Y, _, _, _],
	bankTransfer:    [_, _, Y, _, _, _],
	paymentManagers: [_, _, Y, _, _, _],
	employers:       [_, _, Y, _, _, _],
	eligibility:     [_, _, Y, _, _, _],
	caseHistory:     [_, _, Y, _, _, _]
};

/** The groups a role may read, in card order (empty: the role reads no household's data). */
export function fieldsFor(role: Role): readonly FieldGroup[] {
	const col = columns.indexOf(role);
	return fieldGroups.filter((g) => table[g][col]);
}

export function mayRead(role: Role, group: FieldGroup): boolean {
	return table[group][columns.indexOf(role)];
}

/** The policy as a Markdown table (the generated part of docs/field-policy.md). */
export function fieldPolicyMarkdown(): string {
	const head = `| field group | card keys | source | ${columns.join(' | ')} |`;
	const rule = `| --- | --- | --- | ${columns.map(() => ':-:').join(' | ')} |`;
	const rows = fieldGroups.map((g) => {
		const info: FieldGroupInfo = fieldGroupInfo[g];
		const cells = columns.map((_r, i) => (table[g][i] ? '✓' : '—'));
		return `| \`${g}\` ${info.label} | ${info.cardKeys.map((k) => `\`${k}\``).join(', ')} | ${info.source} | ${cells.join(' | ')} |`;
	});
	return [head, rule, ...rows].join('\n');
}

/**
 * A field group's short name in the user's language (the access log's 項目 column): the Japanese name of
 * `fieldGroupInfo[g].label`, or its English words (before any ':' detail), capitalized. A name the table does not
 * know (a group of an older version in the log) is shown as it is.
 */
export function fieldGroupLabel(group: string, lang: 'ja' | 'en'): string {
	const info = (fieldGroupInfo as Record<string, FieldGroupInfo>)[group];
	if (!info) return group;
	const m = /^(.*?) \((.*)\)$/.exec(info.label);
	if (!m) return info.label;
	if (lang === 'ja') return m[1];
	const en = m[2].split(':')[0].trim();
	return en.charAt(0).toUpperCase() + en.slice(1);
}
