import { describe, expect, it } from 'vitest';
import { clampSeconds, panelAt, parsePanels, rotationFor } from './wall-panels.ts';

describe('wall panels and rotation', () => {
	it('reads a panel list from a URL: known names, once each, in order', () => {
		expect(parsePanels('operators,summary,operators,bogus')).toEqual(['operators', 'summary']);
		expect(parsePanels('bogus')).toBeNull();
		expect(parsePanels('')).toBeNull();
		expect(parsePanels(null)).toBeNull();
	});

	it('keeps seconds per panel within 5–600', () => {
		expect(clampSeconds(1)).toBe(5);
		expect(clampSeconds(10_000)).toBe(600);
		expect(clampSeconds(Number('x'))).toBe(20);
		expect(clampSeconds(12.4)).toBe(12);
	});

	it('prefers the URL, then the token, then the summary alone', () => {
		const token = { panels: ['segments' as const, 'operators' as const], seconds: 30 };
		expect(rotationFor(new URLSearchParams('panels=operators&seconds=8'), token)).toEqual({ panels: ['operators'], seconds: 8 });
		expect(rotationFor(new URLSearchParams(''), token)).toEqual({ panels: ['segments', 'operators'], seconds: 30 });
		expect(rotationFor(new URLSearchParams(''), null)).toEqual({ panels: ['summary'], seconds: 20 });
	});

	it('rotates through the panels by elapsed time and stays put with one panel', () => {
		const r = { panels: ['summary' as const, 'segments' as const, 'operators' as const], seconds: 10 };
		expect(panelAt(r, 0)).toBe('summary');
		expect(panelAt(r, 9_999)).toBe('summary');
		expect(panelAt(r, 10_000)).toBe('segments');
		expect(panelAt(r, 25_000)).toBe('operators');
		expect(panelAt(r, 30_000)).toBe('summary');
		expect(panelAt({ panels: ['operators'], seconds: 10 }, 99_999)).toBe('operators');
	});
});
