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
	/**
	 * `how`: read | inferred | ambiguous (report/provenance.ts); `printed_row`: the row label as the document prints it (numbers without their own label:
	 * where they were placed); `page`: 1-based, PDF only; `reason`: the report's own sentence that decided an inferred cell (正文：“…”), null for nearly every cell.
	 */
	facts: [
		['report_id', 'VARCHAR'],
		['table_no', 'VARCHAR'],
		['row_key', 'VARCHAR'],
		['column_key', 'VARCHAR'],
		['value', 'DOUBLE'],
		['how', 'VARCHAR'],
		['printed_row', 'VARCHAR', 'null'],
		['page', 'INTEGER', 'null'],
		['reason', 'VARCHAR', 'null']
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

/** A sentence in both languages of the page. */
export interface Meaning {
	zh: string;
	en: string;
}

/**
 * What each table holds and what each column means: the data dictionary
 * (/dictionary) is generated from this, TABLES and the metric catalog.
 * `report_metrics`' metric columns are the catalog's and are described there.
 */
export const TABLE_DOCS: Record<TableName, { about: Meaning; columns: Record<string, Meaning> }> = {
	agencies: {
		about: {
			zh: '每个机关一行：名称、所属行政区划、层级和类别（由名称推断，或由 agencies.csv 指定）。',
			en: 'One row per agency: name, region, level and category (inferred from the name, or set in agencies.csv).'
		},
		columns: {
			id: { zh: '机关编号（由名称和行政区划得出，跨年不变）', en: 'Agency id (from the name and region; the same across years)' },
			name: { zh: '机关名称，取最近一年报告标题中的写法', en: 'Agency name, as the title of its latest report prints it' },
			province: { zh: '省级行政区名称', en: 'Province' },
			province_code: { zh: '省级行政区划代码（GB/T 2260，2 位）', en: 'Province code (GB/T 2260, 2 digits)' },
			city: { zh: '地级行政区名称', en: 'Prefecture-level city' },
			city_code: { zh: '地级行政区划代码（4 位）', en: 'City code (4 digits)' },
			county: { zh: '县级行政区名称', en: 'County-level division' },
			county_code: { zh: '县级行政区划代码（6 位）', en: 'County code (6 digits)' },
			level: { zh: '层级：省、市、县、乡等', en: 'Level: province, city, county, township …' },
			category: { zh: '类别：人民政府、公安、发展改革、交通等', en: 'Category: government, police, development and reform, transport …' },
			source: {
				zh: '层级和类别的来历：inferred（由名称推断）或 override（agencies.csv 指定）',
				en: 'Where level and category come from: inferred (from the name) or override (agencies.csv)'
			},
			note: { zh: '推断时的说明（如无法确定行政区划），没有则为空', en: 'A note from the inference (e.g. region not found); empty if none' }
		}
	},
	reports: {
		about: {
			zh: '每份报告（机关 × 年度）一行：表格格式、来源文件及其哈希、原始发布网址、核对状态和统计范围。',
			en: 'One row per report (agency × year): template, source file and its hash, where it was published, check status and scope.'
		},
		columns: {
			report_id: { zh: '报告编号：机关编号-年度', en: 'Report id: agency id-year' },
			agency_id: { zh: '机关编号（agencies.id）', en: 'Agency id (agencies.id)' },
			agency: { zh: '这份报告标题中的机关名称', en: 'The agency name in this report’s title' },
			year: { zh: '报告年度', en: 'Year reported on' },
			template: {
				zh: '表格格式：2019（国办公开办函〔2019〕60号）或 2021（〔2021〕30号）',
				en: 'Table template: 2019 (国办公开办函〔2019〕60号) or 2021 (〔2021〕30号)'
			},
			source_file: {
				zh: '读取的文件（相对所读目录；JSON Lines 中的记录带 #行号）',
				en: 'The file read (relative to the folder read; a JSON Lines record has #line)'
			},
			source_kind: {
				zh: 'document（解析的文档）或 record（导入的人工核对记录）',
				en: 'document (a parsed document) or record (an imported hand-checked record)'
			},
			sha256: { zh: '所读文件的 SHA-256', en: 'SHA-256 of the file read' },
			status: {
				zh: '核对状态：clean（勾稽一致）、broken_rules（报告自身勾稽不符）、read_problems（有表格未能读取）、uncertain（解析存疑）',
				en: 'Check status: clean, broken_rules (the report’s own arithmetic fails), read_problems (a table could not be read), uncertain (our reading is in doubt)'
			},
			broken_rules: { zh: '不成立的勾稽规则条数', en: 'Number of consistency rules that fail' },
			warnings: { zh: '其他提示条数（勾稽规则以外）', en: 'Number of other warnings (besides the rules)' },
			scope: {
				zh: '统计范围：own（本机关）、aggregate（政府汇总报告）或 unknown',
				en: 'Scope: own (the body’s own work), aggregate (a government’s summary report) or unknown'
			},
			scope_evidence: { zh: '判断统计范围所依据的文字或规则', en: 'The words or rule the scope was decided on' },
			source_url: {
				zh: '报告的发布网址（只收 http/https；fetch 的下载清单或来源说明中的地址），未知则为空',
				en: 'Where the report was published (http/https only; from fetch’s manifest or the source note); empty if unknown'
			},
			fetched_at: {
				zh: 'fetch 下载该文件的时间（ISO 8601，UTC），未经 fetch 则为空',
				en: 'When fetch downloaded the file (ISO 8601, UTC); empty if not fetched'
			},
			source_note: { zh: '记录或真值文件附带的来源说明（_source），原样保留', en: 'The source note a record or truth file carries (_source), as written' }
		}
	},
	facts: {
		about: {
			zh: '报告表格中的每一个数（长表）：表号、行、列、数值，以及如何读出。文档没有印出数字的格子不成行。',
			en: 'Every number of the report’s tables (long form): table, row, column, value, and how it was read. A cell without a printed number is no row.'
		},
		columns: {
			report_id: { zh: '报告编号（reports.report_id）', en: 'Report id (reports.report_id)' },
			table_no: {
				zh: '表号：二（主动公开）、三（依申请公开）、四（复议诉讼）',
				en: 'Table: 二 (proactive disclosure), 三 (requests), 四 (review and litigation)'
			},
			row_key: { zh: '行（schema.md 中的行键）', en: 'Row (the row key of schema.md)' },
			column_key: { zh: '列（schema.md 中的列键，如申请人类型）', en: 'Column (the column key of schema.md, e.g. applicant type)' },
			value: {
				zh: '报告印出的数值，原样保留；金额的单位见列键（amount_10k_yuan 为万元，amount_yuan 为元）',
				en: 'The number as printed; an amount’s unit is in its column key (amount_10k_yuan: 万元, amount_yuan: 元)'
			},
			how: {
				zh: '如何读出：read（照印）；inferred（版式容许多种读法，由勾稽关系或报告正文选定其一，属解析存疑）；ambiguous（多种读法都成立，取版式最可能的一种，属解析存疑）。机关页表格中带 ≈ 的数字即后两种，悬停或点按可见如何读出及依据',
				en: 'How it was read: read (as printed); inferred (the layout allowed several readings and the arithmetic or the report’s own text chose one: reading in doubt); ambiguous (several readings hold, the layout’s likeliest is taken: reading in doubt). In the profile’s tables these numbers carry ≈; hover or tap one to see how and why'
			},
			printed_row: {
				zh: '数字在文档中所在的行：通常是印出的行名；数字旁没有行名时写明置于哪一行（“（无标签行，置于（二）部分公开一行）”）；行名印错了一行时写明数字印在哪一行、置于哪一行（“（数字印在「（三）不予公开 1.属于国家秘密」一行，置于（二）部分公开一行）”）',
				en: 'The row the number stands on in the document: usually its printed label; where the numbers have no label, where they were placed (“（无标签行，置于（二）部分公开一行）”); where the labels were printed a row off, which label they stood beside and where they were placed (“（数字印在「（三）不予公开 1.属于国家秘密」一行，置于（二）部分公开一行）”)'
			},
			page: { zh: '数字所在的页码（从 1 起，仅 PDF），其他格式为空', en: 'The page the number is printed on (from 1, PDF only); empty for other formats' },
			reason: {
				zh: '版式和勾稽关系留有多种读法、由报告正文（总体情况）所述数字选定的格子：引用选定它的那句话（正文：“…”），此时 how 为 inferred；其他格子为空',
				en: 'For a cell the layout and the arithmetic left open and the report’s own prose (its 总体情况 counts) decided: the sentence that decided it (正文：“…”), with how = inferred; empty for every other cell'
			}
		}
	},
	metrics: {
		about: {
			zh: '每份报告的统一指标（长表）：指标目录中的每个计数、金额和比率。',
			en: 'The harmonized metrics of each report (long form): every count, amount and rate of the metric catalog.'
		},
		columns: {
			report_id: { zh: '报告编号', en: 'Report id' },
			agency_id: { zh: '机关编号', en: 'Agency id' },
			year: { zh: '报告年度', en: 'Year' },
			metric: { zh: '指标编号（见下方指标目录）', en: 'Metric id (see the metric catalog below)' },
			value: { zh: '指标值；比率为 0–1 之间的小数；报告没有该指标时不成行', en: 'Value; a rate is a fraction 0–1; no row where the report lacks the metric' }
		}
	},
	issues: {
		about: {
			zh: '核对发现的问题：勾稽规则不成立、无法读取的格子、跨年度结转不衔接、正文与表格不符等。',
			en: 'What the checks found: failing rules, unreadable cells, carry-over mismatches across years, prose against tables …'
		},
		columns: {
			report_id: { zh: '报告编号', en: 'Report id' },
			code: { zh: '问题代码（rule_* 为报告自身的勾稽规则）', en: 'Issue code (rule_* are the report’s own consistency rules)' },
			severity: { zh: '严重程度：error 或 warning', en: 'Severity: error or warning' },
			message: { zh: '说明，含期望值与实际值', en: 'Message, with expected and actual values' },
			table_no: { zh: '所在表号，没有则为空', en: 'Table, if any' },
			row_key: { zh: '所在行，没有则为空', en: 'Row, if any' },
			column_key: { zh: '所在列，没有则为空', en: 'Column, if any' },
			expected: { zh: '规则要求的数值', en: 'The value the rule expects' },
			actual: { zh: '报告印出的数值', en: 'The value the report prints' }
		}
	},
	report_metrics: {
		about: {
			zh: '每份报告一行，每个计数和金额指标一列（报告没有该指标时为空）；比率由这些列按指标目录的分子、分母相除得出，不单独存储。',
			en: 'One row per report, a column per count and amount metric (empty where the report lacks it); rates are ratios of these columns as the catalog defines them, not stored.'
		},
		columns: {
			report_id: { zh: '报告编号', en: 'Report id' },
			agency_id: { zh: '机关编号', en: 'Agency id' },
			agency: { zh: '报告标题中的机关名称', en: 'Agency name in the report’s title' },
			year: { zh: '报告年度', en: 'Year' },
			template: { zh: '表格格式（2019 或 2021）', en: 'Template (2019 or 2021)' },
			status: { zh: '核对状态（同 reports.status）', en: 'Check status (as reports.status)' },
			broken_rules: { zh: '不成立的勾稽规则条数', en: 'Number of rules that fail' },
			scope: { zh: '统计范围（同 reports.scope）', en: 'Scope (as reports.scope)' }
		}
	}
};
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

/** 2: report_metrics, metrics sorted by report, review/litigation concluded counts. 3: facts.how and facts.printed_row, status 'uncertain'. 4: report scope, cross-report issues. 5: reports.source_url, fetched_at, source_note. 6: facts.page. 7: facts.reason. 8: manifest.files lists each table's parts. */
export const DATASET_SCHEMA_VERSION = 8;

/** manifest.json beside the Parquet files. */
export interface Manifest {
	schema_version: number;
	/** Changes whenever the data changes; share links pin it. */
	dataset_version: string;
	built_at: string;
	source: string;
	/**
	 * Each table's Parquet parts, every one sorted by the table's order. A part
	 * holds whole agencies (all their rows in every table); ingest writes a
	 * part for new or changed agencies and keeps the others' files as they are.
	 */
	files: Record<TableName, string[]>;
	/** Size of each part (as `files`), so the browser can read parts of one with range requests. */
	bytes?: Record<TableName, number[]>;
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
	/** Every table as CSV in one zip beside the Parquet files, and its size; absent when it could not be written. */
	csv_zip?: string;
	csv_zip_bytes?: number;
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
