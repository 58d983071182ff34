import { METRICS, METRIC_BY_ID, partsOf, wholeOf, type Metric } from '$lib/catalog/metrics';
import type { SumScope } from '$lib/agencies/scope';
import { FLAGGED_STATUSES, STORED_METRICS, type ReportStatus, type Row } from '$lib/dataset/columns';
import type { IssueRow as DatasetIssueRow, ReportRow as DatasetReportRow } from '$lib/dataset/tables';
import {
	OVERVIEW_METRICS,
	buildOverview,
	metricOf,
	type FactCell,
	type MatrixCellRow,
	type MetricSumRow,
	type OverviewData,
	type YearTemplateRow
} from './aggregate';
import { ask, type PerAgency } from './answers';
import { empty, ident, join, list, sql, type Sql } from './sql';
import { CUBES, cubeMetricColumns, yearsMask } from './start';

/**
 * Every question the dashboard asks, as SQL built from the catalog and the
 * view state. Values always travel as parameters; metric ids are checked
 * against the catalog first. The runner is DuckDB-WASM in the page, and
 * native DuckDB (lib/server/duckdb-runner.ts) for the prerendered snapshot
 * and the tests, with the same SQL.
 *
 * The overview, filters and comparisons read `report_metrics` (one row per
 * report, loaded at start). Rates are pooled from their parts (catalog
 * `ratio`), so no view needs `facts` or `metrics` but the agency profile,
 * which names the agency it needs (RowScope) so only that part is read.
 */

/**
 * Rows a query needs from the tables the page loads on demand: the reports
 * of these agencies, or these reports. Without a scope, the engine loads
 * every table the SQL names in full before running it.
 */
export interface RowScope {
	agencies?: readonly string[];
	reports?: readonly string[];
	/** The first n parts of report_metrics and agencies in name order (start.ts): every agency up to the last of them. */
	parts?: number;
	/**
	 * Where a stored answer of the question is kept (db/answers.ts): the file
	 * of this key (an agency id, or a peer group's peerBandKey). For questions
	 * about one agency or group that read other agencies' rows (its peers): it
	 * does not limit the rows DuckDB reads.
	 */
	storedWith?: string;
	/** Its stored answer is in the agency's detail file (PerAgency.detail: the profile's printed tables), not its answer file. */
	detail?: boolean;
}

export interface Runner {
	query<T>(q: Sql, scope?: RowScope): Promise<T[]>;
	/**
	 * The build's start tables (start.ts) hold every report of the data: the
	 * overview may read its cubes. False or absent: only the per-report tables
	 * (no start tables, or rows were added in the page).
	 */
	readonly cubes?: boolean;
}

/**
 * The researchers' filters: reports left out of every number (the overview's
 * totals, shares, comparisons, the peer band), and the least n a report's
 * rate rests on.
 */
export interface ReportFilters {
	/** Leave out reports that break their own arithmetic or whose tables could not be read (FLAGGED_STATUSES). */
	skipFlagged: boolean;
	/** Leave out reports whose reading is in doubt (status uncertain, 解析存疑). */
	skipUncertain: boolean;
	/** A report's rate counts only when its n (the rate's denominator) is at least this; 0 = always. */
	minN: number;
}

export const NO_REPORT_FILTERS: ReportFilters = { skipFlagged: false, skipUncertain: false, minN: 0 };

export interface Filters extends ReportFilters {
	from: number | null;
	to: number | null;
	province: string | null;
	city: string | null;
	level: string | null;
	category: string | null;
	/** Part of an agency's name. */
	q: string;
	/** The reports a sum across bodies adds up: the bodies' own reports, or the governments' aggregate ones (never both: they overlap). */
	sum: SumScope;
}

export const NO_FILTERS: Filters = { from: null, to: null, province: null, city: null, level: null, category: null, q: '', sum: 'own', ...NO_REPORT_FILTERS };

