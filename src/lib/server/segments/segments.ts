/** Segments and operator assignments (the full editing console comes with the supervisor issue). */
import type { Db } from '../db.ts';
import type { SegmentFilter } from '../../domain/segments.ts';

export interface NewSegment {
	code: string;
	nameJa: string;
	nameEn: string;
	description?: string;
	filter: SegmentFilter;
	sortOrder: number;
}

export async function upsertSegment(tx: Db, s: NewSegment): Promise<number> {
	const [row] = await tx<{ id: number }[]>`
		insert into segments (code, name_ja, name_en, description, filter, sort_order)
		values (${s.code}, ${s.nameJa}, ${s.nameEn}, ${s.description ?? null}, ${tx.json(s.filter as never)}, ${s.sortOrder})
		on conflict (code) do update set name_ja = excluded.name_ja, name_en = excluded.name_en, filter = excluded.filter,
		  sort_order = excluded.sort_order, version = segments.version + 1, updated_at = now()
		returning id`;
	return row.id;
}

export async function assignOperator(tx: Db, userId: number, segmentId: number, by: number | null = null): Promise<void> {
	await tx`insert into operator_segments (user_id, segment_id, assigned_by) values (${userId}, ${segmentId}, ${by}) on conflict do nothing`;
}

/** The default segments: the ones the demo data needs and a catch-all. */
export const defaultSegments: NewSegment[] = [
	{ code: 'foreign', nameJa: '外国籍世帯', nameEn: 'Foreign residents', description: '通訳・多言語スクリプト対応', filter: { excludeLanguages: ['ja'] }, sortOrder: 10 },
	{ code: 'high', nameJa: '高額滞納（10万円以上）', nameEn: 'High arrears (¥100,000+)', filter: { minOwed: 100_000 }, sortOrder: 20 },
	{ code: 'general', nameJa: '一般', nameEn: 'General', filter: {}, sortOrder: 90 }
];
