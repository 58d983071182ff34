import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILE_METRICS } from '../../src/lib/db/aggregate';
import { datasetTable, holdWasm, serveBuildCopy, type Row, type Site } from './harness';

// A shared link to Compare with a peer band of a chosen 基准机关, or to a profile with its benchmark, draws those
// before DuckDB-WASM is ready (the build's stored answers), with the numbers the Parquet files give; DuckDB then
// draws the same ones. Expected values are computed here from the files: quantile_cont, ranks, the peer group rule.

let site: Site;
let agencies: Row[];
let reports: Row[];
let metrics: Row[];

beforeAll(async () => {
	site = await serveBuildCopy('nianbao-early-peers-');
	[agencies, reports, metrics] = await Promise.all(['agencies', 'reports', 'metrics'].map((t) => datasetTable(site.data, t)));
});

afterAll(() => site?.close());

const MIN = 5;

/** quantile_cont: linear interpolation between the closest ranks. */
function quantile(xs: number[], q: number): number {
	const s = [...xs].sort((a, b) => a - b);
	const pos = (s.length - 1) * q;
	return s[Math.floor(pos)] + (s[Math.ceil(pos)] - s[Math.floor(pos)]) * (pos - Math.floor(pos));
}

/** The peer group: same category and level when at least 5, else the same level when at least 5, else none. */
function groupOf(id: string): Set<string> | null {
	const a = agencies.find((x) => x.id === id)!;
	const cl = agencies.filter((x) => x.level === a.level && x.category === a.category);
	const l = agencies.filter((x) => x.level === a.level);
	const g = cl.length >= MIN ? cl : l.length >= MIN ? l : null;
	return g && new Set(g.map((x) => String(x.id)));
}

const scopeOf = () => new Map(reports.map((r) => [r.report_id, r.scope]));

/** One metric's values of the group's reports of a year and scope, with the agency of each. */
function peerValues(group: Set<string>, metric: string, year: number, scope: string): { agency: string; value: number }[] {
	const scopes = scopeOf();
	return metrics
		.filter((m) => m.metric === metric && Number(m.year) === year && group.has(String(m.agency_id)) && scopes.get(m.report_id) === scope && m.value !== null)
		.map((m) => ({ agency: String(m.agency_id), value: Number(m.value) }));
}

const engineState = (page: Page) => page.getAttribute('[data-engine]', 'data-engine');
const fresh = () => site.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });

/** The peer rows of Compare's table: n, P25, median, P75 by year. */
function peerRows(page: Page) {
	return page.$$eval('tr[data-peer] td[data-year]', (tds) =>
		tds.map((td) => ({
			peer: td.closest('tr')!.getAttribute('data-peer'),
			year: Number(td.getAttribute('data-year')),
			value: td.getAttribute('data-value'),
			text: td.textContent?.trim() ?? ''
		}))
	);
}

/** The benchmark table: each metric's value, median, P25–P75, n and rank. */
function benchRows(page: Page) {
	return page.$$eval('[data-testid="benchmark"] tbody tr[data-metric]', (trs) =>
		trs.map((tr) => {
			const cell = (col: string, attr = 'data-value') => tr.querySelector(`td[data-col="${col}"]`)?.getAttribute(attr) ?? null;
			return {
				metric: tr.getAttribute('data-metric')!,
				p50: cell('p50'),
				p25: cell('range', 'data-p25'),
				p75: cell('range', 'data-p75'),
				n: cell('n'),
				rank: cell('rank')
			};
		})
	);
}

