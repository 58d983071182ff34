import { METRIC_BY_ID, type Metric } from '$lib/catalog/metrics';
import {
	APPLICANT_COLUMNS,
	CASE_FIELDS,
	CASE_GROUPS,
	REQUEST_ROWS,
	SCHEMA_VERSION,
	type ActiveTable,
	type ApplicantColumn,
	type CaseCells,
	type CaseGroup,
	type ReportRecord,
	type RequestCells,
	type RequestRow,
	type Template
} from '$lib/report/schema';

/**
 * The numbers behind the views, as plain data. The same shapes come out of
 * DuckDB (queries.ts) and out of the build-time snapshot (snapshot.ts), and the
 * functions here turn them into what the charts draw, so both paths agree.
 */

export type ReportStatus = 'clean' | 'broken_rules' | 'read_problems';

/** One cell of the long-form `facts` table. */
export interface FactCell {
	table_no: string;
	row_key: string;
	column_key: string;
	value: number;
}

/** Reports in scope per year and template. */
export interface YearTemplateRow {
	year: number;
	template: string;
	reports: number;
	flagged: number;
	agencies: number;
}

/** SUM of one metric per year over the reports that have it. */
export interface MetricSumRow {
	metric: string;
	year: number;
	total: number;
	reports: number;
	flagged: number;
}

/** Facts summed per (metric, year) over the reports that have that metric: the input of pooled rates. */
export interface PooledFactRow extends FactCell {
	metric: string;
	year: number;
}

export interface MatrixCellRow {
	agency_id: string;
	name: string;
	year: number;
	template: string;
	status: ReportStatus;
	broken_rules: number;
}

/** One point of an aggregate series. */
export interface MetricPoint {
	year: number;
	/** null: no report in scope has it (see `applicable`) or a rate's denominator is 0. */
	value: number | null;
	reports: number;
	/** Reports among `reports` whose tables break a consistency rule. */
	flagged: number;
	/** Some report in scope that year uses a template that has this metric. */
	applicable: boolean;
}

export interface YearSummary {
	year: number;
	reports: number;
	flagged: number;
	agencies: number;
	templates: Partial<Record<Template, number>>;
}

export interface MatrixRow {
	agency_id: string;
	name: string;
	cells: Record<number, { template: string; status: ReportStatus; broken_rules: number }>;
}

export interface OverviewData {
	years: YearSummary[];
	series: Record<string, MetricPoint[]>;
	matrix: MatrixRow[];
	/** Agencies in scope (the matrix may show fewer). */
	agencies: number;
	reports: number;
	flagged: number;
}

/** Metrics the overview charts and tiles show; every id must exist in the catalog. */
export const OVERVIEW_METRICS = [
	'requests_received',
	'requests_processed',
	'grant_rate',
	'not_held_rate',
	'denial_rate',
	'review_correction_rate',
	'litigation_correction_rate',
	'punishment_decisions',
	'fee_revenue',
	'outcome_granted',
	'outcome_partial',
	'outcome_denied',
	'outcome_unable',
	'outcome_not_processed',
	'outcome_other',
	'review_total',
	'litigation_total'
] as const;

export function metricOf(id: string): Metric {
	const m = METRIC_BY_ID.get(id);
	if (!m) throw new Error(`metric ${id} is not in the catalog`);
	return m;
}

/** Rates are pooled (computed on the summed tables); counts and amounts are summed. */
export function isPooled(m: Metric): boolean {
	return m.unit === 'rate';
}

/** Facts (one report's, or summed over many) → a record the catalog's formulas run on. */
export function recordFromFacts(facts: readonly FactCell[], meta: { agency: string; year: number; template: Template }): ReportRecord {
	const requests = Object.fromEntries(REQUEST_ROWS.map((r) => [r, null])) as Record<RequestRow, RequestCells | null>;
	const cases: Record<CaseGroup, CaseCells | null> = { review: null, litigation_direct: null, litigation_after_review: null };
	let active: ActiveTable | null = null;
	for (const f of facts) {
		if (f.table_no === '三' && (REQUEST_ROWS as readonly string[]).includes(f.row_key)) {
			const row = f.row_key as RequestRow;
			const cells = (requests[row] ??= Object.fromEntries(APPLICANT_COLUMNS.map((c) => [c, 0])) as RequestCells);
			if ((APPLICANT_COLUMNS as readonly string[]).includes(f.column_key)) cells[f.column_key as ApplicantColumn] += f.value;
		} else if (f.table_no === '四' && (CASE_GROUPS as readonly string[]).includes(f.row_key)) {
			const group = f.row_key as CaseGroup;
			const cells = (cases[group] ??= Object.fromEntries(CASE_FIELDS.map((c) => [c, 0])) as CaseCells);
			if ((CASE_FIELDS as readonly string[]).includes(f.column_key)) cells[f.column_key as keyof CaseCells] += f.value;
		} else if (f.table_no === '二') {
			active ??= {};
			const row = (active[f.row_key] ??= {});
			row[f.column_key] = (row[f.column_key] ?? 0) + f.value;
		}
	}
	return { schema: SCHEMA_VERSION, agency: meta.agency, year: meta.year, template: meta.template, active, requests, ...cases };
}

