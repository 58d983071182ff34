import type { Manifest, TableName } from '$lib/dataset/columns';
import { rateParts, type ReportMetricsRow } from '$lib/dataset/report-metrics';
import {
	OVERVIEW_METRICS,
	buildOverview,
	metricOf,
	type MatrixCellRow,
	type MetricSumRow,
	type OverviewData,
	type YearTemplateRow
} from './aggregate';
import { decodeTable, parseManifest, rowsOf } from './decode';
import { LoadError } from './errors';
import { MATRIX_LIMIT } from './queries';

/**
 * What the page knows before DuckDB starts: the dataset's identity, the
 * agency list (for filters and link checks) and the default overview's
 * numbers. Built once at prerender time from static/data and inlined.
 * It reads only `agencies` and `report_metrics`, whatever the size of the
 * dataset. The arithmetic mirrors queries.ts's SQL for "no filters"; the unit
 * test checks the two agree.
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

const byCodepoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function readTable(read: (file: string) => Promise<ArrayBuffer | null>, manifest: Manifest, t: TableName) {
	const file = manifest.files[t];
	const bytes = await read(file);
	if (!bytes) throw new LoadError('file_missing', file, 'not found');
	return rowsOf(await decodeTable(t, file, bytes));
}

/** Σ of a metric per year over the reports that have it; rates pooled from their parts, as metricSums in queries.ts. */
function sumMetrics(reports: readonly ReportMetricsRow[]): MetricSumRow[] {
	const sums = new Map<string, MetricSumRow>();
	for (const r of reports) {
		const flagged = r.status !== 'clean' ? 1 : 0;
		for (const id of OVERVIEW_METRICS) {
			const m = metricOf(id);
			let value: number;
			let denominator: number | null = null;
			if (m.ratio) {
				const parts = rateParts(m, r);
				if (!parts) continue;
				value = parts.numerator;
				denominator = parts.denominator;
			} else {
				const v = r[id] as number | null;
				if (v === null) continue;
				value = v;
			}
			const k = `${id}|${r.year}`;
			let s = sums.get(k);
			if (!s) sums.set(k, (s = { metric: id, year: r.year, total: 0, denominator: m.ratio ? 0 : null, reports: 0, flagged: 0 }));
			s.total += value;
			if (denominator !== null) s.denominator! += denominator;
			s.reports++;
			s.flagged += flagged;
		}
	}
	return [...sums.values()];
}

export async function buildSnapshot(read: (file: string) => Promise<ArrayBuffer | null>): Promise<Snapshot> {
	const manifestBytes = await read('manifest.json');
	if (!manifestBytes) throw new LoadError('manifest_missing', 'manifest.json', 'not found');
	const manifest = parseManifest(new TextDecoder().decode(manifestBytes));
	const agencies = ((await readTable(read, manifest, 'agencies')) as AgencyOption[]).map(({ id, name, province, city, level, category }) => ({ id, name, province, city, level, category }));
	agencies.sort((a, b) => byCodepoint(a.name, b.name) || byCodepoint(a.id, b.id));
	const nameOf = new Map(agencies.map((a) => [a.id, a.name]));
	const reports = (await readTable(read, manifest, 'report_metrics')) as ReportMetricsRow[];

	// years × templates
	const yt = new Map<string, YearTemplateRow & { ids: Set<string> }>();
	for (const r of reports) {
		const k = `${r.year}|${r.template}`;
		let row = yt.get(k);
		if (!row) yt.set(k, (row = { year: r.year, template: r.template, reports: 0, flagged: 0, agencies: 0, ids: new Set() }));
		row.reports++;
		row.flagged += r.status !== 'clean' ? 1 : 0;
		row.ids.add(r.agency_id);
	}
	const years: YearTemplateRow[] = [...yt.values()].map(({ ids, ...row }) => ({ ...row, agencies: ids.size }));

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

	return {
		dataset: {
			version: manifest.dataset_version,
			built_at: manifest.built_at,
			source: manifest.source,
			counts: manifest.counts,
			failed: manifest.failed ?? [],
			sources: manifest.source_kinds ?? {
				document: (manifest.sources ?? []).filter((x) => x.status === 'ok' && x.kind === 'document').length,
				record: (manifest.sources ?? []).filter((x) => x.status === 'ok' && x.kind === 'record').length
			}
		},
		agencies,
		years: [...new Set(reports.map((r) => r.year))].sort((a, b) => a - b),
		overview: buildOverview({ years, sums: sumMetrics(reports), matrix, agencies: new Set(reports.map((r) => r.agency_id)).size })
	};
}

export { packSnapshot, unpackSnapshot, type PackedAgencies, type PackedSnapshot } from './snapshot-pack';
