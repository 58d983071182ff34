import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLES, TABLE_NAMES, type Manifest } from '$lib/dataset/columns';
import { metricSeries, NO_FILTERS, overview, profile, type Runner } from './queries';
import { buildSnapshot } from './snapshot';
import type { Sql } from './sql';

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

beforeAll(async () => {
	manifest = JSON.parse(await readFile(join(DATA, 'manifest.json'), 'utf8'));
	conn = await (await DuckDBInstance.create(':memory:')).connect();
	for (const t of TABLE_NAMES) {
		const cols = TABLES[t].map(([n, type]) => `"${n}" ${type}`).join(', ');
		await conn.run(`CREATE TABLE ${t} (${cols})`);
		await conn.run(`INSERT INTO ${t} SELECT ${TABLES[t].map(([n]) => `"${n}"`).join(', ')} FROM read_parquet('${join(DATA, manifest.files[t])}')`);
	}
});

const PINGTAN = 'af38228e4'; // 平潭综合实验区 (area-wide report)

describe('dashboard queries on the bundled dataset', () => {
	it('the prerendered snapshot equals the SQL overview without filters', async () => {
		const snap = await buildSnapshot(async (f) => {
			const b = await readFile(join(DATA, f));
			return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
		});
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
});
