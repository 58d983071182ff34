import { STORED_METRICS, type ReportStatus, type Row } from './columns';

/**
 * `report_metrics`: one row per report, every stored metric a column. Apart
 * from tables.ts (which also places agencies) so the browser engine can
 * derive rows for reports added in the page without the division tables.
 */

type ReportLike = Pick<Row<'reports'>, 'report_id' | 'agency_id' | 'agency' | 'year' | 'template' | 'broken_rules' | 'scope'> & { status: ReportStatus };

/** A report with its stored metrics as columns (null: the report lacks it). */
export type ReportMetricsRow = Row<'report_metrics'> & { status: ReportStatus };

/** `report_metrics` from reports and their metric rows (any order). */
export function reportMetricsRows(
	reports: readonly ReportLike[],
	metrics: readonly Pick<Row<'metrics'>, 'report_id' | 'metric' | 'value'>[]
): ReportMetricsRow[] {
	const stored = new Set(STORED_METRICS);
	const byReport = new Map<string, ReportMetricsRow>();
	const out = reports.map((r) => {
		const row: ReportMetricsRow = {
			report_id: r.report_id,
			agency_id: r.agency_id,
			agency: r.agency,
			year: r.year,
			template: r.template,
			status: r.status,
			broken_rules: r.broken_rules,
			scope: r.scope
		};
		for (const id of STORED_METRICS) row[id] = null;
		byReport.set(r.report_id, row);
		return row;
	});
	for (const m of metrics) {
		const row = byReport.get(m.report_id);
		if (row && stored.has(m.metric)) row[m.metric] = m.value;
	}
	return out;
}
