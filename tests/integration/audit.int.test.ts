/**
 * The access log against the real PostgreSQL: append-only trigger, hash chain sealing and verification (tampering,
 * deletion, concurrency), the auditor's filtered reads and CSV export, and `npm run kansho -- audit verify`.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { testSql, resetDb } from '../helpers/db.ts';
import { newHousehold, newSegment, newUser } from '../helpers/factories.ts';
import { db, closeDb } from '../../src/lib/server/db.ts';
import { writeAccessLog } from '../../src/lib/server/audit/audit.ts';
import { sealAccessLog, verifyAccessLog, describeBreak } from '../../src/lib/server/audit/chain.ts';
import { exportAccessLogCsv, readAccessLog, AUDIT_CSV_HEADERS, AUDIT_PAGE_SIZE } from '../../src/lib/server/audit/read.ts';
import type { Actor } from '../../src/lib/server/auth/actor.ts';
import { DomainError } from '../../src/lib/server/errors.ts';

const sql = testSql();
const root = path.resolve(import.meta.dirname, '../..');
afterAll(async () => {
	await sql.end();
	await closeDb();
});
beforeEach(() => resetDb(sql));

async function logRows(actor: Actor, n: number, reason = 'row') {
	for (let i = 0; i < n; i++) await writeAccessLog(db(), actor, { action: 'household.view', householdId: 1000 + i, fields: ['name', 'phones'], reason: `${reason} ${i}` });
}

/** As an attacker with the database's superuser would: around the trigger. */
async function asSuperuser(statement: (tx: typeof sql) => Promise<unknown>) {
	await sql.begin(async (tx) => {
		await tx`alter table access_log disable trigger access_log_append_only`;
		await statement(tx as unknown as typeof sql);
		await tx`alter table access_log enable always trigger access_log_append_only`;
	});
}

async function idOfSeq(seq: number): Promise<number> {
	const [r] = await sql<{ id: number }[]>`select id from access_log where chain_seq = ${seq}`;
	return r.id;
}