/** How many agencies the overview's report matrix lists. */
export const MATRIX_LIMIT = 200;

/** Whether the report on row `alias` is flagged (FLAGGED_STATUSES): it breaks a rule of its own or was not fully read; 解析存疑 is not. */
export function isFlagged(alias: string): Sql {
	return sql`${column(alias, 'status')} IN (${list([...FLAGGED_STATUSES])})`;
}

/** Reports in scope that break a consistency rule or were not fully read. */
const FLAGGED: Sql = sql`CAST(SUM(CASE WHEN ${isFlagged('s')} THEN 1 ELSE 0 END) AS DOUBLE)`;

/** The reports the researchers' filters leave out, as conditions on the report_metrics row `alias`. */
function kept(f: ReportFilters, alias: string): Sql[] {
	const c: Sql[] = [];
	if (f.skipFlagged) c.push(sql`NOT ${isFlagged(alias)}`);
	if (f.skipUncertain) c.push(sql`${column(alias, 'status')} <> 'uncertain'`);
	return c;
}

/** The agency columns the filters select on. */
const AGENCY_FILTERS = ['province', 'city', 'level', 'category'] as const;
type AgencyFilter = (typeof AGENCY_FILTERS)[number];

/**
 * The filters' conditions on a report (`r`: status, scope and, unless
 * `years` is false, its year) and its agency (`a`: region, level, category;
 * name only where `r` has `agency` and `a` has `name`); `summed`: only the
 * reports of the sum scope (for totals across bodies).
 */
function conditions(f: Filters, summed: boolean, r: string, a: string, years = true): Sql[] {
	const c: Sql[] = kept(f, r);
	if (summed) c.push(sql`${column(r, 'scope')} = ${f.sum}`);
	if (years && f.from !== null) c.push(sql`${column(r, 'year')} >= ${f.from}`);
	if (years && f.to !== null) c.push(sql`${column(r, 'year')} <= ${f.to}`);
	for (const k of AGENCY_FILTERS) if (f[k]) c.push(sql`${column(a, k)} = ${f[k]}`);
	// contains() takes the text literally: no LIKE wildcards to escape.
	if (f.q.trim()) c.push(sql`(contains(lower(${column(a, 'name')}), lower(${f.q.trim()})) OR contains(lower(${column(r, 'agency')}), lower(${f.q.trim()})))`);
	return c;
}

function whereOf(c: readonly Sql[]): Sql {
	return c.length ? sql`WHERE ${join(c, ' AND ')}` : empty;
}

/** The filters as a WHERE clause over report_metrics `r` and agencies `a`; `summed`: only the reports of the sum scope. */
function where(f: Filters, summed: boolean): Sql {
	return whereOf(conditions(f, summed, 'r', 'a'));
}

/** The report columns `scope` always gives. */
const SCOPE_COLUMNS = ['report_id', 'agency_id', 'agency', 'year', 'template', 'status', 'broken_rules', 'scope'] as const;

/**
 * `WITH s AS (…)`: the reports the filters select, with their agency's
 * current name (s.name), the report columns, and stored metrics as columns
 * (s.<metric id>; see metricValue(id, 's') for rates): all of them, or only
 * those `metrics` need (a rate brings its parts). Naming only what a query
 * reads keeps DuckDB from carrying 50 metric columns through joins (at
 * 100,000 reports the overview's queries take half as long). `summed`:
 * only the reports a total across bodies adds up (Filters.sum). `agency`:
 * agency columns to give besides its name (s.province …).
 */
export function scope(f: Filters, metrics?: readonly string[], summed = false, agency: readonly AgencyFilter[] = []): Sql {
	const stored = metrics ? [...new Set(metrics.flatMap((id) => storedColumnsOf(metricOf(id))))] : STORED_METRICS;
	const columns = join([...[...SCOPE_COLUMNS, ...stored].map((c) => column('r', c)), ...['name', ...agency].map((c) => column('a', c))], ', ');
	return sql`WITH s AS (
		SELECT ${columns}
		FROM report_metrics r JOIN agencies a ON a.id = r.agency_id
		${where(f, summed)}
	)`;
}

