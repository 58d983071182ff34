import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Quality, Summary } from './choice';
import { DigestTable, StringTable, ensure } from './columns';
import type { EntryPart, Failure, PackedOutcome } from './read';
import { CONTEXT_BYTES } from './rows';

/**
 * The ingest cache: what each file's content parsed to, by content hash, so
 * unchanged files are not parsed again. Built for a million files:
 *
 * - the index (one JSON line per hash: the outcome's summaries, or why the file
 *   failed, and where its entries are stored) is all that is held in memory,
 *   in typed columns by slot (columns.ts), about 100 bytes a file;
 * - the entries themselves (each report's rows, rows.ts) go to an
 *   append-only store file as they arrive from the workers, and are read back
 *   one report at a time when the dataset is written;
 * - the store is rewritten (compacted) under a new name only when most of it
 *   is dead; the index names its store, and replacing the index is the commit.
 *
 * A cache that cannot be read or written costs time, never the run, and
 * never silently: every problem is reported on stderr.
 */

/** Bump when the index or store layout changes: an old cache is then ignored. */
const CACHE_FORMAT = 7; // 3: a record's entry keeps its `_source`; 4: provenance cut to what facts keeps; 5: one line per entry; 6: provenance keeps reason; 7: entries are rows (rows.ts), placed one by one

interface IndexLine {
	hash: string;
	version: string;
	/** Per entry (summary), where its bytes are in the store and how many: a worker's parts of one file may lie between another's. */
	entry: { ok: true; summaries: Summary[]; at: number[]; sizes: number[] } | Failure;
}

interface HeaderLine {
	store: string;
	version: string;
}

/** A slot's state. */
const ABSENT = 0;
const OK = 1;
const FAILED = 2;

