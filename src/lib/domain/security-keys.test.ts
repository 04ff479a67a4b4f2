import { describe, expect, it } from 'vitest';
import {
	lockedOutIfRequired,
	lockoutsOnSave,
	allowanceEnds,
	allowanceValid,
	defaultRoleRequirement,
	isKeyRequirement,
	keyRequired,
	mayRemoveOwnKey,
	roleRequirementTable,
	secondStep
} from './security-keys.ts';
import { roles, type Role } from './roles.ts';

describe('whether a user must sign in with a key', () => {
	it('follows the role unless the user’s own setting says otherwise', () => {
		expect(keyRequired('role', true)).toBe(true);
		expect(keyRequired('role', false)).toBe(false);
		expect(keyRequired('required', false)).toBe(true);
		expect(keyRequired('required', true)).toBe(true);
		expect(keyRequired('not_required', true)).toBe(false);
		expect(keyRequired('not_required', false)).toBe(false);
	});

	it('requires a key for a role with no stored setting (fails closed)', () => {
		expect(keyRequired('role', undefined)).toBe(true);
		expect(roleRequirementTable(new Map<Role, boolean>([['operator', false]]), roles)).toEqual(
			roles.map((role) => ({ role, required: role !== 'operator' }))
		);
	});

	it('by default: required for every role outside the demo, for none in the demo', () => {
		expect(defaultRoleRequirement(false)).toBe(true);
		expect(defaultRoleRequirement(true)).toBe(false);
	});

	it('knows the per-user settings', () => {
		expect(isKeyRequirement('role')).toBe(true);
		expect(isKeyRequirement('not_required')).toBe(true);
		expect(isKeyRequirement('optional')).toBe(false);
		expect(isKeyRequirement(undefined)).toBe(false);
	});
});

describe('the step after a correct password', () => {
	it('asks for the key whenever the user has one, required or not', () => {
		expect(secondStep({ required: true, keys: 1, allowance: false })).toBe('key');
		expect(secondStep({ required: false, keys: 2, allowance: true })).toBe('key');
	});
	it('opens the session when no key is needed and none is registered', () => {
		expect(secondStep({ required: false, keys: 0, allowance: false })).toBe('none');
		expect(secondStep({ required: false, keys: 0, allowance: true })).toBe('none');
	});
	it('lets a user without a key register one only with an allowance, else refuses', () => {
		expect(secondStep({ required: true, keys: 0, allowance: true })).toBe('enrol');
		expect(secondStep({ required: true, keys: 0, allowance: false })).toBe('refused');
	});
});

describe('registration allowances', () => {
	const granted = new Date('2026-04-01T00:00:00Z');
	it('last the configured hours from when they were given', () => {
		expect(allowanceValid(granted, 168, new Date('2026-04-07T23:59:59Z'))).toBe(true);
		expect(allowanceValid(granted, 168, new Date('2026-04-08T00:00:00Z'))).toBe(false);
		expect(allowanceEnds(granted, 1)).toEqual(new Date('2026-04-01T01:00:00Z'));
	});
	it('none when never given or used up', () => {
		expect(allowanceValid(null, 168)).toBe(false);
		expect(allowanceEnds(null, 168)).toBeNull();
	});
});

describe('removing one’s own key', () => {
	it('refuses the last key while a key is required', () => {
		expect(mayRemoveOwnKey({ required: true, keys: 1 })).toBe(false);
		expect(mayRemoveOwnKey({ required: true, keys: 2 })).toBe(true);
		expect(mayRemoveOwnKey({ required: false, keys: 1 })).toBe(true);
	});
});

describe('lockouts before saving the per-role settings', () => {
	it('counts, per role, the users without a key who hold no allowance', () => {
		const n = lockedOutIfRequired([
			{ role: 'operator', allowance: false },
			{ role: 'operator', allowance: false },
			{ role: 'operator', allowance: true },
			{ role: 'auditor', allowance: false }
		]);
		expect(n).toEqual({ operator: 2, supervisor: 0, staff: 0, manager: 0, admin: 0, auditor: 1 });
	});
	it('names only the roles switched to required whose users would be refused', () => {
		const current = [
			{ role: 'operator' as const, required: false, lockedOutIfRequired: 2 },
			{ role: 'supervisor' as const, required: false, lockedOutIfRequired: 0 },
			{ role: 'staff' as const, required: true, lockedOutIfRequired: 4 },
			{ role: 'auditor' as const, required: false, lockedOutIfRequired: 1 }
		];
		expect(lockoutsOnSave(current, { operator: 'required', supervisor: 'required', staff: 'required', auditor: 'not_required' })).toEqual([{ role: 'operator', count: 2 }]);
		expect(lockoutsOnSave(current, { operator: 'not_required', supervisor: 'required', staff: 'required', auditor: 'not_required' })).toEqual([]);
	});
});
