import { describe, expect, it } from 'vitest';
import { applyPatch, deltaStep, PatchError, snapshotStep } from './live-view.ts';

describe('applyPatch', () => {
	it('sets values and adds to counts along object keys and array indexes', () => {
		const snap = { generatedAt: 'a', operators: [{ id: 1, state: 'available', callsToday: 2 }], today: { attempts: 5 } };
		applyPatch(snap, [
			{ path: ['operators', 0, 'state'], value: 'break' },
			{ path: ['operators', 0, 'callsToday'], inc: 1 },
			{ path: ['today', 'attempts'], inc: -2 },
			{ path: ['generatedAt'], value: 'b' }
		]);
		expect(snap).toEqual({ generatedAt: 'b', operators: [{ id: 1, state: 'break', callsToday: 3 }], today: { attempts: 3 } });
	});

	it('refuses a path that does not resolve or an increment of a non-number (the sides disagree: resubscribe)', () => {
		expect(() => applyPatch({ operators: [] }, [{ path: ['operators', 3, 'state'], value: 'x' }])).toThrow(PatchError);
		expect(() => applyPatch({ a: { b: 'text' } }, [{ path: ['a', 'b'], inc: 1 }])).toThrow(PatchError);
		expect(() => applyPatch({}, [{ path: [], value: 1 }])).toThrow(PatchError);
	});
});

describe('versions', () => {
	it('applies the next version, ignores old ones and resynchronizes on a gap', () => {
		expect(deltaStep(4, 5)).toBe('apply');
		expect(deltaStep(4, 4)).toBe('ignore');
		expect(deltaStep(4, 2)).toBe('ignore');
		expect(deltaStep(4, 6)).toBe('resync');
		// while subscribing (no snapshot yet) deltas wait for the snapshot that includes them
		expect(deltaStep(null, 9)).toBe('ignore');
	});

	it('replaces with a snapshot unless it is older than what is held', () => {
		expect(snapshotStep(4, 6)).toBe('replace');
		expect(snapshotStep(4, 4)).toBe('replace');
		expect(snapshotStep(4, 3)).toBe('ignore');
		expect(snapshotStep(null, 1)).toBe('replace');
	});
});
