import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Summary } from './choice';
import type { Failure, PackedOutcome, ReadEntry } from './read';

/**
 * The ingest cache: what each file's content parsed to, by content hash, so
 * unchanged files are not parsed again. Built for a million files:
 *
 * - the index (one JSON line per hash: the outcome's summaries, or why the file
 *   failed, and where its entries are stored) is all that is held in memory;
 * - the entries themselves go to an append-only store file as they arrive
 *   from the workers, and are read back one batch at a time when the dataset
 *   is written;
 * - the store is rewritten (compacted) under a new name only when most of it
 *   is dead; the index names its store, and replacing the index is the commit.
 *
 * A cache that cannot be read or written costs time, never the run, and
 * never silently: every problem is reported on stderr.
 */

/** Bump when the index or store layout changes: an old cache is then ignored. */
const CACHE_FORMAT = 4; // 3: a record's entry keeps its `_source`; 4: provenance cut to what facts keeps

export type CachedOutcome = { ok: true; summaries: Summary[]; at: number; length: number } | Failure;

interface IndexLine {
	hash: string;
	version: string;
	entry: CachedOutcome;
}

interface HeaderLine {
	store: string;
	version: string;
}

/** Where the cache index of an output folder lives (outside it: the dataset is shipped as it is). */
export function cachePath(out: string): string {
	const key = createHash('sha256').update(resolve(out)).digest('hex').slice(0, 12);
	const base = existsSync('node_modules') ? join('node_modules', '.cache', 'nianbao') : join(dirname(resolve(out)), '.nianbao-cache');
	return join(base, `ingest-${key}.jsonl`);
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class OutcomeCache {
	private readonly index = new Map<string, CachedOutcome>();
	/** Entries that could not be stored (a full disk): kept in memory for this run. */
	private readonly held = new Map<string, string>();
	private fd: number | null = null;
	private storeName = '';
	private size = 0;
	private dirty = false;
	private readonly version: string;

	constructor(
		readonly path: string,
		parserVersion: string,
		private readonly warn: (s: string) => void
	) {
		this.version = `${CACHE_FORMAT}:${parserVersion}`;
	}

	get entries(): number {
		return this.index.size;
	}

	/** `expected`: a dataset was written before, so a missing cache is news (every file parses again), not a first run. */
	async load(expected = false): Promise<void> {
		let broken = 0;
		let store = '';
		const loaded = new Map<string, CachedOutcome>();
		try {
			const lines = createInterface({ input: createReadStream(this.path, 'utf8'), crlfDelay: Infinity });
			for await (const line of lines) {
				if (!line) continue;
				try {
					const parsed = JSON.parse(line) as IndexLine | HeaderLine;
					if (parsed.version !== this.version) continue;
					if ('store' in parsed) store = parsed.store;
					else loaded.set(parsed.hash, parsed.entry);
				} catch {
					broken++;
				}
			}
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.warn(`ingest: 缓存 ${this.path} 无法读取，全部文件重新解析（${message(e)}） (cache unreadable)`);
			else if (expected)
				this.warn(`ingest: 找不到缓存 ${this.path}（输出目录已有数据集），全部文件重新解析 (no cache for an existing dataset: every file is parsed)`);
			loaded.clear();
		}
		if (broken) this.warn(`ingest: 缓存 ${this.path} 有 ${broken} 行损坏，这些文件重新解析 (broken cache lines)`);
		await this.openStore(store, loaded);
		await this.removeOrphans();
	}

	/** The store the index names, or a new one; index entries past its end are dropped (a store lost or cut short). */
	private async openStore(store: string, loaded: Map<string, CachedOutcome>): Promise<void> {
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
		for (const [hash, entry] of loaded) {
			if (entry.ok && (!storeKept || entry.at + entry.length > this.size)) lost++;
			else this.index.set(hash, entry);
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

	get(hash: string): CachedOutcome | undefined {
		return this.index.get(hash);
	}

	/** A worker's answer → the store (entries) and the index (summaries). */
	put(hash: string, outcome: PackedOutcome): CachedOutcome {
		this.dirty = true;
		if (!outcome.ok) {
			this.index.set(hash, outcome);
			return outcome;
		}
		const bytes = Buffer.from(outcome.json + '\n');
		let entry: CachedOutcome = { ok: true, summaries: outcome.summaries, at: -1, length: bytes.length - 1 };
		if (this.fd !== null) {
			try {
				writeSync(this.fd, bytes);
				entry = { ...entry, at: this.size };
				this.size += bytes.length;
			} catch (e) {
				this.warn(`ingest: 缓存存储写入失败，之后的解析结果只保存在内存中（${message(e)}） (cache store write failed)`);
				this.closeStore();
			}
		}
		if (entry.at < 0) this.held.set(hash, outcome.json);
		this.index.set(hash, entry);
		return entry;
	}

	/** The entries of a file parsed now or before; undefined when the store cannot give them back. */
	read(hash: string): ReadEntry[] | undefined {
		const bytes = this.readBytes(hash);
		if (!bytes) return undefined;
		try {
			return JSON.parse(bytes.toString('utf8')) as ReadEntry[];
		} catch {
			return undefined;
		}
	}

	/** The stored JSON text of those entries, not parsed (a worker parses it); undefined when the store cannot give it back. */
	readBytes(hash: string): Buffer | undefined {
		const entry = this.index.get(hash);
		if (!entry?.ok) return undefined;
		try {
			const held = this.held.get(hash);
			if (held !== undefined) return Buffer.from(held);
			if (this.fd === null || entry.at < 0) return undefined;
			const buf = Buffer.allocUnsafe(entry.length);
			if (readSync(this.fd, buf, 0, entry.length, entry.at) !== entry.length) return undefined;
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

	/**
	 * Writes the index of the hashes in `keep` (the files read this run), after
	 * compacting the store if most of it is dead. The new index replaces the old
	 * by a rename: a killed run leaves the previous cache whole.
	 */
	async save(keep: Set<string>): Promise<void> {
		const stale = [...this.index.keys()].some((h) => !keep.has(h));
		if (!this.dirty && !stale) {
			this.closeStore();
			return;
		}
		const tmp = `${this.path}.tmp-${process.pid}`;
		let newStore: string | null = null;
		try {
			await mkdir(dirname(this.path), { recursive: true });
			newStore = this.compactIfWasteful(keep);
			const out = createWriteStream(tmp);
			const failed = once(out, 'error').then(([e]) => Promise.reject(e as Error));
			const write = async (line: string) => {
				if (!out.write(line + '\n')) await Promise.race([once(out, 'drain'), failed]);
			};
			await write(JSON.stringify({ store: newStore ?? this.storeName, version: this.version } satisfies HeaderLine));
			for (const [hash, entry] of this.index) {
				// Entries held in memory (store not writable) are not indexed: the next run parses them again.
				if (keep.has(hash) && (!entry.ok || entry.at >= 0)) await write(JSON.stringify({ hash, version: this.version, entry } satisfies IndexLine));
			}
			out.end();
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
	private compactIfWasteful(keep: Set<string>): string | null {
		if (this.fd === null) return null;
		let live = 0;
		for (const [hash, e] of this.index) if (keep.has(hash) && e.ok && e.at >= 0) live += e.length + 1;
		if (this.size < 1 << 20 || live * 2 > this.size) return null;
		const name = this.newStoreName();
		const fd = openSync(join(dirname(this.path), name), 'w');
		try {
			let at = 0;
			for (const [hash, e] of this.index) {
				if (!keep.has(hash) || !e.ok || e.at < 0) continue;
				const buf = Buffer.allocUnsafe(e.length + 1);
				readSync(this.fd, buf, 0, buf.length, e.at);
				writeSync(fd, buf);
				this.index.set(hash, { ...e, at });
				at += buf.length;
			}
		} finally {
			closeSync(fd);
		}
		return name;
	}
}
