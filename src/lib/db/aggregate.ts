import { METRIC_BY_ID, OUTCOME_METRICS, type Metric } from '$lib/catalog/metrics';
import type { ReportStatus } from '$lib/dataset/columns';
import type { Template } from '$lib/report/schema';

/**
 * The numbers behind the views, as plain data. The same shapes come out of
 * DuckDB (queries.ts) and out of the build-time snapshot (snapshot.ts), and the
 * functions here turn them into what the charts draw, so both paths agree.
 */

export type { ReportStatus };

/** One cell of the long-form `facts` table. */
export interface FactCell {
	table_no: string;
	row_key: string;
	column_key: string;
	value: number;
	/** How the cell was read: read, inferred (by the tables' arithmetic or the report's prose) or ambiguous. */
	how: string;
	/** The row label as the document prints it, or where numbers without their own label were placed (facts.printed_row). */
	printed_row: string | null;
	/** The report's own sentence that decided an inferred cell (正文：“…”), else null (facts.reason). */
	reason: string | null;
	/** The page the number is printed on (1-based, PDF only), else null. */
	page: number | null;
}

/** Reports in scope per year and template. */
export interface YearTemplateRow {
	year: number;
	template: string;
	reports: number;
	flagged: number;
	agencies: number;
}

/**
 * One metric per year over the reports that have it. Counts and amounts:
 * `total` is their sum. Rates: `total` is Σ numerator and `denominator` is
 * Σ denominator over the reports that have the rate (pooled, never a mean of
 * rates).
 */
export interface MetricSumRow {
	metric: string;
	year: number;
	total: number;
	/** Rates only; null for counts and amounts. */
	denominator: number | null;
	reports: number;
	flagged: number;
	/** The flagged reports' part of `total` (and of `denominator`, rates only); absent where a query did not ask (no shift is then said). */
	flaggedTotal?: number;
	flaggedDenominator?: number | null;
}

export interface MatrixCellRow {
	agency_id: string;
	name: string;
	year: number;
	template: string;
	status: ReportStatus;
	broken_rules: number;
	scope: string;
}

/** One point of an aggregate series. */
export interface MetricPoint {
	year: number;
	/** null: no report in scope has it (see `applicable`) or a rate's denominator is 0. */
	value: number | null;
	reports: number;
	/** Rates: Σ denominator (the n of requests or cases they divide); null for counts and amounts. */
	denominator: number | null;
	/** Reports among `reports` whose tables break a consistency rule. */
	flagged: number;
	/**
	 * How much the flagged reports move the point: (value − value without
	 * them) ÷ value; 1 when every report is flagged; null without flagged
	 * reports or a value; absent where a view built the point without asking
	 * (the table builder). See isMaterial.
	 */
	flagShift?: number | null;
	/** The value without the flagged reports; null when no other report has it. */
	without?: number | null;
	/** Some report in scope that year uses a template that has this metric. */
	applicable: boolean;
}

/**
 * A point is marked ▲ only when its flagged reports move it by at least this
 * share of its value: a slip in a small body's table must not mark a total
 * it hardly touches, so the mark keeps its meaning.
 */
export const MATERIAL_SHIFT = 0.05;

/** Whether a point's flagged reports change it materially (MATERIAL_SHIFT). */
export function isMaterial(p: Pick<MetricPoint, 'flagShift'>): boolean {
	return p.flagShift != null && Math.abs(p.flagShift) >= MATERIAL_SHIFT;
}

/** Value and shift of a point from its sums (see MetricPoint.flagShift). */
function shiftOf(
	value: number | null,
	s: Omit<MetricSumRow, 'metric' | 'year'> | undefined,
	pooled: boolean
): { flagShift: number | null; without: number | null } {
	if (!s || value === null) return { flagShift: null, without: value };
	if (!s.flagged) return { flagShift: null, without: value };
	if (s.flaggedTotal === undefined) return { flagShift: null, without: null };
	let without: number | null = null;
	if (s.reports - s.flagged > 0) {
		const flaggedTotal = s.flaggedTotal;
		if (!pooled) without = s.total - flaggedTotal;
		else {
			const d = (s.denominator ?? 0) - (s.flaggedDenominator ?? 0);
			without = d > 0 ? (s.total - flaggedTotal) / d : null;
		}
	}
	if (without === null) return { flagShift: 1, without };
	return { flagShift: value === 0 ? 0 : (value - without) / Math.abs(value), without };
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
	cells: Record<number, { template: string; status: ReportStatus; broken_rules: number; scope: string }>;
}

export interface OverviewData {
	years: YearSummary[];
	series: Record<string, MetricPoint[]>;
	matrix: MatrixRow[];
	/** Agencies in scope (the matrix may show fewer). */
	agencies: number;
	reports: number;
	flagged: number;
	/** What the totals add up: the scope, and the reports the filters select by scope (those of other scopes are left out). */
	sum: SumWords;
}

export interface SumWords {
	scope: string;
	reports: Record<string, number>;
}

/**
 * Table 二's trends on the overview (licensing, penalties, coercion, fees,
 * normative documents): one chart each, since their sizes differ by orders
 * of magnitude.
 */
