import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import TalkScript from './TalkScript.svelte';
import { i18nContext } from '$lib/i18n';
import { scriptLanguages, situations, talkScripts } from '$lib/domain/talk-scripts';

/** The script panel as the server renders it: text only (tags dropped), the gap's tooltip (an attribute) not part of it. */
function shown(locale: 'ja' | 'en', props: Record<string, unknown>): { text: string; gaps: number } {
	const { body } = render(TalkScript, { props: props as never, context: i18nContext(locale) });
	const gaps = (body.match(/data-testid="script-gap"/g) ?? []).length;
	// the script's paragraphs (after the heading, the language menu and the situation buttons)
	const text = body
		.slice(body.indexOf(' lang="'))
		.replace(/<[^>]*>/g, '')
		.replace(/<!---->|<!--\[-->|<!--\]-->/g, '');
	return { text, gaps };
}

describe('TalkScript (what the operator reads aloud)', () => {
	it('reads the configured center name', () => {
		const { text, gaps } = shown('ja', { language: 'ja', values: { center: 'みどり区 国保納付勧奨センター', name: '山田 太郎' } });
		expect(text).toContain('お忙しいところ恐れ入ります。みどり区 国保納付勧奨センターの者です。山田 太郎様でいらっしゃいますか。');
		expect(gaps).toBeGreaterThan(0); // amount, periods … are unknown here
	});

	for (const locale of ['ja', 'en'] as const)
		for (const language of scriptLanguages)
			it(`shows an unknown value as a blank, never the placeholder's name (${language} script, ${locale} screen)`, () => {
				for (const opening of situations) {
					if (!talkScripts[language][opening]) continue;
					const { text, gaps } = shown(locale, { language, opening, values: {} });
					expect(gaps).toBeGreaterThan(0);
					// the placeholder's name (as it was shown: 【center：不明】, [center: unknown], {center}), in any form
					for (const name of ['center', 'name', 'amount', 'periods', 'breakdown', 'phone', 'hours']) expect(text).not.toMatch(new RegExp(`[{【\\[]\\s*${name}|${name}\\s*[:：}]`));
					for (const word of ['unknown', '不明', 'undefined', 'null']) expect(text).not.toContain(word);
					expect(text).not.toMatch(/[{}【】[\]]/);
				}
			});
});