/** The stored columns a metric's value on one report reads: itself, or a rate's parts and its denominator's parts (PARTS_RULE). */
function storedColumnsOf(m: Metric): string[] {
	if (!m.ratio) return [m.id];
	const whole = wholeOf(m.ratio);
	return [...new Set([...m.ratio.numerator, m.ratio.denominator, whole, ...partsOf(whole).map((p) => p.id)])];
}

/**
 * Whether a report's parts of `wholeId` add up to it (catalog PARTS_RULE; the
 * SQL twin of partsAddUp): true for a whole without parts.
 */
export function partsAddUp(wholeId: string, alias: string): Sql {
	const parts = partsOf(wholeId);
	if (!parts.length) return sql`TRUE`;
	const whole = column(alias, wholeId);
	return sql`(${whole} IS NOT NULL AND abs(${join(
		parts.map((p) => sql`coalesce(${column(alias, p.id)}, 0)`),
		' + '
	)} - ${whole}) < 0.5)`;
}

/** A list of the code's own column names, quoted. */
function columns(names: readonly string[]): Sql {
	return join(
		names.map((n) => ident(n)),
		', '
	);
}

function column(alias: string, id: string): Sql {
	return { text: `${ident(alias).text}.${ident(id).text}`, params: [] };
}

/** A rate's numerator on one report: Σ its parts, null when the report has none of them. */
function numerator(m: Metric, alias: string): Sql {
	const parts = m.ratio!.numerator.map((id) => column(alias, id));
	if (parts.length === 1) return parts[0];
	return sql`CASE WHEN ${join(
		parts.map((p) => sql`${p} IS NULL`),
		' AND '
	)} THEN NULL ELSE ${join(
		parts.map((p) => sql`coalesce(${p}, 0)`),
		' + '
	)} END`;
}

/**
 * Whether a report has the rate: its template carries it, some numerator
 * part and a non-zero denominator of at least `minN` (ReportFilters.minN).
 */
function hasRate(m: Metric, alias: string, minN = 0): Sql {
	const d = column(alias, m.ratio!.denominator);
	const templates = m.templates.length < 2 ? sql` AND ${column(alias, 'template')} IN (${list([...m.templates])})` : empty;
	const least = minN > 0 ? sql` AND ${d} >= ${minN}` : empty;
	return sql`(${numerator(m, alias)} IS NOT NULL AND ${d} IS NOT NULL AND ${d} <> 0${templates}${least} AND ${partsAddUp(wholeOf(m.ratio!), alias)})`;
}

/**
 * One metric's value on each report, over a row of report_metrics (or of
 * `scope`'s s) named `alias`: the stored column, or for a rate Σ numerator ÷
 * denominator where the report has it (else NULL) — the same numbers as the
 * `metrics` table. Unknown ids throw.
 */
export function metricValue(metricId: string, alias = 'r', minN = 0): Sql {
	const m = metricOf(metricId);
	if (!m.ratio) return column(alias, m.id);
	return sql`(CASE WHEN ${hasRate(m, alias, minN)} THEN ${numerator(m, alias)} / ${column(alias, m.ratio.denominator)} END)`;
}

/**
 * Sums for the metrics over `s` (per year here; the table builder groups
 * them its own way): for counts Σ value; for rates
 * Σ numerator and Σ denominator over the reports that have the rate (and
 * the least n, `minN`). Columns are named <metric>__total, __denominator,
 * __reports, __flagged, and __flagged_total, __flagged_denominator: the
 * flagged reports' share of the sums, so a point can say how much they move it.
 */
