/**
 * Erasure at contract end and retention of closed cases (契約終了時のデータ消去): what is erased, what is kept and
 * why, the confirmation phrase, and the certificate's content. Pure: the server erases and signs, the page and the
 * PDF show these words. docs/operations.md, "Contract end and retention", explains the choices.
 */
import { tokyoDate, tokyoTime, wareki } from './format.ts';

/** What the administrator must type to erase everything (compared after NFKC and trimming). */
export const ERASE_PHRASE = '消去します';

/** The typed phrase matches: NFKC (full-width/half-width), spaces around and inside ignored. */
export function phraseMatches(typed: unknown): boolean {
	if (typeof typed !== 'string') return false;
	return typed.normalize('NFKC').replace(/\s+/g, '') === ERASE_PHRASE;
}

export interface Label {
	ja: string;
	en: string;
}

/**
 * Every table that holds residents' personal data, in the order the certificate lists them. A table in the database with a household_id or person_id column that is not listed here (nor in
 * `retainedTables`) stops the erasure: a new personal table must be added here first.
 */
export const erasedTables = [
	{ table: 'households', ja: '世帯（国保記号番号・住所・電話番号）', en: 'Households (NHI number, address, phone)' },
	{ table: 'household_years', ja: '世帯の年度情報（所得・軽減区分）', en: 'Household years (income, reductions)' },
	{ table: 'persons', ja: '個人（氏名・住民番号・生年月日・住所）', en: 'Persons (name, resident number, birth date, address)' },
	{ table: 'phones', ja: '電話番号', en: 'Phone numbers' },
	{ table: 'receipts', ja: '収納情報（期別の調定額・収納額）', en: 'Receipts (assessed and received per period)' },
	{ table: 'payments', ja: '入金', en: 'Payments' },
	{ table: 'bank_transfers', ja: '口座振替', en: 'Bank transfers' },
	{ table: 'payment_managers', ja: '納付管理人・相続人', en: 'Payment managers and heirs' },
	{ table: 'employers', ja: '勤務先', en: 'Employers' },
	{ table: 'premiums', ja: '国保料', en: 'Premiums' },
	{ table: 'eligibility', ja: '国保資格', en: 'Eligibility' },
	{ table: 'case_history', ja: '経過記録', en: 'Case history' },
	{ table: 'call_queue', ja: '架電キュー', en: 'Call queue' },
	{ table: 'calls', ja: '架電記録（会話記録・架電した番号を含む）', en: 'Calls (with notes and dialed numbers)' },
	{ table: 'promises', ja: '納付約束', en: 'Promises to pay' },
	{ table: 'promise_payments', ja: '納付約束の消込（どの入金が約束に充当されたか）', en: 'Promise reconciliation (which payments counted towards which promise)' },
	{ table: 'holdout_assignments', ja: '効果測定の対照群の割付（世帯ごとの架電する・しない）', en: 'Holdout assignments (called or held out, per household)' },
	{ table: 'callbacks', ja: '再架電の予約（メモを含む）', en: 'Callbacks (with notes)' },
	{ table: 'do_not_call', ja: '架電停止の指示（理由を含む）', en: 'Do-not-call instructions (with reasons)' },
	{ table: 'handoffs', ja: '職員引継ぎ（メモ・対応結果・オペレータへの指示を含む）', en: 'Handoffs to ward staff (with notes, resolutions and instructions)' },
	{ table: 'handoff_events', ja: '職員引継ぎの経過（職員のメモを含む）', en: 'Handoff history (with staff notes)' },
	{ table: 'handoff_instructions', ja: '職員からオペレータへの指示', en: 'Ward staff’s instructions to operators' },
	{ table: 'import_rejections', ja: '取込時の不正行（元の行の内容）', en: 'Rejected import rows (the rows as read)' },
	{ table: 'letter_batch_items', ja: '催告書の宛先と印字内容（氏名・住所・滞納額）', en: 'Reminder letters: addressees and what was printed (name, address, arrears)' },
	{ table: 'letter_returns', ja: '催告書の返戻（宛所不明・メモを含む）', en: 'Returned letters (unknown address, with notes)' },
	{ table: 'letter_batches', ja: '催告書の発送バッチ（印刷・封入封緘・発送の記録）', en: 'Reminder letter batches (printed, sealed, mailed)' },
	{ table: 'access_log_notes', ja: 'アクセス記録の受電メモ（誰から・何の用件か）', en: 'Inbound-call notes of the access log (who called, what about)' },
	// free text typed by supervisors (it may name a resident), not keyed by household: erased whole at contract end
	{ table: 'floor_messages', ja: 'SVからオペレータへのメッセージ（自由記述）', en: 'Supervisors’ messages to operators (free text)' },
	{ table: 'floor_changes', ja: 'フロア操作の変更記録（メッセージの抜粋を含む）', en: 'Floor change feed (with message excerpts)' }
] as const satisfies readonly (Label & { table: string })[];

