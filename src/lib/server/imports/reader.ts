/**
 * Reading one CSV file of the ward's export as a stream: encoding detected from the first bytes (CP932 or
 * UTF-8 with or without BOM; an explicit choice wins), decoded by the WHATWG decoder (its shift_jis is Windows-31J:
 * NEC and IBM extensions, and the user area F040–F9FC as private-use 外字, which iconv-lite loses past F940), parsed by csv-parse (quoted
 * fields with commas and line breaks), with the physical line where each record starts, bytes read, and the
 * file's SHA-256. Memory stays flat whatever the file size.
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import { detectEncoding, type Encoding } from '../../domain/import/encoding.ts';

export interface CsvRecord {
	/** physical line (1 = the header) where the record starts */
	line: number;
	fields: string[];
}

export interface CsvFile {
	encoding: Encoding;
	size: number;
	/** resolves when the whole file has been read */
	sha256: () => string;
	records: AsyncGenerator<CsvRecord>;
	/** the line where the next (or the unfinished) record starts */
	nextLine: () => number;
}

const SAMPLE = 64 * 1024;

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

function lineBreaks(s: string): number {
	let n = 0;
	for (let i = 0; i < s.length; i++) {
		const ch = s.charCodeAt(i);
		if (ch === 10) n++;
		else if (ch === 13) {
			n++;
			if (s.charCodeAt(i + 1) === 10) i++;
		}
	}
	return n;
}

export function openCsv(path: string, opts: { encoding?: Encoding | 'auto'; onBytes?: (bytes: number) => void } = {}): CsvFile {
	const size = fs.statSync(path).size;
	const encoding = !opts.encoding || opts.encoding === 'auto' ? sniffEncoding(path) : opts.encoding;
	const hash = createHash('sha256');
	let read = 0;
	let digest: string | null = null;
	const tap = new Transform({
		transform(chunk: Buffer, _enc, done) {
			hash.update(chunk);
			read += chunk.length;
			opts.onBytes?.(read);
			done(null, chunk);
		},
		flush(done) {
			digest = hash.digest('hex');
			done();
		}
	});
	const parser = parse({
		bom: true,
		relax_column_count: true, // the import checks field counts itself, with a reason a clerk understands
		relax_quotes: false,
		skip_empty_lines: false,
		record_delimiter: ['\r\n', '\n', '\r'],
		max_record_size: 1024 * 1024 // an unclosed quote must not swallow the rest of a large file
	});
	const source = fs.createReadStream(path, { highWaterMark: 256 * 1024 });
	// errors of any stage surface in the parser's iteration
	source.on('error', (e) => parser.destroy(e));
	tap.on('error', (e) => parser.destroy(e));
	const decoder = decodeStream(encoding);
	decoder.on('error', (e: Error) => parser.destroy(e));
	source.pipe(tap).pipe(decoder).pipe(parser);

	let line = 1;
	async function* records(): AsyncGenerator<CsvRecord> {
		try {
			yield* iterate();
		} finally {
			// stopped early (a refused header, an error): release the file
			source.destroy();
		}
	}
	async function* iterate(): AsyncGenerator<CsvRecord> {
		for await (const fields of parser as AsyncIterable<string[]>) {
			const start = line;
			let breaks = 0;
			for (const f of fields) breaks += lineBreaks(f);
			line = start + 1 + breaks;
			// a blank physical line is no record
			if (fields.length === 1 && fields[0].trim() === '') continue;
			yield { line: start, fields };
		}
	}

	return {
		encoding,
		size,
		sha256: () => {
			if (digest === null) throw new Error('the file has not been read to its end');
			return digest;
		},
		records: records(),
		nextLine: () => line
	};
}

/** Bytes → text, keeping a multi-byte character that a chunk boundary splits. */
function decodeStream(encoding: Encoding): Transform {
	const td = new TextDecoder(encoding === 'cp932' ? 'shift_jis' : 'utf-8', { ignoreBOM: false });
	let first = true;
	return new Transform({
		readableObjectMode: false,
		transform(chunk: Buffer, _enc, done) {
			// a UTF-8 BOM written in front of CP932 text (some tools do) is not part of the first header
			if (first && encoding === 'cp932' && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
			first = false;
			done(null, td.decode(chunk, { stream: true }));
		},
		flush(done) {
			const rest = td.decode();
			done(null, rest === '' ? undefined : rest);
		}
	});
}

/** SHA-256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
	const h = createHash('sha256');
	for await (const chunk of fs.createReadStream(path)) h.update(chunk as Buffer);
	return h.digest('hex');
}
