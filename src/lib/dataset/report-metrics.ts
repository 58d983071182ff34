import type { Metric } from '../catalog/metrics';
import type { Template } from '../report/schema';
import { STORED_METRICS } from './columns';

/**
 * `report_metrics`: one row per report, every stored metric a column. Apart
 * from tables.ts (which also places agencies) so the browser engine can
 * derive rows for reports added in the page without the division tables.
 */

interface ReportLike {
	report_id: string;
	agency_id: string;
	agency: string;
	year: number;
	template: string;
	status: 'clean' | 'broken_rules' | 'read_problems';
	broken_rules: number;
}

/** A report with its stored metrics as columns (null: the report lacks it). */
export type ReportMetricsRow = ReportLike & Record<string, string | number | null>;

/** `report_metrics` from reports and their metric rows (any order). */
export function reportMetricsRows(reports: readonly ReportLike[], metrics: readonly { report_id: string; metric: string; value: number }[]): ReportMetricsRow[] {
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
			broken_rules: r.broken_rules
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

/**
 * A rate's parts on one report_metrics row: Σ numerator metrics and the
 * denominator, or null where the report has no such rate (no numerator part,
 * no or a zero denominator, a template without it). SQL twin: hasRate in
 * db/queries.ts.
 */
export function rateParts(m: Metric, row: ReportMetricsRow): { numerator: number; denominator: number } | null {
	if (!m.ratio || !m.templates.includes(row.template as Template)) return null;
	const parts = m.ratio.numerator.map((id) => row[id] as number | null).filter((v): v is number => v !== null);
	const d = row[m.ratio.denominator] as number | null;
	if (!parts.length || d === null || d === 0) return null;
	return { numerator: parts.reduce((a, v) => a + v, 0), denominator: d };
}

/** Any metric's value on one report_metrics row (null: the report lacks it), as the `metrics` table holds it. */
export function metricValueOf(m: Metric, row: ReportMetricsRow): number | null {
	if (!m.ratio) return (row[m.id] as number | null) ?? null;
	const p = rateParts(m, row);
	return p ? p.numerator / p.denominator : null;
}