export type ErasedTable = (typeof erasedTables)[number]['table'];

/**
 * Tables with a household_id or person_id column that are kept on purpose. access_log: append-only and
 * hash-chained (the contract's access logs and audits); its household ids no longer resolve once households are
 * gone, and an inbound lookup's note is not in it (only the note's SHA-256: the text is in access_log_notes, erased
 * above). erasures: the record of erasures (counts only).
 */
export const retainedTables = ['access_log', 'erasures'] as const;

/** The statistics kept for reports (aggregates only; migration 00006_erasure). */
export const statisticsTables = ['stats_calls', 'stats_call_outcomes', 'stats_handoffs', 'stats_promises', 'stats_payments', 'stats_households', 'stats_receipts'] as const;

/** Tables of the database that hold household or person data but are not covered by the erasure. */
export function uncoveredTables(tablesWithHouseholdColumns: readonly string[]): string[] {
	const known = new Set<string>([...erasedTables.map((t) => t.table), ...retainedTables]);
	return [...new Set(tablesWithHouseholdColumns)].filter((t) => !known.has(t)).sort();
}

export type ErasureKind = 'contract_end' | 'retention';

/** Where erasing files and clearing columns stand, for the certificate. */
export interface FilesErased {
	/** DATA_DIR/uploads, as configured */
	directory: string;
	/** entries (one per upload: a folder of the ward's files) */
	found: number;
	deleted: number;
	files: number;
	bytes: number;
	errors: string[];
}

export interface RetainedItem {
	item: string;
	rows: number;
	label: Label;
	why: Label;
}

export interface CertificateInput {
	erasureId: number;
	kind: ErasureKind;
	ward: string | null;
	contract: string | null;
	by: { loginId: string; displayName: string; role: string; via: 'web' | 'cli' | 'sweeper' };
	startedAt: Date;
	finishedAt: Date;
	certifiedAt: Date;
	counts: Partial<Record<ErasedTable, number>>;
	/** imports.error messages cleared (they may quote a value from a file) */
	importErrorsCleared: number;
	files: FilesErased | null;
	retained: { accessLog: number; users: number; imports: number; exports: number };
	statistics: Record<string, number>;
	accessLog: {
		/** the access_log row that records this erasure */
		entryId: number;
		entryChainSeq: number | null;
		/** the chain's head after sealing: its last chain_seq and hash */
		headChainSeq: number;
		headHash: string;
		/** a full verification from chain_seq 1 (contract end), or null when only sealed (retention) */
		verified: { ok: boolean; rows: number; problem: string | null } | null;
	};
}

export const CERTIFICATE_FORMAT = 'kansho.erasure-certificate.v1';

/** The certificate's content (the JSON file's `certificate` member). Field order is fixed: the SHA-256 covers it. */
export interface ErasureCertificate {
	format: typeof CERTIFICATE_FORMAT;
	title: Label;
	erasureId: number;
	kind: ErasureKind;
	ward: string | null;
	contract: string | null;
	statement: Label;
	erasedBy: CertificateInput['by'];
	startedAt: string;
	finishedAt: string;
	certifiedAt: string;
	/** the same instants in Tokyo time with the Japanese era date: '2026-04-01 10:23:45（令和8年4月1日）' */
	startedAtJa: string;
	finishedAtJa: string;
	certifiedAtJa: string;
	erased: { table: string; label: Label; rows: number }[];
	totalRows: number;
	cleared: { table: string; column: string; rows: number; label: Label }[];
	files: FilesErased | null;
	retained: RetainedItem[];
	statistics: { table: string; rows: number }[];
	accessLog: CertificateInput['accessLog'];
}

/** '2026-04-01 10:23:45（令和8年4月1日）' in Tokyo time. */
export function dualDateTime(at: Date): string {
	const day = tokyoDate(at);
	return `${day} ${tokyoTime(at)}（${wareki(day)}）`;
}

