import { DuckDBInstance } from '@duckdb/node-api';
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgencyInfo } from '../../lib/agencies/index';
import { TABLES, TABLE_LAYOUT, TABLE_NAMES, type Manifest, type ManifestSource, type TableName } from '../../lib/dataset/columns';
import type { DatasetTables } from '../../lib/dataset/tables';

const DATA_FILE = /^([a-z_]+-[0-9a-f]+\.parquet|sources-[0-9a-f]+\.json)(\.tmp-[0-9a-f]+)?$/;

function sqlString(s: string): string {
	return `'${s.replace(/'/g, "''")}'`;
}

/**
 * One CSV field. Strings are always quoted (so an empty string is not a
 * null); a null is an empty unquoted field. Numbers print in JavaScript's
 * shortest round-trip form, which DuckDB reads back to the same double.
 */
/** read_csv of one table's rows, typed by the table's columns, nothing guessed. */
function readCsv(path: string, name: TableName): string {
	const columns = TABLES[name].map(([c, t]) => `${sqlString(c)}: ${sqlString(t)}`).join(', ');
	return `read_csv(${sqlString(path)}, header = false, delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false, auto_detect = false, columns = {${columns}})`;
}

function csvField(type: string, value: unknown): string {
	if (value === null || value === undefined) return '';
	if (type === 'INTEGER' || type === 'DOUBLE') return String(value);
	const text = String(value);
	return text.includes('"') ? `"${text.replace(/"/g, '""')}"` : `"${text}"`;
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
 * the writer's; `sources` go to their own file.
 */
export type ManifestInput = Omit<Manifest, 'files' | 'bytes' | 'counts' | 'sources' | 'sources_file' | 'source_kinds'> & {
	counts?: Partial<Manifest['counts']>;
	sources: ManifestSource[];
};

/**
 * Writes a dataset as Parquet (snappy, readable by hyparquet in the browser)
 * and swaps it in atomically: new files get new names, then manifest.json is
 * replaced by a rename, then the old files are removed. A crash at any point
 * leaves the previous manifest and the files it names intact.
 *
 * Rows arrive in batches (`append`) and are appended as CSV to one file per
 * table, so a scale dataset never sits in memory, neither as JavaScript
 * objects nor in a database; `finish` has DuckDB read each file, sort it
 * (spilling to disk past its memory limit) and write the Parquet. Loading the
 * rows into DuckDB tables batch by batch, a value at a time through the
 * appender, cost more than parsing the reports did.
 */
export class DatasetWriter {
	private readonly agencies = new Map<string, { info: AgencyInfo; year: number }>();
	private readonly rows = Object.fromEntries(TABLE_NAMES.map((t) => [t, 0])) as Record<TableName, number>;

	private constructor(
		private readonly out: string,
		private readonly version: string,
		/** Where the CSV files and DuckDB's sort spill live; removed at the end. */
		private readonly work: string,
		private readonly memoryLimit: string,
		private readonly csv: Record<TableName, FileHandle>
	) {}

	/**
	 * `version` names the files (`facts-<version>.parquet`). The rows wait in
	 * a temporary folder in `spillDir` (default `out`), which removeStaleTemp
	 * cleans after a crash.
	 */
	static async open(out: string, version: string, options: { spillDir?: string; memoryLimit?: string } = {}): Promise<DatasetWriter> {
		await mkdir(out, { recursive: true });
		const tag = randomBytes(4).toString('hex');
		const work = join(options.spillDir ?? out, `rows.tmp-${tag}`);
		await mkdir(work, { recursive: true });
		const csv = {} as Record<TableName, FileHandle>;
		for (const name of TABLE_NAMES) csv[name] = await open(join(work, `${name}.csv`), 'w');
		return new DatasetWriter(out, version, work, options.memoryLimit ?? '512MB', csv);
	}

	/** Give up: nothing is swapped in, the rows are removed. */
	async abort(): Promise<void> {
		await this.closeFiles();
		await rm(this.work, { recursive: true, force: true });
	}

	private async closeFiles(): Promise<void> {
		for (const fh of Object.values(this.csv)) await fh.close().catch(() => undefined);
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
		for (const name of TABLE_NAMES) {
			if (name === 'agencies') continue;
			await this.appendRows(name, tables[name] as unknown as Record<string, unknown>[]);
		}
	}

	private async appendRows(name: TableName, list: readonly Record<string, unknown>[]): Promise<void> {
		const columns = TABLES[name];
		// A few thousand lines per write: the text of a whole batch never sits in memory at once.
		for (let start = 0; start < list.length; start += 4096) {
			let text = '';
			for (let r = start; r < Math.min(list.length, start + 4096); r++) {
				const row = list[r];
				let line = '';
				for (let c = 0; c < columns.length; c++) line += (c ? ',' : '') + csvField(columns[c][1], row[columns[c][0]]);
				text += line + '\n';
			}
			await this.csv[name].write(text);
		}
		this.rows[name] += list.length;
	}

	/** Sort and write every table, then swap the manifest in. */
	async finish(input: ManifestInput): Promise<Manifest> {
		const suffix = randomBytes(4).toString('hex');
		const files = {} as Record<TableName, string>;
		const bytes = {} as Record<TableName, number>;
		const instance = await DuckDBInstance.create(':memory:');
		const conn = await instance.connect();
		try {
			await this.appendRows(
				'agencies',
				[...this.agencies.values()].map((a) => a.info as unknown as Record<string, unknown>)
			);
			await this.closeFiles();
			// One writer thread: row groups come out at exactly ROW_GROUP_SIZE rows, in key order.
			await conn.run('SET threads = 1');
			await conn.run(`SET memory_limit = ${sqlString(this.memoryLimit)}`);
			await conn.run(`SET temp_directory = ${sqlString(join(this.work, 'duckdb'))}`);
			for (const name of TABLE_NAMES) {
				const file = `${name}-${this.version}.parquet`;
				const tmp = join(this.out, `${file}.tmp-${suffix}`);
				await conn.run(
					`COPY (SELECT * FROM ${readCsv(join(this.work, `${name}.csv`), name)} ORDER BY ${TABLE_LAYOUT[name].order}) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE ${TABLE_LAYOUT[name].rowGroup})`
				);
				await rename(tmp, join(this.out, file));
				files[name] = file;
				bytes[name] = (await stat(join(this.out, file))).size;
			}
		} finally {
			conn.closeSync();
			instance.closeSync();
			await this.closeFiles();
			await rm(this.work, { recursive: true, force: true });
		}
		const { counts: extra, sources, ...rest } = input;
		const counts = { files_read: 0, parsed_clean: 0, parsed_with_broken_rules: 0, failed: 0, duplicates: 0, skipped: 0, ...extra, ...this.rows };
		const sourcesFile = `sources-${this.version}.json`;
		await writeFileAtomic(join(this.out, sourcesFile), JSON.stringify(sources) + '\n');
		const ok = sources.filter((x) => x.status === 'ok');
		const full: Manifest = {
			...rest,
			counts,
			files,
			bytes,
			source_kinds: { document: ok.filter((x) => x.kind === 'document').length, record: ok.filter((x) => x.kind === 'record').length },
			sources_file: sourcesFile
		};
		await writeFileAtomic(join(this.out, 'manifest.json'), JSON.stringify(full, null, 1) + '\n');
		// Only now is the old dataset unreferenced.
		const keep = new Set([...Object.values(files), sourcesFile]);
		for (const f of await readdir(this.out)) if (DATA_FILE.test(f) && !keep.has(f)) await rm(join(this.out, f), { force: true });
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