export function metricSums(ids: readonly string[], minN = 0): Sql {
	const flagged = isFlagged('s');
	return join(
		ids.map((id) => {
			const m = metricOf(id);
			const name = (suffix: string) => ident(`${id}__${suffix}`);
			if (!m.ratio) {
				const v = column('s', id);
				return sql`CAST(SUM(${v}) AS DOUBLE) AS ${name('total')}, CAST(NULL AS DOUBLE) AS ${name('denominator')},
					CAST(COUNT(${v}) AS DOUBLE) AS ${name('reports')}, CAST(COUNT(${v}) FILTER (WHERE ${flagged}) AS DOUBLE) AS ${name('flagged')},
					CAST(SUM(${v}) FILTER (WHERE ${flagged}) AS DOUBLE) AS ${name('flagged_total')}, CAST(NULL AS DOUBLE) AS ${name('flagged_denominator')}`;
			}
			const has = hasRate(m, 's', minN);
			const d = column('s', m.ratio.denominator);
			return sql`CAST(SUM(${numerator(m, 's')}) FILTER (WHERE ${has}) AS DOUBLE) AS ${name('total')},
				CAST(SUM(${d}) FILTER (WHERE ${has}) AS DOUBLE) AS ${name('denominator')},
				CAST(COUNT(*) FILTER (WHERE ${has}) AS DOUBLE) AS ${name('reports')},
				CAST(COUNT(*) FILTER (WHERE ${has} AND ${flagged}) AS DOUBLE) AS ${name('flagged')},
				CAST(SUM(${numerator(m, 's')}) FILTER (WHERE ${has} AND ${flagged}) AS DOUBLE) AS ${name('flagged_total')},
				CAST(SUM(${d}) FILTER (WHERE ${has} AND ${flagged}) AS DOUBLE) AS ${name('flagged_denominator')}`;
		}),
		',\n'
	);
}

function knownMetrics(ids: readonly string[]): string[] {
	return ids.map((id) => metricOf(id).id);
}

/** metricSums' columns of one row → the metrics' sums of that row (its year). */
function sumsOf(metrics: readonly string[], row: Record<string, number | null>): MetricSumRow[] {
	return metrics.map((metric) => ({
		metric,
		year: row.year as number,
		total: row[`${metric}__total`] ?? 0,
		denominator: row[`${metric}__denominator`] ?? null,
		reports: row[`${metric}__reports`] ?? 0,
		flagged: row[`${metric}__flagged`] ?? 0,
		flaggedTotal: row[`${metric}__flagged_total`] ?? 0,
		flaggedDenominator: row[`${metric}__flagged_denominator`] ?? null
	}));
}

/** The report matrix: the first MATRIX_LIMIT agencies by name the filters select, with their reports (all scopes). */
function matrixSql(f: Filters): Sql {
	return sql`${scope(f, [])},
		ag AS (SELECT agency_id, min(name) AS name FROM s GROUP BY 1 ORDER BY name, agency_id LIMIT ${MATRIX_LIMIT})
		SELECT s.agency_id, ag.name, s.year, s.template, s.status, s.broken_rules, s.scope
		FROM s JOIN ag ON ag.agency_id = s.agency_id ORDER BY ag.name, s.agency_id, s.year`;
}

/** The cube (start.ts) that can answer the filters, if any: none for a name search or a least n, which need each report. */
function cubeFor(db: Runner, f: Filters): (typeof CUBES)[number] | null {
	if (!db.cubes || f.q.trim() || f.minN > 0) return null;
	return CUBES.find((c) => AGENCY_FILTERS.every((k) => !f[k] || c.agency.includes(k))) ?? null;
}

export async function overview(db: Runner, f: Filters): Promise<OverviewData> {
	const cube = cubeFor(db, f);
	return cube ? overviewOfCube(db, f, cube.table) : overviewOfReports(db, f);
}

