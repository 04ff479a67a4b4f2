import { describe, expect, it } from 'vitest';
import { shortReason, userAgentSummary } from './audit-actions.ts';

describe('shortReason', () => {
	const chrome = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.6778.33 Safari/537.36';
	it('shortens a sign-in’s user agent to browser and system, keeping the rest of the reason', () => {
		expect(shortReason(`user agent: ${chrome}; security key: 会社の鍵`)).toBe('user agent: HeadlessChrome 131 · Linux; security key: 会社の鍵');
		expect(shortReason('filter {}')).toBe('filter {}');
	});
	it('names common browsers and systems, and cuts what it does not know', () => {
		expect(userAgentSummary('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0')).toBe('Edge 120 · Windows');
		expect(userAgentSummary('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15')).toBe('Safari 17 · macOS');
		expect(userAgentSummary('curl/8.4.0')).toBe('curl/8.4.0');
		expect(userAgentSummary('x'.repeat(100))).toBe(`${'x'.repeat(40)}…`);
	});
});
