import { METRIC_BY_ID } from '$lib/catalog/metrics';
import {
	OVERVIEW_METRICS,
	POOLED_FACT_TABLES,
	buildOverview,
	isPooled,
	metricOf,
	type FactCell,
	type MatrixCellRow,
	type MetricSumRow,
	type OverviewData,
	type PooledFactRow,
	type ReportStatus,
	type YearTemplateRow
} from './aggregate';
import { empty, join, list, sql, type Sql } from './sql';

/**
 * Every question the dashboard asks, as SQL built from the catalog and the
 * view state. Values always travel as parameters; metric ids are checked
 * against the catalog first. The runner is DuckDB-WASM in the page and
 * @duckdb/node-api in the unit test, with the same SQL.
 */

export interface Runner {
	query<T>(q: Sql): Promise<T[]>;
}

export interface Filters {
	from: number | null;
	to: number | null;
	province: string | null;
	city: string | null;
	level: string | null;
	category: string | null;
	/** Part of an agency's name. */
	q: string;
}

export const NO_FILTERS: Filters = { from: null, to: null, province: null, city: null, level: null, category: null, q: '' };

/** How many agencies the overview's report matrix lists. */
export const MATRIX_LIMIT = 200;

/** Reports in scope that break a consistency rule or were not fully read. */
const FLAGGED: Sql = { text: `CAST(SUM(CASE WHEN s.status <> 'clean' THEN 1 ELSE 0 END) AS DOUBLE)`, params: [] };

function where(f: Filters): Sql {
	const c: Sql[] = [];
	if (f.from !== null) c.push(sql`r.year >= ${f.from}`);
	if (f.to !== null) c.push(sql`r.year <= ${f.to}`);
	if (f.province) c.push(sql`a.province = ${f.province}`);
	if (f.city) c.push(sql`a.city = ${f.city}`);
	if (f.level) c.push(sql`a.level = ${f.level}`);
	if (f.category) c.push(sql`a.category = ${f.category}`);
	// contains() takes the text literally: no LIKE wildcards to escape.
	if (f.q.trim()) c.push(sql`(contains(lower(a.name), lower(${f.q.trim()})) OR contains(lower(r.agency), lower(${f.q.trim()})))`);
	return c.length ? sql`WHERE ${join(c, ' AND ')}` : empty;
}

/** The reports the filters select, with their agency's current name. */
function scope(f: Filters): Sql {
	return sql`WITH s AS (
		SELECT r.report_id, r.agency_id, a.name, r.year, r.template, r.status, r.broken_rules
		FROM reports r JOIN agencies a ON a.id = r.agency_id
		${where(f)}
	)`;
}

function knownMetrics(ids: readonly string[]): string[] {
	return ids.map((id) => metricOf(id).id);
}

export async function overview(db: Runner, f: Filters): Promise<OverviewData> {
	const metrics = knownMetrics(OVERVIEW_METRICS);
	const pooled = metrics.filter((id) => isPooled(metricOf(id)));
	const s = scope(f);
	const years = await db.query<YearTemplateRow>(sql`${s}
		SELECT s.year, s.template, CAST(COUNT(*) AS DOUBLE) AS reports, ${FLAGGED} AS flagged,
			CAST(COUNT(DISTINCT s.agency_id) AS DOUBLE) AS agencies
		FROM s GROUP BY 1, 2 ORDER BY 1, 2`);
	const [{ n: agencies }] = await db.query<{ n: number }>(sql`${s} SELECT CAST(COUNT(DISTINCT agency_id) AS DOUBLE) AS n FROM s`);
	const sums = await db.query<MetricSumRow>(sql`${s}
		SELECT m.metric, m.year, CAST(SUM(m.value) AS DOUBLE) AS total, CAST(COUNT(*) AS DOUBLE) AS reports, ${FLAGGED} AS flagged
		FROM metrics m JOIN s ON s.report_id = m.report_id
		WHERE m.metric IN (${list(metrics)})
		GROUP BY 1, 2`);
	const facts = await db.query<PooledFactRow>(sql`${s}
		SELECT m.metric, m.year, f.table_no, f.row_key, f.column_key, CAST(SUM(f.value) AS DOUBLE) AS value
		FROM metrics m JOIN s ON s.report_id = m.report_id JOIN facts f ON f.report_id = m.report_id
		WHERE m.metric IN (${list(pooled)}) AND f.table_no IN (${list(POOLED_FACT_TABLES)})
		GROUP BY 1, 2, 3, 4, 5`);
	const matrix = await db.query<MatrixCellRow>(sql`${s},
		ag AS (SELECT agency_id, min(name) AS name FROM s GROUP BY 1 ORDER BY name, agency_id LIMIT ${MATRIX_LIMIT})
		SELECT s.agency_id, ag.name, s.year, s.template, s.status, s.broken_rules
		FROM s JOIN ag ON ag.agency_id = s.agency_id ORDER BY ag.name, s.agency_id, s.year`);
	return buildOverview({ years, sums, facts, matrix, agencies });
}