const kindLabel: Record<ErasureKind, Label> = {
	contract_end: { ja: '契約終了に伴う全件消去', en: 'Erasure of all personal data at contract end' },
	retention: { ja: '保存期間を過ぎた完了案件の消去', en: 'Erasure of closed cases past the retention period' }
};

export function erasureKindLabel(kind: ErasureKind): Label {
	return kindLabel[kind];
}

/** Build the certificate from what the erasure did. Pure; the server serializes and hashes it. */
export function buildCertificate(input: CertificateInput): ErasureCertificate {
	const erased = erasedTables
		.filter((t) => input.counts[t.table] !== undefined)
		.map((t) => ({ table: t.table, label: { ja: t.ja, en: t.en }, rows: input.counts[t.table] ?? 0 }));
	const scope = input.kind === 'contract_end' ? { ja: 'すべての個人情報', en: 'all personal data' } : { ja: '保存期間を過ぎた完了案件の個人情報', en: 'the personal data of closed cases past the retention period' };
	return {
		format: CERTIFICATE_FORMAT,
		title: { ja: '消去証明書', en: 'Erasure certificate' },
		erasureId: input.erasureId,
		kind: input.kind,
		ward: input.ward,
		contract: input.contract,
		statement: {
			ja: `${kindLabel[input.kind].ja}として、本業務で取り扱った${scope.ja}を下記のとおり消去したことを証明します。報告用の統計は世帯を識別できない集計値としてのみ保持します。`,
			en: `This certifies that ${scope.en} handled in this work was erased as listed below (${kindLabel[input.kind].en.toLowerCase()}). Statistics for reports are kept only as aggregates that identify no household.`
		},
		erasedBy: input.by,
		startedAt: input.startedAt.toISOString(),
		finishedAt: input.finishedAt.toISOString(),
		certifiedAt: input.certifiedAt.toISOString(),
		startedAtJa: dualDateTime(input.startedAt),
		finishedAtJa: dualDateTime(input.finishedAt),
		certifiedAtJa: dualDateTime(input.certifiedAt),
		erased,
		totalRows: erased.reduce((s, t) => s + t.rows, 0),
		cleared: [
			{
				table: 'imports',
				column: 'error',
				rows: input.importErrorsCleared,
				label: { ja: '取込履歴のエラーメッセージ（値を含むことがあるため）', en: 'Import history error messages (they may quote a value)' }
			}
		],
		files: input.files,
		retained: [
			{
				item: 'access_log',
				rows: input.retained.accessLog,
				label: { ja: 'アクセスログ', en: 'Access log' },
				why: {
					ja: '契約の求めるアクセス記録・監査の証跡として、追記専用・ハッシュ連鎖のまま保持します。世帯番号は消去後はどの世帯も指しません。受電メモの本文は世帯の情報とともに消去され、記録にはそのハッシュ値（SHA-256）のみが残ります。理由欄には職員が入力した語句（検索語など）が残ることがあります。区の指示により、区へ引き渡したのちデータベースごと廃棄します。',
					en: 'Kept append-only and hash-chained as the access record and audit trail the contract requires. Its household ids no longer resolve to anyone. Inbound-call notes are erased with their household’s data; the log keeps only their SHA-256. Its reason texts may hold words staff typed (such as search terms). On the ward’s instruction it is handed over and then disposed of with the database.'
				}
			},
			{
				item: 'users',
				rows: input.retained.users,
				label: { ja: '職員アカウント（ログインID・氏名・権限）', en: 'Staff accounts (login id, name, role)' },
				why: { ja: 'アクセスログの記録者を特定するため。住民の個人情報ではありません。', en: 'To identify who wrote each access-log row. Not residents’ data.' }
			},
			{
				item: 'imports',
				rows: input.retained.imports,
				label: { ja: '取込履歴（ファイル名・サイズ・SHA-256・件数）', en: 'Import history (file names, sizes, SHA-256, counts)' },
				why: { ja: '何をいつ受け取ったかの記録。個人情報を含みません。', en: 'The record of what was received when. Holds no personal data.' }
			},
			{
				item: 'exports',
				rows: input.retained.exports,
				label: { ja: '出力履歴（期間・件数・SHA-256）', en: 'Export history (dates, counts, SHA-256)' },
				why: { ja: '何をいつ区へ渡したかの記録。個人情報を含みません。', en: 'The record of what was handed to the ward when. Holds no personal data.' }
			}
		],
		statistics: Object.entries(input.statistics).map(([table, rows]) => ({ table, rows })),
		accessLog: input.accessLog
	};
}
