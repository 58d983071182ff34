import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { once } from 'node:events';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { TABLE_NAMES } from '../../lib/dataset/columns';
import type { PartRef, PartSource } from './zip-parts';

/**
 * The rows of the last dataset written, kept beside the ingest cache so a run
 * that adds or changes a few reports rebuilds only their agencies' rows: an
 * agency whose reports, sources, origins and overrides are all as before gets
 * its CSV lines copied from here, not built again.
 *
 * The store is the CSV files the runs wrote, one chunk per Parquet part (the
 * writer's sink of that part: `chunk-<tag>/<table>.csv`, in dataset order),
 * plus an index of where each agency's lines are, by a key of everything they
 * are built from, and which Parquet part of the dataset holds them
 * (ParquetPart); and where each of the CSV zip's deflated parts (zip-parts.ts)
 * is in the zip the last run wrote, by a key of their agencies' keys, with that
 * zip's name, size and time. A chunk is never written again: a run moves in the
 * chunks of the parts it writes and names the chunks of the parts it keeps, so
 * it copies no line of a kept part (the store of a +1% run grows by that 1%),
 * and a chunk whose part is gone is removed with it. Replacing the index is
 * the commit, and a chunk no index names is removed. A store that cannot be
 * read or saved costs time (the rows are built again), never the run, and is
 * reported.
 */

/** Bump when the index layout changes. 2: the CSV zip's deflated parts (zip-parts.ts) beside the lines. 3: chunks, Parquet parts. 4: chunks kept across runs, zip parts in the zip. */
const FORMAT = 4;
const T = TABLE_NAMES.length;

/** Where an agency's lines are: per table its row count, byte offset, byte length and CRC-32; its clean reports; its cross-year messages. */
export interface Segment {
	/** Which chunk of the store (or sink of the writer) holds the lines. */
	chunk: number;
	clean: number;
	rows: number[];
	at: number[];
	lengths: number[];
	/** CRC-32 of the lines, per table (zip-parts.ts). */
	crc: number[];
	across: string[];
}

/** A Parquet part of the dataset as the last run wrote it: its id, how many agencies and reports it holds, its rows and bytes per table. */
export interface ParquetPart {
	id: string;
	agencies: number;
	reports: number;
	rows: number[];
	bytes: number[];
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function closeAll(fds: number[] | null): void {
	for (const fd of fds ?? []) {
		try {
			closeSync(fd);
		} catch {
			// Already unusable.
		}
	}
}

/** A chunk's folder (one Parquet part's lines) in the store. */
const CHUNK = /^chunk-[0-9a-f]{8}$/;
/** What the store's folder may hold besides the index: anything else of these names that the index does not name is left over. */
const STORED = /^(chunk|store)-[0-9a-f]{8}$/;

/** The CSV zip a run wrote: its name in the dataset folder, size and modification time (another file is not the one the parts are in). */
export interface ZipFile {
	file: string;
	bytes: number;
	mtimeMs: number;
}

export class RowStore {
	/** key → [clean, rows × T, at × T, lengths × T, crc × T, chunk, Parquet part (-1: none)] */
	private readonly index = new Map<string, Float64Array>();
	private readonly pqParts: ParquetPart[] = [];
	private nextPq: ParquetPart[] = [];
	private readonly across = new Map<string, string[]>();
	/** The CSV zip's parts: part key → [crc × T, size × T, at × T, length × T] in the zip `zip`. */
	private readonly partIndex = new Map<string, Float64Array>();
	private zip: ZipFile | null = null;
	private nextZip: ZipFile | null = null;
	/** The chunks the index names, by number, and per chunk its files by table (null: not open). */
	private chunks: string[] = [];
	private fds: (number[] | null)[] = [];
	/** The next store's index, written as the dataset is. */
	private readonly next: string[] = [];
	private readonly nextParts: string[] = [];
	/** The next index's chunks, in order: a chunk of this store kept as it is (by number) or a sink of the rows being written. */
	private readonly nextChunks: ({ kept: number } | { sink: number })[] = [];
	private readonly nextChunkOf = new Map<string, number>();

