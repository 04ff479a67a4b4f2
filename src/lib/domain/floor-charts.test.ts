import { describe, expect, it } from 'vitest';
import {
	addCounts,
	addDays,
	buildFloorCharts,
	CHART_HOURS,
	chartValue,
	emptyFloorCharts,
	FUNNEL_STAGES,
	funnelStages,
	HOURLY_CHARTS,
	hourlyRows,
	latestHourWithCalls,
	type CountRow
} from './floor-charts.ts';
import { RATE_DEFS } from './kpi.ts';

const def = (k: string) => HOURLY_CHARTS.find((d) => d.key === k)!;

describe('hourlyRows', () => {
	it('shows every hour 8–21 for both days, zero where nothing happened, with rates null (no data) there', () => {
		const rows = hourlyRows([]);
		expect(rows.map((r) => r.hour)).toEqual([...CHART_HOURS]);
		expect(rows[0].today).toMatchObject({ attempts: 0, contactRate: null, promiseRate: null });
		expect(rows[0].lastWeek.attempts).toBe(0);
	});

	it('puts each day in its column, adds kept (erased) rows to live ones, and keeps an hour outside 8–21 that has calls', () => {
		const counts: CountRow[] = [
			{ day: 'today', hour: 14, attempts: 50, answeredAttempts: 20, householdsAttempted: 40, householdsContacted: 16, rightPartyContacts: 10, promises: 4, promisedAmount: 120_000 },
			// households erased today: their 14:00 figures, kept in stats_calls
			{ day: 'today', hour: 14, attempts: 2, householdsAttempted: 2, householdsContacted: 1, rightPartyContacts: 1, promises: 1, promisedAmount: 5_000 },
			{ day: 'lastWeek', hour: 14, attempts: 30, householdsAttempted: 25, householdsContacted: 7, rightPartyContacts: 5, promises: 1 },
			{ day: 'today', hour: 7, attempts: 1, householdsAttempted: 1 },
			// whole-day rows are not hours
			{ day: 'today', hour: null, attempts: 99 }
		];
		const rows = hourlyRows(counts);
		expect(rows[0].hour).toBe(7);
		expect(rows).toHaveLength(CHART_HOURS.length + 1);
		const h14 = rows.find((r) => r.hour === 14)!;
		expect(h14.today).toMatchObject({ attempts: 52, householdsAttempted: 42, householdsContacted: 17, promises: 5, promisedAmount: 125_000 });
		expect(h14.today.contactRate).toBeCloseTo(17 / 42);
		expect(h14.today.promiseRate).toBeCloseTo(5 / 11);
		expect(h14.lastWeek).toMatchObject({ attempts: 30, householdsContacted: 7 });
		expect(h14.lastWeek.contactRate).toBeCloseTo(7 / 25);
	});
});

describe('chart definitions', () => {
	it('rate charts use the KPI definitions of kpi.ts as they are; counts have no denominator', () => {
		expect(def('contactRate')).toMatchObject({ unit: 'rate', ...RATE_DEFS.contactRate });
		expect(def('rightPartyRate')).toMatchObject({ unit: 'rate', numerator: 'rightPartyContacts', denominator: 'householdsAttempted' });
		expect(def('promiseRate')).toMatchObject({ unit: 'rate', numerator: 'promises', denominator: 'rightPartyContacts' });
		expect(def('attempts')).toMatchObject({ unit: 'count', denominator: null });
		expect(def('promisedAmount')).toMatchObject({ unit: 'yen', numerator: 'promisedAmount', denominator: null });
	});

	it('chartValue is the count, or numerator ÷ denominator, null for an empty denominator', () => {
		const [h] = hourlyRows([{ day: 'today', hour: 8, attempts: 50, householdsAttempted: 50, householdsContacted: 16, rightPartyContacts: 0, promisedAmount: 3000 }]);
		expect(chartValue(def('attempts'), h.today)).toBe(50);
		expect(chartValue(def('contactRate'), h.today)).toBe(0.32);
		expect(chartValue(def('promiseRate'), h.today)).toBeNull();
		expect(chartValue(def('promisedAmount'), h.today)).toBe(3000);
	});
});

describe('funnelStages', () => {
	it('states each stage with its denominator stage and rate; paid is over attempted', () => {
		const s = funnelStages({ households: 200, dialable: 150, attempted: 60, contacted: 30, promised: 6, paid: 3 });
		expect(s.map((x) => x.stage)).toEqual([...FUNNEL_STAGES]);
		expect(s[0]).toEqual({ stage: 'households', count: 200, denominator: null, rate: null });
		expect(s[1]).toEqual({ stage: 'dialable', count: 150, denominator: 'households', rate: 0.75 });
		expect(s[2]).toMatchObject({ denominator: 'dialable', rate: 0.4 });
		expect(s[3]).toMatchObject({ denominator: 'attempted', rate: 0.5 });
		expect(s[4]).toMatchObject({ denominator: 'contacted', rate: 0.2 });
		expect(s[5]).toMatchObject({ denominator: 'attempted', rate: 0.05 });
	});

	it('gives null rates, not 0 or NaN, for an empty segment', () => {
		expect(funnelStages({}).every((x) => x.count === 0 && x.rate === null)).toBe(true);
	});
});

describe('buildFloorCharts', () => {
	it('compares with the same weekday a week before, with whole-day totals separate from hours', () => {
		const c = buildFloorCharts({
			day: '2026-03-02',
			counts: [
				{ day: 'today', hour: 10, attempts: 3, householdsAttempted: 2 },
				{ day: 'today', hour: 11, attempts: 2, householdsAttempted: 2 },
				// one household called at 10 and 11: distinct once over the day
				{ day: 'today', hour: null, attempts: 5, householdsAttempted: 3, householdsContacted: 1 },
				{ day: 'lastWeek', hour: null, attempts: 8, householdsAttempted: 6 }
			],
			funnel: [{ segmentId: 4, code: 'big', nameJa: '高額', nameEn: 'High', households: 10, dialable: 8, attempted: 3, contacted: 1, promised: 0, paid: 0 }]
		});
		expect(c.lastWeekDay).toBe('2026-02-23');
		expect(c.today).toMatchObject({ attempts: 5, householdsAttempted: 3 });
		expect(c.today.contactRate).toBeCloseTo(1 / 3);
		expect(c.lastWeek).toMatchObject({ attempts: 8, householdsAttempted: 6, contactRate: 0 });
		expect(c.funnel[0]).toMatchObject({ segmentId: 4, code: 'big' });
		expect(c.funnel[0].stages[2]).toMatchObject({ stage: 'attempted', count: 3, rate: 3 / 8 });
		expect(latestHourWithCalls(c)?.hour).toBe(11);
	});

	it('has no hour to speak of before the first call', () => {
		expect(latestHourWithCalls(emptyFloorCharts('2026-03-02'))).toBeNull();
	});
});

describe('helpers', () => {
	it('addDays crosses months and years; addCounts adds every measure', () => {
		expect(addDays('2026-01-03', -7)).toBe('2025-12-27');
		expect(addDays('2024-03-06', -7)).toBe('2024-02-28');
		expect(addCounts({ attempts: 1, promisedAmount: 10 }, { attempts: 2, promises: 1 })).toMatchObject({ attempts: 3, promises: 1, promisedAmount: 10, householdsAttempted: 0 });
	});
});
