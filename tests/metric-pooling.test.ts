import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { METRICS, METRIC_BY_ID, computeMetrics } from '../src/lib/catalog/metrics';
import { STORED_METRICS, TABLES } from '../src/lib/dataset/columns';
import { reportMetricsRows } from '../src/lib/dataset/report-metrics';
import { buildTables, DATASET_SCHEMA_VERSION } from '../src/lib/dataset/tables';
import { metricValue } from '../src/lib/db/queries';
import { sql } from '../src/lib/db/sql';
import { NodeRunner } from '../src/lib/server/duckdb-runner';
import { scaleAgencies, scaleEntry } from '../src/lib/synthetic/scale';
import { writeDataset } from '../src/cli/ingest/dataset-writer';
import { generateRecord } from '../src/lib/synthetic/index';
import type { CaseCells, CompleteRecord } from '../src/lib/report/schema';

// Rates name their parts (numerator and denominator count metrics), so
// aggregates pool them from report_metrics without the tables behind them.

/** Records with empty and missing rows too: both templates, slips, zero denominators. */
function records(): CompleteRecord[] {
	const out: CompleteRecord[] = [];
	for (let seed = 1; seed <= 300; seed++) {
		const r = generateRecord(seed, { template: seed % 2 ? '2019' : '2021', index: seed });
		if (seed % 7 === 0) out.push({ ...r, review: null, litigation_direct: null });
		else if (seed % 11 === 0)
			out.push({ ...r, requests: { ...r.requests, total_processed: r.requests.total_processed && { ...r.requests.total_processed, total: 0 } } });
		else if (seed % 13 === 0) out.push({ ...r, requests: { ...r.requests, granted: null, partially_granted: null } });
		else out.push(r);
	}
	return out;
}

const concluded = (c: CaseCells<number> | null) => (c ? c.maintained + c.corrected + c.other : 0);

describe('rates in the catalog', () => {
	it('every rate names count metrics as its parts; counts have none', () => {
		for (const m of METRICS) {
			if (m.unit !== 'rate') {
				expect(m.ratio, m.id).toBeUndefined();
				continue;
			}
			expect(m.ratio, m.id).toBeDefined();
			for (const id of [...m.ratio!.numerator, m.ratio!.denominator]) {
				expect(METRIC_BY_ID.get(id)?.unit, `${m.id}: ${id}`).toBe('count');
				expect(STORED_METRICS, `${m.id}: ${id}`).toContain(id);
			}
		}
		expect(STORED_METRICS).not.toContain('grant_rate');
		expect(TABLES.report_metrics.map(([c]) => c)).toEqual(expect.arrayContaining(['review_concluded', 'litigation_concluded']));
	});

	it('computes each rate as the report’s tables define it', () => {
		for (const r of records()) {
			const v = Object.fromEntries(computeMetrics(r).map((m) => [m.metric, m.value]));
			const q = r.requests;
			const processed = q.total_processed?.total;
			if (q.granted && processed) expect(v.grant_rate).toBe(q.granted.total / processed);
			else expect(v.grant_rate).toBeUndefined();
			if ((q.granted || q.partially_granted) && processed)
				expect(v.grant_or_partial_rate).toBe(((q.granted?.total ?? 0) + (q.partially_granted?.total ?? 0)) / processed);
			if (r.review && concluded(r.review) > 0) expect(v.review_correction_rate).toBe(r.review.corrected / concluded(r.review));
			else expect(v.review_correction_rate).toBeUndefined();
			const lit = concluded(r.litigation_direct) + concluded(r.litigation_after_review);
			if ((r.litigation_direct || r.litigation_after_review) && lit > 0)
				expect(v.litigation_correction_rate).toBe(((r.litigation_direct?.corrected ?? 0) + (r.litigation_after_review?.corrected ?? 0)) / lit);
			else expect(v.litigation_correction_rate).toBeUndefined();
			if (r.review) expect(v.review_concluded).toBe(concluded(r.review));
			else expect(v.review_concluded).toBeUndefined();
		}
	});

	it('a metric on one report_metrics row (SQL metricValue) is the value the catalog computes, and absent exactly where it is', async () => {
		const recs = records();
		const tables = buildTables(recs.map((record, i) => ({ record, issues: [], sourceFile: `r${i}.json`, sha256: String(i), kind: 'record' as const })));
		const dir = mkdtempSync(join(tmpdir(), 'nianbao-pooling-'));
		try {
			const at = new Date(0).toISOString();
			await writeDataset(dir, tables, {
				schema_version: DATASET_SCHEMA_VERSION,
				dataset_version: 'pooling',
				built_at: at,
				source: 'test',
				failed: [],
				duplicates: [],
				skipped: [],
				sources: []
			});
			const db = await NodeRunner.open(dir, ['report_metrics']);
			try {
				const stored = new Map(tables.metrics.map((m) => [`${m.report_id}|${m.metric}`, m.value]));
				let present = 0;
				for (const m of METRICS) {
					const rows = await db.query<{ report_id: string; value: number | null }>(
						sql`SELECT r.report_id, ${metricValue(m.id, 'r')} AS value FROM report_metrics r`
					);
					expect(rows.length).toBe(recs.length);
					for (const r of rows) {
						expect(r.value ?? undefined, `${r.report_id} ${m.id}`).toBe(stored.get(`${r.report_id}|${m.id}`));
						if (r.value !== null) present++;
					}
				}
				expect(present).toBe(tables.metrics.length);
			} finally {
				db.close();
			}
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('report_metrics', () => {
	it('holds every stored metric of every report, as the metrics table does, and nothing else', () => {
		const agencies = scaleAgencies(30, 3);
		const entries = Array.from({ length: 210 }, (_, k) => scaleEntry(agencies, k, 3));
		const tables = buildTables(entries);
		expect(tables.report_metrics.map((r) => r.report_id)).toEqual(tables.reports.map((r) => r.report_id));
		const cells = new Map(tables.metrics.map((m) => [`${m.report_id}|${m.metric}`, m.value]));
		let compared = 0;
		for (const row of tables.report_metrics) {
			const report = tables.reports.find((r) => r.report_id === row.report_id)!;
			expect(row).toMatchObject({
				agency_id: report.agency_id,
				agency: report.agency,
				year: report.year,
				template: report.template,
				status: report.status,
				broken_rules: report.broken_rules
			});
			for (const id of STORED_METRICS) {
				expect(row[id] ?? undefined, `${row.report_id} ${id}`).toBe(cells.get(`${row.report_id}|${id}`));
				compared++;
			}
		}
		expect(compared).toBe(210 * STORED_METRICS.length);
		// and derived again from the two tables (what the page does for an uploaded report)
		expect(reportMetricsRows(tables.reports, tables.metrics)).toEqual(tables.report_metrics);
	});
});
