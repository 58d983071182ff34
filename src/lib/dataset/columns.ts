/**
 * The dataset's tables and column types: one definition for the Parquet
 * writer (CLI) and the browser loader (DuckDB-WASM).
 */
export type ColumnType = 'VARCHAR' | 'INTEGER' | 'DOUBLE';

export const TABLES = {
	agencies: [
		['id', 'VARCHAR'], ['name', 'VARCHAR'], ['province', 'VARCHAR'], ['province_code', 'VARCHAR'],
		['city', 'VARCHAR'], ['city_code', 'VARCHAR'], ['county', 'VARCHAR'], ['county_code', 'VARCHAR'],
		['level', 'VARCHAR'], ['category', 'VARCHAR'], ['source', 'VARCHAR'], ['note', 'VARCHAR']
	],
	reports: [
		['report_id', 'VARCHAR'], ['agency_id', 'VARCHAR'], ['agency', 'VARCHAR'], ['year', 'INTEGER'],
		['template', 'VARCHAR'], ['source_file', 'VARCHAR'], ['source_kind', 'VARCHAR'], ['sha256', 'VARCHAR'],
		['status', 'VARCHAR'], ['broken_rules', 'INTEGER'], ['warnings', 'INTEGER']
	],
	facts: [['report_id', 'VARCHAR'], ['table_no', 'VARCHAR'], ['row_key', 'VARCHAR'], ['column_key', 'VARCHAR'], ['value', 'DOUBLE']],
	metrics: [['report_id', 'VARCHAR'], ['agency_id', 'VARCHAR'], ['year', 'INTEGER'], ['metric', 'VARCHAR'], ['value', 'DOUBLE']],
	issues: [
		['report_id', 'VARCHAR'], ['code', 'VARCHAR'], ['severity', 'VARCHAR'], ['message', 'VARCHAR'], ['table_no', 'VARCHAR'],
		['row_key', 'VARCHAR'], ['column_key', 'VARCHAR'], ['expected', 'DOUBLE'], ['actual', 'DOUBLE']
	]
} as const satisfies Record<string, readonly (readonly [string, ColumnType])[]>;

export type TableName = keyof typeof TABLES;
export const TABLE_NAMES = Object.keys(TABLES) as TableName[];

/** The sort order each table is written in (Parquet row groups stay compact). */
export const TABLE_ORDER: Record<TableName, string> = {
	agencies: 'id',
	reports: 'report_id',
	facts: 'report_id, table_no, row_key, column_key',
	metrics: 'metric, year, agency_id',
	issues: 'report_id, code'
};

/** manifest.json beside the Parquet files. */
export interface Manifest {
	schema_version: number;
	/** Changes whenever the data changes; share links pin it. */
	dataset_version: string;
	built_at: string;
	source: string;
	files: Record<TableName, string>;
	counts: Record<TableName, number> & { files_read: number; parsed_clean: number; parsed_with_broken_rules: number; failed: number; duplicates: number; skipped: number };
	sources: ManifestSource[];
	failed: { file: string; reason: string }[];
	duplicates: { kept: string; dropped: string; report_id: string; reason: string }[];
	skipped: string[];
}

export interface ManifestSource {
	file: string;
	sha256: string;
	kind: 'document' | 'record';
	status: 'ok' | 'failed' | 'duplicate';
	report_ids: string[];
}