/** The overview from each report (report_metrics and agencies, every part). */
async function overviewOfReports(db: Runner, f: Filters): Promise<OverviewData> {
	const metrics = knownMetrics(OVERVIEW_METRICS);
	// The tiles and trends add up the reports of one scope (they never overlap); the matrix lists every report.
	const s = scope(f, metrics, true);
	// Per year and template, and (the empty grouping set) distinct agencies over all of them.
	const counts = await db.query<YearTemplateRow & { total: number }>(sql`${s}
		SELECT s.year, s.template, CAST(COUNT(*) AS DOUBLE) AS reports, ${FLAGGED} AS flagged,
			CAST(COUNT(DISTINCT s.agency_id) AS DOUBLE) AS agencies, CAST(GROUPING(s.year) AS DOUBLE) AS total
		FROM s GROUP BY GROUPING SETS ((s.year, s.template), ()) ORDER BY 1, 2`);
	const years = counts.filter((r) => !r.total).map(({ total: _, ...r }) => r);
	const agencies = counts.find((r) => r.total)?.agencies ?? 0;
	const perYear = await db.query<Record<string, number | null>>(sql`${s}
		SELECT s.year, ${metricSums(metrics, f.minN)}
		FROM s GROUP BY 1 ORDER BY 1`);
	const sums = perYear.flatMap((row) => sumsOf(metrics, row));
	const matrix = await db.query<MatrixCellRow>(matrixSql(f));
	// What the totals left out, by scope: said in words beside them.
	const byScope = await db.query<{ scope: string; reports: number }>(sql`${scope(f, [])}
		SELECT s.scope, CAST(COUNT(*) AS DOUBLE) AS reports FROM s GROUP BY 1 ORDER BY 1`);
	return buildOverview({ years, sums, matrix, agencies, sum: f.sum, byScope });
}

/**
 * The overview from the build's start tables: the same numbers as
 * overviewOfReports (tests/db/start.test.ts holds them equal), re-added from
 * the cube's groups. Each group is one status, so the flagged reports' part
 * is the groups with a flagged status; each holds one report per agency and
 * year, so a year's distinct agencies are its reports. The distinct agencies
 * over all years come from agency_years, and the matrix reads report_metrics
 * only as far in name order as its last agency (RowScope parts).
 */
