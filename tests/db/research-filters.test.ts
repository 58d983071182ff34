import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest, TableName } from '../../src/lib/dataset/columns';
import { FLAGGED_STATUSES } from '../../src/lib/dataset/columns';
import { MATERIAL_SHIFT, TABLE2_TRENDS, isMaterial, metricOf, poolSeries, summarizeYears } from '../../src/lib/db/aggregate';
import { NO_FILTERS, metricSeries, overview } from '../../src/lib/db/queries';
import { peerBand } from '../../src/lib/db/research';
import { tableData } from '../../src/lib/db/builder';
import { NodeRunner } from '../../src/lib/server/duckdb-runner';

// The researchers' filters and the materiality of ▲ marks, through the
// dashboard's SQL on native DuckDB, against numbers worked out here in
// JavaScript from the Parquet rows of `reports` and `metrics`.

const DATA = join(process.cwd(), 'static/data');
type Row = Record<string, unknown>;
let db: NodeRunner;
let reports: Row[];
let metrics: Row[];

async function parquetRows(table: TableName): Promise<Row[]> {
	const m: Manifest = JSON.parse(readFileSync(join(DATA, 'manifest.json'), 'utf8'));
	const b = readFileSync(join(DATA, m.files[table][0]));
	return parquetReadObjects({ file: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer });
}

const flaggedStatus = (r: Row) => (FLAGGED_STATUSES as readonly string[]).includes(String(r.status));
const valueOf = (reportId: unknown, metric: string) => metrics.find((m) => m.report_id === reportId && m.metric === metric);

/** Σ of a count metric per year over own reports that pass `keep`. */
function countSums(metric: string, keep: (r: Row) => boolean): Map<number, number> {
	const out = new Map<number, number>();
	for (const r of reports.filter((r) => r.scope === 'own' && keep(r))) {
		const v = valueOf(r.report_id, metric);
		if (v) out.set(Number(r.year), (out.get(Number(r.year)) ?? 0) + Number(v.value));
	}
	return out;
}

/** A rate pooled per year over own reports that pass `keep` and have the rate (a `metrics` row) with n ≥ minN. */
function pooled(rateId: string, keep: (r: Row) => boolean, minN = 0): Map<number, number> {
	const m = metricOf(rateId);
	const sums = new Map<number, { n: number; d: number }>();
	for (const r of reports.filter((r) => r.scope === 'own' && keep(r))) {
		if (!valueOf(r.report_id, rateId)) continue;
		const d = Number(valueOf(r.report_id, m.ratio!.denominator)!.value);
		if (d < minN) continue;
		const n = m.ratio!.numerator.reduce((a, id) => a + Number(valueOf(r.report_id, id)?.value ?? 0), 0);
		const s = sums.get(Number(r.year)) ?? { n: 0, d: 0 };
		sums.set(Number(r.year), { n: s.n + n, d: s.d + d });
	}
	return new Map([...sums].map(([y, s]) => [y, s.n / s.d]));
}

beforeAll(async () => {
	db = await NodeRunner.open(DATA);
	[reports, metrics] = await Promise.all([parquetRows('reports'), parquetRows('metrics')]);
});
afterAll(() => db?.close());