/** One report of an agency, with the metric's value when the report has it. */
export interface SeriesRow {
	agency_id: string;
	year: number;
	template: string;
	status: ReportStatus;
	broken_rules: number;
	value: number | null;
}

export async function metricSeries(db: Runner, agencyIds: readonly string[], metricId: string, years: { from: number | null; to: number | null }): Promise<SeriesRow[]> {
	const metric = METRIC_BY_ID.get(metricId);
	if (!metric || agencyIds.length === 0) return [];
	const range: Sql[] = [];
	if (years.from !== null) range.push(sql` AND r.year >= ${years.from}`);
	if (years.to !== null) range.push(sql` AND r.year <= ${years.to}`);
	return db.query<SeriesRow>(sql`
		SELECT r.agency_id, r.year, r.template, r.status, r.broken_rules, m.value
		FROM reports r LEFT JOIN metrics m ON m.report_id = r.report_id AND m.metric = ${metric.id}
		WHERE r.agency_id IN (${list(agencyIds)})${join(range, '')}
		ORDER BY r.agency_id, r.year`);
}

export interface AgencyRow {
	id: string;
	name: string;
	province: string | null;
	city: string | null;
	county: string | null;
	level: string;
	category: string;
	note: string | null;
}

export interface ReportRow {
	report_id: string;
	agency: string;
	year: number;
	template: string;
	source_file: string;
	source_kind: string;
	status: ReportStatus;
	broken_rules: number;
	warnings: number;
}

export interface IssueRow {
	report_id: string;
	year: number;
	code: string;
	severity: string;
	message: string;
	table_no: string | null;
	row_key: string | null;
	column_key: string | null;
	expected: number | null;
	actual: number | null;
}

export interface ProfileData {
	agency: AgencyRow | null;
	reports: ReportRow[];
	metrics: { year: number; metric: string; value: number }[];
	facts: (FactCell & { year: number })[];
	issues: IssueRow[];
}

export async function profile(db: Runner, agencyId: string): Promise<ProfileData> {
	const [agency] = await db.query<AgencyRow>(sql`
		SELECT id, name, province, city, county, level, category, note FROM agencies WHERE id = ${agencyId}`);
	if (!agency) return { agency: null, reports: [], metrics: [], facts: [], issues: [] };
	const reports = await db.query<ReportRow>(sql`
		SELECT report_id, agency, year, template, source_file, source_kind, status, broken_rules, warnings
		FROM reports WHERE agency_id = ${agencyId} ORDER BY year`);
	const metrics = await db.query<{ year: number; metric: string; value: number }>(sql`
		SELECT year, metric, value FROM metrics WHERE agency_id = ${agencyId} ORDER BY year, metric`);
	const facts = await db.query<FactCell & { year: number }>(sql`
		SELECT r.year, f.table_no, f.row_key, f.column_key, f.value
		FROM facts f JOIN reports r ON r.report_id = f.report_id
		WHERE r.agency_id = ${agencyId}`);
	const issues = await db.query<IssueRow>(sql`
		SELECT i.report_id, r.year, i.code, i.severity, i.message, i.table_no, i.row_key, i.column_key, i.expected, i.actual
		FROM issues i JOIN reports r ON r.report_id = i.report_id
		WHERE r.agency_id = ${agencyId} ORDER BY r.year, i.table_no, i.code, i.row_key, i.column_key`);
	return { agency, reports, metrics, facts, issues };
}
