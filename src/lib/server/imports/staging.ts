/**
 * Staging tables: one temporary table per file of the set, created inside the import's transaction (dropped at
 * its end), filled by COPY with normalized rows and their physical line numbers. The merge reads from them.
 */
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { Tx } from '../db.ts';
import type { ColumnType, FileDef } from '../../domain/import/files.ts';
import type { Values } from '../../domain/import/rows.ts';
import { copyRow } from '../copy.ts';

export const stageTable: Record<string, string> = {
	'世帯.csv': 'stage_households',
	'個人.csv': 'stage_persons',
	'収納.csv': 'stage_receipts',
	'口座振替.csv': 'stage_bank_transfers',
	'納付管理人.csv': 'stage_payment_managers',
	'勤務先.csv': 'stage_employers',
	'国保料.csv': 'stage_premiums',
	'資格.csv': 'stage_eligibility',
	'経過記録.csv': 'stage_case_history'
};

const sqlType: Record<ColumnType, string> = {
	id: 'text',
	text: 'text',
	name: 'text',
	kana: 'text',
	phone: 'text',
	address: 'text',
	date: 'date',
	datetime: 'timestamptz',
	amount: 'bigint',
	count: 'int',
	period: 'int',
	year: 'int',
	flag: 'boolean',
	qualification: 'text'
};

export const snake = (key: string) => key.replace(/[A-Z]/g, (ch) => '_' + ch.toLowerCase());

/** The stage columns of a file: its own, the derived ones, and `_line`. `key` indexes the normalized Values. */
export function stageColumns(def: FileDef): { column: string; type: string; key: string }[] {
	const cols: { column: string; type: string; key: string }[] = [];
	for (const c of def.columns) {
		cols.push({ column: snake(c.key), type: sqlType[c.type], key: c.key });
		if (c.type === 'name') {
			cols.push({ column: snake(c.key) + '_search', type: 'text', key: `${c.key}Search` });
			cols.push({ column: snake(c.key) + '_gaiji', type: 'boolean', key: `${c.key}Gaiji` });
		}
		if (c.type === 'kana') cols.push({ column: snake(c.key) + '_search', type: 'text', key: `${c.key}Search` });
		if (c.type === 'address') cols.push({ column: snake(c.key) + '_town', type: 'text', key: `${c.key}Town` });
		if (c.type === 'phone') {
			cols.push({ column: snake(c.key) + '_digits', type: 'text', key: `${c.key}Digits` });
			cols.push({ column: snake(c.key) + '_kind', type: 'text', key: `${c.key}Kind` });
			cols.push({ column: snake(c.key) + '_valid', type: 'boolean', key: `${c.key}Valid` });
			cols.push({ column: snake(c.key) + '_ext', type: 'text', key: `${c.key}Ext` });
		}
	}
	return cols;
}

export async function createStage(tx: Tx, def: FileDef): Promise<void> {
	const cols = stageColumns(def).map((c) => `${c.column} ${c.type}`);
	await tx.unsafe(`create temp table ${stageTable[def.name]} (_line int not null, ${cols.join(', ')}) on commit drop`);
}

/** Every stage table exists (empty for files not in the set), so the merge's SQL can read them all. */
export async function createAllStages(tx: Tx, defs: readonly FileDef[]): Promise<void> {
	for (const def of defs) await createStage(tx, def);
}

/**
 * A COPY into a file's stage table: add rows (synchronous, into a buffer), let it flush when the buffer is full
 * (~1 MiB chunks: one write per row is several times slower), with backpressure, then finish.
 */
export async function stageWriter(tx: Tx, def: FileDef) {
	const cols = stageColumns(def);
	const keys = cols.map((c) => c.key);
	const stream = await tx.unsafe(`copy ${stageTable[def.name]} (_line, ${cols.map((c) => c.column).join(', ')}) from stdin`).writable();
	let parts: string[] = [];
	let size = 0;
	let rows = 0;
	const flush = async () => {
		if (parts.length === 0) return;
		const chunk = parts.join('');
		parts = [];
		size = 0;
		if (!stream.write(chunk)) await once(stream, 'drain');
	};
	return {
		add(line: number, values: Values): void {
			const text = copyRow(line, keys, values);
			parts.push(text);
			size += text.length;
			rows++;
		},
		/** write out what has been added once enough has gathered */
		async maybeFlush(): Promise<void> {
			if (size > 256 * 1024) await flush();
		},
		async finish(): Promise<number> {
			await flush();
			stream.end();
			await finished(stream);
			return rows;
		}
	};
}