describe('researchers’ filters in the SQL', () => {
	it('leaves flagged reports out of every total and rate, and then nothing is flagged', async () => {
		expect(reports.some(flaggedStatus)).toBe(true);
		const o = await overview(db, { ...NO_FILTERS, skipFlagged: true });
		expect(o.flagged).toBe(0);
		expect(o.reports).toBe(reports.filter((r) => r.scope === 'own' && !flaggedStatus(r)).length);
		for (const id of ['requests_received', ...TABLE2_TRENDS]) {
			const want = countSums(id, (r) => !flaggedStatus(r));
			for (const p of o.series[id]) {
				if (want.has(p.year)) expect(p.value, `${id} ${p.year}`).toBeCloseTo(want.get(p.year)!, 6);
				else expect(p.value, `${id} ${p.year}`).toBeNull();
				expect(p.flagShift).toBeNull();
			}
		}
		const rate = pooled('grant_rate', (r) => !flaggedStatus(r));
		for (const p of o.series.grant_rate) if (rate.has(p.year)) expect(p.value, `grant_rate ${p.year}`).toBeCloseTo(rate.get(p.year)!, 12);
	});

	it('leaves reports in doubt out only when asked', async () => {
		const uncertain = reports.filter((r) => r.scope === 'own' && r.status === 'uncertain').length;
		const all = await overview(db, NO_FILTERS);
		const sure = await overview(db, { ...NO_FILTERS, skipUncertain: true });
		expect(all.reports - sure.reports).toBe(uncertain);
	});

	it('pools a rate only over reports whose n reaches the least n, in the overview, the comparison and the peer band', async () => {
		for (const minN of [5, 30]) {
			const o = await overview(db, { ...NO_FILTERS, minN });
			const want = pooled('grant_rate', () => true, minN);
			for (const p of o.series.grant_rate) {
				if (want.has(p.year)) expect(p.value, `minN ${minN} ${p.year}`).toBeCloseTo(want.get(p.year)!, 12);
				else expect(p.value, `minN ${minN} ${p.year}`).toBeNull();
			}
			// counts are no rates: untouched
			expect(o.series.requests_received).toEqual((await overview(db, NO_FILTERS)).series.requests_received);
		}
		const small = reports.find((r) => {
			const d = valueOf(r.report_id, 'requests_processed');
			return valueOf(r.report_id, 'grant_rate') && d && Number(d.value) > 0 && Number(d.value) < 30;
		})!;
		expect(small).toBeDefined();
		const one = await metricSeries(
			db,
			[String(small.agency_id)],
			'grant_rate',
			{ from: null, to: null },
			{ skipFlagged: false, skipUncertain: false, minN: 30 }
		);
		expect(one.find((r) => r.year === Number(small.year))!.value).toBeNull();
		const loose = await peerBand(db, String(small.agency_id), 'grant_rate', { from: null, to: null });
		const strict = await peerBand(db, String(small.agency_id), 'grant_rate', { from: null, to: null }, { skipFlagged: false, skipUncertain: false, minN: 30 });
		const n = (b: typeof loose) => (b?.years ?? []).reduce((a, y) => a + y.n, 0);
		if (loose && loose.group.basis !== 'none') expect(n(strict)).toBeLessThan(n(loose));
	});

	it('holds in the table builder: reports left out, rates only from reports with n ≥ minn, per report and in the totals', async () => {
		const f = { ...NO_FILTERS, skipFlagged: true, minN: 30 };
		const t = await tableData(db, { filters: f, agencies: [] }, ['grant_rate', 'requests_received']);
		expect(t.reports.length).toBe(reports.filter((r) => !flaggedStatus(r)).length);
		for (const r of t.reports) {
			const d = valueOf(r.report_id, 'requests_processed');
			const has = valueOf(r.report_id, 'grant_rate');
			if (has && Number(d!.value) >= 30) expect(r.values.grant_rate, r.report_id).toBeCloseTo(Number(has.value), 12);
			else expect(r.values.grant_rate, r.report_id).toBeNull();
		}
		const want = pooled('grant_rate', (r) => !flaggedStatus(r), 30);
		for (const [year, p] of t.byYear) if (want.has(year)) expect(p.grant_rate.value, String(year)).toBeCloseTo(want.get(year)!, 12);
	});

	it('leaves a compared agency’s flagged reports out of its series, saying so', async () => {
		const flagged = reports.find((r) => flaggedStatus(r))!;
		const rows = await metricSeries(
			db,
			[String(flagged.agency_id)],
			'requests_received',
			{ from: null, to: null },
			{ skipFlagged: true, skipUncertain: false, minN: 0 }
		);
		// there, and said to be left out: not a missing report
		expect(rows.find((r) => r.year === Number(flagged.year))).toMatchObject({ skipped: true, value: null });
		expect(rows.filter((r) => !r.skipped).length).toBe(reports.filter((r) => r.agency_id === flagged.agency_id && !flaggedStatus(r)).length);
	});
});

describe('▲ marks only what flagged reports change materially', () => {
	it('says by how much the flagged reports move each point, as the rows give it', async () => {
		const o = await overview(db, NO_FILTERS);
		let material = 0;
		let slight = 0;
		for (const id of ['requests_received', 'punishment_decisions', 'licensing_decisions']) {
			const all = countSums(id, () => true);
			const clean = countSums(id, (r) => !flaggedStatus(r));
			for (const p of o.series[id]) {
				if (!p.flagged || p.value === null) continue;
				const without = clean.get(p.year);
				if (without === undefined) expect(p.flagShift).toBe(1);
				else {
					expect(p.without).toBeCloseTo(without, 6);
					expect(p.flagShift!, `${id} ${p.year}`).toBeCloseTo(all.get(p.year)! === 0 ? 0 : (all.get(p.year)! - without) / all.get(p.year)!, 9);
				}
				if (isMaterial(p)) material++;
				else slight++;
			}
		}
		// the bundled data has both kinds: the mark now tells them apart
		expect(material).toBeGreaterThan(0);
		expect(slight).toBeGreaterThan(0);
	});

	it('marks a point at the threshold and not below it; a point resting only on flagged reports moves by 100%', () => {
		const years = summarizeYears([{ year: 2024, template: '2021', reports: 3, flagged: 1, agencies: 3 }]);
		const row = (total: number, flaggedTotal: number, reports = 3, flagged = 1) => ({
			metric: 'requests_received',
			year: 2024,
			total,
			denominator: null,
			reports,
			flagged,
			flaggedTotal,
			flaggedDenominator: null
		});
		const at = (r: ReturnType<typeof row>) => poolSeries(['requests_received'], years, [r]).requests_received[0];
		expect(at(row(100, MATERIAL_SHIFT * 100))).toMatchObject({ value: 100, without: 95, flagShift: MATERIAL_SHIFT });
		expect(isMaterial(at(row(100, 5)))).toBe(true);
		expect(isMaterial(at(row(100, 4)))).toBe(false);
		expect(at(row(40, 40, 1, 1))).toMatchObject({ without: null, flagShift: 1 });
		expect(at(row(100, 0, 3, 0))).toMatchObject({ flagShift: null, without: 100 });
	});
});
