import { METRICS } from '../catalog/metrics';
import { DOUBTED_RULE } from '../report/checks';

/**
 * The dataset's tables and column types: one definition for the Parquet
 * writer (CLI), the browser loader (DuckDB-WASM), the build-time snapshot
 * (native DuckDB) and the tests. The DDL and the row types are derived from it.
 */
export type ColumnType = 'VARCHAR' | 'INTEGER' | 'DOUBLE';

/** A column: name, SQL type, and 'null' where a row may lack the value (DuckDB allows NULL everywhere; the row types say where it happens). */
export type ColumnSpec = readonly [name: string, type: ColumnType] | readonly [name: string, type: ColumnType, nullable: 'null'];

/**
 * The metrics stored as columns of `report_metrics`: every count and amount.
 * Rates are not stored there; each is a ratio of stored ones (catalog `ratio`).
 */
export const STORED_METRICS: readonly string[] = METRICS.filter((m) => !m.ratio).map((m) => m.id);

/**
 * How a report was read (statusOf): every rule holds; some rule is broken
 * under the reading we are sure of (报告自身不符: every cell it adds up was
 * read as printed); some table could not be read; or some cell's reading is
 * ambiguous or inferred (解析存疑, never counted as the report's own fault: a
 * rule failing over such a cell is `reading_rule`, not `rule_*`).
 */
export type ReportStatus = 'clean' | 'broken_rules' | 'read_problems' | 'uncertain';

/** Issues that say our reading is in doubt (解析存疑), as opposed to the report's own arithmetic (rule_*); DOUBTED_RULE: a rule failing over such cells. */
export const UNCERTAIN_READING: ReadonlySet<string> = new Set(['reading_ambiguous', 'reading_inferred', 'row_by_order', 'cells_ambiguous', DOUBTED_RULE]);

/** The statuses that flag a report's numbers in totals and charts: its own arithmetic, or tables we could not read. Our doubt is shown apart. */
export const FLAGGED_STATUSES: readonly ReportStatus[] = ['broken_rules', 'read_problems'];

export const TABLES = {
	agencies: [
		['id', 'VARCHAR'],
		['name', 'VARCHAR'],
		['province', 'VARCHAR', 'null'],
		['province_code', 'VARCHAR', 'null'],
		['city', 'VARCHAR', 'null'],
		['city_code', 'VARCHAR', 'null'],
		['county', 'VARCHAR', 'null'],
		['county_code', 'VARCHAR', 'null'],
		['level', 'VARCHAR'],
		['category', 'VARCHAR'],
		['source', 'VARCHAR'],
		['note', 'VARCHAR', 'null']
	],
	reports: [
		['report_id', 'VARCHAR'],
		['agency_id', 'VARCHAR'],
		['agency', 'VARCHAR'],
		['year', 'INTEGER'],
		['template', 'VARCHAR'],
		['source_file', 'VARCHAR'],
		['source_kind', 'VARCHAR'],
		['sha256', 'VARCHAR'],
		['status', 'VARCHAR'],
		['broken_rules', 'INTEGER'],
		['warnings', 'INTEGER'],
		// own | aggregate | unknown (agencies/scope.ts), and the words it was decided on.
		['scope', 'VARCHAR'],
		['scope_evidence', 'VARCHAR'],
		// Where the report was published (an http(s) URL or null), when fetch downloaded it, and the source note that came with it (dataset/origin.ts).
		['source_url', 'VARCHAR', 'null'],
		['fetched_at', 'VARCHAR', 'null'],
		['source_note', 'VARCHAR', 'null']
	],
	/** `how`: read | inferred | ambiguous (report/provenance.ts); `printed_row`: the row label as the document prints it. */
	facts: [
		['report_id', 'VARCHAR'],
		['table_no', 'VARCHAR'],
		['row_key', 'VARCHAR'],
		['column_key', 'VARCHAR'],
		['value', 'DOUBLE'],
		['how', 'VARCHAR'],
		['printed_row', 'VARCHAR', 'null']
	],
	metrics: [
		['report_id', 'VARCHAR'],
		['agency_id', 'VARCHAR'],
		['year', 'INTEGER'],
		['metric', 'VARCHAR'],
		['value', 'DOUBLE']
	],
	issues: [
		['report_id', 'VARCHAR'],
		['code', 'VARCHAR'],
		['severity', 'VARCHAR'],
		['message', 'VARCHAR'],
		['table_no', 'VARCHAR', 'null'],
		['row_key', 'VARCHAR', 'null'],
		['column_key', 'VARCHAR', 'null'],
		['expected', 'DOUBLE', 'null'],
		['actual', 'DOUBLE', 'null']
	],
	/**
	 * One row per report: what the overview, comparisons and filters need,
	 * with every stored metric as a column (null where the report lacks it,
	 * as in `metrics`). Derived from `reports` and `metrics` by buildTables;
	 * small enough to load at start even at 100,000 reports.
	 */
	report_metrics: [
		['report_id', 'VARCHAR'],
		['agency_id', 'VARCHAR'],
		['agency', 'VARCHAR'],
		['year', 'INTEGER'],
		['template', 'VARCHAR'],
		['status', 'VARCHAR'],
		['broken_rules', 'INTEGER'],
		['scope', 'VARCHAR'],
		...STORED_METRICS.map((id) => [id, 'DOUBLE', 'null'] as const)
	]
} as const satisfies Record<string, readonly ColumnSpec[]>;

