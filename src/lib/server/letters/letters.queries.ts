/**
 * The SQL of reminder letters (migration 00019): the facts the candidate rules read, templates and settings,
 * batches and their items (with the snapshot of what was printed), returned mail.
 */
import type { Db } from '../db.ts';
import type { BatchState, CandidateReason, LetterFacts, LetterRules, LetterSnapshot, LetterTemplateText, ReturnReason } from '../../domain/letters.ts';

/** The head of household's name: the person whose resident number is the household's, else the 世帯主, else the first. */
const headName = (db: Db) => db`
	coalesce((select p.name from persons p where p.household_id = h.id
	          order by (p.resident_number = h.head_resident_number) desc nulls last, (p.relationship = '世帯主') desc nulls last, p.id limit 1), '')`;

/**
 * Facts of every active household with overdue arrears (the only ones a letter is for). Attempts since contact:
 * outbound calls after the last answered call either way; slots in Tokyo hours (morning < 12:00 ≤ afternoon < 17:00
 * ≤ evening), as the queue counts them. A letter counts as sent when its batch was mailed (its Tokyo date).
 */
export async function letterFacts(db: Db, today: string, paymentSuppressDays: number): Promise<LetterFacts[]> {
	return db<LetterFacts[]>`
		with owed as (
			select r.household_id, sum(r.assessed - r.received_total)::bigint as owed
			from receipts r
			where r.due_date < ${today}::date and r.assessed > r.received_total
			group by r.household_id
		)
		select h.id as household_id, o.owed, (h.status = 'resolved') as resolved,
		  (coalesce(btrim(h.address), '') <> '') as has_address,
		  (select count(*) from phones p where p.household_id = h.id and p.valid and p.status = 'active')::int as callable_phones,
		  coalesce(lc.attempts, 0) as attempts_since_contact, coalesce(lc.slots, 0) as slots_since_contact,
		  exists (select 1 from do_not_call d where d.household_id = h.id and d.lifted_at is null and (d.until is null or d.until >= ${today}::date)) as do_not_call,
		  -- the ward holds the case as the queue says (facts.queries.ts): a handoff new or in progress, or the latest one
		  -- resolved with an outcome that keeps the ward in charge; a pending promise (promises.ts states)
		  (exists (select 1 from handoffs x where x.household_id = h.id and x.status in ('new', 'in_progress'))
		   or coalesce((select x.status = 'resolved' and not x.resumes_calls from handoffs x where x.household_id = h.id
		                order by x.created_at desc, x.id desc limit 1), false)) as open_handoff,
		  exists (select 1 from promises x where x.household_id = h.id and x.status = 'pending') as open_promise,
		  exists (select 1 from payments y where y.household_id = h.id and y.amount > 0 and y.paid_on > ${today}::date - ${paymentSuppressDays}::int) as paid_recently,
		  exists (select 1 from letter_returns lr where lr.household_id = h.id and lr.resolved_at is null) as address_flagged,
		  exists (select 1 from letter_batch_items i join letter_batches b on b.id = i.batch_id
		          where i.household_id = h.id and b.state in ('generating', 'generated', 'printed', 'sealed')) as in_pending_batch,
		  (select to_char(max((b.mailed_at at time zone 'Asia/Tokyo')::date), 'YYYY-MM-DD') from letter_batch_items i join letter_batches b on b.id = i.batch_id
		   where i.household_id = h.id and b.state = 'mailed') as last_letter_on
		from owed o
		join households h on h.id = o.household_id and h.status = 'active'
		left join lateral (
			select count(*)::int as attempts,
			  count(distinct case when extract(hour from c.started_at at time zone 'Asia/Tokyo') < 12 then 1
			                      when extract(hour from c.started_at at time zone 'Asia/Tokyo') < 17 then 2 else 3 end)::int as slots
			from calls c
			where c.household_id = h.id and c.direction = 'outbound'
			  and c.started_at > coalesce((select max(c2.started_at) from calls c2 join outcome_codes oc on oc.code = c2.outcome_code
			                               where c2.household_id = h.id and oc.answered), '-infinity'::timestamptz)
		) lc on true
		order by h.id`;
}