async function overviewOfCube(db: Runner, f: Filters, table: string): Promise<OverviewData> {
	const metrics = knownMetrics(OVERVIEW_METRICS);
	const c = 'c';
	const summed = whereOf(conditions(f, true, c, c));
	const flagged = isFlagged(c);
	const counts = await db.query<YearTemplateRow>(sql`
		SELECT c.year, c.template, CAST(SUM(c.reports) AS DOUBLE) AS reports,
			CAST(coalesce(SUM(c.reports) FILTER (WHERE ${flagged}), 0) AS DOUBLE) AS flagged, CAST(SUM(c.reports) AS DOUBLE) AS agencies
		FROM ${ident(table)} c ${summed} GROUP BY 1, 2 ORDER BY 1, 2`);
	const resums = join(
		metrics.flatMap((id) => {
			const name = (suffix: string) => ident(`${id}__${suffix}`);
			const has = (suffix: string) => cubeMetricColumns(id).includes(`${id}__${suffix}`);
			const total = column(c, `${id}__total`);
			const d = has('denominator') ? column(c, `${id}__denominator`) : sql`CAST(NULL AS DOUBLE)`;
			const n = column(c, `${id}__reports`);
			return [
				sql`CAST(SUM(${total}) AS DOUBLE) AS ${name('total')}, CAST(SUM(${d}) AS DOUBLE) AS ${name('denominator')}, CAST(SUM(${n}) AS DOUBLE) AS ${name('reports')}`,
				sql`CAST(SUM(${n}) FILTER (WHERE ${flagged}) AS DOUBLE) AS ${name('flagged')}, CAST(SUM(${total}) FILTER (WHERE ${flagged}) AS DOUBLE) AS ${name('flagged_total')}`,
				sql`CAST(SUM(${d}) FILTER (WHERE ${flagged}) AS DOUBLE) AS ${name('flagged_denominator')}`
			];
		}),
		',\n'
	);
	const perYear = await db.query<Record<string, number | null>>(sql`SELECT c.year, ${resums} FROM ${ident(table)} c ${summed} GROUP BY 1 ORDER BY 1`);
	const sums = perYear.flatMap((row) => sumsOf(metrics, row));
	const byScope = await db.query<{ scope: string; reports: number }>(sql`
		SELECT c.scope, CAST(SUM(c.reports) AS DOUBLE) AS reports FROM ${ident(table)} c ${whereOf(conditions(f, false, c, c))} GROUP BY 1 ORDER BY 1`);
	// agency_years: a row per agency, report scope and status, with a bit per year it reported.
	const inYears = sql`(CAST(c.years AS BIGINT) & CAST(${yearsMask(f.from, f.to)} AS BIGINT)) <> 0`;
	const [distinct] = await db.query<{ agencies: number }>(sql`
		SELECT CAST(COUNT(DISTINCT c.rank) AS DOUBLE) AS agencies FROM agency_years c
		WHERE ${join([...conditions(f, true, c, c, false), inYears], ' AND ')}`);
	// The matrix: report_metrics as far in name order as the part of its last agency.
	const [last] = await db.query<{ part: number | null }>(sql`
		SELECT CAST(max(part) AS DOUBLE) AS part FROM (
			SELECT c.rank, any_value(c.part) AS part FROM agency_years c WHERE ${join([...conditions(f, false, c, c, false), inYears], ' AND ')}
			GROUP BY c.rank ORDER BY c.rank LIMIT ${MATRIX_LIMIT})`);
	const matrix = last?.part == null ? [] : await db.query<MatrixCellRow>(matrixSql(f), { parts: last.part + 1 });
	return buildOverview({ years: counts, sums, matrix, agencies: distinct?.agencies ?? 0, sum: f.sum, byScope });
}

/** One report of an agency, with the metric's value when the report has it. */
export interface SeriesRow {
	agency_id: string;
	year: number;
	template: string;
	status: ReportStatus;
	broken_rules: number;
	value: number | null;
	/** For a rate: the denominator it divides by on this report (its n); null for counts and where the report has no rate. */
	n: number | null;
	/** The researchers' filters leave the report out (its value is then null): shown as left out, not as missing. */
	skipped: boolean;
}

/** A rate's denominator on each report where it has the rate (metricValue's n, with the same least n), else NULL; NULL for counts. */
export function metricN(metricId: string, alias = 'r', minN = 0): Sql {
	const m = metricOf(metricId);
	if (!m.ratio) return sql`CAST(NULL AS DOUBLE)`;
	return sql`(CASE WHEN ${hasRate(m, alias, minN)} THEN CAST(${column(alias, m.ratio.denominator)} AS DOUBLE) END)`;
}

/** One year range, and the researchers' filters: the reports a view of chosen agencies reads. */
export function reportRange(years: { from: number | null; to: number | null }, f: ReportFilters = NO_REPORT_FILTERS, alias = 'r'): Sql {
	const c: Sql[] = kept(f, alias);
	if (years.from !== null) c.push(sql`${column(alias, 'year')} >= ${years.from}`);
	if (years.to !== null) c.push(sql`${column(alias, 'year')} <= ${years.to}`);
	return join(
		c.map((x) => sql` AND ${x}`),
		''
	);
}

/** A report's value and n of every catalog metric, as columns v__<id> and n__<id> (n for rates only): see metricSeries. */
export type WideSeriesRow = Omit<SeriesRow, 'value' | 'n'> & Record<string, number | string | boolean | null>;

/**
 * Each report of some agencies with every catalog metric's value (and a
 * rate's n) as columns: one question per agency answers Compare for any
 * metric and the agency profile, so a stored answer of it (db/answers.ts)
 * draws either view before DuckDB. A report the researchers' filters leave
 * out has no values and says so (skipped); a rate under their least n is null.
 */
