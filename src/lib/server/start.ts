import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLES } from '$lib/dataset/columns';
import { toIPC } from '$lib/db/arrow';
import type { Cell } from '$lib/db/decode';
import { DEMAND_TABLES } from '$lib/db/lazy';
import {
	PART_AGENCIES,
	PART_TABLES,
	START_COLUMNS,
	START_INDEX,
	START_TABLES,
	partFile,
	partSql,
	startFile,
	type KeySpan,
	type StartIndex,
	type StartTable
} from '$lib/db/start';
import { ident, join as joinSql, sql } from '$lib/db/sql';
import { NodeRunner } from './duckdb-runner';

/** A start table as the Arrow IPC stream the page hands to DuckDB (columns as START_COLUMNS, types as its own tables). */
async function startIPC(db: NodeRunner, table: StartTable): Promise<Uint8Array> {
	const cols = START_COLUMNS[table];
	const data = await db.columns(
		sql`SELECT ${joinSql(
			cols.map(([n]) => ident(n)),
			', '
		)} FROM ${ident(table)}`
	);
	const columns = Object.fromEntries(cols.map(([n]) => [n, data[n].map(cell)]));
	return toIPC({ table, rows: columns[cols[0][0]].length, columns });
}

/** A value of native DuckDB's JS conversion as a decoded cell (BIGINT → number: start tables hold none beyond 2^53). */
function cell(v: unknown): Cell {
	if (v === null || v === undefined) return null;
	if (typeof v === 'bigint') return Number(v);
	if (typeof v === 'number' || typeof v === 'string') return v;
	throw new Error(`start data: unexpected value ${String(v)}`);
}

/**
 * The start files of the dataset in `dataDir` (db/start.ts), by file name:
 * derived by native DuckDB from the canonical agencies and report_metrics,
 * the start tables written as Arrow IPC and the parts as Parquet. Nothing in the dataset folder changes, so a dataset
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
		for (const t of START_TABLES) out.set(startFile(t), await startIPC(db, t));
		const [{ agencies }] = await db.query<{ agencies: number }>(sql`SELECT CAST(COUNT(*) AS DOUBLE) AS agencies FROM agencies`);
		const parts = Math.ceil(agencies / partAgencies);
		for (const t of PART_TABLES) for (let i = 0; i < parts; i++) await write(partFile(t, i), partSql(t, i, partAgencies));
		// Each file's first and last key (files are sorted by it): a row scope opens only the files whose span holds it.
		const spans: StartIndex['spans'] = {};
		for (const t of DEMAND_TABLES) {
			const key = ident(TABLES[t][0][0]);
			spans[t] = [];
			for (const file of db.manifest.files[t]) {
				const [r] = await db.query<{ lo: string | null; hi: string | null }>(
					sql`SELECT min(${key}) AS lo, max(${key}) AS hi FROM read_parquet(${join(dataDir, file)})`
				);
				spans[t].push(r.lo === null || r.hi === null ? null : ([r.lo, r.hi] as KeySpan));
			}
		}
		const index: StartIndex = { version: db.manifest.dataset_version, parts, spans };
		out.set(START_INDEX, new TextEncoder().encode(JSON.stringify(index)));
		return out;
	} finally {
		db.close();
		await rm(dir, { recursive: true, force: true });
	}
}
