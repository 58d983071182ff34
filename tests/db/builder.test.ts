import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableData } from '../../src/lib/db/builder';
import { NO_FILTERS } from '../../src/lib/db/queries';
import { NodeRunner } from '../../src/lib/server/duckdb-runner';

// The table builder's numbers on the bundled dataset, against the `metrics`
// table (what ingest computed per report) and plain sums written here.

let db: NodeRunner;
type Row = Record<string, unknown>;
const all = (text: string, params: (string | number)[] = []) => db.query<Row>({ text, params });

beforeAll(async () => {
	db = await NodeRunner.open(join(process.cwd(), 'static/data'));
});
afterAll(() => db?.close());

const METRICS = ['requests_received', 'grant_rate', 'fee_revenue', 'review_correction_rate'];

describe('table builder', () => {
	it('gives every report of the filters its metrics as the metrics table has them, 不适用 left null', async () => {
		const t = await tableData(db, { filters: { ...NO_FILTERS, from: 2020, to: 2024 }, agencies: [] }, METRICS);
		const [n] = await all('SELECT COUNT(*)::DOUBLE AS n FROM reports WHERE year BETWEEN 2020 AND 2024');
		expect(t.reports.length).toBe(n.n);
		const want = await all(
			`SELECT report_id, metric, value FROM metrics WHERE metric IN ('requests_received', 'grant_rate', 'fee_revenue', 'review_correction_rate')`
		);
		const byKey = new Map(want.map((w) => [`${w.report_id}|${w.metric}`, Number(w.value)]));
		let compared = 0;
		for (const r of t.reports)
			for (const id of METRICS) {
				const v = r.values[id];
				const w = byKey.get(`${r.report_id}|${id}`);
				if (w === undefined) expect(v, `${r.name} ${r.year} ${id}`).toBeNull();
				else expect(v, `${r.name} ${r.year} ${id}`).toBeCloseTo(w, 12);
				compared++;
			}
		expect(compared).toBe(t.reports.length * METRICS.length);
		// fee_revenue exists in the 2021 tables only.
		expect(t.reports.filter((r) => r.template === '2019').every((r) => r.values.fee_revenue === null)).toBe(true);
	});

	it('adds up the own reports only by default, and the aggregate ones when asked; rates pooled', async () => {
		for (const sum of ['own', 'aggregate'] as const) {
			const t = await tableData(db, { filters: { ...NO_FILTERS, sum }, agencies: [] }, METRICS);
			const [c] = await all(
				`SELECT SUM(m.value)::DOUBLE AS v FROM metrics m JOIN reports r USING (report_id) WHERE r.scope = ? AND m.metric = 'requests_received' AND r.year = 2023`,
				[sum]
			);
			expect(t.byYear.get(2023)!.requests_received.value).toBe(c.v);
			const [a] = await all(
				`SELECT SUM(m.value)::DOUBLE AS v FROM metrics m JOIN reports r USING (report_id) WHERE r.scope = ? AND m.metric = 'requests_received'`,
				[sum]
			);
			expect(t.all.requests_received.value).toBe(a.v);
			// Σ granted ÷ Σ processed over the reports that have the rate (those the metrics table gives one).
			const [g] = await all(
				`SELECT SUM(g.value) / SUM(p.value) AS v, COUNT(*)::DOUBLE AS n FROM metrics x JOIN reports r USING (report_id)
				JOIN metrics g ON g.report_id = x.report_id AND g.metric = 'outcome_granted'
				JOIN metrics p ON p.report_id = x.report_id AND p.metric = 'requests_processed'
				WHERE x.metric = 'grant_rate' AND r.scope = ?`,
				[sum]
			);
			expect(t.all.grant_rate.value).toBeCloseTo(Number(g.v), 12);
			expect(t.all.grant_rate.reports).toBe(g.n);
			const [s] = await all('SELECT COUNT(*)::DOUBLE AS n FROM reports WHERE scope = ?', [sum]);
			expect(t.sum).toEqual({ scope: sum, reports: expect.objectContaining({ [sum]: s.n }) });
		}
	});

	it('narrows to chosen agencies, and says 不适用 for a year whose reports lack the metric', async () => {
		const [a] = await all(`SELECT id FROM agencies WHERE name = '平潭综合实验区公安局'`);
		const t = await tableData(db, { filters: NO_FILTERS, agencies: [String(a.id)] }, ['fee_revenue']);
		expect(new Set(t.reports.map((r) => r.name))).toEqual(new Set(['平潭综合实验区公安局']));
		const y2019 = t.reports.find((r) => r.year === 2019)!;
		expect(y2019.template).toBe('2019');
		expect(y2019.values.fee_revenue).toBeNull();
		expect(t.byYear.get(2019)!.fee_revenue).toMatchObject({ applicable: false, value: null, reports: 0 });
		expect(t.byYear.get(2024)!.fee_revenue.applicable).toBe(true);
	});
});