// ─── settings and templates ─────────────────────────────────────────────────

export interface SettingsRow extends LetterRules {
	pdfKeepDays: number;
	version: number;
	updatedAt: Date;
}

export async function readSettings(db: Db): Promise<SettingsRow> {
	const [r] = await db<SettingsRow[]>`select attempts_threshold, distinct_slots, resend_interval_days, pdf_keep_days, version, updated_at from letter_settings`;
	return r;
}

/** Save when the version is still `version`; null when someone saved first. */
export async function updateSettings(
	db: Db,
	s: LetterRules & { pdfKeepDays: number },
	version: number,
	by: number | null
): Promise<SettingsRow | null> {
	const [r] = await db<SettingsRow[]>`
		update letter_settings set attempts_threshold = ${s.attemptsThreshold}, distinct_slots = ${s.distinctSlots},
		  resend_interval_days = ${s.resendIntervalDays}, pdf_keep_days = ${s.pdfKeepDays}, version = version + 1, updated_by = ${by}, updated_at = now()
		where version = ${version}
		returning attempts_threshold, distinct_slots, resend_interval_days, pdf_keep_days, version, updated_at`;
	return r ?? null;
}

export interface TemplateRow extends LetterTemplateText {
	id: number;
	version: number;
	createdAt: Date;
	createdByName: string | null;
}

export async function currentTemplate(db: Db): Promise<TemplateRow> {
	const [r] = await db<TemplateRow[]>`
		select t.id, t.version, t.letterhead, t.title, t.body, t.how_to_pay, t.contact, t.center_name, t.center_phone, t.center_hours, t.created_at,
		  u.display_name as created_by_name
		from letter_templates t left join users u on u.id = t.created_by
		order by t.version desc limit 1`;
	return r;
}

export async function templateById(db: Db, id: number): Promise<TemplateRow | undefined> {
	const [r] = await db<TemplateRow[]>`
		select t.id, t.version, t.letterhead, t.title, t.body, t.how_to_pay, t.contact, t.center_name, t.center_phone, t.center_hours, t.created_at,
		  null as created_by_name
		from letter_templates t where t.id = ${id}`;
	return r;
}

/**
 * The installed template (version 1, migration 00019) rewritten in place, before any batch used it: for a demo or a
 * test database that must look like a ward's (a real installation saves new versions on /admin/letters instead).
 * False when a batch exists or there are later versions.
 */
export async function replaceInstalledTemplate(db: Db, t: LetterTemplateText): Promise<boolean> {
	const r = await db`
		update letter_templates set letterhead = ${t.letterhead}, title = ${t.title}, body = ${t.body}, how_to_pay = ${t.howToPay}, contact = ${t.contact},
		  center_name = ${t.centerName}, center_phone = ${t.centerPhone}, center_hours = ${t.centerHours}
		where version = 1 and not exists (select 1 from letter_templates where version > 1) and not exists (select 1 from letter_batches)`;
	return r.count === 1;
}

/** A new version, when the current one is still `basedOn`; null when someone saved first. */
export async function insertTemplate(db: Db, t: LetterTemplateText, basedOn: number, by: number | null): Promise<TemplateRow | null> {
	await db`lock table letter_templates in share row exclusive mode`;
	const [cur] = await db<{ version: number }[]>`select max(version)::int as version from letter_templates`;
	if (cur.version !== basedOn) return null;
	const [r] = await db<TemplateRow[]>`
		insert into letter_templates (version, letterhead, title, body, how_to_pay, contact, center_name, center_phone, center_hours, created_by)
		values (${basedOn + 1}, ${t.letterhead}, ${t.title}, ${t.body}, ${t.howToPay}, ${t.contact}, ${t.centerName}, ${t.centerPhone}, ${t.centerHours}, ${by})
		returning id, version, letterhead, title, body, how_to_pay, contact, center_name, center_phone, center_hours, created_at, null as created_by_name`;
	return r;
}

// ─── batches ────────────────────────────────────────────────────────────────

