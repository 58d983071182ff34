import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTCOME_METRICS } from '../../src/lib/catalog/metrics';
import { NO_FILTERS } from '../../src/lib/db/queries';
import { barSums, MIN_PEERS, OUTCOMES_WANTED, outcomes, peerBand, peerGroup, ranksOf } from '../../src/lib/db/research';
import { NodeRunner } from '../../src/lib/server/duckdb-runner';

// The researcher views' SQL, run by native DuckDB over the bundled Parquet files.

const DATA = join(process.cwd(), 'static/data');
let db: NodeRunner;
type Row = Record<string, unknown>;
const all = (text: string) => db.query<Row>({ text, params: [] });

beforeAll(async () => {
	db = await NodeRunner.open(DATA);
});
afterAll(() => db?.close());

/** quantile_cont: linear interpolation between the closest ranks. */
function quantile(xs: number[], q: number): number {
	const s = [...xs].sort((a, b) => a - b);
	const pos = (s.length - 1) * q;
	const lo = Math.floor(pos);
	const hi = Math.ceil(pos);
	return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

describe('researcher queries on the bundled dataset', () => {
	it('sums outcomes per year over the filtered own reports whose outcomes add up to 办理总计', async () => {
		const rows = await barSums(db, { ...NO_FILTERS, level: '县' }, 'year', ['outcome_granted', 'outcome_denied']);
		const outcomes = OUTCOME_METRICS.map((id) => `'${id}'`).join(', ');
		const expected = await all(`WITH balanced AS (
				SELECT t.report_id FROM metrics t LEFT JOIN metrics o ON o.report_id = t.report_id AND o.metric IN (${outcomes})
				WHERE t.metric = 'requests_processed' GROUP BY t.report_id, t.value HAVING abs(coalesce(SUM(o.value), 0) - t.value) < 0.5)
			SELECT CAST(m.year AS VARCHAR) AS bar, m.metric, SUM(m.value) AS value FROM metrics m JOIN agencies a ON a.id = m.agency_id JOIN reports r ON r.report_id = m.report_id
			WHERE a.level = '县' AND r.scope = 'own' AND m.report_id IN (SELECT report_id FROM balanced) AND m.metric IN ('outcome_granted', 'outcome_denied') GROUP BY ALL ORDER BY 1, 2`);
		const key = (x: unknown[]) => `${x[0]}|${x[1]}`;
		const got = rows.map((r) => [r.bar, r.metric, r.value]).sort((a, b) => (key(a) < key(b) ? -1 : 1));
		expect(got).toEqual(expected.map((r) => [r.bar, r.metric, Number(r.value)]));
	});

	it('sums per agency with the agency’s name', async () => {
		const rows = await barSums(db, { ...NO_FILTERS, from: 2023, to: 2023 }, 'agency', ['requests_processed']);
		const zhoukou = rows.find((r) => r.name === '周口市公安局');
		const [expected] = await all(
			`SELECT value FROM metrics m JOIN agencies a ON a.id = m.agency_id WHERE a.name = '周口市公安局' AND m.year = 2023 AND m.metric = 'requests_processed'`
		);
		expect(zhoukou?.value).toBe(Number(expected.value));
		expect(zhoukou?.reports).toBe(1);
	});

	it('limits agency bars in SQL to the largest by their outcomes, as the view ranks them, and counts them all', async () => {
		const full = await barSums(db, NO_FILTERS, 'agency', OUTCOMES_WANTED);
		const size = (bar: string) => full.filter((s) => s.bar === bar && OUTCOME_METRICS.includes(s.metric)).reduce((a, s) => a + s.value, 0);
		const name = (bar: string) => full.find((s) => s.bar === bar)!.name;
		const ranked = [...new Set(full.map((s) => s.bar))].filter((b) => size(b) > 0).sort((a, b) => size(b) - size(a) || (name(a) < name(b) ? -1 : 1));
		expect(ranked.length).toBeGreaterThan(5);
		const top = await barSums(db, NO_FILTERS, 'agency', OUTCOMES_WANTED, { size: OUTCOME_METRICS, limit: 5 });
		expect([...new Set(top.map((s) => s.bar))].sort()).toEqual(ranked.slice(0, 5).sort());
		// Each kept bar's sums are the unlimited query's.
		expect(top).toEqual(full.filter((s) => ranked.slice(0, 5).includes(s.bar)).sort((a, b) => ranked.indexOf(a.bar) - ranked.indexOf(b.bar)));
		const view = await outcomes(db, NO_FILTERS, 'agency');
		expect(view.bars).toBe(ranked.length);
	});

	it('counts the reports per year and template of the summed scope (own reports by default) for the template marks', async () => {
		const { templates } = await outcomes(db, NO_FILTERS, 'year');
		const want = await all(`SELECT year, template, COUNT(*) AS n FROM reports WHERE scope = 'own' GROUP BY ALL ORDER BY year, template`);
		expect(templates).toEqual(want.map((r) => ({ year: Number(r.year), template: String(r.template), reports: Number(r.n) })));
		expect(new Set(templates.map((t) => t.template)).size).toBe(2);
	});

	it('takes peers of the same category and level, else the same level, else none', async () => {
		const levelCounts = await all(
			`SELECT level, category, COUNT(*) OVER (PARTITION BY level, category) AS cl, COUNT(*) OVER (PARTITION BY level) AS l, id FROM agencies`
		);
		for (const a of levelCounts) {
			const g = await peerGroup(db, String(a.id));
			const cl = Number(a.cl);
			const l = Number(a.l);
			expect(g?.basis, String(a.id)).toBe(cl >= MIN_PEERS ? 'category_level' : l >= MIN_PEERS ? 'level' : 'none');
			expect(g?.size).toBe(cl >= MIN_PEERS ? cl : l >= MIN_PEERS ? l : 0);
		}
		// the bundled data: twelve 县-level bodies, and only one at 市 level
		const county = levelCounts.find((a) => a.level === '县' && a.category === '交通')!;
		expect((await peerGroup(db, String(county.id)))?.basis).toBe('level');
		const city = levelCounts.find((a) => a.level === '市')!;
		expect((await peerGroup(db, String(city.id)))?.basis).toBe('none');
	});

	it('band compares one scope only, the overview’s sum scope: own with own, aggregate with aggregate', async () => {
		// Independently: the Parquet rows as they are, grouped and cut in JS.
		const agencies = await all(`SELECT id, level, category FROM agencies`);
		const reports = await all(`SELECT report_id, agency_id, year, scope FROM reports`);
		const rates = await all(`SELECT report_id, value FROM metrics WHERE metric = 'grant_rate' AND value IS NOT NULL`);
		const agency = new Map(agencies.map((a) => [String(a.id), a]));
		const report = new Map(reports.map((r) => [String(r.report_id), r]));
		const county = agencies.find((a) => a.level === '县' && a.category === '交通')!;
		const peers = new Set(agencies.filter((a) => a.level === '县').map((a) => String(a.id)));
		expect((await peerGroup(db, String(county.id)))?.basis).toBe('level');
		const counted = { own: 0, aggregate: 0 };
		for (const sum of ['own', 'aggregate'] as const) {
			const band = await peerBand(db, String(county.id), 'grant_rate', { from: null, to: null }, NO_FILTERS, sum);
			expect(band?.scope).toBe(sum);
			const byYear = new Map<number, number[]>();
			for (const m of rates) {
				const r = report.get(String(m.report_id))!;
				if (!peers.has(String(r.agency_id)) || r.scope !== sum) continue;
				expect(agency.get(String(r.agency_id))?.level).toBe('县');
				byYear.set(Number(r.year), [...(byYear.get(Number(r.year)) ?? []), Number(m.value)]);
			}
			expect(band!.years.map((y) => y.year)).toEqual([...byYear.keys()].sort());
			for (const y of band!.years) {
				const xs = byYear.get(y.year)!;
				expect(y.n).toBe(xs.length);
				counted[sum] += xs.length;
				if (xs.length < MIN_PEERS) expect(y.p50).toBeNull();
				else {
					expect(y.p25).toBeCloseTo(quantile(xs, 0.25), 10);
					expect(y.p50).toBeCloseTo(quantile(xs, 0.5), 10);
					expect(y.p75).toBeCloseTo(quantile(xs, 0.75), 10);
				}
			}
			if (sum === 'own') expect(band!.years.some((y) => y.p50 !== null)).toBe(true);
		}
		// the bundled 县 level has both kinds (departments' own reports, county governments' aggregate ones), so the rule bites
		expect(counted.own).toBeGreaterThan(0);
		expect(counted.aggregate).toBeGreaterThan(0);
	});

	it('ranks with ties sharing a place', () => {
		const r = ranksOf([
			{ key: 'a', value: 3 },
			{ key: 'b', value: 5 },
			{ key: 'c', value: 3 },
			{ key: 'd', value: null },
			{ key: 'e', value: 1 }
		]);
		expect(Object.fromEntries(r)).toEqual({ b: 1, a: 2, c: 2, e: 4 });
	});
});
