import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeScaleDataset } from '../../src/cli/bench/data';
import { describeAgency } from '../../src/lib/agencies/index';
import { METRICS } from '../../src/lib/catalog/metrics';
import type { Manifest, TableName } from '../../src/lib/dataset/columns';
import { OVERVIEW_METRICS, metricOf } from '../../src/lib/db/aggregate';
import { MATRIX_LIMIT, metricSeries, metricValue, NO_FILTERS, overview, profile, type Filters, type Runner } from '../../src/lib/db/queries';
import type { Snapshot } from '../../src/lib/db/snapshot';
import { DIRECTORY_FILE, directoryShardCount, directoryShardFile, directoryShardOf, unpackAgencies, type DirectoryFile } from '../../src/lib/db/directory';
import { sql } from '../../src/lib/db/sql';
import { NodeRunner } from '../../src/lib/server/duckdb-runner';
import { buildDirectory, buildSnapshot } from '../../src/lib/server/snapshot';

// The dashboard's SQL, run by native DuckDB over the bundled Parquet files,
// and the build-time snapshot that the page shows before DuckDB-WASM starts.

const DATA = join(process.cwd(), 'static/data');
let db: NodeRunner;
let manifest: Manifest;

type Row = Record<string, unknown>;
const byCodepoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function parquetRows(dir: string, table: TableName): Promise<Row[]> {
	const m: Manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
	const b = readFileSync(join(dir, m.files[table][0]));
	return parquetReadObjects({ file: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer });
}

/**
 * What the snapshot must say, worked out here in JavaScript from the Parquet
 * rows of `reports`, `metrics` and `agencies` — not from report_metrics, and
 * not with the dashboard's SQL: per year, reports, flagged reports and
 * agencies; each overview metric summed over the reports whose `metrics`
 * rows have it (rates pooled from their parts' rows); the matrix's agencies.
 * Totals add up the bodies' own reports (scope 'own'), never the aggregate
 * reports that contain them; the matrix lists every report.
 */
async function expectedSnapshot(dir: string) {
	const [all, allMetrics, agencies] = await Promise.all([parquetRows(dir, 'reports'), parquetRows(dir, 'metrics'), parquetRows(dir, 'agencies')]);
	const reports = all.filter((r) => r.scope === 'own');
	const summed = new Set(reports.map((r) => String(r.report_id)));
	const metrics = allMetrics.filter((m) => summed.has(String(m.report_id)));
	const status = new Map(reports.map((r) => [String(r.report_id), String(r.status)]));
	const value = new Map(metrics.map((m) => [`${m.report_id}|${m.metric}`, Number(m.value)]));
	const years = [...new Set(reports.map((r) => Number(r.year)))].sort((a, b) => a - b);
	const perYear = years.map((year) => {
		const own = reports.filter((r) => Number(r.year) === year);
		return { year, reports: own.length, flagged: own.filter((r) => r.status !== 'clean').length, agencies: new Set(own.map((r) => r.agency_id)).size };
	});
	const series: Record<string, { year: number; value: number | null; reports: number; flagged: number }[]> = {};
	for (const id of OVERVIEW_METRICS) {
		const m = metricOf(id);
		series[id] = years.map((year) => {
			const rows = metrics.filter((x) => x.metric === id && Number(x.year) === year);
			const flagged = rows.filter((x) => status.get(String(x.report_id)) !== 'clean').length;
			if (!rows.length) return { year, value: null, reports: 0, flagged: 0 };
			if (!m.ratio) return { year, value: rows.reduce((a, x) => a + Number(x.value), 0), reports: rows.length, flagged };
			let n = 0;
			let d = 0;
			for (const x of rows) {
				n += m.ratio.numerator.reduce((a, part) => a + (value.get(`${x.report_id}|${part}`) ?? 0), 0);
				d += value.get(`${x.report_id}|${m.ratio.denominator}`)!;
			}
			return { year, value: n / d, reports: rows.length, flagged };
		});
	}
	const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
	const named = agencies
		.map((a) => ({
			id: String(a.id),
			name: String(a.name),
			province: text(a.province),
			city: text(a.city),
			level: String(a.level),
			category: String(a.category)
		}))
		.sort((a, b) => byCodepoint(a.name, b.name) || byCodepoint(a.id, b.id));
	const reporting = new Set(all.map((r) => String(r.agency_id)));
	return {
		years: perYear,
		series,
		agencies: named,
		matrix: named
			.filter((a) => reporting.has(a.id))
			.slice(0, MATRIX_LIMIT)
			.map((a) => a.id),
		reportCount: reports.length,
		agencyCount: new Set(reports.map((r) => String(r.agency_id))).size
	};
}

