import { DuckDBInstance, listValue, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TABLES, TABLE_NAMES, createTableSql, type Manifest, type TableName } from '$lib/dataset/columns';
import { parseManifest } from '$lib/db/decode';
import { LOCKDOWN_SETTINGS } from '$lib/db/lockdown';
import type { Runner } from '$lib/db/queries';
import type { Sql } from '$lib/db/sql';
import { YEAR_BASE, YEAR_LAST, deriveStartSql, startChecksSql } from '$lib/db/start';

function read(conn: DuckDBConnection, q: Sql) {
	return conn.runAndReadAll(q.text, [...q.params] as DuckDBValue[]);
}

/** Derive the start tables (db/start.ts) from agencies and report_metrics, after checking what they rest on. */
async function deriveStart(conn: DuckDBConnection, partAgencies?: number): Promise<void> {
	const [c] = (await read(conn, startChecksSql())).getRowObjectsJS() as { repeated: number; outside: number }[];
	if (c.repeated) throw new Error(`start data: ${c.repeated} reports repeat an agency and year in report_metrics (one report per agency and year expected)`);
	if (c.outside) throw new Error(`start data: ${c.outside} reports have a year outside ${YEAR_BASE}–${YEAR_LAST}, which agency_years cannot hold`);
	for (const q of deriveStartSql(partAgencies)) await conn.run(q.text, [...q.params] as DuckDBValue[]);
}

/**
 * The dashboard's queries (lib/db) in native DuckDB, over a dataset folder's
 * Parquet files: the prerender builds the snapshot with it, the tests check
 * the SQL with it. Tables are created from TABLES as in the page and filled
 * from the files, so the same SQL sees the same types. Server-only: it needs
 * the native module and the file system.
 */
export class NodeRunner implements Runner {
	private constructor(
		private readonly instance: DuckDBInstance,
		private readonly conn: DuckDBConnection,
		readonly manifest: Manifest,
		/** The start tables (db/start.ts) were derived: the overview reads its cubes. */
		readonly cubes: boolean,
		private readonly dataDir: string
	) {}

	/**
	 * The dataset in `dataDir` (manifest.json and the files it names). Only
	 * `tables` are loaded; a query naming another fails, rather than finding
	 * it empty. `start`: also derive the start tables from them, as the build
	 * does (needs agencies and report_metrics).
	 */
	static async open(
		dataDir: string,
		tables: readonly TableName[] = TABLE_NAMES,
		options: { start?: boolean; lock?: boolean; partAgencies?: number; empty?: readonly TableName[] } = {}
	): Promise<NodeRunner> {
		const manifest = parseManifest(await readFile(join(dataDir, 'manifest.json'), 'utf8'));
		const instance = await DuckDBInstance.create(':memory:');
		const conn = await instance.connect();
		try {
			for (const t of tables) {
				await conn.run(createTableSql(t));
				const names = TABLES[t].map(([name]) => `"${name}"`).join(', ');
				// Every part, in the manifest's order.
				for (const file of manifest.files[t]) await conn.run(`INSERT INTO ${t} SELECT ${names} FROM read_parquet($1)`, [join(dataDir, file)]);
			}
			// Created, filled by fillReports.
			for (const t of options.empty ?? []) if (!tables.includes(t)) await conn.run(createTableSql(t));
			if (options.start) await deriveStart(conn, options.partAgencies);
			// Unlocked only for the build, which writes files (copy).
			if (options.lock !== false) for (const s of LOCKDOWN_SETTINGS) await conn.run(s);
		} catch (e) {
			conn.closeSync();
			instance.closeSync();
			throw e;
		}
		return new NodeRunner(instance, conn, manifest, options.start === true, dataDir);
	}

	/**
	 * Replace the rows of `table` (created empty: open's `empty`; keyed by
	 * report_id, as the dataset sorts it) by those of reports `from` to `to`:
	 * a superset of what a query about those reports' agencies reads, the way
	 * the page reads only the row groups holding them. Needs a runner opened
	 * with lock: false (it reads the files).
	 */
	async fillReports(table: TableName, from: string, to: string): Promise<void> {
		const names = TABLES[table].map(([name]) => `"${name}"`).join(', ');
		const files = this.manifest.files[table].map((f) => join(this.dataDir, f));
		await this.conn.run(`DELETE FROM ${table}`);
		// A list of files: DuckDB skips the row groups (and files) whose report_id range is outside.
		await this.conn.run(`INSERT INTO ${table} SELECT ${names} FROM read_parquet($1) WHERE report_id BETWEEN $2 AND $3`, [listValue(files), from, to]);
	}

	async query<T>(q: Sql): Promise<T[]> {
		return (await read(this.conn, q)).getRowObjectsJS() as T[];
	}

	/** Write a query's rows to a Parquet file (a runner opened with lock: false). */
	async copy(q: Sql, path: string): Promise<void> {
		await this.conn.run(`COPY (${q.text}) TO '${path.replace(/'/g, "''")}' (FORMAT parquet, COMPRESSION snappy)`, [...q.params] as DuckDBValue[]);
	}

	/** A query's result column by column (the build writes the start files from it). */
	async columns(q: Sql): Promise<Record<string, unknown[]>> {
		return (await read(this.conn, q)).getColumnsObjectJS() as Record<string, unknown[]>;
	}

	close(): void {
		this.conn.closeSync();
		this.instance.closeSync();
	}
}
