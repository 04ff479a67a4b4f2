import { describe, expect, it } from 'vitest';
import { can, exportableRoles, homePath, permissionForPath, roles } from './roles.ts';
import { fieldsFor, mayRead } from './fields.ts';

describe('roles and the field policy', () => {
	it('lands every role on a page it may open', () => {
		for (const role of roles) {
			const needed = permissionForPath(homePath[role]);
			expect(needed === null || can(role, needed), role).toBe(true);
		}
	});

	it('keeps each page to its roles', () => {
		expect(can('operator', permissionForPath('/supervisor')!)).toBe(false);
		expect(can('operator', permissionForPath('/wall')!)).toBe(false);
		expect(can('auditor', permissionForPath('/operator')!)).toBe(false);
		expect(can('supervisor', permissionForPath('/wall')!)).toBe(true);
		expect(permissionForPath('/wallpaper')).toBeNull(); // prefix match is by path segment
		expect(permissionForPath('/operator/x')).toBe('queue.claim');
	});

	it('never lets operators export, and lets only administrators choose who may', () => {
		expect(exportableRoles).not.toContain('operator');
		expect(exportableRoles).toEqual(['supervisor', 'staff', 'manager', 'admin', 'auditor']);
		expect(can('operator', permissionForPath('/exports')!)).toBe(false);
		expect(permissionForPath('/exports/call-results')).toBe('exports.run');
		expect(permissionForPath('/admin/exports')).toBe('exports.configure');
		for (const r of roles) expect(can(r, 'exports.configure'), r).toBe(r === 'admin');
	});

	it('gives operators the call card only, staff the fuller record, and aggregate roles nothing', () => {
		expect(mayRead('operator', 'phones')).toBe(true);
		expect(mayRead('operator', 'arrears')).toBe(true);
		expect(mayRead('operator', 'address')).toBe(true); // for reminder letters
		expect(mayRead('operator', 'income')).toBe(false);
		expect(mayRead('staff', 'caseHistory')).toBe(true);
		for (const r of ['manager', 'admin', 'auditor'] as const) expect(fieldsFor(r)).toEqual([]);
	});
});
