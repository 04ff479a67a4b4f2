/** SQL of the talk scripts' versions (migration 00022_talk_scripts). */
import type { Db } from '../db.ts';
import type { ScriptLanguage, Situation } from '../../domain/talk-scripts.ts';

export interface VersionRow {
	id: number;
	situation: Situation;
	language: ScriptLanguage;
	paragraphs: string[];
	changeNote: string;
	authorName: string | null;
	createdAt: Date;
}

const cols = `v.id, v.situation, v.language, v.paragraphs, v.change_note, u.display_name as author_name, v.created_at`;

/** The current (latest) version of every situation and language that has one. */
export async function currentVersions(db: Db): Promise<VersionRow[]> {
	return db<VersionRow[]>`
		select distinct on (v.situation, v.language) ${db.unsafe(cols)}
		from talk_script_versions v left join users u on u.id = v.author_id
		order by v.situation, v.language, v.id desc`;
}

/** Every version of one situation and language, newest first. */
export async function history(db: Db, situation: Situation, language: ScriptLanguage, limit = 50): Promise<VersionRow[]> {
	return db<VersionRow[]>`
		select ${db.unsafe(cols)} from talk_script_versions v left join users u on u.id = v.author_id
		where v.situation = ${situation} and v.language = ${language}
		order by v.id desc limit ${limit}`;
}

/** Serialize saves of one situation and language until the transaction ends; returns its current version id (null: none). */
export async function lockCell(db: Db, situation: Situation, language: ScriptLanguage): Promise<number | null> {
	await db`select pg_advisory_xact_lock(hashtext('talk_script:' || ${situation} || ':' || ${language}))`;
	const [r] = await db<{ id: number }[]>`select id from talk_script_versions where situation = ${situation} and language = ${language} order by id desc limit 1`;
	return r?.id ?? null;
}

export async function insertVersion(db: Db, v: { situation: Situation; language: ScriptLanguage; paragraphs: string[]; changeNote: string; authorId: number }): Promise<number> {
	const [r] = await db<{ id: number }[]>`
		insert into talk_script_versions (situation, language, paragraphs, change_note, author_id)
		values (${v.situation}, ${v.language}, ${v.paragraphs}, ${v.changeNote}, ${v.authorId}) returning id`;
	return r.id;
}