/** Where the cache index of an output folder lives (outside it: the dataset is shipped as it is). */
export function cachePath(out: string): string {
	const key = createHash('sha256').update(resolve(out)).digest('hex').slice(0, 12);
	const base = existsSync('node_modules') ? join('node_modules', '.cache', 'nianbao') : join(dirname(resolve(out)), '.nianbao-cache');
	return join(base, `ingest-${key}.jsonl`);
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The summaries of every cached outcome, one row each, in columns: which
 * agency (a string table), year, JSON Lines line (0: none) and the four
 * quality figures choice.ts compares.
 */
export class SummaryColumns {
	readonly agencies = new StringTable();
	agency = new Uint32Array(1024);
	year = new Int32Array(1024);
	line = new Uint32Array(1024);
	quality = new Uint32Array(4096);
	/** The row's context key (rows.ts contextKey). */
	private ctx = new Uint8Array(1024 * CONTEXT_BYTES);
	size = 0;

	add(s: Summary): number {
		const i = this.size++;
		this.agency = ensure(this.agency, this.size);
		this.year = ensure(this.year, this.size);
		this.line = ensure(this.line, this.size);
		this.quality = ensure(this.quality, this.size * 4);
		this.ctx = ensure(this.ctx, this.size * CONTEXT_BYTES);
		this.ctx.set(Buffer.from(s.ctx, 'base64').subarray(0, CONTEXT_BYTES), i * CONTEXT_BYTES);
		this.agency[i] = this.agencies.id(s.agency);
		this.year[i] = s.year;
		this.line[i] = s.line ?? 0;
		const q = s.quality;
		this.quality.set([q.missingTables, q.readProblems, q.numbers, q.broken], i * 4);
		return i;
	}

	qualityOf(i: number): Quality {
		const q = this.quality;
		return { missingTables: q[i * 4], readProblems: q[i * 4 + 1], numbers: q[i * 4 + 2], broken: q[i * 4 + 3] };
	}

	ctxOf(i: number): Uint8Array {
		return this.ctx.subarray(i * CONTEXT_BYTES, (i + 1) * CONTEXT_BYTES);
	}

	/** Row `i` as the worker gave it (for the index file). */
	get(i: number): Summary {
		const line = this.line[i];
		return {
			agency: this.agencies.at(this.agency[i]),
			year: this.year[i],
			...(line ? { line } : {}),
			quality: this.qualityOf(i),
			ctx: Buffer.from(this.ctxOf(i)).toString('base64')
		};
	}
}

const isCount = (n: unknown) => Number.isInteger(n) && (n as number) >= 0;

/** An index entry places each of its entries (a position and a size each) and keys each one's context. */
function entryFits(entry: IndexLine['entry']): boolean {
	if (!entry.ok) return typeof entry.reason === 'string';
	const { at, sizes, summaries } = entry;
	return (
		Array.isArray(summaries) &&
		Array.isArray(at) &&
		Array.isArray(sizes) &&
		at.length === summaries.length &&
		sizes.length === summaries.length &&
		at.every(isCount) &&
		sizes.every(isCount) &&
		summaries.every((x) => typeof x?.ctx === 'string' && Buffer.from(x.ctx, 'base64').length === CONTEXT_BYTES)
	);
}

/** Entries of a task received so far, placed in the store (or held in memory, by index, when it cannot be written); `broken`: why they cannot be used. */
interface Staged {
	at: number[];
	sizes: number[];
	held: Map<number, Buffer>;
	broken?: string;
}

export class OutcomeCache {
	/** Content hash → slot; the slot's outcome is in the columns below. */
	private readonly digests = new DigestTable();
	private state = new Uint8Array(1024);
	/** The slot's summaries: rows first … first + count - 1 of `summaries`. */
	private first = new Uint32Array(1024);
	private count = new Uint32Array(1024);
	/** By summary row: where its entry is in the store (-1: held in memory) and how long. */
	private rowAt = new Float64Array(1024);
	private rowLength = new Uint32Array(1024);
	private readonly reasons = new Map<number, string>();
	readonly summaries = new SummaryColumns();
	/** Entries that could not be stored (a full disk), by summary row: kept in memory for this run. */
	private readonly held = new Map<number, Buffer>();
	/** Entries of tasks not yet answered, by task. */
	private readonly staged = new Map<number, Staged>();
	private fd: number | null = null;
	private storeName = '';
	private size = 0;
	private dirty = false;
	private readonly version: string;

	/** `codeVersion`: the code the entries are made by (parser and rows); a cache of other code is ignored. */
	constructor(
		readonly path: string,
		codeVersion: string,
		private readonly warn: (s: string) => void
	) {
		this.version = `${CACHE_FORMAT}:${codeVersion}`;
	}

	/** Slots: every content hash seen, cached or not. */
	get slots(): number {
		return this.digests.size;
	}

	/** `expected`: a dataset was written before, so a missing cache is news (every file parses again), not a first run. */
	async load(expected = false): Promise<void> {
		let broken = 0;
		let store = '';
		try {
			const lines = createInterface({ input: createReadStream(this.path, 'utf8'), crlfDelay: Infinity });
			for await (const line of lines) {
				if (!line) continue;
				try {
					const parsed = JSON.parse(line) as IndexLine | HeaderLine;
					if (parsed.version !== this.version) continue;
					if ('store' in parsed) store = parsed.store;
					else if (/^[0-9a-f]{64}$/.test(parsed.hash) && entryFits(parsed.entry)) this.set(this.digests.add(Buffer.from(parsed.hash, 'hex')), parsed.entry);
					else broken++;
				} catch {
					broken++;
				}
			}
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.warn(`ingest: 缓存 ${this.path} 无法读取，全部文件重新解析（${message(e)}） (cache unreadable)`);
			else if (expected)
				this.warn(`ingest: 找不到缓存 ${this.path}（输出目录已有数据集），全部文件重新解析 (no cache for an existing dataset: every file is parsed)`);
			this.state.fill(ABSENT);
		}
		if (broken) this.warn(`ingest: 缓存 ${this.path} 有 ${broken} 行损坏，这些文件重新解析 (broken cache lines)`);
		await this.openStore(store);
		await this.removeOrphans();
	}

	private set(slot: number, entry: IndexLine['entry']): void {
		this.state = ensure(this.state, slot + 1);
		this.first = ensure(this.first, slot + 1);
		this.count = ensure(this.count, slot + 1);
		if (!entry.ok) {
			this.state[slot] = FAILED;
			this.reasons.set(slot, entry.reason);
			return;
		}
		this.reasons.delete(slot);
		this.state[slot] = OK;
		this.first[slot] = this.summaries.size;
		this.count[slot] = entry.summaries.length;
		entry.summaries.forEach((s, k) => {
			const row = this.summaries.add(s);
			this.rowAt = ensure(this.rowAt, row + 1);
			this.rowLength = ensure(this.rowLength, row + 1);
			this.rowAt[row] = entry.at[k];
			this.rowLength[row] = entry.sizes[k];
		});
	}

	/** The store the index names, or a new one; index entries past its end are dropped (a store lost or cut short). */
	private async openStore(store: string): Promise<void> {
		try {
			await mkdir(dirname(this.path), { recursive: true });
			const name = store && existsSync(join(dirname(this.path), store)) ? store : this.newStoreName();
			this.fd = openSync(join(dirname(this.path), name), 'a+');
			this.storeName = name;
			this.size = fstatSync(this.fd).size;
		} catch (e) {
			this.fd = null;
			this.warn(`ingest: 缓存存储无法打开，本次解析结果只保存在内存中（${message(e)}） (cache store unavailable)`);
		}
		const storeKept = this.fd !== null && store !== '' && store === this.storeName;
		let lost = 0;
		for (let slot = 0; slot < this.digests.size; slot++) {
			if (this.state[slot] !== OK) continue;
			let whole = storeKept;
			for (let row = this.first[slot]; whole && row < this.first[slot] + this.count[slot]; row++) whole = this.rowAt[row] + this.rowLength[row] <= this.size;
			if (!whole) {
				this.state[slot] = ABSENT;
				lost++;
			}
		}
		if (lost) {
			this.dirty = true;
			this.warn(`ingest: 缓存中 ${lost} 个解析结果已丢失，这些文件重新解析 (cache entries lost)`);
		}
	}

	private newStoreName(): string {
		return `${basename(this.path, '.jsonl')}-${randomBytes(4).toString('hex')}.outcomes`;
	}

	/** Stores no index names any more: left by a run killed while compacting. */
	private async removeOrphans(): Promise<void> {
		const prefix = `${basename(this.path, '.jsonl')}-`;
		try {
			for (const f of await readdir(dirname(this.path)))
				if (f.startsWith(prefix) && f.endsWith('.outcomes') && f !== this.storeName) await rm(join(dirname(this.path), f), { force: true });
		} catch {
			// Nothing to clean, or it cannot be listed: the next run tries again.
		}
	}

	/** The slot of a content hash (32 bytes), added when new; `has` says whether it holds an outcome. */
	slot(digest: Uint8Array): number {
		const slot = this.digests.add(digest);
		this.state = ensure(this.state, slot + 1);
		return slot;
	}

	has(slot: number): boolean {
		return this.state[slot] !== ABSENT;
	}

	/** Why the file failed, or undefined when it parsed. */
	failure(slot: number): string | undefined {
		return this.state[slot] === FAILED ? this.reasons.get(slot) : undefined;
	}

	/** The slot's summary rows: first, count. */
	rows(slot: number): [number, number] {
		return this.state[slot] === OK ? [this.first[slot], this.count[slot]] : [0, 0];
	}

	hex(slot: number): string {
		return this.digests.hex(slot);
	}

	/** Task `task` is (re)started: entries a worker sent for it before are void. */
	unstage(task: number): void {
		this.staged.delete(task);
	}

	/** Entries a worker sent ahead of task `task`'s answer → the store, as they arrive (nothing of a big file waits in memory). */
	stage(task: number, part: EntryPart): void {
		let s = this.staged.get(task);
		if (!s) this.staged.set(task, (s = { at: [], sizes: [], held: new Map() }));
		if (s.broken) return;
		const bytes = Buffer.from(part.bytes.buffer, part.bytes.byteOffset, part.bytes.length);
		// A worker's part out of step with itself is a bug: that file fails with the reason, the run goes on.
		if (!Array.isArray(part.sizes) || !part.sizes.every(isCount) || part.sizes.reduce((a, n) => a + n, 0) !== bytes.length) {
			s.broken = `解析线程的结果有误：各条记录的长度与数据不符 (parser worker answer inconsistent)`;
			return;
		}
		let at = -1;
		if (this.fd !== null) {
			try {
				writeSync(this.fd, bytes);
				at = this.size;
				this.size += bytes.length;
			} catch (e) {
				this.warn(`ingest: 缓存存储写入失败，之后的解析结果只保存在内存中（${message(e)}） (cache store write failed)`);
				this.closeStore();
			}
		}
		let rel = 0;
		for (const n of part.sizes) {
			if (at < 0) s.held.set(s.at.length, bytes.subarray(rel, rel + n));
			s.at.push(at < 0 ? -1 : at + rel);
			s.sizes.push(n);
			rel += n;
		}
	}

	/** Task `task`'s answer for `slot` → the index (its summaries, and where the entries staged for it are). */
	put(slot: number, outcome: PackedOutcome, task: number): void {
		this.dirty = true;
		const staged = this.staged.get(task) ?? { at: [], sizes: [], held: new Map<number, Buffer>() };
		this.staged.delete(task);
		if (!outcome.ok) {
			this.set(slot, outcome);
			return;
		}
		if (staged.broken || staged.at.length !== outcome.summaries.length) {
			this.set(slot, {
				ok: false,
				reason: staged.broken ?? `解析线程的结果有误：${staged.at.length} 条记录，${outcome.summaries.length} 条摘要 (parser worker answer inconsistent)`
			});
			return;
		}
		this.set(slot, { ok: true, summaries: outcome.summaries, at: staged.at, sizes: staged.sizes });
		for (const [k, bytes] of staged.held) this.held.set(this.first[slot] + k, bytes);
	}

	/** The entry (rows.ts) of summary row `row` of `slot`, as stored; undefined when the store cannot give it back. */
	readEntry(slot: number, row: number): Buffer | undefined {
		if (this.state[slot] !== OK || row < this.first[slot] || row >= this.first[slot] + this.count[slot]) return undefined;
		const length = this.rowLength[row];
		try {
			const held = this.held.get(row);
			if (held !== undefined) return held;
			if (this.fd === null || this.rowAt[row] < 0) return undefined;
			const buf = Buffer.allocUnsafe(length);
			if (readSync(this.fd, buf, 0, length, this.rowAt[row]) !== length) return undefined;
			return buf;
		} catch {
			return undefined;
		}
	}

	private closeStore(): void {
		if (this.fd === null) return;
		try {
			closeSync(this.fd);
		} catch {
			// Already unusable.
		}
		this.fd = null;
	}

	/** Whether every entry of `slot` is in the store (not only in memory). */
	private stored(slot: number): boolean {
		for (let row = this.first[slot]; row < this.first[slot] + this.count[slot]; row++) if (this.rowAt[row] < 0) return false;
		return true;
	}

	/**
	 * Writes the index of the slots `keep` marks (the files read this run),
	 * after compacting the store if most of it is dead. The new index replaces
	 * the old by a rename: a killed run leaves the previous cache whole.
	 */
	async save(keep: Uint8Array): Promise<void> {
		const kept = (slot: number) => slot < keep.length && keep[slot] === 1;
		let stale = false;
		for (let slot = 0; slot < this.digests.size && !stale; slot++) stale = this.state[slot] !== ABSENT && !kept(slot);
		if (!this.dirty && !stale) {
			this.closeStore();
			return;
		}
		const tmp = `${this.path}.tmp-${process.pid}`;
		let newStore: string | null = null;
		try {
			await mkdir(dirname(this.path), { recursive: true });
			newStore = this.compactIfWasteful(kept);
			const out = createWriteStream(tmp);
			const failed = once(out, 'error').then(([e]) => Promise.reject(e as Error));
			let text = JSON.stringify({ store: newStore ?? this.storeName, version: this.version } satisfies HeaderLine) + '\n';
			for (let slot = 0; slot < this.digests.size; slot++) {
				// Entries held in memory (store not writable) are not indexed: the next run parses them again.
				const state = this.state[slot];
				if (state === ABSENT || !kept(slot) || (state === OK && !this.stored(slot))) continue;
				const rows = Array.from({ length: this.count[slot] }, (_, k) => this.first[slot] + k);
				const entry: IndexLine['entry'] =
					state === FAILED
						? { ok: false, reason: this.reasons.get(slot) ?? '' }
						: {
								ok: true,
								summaries: rows.map((row) => this.summaries.get(row)),
								at: rows.map((row) => this.rowAt[row]),
								sizes: rows.map((row) => this.rowLength[row])
							};
				text += JSON.stringify({ hash: this.hex(slot), version: this.version, entry } satisfies IndexLine) + '\n';
				// A few hundred KB per write: the index of a million files never becomes one string.
				if (text.length > 1 << 18) {
					if (!out.write(text)) await Promise.race([once(out, 'drain'), failed]);
					text = '';
				}
			}
			out.end(text);
			await Promise.race([once(out, 'finish'), failed]);
			await rename(tmp, this.path);
			this.closeStore();
			if (newStore) await rm(join(dirname(this.path), this.storeName), { force: true });
		} catch (e) {
			this.closeStore();
			await rm(tmp, { force: true });
			if (newStore) await rm(join(dirname(this.path), newStore), { force: true });
			this.warn(`ingest: 缓存 ${this.path} 无法写入，下次运行将重新解析（${message(e)}）；数据集已写好 (cache not saved; the dataset is written)`);
		}
	}

	/** When less than half the store is live, copies the live entries to a new store and points the index at them. */
	private compactIfWasteful(kept: (slot: number) => boolean): string | null {
		if (this.fd === null) return null;
		let live = 0;
		const liveSlot = (slot: number) => kept(slot) && this.state[slot] === OK && this.stored(slot);
		for (let slot = 0; slot < this.digests.size; slot++)
			if (liveSlot(slot)) for (let row = this.first[slot]; row < this.first[slot] + this.count[slot]; row++) live += this.rowLength[row];
		if (this.size < 1 << 20 || live * 2 > this.size) return null;
		const name = this.newStoreName();
		const fd = openSync(join(dirname(this.path), name), 'w');
		try {
			let at = 0;
			for (let slot = 0; slot < this.digests.size; slot++) {
				if (!liveSlot(slot)) continue;
				for (let row = this.first[slot]; row < this.first[slot] + this.count[slot]; row++) {
					const buf = Buffer.allocUnsafe(this.rowLength[row]);
					if (readSync(this.fd, buf, 0, buf.length, this.rowAt[row]) !== buf.length) throw new Error('缓存存储读取不完整 (short read)');
					writeSync(fd, buf);
					this.rowAt[row] = at;
					at += buf.length;
				}
			}
		} finally {
			closeSync(fd);
		}
		return name;
	}
}
