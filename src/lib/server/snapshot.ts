import { agencyList, snapshotOf, SNAPSHOT_TABLES, type Snapshot } from '$lib/db/snapshot';
import { packAgencies, type DirectoryFile } from '$lib/db/directory';
import { NodeRunner } from './duckdb-runner';

/**
 * The prerendered snapshot of the dataset in `dataDir` (a static/data
 * folder): the page's own queries, run by native DuckDB over its Parquet
 * files, so the numbers in the HTML are the ones DuckDB-WASM gives later.
 */
export async function buildSnapshot(dataDir: string): Promise<Snapshot> {
	const db = await NodeRunner.open(dataDir, SNAPSHOT_TABLES);
	try {
		return await snapshotOf(db, db.manifest);
	} finally {
		db.close();
	}
}

/** The agency directory file of the dataset in `dataDir` (db/directory.ts), from the same agency query. */
export async function buildDirectory(dataDir: string): Promise<DirectoryFile> {
	const db = await NodeRunner.open(dataDir, ['agencies']);
	try {
		return { version: db.manifest.dataset_version, agencies: packAgencies(await agencyList(db)) };
	} finally {
		db.close();
	}
}