export interface BatchRow {
	id: number;
	templateId: number;
	templateVersion: number;
	state: BatchState;
	households: number;
	progressDone: number;
	gaijiLetters: number;
	issuedOn: string;
	createdAt: Date;
	createdByName: string | null;
	generatedAt: Date | null;
	printedAt: Date | null;
	printedByName: string | null;
	sealedAt: Date | null;
	sealedByName: string | null;
	mailedAt: Date | null;
	mailedByName: string | null;
	assignedTo: number | null;
	assignedToName: string | null;
	pdfAvailable: boolean;
	pdfBytes: number | null;
	pdfSha256: string | null;
	pdfExpiresAt: Date | null;
	pdfDeletedAt: Date | null;
	error: string | null;
	version: number;
	returned: number;
}

const batchColumns = (db: Db) => db`
	b.id, b.template_id, t.version as template_version, b.state, b.households, b.progress_done, b.gaiji_letters,
	to_char(b.issued_on, 'YYYY-MM-DD') as issued_on, b.created_at, cu.display_name as created_by_name, b.generated_at,
	b.printed_at, pu.display_name as printed_by_name, b.sealed_at, su.display_name as sealed_by_name,
	b.mailed_at, mu.display_name as mailed_by_name, b.assigned_to, au.display_name as assigned_to_name,
	(b.pdf_path is not null and b.pdf_deleted_at is null) as pdf_available, b.pdf_bytes, b.pdf_sha256, b.pdf_expires_at, b.pdf_deleted_at,
	b.error, b.version, (select count(*) from letter_returns r where r.batch_id = b.id)::int as returned`;

const batchFrom = (db: Db) => db`
	letter_batches b join letter_templates t on t.id = b.template_id
	left join users cu on cu.id = b.created_by left join users pu on pu.id = b.printed_by left join users su on su.id = b.sealed_by
	left join users mu on mu.id = b.mailed_by left join users au on au.id = b.assigned_to`;

export async function listBatches(db: Db, opts: { assignedTo?: number; limit?: number } = {}): Promise<BatchRow[]> {
	return db<BatchRow[]>`
		select ${batchColumns(db)} from ${batchFrom(db)}
		${opts.assignedTo !== undefined ? db`where b.assigned_to = ${opts.assignedTo} and b.state <> 'failed'` : db``}
		order by b.id desc limit ${opts.limit ?? 50}`;
}

export async function getBatch(db: Db, id: number): Promise<BatchRow | undefined> {
	const [r] = await db<BatchRow[]>`select ${batchColumns(db)} from ${batchFrom(db)} where b.id = ${id}`;
	return r;
}

export async function lockBatch(db: Db, id: number): Promise<{ id: number; state: BatchState; version: number; assignedTo: number | null; pdfPath: string | null; pdfDeletedAt: Date | null; households: number } | undefined> {
	const [r] = await db<{ id: number; state: BatchState; version: number; assignedTo: number | null; pdfPath: string | null; pdfDeletedAt: Date | null; households: number }[]>`
		select id, state, version, assigned_to, pdf_path, pdf_deleted_at, households from letter_batches where id = ${id} for update`;
	return r;
}

export async function insertBatch(db: Db, b: { templateId: number; households: number; issuedOn: string; createdBy: number | null; assignedTo: number | null }): Promise<number> {
	const [r] = await db<{ id: number }[]>`
		insert into letter_batches (template_id, households, issued_on, created_by, assigned_to)
		values (${b.templateId}, ${b.households}, ${b.issuedOn}, ${b.createdBy}, ${b.assignedTo}) returning id`;
	return r.id;
}

/** The batch's households, page by page, with the snapshot of what is printed (name, address, overdue arrears as of `today`). */
export async function insertItems(
	db: Db,
	batchId: number,
	items: { householdId: number; seq: number; referenceNumber: string; reason: CandidateReason }[],
	today: string
): Promise<number> {
	const r = await db`
		insert into letter_batch_items (batch_id, household_id, seq, reference_number, reason, snapshot)
		select ${batchId}, x.h, x.seq, x.ref, x.reason, jsonb_build_object(
		  'nhiNumber', h.nhi_number,
		  'name', ${headName(db)},
		  'postalCode', h.postal_code,
		  'address', coalesce(h.address, ''),
		  'addressExtra', h.address_extra,
		  'arrears', coalesce((
		    select jsonb_agg(jsonb_build_object('fiscalYear', r.fiscal_year, 'period', r.period, 'dueDate', to_char(r.due_date, 'YYYY-MM-DD'),
		                                        'owed', r.assessed - r.received_total) order by r.fiscal_year, r.period)
		    from receipts r where r.household_id = h.id and r.due_date < ${today}::date and r.assessed > r.received_total), '[]'::jsonb))
		from unnest(${items.map((i) => i.householdId)}::bigint[], ${items.map((i) => i.seq)}::int[], ${items.map((i) => i.referenceNumber)}::text[],
		            ${items.map((i) => i.reason)}::text[]) as x(h, seq, ref, reason)
		join households h on h.id = x.h`;
	return r.count;
}

