import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../../src/lib/db/reconcile';
import { NodeRunner } from '../../src/lib/server/duckdb-runner';

// The reconciliation view's numbers on the bundled dataset: 平潭综合实验区 and its units.

let db: NodeRunner;
type Row = Record<string, unknown>;
const all = (text: string) => db.query<Row>({ text, params: [] });

beforeAll(async () => {
	db = await NodeRunner.open(join(process.cwd(), 'static/data'));
});
afterAll(() => db?.close());

describe('reconciliation of an aggregate report with its units', () => {
	it('sets the zone-wide 平潭 report beside the sum of its eleven units’ own reports, with the gap and the missing units', async () => {
		const r = await reconcile(db, null);
		expect(r.government?.name).toBe('平潭综合实验区');
		expect(r.units.map((u) => u.name)).toContain('平潭综合实验区财政金融局');
		expect(r.units.map((u) => u.name)).toContain('平潭综合实验区海坛片区管理局');
		expect(r.units.length).toBe(12);
		expect(r.years.map((y) => y.year)).toEqual([2019, 2020, 2021, 2022, 2023, 2024, 2025]);
		const [e] = await all(`SELECT SUM(m.value) AS v, COUNT(*) AS n FROM metrics m JOIN reports r ON r.report_id = m.report_id
			WHERE m.metric = 'requests_received' AND r.year = 2023 AND r.agency LIKE '平潭综合实验区%' AND r.agency <> '平潭综合实验区'`);
		const [p] = await all(
			`SELECT m.value AS v FROM metrics m JOIN reports r ON r.report_id = m.report_id WHERE m.metric = 'requests_received' AND r.year = 2023 AND r.agency = '平潭综合实验区'`
		);
		const row = r.rows.find((x) => x.year === 2023 && x.metric === 'requests_received')!;
		expect(row).toEqual({
			year: 2023,
			metric: 'requests_received',
			printed: Number(p.v),
			units: Number(e.v),
			gap: Number(p.v) - Number(e.v),
			reporting: Number(e.n)
		});
		// No police report for 2023 (corpus README): the one unit missing that year.
		expect(r.years.find((y) => y.year === 2023)!.missing.map((u) => u.name)).toEqual(['平潭综合实验区公安局']);
		const fee = r.rows.find((x) => x.year === 2024 && x.metric === 'fee_revenue')!;
		expect(Math.round(fee.printed!)).toBe(18651);
	});
});
