import type { AsyncBuffer } from 'hyparquet';
import { TABLE_LAYOUT, TABLE_NAMES, agencyKeyRange, type TableName } from '$lib/dataset/columns';
import { decodeRows, decodeTable, memoryBuffer, openParquet, type DecodedTable, type ParquetFile } from './decode';
import { LoadError, messageOf } from './errors';
import type { RowScope } from './queries';
import { PART_TABLES, type KeySpan, type PartTable } from './start';

/**
 * Tables read on demand (TABLE_LAYOUT load 'demand'): checked at start,
 * read when a query needs them — whole, or only the row groups holding some
 * reports, over HTTP range requests. No DuckDB here: the engine hands each
 * decoded part to `insert`.
 */

export const DEMAND_TABLES: readonly TableName[] = TABLE_NAMES.filter((t) => TABLE_LAYOUT[t].load === 'demand');

/** Files up to this size are fetched whole on first need: one request beats a footer plus ranges. */
const WHOLE_FILE_BYTES = 1 << 18;
/** Files up to this size are fetched (not decoded) at start. */
const PROBE_WHOLE_BYTES = 1 << 16;

/** Every table the page reads when a query names it: from the dataset's files (DEMAND_TABLES) or the build's parts (PART_TABLES). */
export const LAZY_TABLES: readonly TableName[] = [...PART_TABLES, ...DEMAND_TABLES];

/** A table being read on demand, and when it is in. */
export interface LoadEvent {
	table: TableName;
	state: 'loading' | 'done' | 'error';
	/** Rows added by this read. */
	rows: number;
	/** Every row of the file is now loaded. */
	complete: boolean;
}

// ------------------------------------------------------------------ HTTP

async function fetchOk(url: string, file: string, init?: RequestInit): Promise<Response> {
	let res: Response;
	try {
		res = await fetch(url, init);
	} catch (e) {
		throw new LoadError('file_missing', file, messageOf(e));
	}
	if (res.status === 404 || res.status === 410) throw new LoadError('file_missing', file, `HTTP ${res.status}`);
	// 416: the file is shorter than the manifest says.
	if (res.status === 416) throw new LoadError('file_corrupt', file, 'shorter than manifest.json says');
	if (!res.ok) throw new LoadError('file_missing', file, `HTTP ${res.status}`);
	return res;
}

export async function fetchBytes(url: string, file: string): Promise<ArrayBuffer> {
	return (await fetchOk(url, file)).arrayBuffer();
}

/** A file on the server read by byte ranges; a server that ignores Range sends it whole, which is kept. */
function httpBuffer(url: string, file: string, byteLength: number): AsyncBuffer {
	let whole: Promise<ArrayBuffer> | null = null;
	return {
		byteLength,
		async slice(start, end = byteLength) {
			if (whole) return (await whole).slice(start, end);
			const res = await fetchOk(url, file, { headers: { Range: `bytes=${start}-${end - 1}` } });
			if (res.status === 200) {
				whole = res.arrayBuffer();
				return (await whole).slice(start, end);
			}
			const got = await res.arrayBuffer();
			if (got.byteLength !== end - start) throw new LoadError('file_corrupt', file, `expected ${end - start} bytes at ${start}, got ${got.byteLength}`);
			return got;
		}
	};
}

/** The last 8 bytes of a Parquet file: footer length, then PAR1. Returns the footer length. */
function checkTail(tail: Uint8Array, size: number, expected: number, file: string): number {
	if (size !== expected) throw new LoadError('file_corrupt', file, `${size} bytes, manifest.json says ${expected}`);
	const magic = String.fromCharCode(...tail.slice(4));
	const footer = tail.length === 8 ? new DataView(tail.buffer, tail.byteOffset, 8).getUint32(0, true) : Infinity;
	if (magic !== 'PAR1' || footer + 12 > size) throw new LoadError('file_corrupt', file, 'not a Parquet file');
	return footer;
}

/** What the check at start learnt of a file: its bytes if it was small, else its footer's length. */
export interface Probed {
	whole: ArrayBuffer | null;
	footerLength: number | null;
}

