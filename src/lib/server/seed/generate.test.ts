import { describe, it, expect } from 'vitest';
import { arrearsFiscalYear, dueDateOf, generateDemoData, householdArrears, type DemoHousehold } from './generate.ts';
import { parsePhone } from '../../domain/phone.ts';
import { fiscalYearOf } from '../../domain/format.ts';
import { townOf } from '../../domain/import/address.ts';

const TODAY = '2026-11-27';
const take = (seed: number, households: number, today = TODAY): DemoHousehold[] => [...generateDemoData({ seed, households, today })];

// one sample shared by the statistical tests
const sample = take(1, 3000);

function ageOn(birth: string, on: string): number {
	const a = +on.slice(0, 4) - +birth.slice(0, 4);
	return on.slice(5) < birth.slice(5) ? a - 1 : a;
}
const weekday = (iso: string) => new Date(`${iso}T00:00:00Z`).getUTCDay();
const lastOfMonth = (iso: string) => {
	const d = new Date(`${iso}T00:00:00Z`);
	return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
};

describe('determinism', () => {
	it('yields the same households for the same seed', () => {
		expect(take(7, 200)).toEqual(take(7, 200));
	});

	it('keeps the first households the same whatever the count', () => {
		expect(take(7, 200).slice(0, 50)).toEqual(take(7, 50));
	});

	it('yields different households for a different seed', () => {
		const a = take(7, 50);
		const b = take(8, 50);
		expect(a.map((h) => h.persons[0].name)).not.toEqual(b.map((h) => h.persons[0].name));
		expect(a.map((h) => h.household.nhiNumber)).not.toEqual(b.map((h) => h.household.nhiNumber));
	});
});

