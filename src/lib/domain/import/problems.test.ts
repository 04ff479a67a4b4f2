import { describe, expect, it } from 'vitest';
import { summarizeProblems } from './problems.ts';

describe('summarizeProblems', () => {
	it('names a file’s missing columns as a file problem and does not count them, or anything, as invalid rows', () => {
		const s = summarizeProblems([
			{ file: '世帯.csv', line: 1, column: '電話番号', reason: '必須の列「電話番号」がありません', problem: 'missing_column' },
			{ file: '世帯.csv', line: 1, column: '方書', reason: '必須の列「方書」がありません', problem: 'missing_column' }
		]);
		expect(s.files).toEqual([{ file: '世帯.csv', missingColumns: ['電話番号', '方書'], others: [] }]);
		expect(s.invalidRows).toBe(0);
		expect(s.rowProblems).toBe(0);
		expect(s.crossChecked).toBe(false);
	});

	it('counts invalid rows once each, however many of their cells are wrong, apart from file problems', () => {
		const s = summarizeProblems([
			{ file: '収納.csv', line: 1, column: '収納額累計', reason: 'x', problem: 'missing_column' },
			{ file: '個人.csv', line: 1, column: null, reason: 'CSVとして読めません', problem: 'csv_syntax' },
			{ file: '世帯.csv', line: 3, column: '被保険者数', reason: 'a' },
			{ file: '世帯.csv', line: 3, column: '郵便番号', reason: 'b' },
			{ file: '世帯.csv', line: 4, column: '郵便番号', reason: 'c' },
			{ file: '個人.csv', line: 3, column: '生年月日', reason: 'd', problem: null }
		]);
		expect(s.files.map((f) => [f.file, f.missingColumns, f.others.map((o) => o.problem)])).toEqual([
			['収納.csv', ['収納額累計'], []],
			['個人.csv', [], ['csv_syntax']]
		]);
		expect(s.invalidRows).toBe(3);
		expect(s.rowProblems).toBe(4);
		expect(s.crossChecked).toBe(false);
	});

	it('a set with only row problems was checked across files', () => {
		expect(summarizeProblems([{ file: '個人.csv', line: 2, column: '生年月日', reason: 'x' }])).toEqual({ files: [], invalidRows: 1, rowProblems: 1, crossChecked: true });
		expect(summarizeProblems([])).toEqual({ files: [], invalidRows: 0, rowProblems: 0, crossChecked: true });
	});
});