export type TableName = keyof typeof TABLES;
export const TABLE_NAMES = Object.keys(TABLES) as TableName[];

/** The statement that creates a table with the dataset's columns and types (the same in every DuckDB). */
export function createTableSql(table: TableName): string {
	return `CREATE TABLE ${table} (${TABLES[table].map(([name, type]) => `"${name}" ${type}`).join(', ')})`;
}

interface ColumnValue {
	VARCHAR: string;
	INTEGER: number;
	DOUBLE: number;
}
type Columns<T extends TableName> = (typeof TABLES)[T][number];
type ValueOf<C extends ColumnSpec> = C extends readonly [string, infer T extends ColumnType, 'null'] ? ColumnValue[T] | null : ColumnValue[C[1]];

/**
 * One row of a table, as TABLES defines it. Columns named at run time
 * (report_metrics' metrics) make an index signature over every value type.
 */
export type Row<T extends TableName> = { -readonly [C in Columns<T> as string extends C[0] ? never : C[0]]: ValueOf<C> } & (string extends Columns<T>[0]
	? Record<string, string | number | null>
	: unknown);

export interface TableLayout {
	/** Sort order of the Parquet file. */
	order: string;
	/** Rows per Parquet row group: the unit the browser reads when it needs only some reports. */
	rowGroup: number;
	/**
	 * 'start': read before the dashboard reports ready. 'demand': read when a
	 * query needs it — whole, or only the row groups holding some agencies'
	 * reports (the file is sorted by report_id, which starts with the agency id).
	 */
	load: 'start' | 'demand';
}

export const TABLE_LAYOUT: Record<TableName, TableLayout> = {
	agencies: { order: 'id', rowGroup: 100_000, load: 'start' },
	report_metrics: { order: 'report_id', rowGroup: 100_000, load: 'start' },
	reports: { order: 'report_id', rowGroup: 2_048, load: 'demand' },
	facts: { order: 'report_id, table_no, row_key, column_key', rowGroup: 100_000, load: 'demand' },
	metrics: { order: 'report_id, metric', rowGroup: 50_000, load: 'demand' },
	issues: { order: 'report_id, code', rowGroup: 10_000, load: 'demand' }
};

/** The id of an agency's report of one year; an agency's reports sort together. */
export function reportId(agencyId: string, year: number): string {
	return `${agencyId}-${year}`;
}

/** The report_id range [from, to] holding every report of the agency. */
export function agencyKeyRange(agencyId: string): [string, string] {
	return [`${agencyId}-`, `${agencyId}-\uffff`];
}

/** manifest.json beside the Parquet files. */
export interface Manifest {
	schema_version: number;
	/** Changes whenever the data changes; share links pin it. */
	dataset_version: string;
	built_at: string;
	source: string;
	files: Record<TableName, string>;
	/** Size of each file, so the browser can read parts of one with range requests. */
	bytes?: Record<TableName, number>;
	counts: Record<TableName, number> & {
		files_read: number;
		parsed_clean: number;
		parsed_with_broken_rules: number;
		failed: number;
		duplicates: number;
		skipped: number;
	};
	/** Accepted source files by kind. */
	source_kinds?: { document: number; record: number };
	/**
	 * Every source file read, in their own file beside the manifest (one
	 * entry per report at scale: megabytes the page never needs).
	 */
	sources_file?: string;
	/** Older manifests list the sources inline. */
	sources?: ManifestSource[];
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