describe('arrears', () => {
	it('puts every household in arrears in the current fiscal year on today', () => {
		expect(arrearsFiscalYear(TODAY)).toBe(fiscalYearOf(TODAY));
		for (const h of sample) {
			const open = h.receipts.filter((r) => r.fiscalYear === 2026 && r.dueDate < TODAY && r.receivedTotal < r.assessed);
			expect(open.length, h.household.nhiNumber).toBeGreaterThan(0);
			expect(householdArrears(h, TODAY)).toBeGreaterThan(0);
		}
	});

	it('uses the previous year while no period of the new one is due yet (April to June)', () => {
		expect(arrearsFiscalYear('2026-05-10')).toBe(2025);
		expect(arrearsFiscalYear('2026-06-30')).toBe(2025);
		expect(arrearsFiscalYear('2026-07-01')).toBe(2026);
		for (const h of take(3, 500, '2026-05-10')) {
			expect(h.receipts.some((r) => r.fiscalYear === 2025 && r.dueDate < '2026-05-10' && r.receivedTotal < r.assessed)).toBe(true);
			expect(h.receipts.filter((r) => r.fiscalYear === 2026).every((r) => r.receivedTotal === 0)).toBe(true);
		}
	});

	it('mixes fully unpaid, partly paid and paid-then-stopped households, and carried-over arrears', () => {
		let unpaid = 0, partial = 0, someFull = 0, carried = 0;
		for (const h of sample) {
			const overdue = h.receipts.filter((r) => r.fiscalYear === 2026 && r.dueDate < TODAY);
			if (overdue.every((r) => r.receivedTotal === 0)) unpaid++;
			if (overdue.some((r) => r.receivedTotal > 0 && r.receivedTotal < r.assessed)) partial++;
			if (overdue.some((r) => r.receivedTotal === r.assessed)) someFull++;
			if (h.receipts.some((r) => r.fiscalYear < 2026 && r.receivedTotal < r.assessed)) carried++;
		}
		const n = sample.length;
		expect(unpaid / n).toBeGreaterThan(0.25);
		expect(unpaid / n).toBeLessThan(0.7);
		expect(partial / n).toBeGreaterThan(0.05);
		expect(someFull / n).toBeGreaterThan(0.15);
		expect(carried / n).toBeGreaterThan(0.1);
		expect(carried / n).toBeLessThan(0.5);
	});

	it('never receives more than assessed, nor on a date after today', () => {
		// plain checks (tens of thousands of rows): collect the problems, expect none
		const problems: string[] = [];
		const check = (ok: boolean, what: string, h: DemoHousehold, r: { fiscalYear: number; period: number }) => {
			if (!ok && problems.length < 20) problems.push(`${h.household.nhiNumber} ${r.fiscalYear}/${r.period}: ${what}`);
		};
		for (const h of sample) {
			for (const r of h.receipts) {
				check(r.receivedTotal >= 0 && r.receivedTotal <= r.assessed, 'received_total out of range', h, r);
				check(r.assessedCare === null || r.receivedCare! <= r.assessedCare, 'received_care > assessed_care', h, r);
				check(r.assessedElderly === null || r.receivedElderly! <= r.assessedElderly, 'received_elderly > assessed_elderly', h, r);
				check((r.assessedCare ?? 0) + (r.assessedElderly ?? 0) <= r.assessed, 'parts exceed the total', h, r);
				if (r.receivedTotal === 0) {
					check(r.paidOn === null && r.receivedOn === null && r.receivingInstitution === null, 'dates on an unpaid period', h, r);
					continue;
				}
				check(!!r.receivingInstitution, 'no institution', h, r);
				for (const d of [r.paidOn, r.receivedOn, r.lastPaidOn, r.lastReceivedOn]) check(d !== null && d <= TODAY, `date ${d} missing or after today`, h, r);
				check(r.receivedOn! >= r.paidOn!, 'received before paid', h, r);
				check(r.lastPaidOn! >= r.paidOn!, 'last paid before first', h, r);
				check(r.lastReceivedOn! >= r.lastPaidOn!, 'last received before last paid', h, r);
			}
		}
		expect(problems).toEqual([]);
	});

	it('splits each year into instalments whose sum is the annual premium', () => {
		for (const h of sample) {
			expect(h.premiums.map((p) => p.fiscalYear)).toEqual(h.years.map((y) => y.fiscalYear));
			for (const p of h.premiums) {
				const rows = h.receipts.filter((r) => r.fiscalYear === p.fiscalYear);
				expect(rows.reduce((s, r) => s + r.assessed, 0)).toBe(p.annualPremium);
				expect(p.annualPremium).toBeLessThanOrEqual(900_000);
				// a full year has 10 periods, evenly split with the remainder in the first
				if (rows.length === 10) {
					expect(rows.map((r) => r.period)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
					expect(new Set(rows.slice(1).map((r) => r.assessed)).size).toBe(1);
					expect(rows[0].assessed).toBeGreaterThanOrEqual(rows[1].assessed);
				}
			}
			// the current year is always a full year
			expect(h.receipts.filter((r) => r.fiscalYear === 2026)).toHaveLength(10);
		}
		const current = sample.map((h) => h.premiums.find((p) => p.fiscalYear === 2026)!.annualPremium).sort((a, b) => a - b);
		expect(current[0]).toBeGreaterThanOrEqual(15_000);
		expect(current[Math.floor(current.length / 2)]).toBeLessThan(200_000); // skewed low
	});
});

describe('due dates', () => {
	it('are month ends, moved to Monday off a weekend', () => {
		expect(dueDateOf(2026, 1)).toBe('2026-06-30');
		expect(dueDateOf(2026, 5)).toBe('2026-11-02'); // 2026-10-31 is a Saturday
		expect(dueDateOf(2024, 1)).toBe('2024-07-01'); // 2024-06-30 is a Sunday
		expect(dueDateOf(2026, 10)).toBe('2027-03-31');
		for (const h of sample.slice(0, 300)) {
			for (const r of h.receipts) {
				expect(r.dueDate).toBe(dueDateOf(r.fiscalYear, r.period));
				const dow = weekday(r.dueDate);
				expect(dow).not.toBe(0);
				expect(dow).not.toBe(6);
				if (r.dueDate !== lastOfMonth(r.dueDate)) {
					// the month end before it fell on a weekend
					expect(dow).toBe(1);
					const prevMonthEnd = new Date(`${r.dueDate.slice(0, 8)}01T00:00:00Z`);
					prevMonthEnd.setUTCDate(0);
					expect([0, 6]).toContain(prevMonthEnd.getUTCDay());
				}
			}
		}
	});
});

describe('identifiers', () => {
	it('are strings with leading zeros, unique', () => {
		const nhi = new Set<string>();
		const resident = new Set<string>();
		for (const h of sample) {
			expect(h.household.nhiNumber).toMatch(/^0\d{7}$/);
			nhi.add(h.household.nhiNumber);
			expect(h.household.headResidentNumber).toBe(h.persons[0].residentNumber);
			for (const p of h.persons) {
				expect(p.residentNumber).toMatch(/^0\d{9}$/);
				resident.add(p.residentNumber);
			}
		}
		expect(nhi.size).toBe(sample.length);
		expect(resident.size).toBe(sample.reduce((s, h) => s + h.persons.length, 0));
	});
});

describe('people', () => {
	it('includes foreign residents at a Shinjuku-like share', () => {
		const foreign = sample.filter((h) => h.persons[0].nationality !== 'JP');
		expect(foreign.length / sample.length).toBeGreaterThan(0.12);
		expect(foreign.length / sample.length).toBeLessThan(0.22);
		const languages = new Set(foreign.map((h) => h.household.language));
		for (const l of ['zh', 'vi', 'ne', 'ko', 'my', 'en']) expect(languages).toContain(l);
		expect(sample.filter((h) => h.persons[0].nationality === 'JP').every((h) => h.household.language === 'ja')).toBe(true);
		expect(foreign.some((h) => /^[A-Z]+( [A-Z]+)+$/.test(h.persons[0].name))).toBe(true);
	});

	it('writes names the way the ward does, with search forms', () => {
		for (const h of sample) {
			expect(h.persons.length).toBeGreaterThanOrEqual(1);
			expect(h.persons.length).toBeLessThanOrEqual(4);
			expect(h.persons[0].relationship).toBe('世帯主');
			for (const p of h.persons) {
				expect(p.nameKana).toMatch(/^[ァ-ヶー]+(\u3000[ァ-ヶー]+)+$/);
				expect(p.nameSearch).toBe(p.name.normalize('NFKC').replace(/\s/g, ''));
				expect(p.kanaSearch).toBe(p.nameKana.replace(/\u3000/g, ''));
				if (p.nationality === 'JP') expect(p.name).toContain('\u3000');
				expect(['男', '女']).toContain(p.sex);
				expect(p.hasGaiji).toBe(false);
				const age = ageOn(p.birthDate, TODAY);
				expect(age).toBeGreaterThanOrEqual(0);
				expect(age).toBeLessThan(75);
				// 国保 for everyone, 介護 exactly for those aged 40–64
				const kinds = h.eligibility.filter((e) => e.personKey === p.key).map((e) => e.kind);
				expect(kinds).toContain('国保');
				expect(kinds.includes('介護')).toBe(age >= 40 && age <= 64);
			}
		}
		expect(sample.some((h) => h.persons.some((p) => /[髙﨑邉邊]/.test(p.name)))).toBe(true);
	});

	it('places households in Shinjuku', () => {
		for (const h of sample) {
			expect(h.household.address.startsWith(`東京都新宿区${h.household.district}`)).toBe(true);
			expect(h.household.postalCode).toMatch(/^(160|161|162|169)-\d{4}$/);
			expect(h.household.synthetic).toBe(true);
		}
	});
});

describe('phones', () => {
	it('are unique within a household and parsed with parsePhone', () => {
		for (const h of sample) {
			const raws = h.phones.map((p) => p.raw);
			expect(new Set(raws).size).toBe(raws.length);
			for (const ph of h.phones) {
				const parsed = parsePhone(ph.raw);
				expect([ph.digits, ph.extension, ph.kind, ph.valid]).toEqual([parsed.digits, parsed.extension, parsed.kind, parsed.valid]);
				if (ph.personKey !== null) expect(h.persons[ph.personKey]).toBeDefined();
			}
			if (h.household.phoneRaw !== null) expect(raws).toContain(h.household.phoneRaw);
		}
	});

	it('leave about a fifth to a quarter of households without a valid number', () => {
		const withoutValid = sample.filter((h) => !h.phones.some((p) => p.valid)).length / sample.length;
		const withoutAny = sample.filter((h) => h.phones.length === 0).length / sample.length;
		const invalidOnly = sample.filter((h) => h.phones.length > 0 && !h.phones.some((p) => p.valid)).length / sample.length;
		const mobile = sample.filter((h) => h.phones.some((p) => p.valid && p.kind === 'mobile')).length / sample.length;
		expect(withoutValid).toBeGreaterThan(0.18);
		expect(withoutValid).toBeLessThan(0.32);
		expect(withoutAny).toBeGreaterThan(0.14);
		expect(invalidOnly).toBeGreaterThan(0.02);
		expect(mobile).toBeGreaterThan(0.45);
		// the source formats vary: full-width digits, parentheses, extensions
		const raws = sample.flatMap((h) => h.phones.map((p) => p.raw));
		expect(raws.some((r) => /[０-９]/.test(r))).toBe(true);
		expect(raws.some((r) => /\(/.test(r))).toBe(true);
		expect(raws.some((r) => /内/.test(r))).toBe(true);
		expect(raws.some((r) => /^\d{10,11}$/.test(r))).toBe(true);
	});
});

describe('addresses', () => {
	it('writes every address so that the import derives the household\'s 町名 from it (四谷, 余丁町 and all the others)', () => {
		const towns = new Set<string>();
		for (const h of sample) {
			expect(townOf(h.household.address), h.household.address).toBe(h.household.district);
			for (const p of h.persons) expect(townOf(p.address), p.address).toBe(h.household.district);
			towns.add(h.household.district);
		}
		// the sample covers the towns whose names the old derivation broke
		for (const t of ['四谷', '余丁町', '百人町', '西新宿']) expect(towns).toContain(t);
	});
});
