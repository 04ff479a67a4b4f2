import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { buildCertificate } from '../../domain/erasure.ts';
import { certificateJson, certificatePdf, FONT_CANDIDATES, FontMissingError, resolvePdfFont, verifyCertificateJson } from './certificate.ts';

const cert = buildCertificate({
	erasureId: 3,
	kind: 'contract_end',
	ward: null,
	contract: null,
	by: { loginId: 'admin01', displayName: '山本 システム管理', role: 'admin', via: 'cli' },
	startedAt: new Date('2026-04-01T01:00:00Z'),
	finishedAt: new Date('2026-04-01T01:00:01Z'),
	certifiedAt: new Date('2026-04-01T01:00:02Z'),
	counts: { households: 2, calls: 3 },
	importErrorsCleared: 0,
	files: null,
	retained: { accessLog: 10, users: 2, imports: 1, exports: 0 },
	statistics: { stats_calls: 5 },
	accessLog: { entryId: 9, entryChainSeq: 9, headChainSeq: 10, headHash: 'cd'.repeat(32), verified: { ok: true, rows: 10, problem: null } }
});

describe('the certificate as JSON', () => {
	it('carries the SHA-256 of the compact JSON of its certificate member', () => {
		const { text, sha256 } = certificateJson(cert);
		const file = JSON.parse(text);
		expect(file.format).toBe('kansho.erasure-certificate.v1');
		expect(file.sha256).toBe(sha256);
		expect(sha256).toBe(createHash('sha256').update(JSON.stringify(file.certificate)).digest('hex'));
		expect(verifyCertificateJson(text)).toBe(true);
	});
	it('no longer verifies once a count is changed', () => {
		const file = JSON.parse(certificateJson(cert).text);
		file.certificate.erased[0].rows = 1;
		expect(verifyCertificateJson(JSON.stringify(file))).toBe(false);
		expect(verifyCertificateJson('not json')).toBe(false);
	});
});

describe('the Japanese font', () => {
	it('says what to install when no font is found, or names the bad PDF_FONT_PATH', () => {
		expect(() => resolvePdfFont('/no/such/font.ttf')).toThrow(FontMissingError);
		expect(() => resolvePdfFont('/no/such/font.ttf')).toThrow(/PDF_FONT_PATH: no such file/);
		const ttc = path.join(os.tmpdir(), `kansho-font-test-${process.pid}.ttc`);
		fs.writeFileSync(ttc, '');
		try {
			expect(() => resolvePdfFont(ttc)).toThrow(/font collection: add the face/);
		} finally {
			fs.rmSync(ttc, { force: true });
		}
	});
});

const systemFont = FONT_CANDIDATES.find((f) => fs.existsSync(f.path));

describe.skipIf(!systemFont)('the certificate as PDF (needs a Japanese system font, e.g. fonts-noto-cjk)', () => {
	it('is an A4 PDF with the title and its certificate SHA-256 in its metadata', async () => {
		const { sha256 } = certificateJson(cert);
		const pdf = await certificatePdf(cert, sha256, systemFont!);
		expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
		const text = pdf.toString('latin1');
		expect(text).toContain('/MediaBox [0 0 595.28 841.89]');
		expect(text).toContain(`sha256:${sha256}`); // Keywords, written as plain ASCII
		expect(text).toMatch(/\/FontFile3|\/FontFile2/); // the font is embedded (as a subset)
		expect(pdf.length).toBeLessThan(500_000);
	});
});
