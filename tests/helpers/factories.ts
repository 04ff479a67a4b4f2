/** Small factories for integration tests: households with arrears and phones, segments, users (actors). */
import type { Db } from '../../src/lib/server/db.ts';
import type { Actor } from '../../src/lib/server/auth/actor.ts';
import type { Role } from '../../src/lib/domain/roles.ts';
import { createUser } from '../../src/lib/server/users/users.ts';
import { upsertSegment, assignOperator } from '../../src/lib/server/segments/segments.ts';
import { parsePhone } from '../../src/lib/domain/phone.ts';
import { recordPrivacyCompleted } from '../../src/lib/server/training/training.queries.ts';

let seq = 0;
export const TEST_PASSWORD = 'test-password-123';

/**
 * A user; an operator has their personal-information protection training recorded (issue #9: without it the desk
 * refuses them), unless `untrained`.
 */
export async function newUser(db: Db, role: Role, loginId = `${role}${++seq}`, opts: { untrained?: boolean } = {}): Promise<Actor> {
	const { id } = await createUser(db, { loginId, displayName: `${role} ${seq}`, role, password: TEST_PASSWORD });
	const trained = role === 'operator' && !opts.untrained;
	if (trained) await recordPrivacyCompleted(db, [id], { trainer: 'test' });
	return { id, loginId, displayName: `${role} ${seq}`, role, locale: 'ja', ...(role === 'operator' ? { privacyTrained: trained } : {}) };
}

export async function newSegment(db: Db, code = `seg-${++seq}`): Promise<number> {
	return upsertSegment(db, { code, nameJa: `区分${code}`, nameEn: `Segment ${code}`, filter: {}, sortOrder: seq });
}

export async function newOperator(db: Db, segmentIds: number[]): Promise<Actor> {
	const a = await newUser(db, 'operator');
	for (const s of segmentIds) await assignOperator(db, a.id, s);
	return a;
}

/**
 * A household owing `owed` yen in period 1 of FY2025 (due 2025-06-30, long past), with a mobile phone,
 * queued as ready in `segmentId` with priority = owed.
 */
export async function newHousehold(db: Db, opts: { segmentId: number; owed?: number; phone?: string | null; state?: 'ready' | 'waiting' }): Promise<number> {
	const n = ++seq;
	const owed = opts.owed ?? 10_000 + n;
	const [h] = await db<{ id: number }[]>`
		insert into households (nhi_number, head_resident_number, address, synthetic)
		values (${String(n).padStart(8, '0')}, ${'R' + String(n).padStart(9, '0')}, '東京都新宿区西新宿1-1-1', true) returning id`;
	await db`insert into persons (resident_number, household_id, fiscal_year, name, name_kana, relationship, nationality)
		values (${'R' + String(n).padStart(9, '0')}, ${h.id}, 2025, ${'試験　太郎' + n}, 'シケン　タロウ', '世帯主', 'JP')`;
	await db`insert into receipts (household_id, fiscal_year, period, assessed, received_total, due_date)
		values (${h.id}, 2025, 1, ${owed}, 0, '2025-06-30')`;
	const raw = opts.phone === undefined ? `090-${String(1000 + (n % 9000)).padStart(4, '0')}-${String(n % 10000).padStart(4, '0')}` : opts.phone;
	if (raw) {
		const p = parsePhone(raw);
		await db`insert into phones (household_id, raw, digits, kind, valid) values (${h.id}, ${raw}, ${p.digits}, ${p.kind}, ${p.valid})`;
	}
	const state = opts.state ?? 'ready';
	await db`insert into call_queue (household_id, segment_id, priority, state, next_eligible_at)
		values (${h.id}, ${opts.segmentId}, ${owed}, ${state}, ${state === 'waiting' ? new Date(Date.now() + 3600_000) : null})`;
	return h.id;
}
