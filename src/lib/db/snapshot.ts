import { TABLE_NAMES, type Manifest, type TableName } from '$lib/dataset/columns';
import type { OverviewData } from './aggregate';
import { NO_FILTERS, overview, type Runner } from './queries';
import { MAX_STORED_AGENCIES, shardCount } from './answers';
import { choicesOf, directoryShardCount, type Choices } from './directory';
import { sql } from './sql';

/**
 * What the page knows before DuckDB starts: the dataset's identity, the
 * filters' choices and the default overview's numbers (the agency list itself
 * is a file read on demand: db/directory.ts). Built once at prerender time (lib/server/snapshot.ts) and inlined.
 * The numbers are the browser's own queries — overview() without filters —
 * run by native DuckDB over the same files; only `agencies` and
 * `report_metrics` are read, whatever the size of the dataset.
 */

export interface AgencyOption {
	id: string;
	name: string;
	province: string | null;
	city: string | null;
	level: string;
	category: string;
}

export interface DatasetInfo {
	version: string;
	built_at: string;
	source: string;
	counts: Manifest['counts'];
	failed: Manifest['failed'];
	/** Accepted source files by kind: parsed documents and hand-checked records. */
	sources: { document: number; record: number };
	/** The dataset's files beside manifest.json, for download: each table's Parquet parts (part i of n), then the CSV zip when there is one. */
	downloads: { table: TableName | null; file: string; bytes: number | null; part?: number; parts?: number }[];
}

export interface Snapshot {
	dataset: DatasetInfo;
	/** The regions, levels and categories the filters offer. */
	choices: Choices;
	years: number[];
	overview: OverviewData;
	/** How many per-agency answer files the build wrote (db/answers.ts). */
	answerShards: number;
	/** How many shards by id the agency directory has (db/directory.ts). */
	directoryShards: number;
}

/** The tables snapshotOf reads. */
export const SNAPSHOT_TABLES = ['agencies', 'report_metrics'] as const;

function datasetInfo(manifest: Manifest): DatasetInfo {
	return {
		version: manifest.dataset_version,
		built_at: manifest.built_at,
		source: manifest.source,
		counts: manifest.counts,
		failed: manifest.failed ?? [],
		sources: manifest.source_kinds ?? {
			document: (manifest.sources ?? []).filter((x) => x.status === 'ok' && x.kind === 'document').length,
			record: (manifest.sources ?? []).filter((x) => x.status === 'ok' && x.kind === 'record').length
		},
		downloads: [
			...TABLE_NAMES.flatMap((table) =>
				manifest.files[table].map((file, i) => ({ table, file, bytes: manifest.bytes?.[table]?.[i] ?? null, part: i + 1, parts: manifest.files[table].length }))
			),
			...(manifest.csv_zip ? [{ table: null, file: manifest.csv_zip, bytes: manifest.csv_zip_bytes ?? null }] : [])
		]
	};
}

/** Every agency of the dataset `db` holds, in the directory's order (db/directory.ts). */
export function agencyList(db: Runner): Promise<AgencyOption[]> {
	// By name (code point order: DuckDB compares text byte-wise, as UTF-8), then id.
	return db.query<AgencyOption>(sql`SELECT id, name, province, city, level, category FROM agencies ORDER BY name, id`);
}

/** The snapshot of the dataset `db` holds (its SNAPSHOT_TABLES), described by its manifest; `stored`: the build's cap on stored agencies. */
export async function snapshotOf(db: Runner, manifest: Manifest, stored = MAX_STORED_AGENCIES): Promise<Snapshot> {
	const agencies = await agencyList(db);
	const years = await db.query<{ year: number }>(sql`SELECT DISTINCT year FROM report_metrics ORDER BY year`);
	return {
		dataset: datasetInfo(manifest),
		choices: choicesOf(agencies),
		years: years.map((y) => y.year),
		overview: await overview(db, NO_FILTERS),
		answerShards: shardCount(Math.min(agencies.length, stored)),
		directoryShards: directoryShardCount(agencies.length)
	};
}
