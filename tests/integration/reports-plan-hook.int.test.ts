/**
 * Issue #8 part A: the manager's period report carries planProgress, null by default and whatever the provider
 * registered with setPlanProgressProvider returns (part B's call plan is wired there by the lead).
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testSql, resetDb } from '../helpers/db.ts';
import { newUser } from '../helpers/factories.ts';
import { db, closeDb } from '../../src/lib/server/db.ts';
import { managerReport, setPlanProgressProvider } from '../../src/lib/server/reports/reports.ts';

const sql = testSql();

beforeEach(async () => {
	await resetDb(sql);
});
afterEach(() => setPlanProgressProvider(null));
afterAll(async () => {
	await closeDb();
	await sql.end();
});

describe('period report plan-progress hook', () => {
	it('reports no plan without a provider', async () => {
		const manager = await newUser(db(), 'manager');
		expect((await managerReport(manager)).planProgress).toBeNull();
	});

	it("carries the registered provider's progress for the report's fiscal year and month", async () => {
		const manager = await newUser(db(), 'manager');
		const asked: unknown[] = [];
		setPlanProgressProvider(async (q) => {
			asked.push(q);
			return { planned: 100, called: 40 };
		});
		const r = await managerReport(manager, { fy: 2025, month: '2025-10' });
		expect(asked).toEqual([{ fiscalYear: 2025, month: '2025-10' }]);
		expect(r.planProgress).toEqual({ planned: 100, called: 40 });
		setPlanProgressProvider(null);
		expect((await managerReport(manager, { fy: 2025, month: '2025-10' })).planProgress).toBeNull();
	});

	it('is behind reports.view: an operator is refused before the provider is asked', async () => {
		const operator = await newUser(db(), 'operator');
		let asked = 0;
		setPlanProgressProvider(() => {
			asked++;
			return {};
		});
		await expect(managerReport(operator)).rejects.toThrow();
		expect(asked).toBe(0);
	});
});
