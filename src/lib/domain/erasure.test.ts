import { describe, expect, it } from 'vitest';
import { can, permissionForPath, roles } from './roles.ts';
import { buildCertificate, dualDateTime, ERASE_PHRASE, erasedTables, phraseMatches, uncoveredTables, type CertificateInput } from './erasure.ts';

const input: CertificateInput = {
	erasureId: 7,
	kind: 'contract_end',
	ward: '新宿区',
	contract: '令和8年度 国民健康保険料納付勧奨業務委託',
	by: { loginId: 'admin01', displayName: '山本 システム管理', role: 'admin', via: 'web' },
	startedAt: new Date('2026-03-31T15:00:00.000Z'), // 2026-04-01 00:00 in Tokyo
	finishedAt: new Date('2026-03-31T15:00:02.500Z'),
	certifiedAt: new Date('2026-03-31T15:00:04.000Z'),
	counts: { households: 3, persons: 5, calls: 4, promises: 1, import_rejections: 2 },
	importErrorsCleared: 1,
	files: { directory: '/data/uploads', found: 1, deleted: 1, files: 2, bytes: 2048, errors: [] },
	retained: { accessLog: 120, users: 9, imports: 2, exports: 1 },
	statistics: { stats_calls: 12, stats_receipts: 4 },
	accessLog: { entryId: 130, entryChainSeq: 130, headChainSeq: 131, headHash: 'ab'.repeat(32), verified: { ok: true, rows: 131, problem: null } }
};

describe('the confirmation phrase', () => {
	it('matches the phrase typed with full-width or half-width forms and stray spaces', () => {
		expect(phraseMatches(ERASE_PHRASE)).toBe(true);
		expect(phraseMatches(` ${ERASE_PHRASE}　`)).toBe(true);
		expect(phraseMatches('消去 します')).toBe(true);
	});
	it('refuses anything else', () => {
		for (const x of ['', '消去', '消去しません', 'erase', null, undefined, 42]) expect(phraseMatches(x), String(x)).toBe(false);
	});
});

describe('who may erase', () => {
	it('is administrators only, on the page and in the use case', () => {
		expect(roles.filter((r) => can(r, 'data.erase'))).toEqual(['admin']);
		expect(permissionForPath('/admin/erasure')).toBe('data.erase');
		expect(permissionForPath('/admin/erasure/3/pdf')).toBe('data.erase');
	});
});

describe('coverage of personal tables', () => {
	it('names tables with household data that the erasure does not know', () => {
		expect(uncoveredTables(['households', 'calls', 'access_log', 'erasures'])).toEqual([]);
		expect(uncoveredTables(['households', 'letters', 'letters', 'a_new_table'])).toEqual(['a_new_table', 'letters']);
	});
	it('lists each erased table once', () => {
		const names = erasedTables.map((t) => t.table);
		expect(new Set(names).size).toBe(names.length);
		for (const t of ['households', 'persons', 'calls', 'phones', 'import_rejections', 'handoffs']) expect(names).toContain(t);
	});
});

describe('the certificate', () => {
	const c = buildCertificate(input);
	it('says what was erased, per table in the fixed order, with counts and the total', () => {
		expect(c.format).toBe('kansho.erasure-certificate.v1');
		expect(c.title.ja).toBe('消去証明書');
		expect(c.erased.map((e) => [e.table, e.rows])).toEqual([
			['households', 3],
			['persons', 5],
			['calls', 4],
			['promises', 1],
			['import_rejections', 2]
		]);
		expect(c.totalRows).toBe(15);
		expect(c.erased[0].label.ja).toContain('世帯');
		expect(c.cleared).toEqual([expect.objectContaining({ table: 'imports', column: 'error', rows: 1 })]);
		expect(c.files).toEqual(input.files);
	});
	it('says when (ISO and Tokyo time with the Japanese era), by whom, for which ward and contract', () => {
		expect(c.startedAt).toBe('2026-03-31T15:00:00.000Z');
		expect(c.startedAtJa).toBe('2026-04-01 00:00:00（令和8年4月1日）');
		expect(c.certifiedAtJa).toBe('2026-04-01 00:00:04（令和8年4月1日）');
		expect(c.erasedBy).toEqual(input.by);
		expect(c.ward).toBe('新宿区');
		expect(c.contract).toContain('納付勧奨');
		expect(c.statement.ja).toContain('すべての個人情報');
	});
	it('quotes the access log: the erasure entry, the final chain_seq and hash, the verification', () => {
		expect(c.accessLog).toEqual(input.accessLog);
		const kept = c.retained.map((r) => [r.item, r.rows]);
		expect(kept).toEqual([
			['access_log', 120],
			['users', 9],
			['imports', 2],
			['exports', 1]
		]);
		expect(c.retained[0].why.ja).toContain('追記専用');
		expect(c.statistics).toEqual([
			{ table: 'stats_calls', rows: 12 },
			{ table: 'stats_receipts', rows: 4 }
		]);
	});
	it('describes a retention run as such', () => {
		const r = buildCertificate({ ...input, kind: 'retention', files: null });
		expect(r.statement.ja).toContain('保存期間');
		expect(r.files).toBeNull();
	});
	it('is plain JSON (survives a round trip unchanged)', () => {
		expect(JSON.parse(JSON.stringify(c))).toEqual(c);
	});
	it('writes dates across the era boundary correctly', () => {
		expect(dualDateTime(new Date('2019-04-30T14:59:59Z'))).toBe('2019-04-30 23:59:59（平成31年4月30日）');
		expect(dualDateTime(new Date('2019-04-30T15:00:00Z'))).toBe('2019-05-01 00:00:00（令和元年5月1日）');
	});
});
