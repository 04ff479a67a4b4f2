/**
 * Writes the synthetic demo data of generate.ts into the ward's tables, inside the caller's transaction.
 *
 * Households and persons get ids assigned here (above both the current max(id) and the identity sequence),
 * so that every table can be loaded with COPY FROM STDIN: for identity columns COPY writes the values given,
 * like INSERT … OVERRIDING SYSTEM VALUE. The sequences are moved past the ids used at the end. Rows of the
 * other tables take their ids from their identity columns. Data goes in batches of households, table by table
 * in foreign-key order, each table's rows streamed in chunks of about a thousand lines.
 *
 * Assumes the generated 国保記号番号 and 住民番号 are not in the tables yet (seed into empty ward tables).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Tx } from '../db.ts';
import { generateDemoData, type DemoHousehold } from './generate.ts';

export interface WriteDemoDataOptions {
	seed: number;
	households: number;
	/** 'YYYY-MM-DD', a Tokyo date */
	today: string;
	onProgress?: (done: number, total: number) => void;
}

export interface WriteDemoDataResult {
	households: number;
	persons: number;
	phones: number;
	receipts: number;
}

/** Households generated and written per round of COPY statements. */
const BATCH = 4000;
/** Lines per chunk written to a COPY stream. */
const CHUNK_ROWS = 1000;

type Cell = string | number | boolean | null | undefined;

const needsEscape = /[\\\t\n\r]/;
const escapes = /[\\\t\n\r]/g;
const escapeOf: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A value in COPY's text format: \N for null, backslash, tab, newline and CR escaped. */
export function copyCell(v: Cell): string {
	if (v === null || v === undefined) return '\\N';
	if (typeof v === 'string') return needsEscape.test(v) ? v.replace(escapes, (c) => escapeOf[c]) : v;
	if (typeof v === 'boolean') return v ? 't' : 'f';
	if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
	return String(v);
}

/** Rows of one table for one batch, kept as text chunks ready for COPY. */
class CopyBuffer {
	readonly chunks: string[] = [];
	rows = 0;
	private current = '';
	private inChunk = 0;

	constructor(
		readonly table: string,
		readonly columns: readonly string[]
	) {}

	add(cells: Cell[]): void {
		let line = '';
		for (let i = 0; i < cells.length; i++) line += (i === 0 ? '' : '\t') + copyCell(cells[i]);
		this.current += line + '\n';
		this.rows++;
		if (++this.inChunk >= CHUNK_ROWS) this.flush();
	}

	flush(): void {
		if (this.inChunk === 0) return;
		this.chunks.push(this.current);
		this.current = '';
		this.inChunk = 0;
	}
}

async function copyInto(tx: Tx, buf: CopyBuffer): Promise<void> {
	buf.flush();
	if (buf.rows === 0) return;
	const statement = `copy ${buf.table} (${buf.columns.join(', ')}) from stdin`;
	const writable = await tx.unsafe(statement).writable();
	await pipeline(Readable.from(buf.chunks), writable);
}

/** The first id to hand out: above every id in use and every value the sequence has given. */
async function idBase(tx: Tx, table: 'households' | 'persons'): Promise<number> {
	const [row] = await tx.unsafe<{ base: number }[]>(
		`select greatest(
			coalesce((select max(id) from ${table}), 0),
			coalesce(pg_sequence_last_value(pg_get_serial_sequence('${table}', 'id')::regclass), 0)
		)::bigint as base`
	);
	return Number(row.base);
}

async function moveSequence(tx: Tx, table: 'households' | 'persons', lastUsed: number): Promise<void> {
	await tx.unsafe(`select setval(pg_get_serial_sequence('${table}', 'id'), greatest($1::bigint, (select coalesce(max(id), 1) from ${table})))`, [lastUsed]);
}

function buffers() {
	return {
		households: new CopyBuffer('households', [
			'id', 'nhi_number', 'head_resident_number', 'postal_code', 'address', 'address_extra', 'district', 'phone_raw', 'language', 'synthetic'
		]),
		persons: new CopyBuffer('persons', [
			'id', 'resident_number', 'household_id', 'fiscal_year', 'name', 'name_kana', 'name_search', 'kana_search', 'has_gaiji', 'postal_code',
			'address', 'phone_raw', 'sex', 'relationship', 'birth_date', 'resident_since', 'resident_since_reason', 'resident_until',
			'resident_until_reason', 'death_date', 'nationality'
		]),
		householdYears: new CopyBuffer('household_years', [
			'household_id', 'fiscal_year', 'reassessed_on', 'reduction_class', 'card_class', 'card_issued_on', 'card_expires_on', 'insured_count', 'total_income'
		]),
		phones: new CopyBuffer('phones', ['household_id', 'person_id', 'raw', 'digits', 'extension', 'kind', 'valid', 'source']),
		receipts: new CopyBuffer('receipts', [
			'household_id', 'fiscal_year', 'equivalent_year', 'period', 'assessed', 'assessed_care', 'assessed_elderly', 'due_date', 'received_total',
			'received_care', 'received_elderly', 'paid_on', 'received_on', 'receiving_institution', 'last_paid_on', 'last_received_on'
		]),
		premiums: new CopyBuffer('premiums', [
			'household_id', 'fiscal_year', 'premium_type', 'income_base', 'income_levy', 'per_capita', 'per_capita_reduction', 'over_cap', 'exemption',
			'annual_premium', 'previous_annual_premium'
		]),
		bankTransfers: new CopyBuffer('bank_transfers', ['household_id', 'enabled', 'starts_on', 'ends_on', 'bank_code', 'branch_code', 'account_holder']),
		paymentManagers: new CopyBuffer('payment_managers', ['household_id', 'kind', 'name', 'address']),
		employers: new CopyBuffer('employers', ['person_id', 'name', 'address', 'phone_raw', 'business_type']),
		eligibility: new CopyBuffer('eligibility', [
			'person_id', 'kind', 'acquired_on', 'acquired_filed_on', 'acquired_reason', 'lost_on', 'lost_filed_on', 'lost_reason'
		]),
		caseHistory: new CopyBuffer('case_history', ['household_id', 'person_id', 'recorded_at', 'kind', 'place', 'counterpart', 'content'])
	};
}
type Buffers = ReturnType<typeof buffers>;

