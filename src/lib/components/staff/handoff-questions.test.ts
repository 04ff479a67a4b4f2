import { describe, expect, it } from 'vitest';
import { translator } from '$lib/i18n';
import { resolveQuestion, returnQuestion } from './handoff-questions';

const h = { id: 7, payer: '東　学' };

describe('the questions before closing a handoff', () => {
	it('resolving names the handoff, the resident, the resolution and what happens to calls (ja)', () => {
		const ja = translator('ja');
		expect(resolveQuestion(ja, 'ja', h, 'installment_agreed')).toBe(
			'引継ぎ #7（東　学）を「分納誓約」で対応完了にします。世帯は架電されなくなります。完了した引継ぎは再開できません。よろしいですか？'
		);
		expect(resolveQuestion(ja, 'ja', h, 'resume_calls')).toContain('「対応済み・架電再開」で対応完了にします。世帯は架電キューに戻ります。');
	});
	it('resolving, in English', () => {
		expect(resolveQuestion(translator('en'), 'en', h, 'paid')).toBe(
			'Resolve handoff #7 (東　学) as “Payment confirmed”? The household will not be called. A resolved handoff cannot be reopened.'
		);
	});
	it('asks nothing when no resolution is chosen (the server refuses the empty field)', () => {
		expect(resolveQuestion(translator('ja'), 'ja', h, '')).toBeNull();
	});
	it('returning names the handoff and the resident, in both languages', () => {
		expect(returnQuestion(translator('ja'), h)).toBe(
			'引継ぎ #7（東　学）をセンターへ差し戻します。世帯は架電キューに戻り、指示は次回架電時にオペレータへ表示されます。差し戻した引継ぎは再開できません。よろしいですか？'
		);
		expect(returnQuestion(translator('en'), h)).toMatch(/^Return handoff #7 \(東　学\) to the call center\? /);
	});
});
