import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PART_AGENCIES, PART_TABLES, START_INDEX, START_TABLES, partFile, partSql, startFile, type StartIndex } from '$lib/db/start';
import { ident, sql } from '$lib/db/sql';
import { NodeRunner } from './duckdb-runner';

/**
 * The start files of the dataset in `dataDir` (db/start.ts), by file name:
 * derived by native DuckDB from the canonical agencies and report_metrics,
 * written as Parquet. Nothing in the dataset folder changes, so a dataset
 * need not be generated again for them. `partAgencies`: agencies per part.
 */
export async function buildStart(dataDir: string, partAgencies = PART_AGENCIES): Promise<Map<string, Uint8Array>> {
	const db = await NodeRunner.open(dataDir, PART_TABLES, { start: true, lock: false, partAgencies });
	const dir = await mkdtemp(join(tmpdir(), 'nianbao-start-'));
	try {
		const out = new Map<string, Uint8Array>();
		const write = async (file: string, q: Parameters<NodeRunner['copy']>[0]) => {
			const path = join(dir, file);
			await db.copy(q, path);
			out.set(file, new Uint8Array(await readFile(path)));
			await rm(path);
		};
		for (const t of START_TABLES) await write(startFile(t), sql`SELECT * FROM ${ident(t)}`);
		const [{ agencies }] = await db.query<{ agencies: number }>(sql`SELECT CAST(COUNT(*) AS DOUBLE) AS agencies FROM agencies`);
		const parts = Math.ceil(agencies / partAgencies);
		for (const t of PART_TABLES) for (let i = 0; i < parts; i++) await write(partFile(t, i), partSql(t, i, partAgencies));
		const index: StartIndex = { version: db.manifest.dataset_version, parts };
		out.set(START_INDEX, new TextEncoder().encode(JSON.stringify(index)));
		return out;
	} finally {
		db.close();
		await rm(dir, { recursive: true, force: true });
	}
}
