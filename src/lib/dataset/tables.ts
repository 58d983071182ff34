import { decideScope, describeAgency, type AgencyInfo, type AgencyOverride, type ScopeStatement } from '../agencies/index';
import { continuityIssues } from './continuity';
import { computeMetrics } from '../catalog/metrics';
import { UNCERTAIN_READING, reportId, type ReportStatus, type Row } from './columns';
export { DATASET_SCHEMA_VERSION } from './columns';
import { reportMetricsRows, type ReportMetricsRow } from './report-metrics';
import { APPLICANT_COLUMNS, CASE_FIELDS, CASE_GROUPS, REQUEST_ROWS, type ReportIssue, type ReportRecord } from '../report/schema';
import type { CellProvenance } from '../report/provenance';
import type { Origin } from './origin';

/**
 * Records → the dataset's tables (the shapes of the Parquet files and of the
 * browser's DuckDB tables). Pure: the CLI writes these rows to Parquet, the
 * upload page inserts them for the session.
 */

/** One accepted report: a parsed document or an imported record. */
export interface DatasetEntry {
	record: ReportRecord;
	issues: ReportIssue[];
	/** How each cell was read (parsed documents); an imported record's cells are as it states them. */
	provenance?: FactProvenance;
	sourceFile: string;
	sha256: string;
	kind: 'document' | 'record';
	/** What the document's prose says about its scope (a record has no prose). */
	scope?: ScopeStatement | null;
	/** Where it was published and fetched (dataset/origin.ts); none for an upload. */
	origin?: Origin;
}

/** Rows of the dataset's tables, as columns.ts defines them. */
export type ReportRow = Row<'reports'> & { status: ReportStatus };
export type FactRow = Row<'facts'>;
export type MetricRow = Row<'metrics'>;
export type IssueRow = Row<'issues'>;

export interface DatasetTables {
	agencies: AgencyInfo[];
	reports: ReportRow[];
	facts: FactRow[];
	metrics: MetricRow[];
	issues: IssueRow[];
	report_metrics: ReportMetricsRow[];
}

export { reportId, reportMetricsRows, type ReportMetricsRow };

/** What `facts` keeps of each cell's provenance: how it was read, its row as printed, its page, the sentence that decided it. */
export type FactProvenance = Record<string, Pick<CellProvenance, 'how' | 'row' | 'page' | 'reason'>>;

/**
 * Every number of a record, in long form: nothing dropped; each with how it
 * was read, its row as printed, and the prose's sentence where that decided
 * it. A cell without a number (null: the document printed no number the
 * column can hold) is no fact; its issue row says where it is and what was
 * printed.
 */
export function factsOf(id: string, r: ReportRecord, provenance?: FactProvenance): FactRow[] {
	const out: FactRow[] = [];
	const add = (table_no: string, row_key: string, column_key: string, value: number | null, key: string) => {
		if (value === null) return;
		const p = provenance?.[key];
		out.push({
			report_id: id,
			table_no,
			row_key,
			column_key,
			value,
			how: p?.how ?? 'read',
			printed_row: p?.row ?? null,
			page: p?.page ?? null,
			reason: p?.reason ?? null
		});
	};
	for (const [row, fields] of Object.entries(r.active ?? {})) {
		if (!fields) continue;
		for (const [column, value] of Object.entries(fields)) add('二', row, column, value, `active.${row}.${column}`);
	}
	REQUEST_ROWS.forEach((row, i) => {
		const cells = r.requests[row];
		if (cells) APPLICANT_COLUMNS.forEach((column, j) => add('三', row, column, cells[column], REQUEST_KEYS[i][j]));
	});
	CASE_GROUPS.forEach((group, i) => {
		const cells = r[group];
		if (cells) CASE_FIELDS.forEach((column, j) => add('四', group, column, cells[column], CASE_KEYS[i][j]));
	});
	return out;
}

