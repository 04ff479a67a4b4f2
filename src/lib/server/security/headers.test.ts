import { describe, expect, it } from 'vitest';
import { FALLBACK_CSP, handshakeOriginAllowed, maxBodyBytes, securityHeaders } from './headers.ts';
import { pageCsp } from './csp.js';

describe('security headers', () => {
	it('sends the basics on every response, HSTS only over HTTPS', () => {
		const h = securityHeaders({ https: false });
		expect(h).toMatchObject({
			'x-content-type-options': 'nosniff',
			'x-frame-options': 'DENY',
			'referrer-policy': 'same-origin',
			'cross-origin-opener-policy': 'same-origin'
		});
		expect(h).not.toHaveProperty('strict-transport-security');
		expect(securityHeaders({ https: true })['strict-transport-security']).toBe('max-age=31536000');
	});

	it('never no-referrer: browsers would send Origin: null on form posts and SvelteKit would refuse them', () => {
		expect(securityHeaders({ https: true })['referrer-policy']).not.toBe('no-referrer');
	});

	it('turns off unused features but allows security keys (WebAuthn) for our own origin', () => {
		const pp = securityHeaders({ https: false })['permissions-policy'];
		expect(pp).toContain('camera=()');
		expect(pp).toContain('publickey-credentials-get=(self)');
		expect(pp).toContain('publickey-credentials-create=(self)');
	});

	it('non-page responses may load nothing and be framed by nobody', () => {
		expect(FALLBACK_CSP).toMatch(/default-src 'none'/);
		expect(FALLBACK_CSP).toMatch(/frame-ancestors 'none'/);
		expect(FALLBACK_CSP).not.toMatch(/script-src/);
	});
});

describe('the pages’ Content-Security-Policy (kit.csp)', () => {
	it('runs no inline script and no eval: SvelteKit adds a nonce for its own', () => {
		expect(pageCsp['script-src']).toEqual(['self']);
		expect(pageCsp['default-src']).toEqual(['self']);
	});
	it('takes style elements only from our files; inline style attributes are allowed', () => {
		expect(pageCsp['style-src-elem']).toEqual(['self']);
		expect(pageCsp['style-src-attr']).toEqual(['unsafe-inline']);
	});
	it('connects only to our origin, frames nothing and is framed by nobody', () => {
		expect(pageCsp['connect-src']).toEqual(['self']);
		expect(pageCsp['frame-ancestors']).toEqual(['none']);
		expect(pageCsp['object-src']).toEqual(['none']);
		expect(pageCsp['base-uri']).toEqual(['none']);
		expect(pageCsp['form-action']).toEqual(['self']);
	});
});

describe('request body limits', () => {
	it('JSON API 64 KB, forms 1 MB, the import upload UPLOAD_LIMIT_MB', () => {
		expect(maxBodyBytes('/api/calls', 1024)).toBe(64 * 1024);
		expect(maxBodyBytes('/login', 1024)).toBe(1024 * 1024);
		expect(maxBodyBytes('/admin/imports', 50)).toBe(50 * 1024 * 1024);
		expect(maxBodyBytes('/admin/importsx', 50)).toBe(1024 * 1024); // by path segment
	});
});

describe('socket handshake origin', () => {
	it('allows no Origin (not a browser) and our own host; refuses other sites and null', () => {
		expect(handshakeOriginAllowed(undefined, 'kansho.local:3000')).toBe(true);
		expect(handshakeOriginAllowed('http://kansho.local:3000', 'kansho.local:3000')).toBe(true);
		expect(handshakeOriginAllowed('https://kansho.local:3000', 'KANSHO.local:3000')).toBe(true);
		expect(handshakeOriginAllowed('https://evil.example', 'kansho.local:3000')).toBe(false);
		expect(handshakeOriginAllowed('null', 'kansho.local:3000')).toBe(false);
		expect(handshakeOriginAllowed('http://kansho.local:3000', undefined)).toBe(false);
	});
	it('with ORIGIN set, only that origin (the Host header does not matter)', () => {
		expect(handshakeOriginAllowed('https://kansho.city.example', 'anything', 'https://kansho.city.example')).toBe(true);
		expect(handshakeOriginAllowed('http://kansho.city.example', 'kansho.city.example', 'https://kansho.city.example')).toBe(false);
		expect(handshakeOriginAllowed('https://evil.example', 'evil.example', 'https://kansho.city.example')).toBe(false);
	});
});