export interface ItemRow {
	householdId: number;
	seq: number;
	referenceNumber: string;
	reason: CandidateReason;
	snapshot: LetterSnapshot;
}

/** The batch's items in page order, `limit` after page `afterSeq` (the generator reads them in chunks). */
export async function itemsPage(db: Db, batchId: number, afterSeq: number, limit: number): Promise<ItemRow[]> {
	return db<ItemRow[]>`
		select household_id, seq, reference_number, reason, snapshot from letter_batch_items
		where batch_id = ${batchId} and seq > ${afterSeq} order by seq limit ${limit}`;
}

export async function itemHouseholds(db: Db, batchId: number): Promise<number[]> {
	const rows = await db<{ householdId: number }[]>`select household_id from letter_batch_items where batch_id = ${batchId} order by seq`;
	return rows.map((r) => r.householdId);
}

export async function itemByReference(db: Db, referenceNumber: string): Promise<{ batchId: number; householdId: number; nhiNumber: string } | undefined> {
	const [r] = await db<{ batchId: number; householdId: number; nhiNumber: string }[]>`
		select i.batch_id, i.household_id, h.nhi_number from letter_batch_items i join households h on h.id = i.household_id
		where i.reference_number = ${referenceNumber}`;
	return r;
}

export async function setProgress(db: Db, batchId: number, done: number): Promise<void> {
	await db`update letter_batches set progress_done = ${done}, progress_at = now() where id = ${batchId} and state = 'generating'`;
}

export async function markGenerated(
	db: Db,
	batchId: number,
	f: { path: string; bytes: number; sha256: string; expiresAt: Date; gaijiLetters: number; done: number }
): Promise<boolean> {
	const r = await db`
		update letter_batches set state = 'generated', generated_at = now(), progress_done = ${f.done}, progress_at = now(), pdf_path = ${f.path},
		  pdf_bytes = ${f.bytes}, pdf_sha256 = ${f.sha256}, pdf_expires_at = ${f.expiresAt}, gaiji_letters = ${f.gaijiLetters}, version = version + 1
		where id = ${batchId} and state = 'generating'`;
	return r.count === 1;
}

export async function markFailed(db: Db, batchId: number, error: string): Promise<void> {
	await db`update letter_batches set state = 'failed', error = ${error.slice(0, 1000)}, progress_at = now(), version = version + 1 where id = ${batchId} and state = 'generating'`;
}

/** Batches still 'generating' whose progress has not moved for `seconds` (the instance that ran them stopped). */
export async function failStale(db: Db, seconds: number): Promise<number[]> {
	const rows = await db<{ id: number }[]>`
		update letter_batches set state = 'failed', error = 'generation stopped (the server restarted?): create the batch again', version = version + 1
		where state = 'generating' and progress_at < now() - make_interval(secs => ${seconds}) returning id`;
	return rows.map((r) => r.id);
}

export async function setStep(db: Db, batchId: number, step: 'printed' | 'sealed' | 'mailed', by: number | null): Promise<void> {
	const col = { printed: ['printed_by', 'printed_at'], sealed: ['sealed_by', 'sealed_at'], mailed: ['mailed_by', 'mailed_at'] }[step];
	await db`update letter_batches set state = ${step}, ${db(col[0])} = ${by}, ${db(col[1])} = now(), version = version + 1 where id = ${batchId}`;
}

