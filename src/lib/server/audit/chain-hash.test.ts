import { describe, expect, it } from 'vitest';
import { canonicalAccessRow, chainHash, GENESIS_HASH, type ChainRow } from './chain-hash.ts';

const first: ChainRow = {
	chainSeq: 1,
	id: 42,
	at: '2026-04-01T00:12:34.567890Z',
	userId: 7,
	role: 'operator',
	action: 'household.view',
	householdId: 1001,
	fields: ['name', 'phones'],
	reason: 'claim "次"\n',
	ip: null,
	requestId: 'req-1'
};
const second: ChainRow = {
	chainSeq: 2,
	id: 43,
	at: '2026-04-01T00:12:35.000001Z',
	userId: null,
	role: null,
	action: 'login.failed',
	householdId: null,
	fields: null,
	reason: null,
	ip: '10.0.0.1',
	requestId: null
};

describe('access log canonical form', () => {
	it('is the documented JSON array, byte for byte', () => {
		expect(canonicalAccessRow(first)).toBe(
			'["kansho.access_log.v1",1,42,"2026-04-01T00:12:34.567890Z",7,"operator","household.view",1001,["name","phones"],"claim \\"次\\"\\n",null,"req-1"]'
		);
		expect(canonicalAccessRow(second)).toBe(
			'["kansho.access_log.v1",2,43,"2026-04-01T00:12:35.000001Z",null,null,"login.failed",null,null,null,"10.0.0.1",null]'
		);
	});

	it('tells apart values that a naive join would confuse', () => {
		const forms = new Set([
			canonicalAccessRow({ ...first, reason: '' }),
			canonicalAccessRow({ ...first, reason: null }),
			canonicalAccessRow({ ...first, reason: 'null' }),
			// a separator moved from one field into the next
			canonicalAccessRow({ ...first, role: 'operator,household.view', action: '' }),
			canonicalAccessRow({ ...first, fields: ['name,phones'] }),
			canonicalAccessRow({ ...first, fields: [] }),
			canonicalAccessRow({ ...first, fields: null }),
			canonicalAccessRow({ ...first, fields: [null] }),
			canonicalAccessRow({ ...first, userId: null }),
			canonicalAccessRow(first)
		]);
		expect(forms.size).toBe(10);
	});

	it('refuses values outside the form instead of guessing', () => {
		expect(() => canonicalAccessRow({ ...first, at: '2026-04-01T00:12:34.567Z' })).toThrow(/microseconds/);
		expect(() => canonicalAccessRow({ ...first, at: new Date() as unknown as string })).toThrow(/microseconds/);
		expect(() => canonicalAccessRow({ ...first, id: 1.5 })).toThrow(/id must be a safe integer/);
		expect(() => canonicalAccessRow({ ...first, chainSeq: null as unknown as number })).toThrow(/chain_seq/);
		expect(() => canonicalAccessRow({ ...first, userId: '7' as unknown as number })).toThrow(/user_id/);
		expect(() => canonicalAccessRow({ ...first, action: null as unknown as string })).toThrow(/action/);
		expect(() => canonicalAccessRow({ ...first, fields: [1] as unknown as string[] })).toThrow(/fields/);
	});
});

describe('access log chain hash', () => {
	// computed independently: python3 hashlib.sha256(prev_bytes + json.dumps(v, ensure_ascii=False, separators=(',', ':')).encode())
	it('matches an independently computed chain', () => {
		const h1 = chainHash(GENESIS_HASH, first);
		expect(h1).toBe('30b250b871a1fa9bfcffde3b7c878979f48a3f771f8d52bd2ff7e9469ee5a8d2');
		expect(chainHash(h1, second)).toBe('83073cd7f24536ebaa7052005474e1d7c1d0b2ad7593a88062c45ac2d6f2350e');
	});

	it('changes with every field and with the previous hash', () => {
		const base = chainHash(GENESIS_HASH, first);
		const variants: ChainRow[] = [
			{ ...first, chainSeq: 2 },
			{ ...first, id: 43 },
			{ ...first, at: '2026-04-01T00:12:34.567891Z' },
			{ ...first, userId: 8 },
			{ ...first, role: 'supervisor' },
			{ ...first, action: 'household.claim' },
			{ ...first, householdId: 1002 },
			{ ...first, fields: ['name'] },
			{ ...first, reason: 'claim' },
			{ ...first, ip: '127.0.0.1' },
			{ ...first, requestId: 'req-2' }
		];
		for (const v of variants) expect(chainHash(GENESIS_HASH, v)).not.toBe(base);
		expect(chainHash('f'.repeat(64), first)).not.toBe(base);
	});

	it('takes the previous hash only as 64 lowercase hex digits', () => {
		expect(() => chainHash('abc', first)).toThrow(/64 lowercase hex/);
		expect(() => chainHash('F'.repeat(64), first)).toThrow(/64 lowercase hex/);
	});
});