export const TABLE2_TRENDS = ['licensing_decisions', 'punishment_decisions', 'coercion_decisions', 'fee_revenue', 'normative_documents_issued'] as const;

/** Metrics the overview charts and tiles show; every id must exist in the catalog. */
export const OVERVIEW_METRICS = [
	'requests_received',
	'requests_processed',
	'grant_rate',
	'not_held_rate',
	'denial_rate',
	'review_correction_rate',
	'litigation_correction_rate',
	...TABLE2_TRENDS,
	...OUTCOME_METRICS,
	'review_total',
	'litigation_total'
] as const;

/** The agency profile's headline metrics (key metrics, benchmark, brief), in display order; every id must exist in the catalog. */
export const PROFILE_METRICS = [
	'requests_received',
	'requests_processed',
	'grant_rate',
	'not_held_rate',
	'denial_rate',
	'review_total',
	'review_correction_rate',
	'litigation_total',
	'litigation_correction_rate',
	'licensing_decisions',
	'punishment_decisions',
	'fee_revenue',
	'normative_documents_issued'
] as const;

export function metricOf(id: string): Metric {
	const m = METRIC_BY_ID.get(id);
	if (!m) throw new Error(`metric ${id} is not in the catalog`);
	return m;
}

/** Rates are pooled (Σ numerators ÷ Σ denominators); counts and amounts are summed. */
export function isPooled(m: Metric): boolean {
	return m.ratio !== undefined;
}

function applicableYears(years: YearSummary[], m: Metric): Map<number, boolean> {
	return new Map(years.map((y) => [y.year, m.templates.some((t) => (y.templates[t] ?? 0) > 0)]));
}

/** Aggregate series for each metric over the years in scope. */
export function poolSeries(metricIds: readonly string[], years: YearSummary[], sums: readonly MetricSumRow[]): Record<string, MetricPoint[]> {
	const sumBy = new Map(sums.map((s) => [`${s.metric}|${s.year}`, s]));
	const out: Record<string, MetricPoint[]> = {};
	for (const id of metricIds) {
		const m = metricOf(id);
		const applicable = applicableYears(years, m);
		out[id] = years.map(({ year }) => pointOf(m, year, sumBy.get(`${id}|${year}`), applicable.get(year) ?? false));
	}
	return out;
}

/** One total of a metric from its sums: Σ for counts and amounts, Σ numerator ÷ Σ denominator for rates. */
export function pointOf(m: Metric, year: number, s: Omit<MetricSumRow, 'metric' | 'year'> | undefined, applicable: boolean): MetricPoint {
	const reports = s?.reports ?? 0;
	let value: number | null = null;
	if (s && reports > 0) {
		if (isPooled(m)) {
			const d = s.denominator;
			value = d !== null && d !== 0 && Number.isFinite(s.total / d) ? s.total / d : null;
		} else value = s.total;
	}
	return {
		year,
		value,
		reports,
		denominator: isPooled(m) ? (s?.denominator ?? 0) : null,
		flagged: s?.flagged ?? 0,
		...shiftOf(value, s, isPooled(m)),
		applicable
	};
}

/**
 * A summed point as the average per reporting body: its total ÷ the reports
 * that have the metric that year (one report per body and year, so the bodies
 * of that scope that reported it), which is the point's n. The value without
 * the flagged reports is averaged over the others, and the ▲ shift follows.
 * Counts and amounts only: a rate is already per request.
 */
export function perAgencyPoint(p: MetricPoint): MetricPoint {
	const value = p.value === null || p.reports === 0 ? null : p.value / p.reports;
	if (value === null) return { ...p, value, without: null, flagShift: p.flagShift === undefined ? undefined : null };
	// no flagged report, or a shift nobody asked for: nothing to move
	if (!p.flagged || p.flagShift == null) return { ...p, value, without: p.flagged ? null : value };
	const others = p.reports - p.flagged;
	const without = p.without == null || others <= 0 ? null : p.without / others;
	return { ...p, value, without, flagShift: without === null ? 1 : value === 0 ? 0 : (value - without) / Math.abs(value) };
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
		row.cells[r.year] = { template: r.template, status: r.status, broken_rules: r.broken_rules, scope: r.scope };
	}
	return [...by.values()];
}

export function buildOverview(input: {
	years: readonly YearTemplateRow[];
	sums: readonly MetricSumRow[];
	matrix: readonly MatrixCellRow[];
	agencies: number;
	sum: string;
	byScope: readonly { scope: string; reports: number }[];
}): OverviewData {
	const years = summarizeYears(input.years);
	const sum: SumWords = { scope: input.sum, reports: Object.fromEntries(input.byScope.map((r) => [r.scope, r.reports])) };
	return {
		years,
		series: poolSeries(OVERVIEW_METRICS, years, input.sums),
		matrix: buildMatrix(input.matrix),
		agencies: input.agencies,
		reports: years.reduce((a, y) => a + y.reports, 0),
		flagged: years.reduce((a, y) => a + y.flagged, 0),
		sum
	};
}
