import { describe, expect, it } from 'vitest';
import { translator } from '$lib/i18n';
import { buildFloorCharts, HOURLY_CHARTS, type HourlyChartDef } from '$lib/domain/floor-charts';
import { formulaText, funnelSummary, hourlySummary, pointText, stageRateText, valueText } from './chart-text';

const def = (k: HourlyChartDef['key']) => HOURLY_CHARTS.find((d) => d.key === k)!;
const en = translator('en');
const ja = translator('ja');

const charts = buildFloorCharts({
	day: '2026-03-02',
	counts: [
		{ day: 'today', hour: 13, attempts: 10, householdsAttempted: 10, householdsContacted: 2 },
		{ day: 'today', hour: 14, attempts: 60, householdsAttempted: 50, householdsContacted: 16, rightPartyContacts: 10, promises: 3, promisedAmount: 45_000 },
		{ day: 'lastWeek', hour: 14, attempts: 40, householdsAttempted: 25, householdsContacted: 7 },
		{ day: 'today', hour: null, attempts: 70, householdsAttempted: 55, householdsContacted: 18, rightPartyContacts: 10, promises: 3, promisedAmount: 45_000 },
		{ day: 'lastWeek', hour: null, attempts: 120, householdsAttempted: 90, householdsContacted: 30, promisedAmount: 80_000 }
	],
	funnel: [{ segmentId: 1, code: 'a', nameJa: '高額', nameEn: 'High arrears', households: 200, dialable: 150, attempted: 60, contacted: 30, promised: 6, paid: 3 }]
});

describe('chart texts', () => {
	it('state each formula and denominator from the definitions', () => {
		expect(formulaText(en, def('contactRate'))).toEqual({ formula: 'Contact rate = households contacted ÷ households attempted', denominator: 'Denominator: households attempted' });
		expect(formulaText(ja, def('promiseRate'))).toEqual({ formula: '納付約束率 = 納付約束件数 ÷ 本人接触数', denominator: '分母：本人接触数' });
		expect(formulaText(en, def('attempts')).denominator).toBe('a count or an amount: no denominator');
	});

	it('summarize the latest hour with calls against last week, and the day', () => {
		expect(hourlySummary(en, def('contactRate'), charts)).toBe(
			'Contact rate 14:00: 32.0% (16 of 50 households attempted); last week 28.0%. Today so far 32.7% (same weekday last week, whole day: 33.3%)'
		);
		expect(hourlySummary(ja, def('attempts'), charts)).toBe('架電件数 14時：60。先週同曜日 40。今日の合計 70（先週同曜日の終日 120）');
		expect(hourlySummary(en, def('promisedAmount'), charts)).toContain('¥45,000; last week ¥0.');
		expect(hourlySummary(en, def('promiseRate'), buildFloorCharts({ day: '2026-03-02', counts: [], funnel: [] }))).toBe('Promise rate: no calls yet today.');
	});

	it('format values and table cells, with no data as a dash', () => {
		expect(valueText('rate', null)).toBe('—');
		expect(valueText('yen', 1234)).toBe('¥1,234');
		expect(pointText(def('contactRate'), charts.hourly.find((h) => h.hour === 14)!.today)).toBe('32.0% (16 / 50)');
	});

	it('say the funnel in words, each stage over its denominator', () => {
		expect(funnelSummary(en, charts.funnel[0], 'en')).toBe('High arrears: households 200, dialable 150, attempted 60, contacted 30, promised 6, paid 3');
		const [first, dialable, , , , paid] = charts.funnel[0].stages;
		expect(stageRateText(en, first)).toBe('');
		expect(stageRateText(en, dialable)).toBe('75.0% of Households');
		expect(stageRateText(ja, paid)).toBe('架電の 5.0%');
	});
});
