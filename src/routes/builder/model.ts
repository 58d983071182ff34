import { PARTS_RULE, type Metric } from '$lib/catalog/metrics';
import { metricOf, type MetricPoint } from '$lib/db/aggregate';
import type { TableData, TableReport } from '$lib/db/builder';
import type { ParquetColumn } from '$lib/export/parquet';
import { metricLabel, t } from '$lib/ui/i18n';
import { scopeText, statusText } from '$lib/ui/display';
import type { Lang } from '$lib/state/url';

/**
 * The built table as the page shows and exports it: columns (a metric, or
 * in the pivot a metric in one year), rows (a report, or in the pivot an
 * agency), the order, and the totals row. Plain functions over the query's
 * answer, so the page only draws and the CSV is the table's own numbers.
 */

export interface TableColumn {
	key: string;
	metric: Metric;
	/** The pivot's year; null: the row's own year. */
	year: number | null;
}

export interface TableRow {
	/** A report id, or in the pivot an agency id. */
	key: string;
	agency_id: string;
	name: string;
	/** null in the pivot (a row holds every year). */
	year: number | null;
	/** The row's report (row layout), or its report of a year (pivot). */
	report(year: number | null): TableReport | undefined;
}

export interface BuiltTable {
	pivot: boolean;
	columns: TableColumn[];
	rows: TableRow[];
	/** The total under each column. */
	total(c: TableColumn): MetricPoint;
}

export function buildTable(data: TableData, years: readonly number[], pivot: boolean): BuiltTable {
	const metrics = data.metrics.map(metricOf);
	if (!pivot) {
		return {
			pivot,
			columns: metrics.map((metric) => ({ key: metric.id, metric, year: null })),
			rows: data.reports.map((r) => ({ key: r.report_id, agency_id: r.agency_id, name: r.name, year: r.year, report: () => r })),
			total: (c) => data.all[c.metric.id]
		};
	}
	const shown = years.filter((y) => data.reports.some((r) => r.year === y));
	const byAgency = new Map<string, { name: string; reports: Map<number, TableReport> }>();
	for (const r of data.reports) {
		let a = byAgency.get(r.agency_id);
		if (!a) byAgency.set(r.agency_id, (a = { name: r.name, reports: new Map() }));
		a.reports.set(r.year, r);
	}
	const none = (c: TableColumn): MetricPoint => ({ year: c.year ?? 0, value: null, reports: 0, denominator: null, flagged: 0, applicable: true });
	return {
		pivot,
		columns: metrics.flatMap((metric) => shown.map((year) => ({ key: `${metric.id}@${year}`, metric, year }))),
		rows: [...byAgency].map(([id, a]) => ({ key: id, agency_id: id, name: a.name, year: null, report: (y) => (y === null ? undefined : a.reports.get(y)) })),
		total: (c) => data.byYear.get(c.year!)?.[c.metric.id] ?? none(c)
	};
}

/**
 * How many rows the page draws: at most about 6,000 cells (a wide pivot of
 * thousands of agencies would keep the browser busy for seconds at every
 * sort), at most 300 rows, at least 20. The downloads hold every row.
 */
export function rowsDrawn(columns: number): number {
	return Math.max(20, Math.min(300, Math.floor(6000 / Math.max(1, columns))));
}

/** The report and value under a column: undefined report where the agency has none that year. */
export function cellOf(row: TableRow, c: TableColumn): { report: TableReport | undefined; value: number | null; applicable: boolean } {
	const report = row.report(c.year ?? row.year);
	const applicable = !!report && (c.metric.templates as readonly string[]).includes(report.template);
	return { report, value: report && applicable ? (report.values[c.metric.id] ?? null) : null, applicable };
}

const byCodepoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The rows in the reader's order: by agency, year or scope, or by a column's values
 * with rows that have none (不适用, no report, no value) last either way. The
 * default (null, or a key this table lacks): by agency, then year.
 */