describe('a shared link’s peers before DuckDB is ready', () => {
	it('Compare with a 基准机关 draws its peer band from stored answers, equal to the Parquet files’ quantiles and then to DuckDB’s', async () => {
		// Two agencies with reports; the second, whose group has at least 5 own reports with a grant rate in some year, is the reference.
		const metric = 'grant_rate';
		const years = [...new Set(reports.map((r) => Number(r.year)))].sort();
		const banded = (id: string) => {
			const g = groupOf(id);
			return !!g && years.some((y) => peerValues(g, metric, y, 'own').length >= MIN);
		};
		const withReports = [...new Set(reports.map((r) => String(r.agency_id)))].sort();
		const ref = withReports.find(banded)!;
		const first = withReports.find((id) => id !== ref)!;
		expect(ref).toBeTruthy();
		const group = groupOf(ref)!;
		const path = `/compare?ag=${first},${ref}&m=${metric}&peers=1&pr=${ref}`;

		const context = await fresh();
		const wasm = await holdWasm(context);
		const page = await context.newPage();
		await page.goto(site.server.origin + path);
		await page.waitForSelector('[data-view="compare"][data-early="true"] [data-chart="compare"] svg g.peer-band path', { timeout: 60_000 });
		await page.waitForSelector('tr[data-peer="p50"]');
		expect(await engineState(page)).not.toBe('ready');
		const early = await peerRows(page);
		let checked = 0;
		for (const { peer, year, value, text } of early) {
			const xs = peerValues(group, metric, year, 'own').map((v) => v.value);
			if (peer === 'n') expect(Number(text), `n ${year}`).toBe(xs.length);
			else if (xs.length >= MIN) {
				expect(Number(value), `${peer} ${year}`).toBeCloseTo(quantile(xs, { p25: 0.25, p50: 0.5, p75: 0.75 }[peer!]!), 9);
				checked++;
			} else expect(value, `${peer} ${year}`).toBe('');
		}
		expect(checked).toBeGreaterThan(0);
		const note = page.locator('[data-testid="peer-note"]');
		expect(Number(await note.getAttribute('data-size'))).toBe(group.size);

		wasm.release();
		await page.waitForSelector('[data-engine="ready"]', { timeout: 120_000 });
		await page.waitForSelector('[data-view="compare"][data-early="false"]:not([data-busy="true"]) [data-chart="compare"] svg g.peer-band path', {
			timeout: 60_000
		});
		expect(await peerRows(page)).toEqual(early);
		await context.close();
	});

	it('a profile draws its benchmark from stored answers, equal to the Parquet files’ quantiles and ranks and then to DuckDB’s', async () => {
		// The agency with the most reports whose peer group has quantiles in its last year.
		const count = new Map<string, number>();
		for (const r of reports) count.set(String(r.agency_id), (count.get(String(r.agency_id)) ?? 0) + 1);
		const lastOf = (id: string) => reports.filter((r) => r.agency_id === id).sort((a, b) => Number(b.year) - Number(a.year))[0];
		const fits = (id: string) => {
			const g = groupOf(id);
			const last = lastOf(id);
			return !!g && PROFILE_METRICS.some((m) => peerValues(g, m, Number(last.year), String(last.scope)).length >= MIN);
		};
		const id = [...count].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).find(([x]) => fits(x))![0];
		const group = groupOf(id)!;
		const last = lastOf(id);

		const context = await fresh();
		const wasm = await holdWasm(context);
		const page = await context.newPage();
		await page.goto(site.server.origin + `/agency?a=${id}`);
		await page.waitForSelector('section[data-ready="true"] [data-testid="benchmark"]', { timeout: 60_000 });
		expect(await engineState(page)).not.toBe('ready');
		expect(await page.getAttribute('[data-testid="benchmark"]', 'data-year')).toBe(String(last.year));
		const early = await benchRows(page);
		expect(early.map((r) => r.metric).sort()).toEqual([...PROFILE_METRICS].sort());
		let ranked = 0;
		for (const row of early) {
			const peers = peerValues(group, row.metric, Number(last.year), String(last.scope));
			const xs = peers.map((p) => p.value);
			const mine = peers.find((p) => p.agency === id)?.value ?? null;
			expect(Number(row.n), `${row.metric} n`).toBe(xs.length);
			if (xs.length >= MIN) {
				expect(Number(row.p50), `${row.metric} p50`).toBeCloseTo(quantile(xs, 0.5), 9);
				expect(Number(row.p25), `${row.metric} p25`).toBeCloseTo(quantile(xs, 0.25), 9);
				expect(Number(row.p75), `${row.metric} p75`).toBeCloseTo(quantile(xs, 0.75), 9);
				if (mine !== null) {
					expect(Number(row.rank), `${row.metric} rank`).toBe(1 + xs.filter((x) => x > mine).length);
					ranked++;
				}
			} else expect(row.rank, `${row.metric} rank`).toBe('');
		}
		expect(ranked).toBeGreaterThan(0);

		wasm.release();
		await page.waitForSelector('[data-engine="ready"]', { timeout: 120_000 });
		await page.waitForSelector('.profile[data-ready="true"]', { timeout: 60_000 });
		expect(await benchRows(page)).toEqual(early);
		await context.close();
	});
});