	private constructor(
		private readonly dir: string,
		private readonly version: string,
		private readonly warn: (s: string) => void
	) {}

	/** The store in `dir` made by rows code `version`; empty when there is none (or it cannot be read: reported). */
	static async open(dir: string, version: string, warn: (s: string) => void): Promise<RowStore> {
		const store = new RowStore(dir, version, warn);
		await store.load();
		return store;
	}

	private get indexPath(): string {
		return join(this.dir, 'rows-index.jsonl');
	}

	private async load(): Promise<void> {
		let zip: ZipFile | null = null;
		let chunks: string[] = [];
		let broken = 0;
		try {
			const lines = createInterface({ input: createReadStream(this.indexPath, 'utf8'), crlfDelay: Infinity });
			let first = true;
			for await (const line of lines) {
				if (!line) continue;
				if (first) {
					first = false;
					const head = JSON.parse(line) as { format: number; version: string; chunks: string[]; zip?: ZipFile };
					if (head.format !== FORMAT || head.version !== this.version || !Array.isArray(head.chunks) || !head.chunks.every((c) => CHUNK.test(c))) break;
					chunks = head.chunks;
					const z = head.zip;
					zip = z && /^dataset-[0-9a-f]+\.csv\.zip$/.test(z.file) && Number.isFinite(z.bytes) && Number.isFinite(z.mtimeMs) ? z : null;
					continue;
				}
				try {
					const parsed = JSON.parse(line) as [string, number[], string[] | undefined] | { part: string; v: number[] } | ParquetPart;
					if ('agencies' in parsed) {
						if (typeof parsed.id !== 'string' || parsed.rows?.length !== T || parsed.bytes?.length !== T) throw new Error('parquet part');
						this.pqParts.push(parsed);
						continue;
					}
					if (!Array.isArray(parsed)) {
						if (typeof parsed.part !== 'string' || parsed.v?.length !== 4 * T) throw new Error('part');
						this.partIndex.set(parsed.part, Float64Array.from(parsed.v));
						continue;
					}
					const [key, numbers, across] = parsed;
					if (numbers.length !== 3 + 4 * T || !(numbers[1 + 4 * T] < chunks.length)) throw new Error('length');
					this.index.set(key, Float64Array.from(numbers));
					if (across?.length) this.across.set(key, across);
				} catch {
					broken++;
				}
			}
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
				this.warn(`ingest: 数据行存储的索引无法读取，所有机关的数据行重新生成（${message(e)}） (row store unreadable)`);
			this.index.clear();
			this.across.clear();
			this.partIndex.clear();
			this.pqParts.length = 0;
		}
		if (broken) this.warn(`ingest: 数据行存储的索引有 ${broken} 行损坏，这些机关的数据行重新生成 (broken row store lines)`);
		if (this.index.size) {
			this.chunks = chunks;
			// A chunk that cannot be opened loses its agencies' entries, not the others'.
			let unavailable = '';
			this.fds = chunks.map((chunk) => {
				const fds: number[] = [];
				try {
					for (const t of TABLE_NAMES) fds.push(openSync(join(this.dir, chunk, `${t}.csv`), 'r'));
					return fds;
				} catch (e) {
					closeAll(fds);
					unavailable ||= message(e);
					return null;
				}
			});
			if (unavailable) this.warn(`ingest: 数据行存储的部分文件无法打开，其中机关的数据行重新生成（${unavailable}） (row store chunk unavailable)`);
			// An index entry past a file's end (a store cut short), or in a chunk that cannot be read, is dropped, never read.
			const sizes = this.fds.map((fds) => fds?.map((fd) => fstatSync(fd).size) ?? null);
			let lost = 0;
			for (const [key, v] of this.index) {
				const size = sizes[v[1 + 4 * T]];
				for (let t = 0; t < T; t++)
					if (!size || v[1 + T + t] + v[1 + 2 * T + t] > size[t]) {
						this.index.delete(key);
						if (size) lost++;
						break;
					}
			}
			if (lost) this.warn(`ingest: 数据行存储中 ${lost} 个机关的数据行已丢失，重新生成 (row store entries lost)`);
		} else {
			this.index.clear();
			this.pqParts.length = 0;
		}
		if (zip && this.partIndex.size) this.zip = zip;
		else this.partIndex.clear();
		await this.removeOrphans(new Set(this.chunks));
	}