/** The snapshot against expectedSnapshot: counts exact, sums to 12 digits (doubles summed in another order differ in the last bits). */
async function expectSnapshotOf(dir: string, snap: Snapshot): Promise<void> {
	const want = await expectedSnapshot(dir);
	expect(snap.overview.reports).toBe(want.reportCount);
	expect(snap.overview.agencies).toBe(want.agencyCount);
	expect(snap.overview.flagged).toBe(want.years.reduce((a, y) => a + y.flagged, 0));
	expect(snap.years).toEqual(want.years.map((y) => y.year));
	expect(snap.overview.years.map(({ year, reports, flagged }) => ({ year, reports, flagged }))).toEqual(
		want.years.map(({ year, reports, flagged }) => ({ year, reports, flagged }))
	);
	for (const id of OVERVIEW_METRICS)
		for (const [i, p] of snap.overview.series[id].entries()) {
			const w = want.series[id][i];
			expect({ year: p.year, reports: p.reports, flagged: p.flagged }, `${id} ${w.year}`).toEqual({ year: w.year, reports: w.reports, flagged: w.flagged });
			if (w.value === null) expect(p.value, `${id} ${w.year}`).toBeNull();
			else expect(Math.abs(p.value! - w.value), `${id} ${w.year}`).toBeLessThanOrEqual(1e-12 * Math.abs(w.value));
		}
	// The filters' choices: every distinct value of the agency rows, in code point order.
	const distinct = (xs: (string | null)[]) => [...new Set(xs.filter((x): x is string => !!x))].sort(byCodepoint);
	expect(snap.choices.provinces).toEqual(distinct(want.agencies.map((a) => a.province)));
	expect(snap.choices.cities.map((c) => c.city)).toEqual(distinct(want.agencies.map((a) => a.city)));
	expect(snap.choices.levels).toEqual(distinct(want.agencies.map((a) => a.level)));
	expect(snap.choices.categories).toEqual(distinct(want.agencies.map((a) => a.category)));
	// The agency list is not in the page: it is the directory file, which holds every agency row as stored.
	expect(snap).not.toHaveProperty('agencies');
	const files: Map<string, DirectoryFile> = new Map(JSON.parse(JSON.stringify([...(await buildDirectory(dir))])));
	const file = files.get(DIRECTORY_FILE)!;
	expect(file.version).toBe(snap.dataset.version);
	expect(unpackAgencies(file.agencies)).toEqual(want.agencies);
	expect(JSON.stringify(file.agencies).length).toBeLessThan(JSON.stringify(want.agencies).length);
	// Its shards by id: as many as the page is told, each listing exactly the agencies whose id it is read for, in the same order.
	const shardsOf = (m: Map<string, DirectoryFile>, n: number) => {
		expect([...m.keys()].sort()).toEqual([DIRECTORY_FILE, ...Array.from({ length: n }, (_, i) => directoryShardFile(i))].sort());
		for (let i = 0; i < n; i++) {
			const f = m.get(directoryShardFile(i))!;
			expect(f.version).toBe(snap.dataset.version);
			expect(unpackAgencies(f.agencies)).toEqual(want.agencies.filter((a) => directoryShardOf(a.id, n) === i));
		}
	};
	expect(snap.directoryShards).toBe(directoryShardCount(want.agencies.length));
	shardsOf(files, snap.directoryShards);
	// Smaller shards (a national dataset's, in proportion): several files, none empty here, together the whole list.
	const n = directoryShardCount(want.agencies.length, 4);
	expect(n).toBeGreaterThan(2);
	const small: Map<string, DirectoryFile> = new Map(JSON.parse(JSON.stringify([...(await buildDirectory(dir, 4))])));
	shardsOf(small, n);
	expect(snap.overview.matrix.map((r) => r.agency_id)).toEqual(want.matrix);
}

/**
 * Pooled rates straight from the detail rows: per year, Σ numerator ÷ Σ
 * denominator over the reports whose `metrics` rows have the rate.
 */
