import { describe, expect, it } from 'vitest';
import { relyingParty } from './rp.ts';

describe('the relying party (which site the keys belong to)', () => {
	const url = new URL('http://localhost:3000/login');

	it('is ORIGIN when set, whatever the request says about its host', () => {
		expect(relyingParty('https://kansho.example.lg.jp', new URL('http://10.0.0.5:3000/login'), 'https://kansho.example.lg.jp')).toEqual({
			id: 'kansho.example.lg.jp',
			origin: 'https://kansho.example.lg.jp',
			name: 'kansho'
		});
		expect(relyingParty('https://kansho.example.lg.jp/', new URL('http://evil.example/login'), null).id).toBe('kansho.example.lg.jp');
	});

	it('is the request’s own origin without ORIGIN (the demo), port and all', () => {
		expect(relyingParty(undefined, url, 'http://localhost:3000')).toEqual({ id: 'localhost', origin: 'http://localhost:3000', name: 'kansho' });
		expect(relyingParty(undefined, url, null).origin).toBe('http://localhost:3000');
	});

	it('refuses a request whose Origin header names another site (with or without ORIGIN)', () => {
		expect(() => relyingParty(undefined, url, 'https://evil.example')).toThrow(expect.objectContaining({ code: 'forbidden' }));
		expect(() => relyingParty(undefined, url, 'http://localhost:3001')).toThrow(expect.objectContaining({ code: 'forbidden' }));
		expect(() => relyingParty('https://kansho.example.lg.jp', url, 'http://localhost:3000')).toThrow(expect.objectContaining({ code: 'forbidden' }));
		expect(() => relyingParty(undefined, url, 'null')).toThrow(expect.objectContaining({ code: 'forbidden' }));
	});
});
