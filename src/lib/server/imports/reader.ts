/**
 * Reading one CSV file of the ward's export as a stream: encoding detected from the first bytes (CP932 or
 * UTF-8 with or without BOM; an explicit choice wins), decoded by the WHATWG decoder (its shift_jis is Windows-31J:
 * NEC and IBM extensions, and the user area F040–F9FC as private-use 外字, which iconv-lite loses past F940),
 * tokenized by the domain's CsvTokenizer (quoted fields with commas and line breaks, the physical line where each
 * record starts), in batches of records per chunk read, with the bytes read and the file's SHA-256. Memory stays
 * flat whatever the file size.
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { detectEncoding, type Encoding } from '../../domain/import/encoding.ts';
import { CsvTokenizer, type CsvRecord } from '../../domain/import/csv.ts';

export type { CsvRecord } from '../../domain/import/csv.ts';
export { CsvSyntaxError } from '../../domain/import/csv.ts';

export interface CsvFile {
	encoding: Encoding;
	size: number;
	/** resolves when the whole file has been read */
	sha256: () => string;
	/** the records of each chunk read (blank lines left out); a syntax error is thrown as CsvSyntaxError */
	batches: AsyncGenerator<CsvRecord[]>;
	/** the line where the next (or the unfinished) record starts */
	nextLine: () => number;
}

const SAMPLE = 64 * 1024;
const CHUNK = 256 * 1024;

export function sniffEncoding(path: string): Encoding {
	const fd = fs.openSync(path, 'r');
	try {
		const buf = Buffer.alloc(SAMPLE);
		const n = fs.readSync(fd, buf, 0, SAMPLE, 0);
		return detectEncoding(buf.subarray(0, n));
	} finally {
		fs.closeSync(fd);
	}
}

export function openCsv(path: string, opts: { encoding?: Encoding | 'auto'; onBytes?: (bytes: number) => void } = {}): CsvFile {
	const size = fs.statSync(path).size;
	const encoding = !opts.encoding || opts.encoding === 'auto' ? sniffEncoding(path) : opts.encoding;
	const hash = createHash('sha256');
	const tokenizer = new CsvTokenizer();
	let digest: string | null = null;

	async function* batches(): AsyncGenerator<CsvRecord[]> {
		const source = fs.createReadStream(path, { highWaterMark: CHUNK });
		const td = new TextDecoder(encoding === 'cp932' ? 'shift_jis' : 'utf-8', { ignoreBOM: false });
		let read = 0;
		try {
			for await (const raw of source) {
				let chunk = raw as Buffer;
				hash.update(chunk);
				// a UTF-8 BOM written in front of CP932 text (some tools do) is not part of the first header
				if (read === 0 && encoding === 'cp932' && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
				read += (raw as Buffer).length;
				opts.onBytes?.(read);
				const out: CsvRecord[] = [];
				tokenizer.push(td.decode(chunk, { stream: true }), out);
				const kept = withoutBlankLines(out);
				if (kept.length) yield kept;
			}
			const out: CsvRecord[] = [];
			tokenizer.push(td.decode(), out);
			tokenizer.end(out);
			digest = hash.digest('hex');
			const kept = withoutBlankLines(out);
			if (kept.length) yield kept;
		} finally {
			// stopped early (a refused header, an error): release the file
			source.destroy();
		}
	}

	return {
		encoding,
		size,
		sha256: () => {
			if (digest === null) throw new Error('the file has not been read to its end');
			return digest;
		},
		batches: batches(),
		nextLine: () => tokenizer.nextLine
	};
}

/** A blank physical line is no record. */
function withoutBlankLines(records: CsvRecord[]): CsvRecord[] {
	let blank = 0;
	for (const r of records) if (r.fields.length === 1 && r.fields[0].trim() === '') blank++;
	return blank === 0 ? records : records.filter((r) => !(r.fields.length === 1 && r.fields[0].trim() === ''));
}

/** SHA-256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
	const h = createHash('sha256');
	for await (const chunk of fs.createReadStream(path)) h.update(chunk as Buffer);
	return h.digest('hex');
}
