import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchmark, MIN_PEERS, rankMove, type BenchmarkRow } from '../../src/lib/db/research';
import { NodeRunner } from '../../src/lib/server/duckdb-runner';

// The profile's benchmark against values taken straight from the `metrics`,
// `reports` and `agencies` tables (ingest's own per-report numbers), with the
// quantiles and ranks computed here in plain code.

const DATA = join(process.cwd(), 'static/data');
let db: NodeRunner;
type Row = Record<string, unknown>;
const all = (text: string) => db.query<Row>({ text, params: [] });
const METRICS = ['requests_received', 'grant_rate', 'review_correction_rate', 'fee_revenue', 'normative_documents_issued', 'punishment_decisions'];

beforeAll(async () => {
	db = await NodeRunner.open(DATA);
});
afterAll(() => db?.close());

function quantile(xs: number[], q: number): number {
	const s = [...xs].sort((a, b) => a - b);
	const pos = (s.length - 1) * q;
	const lo = Math.floor(pos);
	return s[lo] + (s[Math.ceil(pos)] - s[lo]) * (pos - lo);
}

/** Peer values per year from the metrics table: same level (the bundled 县 group falls back to level), same scope as the agency's report. */
async function expected(agencyId: string): Promise<BenchmarkRow[]> {
	const [me] = await all(`SELECT level FROM agencies WHERE id = '${agencyId}'`);
	const mine = await all(`SELECT year, scope FROM reports WHERE agency_id = '${agencyId}' ORDER BY year`);
	const values = await all(`SELECT m.agency_id, m.year, m.metric, m.value, r.scope FROM metrics m JOIN reports r ON r.report_id = m.report_id
		JOIN agencies a ON a.id = m.agency_id WHERE a.level = '${me.level}'`);
	const out: BenchmarkRow[] = [];
	for (const { year, scope } of mine)
		for (const metric of METRICS) {
			const peers = values.filter((v) => Number(v.year) === Number(year) && v.scope === scope && v.metric === metric);
			const xs = peers.map((v) => Number(v.value));
			const own = peers.find((v) => v.agency_id === agencyId);
			const enough = xs.length >= MIN_PEERS;
			const value = own ? Number(own.value) : null;
			out.push({
				year: Number(year),
				metric,
				scope: String(scope),
				value,
				n: xs.length,
				p25: enough ? quantile(xs, 0.25) : null,
				p50: enough ? quantile(xs, 0.5) : null,
				p75: enough ? quantile(xs, 0.75) : null,
				rank: enough && value !== null ? 1 + xs.filter((x) => x > value).length : null
			});
		}
	return out;
}

function expectRows(got: BenchmarkRow[], want: BenchmarkRow[]) {
	const key = (r: BenchmarkRow) => `${r.year}|${r.metric}`;
	expect(got.map(key).sort()).toEqual(want.map(key).sort());
	for (const w of want) {
		const g = got.find((r) => key(r) === key(w))!;
		expect({ ...g, p25: null, p50: null, p75: null, value: null }, key(w)).toEqual({ ...w, p25: null, p50: null, p75: null, value: null });
		for (const k of ['p25', 'p50', 'p75', 'value'] as const) {
			if (w[k] === null) expect(g[k], `${key(w)} ${k}`).toBeNull();
			else expect(g[k], `${key(w)} ${k}`).toBeCloseTo(w[k], 10);
		}
	}
}

describe('benchmark on the bundled dataset', () => {
	it('puts a department beside the 县-level bodies’ own reports: quantiles, n and rank as computed from the metrics table', async () => {
		const [a] = await all(`SELECT id FROM agencies WHERE name = '平潭综合实验区市场监督管理局'`);
		const b = await benchmark(db, String(a.id), METRICS);
		expect(b?.group.basis).toBe('level');
		const want = await expected(String(a.id));
		expectRows(b!.rows, want);
		// the data must exercise the comparison: ranks exist, and fee revenue is 不适用 before the 2021 tables
		expect(b!.rows.filter((r) => r.rank !== null).length).toBeGreaterThan(10);
		expect(b!.rows.find((r) => r.year === 2019 && r.metric === 'fee_revenue')?.n).toBe(0);
	});

	it('compares an aggregate report only with aggregate reports: too few at 县 level, so no band and no rank', async () => {
		const [a] = await all(`SELECT id FROM agencies WHERE name = '平潭综合实验区'`);
		const b = await benchmark(db, String(a.id), METRICS);
		const want = await expected(String(a.id));
		expectRows(b!.rows, want);
		expect(b!.rows.every((r) => r.scope === 'aggregate' && r.rank === null && r.p50 === null && r.n < MIN_PEERS)).toBe(true);
	});

	it('gives no rows to a body without a peer group', async () => {
		const [a] = await all(`SELECT id FROM agencies WHERE level = '市'`);
		const b = await benchmark(db, String(a.id), METRICS);
		expect(b?.group.basis).toBe('none');
		expect(b?.rows).toEqual([]);
	});

	it('says how the rank moved since the year before, and why not when it cannot', () => {
		const row = (year: number, rank: number | null, scope = 'own'): BenchmarkRow => ({
			year,
			metric: 'm',
			scope,
			value: 1,
			n: 6,
			p25: 0,
			p50: 1,
			p75: 2,
			rank
		});
		expect(rankMove([row(2022, 5), row(2023, 2)], 'm', 2023)).toEqual({ kind: 'up', by: 3, previous: 5 });
		expect(rankMove([row(2022, 1), row(2023, 4)], 'm', 2023)).toEqual({ kind: 'down', by: 3, previous: 1 });
		expect(rankMove([row(2022, 4), row(2023, 4)], 'm', 2023)).toEqual({ kind: 'same', by: 0, previous: 4 });
		expect(rankMove([row(2021, 4), row(2023, 4)], 'm', 2023)).toEqual({ kind: 'none', why: 'no_previous_report' });
		expect(rankMove([row(2022, 4, 'aggregate'), row(2023, 4)], 'm', 2023)).toEqual({ kind: 'none', why: 'scope_changed' });
		expect(rankMove([row(2022, null), row(2023, 4)], 'm', 2023)).toEqual({ kind: 'none', why: 'no_previous_rank' });
		expect(rankMove([row(2022, 3), row(2023, null)], 'm', 2023)).toEqual({ kind: 'none', why: 'no_rank' });
	});
});