async function pooledFromMetrics(db: Runner, metricId: string, f: Filters): Promise<Map<number, number>> {
	const m = metricOf(metricId);
	const inScope = sql`SELECT r.report_id FROM reports r JOIN agencies a ON a.id = r.agency_id
		WHERE (${f.level} IS NULL OR a.level = ${f.level}) AND (${f.from} IS NULL OR r.year >= ${f.from}) AND r.scope = ${f.sum}`;
	const rows = await db.query<{ year: number; n: number; d: number }>(sql`
		SELECT rate.year, CAST(SUM(num.value) AS DOUBLE) AS n, CAST(SUM(den.value) AS DOUBLE) AS d
		FROM metrics rate
		JOIN (SELECT report_id, SUM(value) AS value FROM metrics WHERE metric IN (${{ text: m.ratio!.numerator.map(() => '?').join(', '), params: [...m.ratio!.numerator] }}) GROUP BY 1) num ON num.report_id = rate.report_id
		JOIN metrics den ON den.report_id = rate.report_id AND den.metric = ${m.ratio!.denominator}
		WHERE rate.metric = ${m.id} AND rate.report_id IN (${inScope})
		GROUP BY 1`);
	return new Map(rows.map((r) => [r.year, r.n / r.d]));
}

beforeAll(async () => {
	db = await NodeRunner.open(DATA);
	manifest = db.manifest;
});
afterAll(() => db?.close());

const PINGTAN = describeAgency('平潭综合实验区').id; // area-wide report

describe('dashboard queries on the bundled dataset', () => {
	it('prerenders the snapshot from the Parquet files: the numbers the rows give', async () => {
		const snap = await buildSnapshot(DATA);
		await expectSnapshotOf(DATA, snap);
		// The zone-wide 平潭 (7), 洪泽区 (2023, 2024) and 周口市公安局 2023 reports are aggregates: not added.
		expect(snap.overview.reports).toBe(manifest.counts.reports - 10);
		expect(snap.overview.agencies).toBe(manifest.counts.agencies - 3);
		expect(snap.dataset.version).toBe(manifest.dataset_version);
	});

	it('pools rates over the summed tables, not as a mean of rates', async () => {
		const one = await overview(db, { ...NO_FILTERS, q: '平潭综合实验区', from: 2022, to: 2022, category: '人民政府', level: '县', sum: 'aggregate' });
		expect(one.reports).toBe(1);
		const at = (id: string) => one.series[id].find((p) => p.year === 2022)!;
		expect(at('requests_received').value).toBe(74);
		expect(at('grant_rate').value).toBeCloseTo(21 / 75, 12);
		expect(at('not_held_rate').value).toBeCloseTo(37 / 75, 12);
		expect(at('review_correction_rate').value).toBeCloseTo(1 / 2, 12);
		expect(at('fee_revenue').value).toBeCloseTo(9116.36, 6);
	});

	it('marks fee revenue 不适用 where every report uses the 2019 tables', async () => {
		const o = await overview(db, { ...NO_FILTERS, from: 2019, to: 2020 });
		for (const p of o.series.fee_revenue) expect(p).toMatchObject({ value: null, reports: 0, applicable: false });
		const series = await metricSeries(db, [PINGTAN], 'fee_revenue', { from: null, to: null });
		const y2020 = series.find((r) => r.year === 2020)!;
		expect(y2020).toMatchObject({ template: '2019', value: null });
	});

	it('takes search text literally: wildcards and quotes match nothing and break nothing', async () => {
		for (const q of ['%', '_', "'; DROP TABLE reports; --", '平潭%']) {
			const o = await overview(db, { ...NO_FILTERS, q });
			expect(o.reports).toBe(0);
		}
		expect((await overview(db, NO_FILTERS)).reports).toBe(manifest.counts.reports - 10);
	});

	it('unknown metric or agency gives empty answers, not errors', async () => {
		expect(await metricSeries(db, [PINGTAN], 'no_such_metric', { from: null, to: null })).toEqual([]);
		expect((await profile(db, 'nope')).agency).toBeNull();
	});

	it('profiles an agency with its broken rules and their places', async () => {
		const p = await profile(db, describeAgency('平潭综合实验区海坛片区管理局').id);
		expect(p.agency?.name).toBe('平潭综合实验区海坛片区管理局');
		expect(p.reports.map((r) => r.year)).toEqual([2019, 2020, 2021, 2022, 2023, 2024, 2025]);
		const r2021 = p.reports.find((r) => r.year === 2021)!;
		expect(r2021).toMatchObject({ status: 'broken_rules', broken_rules: 3, source_file: 'records/pingtan/haitan-2021.json' });
		const issues2021 = p.issues.filter((i) => i.year === 2021 && i.code.startsWith('rule_'));
		expect(issues2021).toHaveLength(3);
		expect(issues2021[0]).toMatchObject({ table_no: '三' });
	});

	it('pools every overview rate from report_metrics exactly as the metrics table gives it', async () => {
		for (const f of [NO_FILTERS, { ...NO_FILTERS, level: '县', from: 2021 }]) {
			const o = await overview(db, f);
			for (const id of OVERVIEW_METRICS.filter((x) => metricOf(x).ratio)) {
				const expected = await pooledFromMetrics(db, id, f);
				for (const p of o.series[id]) {
					if (expected.has(p.year)) expect(p.value, `${id} ${p.year}`).toBeCloseTo(expected.get(p.year)!, 12);
					else expect(p.value, `${id} ${p.year}`).toBeNull();
				}
			}
		}
	});

	it('derives every metric of every report from report_metrics as the metrics table holds it', async () => {
		for (const m of METRICS) {
			const diff = await db.query<{ report_id: string; derived: number | null; stored: number | null }>(sql`
				SELECT coalesce(d.report_id, s.report_id) AS report_id, d.value AS derived, s.value AS stored
				FROM (SELECT r.report_id, ${metricValue(m.id, 'r')} AS value FROM report_metrics r) d
				FULL JOIN (SELECT report_id, value FROM metrics WHERE metric = ${m.id}) s ON s.report_id = d.report_id
				WHERE d.value IS DISTINCT FROM s.value`);
			expect(diff, m.id).toEqual([]);
		}
	});

	it('gives an agency’s metrics in the profile as the metrics table holds them', async () => {
		const p = await profile(db, PINGTAN);
		const stored = await db.query<{ year: number; metric: string; value: number }>(sql`
			SELECT year, metric, value FROM metrics WHERE agency_id = ${PINGTAN} ORDER BY year, metric`);
		expect(p.metrics).toEqual(stored);
	});
});

