import { DuckDBInstance } from '@duckdb/node-api';
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgencyInfo } from '../../lib/agencies/index';
import { TABLES, TABLE_LAYOUT, TABLE_NAMES, type Manifest, type ManifestSource, type TableName } from '../../lib/dataset/columns';
import type { DatasetTables } from '../../lib/dataset/tables';
import { csvBytes, rowOrder } from './csv-rows';
import { writeZip, type ZipEntry } from './zip';
import { csvHead, type DeflatedEntry } from './zip-parts';

export { compareText } from './csv-rows';

/** Options of a writer. */
export interface WriterOptions {
	/** Where the CSV rows and DuckDB's sort spill live (default `out`). */
	spillDir?: string;
	memoryLimit?: string;
	/** Also write every table as CSV in one zip beside the Parquet files (the dataset's download). */
	csvZip?: boolean;
	/** Problems that cost a part of the output but not the dataset (the CSV zip), one line each. */
	warn?: (line: string) => void;
	/**
	 * Leave each table's CSV rows (`<table>.csv`) in `rowsDir` after a finish
	 * that succeeded, for the caller to keep (ingest reuses an unchanged
	 * agency's rows next run) or remove.
	 */
	keepRows?: boolean;
}

const DATA_FILE = /^([a-z_]+-[0-9a-f]+\.parquet|sources-[0-9a-f]+\.json|dataset-[0-9a-f]+\.csv\.zip)(\.tmp-[0-9a-f]+)?$/;

/** A UTF-8 byte-order mark: spreadsheet programs then read the CSV's Chinese as UTF-8. */
const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

function sqlString(s: string): string {
	return `'${s.replace(/'/g, "''")}'`;
}

/** read_csv of one table's rows, typed by the table's columns, nothing guessed. */
function readCsv(path: string, name: TableName): string {
	const columns = TABLES[name].map(([c, t]) => `${sqlString(c)}: ${sqlString(t)}`).join(', ');
	return `read_csv(${sqlString(path)}, header = false, delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false, auto_detect = false, columns = {${columns}})`;
}

/**
 * The same bytes as JSON.stringify([...items]) + '\n', written a few thousand
 * items at a time: a million sources would make one string near V8's limit.
 * `items` is read once (ingest makes each source's entry as it is written).
 */
async function writeJsonArrayAtomic<T>(path: string, items: Iterable<T>, each: (item: T) => void = () => {}): Promise<void> {
	const tmp = `${path}.tmp-${randomBytes(4).toString('hex')}`;
	const fh = await open(tmp, 'w');
	try {
		let text = '[';
		let first = true;
		for (const item of items) {
			each(item);
			text += (first ? '' : ',') + JSON.stringify(item);
			first = false;
			if (text.length > 1 << 20) {
				await fh.write(text);
				text = '';
			}
		}
		await fh.write(text + ']\n');
		await fh.sync();
	} catch (e) {
		await fh.close();
		await rm(tmp, { force: true });
		throw e;
	}
	await fh.close();
	await rename(tmp, path);
}

async function writeFileAtomic(path: string, text: string): Promise<void> {
	const tmp = `${path}.tmp-${randomBytes(4).toString('hex')}`;
	const fh = await open(tmp, 'w');
	try {
		await fh.writeFile(text);
		await fh.sync();
	} finally {
		await fh.close();
	}
	await rename(tmp, path);
}

/**
 * What the caller knows of the run. Table counts, file names and sizes are
 * the writer's; `sources` go to their own file, read once, in order.
 */
export type ManifestInput = Omit<Manifest, 'files' | 'bytes' | 'counts' | 'sources' | 'sources_file' | 'source_kinds'> & {
	counts?: Partial<Manifest['counts']>;
	sources: Iterable<ManifestSource>;
};

/** A part of the dataset on disk that a run keeps as it is: its files are `<table>-<id>.parquet`. */
export interface KeptPart {
	id: string;
	/** Rows and bytes per table, in TABLE_NAMES order. */
	rows: readonly number[];
	bytes: readonly number[];
}

