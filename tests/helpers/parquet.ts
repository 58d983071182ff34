import { DuckDBInstance } from '@duckdb/node-api';

/** Rows of a Parquet file, or of a table's parts in order (manifest.files), as plain objects (BIGINT → number). */
export async function readParquet(path: string | readonly string[], sql = 'SELECT * FROM t'): Promise<Record<string, unknown>[]> {
	const instance = await DuckDBInstance.create(':memory:');
	const conn = await instance.connect();
	try {
		const files = (typeof path === 'string' ? [path] : path).map((p) => `'${p.replace(/'/g, "''")}'`);
		await conn.run(`CREATE VIEW t AS SELECT * FROM read_parquet([${files.join(', ')}])`);
		const reader = await conn.runAndReadAll(sql);
		return reader.getRowObjectsJS().map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
	} finally {
		conn.closeSync();
		instance.closeSync();
	}
}