// Each cell's provenance key (`<path>.<column>`) made once: building it again for every cell of every report was a
// third of factsOf.
const REQUEST_KEYS = REQUEST_ROWS.map((row) => APPLICANT_COLUMNS.map((column) => `requests.${row}.${column}`));
const CASE_KEYS = CASE_GROUPS.map((group) => CASE_FIELDS.map((column) => `${group}.${column}`));

/** Table 三's received counts a scope statement may state: 本年新收, and with 上年结转. */
export function receivedCounts(r: ReportRecord): number[] {
	const n = r.requests.new_received?.total;
	if (n === undefined || n === null) return [];
	return [n, n + (r.requests.carried_over?.total ?? 0)];
}

export function statusOf(issues: ReportIssue[]): { status: ReportRow['status']; broken: number; warnings: number } {
	const broken = issues.filter((i) => i.code.startsWith('rule_')).length;
	const errors = issues.filter((i) => i.severity === 'error').length;
	const warnings = issues.filter((i) => i.severity === 'warning' && !i.code.startsWith('rule_')).length;
	// rule_* are failures over cells all read as printed (checks.ts sorts each rule by its cells' provenance): the
	// report's own, whatever doubt there is elsewhere. A rule failing over a doubted cell is reading_rule, 解析存疑.
	const uncertain = issues.some((i) => UNCERTAIN_READING.has(i.code));
	return { status: errors > 0 ? 'read_problems' : broken > 0 ? 'broken_rules' : uncertain ? 'uncertain' : 'clean', broken, warnings };
}

/**
 * Build every table. Agencies are merged by identity (agencies/index.ts), and
 * take the name of their latest report, as printed in its title.
 */
export function buildTables(entries: DatasetEntry[], overrides: Map<string, AgencyOverride> = new Map()): DatasetTables {
	const agencies = new Map<string, { info: AgencyInfo; year: number }>();
	const reports: ReportRow[] = [];
	const facts: FactRow[] = [];
	const metrics: MetricRow[] = [];
	const issues: IssueRow[] = [];
	for (const e of entries) {
		const r = e.record;
		const info = describeAgency(r.agency, overrides.get(r.agency));
		const known = agencies.get(info.id);
		if (!known || r.year >= known.year) agencies.set(info.id, { info, year: r.year });
		const id = reportId(info.id, r.year);
		const s = statusOf(e.issues);
		const scope = decideScope(info, e.scope, overrides.get(r.agency)?.scope, receivedCounts(r));
		reports.push({
			report_id: id,
			agency_id: info.id,
			agency: r.agency,
			year: r.year,
			template: r.template,
			source_file: e.sourceFile,
			source_kind: e.kind,
			sha256: e.sha256,
			status: s.status,
			broken_rules: s.broken,
			warnings: s.warnings,
			scope: scope.value,
			scope_evidence: scope.evidence,
			source_url: e.origin?.url ?? null,
			fetched_at: e.origin?.fetchedAt ?? null,
			source_note: e.origin?.note ?? null
		});
		facts.push(...factsOf(id, r, e.provenance));
		for (const m of computeMetrics(r)) metrics.push({ report_id: id, agency_id: info.id, year: r.year, ...m });
		for (const i of e.issues)
			issues.push({
				report_id: id,
				code: i.code,
				severity: i.severity,
				message: i.message,
				table_no: i.where?.table ?? null,
				row_key: i.where?.row ?? null,
				column_key: i.where?.column ?? null,
				expected: i.expected ?? null,
				actual: i.actual ?? null
			});
	}
	// Checks across reports: flagged, never a number changed (and no report's status: its own tables are as they were).
	issues.push(
		...continuityIssues(
			reports,
			entries.map((e) => e.record)
		)
	);
	return { agencies: [...agencies.values()].map((a) => a.info), reports, facts, metrics, issues, report_metrics: reportMetricsRows(reports, metrics) };
}
