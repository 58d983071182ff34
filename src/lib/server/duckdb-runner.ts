import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TABLES, TABLE_NAMES, createTableSql, type Manifest, type TableName } from '$lib/dataset/columns';
import { parseManifest } from '$lib/db/decode';
import { LOCKDOWN_SETTINGS } from '$lib/db/lockdown';
import type { Runner } from '$lib/db/queries';
import type { Sql } from '$lib/db/sql';

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
		readonly manifest: Manifest
	) {}

	/**
	 * The dataset in `dataDir` (manifest.json and the files it names). Only
	 * `tables` are loaded; a query naming another fails, rather than finding
	 * it empty.
	 */
	static async open(dataDir: string, tables: readonly TableName[] = TABLE_NAMES): Promise<NodeRunner> {
		const manifest = parseManifest(await readFile(join(dataDir, 'manifest.json'), 'utf8'));
		const instance = await DuckDBInstance.create(':memory:');
		const conn = await instance.connect();
		try {
			for (const t of tables) {
				await conn.run(createTableSql(t));
				const names = TABLES[t].map(([name]) => `"${name}"`).join(', ');
				await conn.run(`INSERT INTO ${t} SELECT ${names} FROM read_parquet($1)`, [join(dataDir, manifest.files[t])]);
			}
			for (const s of LOCKDOWN_SETTINGS) await conn.run(s);
		} catch (e) {
			conn.closeSync();
			instance.closeSync();
			throw e;
		}
		return new NodeRunner(instance, conn, manifest);
	}

	async query<T>(q: Sql): Promise<T[]> {
		const reader = await this.conn.runAndReadAll(q.text, [...q.params] as DuckDBValue[]);
		return reader.getRowObjectsJS() as T[];
	}

	close(): void {
		this.conn.closeSync();
		this.instance.closeSync();
	}
}
