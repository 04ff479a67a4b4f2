import { describe, expect, it } from 'vitest';
import { sameOriginPath } from './redirects.ts';

const origin = 'http://localhost:3000';

describe('sameOriginPath', () => {
	it('keeps paths on this site', () => {
		expect(sameOriginPath('/operator', origin)).toBe('/operator');
		expect(sameOriginPath('/audit?before=10', origin)).toBe('/audit?before=10');
	});
	it.each(['//evil.example/x', '/\\evil.example', '/\t/evil.example', 'https://evil.example/', 'javascript:alert(1)', '', null, 42])('refuses %j', (c) => {
		expect(sameOriginPath(c, origin)).toBeNull();
	});
});
