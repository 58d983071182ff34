import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgencyInfo } from '../../lib/agencies/index';
import { TABLES, TABLE_LAYOUT, TABLE_NAMES, createTableSql, type Manifest, type ManifestSource, type TableName } from '../../lib/dataset/columns';
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
 * Rows arrive in batches (`append`), so a scale dataset never has to sit in
 * memory as JavaScript objects; DuckDB holds them until `finish` sorts and
 * writes each table.
 */
export class DatasetWriter {
	private readonly agencies = new Map<string, { info: AgencyInfo; year: number }>();
	private readonly rows = Object.fromEntries(TABLE_NAMES.map((t) => [t, 0])) as Record<TableName, number>;

	private constructor(
		private readonly out: string,
		private readonly version: string,
		private readonly instance: DuckDBInstance,
		private readonly conn: DuckDBConnection,
		/** The on-disk database the rows wait in, when spilling (removed at the end). */
		private readonly spill: string | null
	) {}

	/**
	 * `version` names the files (`facts-<version>.parquet`). With `spillDir`,
	 * the rows wait in a database file there under a memory limit, so a
	 * million reports (some 150 million facts) never have to fit in memory.
	 */
	static async open(out: string, version: string, options: { spillDir?: string; memoryLimit?: string } = {}): Promise<DatasetWriter> {
		await mkdir(out, { recursive: true });
		let spill: string | null = null;
		if (options.spillDir) {
			await mkdir(options.spillDir, { recursive: true });
			spill = join(options.spillDir, `writer-${randomBytes(4).toString('hex')}.duckdb`);
		}
		const instance = await DuckDBInstance.create(spill ?? ':memory:');
		const conn = await instance.connect();
		// One writer thread: row groups come out at exactly ROW_GROUP_SIZE rows, in key order.
		await conn.run('SET threads = 1');
		if (spill) {
			await conn.run(`SET memory_limit = ${sqlString(options.memoryLimit ?? '768MB')}`);
			await conn.run(`SET temp_directory = ${sqlString(`${spill}.tmp`)}`);
			await conn.run('SET preserve_insertion_order = false');
		}
		for (const name of TABLE_NAMES) await conn.run(createTableSql(name));
		return new DatasetWriter(out, version, instance, conn, spill);
	}

	/** Give up: nothing is swapped in, the spill database is removed. */
	async abort(): Promise<void> {
		this.close();
		await this.removeSpill();
	}

	private close(): void {
		this.conn.closeSync();
		this.instance.closeSync();
	}

	private async removeSpill(): Promise<void> {
		if (!this.spill) return;
		for (const f of [this.spill, `${this.spill}.wal`, `${this.spill}.tmp`]) await rm(f, { recursive: true, force: true });
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

	/**
	 * Rows go in as one CSV file per table and batch, read by DuckDB's own
	 * reader: a value at a time through the appender cost more than parsing
	 * the reports did.
	 */
	private async appendRows(name: TableName, list: readonly Record<string, unknown>[]): Promise<void> {
		if (list.length === 0) return;
		const columns = TABLES[name];
		let text = '';
		for (const row of list) {
			let line = '';
			for (let c = 0; c < columns.length; c++) line += (c ? ',' : '') + csvField(columns[c][1], row[columns[c][0]]);
			text += line + '\n';
		}
		const csv = join(this.spill ? `${this.spill}.tmp` : this.out, `${name}.csv.tmp-${randomBytes(4).toString('hex')}`);
		await mkdir(join(csv, '..'), { recursive: true });
		await writeFile(csv, text);
		try {
			await this.conn.run(`COPY ${name} FROM ${sqlString(csv)} (FORMAT csv, HEADER false, DELIMITER ',', QUOTE '"', ESCAPE '"', ALLOW_QUOTED_NULLS false)`);
		} finally {
			await rm(csv, { force: true });
		}
		this.rows[name] += list.length;
	}

	/** Sort and write every table, then swap the manifest in. */
	async finish(input: ManifestInput): Promise<Manifest> {
		const suffix = randomBytes(4).toString('hex');
		const files = {} as Record<TableName, string>;
		const bytes = {} as Record<TableName, number>;
		try {
			await this.appendRows('agencies', [...this.agencies.values()].map((a) => a.info as unknown as Record<string, unknown>));
			for (const name of TABLE_NAMES) {
				const file = `${name}-${this.version}.parquet`;
				const tmp = join(this.out, `${file}.tmp-${suffix}`);
				await this.conn.run(
					`COPY (SELECT * FROM ${name} ORDER BY ${TABLE_LAYOUT[name].order}) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE ${TABLE_LAYOUT[name].rowGroup})`
				);
				await rename(tmp, join(this.out, file));
				files[name] = file;
				bytes[name] = (await stat(join(this.out, file))).size;
			}
		} finally {
			this.close();
			await this.removeSpill();
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
	let names: string[] = [];
	try {
		names = await readdir(out);
	} catch {
		return;
	}
	for (const f of names) if (/\.tmp-[0-9a-f]+$/.test(f)) await rm(join(out, f), { force: true });
}