export async function setAssignee(db: Db, batchId: number, userId: number | null): Promise<void> {
	await db`update letter_batches set assigned_to = ${userId}, version = version + 1 where id = ${batchId}`;
}

/** PDFs to delete: expired, or of a mailed batch (no longer needed once the letters are in the post). */
export async function pdfsToDelete(db: Db): Promise<{ id: number; pdfPath: string }[]> {
	return db<{ id: number; pdfPath: string }[]>`
		select id, pdf_path from letter_batches
		where pdf_path is not null and pdf_deleted_at is null and (pdf_expires_at < now() or state in ('mailed', 'failed'))
		for update skip locked`;
}

export async function markPdfDeleted(db: Db, id: number): Promise<void> {
	await db`update letter_batches set pdf_deleted_at = now() where id = ${id}`;
}

export async function userRole(db: Db, id: number): Promise<{ role: string; disabled: boolean } | undefined> {
	const [r] = await db<{ role: string; disabled: boolean }[]>`select role, disabled_at is not null as disabled from users where id = ${id}`;
	return r;
}

export async function operators(db: Db): Promise<{ id: number; displayName: string; loginId: string }[]> {
	return db<{ id: number; displayName: string; loginId: string }[]>`
		select id, display_name, login_id from users where role = 'operator' and disabled_at is null order by login_id`;
}

/** Label rows: 〒, address, 方書, name, reference number, in page order. */
export async function labelRows(db: Db, batchId: number): Promise<{ householdId: number; referenceNumber: string; snapshot: LetterSnapshot }[]> {
	return db<{ householdId: number; referenceNumber: string; snapshot: LetterSnapshot }[]>`
		select household_id, reference_number, snapshot from letter_batch_items where batch_id = ${batchId} order by seq`;
}

// ─── returned mail ──────────────────────────────────────────────────────────

export interface ReturnRow {
	id: number;
	householdId: number;
	nhiNumber: string;
	batchId: number | null;
	referenceNumber: string | null;
	reason: ReturnReason;
	returnedOn: string;
	note: string | null;
	recordedAt: Date;
	recordedByName: string | null;
	resolvedAt: Date | null;
}

export async function insertReturn(
	db: Db,
	r: { householdId: number; batchId: number; referenceNumber: string; reason: ReturnReason; returnedOn: string; note: string | null; by: number | null }
): Promise<number> {
	const [row] = await db<{ id: number }[]>`
		insert into letter_returns (household_id, batch_id, reference_number, reason, returned_on, note, recorded_by)
		values (${r.householdId}, ${r.batchId}, ${r.referenceNumber}, ${r.reason}, ${r.returnedOn}, ${r.note}, ${r.by}) returning id`;
	return row.id;
}

export async function openReturnFor(db: Db, referenceNumber: string): Promise<number | null> {
	const [r] = await db<{ id: number }[]>`select id from letter_returns where reference_number = ${referenceNumber} and resolved_at is null`;
	return r?.id ?? null;
}

/** Open returns (flagged addresses) first, then recent resolved ones. */
export async function listReturns(db: Db, limit = 100): Promise<ReturnRow[]> {
	return db<ReturnRow[]>`
		select r.id, r.household_id, h.nhi_number, r.batch_id, r.reference_number, r.reason, to_char(r.returned_on, 'YYYY-MM-DD') as returned_on,
		  r.note, r.recorded_at, u.display_name as recorded_by_name, r.resolved_at
		from letter_returns r join households h on h.id = r.household_id left join users u on u.id = r.recorded_by
		order by (r.resolved_at is null) desc, r.recorded_at desc limit ${limit}`;
}

export async function resolveReturn(db: Db, id: number, by: number | null): Promise<{ householdId: number } | undefined> {
	const [r] = await db<{ householdId: number }[]>`
		update letter_returns set resolved_at = now(), resolved_by = ${by} where id = ${id} and resolved_at is null returning household_id`;
	return r;
}

/** Whether the household's address is flagged (returned mail not yet resolved). */
export async function addressFlagged(db: Db, householdId: number): Promise<boolean> {
	const [r] = await db<{ flagged: boolean }[]>`select exists (select 1 from letter_returns where household_id = ${householdId} and resolved_at is null) as flagged`;
	return r.flagged;
}