/** Where rows are written: one CSV file per table, in `<work>/<dir>/`; a sink becomes part `<id>`. */
interface Sink {
	id: string;
	dir: string;
	csv: FileHandle[];
	rows: number[];
	bytes: number[];
	/** Per table, the last row written, while every row so far came in order; null once one did not. */
	last: (Record<string, unknown> | undefined | null)[];
}

/** The file of part `id` of a table. */
export const partFile = (name: TableName, id: string) => `${name}-${id}.parquet`;

/**
 * Writes a dataset as Parquet parts (snappy, readable by hyparquet in the
 * browser) and swaps it in atomically: new parts get new names (a part's id
 * names its content), then manifest.json is replaced by a rename, then the
 * files it no longer names are removed. A crash at any point leaves the
 * previous manifest and the files it names intact.
 *
 * A part holds whole agencies in every table. Rows arrive in batches
 * (`append`: one part, named by the version) or as CSV lines for a part the
 * caller names (`sink`, `appendCsv`: ingest, which also lists the parts it
 * keeps, `keep`), and are appended as CSV to one file per table and part,
 * so a scale dataset never sits in memory, neither as JavaScript objects
 * nor in a database. Each batch is sorted here by its table's order; when
 * the batches come in that order too (ingest and bench:data send whole
 * agencies by report id), every file is already sorted and `finish` only
 * streams it into Parquet: memory stays flat however many rows there are
 * (DuckDB's ORDER BY over 20 million facts took 1.9 GB). Batches out of order
 * are still written right, by a sort in DuckDB (spilling past its memory
 * limit). Loading the rows into DuckDB tables batch by batch, a value at a
 * time through the appender, cost more than parsing the reports did.
 */
export class DatasetWriter {
	private readonly agencies = new Map<string, { info: AgencyInfo; year: number }>();
	private readonly sinks: Sink[] = [];
	/** The parts in the manifest's order: kept ones and sinks. */
	private readonly parts: ({ kept: KeptPart } | { sink: Sink })[] = [];
	/** The sink of `append` (created on first use). */
	private main: Sink | null = null;
	/** The CSV zip once written: its name, size, time, and where each entry's compressed bytes start (ingest's row store records its parts). */
	zip: { file: string; bytes: number; mtimeMs: number; dataAt: number[] } | null = null;

	private constructor(
		private readonly out: string,
		private readonly version: string,
		/** Where the CSV files and DuckDB's sort spill live; removed at the end (but the rows, with keepRows). */
		readonly work: string,
		private readonly memoryLimit: string,
		private readonly options: WriterOptions
	) {}

	/**
	 * `version` names the part `append` writes (`facts-<version>.parquet`).
	 * The rows wait in a temporary folder in `spillDir` (default `out`), which
	 * removeStaleTemp cleans after a crash.
	 */
	static async open(out: string, version: string, options: WriterOptions = {}): Promise<DatasetWriter> {
		await mkdir(out, { recursive: true });
		const tag = randomBytes(4).toString('hex');
		const work = join(options.spillDir ?? out, `rows.tmp-${tag}`);
		await mkdir(work, { recursive: true });
		return new DatasetWriter(out, version, work, options.memoryLimit ?? '512MB', options);
	}

	/** A new sink: rows for part `id`, in `<work>/<dir>/<table>.csv`; returns its number. */
	async sink(id: string): Promise<number> {
		const dir = `c${this.sinks.length}`;
		await mkdir(join(this.work, dir), { recursive: true });
		const csv: FileHandle[] = [];
		try {
			for (const name of TABLE_NAMES) csv.push(await open(join(this.work, dir, `${name}.csv`), 'w'));
		} catch (e) {
			for (const fh of csv) await fh.close().catch(() => undefined);
			throw e;
		}
		const sink: Sink = { id, dir, csv, rows: TABLE_NAMES.map(() => 0), bytes: TABLE_NAMES.map(() => 0), last: TABLE_NAMES.map(() => undefined) };
		this.sinks.push(sink);
		this.parts.push({ sink });
		return this.sinks.length - 1;
	}

	/** The folder (in `work`) of each sink's CSV files, by sink number. */
	get sinkDirs(): string[] {
		return this.sinks.map((s) => s.dir);
	}

	/** A part already on disk (named by the manifest there) that stays in the dataset as it is. */
	keep(part: KeptPart): void {
		this.parts.push({ kept: part });
	}