/**
 * A file read on demand is checked at start with one small request (its
 * last 8 bytes), so a missing or truncated file is reported up front, not
 * when a view first needs it; the footer length it gives lets the first read
 * fetch the footer in one request. A small file is fetched whole instead (one
 * request now beats two later) and returned; it is still not decoded.
 */
export async function probe(url: string, file: string, byteLength: number | undefined): Promise<Probed> {
	if (byteLength === undefined || byteLength <= PROBE_WHOLE_BYTES) {
		const bytes = await fetchBytes(url, file);
		checkTail(new Uint8Array(bytes.slice(-8)), bytes.byteLength, byteLength ?? bytes.byteLength, file);
		return { whole: bytes, footerLength: null };
	}
	const res = await fetchOk(url, file, { headers: { Range: `bytes=${byteLength - 8}-${byteLength - 1}` } });
	const bytes = await res.arrayBuffer();
	if (res.status === 200) {
		checkTail(new Uint8Array(bytes.slice(-8)), bytes.byteLength, byteLength, file);
		return { whole: bytes, footerLength: null };
	}
	const total = Number(res.headers.get('Content-Range')?.split('/')[1]);
	return { whole: null, footerLength: checkTail(new Uint8Array(bytes), Number.isFinite(total) ? total : byteLength, byteLength, file) };
}

// ------------------------------------------------------------------ on demand

export type KeyRange = readonly [string, string];

export function rangesOf(scope: RowScope): KeyRange[] {
	return [...(scope.agencies ?? []).map(agencyKeyRange), ...(scope.reports ?? []).map((id): KeyRange => [id, id])];
}

/**
 * The tables a statement names, of those given: identifiers outside string
 * literals and comments, not qualified by another name (x.facts) and not an
 * alias (AS facts). It may over-match (a column called facts), never under-match.
 */
export function tablesIn(text: string, tables: readonly TableName[] = DEMAND_TABLES): TableName[] {
	const code = text
		.replace(/'(?:[^']|'')*'/g, "''")
		.replace(/--[^\n]*/g, ' ')
		.replace(/\/\*[\s\S]*?\*\//g, ' ');
	const found = new Set<TableName>();
	const re = /(?<![\w."])(?<!\bas\s{1,20})(?:main\s*\.\s*)?"?([a-z_][a-z0-9_]*)"?(?![\w"])/gi;
	for (const m of code.matchAll(re)) {
		const name = m[1].toLowerCase();
		if ((tables as readonly string[]).includes(name)) found.add(name as TableName);
	}
	return [...found];
}

/** Whether a statement reads rows (as opposed to DDL, SET, DESCRIBE, SHOW): only then are tables loaded for it. */
export function readsData(text: string): boolean {
	const first = /^[\s(]*([a-z]+)/i.exec(text.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' '))?.[1]?.toLowerCase();
	return ['select', 'with', 'from', 'table', 'values', 'pivot', 'unpivot', 'summarize', 'explain', 'delete', 'update', 'insert'].includes(first ?? '');
}

/** Which row groups of a file hold keys in the ranges (all of them when the file has no key statistics). */
export function groupsFor(groups: ParquetFile['groups'], ranges: readonly KeyRange[] | null): ParquetFile['groups'] {
	if (!ranges) return groups;
	return groups.filter((g) => g.minKey === null || g.maxKey === null || ranges.some(([lo, hi]) => g.minKey! <= hi && g.maxKey! >= lo));
}

/** Where a table read on demand comes from. */
export interface DemandSource {
	table: TableName;
	/** The file's name (errors name it) and URL. */
	file: string;
	url: string;
	/** Its size, from the manifest. */
	bytes?: number;
	/** Its bytes, when the check at start fetched it whole. */
	whole?: ArrayBuffer | null;
	/** Its footer's length, when the check at start read it. */
	footerLength?: number | null;
	/** Files up to this size are fetched whole on first need; larger ones by ranges. */
	wholeFileBytes?: number;
	/** Its first and last key, as the build found them (StartIndex.spans); null: no rows; absent: not known. */
	span?: KeySpan | null;
}

/** Whether a file of this span may hold keys in the ranges (null: every row is wanted; an unknown span: it may). */
export function spanHolds(span: KeySpan | null | undefined, ranges: readonly KeyRange[] | null): boolean {
	if (!ranges || span === undefined) return true;
	return span !== null && ranges.some(([lo, hi]) => span[0] <= hi && span[1] >= lo);
}

