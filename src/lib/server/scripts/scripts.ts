/**
 * Talk scripts managed by supervisors (issue #9): the desk reads the current version of each situation and
 * language (the built-in text where none was saved); a supervisor saves a new version with a change note. A save
 * based on a version that is no longer the current one is refused with the current one (two supervisors editing
 * at once), a placeholder the screen cannot fill is refused by name, and every save is in the access log.
 * Policy: scripts.manage (supervisors) edits; queue.claim (operators, the desk) reads.
 */
import { z } from 'zod';
import { db, realDb } from '../db.ts';
import { requirePermission, type Actor } from '../auth/actor.ts';
import { writeAccessLog } from '../audit/audit.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { mergeScripts, scriptContact, type ScriptContact, paragraphsOf, placeholders, scriptLanguages, situations, talkScripts, unknownPlaceholders, type ScriptSet } from '../../domain/talk-scripts.ts';
import * as q from './scripts.queries.ts';
import { currentTemplate } from '../letters/letters.queries.ts';
import { loadConfig } from '../config.ts';

export type { VersionRow } from './scripts.queries.ts';

/**
 * The scripts the desk shows (no personal data: templates only). A trainee's desk (issue #9, training mode) reads
 * the real ones too: they practise with the scripts they will use.
 */
export async function deskScripts(actor: Actor): Promise<ScriptSet> {
	requirePermission(actor, 'queue.claim');
	return mergeScripts(await q.currentVersions(realDb()));
}

/**
 * The center's name, number and hours the desk's script reads ({center}, {phone}, {hours}): the reminder letter's
 * contact block as configured on /admin/letters, else the server's settings (scriptContact). No personal data.
 */
export async function deskScriptContact(actor: Actor): Promise<ScriptContact> {
	requirePermission(actor, 'queue.claim');
	return scriptContact(await currentTemplate(realDb()), loadConfig());
}

const cell = z.object({
	situation: z.enum(situations, { message: `one of ${situations.join(', ')}` }),
	language: z.enum(scriptLanguages, { message: `one of ${scriptLanguages.join(', ')}` })
});

/** The editor: every situation and language with its current version (or the built-in text), and one cell's history. */
export async function scriptEditor(actor: Actor, raw: { situation?: unknown; language?: unknown }) {
	requirePermission(actor, 'scripts.manage');
	const picked = cell.safeParse({ situation: raw.situation ?? 'first', language: raw.language ?? 'ja' });
	if (!picked.success) throw invalidInput(picked.error.issues);
	const { situation, language } = picked.data;
	const sql = db();
	const [current, history] = await Promise.all([q.currentVersions(sql), q.history(sql, situation, language)]);
	const grid = situations.flatMap((s) =>
		scriptLanguages.map((l) => {
			const v = current.find((c) => c.situation === s && c.language === l);
			return { situation: s, language: l, versionId: v?.id ?? null, builtIn: !v && !!talkScripts[l][s]?.length, savedAt: v?.createdAt ?? null, author: v?.authorName ?? null };
		})
	);
	const now = current.find((c) => c.situation === situation && c.language === language);
	return {
		situation,
		language,
		paragraphs: now?.paragraphs ?? talkScripts[language][situation] ?? [],
		versionId: now?.id ?? null,
		history,
		grid,
		placeholders: [...placeholders]
	};
}

const saveInput = cell
	.extend({
		// the messages are codes the editor translates (scripts.problem.*)
		text: z.string({ error: 'required' }).max(10_000, 'text_too_long'),
		changeNote: z.string({ error: 'note_required' }).trim().min(1, 'note_required').max(500, 'note_too_long'),
		/** the version the editor showed (null: the built-in text) */
		baseVersion: z.union([z.coerce.number().int().positive(), z.literal('').transform(() => null), z.null()])
	})
	.strict();

/** Save a new version of one situation and language. */
export async function saveScript(actor: Actor, raw: unknown): Promise<{ versionId: number }> {
	requirePermission(actor, 'scripts.manage');
	const parsed = saveInput.safeParse(raw);
	if (!parsed.success) throw invalidInput(parsed.error.issues);
	const { situation, language, text, changeNote, baseVersion } = parsed.data;
	const paragraphs = paragraphsOf(text);
	if (paragraphs.length === 0) throw new DomainError('invalid_input', 'text: write at least one paragraph', { text: 'no_paragraphs' });
	if (paragraphs.length > 20) throw new DomainError('invalid_input', 'text: at most 20 paragraphs', { text: 'too_many_paragraphs' });
	const long = paragraphs.findIndex((p) => p.length > 500);
	if (long >= 0) throw new DomainError('invalid_input', `text: paragraph ${long + 1} is longer than 500 characters`, { text: 'paragraph_too_long', paragraph: String(long + 1) });
	const unknown = unknownPlaceholders(paragraphs);
	if (unknown.length)
		throw new DomainError('invalid_input', `text: unknown placeholder ${unknown.map((u) => `{${u}}`).join(', ')} (known: ${placeholders.map((p) => `{${p}}`).join(' ')})`, {
			text: 'unknown_placeholder',
			placeholders: unknown.map((u) => `{${u}}`).join(', ')
		});
	return db().begin(async (tx) => {
		const current = await q.lockCell(tx, situation, language);
		if (current !== baseVersion)
			throw new DomainError('conflict', `the script was changed meanwhile (now version ${current ?? 'built-in'}): reload it and edit again`, { code: 'stale', currentVersion: String(current ?? '') });
		const versionId = await q.insertVersion(tx, { situation, language, paragraphs, changeNote, authorId: actor.id });
		await writeAccessLog(tx, actor, { action: 'scripts.change', reason: `talk script ${situation}/${language} version ${versionId}: ${changeNote}` });
		return { versionId };
	});
}