	/** Give up: nothing is swapped in, the rows are removed. */
	async abort(): Promise<void> {
		await this.closeFiles();
		await rm(this.work, { recursive: true, force: true });
	}

	private async closeFiles(): Promise<void> {
		for (const s of this.sinks) for (const fh of s.csv) await fh.close().catch(() => undefined);
	}

	/** One batch of buildTables' output. An agency seen again keeps the name of its latest report. */
	async append(tables: DatasetTables): Promise<void> {
		const yearOf = new Map<string, number>();
		for (const r of tables.reports) yearOf.set(r.agency_id, Math.max(yearOf.get(r.agency_id) ?? -Infinity, r.year));
		for (const info of tables.agencies) {
			const year = yearOf.get(info.id) ?? -Infinity;
			const known = this.agencies.get(info.id);
			if (!known || year >= known.year) this.agencies.set(info.id, { info, year });
		}
		this.main ??= this.sinks[await this.sink(this.version)];
		for (const name of TABLE_NAMES) {
			if (name === 'agencies') continue;
			await this.appendRows(this.main, name, tables[name] as unknown as Record<string, unknown>[]);
		}
	}

	/**
	 * One batch of buildTables' output into sink `n` (a part), agencies
	 * included: the batch holds whole agencies, none of them in another batch
	 * (bench:data, whose parts are cut as ingest's are).
	 */
	async appendTo(n: number, tables: DatasetTables): Promise<void> {
		const sink = this.sinks[n];
		for (const name of TABLE_NAMES) await this.appendRows(sink, name, tables[name] as unknown as Record<string, unknown>[]);
	}

	private async appendRows(sink: Sink, name: TableName, list: readonly Record<string, unknown>[]): Promise<void> {
		const t = TABLE_NAMES.indexOf(name);
		const compare = rowOrder(name);
		const sorted = [...list].sort(compare);
		const last = sink.last[t];
		if (last !== null && sorted.length) sink.last[t] = last === undefined || compare(last, sorted[0]) <= 0 ? sorted[sorted.length - 1] : null;
		// A few thousand lines per write: the text of a whole batch never sits in memory at once.
		for (let start = 0; start < sorted.length; start += 4096) await this.write(sink, t, csvBytes(name, sorted, start, Math.min(sorted.length, start + 4096)));
		sink.rows[t] += list.length;
	}

	private async write(sink: Sink, t: number, data: Uint8Array): Promise<void> {
		const { bytesWritten } = await sink.csv[t].write(data);
		sink.bytes[t] += bytesWritten;
	}

	/** Bytes of CSV written so far to sink `n`, per table: a segment appended next starts there. */
	written(n: number): readonly number[] {
		return [...this.sinks[n].bytes];
	}

	/**
	 * Rows already as CSV lines (csv-rows.ts), agencies included: whole
	 * agencies, each table's lines in its order, for sink `n`. `ordered`:
	 * these rows come after every row written so far to that sink in every
	 * table's order (the caller knows by agency id); when not, finish sorts in
	 * DuckDB. `parts` in TABLE_NAMES order.
	 */
	async appendCsv(n: number, parts: readonly Uint8Array[], rows: readonly number[], ordered: boolean): Promise<void> {
		const sink = this.sinks[n];
		for (let t = 0; t < TABLE_NAMES.length; t++) {
			if (!ordered) sink.last[t] = null;
			if (parts[t].length) await this.write(sink, t, parts[t]);
			sink.rows[t] += rows[t];
		}
	}

	/**
	 * Every table as written to Parquet (the same rows, in the table's order),
	 * as CSV with a header row (UTF-8 with BOM, empty field = null), in one
	 * zip: `dataset-<version>.csv.zip`. Written under a temporary name and
	 * renamed into place; a failure is reported, leaves no file behind and
	 * costs only the zip, never the dataset.
	 */
	private async writeCsvZip(entries: Promise<ZipEntry>[], suffix: string): Promise<{ file: string; bytes: number } | null> {
		const file = `dataset-${this.version}.csv.zip`;
		const tmp = join(this.out, `${file}.tmp-${suffix}`);
		try {
			const dataAt = await writeZip(tmp, entries);
			await rename(tmp, join(this.out, file));
			const st = await stat(join(this.out, file));
			this.zip = { file, bytes: st.size, mtimeMs: st.mtimeMs, dataAt };
			return { file, bytes: st.size };
		} catch (e) {
			await rm(tmp, { force: true }).catch(() => undefined);
			this.options.warn?.(
				`ingest: CSV 压缩包未能写出，Parquet 数据集不受影响（${e instanceof Error ? e.message : String(e)}） (CSV zip not written; the dataset is)`
			);
			return null;
		}
	}

