import { DuckDBInstance, type DuckDBAppender } from '@duckdb/node-api';
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TABLES, TABLE_NAMES, TABLE_ORDER, type Manifest, type TableName } from '../lib/dataset/columns';
import type { DatasetTables } from '../lib/dataset/tables';

const DATA_FILE = /^(agencies|reports|facts|metrics|issues)-[0-9a-f]+\.parquet(\.tmp-[0-9a-f]+)?$/;

function sqlString(s: string): string {
	return `'${s.replace(/'/g, "''")}'`;
}

function append(appender: DuckDBAppender, type: string, value: unknown): void {
	if (value === null || value === undefined) appender.appendNull();
	else if (type === 'INTEGER') appender.appendInteger(value as number);
	else if (type === 'DOUBLE') appender.appendDouble(value as number);
	else appender.appendVarchar(String(value));
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
 * Write the tables as Parquet (snappy, readable by hyparquet in the browser)
 * and swap them in atomically: new files get new names, then manifest.json is
 * replaced by a rename, then the old files are removed. A crash at any point
 * leaves the previous manifest and the files it names intact.
 */
export async function writeDataset(out: string, tables: DatasetTables, manifest: Omit<Manifest, 'files'>): Promise<Manifest> {
	await mkdir(out, { recursive: true });
	const suffix = randomBytes(4).toString('hex');
	const instance = await DuckDBInstance.create(':memory:');
	const conn = await instance.connect();
	const files = {} as Record<TableName, string>;
	try {
		for (const name of TABLE_NAMES) {
			const columns = TABLES[name];
			await conn.run(`CREATE TABLE ${name} (${columns.map(([c, t]) => `${c} ${t}`).join(', ')})`);
			const appender = await conn.createAppender(name);
			for (const row of tables[name] as unknown as Record<string, unknown>[]) {
				for (const [c, t] of columns) append(appender, t, row[c]);
				appender.endRow();
			}
			appender.closeSync();
			const file = `${name}-${manifest.dataset_version}.parquet`;
			const tmp = join(out, `${file}.tmp-${suffix}`);
			await conn.run(
				`COPY (SELECT * FROM ${name} ORDER BY ${TABLE_ORDER[name]}) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 100000)`
			);
			await rename(tmp, join(out, file));
			files[name] = file;
		}
	} finally {
		conn.closeSync();
		instance.closeSync();
	}
	const full: Manifest = { ...manifest, files };
	await writeFileAtomic(join(out, 'manifest.json'), JSON.stringify(full, null, 1) + '\n');
	// Only now is the old dataset unreferenced.
	const keep = new Set(Object.values(files));
	for (const f of await readdir(out)) if (DATA_FILE.test(f) && !keep.has(f)) await rm(join(out, f), { force: true });
	return full;
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