/** The template a pooled record claims: one the metric exists in. */
function poolTemplate(m: Metric): Template {
	return m.templates.includes('2021') ? '2021' : m.templates[0];
}

function applicableYears(years: YearSummary[], m: Metric): Map<number, boolean> {
	return new Map(years.map((y) => [y.year, m.templates.some((t) => (y.templates[t] ?? 0) > 0)]));
}

/** Aggregate series for each metric over the years in scope. */
export function poolSeries(
	metricIds: readonly string[],
	years: YearSummary[],
	sums: readonly MetricSumRow[],
	facts: readonly PooledFactRow[]
): Record<string, MetricPoint[]> {
	const sumBy = new Map(sums.map((s) => [`${s.metric}|${s.year}`, s]));
	const factsBy = new Map<string, FactCell[]>();
	for (const f of facts) {
		const k = `${f.metric}|${f.year}`;
		let arr = factsBy.get(k);
		if (!arr) factsBy.set(k, (arr = []));
		arr.push(f);
	}
	const out: Record<string, MetricPoint[]> = {};
	for (const id of metricIds) {
		const m = metricOf(id);
		const applicable = applicableYears(years, m);
		out[id] = years.map(({ year }) => {
			const s = sumBy.get(`${id}|${year}`);
			const reports = s?.reports ?? 0;
			let value: number | null = null;
			if (reports > 0) {
				if (isPooled(m)) {
					const v = m.compute(recordFromFacts(factsBy.get(`${id}|${year}`) ?? [], { agency: '', year, template: poolTemplate(m) }));
					value = v !== null && Number.isFinite(v) ? v : null;
				} else value = s!.total;
			}
			return { year, value, reports, flagged: s?.flagged ?? 0, applicable: applicable.get(year) ?? false };
		});
	}
	return out;
}

export function summarizeYears(rows: readonly YearTemplateRow[]): YearSummary[] {
	const by = new Map<number, YearSummary>();
	for (const r of rows) {
		let y = by.get(r.year);
		if (!y) by.set(r.year, (y = { year: r.year, reports: 0, flagged: 0, agencies: 0, templates: {} }));
		y.reports += r.reports;
		y.flagged += r.flagged;
		y.agencies += r.agencies;
		y.templates[r.template as Template] = (y.templates[r.template as Template] ?? 0) + r.reports;
	}
	return [...by.values()].sort((a, b) => a.year - b.year);
}

export function buildMatrix(rows: readonly MatrixCellRow[]): MatrixRow[] {
	const by = new Map<string, MatrixRow>();
	for (const r of rows) {
		let row = by.get(r.agency_id);
		if (!row) by.set(r.agency_id, (row = { agency_id: r.agency_id, name: r.name, cells: {} }));
		row.cells[r.year] = { template: r.template, status: r.status, broken_rules: r.broken_rules };
	}
	return [...by.values()];
}

export function buildOverview(input: {
	years: readonly YearTemplateRow[];
	sums: readonly MetricSumRow[];
	facts: readonly PooledFactRow[];
	matrix: readonly MatrixCellRow[];
	agencies: number;
}): OverviewData {
	const years = summarizeYears(input.years);
	return {
		years,
		series: poolSeries(OVERVIEW_METRICS, years, input.sums, input.facts),
		matrix: buildMatrix(input.matrix),
		agencies: input.agencies,
		reports: years.reduce((a, y) => a + y.reports, 0),
		flagged: years.reduce((a, y) => a + y.flagged, 0)
	};
}

/** Used by the pooled-rate query: only the tables a rate formula reads. */
export const POOLED_FACT_TABLES = ['三', '四'] as const;