	/**
	 * Write every new part's tables to Parquet (sorted by DuckDB only when
	 * its rows did not come in order), then swap the manifest in, listing the
	 * parts kept and written. The CSV zip is made at the same time: from the
	 * row files when one part holds every row in order (the very rows the
	 * Parquet gets, in its order, behind a header row), else exported from the
	 * Parquet parts once written, in the table's order; its deflate runs beside
	 * both. `deflated`: each table's CSV already compressed in parts
	 * (zip-parts.ts, from every row in the table's order), copied into the zip
	 * as it is.
	 */
	async finish(input: ManifestInput, deflated?: readonly DeflatedEntry[]): Promise<Manifest> {
		const suffix = randomBytes(4).toString('hex');
		const files = Object.fromEntries(TABLE_NAMES.map((t) => [t, [] as string[]])) as Record<TableName, string[]>;
		const bytes = Object.fromEntries(TABLE_NAMES.map((t) => [t, [] as number[]])) as Record<TableName, number[]>;
		const rows = Object.fromEntries(TABLE_NAMES.map((t) => [t, 0])) as Record<TableName, number>;
		let zip = null as { file: string; bytes: number } | null;
		let done = false;
		const instance = await DuckDBInstance.create(':memory:');
		const conn = await instance.connect();
		const side = await instance.connect();
		try {
			if (this.main)
				await this.appendRows(
					this.main,
					'agencies',
					[...this.agencies.values()].map((a) => a.info as unknown as Record<string, unknown>)
				);
			await this.closeFiles();
			if (this.parts.length === 0) throw new Error('dataset has no parts');
			// One writer thread: row groups come out at exactly ROW_GROUP_SIZE rows, in key order.
			await conn.run('SET threads = 1');
			await conn.run('SET preserve_insertion_order = true');
			await conn.run(`SET memory_limit = ${sqlString(this.memoryLimit)}`);
			await conn.run(`SET temp_directory = ${sqlString(join(this.work, 'duckdb'))}`);
			const written = {} as Record<TableName, Promise<void>>;
			let chain = Promise.resolve();
			for (const [t, name] of TABLE_NAMES.entries()) {
				for (const part of this.parts) {
					if ('kept' in part) {
						files[name].push(partFile(name, part.kept.id));
						rows[name] += part.kept.rows[t];
						continue;
					}
					const sink = part.sink;
					const file = partFile(name, sink.id);
					files[name].push(file);
					rows[name] += sink.rows[t];
					chain = chain.then(async () => {
						const tmp = join(this.out, `${file}.tmp-${suffix}`);
						// Rows written in order are read back in order (preserve_insertion_order): no sort, no memory.
						const order = sink.last[t] === null ? ` ORDER BY ${TABLE_LAYOUT[name].order}` : '';
						await conn.run(
							`COPY (SELECT * FROM ${readCsv(join(this.work, sink.dir, `${name}.csv`), name)}${order}) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE ${TABLE_LAYOUT[name].rowGroup})`
						);
						await rename(tmp, join(this.out, file));
					});
				}
				written[name] = chain;
			}
			let zipped: Promise<{ file: string; bytes: number } | null> = Promise.resolve(null);
			// One part written, nothing kept, every row in order: the row files are the zip's rows as they are.
			const only = this.parts.length === 1 && 'sink' in this.parts[0] ? this.parts[0].sink : null;
			if (this.options.csvZip && deflated)
				zipped = this.writeCsvZip(
					TABLE_NAMES.map(async (name, t) => ({ name: `${name}.csv`, file: deflated[t].file, deflated: deflated[t] })),
					suffix
				);
			else if (this.options.csvZip) {
				await mkdir(join(this.work, 'csv'), { recursive: true });
				const entries: Promise<ZipEntry>[] = [];
				let exports = Promise.resolve();
				TABLE_NAMES.forEach((name, t) => {
					if (only && only.last[t] !== null)
						entries.push(Promise.resolve({ name: `${name}.csv`, file: join(this.work, only.dir, `${name}.csv`), prefix: csvHead(t) }));
					else {
						// Sorted rows may tie, and parts interleave: those rows are taken from the Parquet parts themselves, in the table's order.
						const path = join(this.work, 'csv', `${name}.csv`);
						const entry = (exports = exports.then(async () => {
							await written[name];
							const parts = files[name].map((f) => sqlString(join(this.out, f))).join(', ');
							const order = only ? '' : ` ORDER BY ${TABLE_LAYOUT[name].order}`;
							await side.run(`COPY (SELECT * FROM read_parquet([${parts}])${order}) TO ${sqlString(path)} (FORMAT csv, HEADER true, DELIMITER ',')`);
						})).then(() => ({ name: `${name}.csv`, file: path, prefix: BOM }));
						// Awaited by the zip; one that failed must not count as unhandled when the zip stopped before it.
						entry.catch(() => undefined);
						entries.push(entry);
					}
				});
				zipped = this.writeCsvZip(entries, suffix);
			}
			// Both finish before anything is removed, whichever fails.
			const [parquet] = await Promise.allSettled([chain, zipped.then((z) => (zip = z))]);
			if (parquet.status === 'rejected') throw parquet.reason;
			for (const [t, name] of TABLE_NAMES.entries())
				for (const [i, p] of this.parts.entries()) bytes[name].push('kept' in p ? p.kept.bytes[t] : (await stat(join(this.out, files[name][i]))).size);
			done = true;
		} finally {
			side.closeSync();
			conn.closeSync();
			instance.closeSync();
			await this.closeFiles();
			if (done && this.options.keepRows) {
				await rm(join(this.work, 'csv'), { recursive: true, force: true });
				await rm(join(this.work, 'duckdb'), { recursive: true, force: true });
			} else await rm(this.work, { recursive: true, force: true });
		}
		const { counts: extra, sources, ...rest } = input;
		const counts = { files_read: 0, parsed_clean: 0, parsed_with_broken_rules: 0, failed: 0, duplicates: 0, skipped: 0, ...extra, ...rows };
		const sourcesFile = `sources-${this.version}.json`;
		const kinds = { document: 0, record: 0 };
		await writeJsonArrayAtomic(join(this.out, sourcesFile), sources, (x) => {
			if (x.status === 'ok') kinds[x.kind]++;
		});
		const full: Manifest = {
			...rest,
			counts,
			files,
			bytes,
			source_kinds: kinds,
			sources_file: sourcesFile,
			...(zip ? { csv_zip: zip.file, csv_zip_bytes: zip.bytes } : {})
		};
		await writeFileAtomic(join(this.out, 'manifest.json'), JSON.stringify(full, null, 1) + '\n');
		// Only now is the old dataset unreferenced.
		const keep = new Set([...Object.values(files).flat(), sourcesFile, ...(zip ? [zip.file] : [])]);
		// A leftover that cannot be removed (not a file after all) stays: the new dataset is in place already.
		for (const f of await readdir(this.out)) if (DATA_FILE.test(f) && !keep.has(f)) await rm(join(this.out, f), { force: true }).catch(() => undefined);
		return full;
	}
}

/** All tables at once (ingest). */
export async function writeDataset(out: string, tables: DatasetTables, manifest: ManifestInput): Promise<Manifest> {
	const writer = await DatasetWriter.open(out, manifest.dataset_version);
	await writer.append(tables);
	return writer.finish(manifest);
}

/** Leftovers of an interrupted run: temp files no manifest names. */
export async function removeStaleTemp(out: string): Promise<void> {
	let names: string[];
	try {
		names = await readdir(out);
	} catch {
		return;
	}
	for (const f of names) if (/\.tmp-[0-9a-f]+$/.test(f)) await rm(join(out, f), { recursive: true, force: true });
}