	/**
	 * The last run's CSV zip parts, when its zip is still in `out` as it was
	 * written (same name, size and time): null when there are none, and said
	 * when they are lost (every part is then deflated again).
	 */
	async zipSource(out: string): Promise<PartSource | null> {
		if (!this.zip) return null;
		const path = join(out, this.zip.file);
		const st = await stat(path).catch(() => null);
		if (!st || st.size !== this.zip.bytes || st.mtimeMs !== this.zip.mtimeMs) {
			this.warn(`ingest: 上次的 CSV 压缩包已不在或已改变，全部分段重新压缩 (last CSV zip gone or changed: every part deflated again)`);
			return null;
		}
		const index = this.partIndex;
		return {
			file: path,
			part(key: string): PartRef | undefined {
				const v = index.get(key);
				if (!v) return undefined;
				const at = (k: number) => Array.from(v.subarray(k * T, (k + 1) * T));
				return { crc: at(0), size: at(1), at: at(2), length: at(3) };
			}
		};
	}

	/** The parts of the zip just written (zip-parts.ts; `at` counted in each entry's compressed bytes, which start at `dataAt` in the zip). */
	addParts(parts: readonly [string, PartRef][], zip: ZipFile, dataAt: readonly number[]): void {
		this.nextZip = { file: zip.file, bytes: zip.bytes, mtimeMs: zip.mtimeMs };
		for (const [key, r] of parts)
			this.nextParts.push(JSON.stringify({ part: key, v: [...r.crc, ...r.size, ...r.at.map((at, t) => at + dataAt[t]), ...r.length] }));
	}

	/** What the store's folder holds that `keep` does not name: left by a run killed before its index was saved, or by an older store. */
	private async removeOrphans(keep: Set<string>): Promise<void> {
		try {
			for (const f of await readdir(this.dir)) if (STORED.test(f) && !keep.has(f)) await rm(join(this.dir, f), { recursive: true, force: true });
		} catch {
			// Nothing to clean, or it cannot be listed: the next run tries again.
		}
	}

	get size(): number {
		return this.index.size;
	}

	/** The agency's lines as last written, by its key; undefined when not there. `chunk` is this store's. */
	get(key: string): Segment | undefined {
		const v = this.index.get(key);
		if (!v) return undefined;
		return {
			chunk: v[1 + 4 * T],
			clean: v[0],
			rows: Array.from(v.subarray(1, 1 + T)),
			at: Array.from(v.subarray(1 + T, 1 + 2 * T)),
			lengths: Array.from(v.subarray(1 + 2 * T, 1 + 3 * T)),
			crc: Array.from(v.subarray(1 + 3 * T, 1 + 4 * T)),
			across: this.across.get(key) ?? []
		};
	}

	/** A segment's lines of table `t` (TABLE_NAMES index); throws when the file cannot give them (the caller builds them instead). */
	read(s: Segment, t: number): Buffer {
		const buf = Buffer.allocUnsafe(s.lengths[t]);
		const fds = this.fds[s.chunk];
		if (!fds || readSync(fds[t], buf, 0, buf.length, s.at[t]) !== buf.length) throw new Error('short read');
		return buf;
	}

	/** The Parquet parts the last run wrote or kept, as its index lists them. */
	get parquetParts(): readonly ParquetPart[] {
		return this.pqParts;
	}

	/** The Parquet part (an index into parquetParts) holding the agency `key` last run; -1 when none is known. */
	parquetPartOf(key: string): number {
		const v = this.index.get(key);
		return v ? v[2 + 4 * T] : -1;
	}

