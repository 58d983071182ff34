import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { constants } from 'node:zlib';
import { TABLES, TABLE_NAMES } from '../../lib/dataset/columns';
import { DEFLATE_LEVEL, crc32, crc32Combine, type Piece } from './zip';

/**
 * The CSV zip's entries compressed in parts, so a run that changes a few
 * agencies deflates only the parts that hold them and copies the others'
 * compressed bytes from the last run (deflate over the whole CSV was the
 * largest cost of rewriting the dataset).
 *
 * A part is a run of whole agencies, in dataset order. Each part of each
 * table is deflated on its own (a fresh stream: nothing refers back into
 * another part) and ended by a sync flush, which leaves it byte-aligned and
 * not final; parts laid end to end, then one empty final block (zip.ts),
 * are one valid deflate stream. The entry's CRC-32 is combined from the
 * parts' CRCs, never computed over the whole again.
 *
 * Where parts end is decided by the agencies themselves (a part ends after
 * an agency whose id hashes to 0 modulo PART_SPAN), not by sizes or counts,
 * so a new agency changes only the part it falls in: the parts around it
 * keep their members and are reused. The compressed parts are read from the
 * last run's zip itself, where the row store (row-store.ts) records them
 * under a key of their agencies' row keys: a reused part is copied once, from
 * that zip into the new one, and only new parts are written apart first.
 */

/** Agencies per part, on average. 1% of new agencies spread at random touch about 1 - 0.99^8 ≈ 8% of the parts. */
const PART_SPAN = 8;
/** Uncompressed bytes waiting for deflate before the caller waits: bounds memory. */
const PENDING_BYTES = 64 << 20;

/** Where one part is, per table (TABLE_NAMES order): CRC-32 and length of its CSV, offset and length of its deflated bytes (in its entry's compressed bytes while the zip is made; in the zip once written). */
export interface PartRef {
	crc: number[];
	size: number[];
	at: number[];
	length: number[];
}

/** What parts come from: the last run's zip (`file`) and where the row store says each part is in it. */
export interface PartSource {
	file: string;
	part(key: string): PartRef | undefined;
}

/** An agency's lines per table, or a function that reads them. */
export type Lines = readonly Uint8Array[] | (() => Promise<readonly Uint8Array[]>);

/** One table's zip entry: its compressed bytes (no final block yet) as pieces of files, the CSV's CRC-32 and length. */
export interface DeflatedEntry {
	file: string;
	crc: number;
	size: number;
	pieces: Piece[];
}

/** A sync flush ends the part byte-aligned and not final, with no reference into another part. */
const SQUEEZE = { level: DEFLATE_LEVEL, finishFlush: constants.Z_SYNC_FLUSH };

/**
 * Parts deflated one after another on one thread of their own, by zlib's
 * synchronous call: the asynchronous one (a stream and a hop to libuv's pool
 * per call) cost about 2.3 times the CPU for the same bytes on parts of this
 * size, and on the main thread the synchronous one would hold up the rows.
 */
class Deflater {
	private readonly worker = new Worker(new URL('./deflate-worker.mjs', import.meta.url));
	private readonly waiting = new Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void }>();
	private next = 0;
	private failure: Error | null = null;

	constructor() {
		const fail = (e: Error) => {
			this.failure ??= e;
			for (const w of this.waiting.values()) w.reject(this.failure);
			this.waiting.clear();
			this.worker.unref();
		};
		this.worker.on('message', (m: { id: number; bytes?: Uint8Array; error?: string }) => {
			const w = this.waiting.get(m.id);
			if (!w) return;
			this.waiting.delete(m.id);
			if (this.waiting.size === 0) this.worker.unref();
			if (m.bytes) w.resolve(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength));
			else w.reject(new Error(`deflate: ${m.error}`));
		});
		this.worker.on('error', fail);
		this.worker.on('exit', (code) => fail(new Error(`deflate thread exited (${code})`)));
		// Idle, it must not keep the process alive; while a part is on it, it must.
		this.worker.unref();
	}

	squeeze(bytes: Uint8Array): Promise<Buffer> {
		if (this.failure) return Promise.reject(this.failure);
		// Moved, not copied: a view of a shared buffer (Node's pool, a larger entry) is copied first so nothing else is detached.
		const owned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
		const id = this.next++;
		return new Promise((resolve, reject) => {
			this.waiting.set(id, { resolve, reject });
			this.worker.ref();
			this.worker.postMessage({ id, bytes: owned, options: SQUEEZE }, [owned.buffer as ArrayBuffer]);
		});
	}

	async close(): Promise<void> {
		await this.worker.terminate();
	}
}

