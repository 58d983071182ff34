import { TABLE_NAMES, type Manifest, type TableName } from '$lib/dataset/columns';
import {
	OVERVIEW_METRICS,
	POOLED_FACT_TABLES,
	buildOverview,
	isPooled,
	metricOf,
	type MatrixCellRow,
	type MetricSumRow,
	type OverviewData,
	type PooledFactRow,
	type ReportStatus,
	type YearTemplateRow
} from './aggregate';
import { decodeTable, parseManifest, rowsOf } from './decode';
import { LoadError } from './errors';
import { MATRIX_LIMIT } from './queries';

/**
 * What the page knows before DuckDB starts: the dataset's identity, the
 * agency list (for filters and link checks) and the default overview's
 * numbers. Built once at prerender time from static/data and inlined.
 * The arithmetic mirrors queries.ts's SQL for "no filters"; the e2e test
 * checks the two agree.
 */

export interface AgencyOption {
	id: string;
	name: string;
	province: string | null;
	city: string | null;
	level: string;
	category: string;
}

export interface DatasetInfo {
	version: string;
	built_at: string;
	source: string;
	counts: Manifest['counts'];
	failed: Manifest['failed'];
	/** Accepted source files by kind: parsed documents and hand-checked records. */
	sources: { document: number; record: number };
}

export interface Snapshot {
	dataset: DatasetInfo;
	agencies: AgencyOption[];
	years: number[];
	overview: OverviewData;
}

interface ReportLite {
	report_id: string;
	agency_id: string;
	year: number;
	template: string;
	status: ReportStatus;
	broken_rules: number;
}

const byCodepoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function increment<K>(map: Map<K, number>, key: K, by = 1) {
	map.set(key, (map.get(key) ?? 0) + by);
}

export async function buildSnapshot(read: (file: string) => Promise<ArrayBuffer | null>): Promise<Snapshot> {
	const manifestBytes = await read('manifest.json');
	if (!manifestBytes) throw new LoadError('manifest_missing', 'manifest.json', 'not found');
	const manifest = parseManifest(new TextDecoder().decode(manifestBytes));
	const tables = {} as Record<TableName, ReturnType<typeof rowsOf>>;
	for (const t of TABLE_NAMES) {
		const file = manifest.files[t];
		const bytes = await read(file);
		if (!bytes) throw new LoadError('file_missing', file, 'not found');
		tables[t] = rowsOf(await decodeTable(t, file, bytes));
	}
	const agencies = (tables.agencies as AgencyOption[]).map(({ id, name, province, city, level, category }) => ({ id, name, province, city, level, category }));
	agencies.sort((a, b) => byCodepoint(a.name, b.name) || byCodepoint(a.id, b.id));
	const nameOf = new Map(agencies.map((a) => [a.id, a.name]));
	const reports = tables.reports as ReportLite[];
	const byReport = new Map(reports.map((r) => [r.report_id, r]));
	const flagged = (r: ReportLite) => (r.status !== 'clean' ? 1 : 0);

	// years × templates
	const yt = new Map<string, YearTemplateRow & { ids: Set<string> }>();
	for (const r of reports) {
		const k = `${r.year}|${r.template}`;
		let row = yt.get(k);
		if (!row) yt.set(k, (row = { year: r.year, template: r.template, reports: 0, flagged: 0, agencies: 0, ids: new Set() }));
		row.reports++;
		row.flagged += flagged(r);
		row.ids.add(r.agency_id);
	}
	const years: YearTemplateRow[] = [...yt.values()].map(({ ids, ...row }) => ({ ...row, agencies: ids.size }));

	// metric sums, and the facts behind pooled rates
	const wanted = new Set<string>(OVERVIEW_METRICS);
	const pooled = new Set<string>(OVERVIEW_METRICS.filter((id) => isPooled(metricOf(id))));
	const sums = new Map<string, MetricSumRow>();
	const reportsOfPooled = new Map<string, { metric: string; year: number }[]>();
	for (const m of tables.metrics as { report_id: string; metric: string; year: number; value: number }[]) {
		const r = byReport.get(m.report_id);
		if (!r || !wanted.has(m.metric)) continue;
		const k = `${m.metric}|${m.year}`;
		let s = sums.get(k);
		if (!s) sums.set(k, (s = { metric: m.metric, year: m.year, total: 0, reports: 0, flagged: 0 }));
		s.total += m.value;
		s.reports++;
		s.flagged += flagged(r);
		if (pooled.has(m.metric)) {
			let list = reportsOfPooled.get(m.report_id);
			if (!list) reportsOfPooled.set(m.report_id, (list = []));
			list.push({ metric: m.metric, year: m.year });
		}
	}
	const factSums = new Map<string, PooledFactRow>();
	const factTables = new Set<string>(POOLED_FACT_TABLES);
	for (const f of tables.facts as { report_id: string; table_no: string; row_key: string; column_key: string; value: number }[]) {
		if (!factTables.has(f.table_no)) continue;
		for (const { metric, year } of reportsOfPooled.get(f.report_id) ?? []) {
			const k = `${metric}|${year}|${f.table_no}|${f.row_key}|${f.column_key}`;
			const row = factSums.get(k);
			if (row) row.value += f.value;
			else factSums.set(k, { metric, year, table_no: f.table_no, row_key: f.row_key, column_key: f.column_key, value: f.value });
		}
	}

	// report matrix: agencies by name, capped like the SQL
	const inMatrix = new Set(
		[...new Set(reports.map((r) => r.agency_id))]
			.sort((a, b) => byCodepoint(nameOf.get(a) ?? '', nameOf.get(b) ?? '') || byCodepoint(a, b))
			.slice(0, MATRIX_LIMIT)
	);
	const matrix: MatrixCellRow[] = reports
		.filter((r) => inMatrix.has(r.agency_id))
		.map((r) => ({ agency_id: r.agency_id, name: nameOf.get(r.agency_id) ?? r.agency_id, year: r.year, template: r.template, status: r.status, broken_rules: r.broken_rules }))
		.sort((a, b) => byCodepoint(a.name, b.name) || byCodepoint(a.agency_id, b.agency_id) || a.year - b.year);

	const counted = new Map<string, number>();
	for (const r of reports) increment(counted, r.agency_id);

	return {
		dataset: {
			version: manifest.dataset_version,
			built_at: manifest.built_at,
			source: manifest.source,
			counts: manifest.counts,
			failed: manifest.failed ?? [],
			sources: {
				document: (manifest.sources ?? []).filter((x) => x.status === 'ok' && x.kind === 'document').length,
				record: (manifest.sources ?? []).filter((x) => x.status === 'ok' && x.kind === 'record').length
			}
		},
		agencies,
		years: [...new Set(reports.map((r) => r.year))].sort((a, b) => a - b),
		overview: buildOverview({ years, sums: [...sums.values()], facts: [...factSums.values()], matrix, agencies: counted.size })
	};
}