function cli(args: string[]) {
	const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
	delete env.VITEST;
	delete env.NODE_OPTIONS;
	const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('append-only', () => {
	it('refuses UPDATE, DELETE and TRUNCATE from the application, before and after sealing', async () => {
		const op = await newUser(sql, 'operator');
		await logRows(op, 2);
		const [row] = await sql<{ id: number }[]>`select id from access_log order by id limit 1`;
		for (const attempt of [
			() => db()`update access_log set reason = 'changed' where id = ${row.id}`,
			() => db()`update access_log set household_id = null where id = ${row.id}`,
			() => db()`delete from access_log where id = ${row.id}`,
			() => db()`truncate access_log cascade`, // plain TRUNCATE is refused by access_log_notes' foreign key already
			() => db()`insert into access_log (action, chain_seq, hash) values ('login', 99, decode(repeat('00', 32), 'hex'))`
		]) {
			await expect(attempt()).rejects.toMatchObject({ code: '42501' });
		}
		await sealAccessLog(db());
		await expect(db()`update access_log set reason = 'changed' where id = ${row.id}`).rejects.toThrow(/append-only/);
		// sealing twice, or moving a row in the chain, is an update like any other
		await expect(db()`update access_log set chain_seq = 7, hash = decode(repeat('11', 32), 'hex') where id = ${row.id}`).rejects.toThrow(/append-only/);
		await expect(db()`update access_log_chain set last_seq = 0`).rejects.toThrow(/only moves forward/);
		await expect(db()`delete from access_log_chain`).rejects.toThrow(/only moves forward/);
		const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from access_log where reason like 'row %'`;
		expect(n).toBe(2);
		expect((await verifyAccessLog(db())).ok).toBe(true);
	});

	it('refuses changes in replica mode too (the mode the import uses for its bulk inserts)', async () => {
		const op = await newUser(sql, 'operator');
		await logRows(op, 2);
		await sealAccessLog(db());
		const [row] = await sql<{ id: number }[]>`select id from access_log order by id limit 1`;
		const inReplicaMode = (statement: (tx: typeof sql) => Promise<unknown>) =>
			sql.begin(async (tx) => {
				await tx`set local session_replication_role = replica`;
				await statement(tx as unknown as typeof sql);
			});
		await expect(inReplicaMode((tx) => tx`update access_log set reason = 'changed' where id = ${row.id}`)).rejects.toThrow(/append-only/);
		await expect(inReplicaMode((tx) => tx`delete from access_log where id = ${row.id}`)).rejects.toThrow(/append-only/);
		// cascade: the form that would get past the notes' foreign key (plain TRUNCATE is refused by it in any mode)
		await expect(inReplicaMode((tx) => tx`truncate access_log cascade`)).rejects.toThrow(/append-only/);
		await expect(inReplicaMode((tx) => tx`truncate access_log`)).rejects.toThrow();
		await expect(inReplicaMode((tx) => tx`update access_log_chain set last_hash = decode(repeat('cd', 32), 'hex')`)).rejects.toThrow(/only moves forward/);
		const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from access_log where reason like 'row %'`;
		expect(n).toBe(2);
		expect((await verifyAccessLog(db())).ok).toBe(true);
	});

	it('lets sealing set only the chain columns of an unsealed row', async () => {
		const op = await newUser(sql, 'operator');
		await logRows(op, 1);
		const [row] = await sql<{ id: number }[]>`select id from access_log`;
		await expect(
			db()`update access_log set chain_seq = 1, hash = decode(repeat('11', 32), 'hex'), reason = 'rewritten' where id = ${row.id}`
		).rejects.toThrow(/append-only/);
		await expect(db()`update access_log set chain_seq = 1 where id = ${row.id}`).rejects.toThrow(); // both or neither
	});

	it('keeps the log when a user is deleted (no foreign key rewrites user_id)', async () => {
		const op = await newUser(sql, 'operator');
		await logRows(op, 3);
		await sealAccessLog(db());
		await sql`delete from sessions where user_id = ${op.id}`;
		await sql`delete from users where id = ${op.id}`;
		const rows = await sql<{ userId: number }[]>`select user_id from access_log`;
		expect(rows.map((r) => r.userId)).toEqual([op.id, op.id, op.id]);
		expect((await verifyAccessLog(db())).ok).toBe(true);
	});
});

describe('hash chain', () => {
	it('seals rows in id order with consecutive chain_seq and verifies, reporting rows and the final hash', async () => {
		const op = await newUser(sql, 'operator');
		const aud = await newUser(sql, 'auditor');
		await logRows(op, 7);
		await writeAccessLog(db(), aud, { action: 'audit.view', reason: 'filter {"user":"x,y","household":null}\n改行' });
		const first = await sealAccessLog(db(), { batch: 3 });
		expect(first).toMatchObject({ sealed: 8, lastSeq: 8, busy: false });
		const rows = await sql<{ id: number; chainSeq: number }[]>`select id, chain_seq from access_log order by id`;
		expect(rows.map((r) => r.chainSeq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
		const [head] = await sql<{ lastSeq: number; lastHash: string }[]>`select last_seq, encode(last_hash, 'hex') as last_hash from access_log_chain`;
		expect(head).toEqual({ lastSeq: 8, lastHash: first.lastHash });

		await logRows(op, 2, 'later');
		const v = await verifyAccessLog(db(), { pageSize: 4 });
		expect(v).toMatchObject({ ok: true, rows: 10, lastSeq: 10, sealedNow: 2, unsealed: 0, break: null });
		const [head2] = await sql<{ lastHash: string }[]>`select encode(last_hash, 'hex') as last_hash from access_log_chain`;
		expect(v.finalHash).toBe(head2.lastHash);
		expect(v.finalHash).not.toBe(first.lastHash);
	});

	it('verifies an empty log', async () => {
		expect(await verifyAccessLog(db())).toMatchObject({ ok: true, rows: 0, lastSeq: 0, finalHash: '0'.repeat(64) });
	});

	it('reports the exact row whose contents were changed behind the trigger', async () => {
		const op = await newUser(sql, 'operator');
		await logRows(op, 12);
		await sealAccessLog(db());
		const id = await idOfSeq(7);
		await asSuperuser((tx) => tx`update access_log set reason = 'nothing to see' where id = ${id}`);
		const v = await verifyAccessLog(db(), { pageSize: 5 });
		expect(v.ok).toBe(false);
		expect(v.break).toMatchObject({ kind: 'hash_mismatch', chainSeq: 7, id });
		expect(v.rows).toBe(6); // whole up to the row before
		expect(describeBreak(v.break!)).toContain(`chain_seq 7 (id ${id})`);
	});

	it('reports a change of the time by a microsecond, and of a stored hash', async () => {
		const op = await newUser(sql, 'operator');
		await logRows(op, 5);
		await sealAccessLog(db());
		const id3 = await idOfSeq(3);
		await asSuperuser((tx) => tx`update access_log set at = at + interval '1 microsecond' where id = ${id3}`);
		expect((await verifyAccessLog(db())).break).toMatchObject({ kind: 'hash_mismatch', chainSeq: 3, id: id3 });
		await resetDb(sql);
		await logRows(op, 5);
		await sealAccessLog(db());
		const id2 = await idOfSeq(2);
		await asSuperuser((tx) => tx`update access_log set hash = decode(repeat('ab', 32), 'hex') where id = ${id2}`);
		expect((await verifyAccessLog(db())).break).toMatchObject({ kind: 'hash_mismatch', chainSeq: 2, id: id2 });
	});

	it('reports a deleted row as a gap in chain_seq, and deleted last rows against the head', async () => {
		const op = await newUser(sql, 'operator');
		await logRows(op, 10);
		await sealAccessLog(db());
		const [id4, id5, id6] = [await idOfSeq(4), await idOfSeq(5), await idOfSeq(6)];
		await asSuperuser((tx) => tx`delete from access_log where id = ${id5}`);
		const v = await verifyAccessLog(db());
		expect(v.break).toEqual({ kind: 'gap', chainSeq: 5, nextChainSeq: 6, nextId: id6, previousId: id4 });
		expect(describeBreak(v.break!)).toContain('chain_seq 5 is missing');

		await resetDb(sql);
		await logRows(op, 10);
		await sealAccessLog(db());
		const id8 = await idOfSeq(8);
		await asSuperuser((tx) => tx`delete from access_log where chain_seq > 8`);
		expect((await verifyAccessLog(db())).break).toEqual({ kind: 'tail_missing', chainSeq: 9, headSeq: 10, previousId: id8 });
		// and the sealer does not paper over it: new rows continue from the head, leaving the hole in place
		await logRows(op, 1, 'after');
		expect((await verifyAccessLog(db())).break).toMatchObject({ kind: 'gap', chainSeq: 9, nextChainSeq: 11 });
	});

	it('reports rows sealed outside the sealer, and a rewritten head', async () => {
		const op = await newUser(sql, 'operator');
		await logRows(op, 3);
		await sealAccessLog(db());
		await sql.begin(async (tx) => {
			await tx`alter table access_log disable trigger access_log_insert_unsealed`;
			await tx`insert into access_log (action, chain_seq, hash) values ('login', 4, decode(repeat('00', 32), 'hex'))`;
			await tx`alter table access_log enable always trigger access_log_insert_unsealed`;
		});
		expect((await verifyAccessLog(db())).break).toMatchObject({ kind: 'beyond_head', chainSeq: 4, headSeq: 3 });

		await resetDb(sql);
		await logRows(op, 3);
		await sealAccessLog(db());
		await sql.begin(async (tx) => {
			await tx`alter table access_log_chain disable trigger access_log_chain_forward_only`;
			await tx`update access_log_chain set last_hash = decode(repeat('cd', 32), 'hex')`;
			await tx`alter table access_log_chain enable always trigger access_log_chain_forward_only`;
		});
		expect((await verifyAccessLog(db())).break).toMatchObject({ kind: 'head_mismatch', chainSeq: 3, headHash: 'cd'.repeat(32) });
	});

	it('seals only committed rows, and neither writers nor sealers wait for each other', async () => {
		const op = await newUser(sql, 'operator');
		await logRows(op, 2);
		// a writer whose transaction is still open: the sealer passes it by
		let release!: () => void;
		const gate = new Promise<void>((r) => (release = r));
		let inserted!: () => void;
		const wrote = new Promise<void>((r) => (inserted = r));
		const open = db().begin(async (tx) => {
			await writeAccessLog(tx, op, { action: 'household.claim', householdId: 1, reason: 'open transaction' });
			inserted();
			await gate;
		});
		await wrote;
		expect(await sealAccessLog(db())).toMatchObject({ sealed: 2, lastSeq: 2 });
		release();
		await open;
		expect(await sealAccessLog(db())).toMatchObject({ sealed: 1, lastSeq: 3 });

		// a sealer at work (holding its lock) does not hold up a writer, and a second sealer skips its turn
		const lockHeld = sql.reserve();
		const conn = await lockHeld;
		await conn`select pg_advisory_lock(4213101)`;
		try {
			await logRows(op, 1, 'while sealing');
			expect(await sealAccessLog(db())).toMatchObject({ busy: true, sealed: 0 });
		} finally {
			await conn`select pg_advisory_unlock(4213101)`;
			conn.release();
		}
		expect((await verifyAccessLog(db())).rows).toBe(4);
	});

	it('stays whole with 20 concurrent writers and sealers running alongside', async () => {
		const users = await Promise.all(Array.from({ length: 4 }, () => newUser(sql, 'operator')));
		let writing = true;
		const sealers = [0, 1].map(async () => {
			let sealed = 0;
			while (writing) sealed += (await sealAccessLog(db(), { batch: 7 })).sealed;
			return sealed;
		});
		await Promise.all(
			Array.from({ length: 20 }, (_, i) =>
				db().begin(async (tx) => {
					for (let k = 0; k < 5; k++) {
						await writeAccessLog(tx, users[i % 4], { action: 'household.claim', householdId: i * 10 + k, reason: `writer ${i} row ${k}` });
					}
				})
			)
		);
		writing = false;
		const sealedAlongside = (await Promise.all(sealers)).reduce((a, b) => a + b, 0);
		const v = await verifyAccessLog(db());
		expect(v).toMatchObject({ ok: true, rows: 100, lastSeq: 100, unsealed: 0 });
		expect(sealedAlongside + v.sealedNow).toBe(100);
		const [{ distinct, max }] = await sql<{ distinct: number; max: number }[]>`select count(distinct chain_seq)::int as distinct, max(chain_seq)::int as max from access_log`;
		expect({ distinct, max }).toEqual({ distinct: 100, max: 100 });
	});
});

describe('npm run kansho -- audit verify', () => {
	it('exits 0 with the row count and final hash, and 1 naming the broken row', async () => {
		const op = await newUser(sql, 'operator');
		await logRows(op, 6);
		const ok = cli(['audit', 'verify', '--json']);
		expect(ok.code, ok.stderr).toBe(0);
		const j = JSON.parse(ok.stdout);
		const [head] = await sql<{ lastHash: string }[]>`select encode(last_hash, 'hex') as last_hash from access_log_chain`;
		expect(j).toMatchObject({ ok: true, rows: 6, last_chain_seq: 6, final_hash: head.lastHash, sealed_now: 6, break: null });

		const human = cli(['audit', 'verify']);
		expect(human.code, human.stderr).toBe(0);
		expect(human.stdout).toContain(`OK: the access log's chain is whole — 6 rows (chain_seq 1..6), final hash ${head.lastHash}`);

		const id = await idOfSeq(4);
		await asSuperuser((tx) => tx`update access_log set fields = array['name'] where id = ${id}`);
		const bad = cli(['audit', 'verify', '--json']);
		expect(bad.code, bad.stderr).toBe(1);
		expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, rows: 3, break: { kind: 'hash_mismatch', chain_seq: 4, id, message: expect.stringContaining(`chain_seq 4 (id ${id})`) } });
		const badHuman = cli(['audit', 'verify']);
		expect(badHuman.code).toBe(1);
		expect(badHuman.stdout).toContain(`BROKEN: chain_seq 4 (id ${id})`);
	});

	it('exits 2 on usage errors', () => {
		expect(cli(['audit']).code).toBe(2);
		expect(cli(['audit', 'check']).code).toBe(2);
		expect(cli(['audit', 'verify', '--jsn']).code).toBe(2);
	});
});

describe("the auditor's reads and export", () => {
	async function scene() {
		const seg = await newSegment(sql);
		const h1 = await newHousehold(sql, { segmentId: seg });
		const h2 = await newHousehold(sql, { segmentId: seg });
		const [{ nhi1 }] = await sql<{ nhi1: string }[]>`select nhi_number as nhi1 from households where id = ${h1}`;
		const op = await newUser(sql, 'operator');
		const sv = await newUser(sql, 'supervisor');
		const aud = await newUser(sql, 'auditor');
		await writeAccessLog(db(), op, { action: 'household.view', householdId: h1, fields: ['name'], reason: 'outbound' });
		await writeAccessLog(db(), op, { action: 'search', reason: '=HYPERLINK("http://x")' });
		await writeAccessLog(db(), sv, { action: 'household.view', householdId: h2, fields: ['name', 'arrears'], reason: 'review, "quoted"\nsecond line' });
		await writeAccessLog(db(), op, { action: 'login' });
		return { h1, h2, nhi1, op, sv, aud };
	}

	it('filters by user, household, action and time, and logs each read with its filter', async () => {
		const { h1, nhi1, op, sv, aud } = await scene();
		const all = await readAccessLog(aud, new URLSearchParams());
		expect(all.rows).toHaveLength(4);
		expect(all.rows.map((r) => r.action)).toEqual(['login', 'household.view', 'search', 'household.view']); // newest first
		expect(all.next).toBeNull();

		const mine = await readAccessLog(aud, new URLSearchParams({ user: op.loginId }));
		expect(mine.rows.every((r) => r.loginId === op.loginId)).toBe(true);
		expect(mine.rows).toHaveLength(3);
		expect((await readAccessLog(aud, new URLSearchParams({ user: sv.loginId, action: 'household.view' }))).rows).toHaveLength(1);
		// a household by its 国保記号番号, typed in full width
		const fullWidth = nhi1.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
		const byHousehold = await readAccessLog(aud, new URLSearchParams({ household: fullWidth }));
		expect(byHousehold.rows.map((r) => [r.householdId, r.nhiNumber])).toEqual([[h1, nhi1]]);
		expect((await readAccessLog(aud, new URLSearchParams({ user: 'nobody' }))).rows).toEqual([]);
		// login IDs are unique in any letter case (users.ts): the filter finds them typed in another case
		expect((await readAccessLog(aud, new URLSearchParams({ user: op.loginId.toUpperCase() }))).rows).toHaveLength(3);

		// time: Tokyo dates, `to` inclusive
		const [{ today }] = await sql<{ today: string }[]>`select to_char(now() at time zone 'Asia/Tokyo', 'YYYY-MM-DD') as today`;
		expect((await readAccessLog(aud, new URLSearchParams({ from: today, to: today, action: 'search' }))).rows).toHaveLength(1);
		expect((await readAccessLog(aud, new URLSearchParams({ to: '2020-01-01' }))).rows).toEqual([]);
		expect((await readAccessLog(aud, new URLSearchParams({ from: '2999-01-01T00:00' }))).rows).toEqual([]);

		const views = await sql<{ reason: string; userId: number }[]>`select reason, user_id from access_log where action = 'audit.view' order by id`;
		expect(views.every((v) => v.userId === aud.id)).toBe(true);
		expect(views[1].reason).toBe(`filter ${JSON.stringify({ user: op.loginId })}`);
		expect(views[2].reason).toBe(`filter ${JSON.stringify({ user: sv.loginId, action: 'household.view' })}`);
		expect(views[3].reason).toBe(`filter ${JSON.stringify({ household: nhi1 })}`);
	});

	it('pages by keyset, newest first, with nothing lost or repeated', async () => {
		const op = await newUser(sql, 'operator');
		const aud = await newUser(sql, 'auditor');
		await logRows(op, AUDIT_PAGE_SIZE + 30);
		const p1 = await readAccessLog(aud, new URLSearchParams({ user: op.loginId }));
		expect(p1.rows).toHaveLength(AUDIT_PAGE_SIZE);
		expect(p1.next).toBe(p1.rows.at(-1)!.id);
		expect(p1.paged).toBe(false);
		const p2 = await readAccessLog(aud, new URLSearchParams({ user: op.loginId, before: String(p1.next) }));
		expect(p2.rows).toHaveLength(30);
		expect(p2.next).toBeNull();
		expect(p2.paged).toBe(true);
		const ids = [...p1.rows, ...p2.rows].map((r) => r.id);
		expect(new Set(ids).size).toBe(AUDIT_PAGE_SIZE + 30);
		expect(ids).toEqual([...ids].sort((a, b) => b - a));
	});

	it('refuses bad parameters naming each one, and every role but the auditor', async () => {
		const aud = await newUser(sql, 'auditor');
		const bad: [Record<string, string> | URLSearchParams, string][] = [
			[{ user: 'x' }, 'user'],
			[{ user: "op01'; drop table users" }, 'user'],
			[{ household: '１２３ー４５６７８９０１２３４５６７８９０' }, 'household'],
			[{ from: '2026-02-30' }, 'from'],
			[{ from: '2026-04-01T25:00' }, 'from'],
			[{ to: 'yesterday' }, 'to'],
			[{ from: '2026-04-02', to: '2026-04-01' }, 'to'],
			[{ action: 'drop' }, 'action'],
			[{ before: '-1' }, 'before'],
			[{ before: 'abc' }, 'before'],
			[{ usr: 'op01' }, 'usr'],
			[new URLSearchParams('user=op01&user=op02'), 'user']
		];
		for (const [params, name] of bad) {
			const e = await readAccessLog(aud, params instanceof URLSearchParams ? params : new URLSearchParams(params)).catch((x) => x);
			expect(e, JSON.stringify(params instanceof URLSearchParams ? params.toString() : params)).toBeInstanceOf(DomainError);
			expect(e.code).toBe('invalid_input');
			expect(e.status).toBe(400);
			expect(e.message).toContain(name);
		}
		// each refused field carries a stable code the page words in the user's language (validation.<code>)
		const codes: [Record<string, string>, Record<string, string>, Record<string, unknown>?][] = [
			[{ from: '2026-04-02', to: '2026-04-01' }, { to: 'date_order' }],
			[{ user: '伊藤' }, { user: 'login_id_format' }],
			[{ user: 'a'.repeat(300) }, { user: 'login_id_format' }],
			[{ household: 'x'.repeat(21) }, { household: 'nhi_number_format' }],
			[{ from: '2026-02-30' }, { from: 'no_such_date' }, { from: { value: '2026-02-30' } }],
			[{ from: '2026-04-01T25:00' }, { from: 'date_time_format' }],
			[{ to: 'yesterday' }, { to: 'date_time_format' }],
			[{ action: 'drop' }, { action: 'invalid' }]
		];
		for (const [params, details, p] of codes)
			await expect(readAccessLog(aud, new URLSearchParams(params)), JSON.stringify(params)).rejects.toMatchObject({ code: 'invalid_input', details, ...(p ? { params: p } : {}) });
		await expect(exportAccessLogCsv(aud, new URLSearchParams({ from: '2026-04-02', to: '2026-04-01' }), new PassThrough())).rejects.toMatchObject({ details: { to: 'date_order' } });
		await expect(exportAccessLogCsv(aud, new URLSearchParams({ before: '5' }), new PassThrough())).rejects.toMatchObject({ code: 'invalid_input' });
		for (const role of ['operator', 'supervisor', 'staff', 'manager', 'admin'] as const) {
			const actor = await newUser(sql, role);
			await expect(readAccessLog(actor, new URLSearchParams())).rejects.toMatchObject({ code: 'forbidden' });
			await expect(exportAccessLogCsv(actor, new URLSearchParams(), new PassThrough())).rejects.toMatchObject({ code: 'forbidden' });
		}
		const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from access_log where action in ('audit.view', 'audit.export')`;
		expect(n).toBe(0); // nothing was read, nothing logged
	});

	it('exports the filtered log as UTF-8 CSV with a BOM, guarded against formulas, and logs it with its SHA-256', async () => {
		const { op, aud, nhi1 } = await scene();
		await sealAccessLog(db());
		const out = new PassThrough();
		const chunks: Buffer[] = [];
		out.on('data', (c) => chunks.push(c));
		const r = await exportAccessLogCsv(aud, new URLSearchParams({ user: op.loginId }), out);
		const bytes = Buffer.concat(chunks);
		expect(r.rows).toBe(3);
		expect(r.bytes).toBe(bytes.length);
		expect(r.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
		expect(r.fileName).toMatch(/^access-log-\d{8}-\d{6}\.csv$/);
		expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
		const lines = bytes.toString('utf8').slice(1).split('\r\n');
		expect(lines[0]).toBe(AUDIT_CSV_HEADERS.join(','));
		expect(lines).toHaveLength(5); // header, 3 rows, '' after the last CRLF
		expect(lines[1]).toMatch(new RegExp(`^\\d+,1,\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},令和\\d+年\\d+月\\d+日,${op.loginId},オペレータ,household\\.view,世帯情報の閲覧,${nhi1},\\d+,name,outbound,,,[0-9a-f]{64},$`)); // 受電メモ last: empty
		expect(lines[2]).toContain(`,search,検索,,,,"'=HYPERLINK(""http://x"")",`);
		expect(lines[3]).toContain(',login,ログイン,');

		const [log] = await sql<{ reason: string; userId: number }[]>`select reason, user_id from access_log where action = 'audit.export'`;
		expect(log.userId).toBe(aud.id);
		expect(log.reason).toBe(`CSV 3 rows, ${r.bytes} bytes, sha256 ${r.sha256}; filter ${JSON.stringify({ user: op.loginId })}`);

		// quotes and line breaks inside a field stay inside it
		const svOut = new PassThrough();
		const svChunks: Buffer[] = [];
		svOut.on('data', (c) => svChunks.push(c));
		await exportAccessLogCsv(aud, new URLSearchParams({ action: 'household.view', household: '' }), svOut);
		expect(Buffer.concat(svChunks).toString('utf8')).toContain(',name arrears,"review, ""quoted""\r\nsecond line",');
	});

	it('shows an inbound lookup’s note beside its hashed reason while the note exists, and only the hash after', async () => {
		const seg = await newSegment(sql);
		const h = await newHousehold(sql, { segmentId: seg });
		const op = await newUser(sql, 'operator');
		const aud = await newUser(sql, 'auditor');
		const note = '山田様より、督促状の件で折り返し\n=SUM(1)';
		const reason = `inbound (note sha256:${createHash('sha256').update(note, 'utf8').digest('hex')})`;
		const id = await db().begin((tx) => writeAccessLog(tx, op, { action: 'household.view', householdId: h, fields: ['name'], reason, note }));
		await writeAccessLog(db(), op, { action: 'household.view', householdId: h, fields: ['name'], reason: 'outbound' });
		await sealAccessLog(db());

		const csv = async () => {
			const out = new PassThrough();
			const chunks: Buffer[] = [];
			out.on('data', (c) => chunks.push(c));
			await exportAccessLogCsv(aud, new URLSearchParams({ user: op.loginId }), out);
			return Buffer.concat(chunks).toString('utf8').slice(1).split(/\r\n(?=\d+,)/);
		};
		const page = await readAccessLog(aud, new URLSearchParams({ user: op.loginId }));
		expect(page.rows.map((r) => [r.id, r.reason, r.note])).toEqual([
			[id + 1, 'outbound', null],
			[id, reason, note]
		]);
		expect(AUDIT_CSV_HEADERS.at(-1)).toBe('受電メモ');
		let lines = await csv();
		expect(lines[1]).toMatch(new RegExp(`^${id},1,.*,${reason.replace(/[()]/g, '\\$&')},,,[0-9a-f]{64},"山田様より、督促状の件で折り返し\r\n=SUM\\(1\\)"$`));
		expect(lines[2]).toMatch(/,outbound,,,[0-9a-f]{64},\r\n$/);

		// erased (as the contract end or retention does): the row and its hash remain, the note does not
		await sql`delete from access_log_notes`;
		expect((await readAccessLog(aud, new URLSearchParams({ user: op.loginId }))).rows.map((r) => [r.reason, r.note])).toEqual([
			['outbound', null],
			[reason, null]
		]);
		lines = await csv();
		expect(lines[1]).toMatch(/,[0-9a-f]{64},$/);
		expect(lines.join('')).not.toContain('山田');
		expect((await verifyAccessLog(db())).ok).toBe(true);
	});

	it('writes a note only together with its log row', async () => {
		const op = await newUser(sql, 'operator');
		await expect(
			db().begin(async (tx) => {
				await writeAccessLog(tx, op, { action: 'household.view', householdId: 1, reason: 'inbound (note sha256:…)', note: 'メモ' });
				throw new Error('the read failed');
			})
		).rejects.toThrow('the read failed');
		expect((await sql`select 1 from access_log`).length + (await sql`select 1 from access_log_notes`).length).toBe(0);
		// notes are erasable: no append-only rule on them
		const id = await db().begin((tx) => writeAccessLog(tx, op, { action: 'household.view', householdId: 1, reason: 'inbound', note: 'メモ' }));
		await db()`delete from access_log_notes where access_log_id = ${id}`;
		expect((await sql`select 1 from access_log where id = ${id}`).length).toBe(1);
	});
});