describe('dashboard queries on a generated dataset (2,100 reports)', () => {
	const dir = mkdtempSync(join(tmpdir(), 'nianbao-queries-'));
	let g: NodeRunner;
	beforeAll(async () => {
		await writeScaleDataset(2100, dir, 11);
		g = await NodeRunner.open(dir);
	});
	afterAll(() => {
		g?.close();
		rmSync(dir, { recursive: true, force: true });
	});

	it('prerenders the snapshot with the numbers the rows give, and caps the matrix', async () => {
		const snap = await buildSnapshot(dir);
		await expectSnapshotOf(dir, snap);
		// The generated governments' reports are aggregates: the totals add up the rest.
		const [c] = await g.query<{ own: number; all: number }>(
			sql`SELECT CAST(COUNT(*) FILTER (WHERE scope = 'own') AS DOUBLE) AS own, CAST(COUNT(*) AS DOUBLE) AS "all" FROM reports`
		);
		expect(c.all).toBe(2100);
		expect(snap.overview.reports).toBe(c.own);
		expect(c.own).toBeLessThan(2100);
		expect(snap.overview.flagged).toBeGreaterThan(0);
		expect(snap.overview.matrix.length).toBe(MATRIX_LIMIT);
		expect(snap.overview.matrix.length).toBeLessThan(snap.overview.agencies);
	});

	it('pools rates as the metrics table gives them, with filters', async () => {
		for (const f of [NO_FILTERS, { ...NO_FILTERS, level: '乡' }, { ...NO_FILTERS, level: '市', from: 2022 }]) {
			const o = await overview(g, f);
			for (const id of ['grant_rate', 'review_correction_rate', 'litigation_correction_rate']) {
				const expected = await pooledFromMetrics(g, id, f);
				expect(o.series[id].filter((p) => p.value !== null).length, id).toBe(expected.size);
				for (const p of o.series[id]) if (expected.has(p.year)) expect(p.value, `${id} ${p.year}`).toBeCloseTo(expected.get(p.year)!, 12);
			}
		}
	});
});
