import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OVERVIEW_METRICS } from '../../src/lib/db/aggregate';
import { METRIC_BY_ID } from '../../src/lib/catalog/metrics';
import { NO_FILTERS, overview } from '../../src/lib/db/queries';
import { barSums } from '../../src/lib/db/research';
import { NodeRunner } from '../../src/lib/server/duckdb-runner';

// Totals across bodies on the bundled dataset: which reports they add up, checked
// against sums written here from the long `metrics` and `reports` tables (not report_metrics).

const DATA = join(process.cwd(), 'static/data');
let db: NodeRunner;
type Row = Record<string, unknown>;
const all = (text: string, params: (string | number)[] = []) => db.query<Row>({ text, params });

beforeAll(async () => {
	db = await NodeRunner.open(DATA);
});
afterAll(() => db?.close());

const COUNTS = OVERVIEW_METRICS.filter((id) => !METRIC_BY_ID.get(id)!.ratio);

describe('report scope on the bundled dataset', () => {
	it('classes the zone-wide 平潭 report as aggregate and its departments as own', async () => {
		const rows = await all(`SELECT agency, year, scope FROM reports WHERE agency LIKE '平潭综合实验区%' AND year = 2024 ORDER BY agency`);
		const of = (name: string) => rows.find((r) => r.agency === name)?.scope;
		expect(of('平潭综合实验区')).toBe('aggregate');
		expect(of('平潭综合实验区财政金融局')).toBe('own');
		expect(rows.filter((r) => r.agency !== '平潭综合实验区').every((r) => r.scope === 'own')).toBe(true);
	});

	it('adds up the own reports in every overview tile and trend, never an aggregate one', async () => {
		const o = await overview(db, NO_FILTERS);
		for (const id of COUNTS) {
			const expected = await all(
				`SELECT r.year, SUM(m.value) AS total, COUNT(*) AS n FROM metrics m JOIN reports r ON r.report_id = m.report_id
				WHERE m.metric = ? AND r.scope = 'own' GROUP BY 1 ORDER BY 1`,
				[id]
			);
			for (const e of expected) {
				const p = o.series[id].find((x) => x.year === Number(e.year))!;
				expect(p.value, `${id} ${e.year}`).toBeCloseTo(Number(e.total), 6);
				expect(p.reports, `${id} ${e.year}`).toBe(Number(e.n));
			}
		}
		// The 2024 fee tile: 平潭综合实验区财政金融局's 18,651 once, not the zone-wide report's copy beside it.
		const fee = o.series.fee_revenue.find((p) => p.year === 2024)!;
		const [both] = await all(
			`SELECT SUM(m.value) AS v FROM metrics m JOIN reports r ON r.report_id = m.report_id WHERE m.metric = 'fee_revenue' AND r.year = 2024`
		);
		const [zone] = await all(
			`SELECT m.value AS v FROM metrics m JOIN reports r ON r.report_id = m.report_id WHERE m.metric = 'fee_revenue' AND r.year = 2024 AND r.agency = '平潭综合实验区'`
		);
		expect(Math.round(Number(zone.v))).toBe(18651);
		const [aggregate] = await all(
			`SELECT SUM(m.value) AS v FROM metrics m JOIN reports r ON r.report_id = m.report_id WHERE m.metric = 'fee_revenue' AND r.year = 2024 AND r.scope = 'aggregate'`
		);
		expect(Number(aggregate.v)).toBeGreaterThanOrEqual(Number(zone.v));
		expect(fee.value).toBeCloseTo(Number(both.v) - Number(aggregate.v), 6);
		expect(fee.value).toBeGreaterThan(18651);
	});

	it('adds up the aggregate reports when asked, and says what it left out', async () => {
		const o = await overview(db, { ...NO_FILTERS, sum: 'aggregate' });
		const [e] = await all(
			`SELECT SUM(m.value) AS v FROM metrics m JOIN reports r ON r.report_id = m.report_id WHERE m.metric = 'requests_received' AND r.scope = 'aggregate' AND r.year = 2023`
		);
		expect(o.series.requests_received.find((p) => p.year === 2023)!.value).toBe(Number(e.v));
		const [c] = await all(`SELECT COUNT(*) FILTER (WHERE scope = 'own') AS own, COUNT(*) FILTER (WHERE scope = 'aggregate') AS agg FROM reports`);
		expect(o.sum).toEqual({ scope: 'aggregate', reports: expect.objectContaining({ own: Number(c.own), aggregate: Number(c.agg) }) });
		// The matrix still lists every report.
		expect(o.matrix.reduce((a, r) => a + Object.keys(r.cells).length, 0)).toBe(Number(c.own) + Number(c.agg) + (o.sum.reports.unknown ?? 0));
	});

	it('gives 总览 and 办理结果 the same rate for every year', async () => {
		const o = await overview(db, NO_FILTERS);
		const sums = await barSums(db, NO_FILTERS, 'year', ['requests_processed', 'outcome_granted', 'outcome_denied', 'reason_unable_not_held']);
		const at = (year: number, metric: string) => sums.find((s) => s.bar === String(year) && s.metric === metric)?.value ?? 0;
		const pairs = [
			['grant_rate', 'outcome_granted'],
			['denial_rate', 'outcome_denied'],
			['not_held_rate', 'reason_unable_not_held']
		] as const;
		let compared = 0;
		for (const [rate, part] of pairs)
			for (const p of o.series[rate]) {
				if (p.value === null) continue;
				expect(at(p.year, part) / at(p.year, 'requests_processed'), `${rate} ${p.year}`).toBeCloseTo(p.value, 12);
				compared++;
			}
		expect(compared).toBeGreaterThan(15);
	});

	it('leaves a report whose outcome rows lack their totals out of every rate (上海市人民政府办公厅 2019)', async () => {
		const o = await overview(db, NO_FILTERS);
		const p = o.series.grant_rate.find((x) => x.year === 2019)!;
		const [e] = await all(
			`SELECT SUM(g.value) AS granted, SUM(t.value) AS processed FROM reports r
			JOIN metrics g ON g.report_id = r.report_id AND g.metric = 'outcome_granted'
			JOIN metrics t ON t.report_id = r.report_id AND t.metric = 'requests_processed'
			WHERE r.year = 2019 AND r.scope = 'own' AND r.agency <> '上海市人民政府办公厅'`
		);
		expect(p.denominator).toBe(Number(e.processed));
		expect(p.value).toBeCloseTo(Number(e.granted) / Number(e.processed), 12);
	});
});