/** A small stable hash of an agency id (FNV-1a): where parts end. */
function endsPart(agencyId: string): boolean {
	let h = 0x811c9dc5;
	for (let i = 0; i < agencyId.length; i++) h = Math.imul(h ^ agencyId.charCodeAt(i), 0x01000193);
	return (h >>> 0) % PART_SPAN === 0;
}

/** A UTF-8 byte-order mark (spreadsheet programs then read the CSV's Chinese as UTF-8) and the header row. */
export function csvHead(t: number): Uint8Array {
	const header = TABLES[TABLE_NAMES[t]].map(([c]) => c).join(',') + '\n';
	return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(header)]);
}

export class ZipParts {
	private readonly files: { file: string; handle: FileHandle }[];
	/** Per table: the writes in order (deflate runs ahead, on zlib's threads). */
	private readonly chains: Promise<void>[] = TABLE_NAMES.map(() => Promise.resolve());
	/** Per table: bytes written to its deflate file, and the entry's compressed bytes so far as pieces (the deflate file's, the last zip's). */
	private readonly written: number[] = TABLE_NAMES.map(() => 0);
	private readonly pieces: Piece[][] = TABLE_NAMES.map(() => []);
	private readonly stream: number[] = TABLE_NAMES.map(() => 0);
	private readonly crc: number[] = TABLE_NAMES.map(() => 0);
	private readonly size: number[] = TABLE_NAMES.map(() => 0);
	private keys: string[] = [];
	/** The current part's agencies' lines: each agency's, or how to read them (needed only if the part is deflated). */
	private lines: Lines[] = [];
	/** The current part's CRC-32 per table, folded in agency by agency. */
	private partCrc: number[] = TABLE_NAMES.map(() => 0);
	private pending = 0;
	private failure: unknown = null;
	private readonly deflater = new Deflater();
	/** The parts of this run, in order: each one's key and where it is now. */
	readonly parts: [string, PartRef][] = [];
	/** Parts deflated, parts copied from the last run. */
	deflated = 0;
	copied = 0;

	private constructor(
		private readonly dir: string,
		private readonly source: PartSource | null,
		files: { file: string; handle: FileHandle }[]
	) {
		this.files = files;
	}

	/** New parts written to `<table>.deflate` in `dir`, the others taken from `source` (none: every part deflated). */
	static async open(dir: string, source: PartSource | null): Promise<ZipParts> {
		const files: { file: string; handle: FileHandle }[] = [];
		try {
			for (const t of TABLE_NAMES) {
				const file = join(dir, `${t}.deflate`);
				files.push({ file, handle: await open(file, 'w') });
			}
		} catch (e) {
			for (const f of files) await f.handle.close().catch(() => undefined);
			throw e;
		}
		const z = new ZipParts(dir, source, files);
		// The head is a part of its own, made every run (a few hundred bytes).
		const head = TABLE_NAMES.map((_, t) => csvHead(t));
		z.queue(
			head.map((h) => [h]),
			head.map((h) => crc32(h))
		);
		return z;
	}

	/**
	 * The next agency's lines (TABLE_NAMES order), in dataset order, with
	 * their CRC-32s and lengths; `key`: everything they are built from (the
	 * row store's key). `lines` may be a function that reads them: it is called
	 * only when their part is deflated, not copied.
	 */
	async add(agencyId: string, key: string, lines: Lines, crc: readonly number[], lengths: readonly number[]): Promise<void> {
		this.keys.push(key);
		this.lines.push(lines);
		for (let t = 0; t < TABLE_NAMES.length; t++) this.partCrc[t] = crc32Combine(this.partCrc[t], crc[t], lengths[t]);
		if (endsPart(agencyId)) await this.close();
	}

