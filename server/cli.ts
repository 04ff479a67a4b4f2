/**
 * Command line: `npm run migrate`, `npm run seed`, and the build check that `npm start` runs first.
 *   node --import tsx server/cli.ts migrate
 *   node --import tsx server/cli.ts seed [--households 28000] [--seed 20260401]
 *   node --import tsx server/cli.ts ensure-build
 *   node --import tsx server/cli.ts audit verify [--json]   (server/cli-audit.ts)
 *   node --import tsx server/cli.ts create-user --login-id ID --name NAME --role ROLE   (server/cli-user.ts)
 *   node --import tsx server/cli.ts erase --confirm "消去します" -o DIR [--json] | --dry-run   (server/cli-erase.ts)
 *   node --import tsx server/cli.ts training record --course CODE --date YYYY-MM-DD --login-id ID …   (server/cli-training.ts)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(p: string): number {
	if (!fs.existsSync(p)) return 0;
	const st = fs.statSync(p);
	if (!st.isDirectory()) return st.mtimeMs;
	let newest = 0;
	for (const e of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, e)));
	return newest;
}

/** Build the SvelteKit app when build/ is missing or older than its sources. */
function ensureBuild(): number {
	const stamp = path.join(root, 'build', '.kansho-build-stamp');
	const sources = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'].map((p) => newestMtime(path.join(root, p)));
	const built = fs.existsSync(stamp) && fs.existsSync(path.join(root, 'build', 'handler.js')) ? fs.statSync(stamp).mtimeMs : 0;
	if (built >= Math.max(...sources)) return 0;
	console.log('kansho: building the web app (vite build) …');
	const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
		cwd: root,
		stdio: 'inherit'
	});
	if (r.status !== 0) return r.status ?? 1;
	fs.writeFileSync(stamp, new Date().toISOString());
	return 0;
}

async function main(argv: string[]): Promise<number> {
	const [command, ...rest] = argv;
	switch (command) {
		case 'ensure-build':
			return ensureBuild();
		case 'import':
			return (await import('./cli-import.ts')).importCommand(rest);
		case 'export-results':
			return (await import('./cli-import.ts')).exportCommand(rest);
		case 'audit':
			return (await import('./cli-audit.ts')).auditCommand(rest);
		case 'create-user':
			return (await import('./cli-user.ts')).createUserCommand(rest);
		case 'erase':
			return (await import('./cli-erase.ts')).eraseCommand(rest);
		case 'training':
			return (await import('./cli-training.ts')).trainingCommand(rest);
		case 'migrate': {
			const { boot } = await import('./boot.ts');
			const b = await boot({ migrate: true, seed: false });
			console.log('kansho: migrations are up to date');
			await finish(b);
			return 0;
		}
		case 'seed': {
			const { values } = parseArgs({ args: rest, options: { households: { type: 'string' }, seed: { type: 'string' }, 'keep-files': { type: 'string' } } });
			const households = values.households ? Number(values.households) : 28_000;
			const seed = values.seed ? Number(values.seed) : 20260401;
			if (!Number.isInteger(households) || households < 1 || households > 2_000_000) {
				console.error('kansho seed: --households must be a whole number from 1 to 2,000,000');
				return 2;
			}
			if (!Number.isInteger(seed)) {
				console.error('kansho seed: --seed must be a whole number');
				return 2;
			}
			const { boot } = await import('./boot.ts');
			const { seedDemo } = await import('../src/lib/server/demo/demo.ts');
			const { db } = await import('../src/lib/server/db.ts');
			const b = await boot({ migrate: true, seed: false });
			try {
				console.log(`kansho: writing ${households.toLocaleString('en')} synthetic households as the ward's CSV files and importing them …`);
				const r = await seedDemo(db(), { households, seed, keepFiles: values['keep-files'] });
				console.log(
					`kansho: demo loaded (import #${r.importId}): ${r.households} households, ${r.persons} persons, ${r.receipts} receipt rows; ${r.queued} in the queue, ${r.noPhone} without a usable phone (${r.seconds.toFixed(1)} s, of which CSV ${r.csvSeconds.toFixed(1)} s)`
				);
				if (values['keep-files']) console.log(`kansho: the CSV files are kept in ${values['keep-files']}`);
			} catch (e) {
				console.error(`kansho seed: ${(e as Error).message}`);
				await finish(b);
				return 1;
			}
			await finish(b);
			return 0;
		}
		default:
			console.error('usage: npm run kansho -- <migrate | seed [--households N] [--seed S] | import … | export-results … | audit verify [--json] | erase --confirm PHRASE -o DIR [--json] | create-user … | training record … | ensure-build>');
			return 2;
	}
}

import { finish } from './cli-finish.ts';

main(process.argv.slice(2)).then(
	(code) => process.exit(code),
	(e) => {
		console.error('kansho:', e instanceof Error ? e.message : e);
		process.exit(1);
	}
);
