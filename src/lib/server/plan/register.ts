/**
 * Wire the call plan's monthly progress into the manager's report (reports.ts setPlanProgressProvider). Called once
 * at start-up by src/hooks.server.ts (`init`): the SvelteKit bundle has its own copy of the reports module, so the
 * registration must happen inside it, not in server/index.ts.
 */
import { setPlanProgressProvider, type PlanProgress } from '../reports/reports.ts';
import { planMonthProgress } from './plan.ts';

export function registerPlanProgress(): void {
	setPlanProgressProvider(async (query) => (await planMonthProgress(query)) as unknown as PlanProgress | null);
}