/** One table loaded on demand: which of its file's row groups are in DuckDB (or on their way). */
export class OnDemand {
	private file: Promise<ParquetFile> | null = null;
	/** Row groups asked for (loading or in), and those in DuckDB. */
	private readonly groups = new Map<number, Promise<void>>();
	private readonly loaded = new Set<number>();
	private total = -1;
	private whole: ArrayBuffer | null;
	readonly table: TableName;

	constructor(
		private readonly source: DemandSource,
		private readonly insert: (t: DecodedTable) => Promise<void>,
		private readonly onLoad: (e: LoadEvent) => void = () => {}
	) {
		this.table = source.table;
		this.whole = source.whole ?? null;
	}

	/** Every row group of the file is in DuckDB. */
	get complete(): boolean {
		return this.total >= 0 && this.loaded.size === this.total;
	}

	private open(): Promise<ParquetFile> {
		this.file ??= (async () => {
			const { file, url, bytes } = this.source;
			const buffer = this.whole
				? memoryBuffer(this.whole)
				: bytes === undefined || bytes <= (this.source.wholeFileBytes ?? WHOLE_FILE_BYTES)
					? memoryBuffer(await fetchBytes(url, file))
					: httpBuffer(url, file, bytes);
			this.whole = null;
			const f = await openParquet(this.table, file, buffer, this.source.footerLength ?? undefined);
			this.total = f.groups.length;
			return f;
		})();
		// A failed read (the network) may be tried again by the next query.
		this.file.catch(() => (this.file = null));
		return this.file;
	}

	/** Load the row groups holding keys in `ranges` (null: all), each once; resolves when all of them are in. */
	async ensure(ranges: readonly KeyRange[] | null): Promise<void> {
		const f = await this.open();
		const wanted = groupsFor(f.groups, ranges);
		const todo = wanted.filter((g) => !this.groups.has(g.index));
		if (todo.length) {
			// Contiguous row groups are read together, one run after another (memory stays one run).
			const runs: { start: number; end: number; indexes: number[] }[] = [];
			for (const g of todo) {
				const last = runs.at(-1);
				if (last && last.end === g.rowStart && last.indexes.length < 8) {
					last.end = g.rowEnd;
					last.indexes.push(g.index);
				} else runs.push({ start: g.rowStart, end: g.rowEnd, indexes: [g.index] });
			}
			let previous: Promise<void> = Promise.resolve();
			for (const run of runs) {
				const done = previous.then(async () => {
					this.onLoad({ table: this.table, state: 'loading', rows: 0, complete: false });
					const rows = await decodeRows(f, run.start, run.end);
					await this.insert(rows);
					for (const i of run.indexes) this.loaded.add(i);
					this.onLoad({ table: this.table, state: 'done', rows: rows.rows, complete: this.complete });
				});
				done.catch(() => {
					for (const i of run.indexes) this.groups.delete(i);
					this.onLoad({ table: this.table, state: 'error', rows: 0, complete: false });
				});
				for (const i of run.indexes) this.groups.set(i, done);
				previous = done.catch(() => {});
			}
		}
		await Promise.all(wanted.map((g) => this.groups.get(g.index)));
	}
}

/**
 * A table read on demand from the dataset's Parquet parts (manifest.files):
 * each part read as OnDemand reads a file. Every part is sorted by report
 * id, so a row scope reads only the parts whose span may hold it, and in
 * each only the row groups that may.
 */
export class DemandParts {
	readonly parts: OnDemand[];
	readonly table: TableName;

	constructor(
		private readonly sources: readonly DemandSource[],
		insert: (t: DecodedTable) => Promise<void>,
		onLoad: (e: LoadEvent) => void = () => {}
	) {
		this.table = sources[0].table;
		// An event says complete only once every part is.
		this.parts = sources.map((s) => new OnDemand(s, insert, (e) => onLoad({ ...e, complete: e.complete && this.complete })));
	}

	/** Every row group of every part is in DuckDB. */
	get complete(): boolean {
		return this.parts.every((p) => p.complete);
	}

