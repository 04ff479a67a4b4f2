import { describe, expect, it } from 'vitest';
import { fileDef } from './files.ts';
import { mapHeaders, normalizeRow } from './rows.ts';

describe('normalizeRow: 世帯.csv', () => {
	const def = fileDef('世帯.csv')!;
	const headers = def.columns.map((c) => c.header);
	const mapping = mapHeaders(def, headers);
	const row = (address: string) => {
		const rec = headers.map((h) => ({ 国保記号番号: '00012345', 賦課年度: '2026', 住所: address })[h as '住所'] ?? '');
		return normalizeRow(def, mapping, rec);
	};

	it('keeps the address as written and derives its 町名 (addressTown, staged as address_town)', () => {
		const r = row('東京都新宿区四谷一丁目2番3号');
		expect(r.errors).toEqual([]);
		expect(r.values.address).toBe('東京都新宿区四谷一丁目2番3号');
		expect(r.values.addressTown).toBe('四谷');
		expect(row('東京都新宿区余丁町120番地').values.addressTown).toBe('余丁町');
		expect(row('  東京都新宿区百人町１－２－３  ').values).toMatchObject({ address: '東京都新宿区百人町１－２－３', addressTown: '百人町' });
	});

	it('derives no 町名 from an empty address', () => {
		expect(row('').values).toMatchObject({ address: null, addressTown: null });
	});
});
