import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fieldGroupInfo, fieldGroupLabel, fieldGroups, fieldPolicyMarkdown, fieldsFor, mayRead } from './fields.ts';
import { accessLogReason, accessScopeMarkdown, readReasons, reasonNeedsNote, scopeRuleFor } from './access-scope.ts';
import { can, roles } from './roles.ts';

describe('the field policy', () => {
	it('gives operators what a reminder call and letter need, and nothing more', () => {
		expect(fieldsFor('operator')).toEqual(['identity', 'payer', 'language', 'phones', 'address', 'arrears', 'promises', 'contacts', 'instructions']);
		for (const g of ['income', 'bankTransfer', 'employers', 'eligibility', 'caseHistory', 'members', 'receipts', 'premiums', 'assessment'] as const)
			expect(mayRead('operator', g), g).toBe(false);
	});

	it('gives supervisors what operators see', () => {
		expect(fieldsFor('supervisor')).toEqual(fieldsFor('operator'));
	});

	it('gives ward staff the fuller record', () => {
		expect(fieldsFor('staff')).toEqual([...fieldGroups]);
	});

	it('gives aggregate-only roles no household data, and exactly the reading roles have household.read', () => {
		for (const r of ['manager', 'admin', 'auditor'] as const) expect(fieldsFor(r)).toEqual([]);
		for (const r of roles) expect(fieldsFor(r).length > 0, r).toBe(can(r, 'household.read'));
	});

	it('maps every card key to exactly one group', () => {
		const keys = fieldGroups.flatMap((g) => [...fieldGroupInfo[g].cardKeys]);
		expect(new Set(keys).size).toBe(keys.length);
		expect(keys).not.toContain('id');
		expect(keys).not.toContain('fields');
	});
});

describe('access scope per person', () => {
	it('lets an operator call only the household they hold, review their segments, and look up inbound callers', () => {
		expect(scopeRuleFor('operator', 'outbound')).toBe('held');
		expect(scopeRuleFor('operator', 'review')).toBe('ownSegments');
		expect(scopeRuleFor('operator', 'inbound')).toBe('inbound');
		expect(scopeRuleFor('operator', 'handoff')).toBeNull();
	});

	it('keeps supervisors to their segments and staff to handoffs', () => {
		expect(scopeRuleFor('supervisor', 'review')).toBe('teamSegments');
		expect(scopeRuleFor('supervisor', 'outbound')).toBeNull();
		expect(scopeRuleFor('staff', 'handoff')).toBe('handedOff');
		expect(scopeRuleFor('staff', 'review')).toBe('handedOff');
		expect(scopeRuleFor('staff', 'outbound')).toBeNull();
	});

	it('opens nothing for roles without household.read', () => {
		for (const r of roles) if (!can(r, 'household.read')) for (const reason of readReasons) expect(scopeRuleFor(r, reason), `${r} ${reason}`).toBeNull();
	});

	it('asks for a note on inbound lookups and logs only its hash with the reason', () => {
		expect(reasonNeedsNote('inbound')).toBe(true);
		expect(reasonNeedsNote('outbound')).toBe(false);
		// SHA-256 of the UTF-8 of '本人から折り返し' (the server computes it; the note itself never enters the log)
		const digest = createHash('sha256').update('本人から折り返し', 'utf8').digest('hex');
		expect(accessLogReason('inbound', digest)).toBe(`inbound (note sha256:${digest})`);
		expect(accessLogReason('inbound', digest)).not.toContain('本人');
		expect(accessLogReason('outbound', digest)).toBe('outbound');
		expect(accessLogReason('inbound', null)).toBe('inbound');
		// a note passed by mistake instead of its hash is refused, not logged
		expect(() => accessLogReason('inbound', '本人から折り返し')).toThrow(TypeError);
		expect(() => accessLogReason('inbound', digest.toUpperCase())).toThrow(TypeError);
	});
});

describe('docs/field-policy.md', () => {
	const path = new URL('../../../docs/field-policy.md', import.meta.url);
	const sections = {
		'field policy': fieldPolicyMarkdown(),
		'access scope': accessScopeMarkdown(roles)
	};

	/** The text between `<!-- generated: NAME -->` and `<!-- end generated: NAME -->`. */
	function replaceSection(doc: string, name: string, body: string): string {
		const start = `<!-- generated: ${name} -->`;
		const end = `<!-- end generated: ${name} -->`;
		const i = doc.indexOf(start);
		const j = doc.indexOf(end);
		if (i < 0 || j < i) throw new Error(`docs/field-policy.md has no "${start}" … "${end}" section`);
		return doc.slice(0, i + start.length) + '\n' + body + '\n' + doc.slice(j);
	}

	it('shows the policy and the scope exactly as the code has them (UPDATE_DOCS=1 rewrites them)', () => {
		const doc = readFileSync(path, 'utf8');
		let want = doc;
		for (const [name, body] of Object.entries(sections)) want = replaceSection(want, name, body);
		if (process.env.UPDATE_DOCS === '1' && want !== doc) writeFileSync(path, want);
		else expect(doc).toBe(want);
	});
});

describe('fieldGroupLabel', () => {
	it('names each group in the user’s language, never the internal key', () => {
		expect(fieldGroupLabel('identity', 'ja')).toBe('国保記号番号');
		expect(fieldGroupLabel('bankTransfer', 'ja')).toBe('口座振替');
		expect(fieldGroupLabel('phones', 'en')).toBe('Phones');
		expect(fieldGroupLabel('members', 'en')).toBe('Members');
		for (const g of fieldGroups) {
			expect(fieldGroupLabel(g, 'ja')).not.toMatch(/[A-Za-z]{3}/);
			expect(fieldGroupLabel(g, 'en')).not.toBe(g);
		}
		expect(fieldGroupLabel('retiredGroup', 'ja')).toBe('retiredGroup');
	});
});