	/** Load the row groups holding keys in `ranges` (null: all) from every part whose span may hold them (the others are not even opened). */
	async ensure(ranges: readonly KeyRange[] | null): Promise<void> {
		await Promise.all(this.parts.filter((_, i) => spanHolds(this.sources[i].span, ranges)).map((p) => p.ensure(ranges)));
	}
}

/**
 * A table the build cut into parts (start.ts: agencies and report_metrics,
 * PART_AGENCIES agencies each, in name order): each part is read once, when
 * a query needs it, one after another (memory holds one part's decoded rows,
 * and the next one's bytes are fetched meanwhile). Parts asked for by a row
 * scope go before those of a whole-table read: a profile's part does not
 * wait behind every other part that its benchmark's peers need.
 */
export class Parts {
	private readonly parts = new Map<number, { done: Promise<void>; resolve: () => void; reject: (e: unknown) => void }>();
	private readonly loaded = new Set<number>();
	private readonly urgent: number[] = [];
	private readonly background: number[] = [];
	private readonly fetched = new Map<number, Promise<ArrayBuffer>>();
	private pumping = false;

	constructor(
		readonly table: PartTable,
		readonly count: number,
		/** Part i's file name (errors name it) and URL. */
		private readonly source: (i: number) => { file: string; url: string },
		private readonly insert: (t: DecodedTable) => Promise<void>,
		private readonly onLoad: (e: LoadEvent) => void = () => {}
	) {}

	/** Every part is in DuckDB. */
	get complete(): boolean {
		return this.loaded.size === this.count;
	}

	/** Load these parts (null: all, after any asked for by name), each once; resolves when all of them are in. */
	async ensure(indexes: readonly number[] | null): Promise<void> {
		const wanted = (indexes ?? Array.from({ length: this.count }, (_, i) => i)).filter((i) => i >= 0 && i < this.count);
		for (const i of wanted) {
			const known = this.parts.get(i);
			if (known) {
				// asked for by a scope while waiting in a whole-table read: it goes first
				if (indexes && !this.loaded.has(i) && this.background.includes(i)) {
					this.background.splice(this.background.indexOf(i), 1);
					this.urgent.push(i);
				}
				continue;
			}
			let resolve!: () => void;
			let reject!: (e: unknown) => void;
			const done = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
			done.catch(() => {});
			this.parts.set(i, { done, resolve, reject });
			(indexes ? this.urgent : this.background).push(i);
		}
		void this.pump();
		await Promise.all(wanted.map((i) => this.parts.get(i)!.done));
	}

	private next(): number | undefined {
		return this.urgent.shift() ?? this.background.shift();
	}

	private bytesOf(i: number): Promise<ArrayBuffer> {
		let b = this.fetched.get(i);
		if (!b) {
			const { url, file } = this.source(i);
			b = fetchBytes(url, file);
			b.catch(() => {});
			this.fetched.set(i, b);
		}
		return b;
	}

	private async pump(): Promise<void> {
		if (this.pumping) return;
		this.pumping = true;
		try {
			for (let i = this.next(); i !== undefined; i = this.next()) {
				const part = this.parts.get(i)!;
				const { file } = this.source(i);
				const ahead = this.urgent[0] ?? this.background[0];
				if (ahead !== undefined) void this.bytesOf(ahead);
				try {
					this.onLoad({ table: this.table, state: 'loading', rows: 0, complete: false });
					const rows = await decodeTable(this.table, file, await this.bytesOf(i));
					this.fetched.delete(i);
					await this.insert(rows);
					this.loaded.add(i);
					this.onLoad({ table: this.table, state: 'done', rows: rows.rows, complete: this.complete });
					part.resolve();
				} catch (e) {
					// A failed read (the network) may be tried again by the next query.
					this.fetched.delete(i);
					this.parts.delete(i);
					this.onLoad({ table: this.table, state: 'error', rows: 0, complete: false });
					part.reject(e);
				}
			}
		} finally {
			this.pumping = false;
		}
	}
}

/** The agency a report id belongs to (reportId: agency id, '-', year). */
export function agencyOfReport(reportId: string): string {
	const i = reportId.lastIndexOf('-');
	return i > 0 ? reportId.slice(0, i) : reportId;
}
