import { agencyList, snapshotOf, SNAPSHOT_TABLES, type AgencyOption, type Snapshot } from '$lib/db/snapshot';
import {
	DIRECTORY_FILE,
	DIRECTORY_SHARD_AGENCIES,
	directoryShardCount,
	directoryShardFile,
	directoryShardOf,
	packAgencies,
	type DirectoryFile
} from '$lib/db/directory';
import { NodeRunner } from './duckdb-runner';

/**
 * The prerendered snapshot of the dataset in `dataDir` (a static/data
 * folder): the page's own queries, run by native DuckDB over its Parquet
 * files, so the numbers in the HTML are the ones DuckDB-WASM gives later.
 */
export async function buildSnapshot(dataDir: string, stored?: number): Promise<Snapshot> {
	const db = await NodeRunner.open(dataDir, SNAPSHOT_TABLES);
	try {
		return await snapshotOf(db, db.manifest, stored);
	} finally {
		db.close();
	}
}

/**
 * The agency directory's files of the dataset in `dataDir` (db/directory.ts),
 * from the same agency query: the whole list, and its shards by id, each in
 * the same order. `perShard`: agencies per shard, about (tests lower it).
 */
export async function buildDirectory(dataDir: string, perShard = DIRECTORY_SHARD_AGENCIES): Promise<Map<string, DirectoryFile>> {
	const db = await NodeRunner.open(dataDir, ['agencies']);
	try {
		const version = db.manifest.dataset_version;
		const agencies = await agencyList(db);
		const n = directoryShardCount(agencies.length, perShard);
		const shards = Array.from({ length: n }, (): AgencyOption[] => []);
		for (const a of agencies) shards[directoryShardOf(a.id, n)].push(a);
		return new Map([
			[DIRECTORY_FILE, { version, agencies: packAgencies(agencies) }],
			...shards.map((list, i) => [directoryShardFile(i), { version, agencies: packAgencies(list) }] as const)
		]);
	} finally {
		db.close();
	}
}
