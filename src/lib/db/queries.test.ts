import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeScaleDataset } from '../../cli/bench-data';
import { METRICS } from '$lib/catalog/metrics';
import { TABLES, TABLE_NAMES, type Manifest } from '$lib/dataset/columns';
import { OVERVIEW_METRICS, metricOf } from './aggregate';
import { metricSeries, metricValue, NO_FILTERS, overview, profile, type Filters, type Runner } from './queries';
import { buildSnapshot, packSnapshot, unpackSnapshot } from './snapshot';
import { sql, type Sql } from './sql';

// The dashboard's SQL, run by native DuckDB over the bundled Parquet files,
// against the build-time snapshot that the page shows before DuckDB-WASM starts.

const DATA = join(process.cwd(), 'static/data');
let conn: DuckDBConnection;
let manifest: Manifest;
const db: Runner = {
	async query<T>(q: Sql): Promise<T[]> {
		const reader = await conn.runAndReadAll(q.text, [...q.params] as (string | number | boolean | null)[]);
		return reader.getRowObjectsJS() as T[];
	}
};

/** Doubles summed in another order differ in the last bits; compare at 12 significant digits. */
function rounded<T>(x: T): T {
	return JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v)));
}

/** Every table of a dataset folder in a fresh native DuckDB, typed by TABLES as in the page. */
async function load(dir: string): Promise<{ conn: DuckDBConnection; manifest: Manifest }> {
	const manifest: Manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
	const conn = await (await DuckDBInstance.create(':memory:')).connect();
	for (const t of TABLE_NAMES) {
		const cols = TABLES[t].map(([n, type]) => `"${n}" ${type}`).join(', ');
		await conn.run(`CREATE TABLE ${t} (${cols})`);
		await conn.run(`INSERT INTO ${t} SELECT ${TABLES[t].map(([n]) => `"${n}"`).join(', ')} FROM read_parquet('${join(dir, manifest.files[t])}')`);
	}
	return { conn, manifest };
}

function runner(c: () => DuckDBConnection): Runner {
	return {
		async query<T>(q: Sql): Promise<T[]> {
			const reader = await c().runAndReadAll(q.text, [...q.params] as (string | number | boolean | null)[]);
			return reader.getRowObjectsJS() as T[];
		}
	};
}

function snapshotOf(dir: string) {
	return buildSnapshot(async (f) => {
		const b = await readFile(join(dir, f));
		return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
	});
}

/**
 * Pooled rates straight from the detail rows: per year, Σ numerator ÷ Σ
 * denominator over the reports whose `metrics` rows have the rate.
 */
async function pooledFromMetrics(db: Runner, metricId: string, f: Filters): Promise<Map<number, number>> {
	const m = metricOf(metricId);
	const inScope = sql`SELECT r.report_id FROM reports r JOIN agencies a ON a.id = r.agency_id
		WHERE (${f.level} IS NULL OR a.level = ${f.level}) AND (${f.from} IS NULL OR r.year >= ${f.from})`;
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
	({ conn, manifest } = await load(DATA));
});

const PINGTAN = 'af38228e4'; // 平潭综合实验区 (area-wide report)

describe('dashboard queries on the bundled dataset', () => {
	it('the prerendered snapshot equals the SQL overview without filters', async () => {
		const snap = await snapshotOf(DATA);
		const sqlOverview = await overview(db, NO_FILTERS);
		expect(rounded(sqlOverview)).toEqual(rounded(snap.overview));
		expect(snap.overview.reports).toBe(manifest.counts.reports);
		expect(snap.overview.agencies).toBe(manifest.counts.agencies);
		const years = await db.query<{ year: number }>({ text: 'SELECT DISTINCT year FROM reports ORDER BY year', params: [] });
		expect(snap.years).toEqual(years.map((y) => y.year));
	});

	it('pools rates over the summed tables, not as a mean of rates', async () => {
		const one = await overview(db, { ...NO_FILTERS, q: '平潭综合实验区', from: 2022, to: 2022, category: '人民政府', level: '县' });
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
		expect((await overview(db, NO_FILTERS)).reports).toBe(manifest.counts.reports);
	});

	it('unknown metric or agency gives empty answers, not errors', async () => {
		expect(await metricSeries(db, [PINGTAN], 'no_such_metric', { from: null, to: null })).toEqual([]);
		expect((await profile(db, 'nope')).agency).toBeNull();
	});

	it('profiles an agency with its broken rules and their places', async () => {
		const p = await profile(db, 'a139b8f48'); // 海坛片区管理局
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

	it('inlines the snapshot packed, and unpacks it to the same agencies', async () => {
		const snap = await snapshotOf(DATA);
		const packed = packSnapshot(snap);
		expect(unpackSnapshot(JSON.parse(JSON.stringify(packed)))).toEqual(snap);
		expect(JSON.stringify(packed).length).toBeLessThan(JSON.stringify(snap).length);
	});
});

describe('dashboard queries on a generated dataset (2,100 reports)', () => {
	const dir = mkdtempSync(join(tmpdir(), 'nianbao-queries-'));
	let gen: DuckDBConnection;
	const g = runner(() => gen);
	beforeAll(async () => {
		await writeScaleDataset(2100, dir, 11);
		({ conn: gen } = await load(dir));
	}, 60_000);
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('the snapshot equals the SQL overview, and the matrix is capped', async () => {
		const snap = await snapshotOf(dir);
		expect(rounded(await overview(g, NO_FILTERS))).toEqual(rounded(snap.overview));
		expect(snap.overview.reports).toBe(2100);
		expect(snap.overview.flagged).toBeGreaterThan(0);
		expect(snap.overview.matrix.length).toBeLessThan(snap.overview.agencies);
		expect(unpackSnapshot(JSON.parse(JSON.stringify(packSnapshot(snap))))).toEqual(snap);
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

