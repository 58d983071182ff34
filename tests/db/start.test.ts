import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeScaleDataset } from '../../src/cli/bench/data';
import { NO_FILTERS, overview, type Filters } from '../../src/lib/db/queries';
import { START_COLUMNS, START_TABLES, yearsMask } from '../../src/lib/db/start';
import { sql } from '../../src/lib/db/sql';
import { NodeRunner } from '../../src/lib/server/duckdb-runner';

/**
 * The overview from the build's start tables (cubes, agency_years) must give
 * the numbers the per-report queries give, for every filter the cubes
 * answer. Both runners read the same files; one derives the start tables as
 * the build does, the other has only the dataset's own tables.
 */

/** Equal, numbers to 1e-9 relative (sums added in another order). */
function expectSame(actual: unknown, expected: unknown, path = ''): void {
	if (typeof expected === 'number' && typeof actual === 'number') {
		expect(Math.abs(actual - expected), `${path}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
		return;
	}
	if (expected && typeof expected === 'object' && actual && typeof actual === 'object') {
		const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
		for (const k of keys) expectSame((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${path}.${k}`);
		return;
	}
	expect(actual, path).toEqual(expected);
}

function filterCases(province: string, city: string, level: string, category: string): Filters[] {
	const f = NO_FILTERS;
	return [
		f,
		{ ...f, sum: 'aggregate' },
		{ ...f, level },
		{ ...f, category },
		{ ...f, level, category, skipFlagged: true },
		{ ...f, province },
		{ ...f, province, level, skipUncertain: true },
		{ ...f, province, city },
		{ ...f, city, from: 2021, to: 2023 },
		{ ...f, from: 2022 },
		{ ...f, to: 2020, skipFlagged: true, skipUncertain: true },
		{ ...f, from: 2023, to: 2023, sum: 'aggregate', level },
		{ ...f, from: 2030 },
		{ ...f, province: '不存在' }
	];
}

async function compareOn(dir: string) {
	const cubes = await NodeRunner.open(dir, ['agencies', 'report_metrics'], { start: true });
	const rows = await NodeRunner.open(dir, ['agencies', 'report_metrics']);
	try {
		expect(cubes.cubes).toBe(true);
		expect(rows.cubes).toBe(false);
		const [pick] = await rows.query<{ province: string; city: string; level: string; category: string }>(sql`
			SELECT a.province, a.city, a.level, a.category FROM agencies a JOIN report_metrics r ON r.agency_id = a.id
			WHERE a.city IS NOT NULL GROUP BY ALL ORDER BY COUNT(*) DESC, 1, 2, 3, 4 LIMIT 1`);
		const cases = filterCases(pick.province, pick.city, pick.level, pick.category);
		for (const f of cases) {
			const expected = await overview(rows, f);
			const got = await overview(cubes, f);
			expectSame(got, expected, JSON.stringify(f));
		}
		return { cubes, cases };
	} finally {
		cubes.close();
		rows.close();
	}
}

describe('start data (build-time cubes) on the bundled dataset', () => {
	it('gives the overview the per-report queries give, filter by filter', async () => {
		await compareOn(join(process.cwd(), 'static/data'));
	});
});

describe('start data on a generated dataset (2,100 reports)', () => {
	const dir = mkdtempSync(join(tmpdir(), 'nianbao-start-'));
	let db: NodeRunner;
	beforeAll(async () => {
		await writeScaleDataset(2100, dir, 11);
		db = await NodeRunner.open(dir, ['agencies', 'report_metrics'], { start: true });
	}, 120_000);
	afterAll(() => {
		db?.close();
		rmSync(dir, { recursive: true, force: true });
	});

	it('gives the overview the per-report queries give, filter by filter', async () => {
		await compareOn(dir);
	}, 120_000);

	it('stays bounded: a cube row per group of reports, an agency_years row per agency, scope and status', async () => {
		const [n] = await db.query<{ reports: number; agencies: number; cube: number; years: number; summed: number }>(sql`
			SELECT CAST((SELECT COUNT(*) FROM report_metrics) AS DOUBLE) AS reports, CAST((SELECT COUNT(*) FROM agencies) AS DOUBLE) AS agencies,
				CAST((SELECT COUNT(*) FROM overview_cube) AS DOUBLE) AS cube, CAST((SELECT COUNT(*) FROM agency_years) AS DOUBLE) AS years,
				CAST((SELECT SUM(reports) FROM overview_cube) AS DOUBLE) AS summed`);
		expect(n.summed).toBe(n.reports);
		expect(n.cube).toBeLessThan(n.reports);
		expect(n.years).toBeGreaterThanOrEqual(n.agencies);
		expect(n.years).toBeLessThan(n.reports);
		for (const t of START_TABLES) {
			const cols = await db.query<{ column_name: string }>(sql`SELECT column_name FROM (DESCRIBE ${{ text: t, params: [] }})`);
			expect(
				cols.map((c) => c.column_name),
				t
			).toEqual(START_COLUMNS[t].map(([name]) => name));
		}
	});

	it('holds each agency’s years as bits', async () => {
		const diff = await db.query(sql`
			SELECT y.agency_id, y.scope, y.status FROM agency_years y
			WHERE y.years <> (SELECT coalesce(sum(pow(2, r.year - 2000)), 0) FROM report_metrics r
				WHERE r.agency_id = y.agency_id AND r.scope IS NOT DISTINCT FROM y.scope AND r.status IS NOT DISTINCT FROM y.status)`);
		expect(diff).toEqual([]);
		expect(yearsMask(2019, 2019)).toBe(2 ** 19);
		expect(yearsMask(2019, 2021)).toBe(2 ** 19 + 2 ** 20 + 2 ** 21);
		expect(yearsMask(2022, 2021)).toBe(0);
	});
});
