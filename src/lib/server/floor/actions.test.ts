import { describe, expect, it } from 'vitest';
import { assignmentFromForm } from './actions.ts';

const form = (o: Record<string, string>) => {
	const f = new FormData();
	for (const [k, v] of Object.entries(o)) f.append(k, v);
	return f;
};

describe('assignmentFromForm (the board card and the drop)', () => {
	it('moves from the card’s column to another', () => {
		expect(assignmentFromForm(form({ operatorId: '7', version: '3', from: '2', current: '1,2', op: 'move:5' }))).toEqual({ operatorId: 7, version: 3, segmentIds: [1, 5] });
	});
	it('adds without removing, and from the unassigned column', () => {
		expect(assignmentFromForm(form({ operatorId: '7', version: '3', from: '2', current: '2', op: 'add:5' })).segmentIds).toEqual([2, 5]);
		expect(assignmentFromForm(form({ operatorId: '7', version: '1', from: '', current: '', op: 'move:5' })).segmentIds).toEqual([5]);
	});
	it('removes from the card’s column', () => {
		expect(assignmentFromForm(form({ operatorId: '7', version: '3', from: '2', current: '1,2', op: 'remove' })).segmentIds).toEqual([1]);
	});
	it('leaves what it cannot read for the use case to refuse, naming the field', () => {
		const r = assignmentFromForm(form({ operatorId: 'x', version: '', current: '1', op: '' }));
		expect(r).toEqual({ operatorId: 'x', version: '', segmentIds: 'choose' });
		// "remove" from the unassigned column means nothing
		expect(assignmentFromForm(form({ operatorId: '7', version: '1', from: '', current: '', op: 'remove' })).segmentIds).toBe('choose');
	});
});