	/**
	 * The agency `key` is at `s` in Parquet part `pq` of those set next: in
	 * this store's chunk `s.chunk` (`kept`: its part is kept, and so are its
	 * lines, where they are), or in the rows being written now (sink `s.chunk`).
	 */
	add(key: string, s: Segment, pq: number, kept = false): void {
		const ref = `${kept ? 'k' : 's'}${s.chunk}`;
		let chunk = this.nextChunkOf.get(ref);
		if (chunk === undefined) {
			this.nextChunkOf.set(ref, (chunk = this.nextChunks.length));
			this.nextChunks.push(kept ? { kept: s.chunk } : { sink: s.chunk });
		}
		const numbers = [s.clean, ...s.rows, ...s.at, ...s.lengths, ...s.crc, chunk, pq];
		this.next.push(JSON.stringify(s.across.length ? [key, numbers, s.across] : [key, numbers]));
	}

	/** The Parquet parts of the dataset being written now, in the order `add` counts them. */
	setParquetParts(parts: ParquetPart[]): void {
		this.nextPq = parts;
	}

	/** A name for a new folder of the store that none has. */
	private fresh(prefix: string): string {
		for (;;) {
			const name = `${prefix}-${randomBytes(4).toString('hex')}`;
			if (!existsSync(join(this.dir, name))) return name;
		}
	}

	/**
	 * The rows just written become the store: each sink's folder (`rowsDir`,
	 * `sinks`: one `<table>.csv` each, as the index added says) moved in as a
	 * chunk beside the chunks kept, the index replaced by a rename, then the
	 * rest of `rowsDir` and whatever the index no longer names removed. A failure is reported and leaves the last store
	 * as it was (the next run builds the rows it misses).
	 */
	async commit(rowsDir: string, sinks: readonly string[]): Promise<void> {
		this.closeFiles();
		const tmp = `${this.indexPath}.tmp-${randomBytes(4).toString('hex')}`;
		const moved: string[] = [];
		let names: string[];
		try {
			await mkdir(this.dir, { recursive: true });
			names = this.nextChunks.map((c) => ('kept' in c ? this.chunks[c.kept] : this.fresh('chunk')));
			for (const [i, c] of this.nextChunks.entries()) {
				if (!('sink' in c)) continue;
				await rename(join(rowsDir, sinks[c.sink]), join(this.dir, names[i]));
				moved.push(names[i]);
			}
			const out = createWriteStream(tmp);
			const failed = once(out, 'error').then(([e]) => Promise.reject(e as Error));
			const write = async (line: string) => {
				if (!out.write(line + '\n')) await Promise.race([once(out, 'drain'), failed]);
			};
			const zip = this.nextParts.length ? this.nextZip : null;
			await write(JSON.stringify({ format: FORMAT, version: this.version, chunks: names, ...(zip ? { zip } : {}) }));
			for (const part of this.nextPq) await write(JSON.stringify(part));
			for (const line of this.next) await write(line);
			for (const line of this.nextParts) await write(line);
			out.end();
			await Promise.race([once(out, 'finish'), failed]);
			await rename(tmp, this.indexPath);
		} catch (e) {
			await rm(tmp, { force: true }).catch(() => undefined);
			for (const name of moved) await rm(join(this.dir, name), { recursive: true, force: true }).catch(() => undefined);
			this.warn(`ingest: 数据行存储无法保存，下次运行将重新生成所缺的数据行（${message(e)}）；数据集已写好 (row store not saved; the dataset is written)`);
			return;
		} finally {
			await rm(rowsDir, { recursive: true, force: true }).catch(() => undefined);
		}
		// The chunks of parts no longer in the dataset.
		await this.removeOrphans(new Set(names));
	}

	/** Nothing kept (the run wrote no dataset, or failed): the store stays as it was. */
	closeFiles(): void {
		closeAll(this.fds.flatMap((f) => f ?? []));
		this.fds = [];
	}
}