export function sortRows(table: BuiltTable, key: string | null, desc: boolean): TableRow[] {
	const rows = [...table.rows];
	const natural = (a: TableRow, b: TableRow) => byCodepoint(a.name, b.name) || byCodepoint(a.agency_id, b.agency_id) || (a.year ?? 0) - (b.year ?? 0);
	const col = table.columns.find((c) => c.key === key);
	const dir = desc ? -1 : 1;
	if (key === 'agency') return rows.sort((a, b) => dir * natural(a, b));
	if (key === 'year' && !table.pivot) return rows.sort((a, b) => dir * ((a.year ?? 0) - (b.year ?? 0)) || natural(a, b));
	if (key === 'scope' && !table.pivot) return rows.sort((a, b) => dir * byCodepoint(a.report(a.year)!.scope, b.report(b.year)!.scope) || natural(a, b));
	if (!col) return rows.sort(natural);
	return rows.sort((a, b) => {
		const va = cellOf(a, col).value;
		const vb = cellOf(b, col).value;
		if (va === null || vb === null) return va === vb ? natural(a, b) : va === null ? 1 : -1;
		return dir * (va - vb) || natural(a, b);
	});
}

/** A column's name in downloads: the catalog's label, with the year in the pivot. */
export function columnName(c: TableColumn, lang: Lang): string {
	return c.year === null ? metricLabel(c.metric, lang) : `${metricLabel(c.metric, lang)} ${c.year}`;
}

/** The totals row's label: what it adds up. */
export function totalLabel(data: TableData, lang: Lang): string {
	const n = data.sum.reports[data.sum.scope] ?? 0;
	const what = t(lang, data.sum.scope === 'aggregate' ? 'sumReports_aggregate' : 'sumReports_own', { n });
	return lang === 'zh' ? `${t(lang, 'tableTotal')}（${what}）` : `${t(lang, 'tableTotal')} (${what})`;
}

export interface TableExport {
	columns: ParquetColumn[];
	rows: (string | number | null)[][];
	/** The totals row, in the CSV only (a Parquet file holds the reports' rows alone). */
	total: (string | number | null)[];
}

/**
 * The table as a download, in the page's language: the columns' names from
 * the catalog, raw values (a rate as a ratio, amounts in 万元), in the shown
 * order. `na` stands where a report's template lacks the metric: 不适用 in
 * the CSV, null in Parquet (whose metric columns are numbers).
 */
export function exportOf(table: BuiltTable, rows: readonly TableRow[], data: TableData, lang: Lang, na: string | null): TableExport {
	const head: ParquetColumn[] = [
		{ name: t(lang, 'agencyCol'), kind: 'string' },
		{ name: 'agency_id', kind: 'string' },
		...(table.pivot
			? []
			: ([
					{ name: t(lang, 'year'), kind: 'number' },
					{ name: t(lang, 'template'), kind: 'string' },
					{ name: t(lang, 'scopeLabel'), kind: 'string' },
					{ name: t(lang, 'tableStatus'), kind: 'string' }
				] as ParquetColumn[]))
	];
	const columns = [...head, ...table.columns.map((c) => ({ name: columnName(c, lang), kind: 'number' as const }))];
	const out = rows.map((row) => {
		const r = row.report(row.year);
		const lead: (string | number | null)[] = table.pivot
			? [row.name, row.agency_id]
			: [row.name, row.agency_id, row.year, r!.template, scopeText(r!.scope, lang), statusText(r!, lang)];
		return [
			...lead,
			...table.columns.map((c) => {
				const cell = cellOf(row, c);
				return cell.report && !cell.applicable ? na : cell.value;
			})
		];
	});
	const total = [
		totalLabel(data, lang),
		...head.slice(1).map(() => null),
		...table.columns.map((c) => {
			const p = table.total(c);
			return p.reports === 0 && !p.applicable ? na : p.value;
		})
	];
	return { columns, rows: out, total };
}

/**
 * The notes under the table: what its marks mean, how rates are pooled (when
 * one is shown), and where a metric's definition differs between the two
 * templates (when the rows hold reports of both).
 */
export function tableNotes(data: TableData, pivot: boolean, lang: Lang): string[] {
	const metrics = data.metrics.map(metricOf);
	const notes = [t(lang, 'tableLegend')];
	if (!pivot && new Set(data.reports.map((r) => r.year)).size > 1) notes.push(t(lang, 'tableTotalYears'));
	if (metrics.some((m) => m.ratio)) notes.push(PARTS_RULE[lang]);
	if (new Set(data.reports.map((r) => r.template)).size > 1)
		for (const m of metrics) {
			if (m.templates.length < 2) {
				const other = ['2019', '2021'].filter((x) => !(m.templates as readonly string[]).includes(x));
				notes.push(t(lang, 'definitionChange', { metric: metricLabel(m, lang), templates: m.templates.join('/'), other: other.join('/') }));
			}
			if (m.templateNote) notes.push(m.templateNote[lang]);
		}
	return [...new Set(notes)];
}