export function seriesQuery(years: { from: number | null; to: number | null }, f: ReportFilters = NO_REPORT_FILTERS): PerAgency<WideSeriesRow> {
	const keep = kept(f, 'r');
	const skipped = keep.length ? sql`NOT (${join(keep, ' AND ')})` : sql`FALSE`;
	const values = join(
		METRICS.flatMap((m) => [
			sql`CASE WHEN ${skipped} THEN NULL ELSE ${metricValue(m.id, 'r', f.minN)} END AS ${ident(`v__${m.id}`)}`,
			...(m.ratio ? [sql`CASE WHEN ${skipped} THEN NULL ELSE ${metricN(m.id, 'r', f.minN)} END AS ${ident(`n__${m.id}`)}`] : [])
		]),
		',\n'
	);
	return {
		sql: (ids) => sql`
			SELECT r.agency_id, r.year, r.template, r.status, r.broken_rules, ${skipped} AS skipped, ${values}
			FROM report_metrics r
			WHERE r.agency_id IN (${list(ids)})${reportRange(years)}
			ORDER BY r.agency_id, r.year`,
		agencyOf: (r) => r.agency_id
	};
}

/** Agency ids in DuckDB's text order (byte-wise; ids are ASCII), once each. */
function idOrder(ids: readonly string[]): string[] {
	return [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The reports of chosen agencies with one metric's value; a report the researchers' filters leave out has no value and says so (skipped), a rate under their least n is null. */
export async function metricSeries(
	db: Runner,
	agencyIds: readonly string[],
	metricId: string,
	years: { from: number | null; to: number | null },
	f: ReportFilters = NO_REPORT_FILTERS
): Promise<SeriesRow[]> {
	const metric = METRIC_BY_ID.get(metricId);
	if (!metric || agencyIds.length === 0) return [];
	const q = seriesQuery(years, f);
	const rows = (await Promise.all(idOrder(agencyIds).map((id) => ask(db, q, id)))).flat();
	return rows.map((r) => ({
		agency_id: r.agency_id,
		year: r.year,
		template: r.template,
		status: r.status,
		broken_rules: r.broken_rules,
		value: (r[`v__${metric.id}`] as number | null) ?? null,
		n: (r[`n__${metric.id}`] as number | null | undefined) ?? null,
		skipped: r.skipped
	}));
}

/** The columns of an agency and of its reports that the profile shows. */
const AGENCY_COLUMNS = ['id', 'name', 'province', 'city', 'county', 'level', 'category', 'note'] as const;
const REPORT_COLUMNS = [
	'report_id',
	'agency',
	'year',
	'template',
	'source_file',
	'source_kind',
	'status',
	'broken_rules',
	'warnings',
	'scope',
	'scope_evidence',
	'sha256',
	'source_url',
	'fetched_at',
	'source_note'
] as const;

export type AgencyRow = Pick<Row<'agencies'>, (typeof AGENCY_COLUMNS)[number]>;
/** The profile's report row. */
export type ReportRow = Pick<DatasetReportRow, (typeof REPORT_COLUMNS)[number]>;

/** An issue of the dataset's issues table, with its report's year. */
export type IssueRow = DatasetIssueRow & { year: number };

/** What the profile draws first: the agency, its reports and every metric of them (agencies, reports, report_metrics). */
export interface ProfileSummary {
	agency: AgencyRow | null;
	reports: ReportRow[];
	metrics: { year: number; metric: string; value: number }[];
}

/** The profile's printed tables and issues (facts, issues: read on demand). */
export interface ProfileDetail {
	facts: (FactCell & { year: number })[];
	issues: IssueRow[];
}

export type ProfileData = ProfileSummary & ProfileDetail;

/** An agency's row (PerAgency: the build stores each agency's answer). */
export const agencyQuery: PerAgency<AgencyRow> = {
	sql: (ids) => sql`SELECT ${columns(AGENCY_COLUMNS)} FROM agencies WHERE id IN (${list(ids)}) ORDER BY id`,
	agencyOf: (r) => r.id
};

/** An agency's reports by year (PerAgency). */
export const reportsQuery: PerAgency<ReportRow & { agency_id: string }> = {
	sql: (ids) => sql`
		SELECT r.agency_id, ${join(
			REPORT_COLUMNS.map((c) => column('r', c)),
			', '
		)} FROM reports r WHERE r.agency_id IN (${list(ids)}) ORDER BY r.agency_id, r.year`,
	agencyOf: (r) => r.agency_id
};

/** The agency, its reports and their metrics: the rows of the `metrics` table, from seriesQuery's columns (no filters, every year). */
export async function profileSummary(db: Runner, agencyId: string): Promise<ProfileSummary> {
	const [agency] = await ask(db, agencyQuery, agencyId);
	if (!agency) return { agency: null, reports: [], metrics: [] };
	// reports is read on demand: only the row groups holding this agency (the row scope ask gives).
	const [reports, series] = await Promise.all([ask(db, reportsQuery, agencyId), ask(db, seriesQuery({ from: null, to: null }), agencyId)]);
	const metrics = series
		.flatMap((r) =>
			METRICS.flatMap((m) => {
				const value = r[`v__${m.id}`];
				return typeof value === 'number' ? [{ year: r.year, metric: m.id, value }] : [];
			})
		)
		.sort((a, b) => a.year - b.year || (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0));
	return { agency, reports: reports.map(({ agency_id: _, ...r }) => r), metrics };
}

/**
 * An agency's table cells by year (PerAgency; facts are read on demand: only
 * the row groups holding it). Ordered to the last key column, so an agency's
 * rows come in one order whether asked alone or in a list (the build's).
 */
export const factsQuery: PerAgency<FactCell & { year: number; agency_id: string }> = {
	sql: (ids) => sql`
		SELECT r.agency_id, r.year, f.table_no, f.row_key, f.column_key, f.value, f.how, f.printed_row, f.reason, f.page
		FROM facts f JOIN reports r ON r.report_id = f.report_id
		WHERE r.agency_id IN (${list(ids)})
		ORDER BY r.agency_id, r.year, f.report_id, f.table_no, f.row_key, f.column_key`,
	agencyOf: (r) => r.agency_id,
	detail: true
};

/** An agency's issues by year (PerAgency; issues read on demand), every column in the order so ties cannot reorder them. */
export const issuesQuery: PerAgency<IssueRow & { agency_id: string }> = {
	sql: (ids) => sql`
		SELECT r.agency_id, i.report_id, r.year, i.code, i.severity, i.message, i.table_no, i.row_key, i.column_key, i.expected, i.actual
		FROM issues i JOIN reports r ON r.report_id = i.report_id
		WHERE r.agency_id IN (${list(ids)})
		ORDER BY r.agency_id, r.year, i.table_no, i.code, i.row_key, i.column_key, i.report_id, i.severity, i.message, i.expected, i.actual`,
	agencyOf: (r) => r.agency_id,
	detail: true
};

/** The agency's table cells and issues, by year: asked per agency (ask), so the build's detail answers draw them before DuckDB. */
export async function profileDetail(db: Runner, agencyId: string): Promise<ProfileDetail> {
	const [facts, issues] = await Promise.all([ask(db, factsQuery, agencyId), ask(db, issuesQuery, agencyId)]);
	return { facts: facts.map(({ agency_id: _, ...f }) => f), issues: issues.map(({ agency_id: _, ...i }) => i) };
}

export async function profile(db: Runner, agencyId: string): Promise<ProfileData> {
	const [summary, detail] = await Promise.all([profileSummary(db, agencyId), profileDetail(db, agencyId)]);
	return summary.agency ? { ...summary, ...detail } : { ...summary, facts: [], issues: [] };
}
