import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { loggableLoginId } from './actor.ts';

describe('loggableLoginId (what login.failed may say about the id typed)', () => {
	it('keeps an id that has a login id’s shape', () => {
		for (const id of ['op01', 'sato.hanako', 'admin_2', 'A-b.c_d', 'x'.repeat(64)]) expect(loggableLoginId(id)).toBe(id);
	});

	it('replaces anything else (a password typed into the id field) with a marker and a short hash', () => {
		const typed = 'ひまわり 秘密のパス!';
		const shown = loggableLoginId(typed);
		expect(shown).toBe(`(invalid id, sha256:${createHash('sha256').update(typed).digest('hex').slice(0, 12)})`);
		expect(shown).not.toContain('秘密');
		for (const bad of ['a', 'x'.repeat(65), 'has space', 'pass:word', 'Summer2026!']) expect(loggableLoginId(bad)).toMatch(/^\(invalid id, sha256:[0-9a-f]{12}\)$/);
		// the same text gives the same marker (an auditor sees repetition, not content)
		expect(loggableLoginId('Summer2026!')).toBe(loggableLoginId('Summer2026!'));
	});
});
