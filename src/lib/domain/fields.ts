/**
 * The field policy: which parts of a household's record each role may read. The server selects only these
 * (the UI never receives the rest), and the access log records which were disclosed.
 */
import type { Role } from './roles.ts';

export const cardFields = [
	'nhiNumber', // 国保記号番号
	'payerName', // 氏名 of the payer (head of household)
	'payerKana',
	'language', // talk-script language
	'phones', // numbers with kind and status
	'arrears', // unpaid amounts by fiscal year and instalment period, with due dates
	'lastContacts', // recent calls (date, outcome, operator)
	'promises',
	'address', // 住所・方書
	'birthDate',
	'members', // other household members
	'income', // 総所得世帯合計
	'bankTransfer',
	'caseHistory', // 経過記録 from the ward's system
	'handoffs'
] as const;
export type CardField = (typeof cardFields)[number];

const policy: Record<Role, readonly CardField[]> = {
	// what a reminder call needs, and no more (mission: minimum personal data for phone reminders)
	operator: ['nhiNumber', 'payerName', 'payerKana', 'language', 'phones', 'arrears', 'lastContacts', 'promises'],
	supervisor: ['nhiNumber', 'payerName', 'payerKana', 'language', 'phones', 'arrears', 'lastContacts', 'promises'],
	// ward staff handle consultations and enforcement: the fuller record
	staff: [...cardFields],
	// aggregate-only roles read no household's data
	manager: [],
	admin: [],
	auditor: []
};

export function fieldsFor(role: Role): readonly CardField[] {
	return policy[role];
}

export function mayRead(role: Role, field: CardField): boolean {
	return policy[role].includes(field);
}