	/** Ends the current part: copied when the last run has it, else deflated. */
	private async close(): Promise<void> {
		if (!this.keys.length) return;
		const key = createHash('sha256').update(this.keys.join('\n')).digest('base64');
		const agencies = this.lines;
		const crc = this.partCrc;
		this.keys = [];
		this.lines = [];
		this.partCrc = TABLE_NAMES.map(() => 0);
		const ref = this.source?.part(key);
		if (ref) {
			const file = this.source!.file;
			this.copied++;
			this.parts.push([
				key,
				this.place(TABLE_NAMES.map((_, t) => ({ crc: ref.crc[t], size: ref.size[t], from: { file, at: ref.at[t], length: ref.length[t] } })))
			]);
			return;
		}
		this.deflated++;
		const lines: Uint8Array[][] = TABLE_NAMES.map(() => []);
		for (const a of agencies) (typeof a === 'function' ? await a() : a).forEach((l, t) => lines[t].push(l));
		this.parts.push([key, this.queue(lines, crc)]);
		if (this.pending > PENDING_BYTES) await Promise.all(this.chains);
		if (this.failure) throw this.failure;
	}

	/** Lines to deflate, per table, with their CRC-32s: started now, written in order. */
	private queue(lines: Uint8Array[][], crc: readonly number[]): PartRef {
		return this.place(
			lines.map((list, t) => {
				const csv = Buffer.concat(list);
				// Its length now: the bytes move to the deflate thread.
				const size = csv.length;
				this.pending += size;
				const bytes = size ? this.deflater.squeeze(csv) : Promise.resolve(Buffer.alloc(0));
				void bytes.then(
					() => (this.pending -= size),
					() => undefined
				);
				return { crc: crc[t], size, bytes };
			})
		);
	}

	/**
	 * Each table's part after the last, its CRC folded into the entry's:
	 * deflated now (`bytes`, written to the deflate file) or a piece of the
	 * last zip (`from`). The ref (where it is in the entry's compressed bytes)
	 * is filled in, in order, as the bytes are written.
	 */
	private place(parts: ({ crc: number; size: number } & ({ bytes: Promise<Buffer> } | { from: Piece }))[]): PartRef {
		const ref: PartRef = { crc: [], size: [], at: [], length: [] };
		parts.forEach((p, t) => {
			ref.crc[t] = p.crc;
			ref.size[t] = p.size;
			this.crc[t] = crc32Combine(this.crc[t], p.crc, p.size);
			this.size[t] += p.size;
			this.chains[t] = this.chains[t].then(async () => {
				let piece: Piece;
				if ('from' in p) piece = p.from;
				else {
					const bytes = await p.bytes;
					piece = { file: this.files[t].file, at: this.written[t], length: bytes.length };
					if (bytes.length) await this.files[t].handle.write(bytes);
					this.written[t] += bytes.length;
				}
				ref.at[t] = this.stream[t];
				ref.length[t] = piece.length;
				this.stream[t] += piece.length;
				// Pieces that follow each other in one file are copied as one.
				const list = this.pieces[t];
				const last = list.at(-1);
				if (last && last.file === piece.file && last.at + last.length === piece.at) last.length += piece.length;
				else if (piece.length) list.push({ ...piece });
			});
			this.chains[t].catch((e: unknown) => (this.failure ??= e));
		});
		return ref;
	}

	/** Every part written: each table's entry. Throws what failed on the way (the caller writes no zip). */
	async finish(): Promise<DeflatedEntry[]> {
		await this.close();
		try {
			await Promise.all(this.chains);
		} finally {
			await this.closeFiles();
		}
		return TABLE_NAMES.map((t, i) => ({ file: join(this.dir, `${t}.deflate`), crc: this.crc[i], size: this.size[i], pieces: this.pieces[i] }));
	}

	async closeFiles(): Promise<void> {
		await this.deflater.close().catch(() => undefined);
		for (const f of this.files) await f.handle.close().catch(() => undefined);
	}
}
