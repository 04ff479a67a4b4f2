/**
 * The training data set (issue #9): the schema `training`, migrated like the real one and filled with synthetic
 * households by the demo generator through the same import every real file takes, so that a trainee's desk finds
 * the same kind of households, segments and queue as the real one. Nothing here reads or copies real residents'
 * data: the only rows that come from the real schema are the trainees' user rows (same id, so that the queue's
 * references to users hold), with no password.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { realDb, trainingDb, type Db } from '../db.ts';
import { inTraining, TRAINING_SCHEMA } from '../mode.ts';
import { migrateTraining, trainingSchemaExists } from '../migrate.ts';
import { defaultSegments, upsertSegment, assignOperator } from '../segments/segments.ts';
import { systemActor } from '../auth/actor.ts';
import { runImport } from '../imports/imports.ts';
import { generateDemoData } from '../seed/generate.ts';
import { writeDemoCsv, CSV_FILES } from '../seed/csv.ts';
import { tokyoDate } from '../../domain/format.ts';
import { logger } from '../log.ts';

/** Households in the training set: enough for a day of practice by a class, small enough to load in seconds. */
export const TRAINING_HOUSEHOLDS = 600;
/** A fixed seed: every training set is the same, so that trainers know its households. */
const TRAINING_SEED = 20260901;

let preparing: Promise<void> | null = null;

/** The schema is migrated and holds its households (made on first use; concurrent callers wait for one load). */
export function ensureTrainingData(): Promise<void> {
	preparing ??= prepare().finally(() => {
		preparing = null;
	});
	return preparing;
}

async function prepare(): Promise<void> {
	const log = logger('training');
	await migrateTraining((m) => log.info(m));
	const sql = trainingDb();
	const [r] = await sql<{ n: number }[]>`select count(*)::int as n from households`;
	if (r.n > 0) return;
	// one instance loads: the others wait on the lock, then find the households there
	const lock = await sql.reserve();
	try {
		await lock`select pg_advisory_lock(4213011)`;
		const [again] = await lock<{ n: number }[]>`select count(*)::int as n from households`;
		if (again.n > 0) return;
		await seedTrainingSet(sql);
	} finally {
		await lock`select pg_advisory_unlock(4213011)`.catch(() => {});
		lock.release();
	}
}

async function seedTrainingSet(sql: Db): Promise<void> {
	const today = tokyoDate();
	for (const s of defaultSegments) await upsertSegment(sql, s);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kansho-training-'));
	try {
		await writeDemoCsv(dir, generateDemoData({ seed: TRAINING_SEED, households: TRAINING_HOUSEHOLDS, today }), { encoding: 'cp932', quirks: true });
		// the import runs in the training context: its db() is the training pool, its events the training channel
		const report = await inTraining(() =>
			runImport(systemActor('training'), CSV_FILES.map((name) => ({ name, path: path.join(dir, name) })), { mode: 'apply', asOf: today, source: 'demo', synthetic: true })
		);
		if (!report.applied) throw new Error(`the training set did not import (${report.rejected.length + report.fileErrors.length} rejected)`);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/**
 * The trainees' user rows in the training set (same id, name, role and team; no password: nobody signs in to
 * it), each assigned to every segment of the set so that their queue is the whole set.
 */
export async function mirrorUsers(userIds: number[]): Promise<void> {
	if (userIds.length === 0) return;
	const users = await realDb()<{ id: number; loginId: string; displayName: string; role: string; team: string | null; locale: string }[]>`
		select id, login_id, display_name, role, team, locale from users where id = any(${userIds}::bigint[])`;
	await trainingDb().begin(async (tx) => {
		for (const u of users) {
			await tx`
				insert into users (id, login_id, display_name, role, password_hash, locale, team) overriding system value
				values (${u.id}, ${u.loginId}, ${u.displayName}, ${u.role}, '!', ${u.locale}, ${u.team})
				on conflict (id) do update set login_id = excluded.login_id, display_name = excluded.display_name, role = excluded.role, team = excluded.team`;
			const segs = await tx<{ id: number }[]>`select id from segments where active`;
			for (const s of segs) await assignOperator(tx, u.id, s.id);
		}
	});
}

/** Drop the training set (a new one is made at the next run's start). Only when no run is open. */
export async function dropTrainingData(sql: Db = realDb()): Promise<boolean> {
	if (!(await trainingSchemaExists(sql))) return false;
	await sql`drop schema ${sql(TRAINING_SCHEMA)} cascade`;
	return true;
}