function addHousehold(b: Buffers, h: DemoHousehold, hid: number, firstPersonId: number): void {
	const pid = (key: number | null) => (key === null ? null : firstPersonId + key);
	const x = h.household;
	b.households.add([hid, x.nhiNumber, x.headResidentNumber, x.postalCode, x.address, x.addressExtra, x.district, x.phoneRaw, x.language, x.synthetic]);
	for (const p of h.persons) {
		b.persons.add([
			pid(p.key), p.residentNumber, hid, p.fiscalYear, p.name, p.nameKana, p.nameSearch, p.kanaSearch, p.hasGaiji, p.postalCode, p.address,
			p.phoneRaw, p.sex, p.relationship, p.birthDate, p.residentSince, p.residentSinceReason, p.residentUntil, p.residentUntilReason, p.deathDate,
			p.nationality
		]);
	}
	for (const y of h.years) {
		b.householdYears.add([hid, y.fiscalYear, y.reassessedOn, y.reductionClass, y.cardClass, y.cardIssuedOn, y.cardExpiresOn, y.insuredCount, y.totalIncome]);
	}
	for (const ph of h.phones) b.phones.add([hid, pid(ph.personKey), ph.raw, ph.digits, ph.extension, ph.kind, ph.valid, ph.source]);
	for (const r of h.receipts) {
		b.receipts.add([
			hid, r.fiscalYear, r.equivalentYear, r.period, r.assessed, r.assessedCare, r.assessedElderly, r.dueDate, r.receivedTotal, r.receivedCare,
			r.receivedElderly, r.paidOn, r.receivedOn, r.receivingInstitution, r.lastPaidOn, r.lastReceivedOn
		]);
	}
	for (const p of h.premiums) {
		b.premiums.add([
			hid, p.fiscalYear, p.premiumType, p.incomeBase, p.incomeLevy, p.perCapita, p.perCapitaReduction, p.overCap, p.exemption, p.annualPremium,
			p.previousAnnualPremium
		]);
	}
	const bt = h.bankTransfer;
	if (bt) b.bankTransfers.add([hid, bt.enabled, bt.startsOn, bt.endsOn, bt.bankCode, bt.branchCode, bt.accountHolder]);
	for (const m of h.paymentManagers) b.paymentManagers.add([hid, m.kind, m.name, m.address]);
	for (const e of h.employers) b.employers.add([pid(e.personKey), e.name, e.address, e.phoneRaw, e.businessType]);
	for (const e of h.eligibility) {
		b.eligibility.add([pid(e.personKey), e.kind, e.acquiredOn, e.acquiredFiledOn, e.acquiredReason, e.lostOn, e.lostFiledOn, e.lostReason]);
	}
	for (const c of h.caseHistory) b.caseHistory.add([hid, pid(c.personKey), c.recordedAt, c.kind, c.place, c.counterpart, c.content]);
}

/** Generate `households` demo households and write them with COPY, in the caller's transaction. */
export async function writeDemoData(tx: Tx, opts: WriteDemoDataOptions): Promise<WriteDemoDataResult> {
	const total = Math.max(0, Math.floor(opts.households));
	const counts: WriteDemoDataResult = { households: 0, persons: 0, phones: 0, receipts: 0 };
	if (total === 0) return counts;

	let nextHouseholdId = (await idBase(tx, 'households')) + 1;
	let nextPersonId = (await idBase(tx, 'persons')) + 1;

	const source = generateDemoData({ seed: opts.seed, households: total, today: opts.today });
	let b = buffers();
	let inBatch = 0;
	const writeBatch = async () => {
		// foreign-key order: households, persons, then everything that refers to them
		for (const buf of Object.values(b)) await copyInto(tx, buf);
		counts.households += b.households.rows;
		counts.persons += b.persons.rows;
		counts.phones += b.phones.rows;
		counts.receipts += b.receipts.rows;
		b = buffers();
		inBatch = 0;
		opts.onProgress?.(counts.households, total);
	};

	for (const h of source) {
		addHousehold(b, h, nextHouseholdId, nextPersonId);
		nextHouseholdId++;
		nextPersonId += h.persons.length;
		if (++inBatch >= BATCH) await writeBatch();
	}
	if (inBatch > 0) await writeBatch();

	await moveSequence(tx, 'households', nextHouseholdId - 1);
	await moveSequence(tx, 'persons', nextPersonId - 1);
	return counts;
}
