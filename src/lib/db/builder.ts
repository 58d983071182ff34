import type { ReportStatus } from '$lib/dataset/columns';
import { metricOf, pointOf, type MetricPoint, type SumWords } from './aggregate';
import { metricSums, metricValue, scope, type Filters, type Runner } from './queries';
import { empty, ident, join, list, sql, type Sql } from './sql';

/**
 * The table builder's question: chosen metrics of the reports of chosen
 * agencies (or of every agency the filters select) over the filters' years,
 * each report's value as the `metrics` table has it, and totals that add up
 * one scope only (Filters.sum: the bodies' own reports, or the governments'
 * aggregate ones — they overlap), rates pooled as Σ numerator ÷ Σ denominator
 * (the overview's metricSums, so the builder and the overview agree).
 */

export interface TableSelection {
	filters: Filters;
	/** Only these agencies (still within the filters); empty: every agency the filters select. */
	agencies: readonly string[];
}

/** One report: its agency, year, template, check status, scope, and each chosen metric's value (null: the report lacks it). */
export interface TableReport {
	report_id: string;
	agency_id: string;
	name: string;
	year: number;
	template: string;
	status: ReportStatus;
	broken_rules: number;
	scope: string;
	values: Record<string, number | null>;
}

export interface TableData {
	metrics: string[];
	reports: TableReport[];
	/** Totals per metric: `byYear` per year, `all` over every year shown. */
	byYear: Map<number, Record<string, MetricPoint>>;
	all: Record<string, MetricPoint>;
	/** The scope the totals add up, and the reports of the selection by scope (the others are left out of the totals). */
	sum: SumWords;
}

function onlyAgencies(sel: TableSelection): Sql {
	return sel.agencies.length ? sql`WHERE s.agency_id IN (${list(sel.agencies)})` : empty;
}

export async function tableData(db: Runner, sel: TableSelection, metricIds: readonly string[]): Promise<TableData> {
	const ids = metricIds.map((id) => metricOf(id).id);
	const f = sel.filters;
	const reportRows = await db.query<Omit<TableReport, 'values'> & Record<string, number | null>>(sql`${scope(f, ids)}
		SELECT s.report_id, s.agency_id, s.name, s.year, s.template, s.status, s.broken_rules, s.scope${join(
			ids.map((id, i) => sql`, CAST(${metricValue(id, 's', f.minN)} AS DOUBLE) AS ${ident(`v${i}`)}`),
			''
		)}
		FROM s ${onlyAgencies(sel)} ORDER BY s.name, s.agency_id, s.year`);
	const reports: TableReport[] = reportRows.map((r) => ({
		report_id: String(r.report_id),
		agency_id: String(r.agency_id),
		name: String(r.name),
		year: Number(r.year),
		template: String(r.template),
		status: r.status as ReportStatus,
		broken_rules: Number(r.broken_rules),
		scope: String(r.scope),
		values: Object.fromEntries(ids.map((id, i) => [id, r[`v${i}`] ?? null]))
	}));

	// Per year and over all years (the empty grouping set), the reports of the sum scope only.
	const applicable = join(
		ids.map((id) => sql`, CAST(COUNT(*) FILTER (WHERE s.template IN (${list([...metricOf(id).templates])})) AS DOUBLE) AS ${ident(`${id}__applicable`)}`),
		''
	);
	const sums = ids.length
		? await db.query<Record<string, number | null>>(sql`${scope(f, ids, true)}
		SELECT s.year, CAST(GROUPING(s.year) AS DOUBLE) AS all_years, CAST(COUNT(*) AS DOUBLE) AS in_scope${applicable}, ${metricSums(ids, f.minN)}
		FROM s ${onlyAgencies(sel)} GROUP BY GROUPING SETS ((s.year), ())`)
		: [];
	const pointsOf = (row: Record<string, number | null> | undefined, year: number): Record<string, MetricPoint> =>
		Object.fromEntries(
			ids.map((id) => {
				const got = (k: string) => row?.[`${id}__${k}`] ?? null;
				const inScope = row?.in_scope ?? 0;
				const s = row ? { total: got('total') ?? 0, denominator: got('denominator'), reports: got('reports') ?? 0, flagged: got('flagged') ?? 0 } : undefined;
				// Not applicable only when reports were added and none has a template with the metric.
				return [id, pointOf(metricOf(id), year, s, inScope === 0 || (got('applicable') ?? 0) > 0)];
			})
		);
	const byYear = new Map<number, Record<string, MetricPoint>>();
	for (const row of sums) if (!row.all_years) byYear.set(Number(row.year), pointsOf(row, Number(row.year)));
	const all = pointsOf(
		sums.find((r) => r.all_years),
		0
	);

	const byScope = await db.query<{ scope: string; reports: number }>(sql`${scope(f, [])}
		SELECT s.scope, CAST(COUNT(*) AS DOUBLE) AS reports FROM s ${onlyAgencies(sel)} GROUP BY 1 ORDER BY 1`);
	return { metrics: ids, reports, byYear, all, sum: { scope: f.sum, reports: Object.fromEntries(byScope.map((r) => [r.scope, r.reports])) } };
}
