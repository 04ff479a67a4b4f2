/**
 * `npm run kansho -- audit verify [--json]`: seal the access log's committed rows, then recompute its hash chain
 * from the first row and say whether it is whole, or exactly where it first breaks.
 * Exit codes: 0 the chain is whole, 1 it is broken, 2 usage.
 */
import { parseArgs } from 'node:util';
import { finish } from './cli-finish.ts';

const USAGE = 'usage: npm run kansho -- audit verify [--json]';

/** --json keys are snake_case throughout (chainSeq → chain_seq). */
function snake(o: object): Record<string, unknown> {
	return Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));
}

export async function auditCommand(args: string[]): Promise<number> {
	const [sub, ...rest] = args;
	if (sub !== 'verify') {
		console.error(`kansho: ${sub ? `unknown audit command: ${sub}` : 'missing audit command'}\n${USAGE}`);
		return 2;
	}
	let json = false;
	try {
		const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } }, strict: true, allowPositionals: false });
		json = values.json === true;
	} catch (e) {
		console.error(`kansho: ${(e as Error).message}\n${USAGE}`);
		return 2;
	}
	const { boot } = await import('./boot.ts');
	const { db } = await import('../src/lib/server/db.ts');
	const { verifyAccessLog, describeBreak } = await import('../src/lib/server/audit/chain.ts');
	const b = await boot({ migrate: true, seed: false });
	try {
		const tty = !json && process.stderr.isTTY;
		const r = await verifyAccessLog(db(), { onProgress: tty ? (n) => process.stderr.write(`\r  検証中 ${n.toLocaleString('en')} 行`) : undefined });
		if (tty) process.stderr.write('\n');
		if (json) {
			console.log(
				JSON.stringify({
					ok: r.ok,
					rows: r.rows,
					last_chain_seq: r.lastSeq,
					final_hash: r.finalHash,
					sealed_now: r.sealedNow,
					unsealed: r.unsealed,
					break: r.break ? { ...snake(r.break), message: describeBreak(r.break) } : null
				})
			);
		} else if (r.ok) {
			console.log(`OK: the access log's chain is whole — ${r.rows.toLocaleString('en')} rows (chain_seq 1..${r.lastSeq}), final hash ${r.finalHash}`);
			console.log(`    アクセスログの連鎖は正常です（${r.rows.toLocaleString('ja-JP')} 行、最終ハッシュ ${r.finalHash}）`);
			if (r.sealedNow) console.log(`    sealed just now: ${r.sealedNow.toLocaleString('en')} rows`);
			if (r.unsealed) console.log(`    written while verifying, not yet sealed (not covered): ${r.unsealed.toLocaleString('en')} rows`);
		} else {
			console.log(`BROKEN: ${describeBreak(r.break!)}`);
			console.log(`    アクセスログの連鎖が chain_seq ${r.break!.chainSeq} で途切れています（改ざんまたは削除の可能性）。`);
			console.log(`    the chain is whole up to chain_seq ${r.lastSeq} (${r.rows.toLocaleString('en')} rows, hash ${r.finalHash})`);
		}
		return r.ok ? 0 : 1;
	} finally {
		await finish(b);
	}
}
