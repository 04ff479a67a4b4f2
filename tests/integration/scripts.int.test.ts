/**
 * Talk scripts managed by supervisors (issue #9) against the real database: a save is a new version with its note
 * and author, the desk reads the current version (the built-in text elsewhere), a save based on a version that is
 * no longer current is refused with the current one, a placeholder the screen cannot fill is refused by name,
 * operators read but do not edit, every save is in the access log.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { testSql, resetDb } from '../helpers/db.ts';
import { newUser } from '../helpers/factories.ts';
import { closeDb } from '../../src/lib/server/db.ts';
import { deskScripts, saveScript, scriptEditor } from '../../src/lib/server/scripts/scripts.ts';
import { talkScripts } from '../../src/lib/domain/talk-scripts.ts';
import type { Actor } from '../../src/lib/server/auth/actor.ts';

const sql = testSql();
afterAll(async () => {
	await sql.end();
	await closeDb();
});

describe('talk scripts', () => {
	let sv: Actor;
	let sv2: Actor;
	let op: Actor;
	beforeEach(async () => {
		await resetDb(sql);
		sv = await newUser(sql, 'supervisor');
		sv2 = await newUser(sql, 'supervisor');
		op = await newUser(sql, 'operator');
	});

	it('saves versions the desk reads, refuses a stale edit with the current version, and logs each save', async () => {
		const first = await scriptEditor(sv, { situation: 'first', language: 'ja' });
		expect(first.versionId).toBeNull();
		expect(first.paragraphs).toEqual(talkScripts.ja.first);
		expect(first.grid.find((g) => g.situation === 'first' && g.language === 'ja')).toMatchObject({ builtIn: true, versionId: null });

		const a = await saveScript(sv, { situation: 'first', language: 'ja', text: '{center}の者です。\n\n{name}様でいらっしゃいますか。\n', changeNote: '冒頭を短くした', baseVersion: null });
		// the second supervisor edited the built-in text too: refused, told the current version
		await expect(saveScript(sv2, { situation: 'first', language: 'ja', text: '別の文面 {name}', changeNote: '別案', baseVersion: '' })).rejects.toMatchObject({
			code: 'conflict',
			details: { code: 'stale', currentVersion: String(a.versionId) }
		});
		const b = await saveScript(sv2, { situation: 'first', language: 'ja', text: '{center}でございます。\n{name}様でいらっしゃいますか。', changeNote: '丁寧に', baseVersion: a.versionId });
		expect(b.versionId).toBeGreaterThan(a.versionId);

		const desk = await deskScripts(op);
		expect(desk.ja.first).toEqual(['{center}でございます。', '{name}様でいらっしゃいますか。']);
		expect(desk.en.first).toEqual(talkScripts.en.first); // other languages and situations keep the built-in text
		expect(desk.ja.voicemail).toEqual(talkScripts.ja.voicemail);

		const editor = await scriptEditor(sv, { situation: 'first', language: 'ja' });
		expect(editor.versionId).toBe(b.versionId);
		expect(editor.history.map((h) => [h.id, h.changeNote, h.authorName])).toEqual([
			[b.versionId, '丁寧に', sv2.displayName],
			[a.versionId, '冒頭を短くした', sv.displayName]
		]);
		const logged = await sql<{ reason: string }[]>`select reason from access_log where action = 'scripts.change' order by id`;
		expect(logged.map((r) => r.reason)).toEqual([`talk script first/ja version ${a.versionId}: 冒頭を短くした`, `talk script first/ja version ${b.versionId}: 丁寧に`]);
	});

	it('names what is wrong and saves nothing; operators do not edit', async () => {
		const save = (over: Record<string, unknown>) => saveScript(sv, { situation: 'first', language: 'vi', text: 'Xin chào {name}', changeNote: 'x', baseVersion: null, ...over });
		await expect(save({ text: 'こんにちは {nmae} {amout}' })).rejects.toMatchObject({ code: 'invalid_input', details: { text: 'unknown_placeholder', placeholders: '{nmae}, {amout}' } });
		await expect(save({ text: '\n  \n' })).rejects.toMatchObject({ details: { text: 'no_paragraphs' } });
		await expect(save({ text: 'a'.repeat(501) })).rejects.toMatchObject({ details: { text: 'paragraph_too_long', paragraph: '1' } });
		await expect(save({ changeNote: ' ' })).rejects.toMatchObject({ details: { changeNote: 'note_required' } });
		await expect(save({ situation: 'smalltalk', language: 'fr' })).rejects.toMatchObject({ details: { situation: expect.any(String), language: expect.any(String) } });
		await expect(scriptEditor(sv, { situation: 'first', language: 'xx' })).rejects.toMatchObject({ code: 'invalid_input' });
		await expect(saveScript(op, { situation: 'first', language: 'ja', text: 'x', changeNote: 'x', baseVersion: null })).rejects.toMatchObject({ code: 'forbidden' });
		await expect(scriptEditor(op, {})).rejects.toMatchObject({ code: 'forbidden' });
		const manager = await newUser(sql, 'manager');
		await expect(deskScripts(manager)).rejects.toMatchObject({ code: 'forbidden' });
		expect((await sql`select 1 from talk_script_versions`).length).toBe(0);
		// a new language's first script for a situation it had none of
		const r = await save({ situation: 'voicemail', text: '{center} xin nhắn cho {name}.' });
		expect((await deskScripts(op)).vi.voicemail).toEqual(['{center} xin nhắn cho {name}.']);
		expect(r.versionId).toBeGreaterThan(0);
	});
});
