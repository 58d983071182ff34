import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILE_METRICS } from '../../src/lib/db/aggregate';
import { BUILD, datasetTable, openPage, ROOT, serveBuildCopy, type Row, type Site } from './harness';

// The profile's benchmark and the one-page brief, in headless Chromium, against
// figures computed here from the Parquet files: ingest's per-report `metrics`,
// the reports' scope and the agencies' level and category.

const SHOTS = join(ROOT, 'test-results');
let site: Site;
let reports: Row[];
let metrics: Row[];
let agencies: Row[];
let issues: Row[];

const table = (name: string) => datasetTable(site.data, name);

const visit = (path: string, width = 1280) => openPage(site.browser, site.server.origin + path, width);
const engineReady = (page: Page) => page.waitForSelector('[data-engine="ready"]', { timeout: 60_000 });
const idOf = (name: string) => String(agencies.find((a) => a.name === name)?.id);

/** The peers of an agency, as the README defines them: same category and level when ≥ 5 bodies, else same level when ≥ 5, else none. */
function peersOf(id: string): Set<string> | null {
	const me = agencies.find((a) => a.id === id)!;
	const cl = agencies.filter((a) => a.level === me.level && a.category === me.category);
	const l = agencies.filter((a) => a.level === me.level);
	const group = cl.length >= 5 ? cl : l.length >= 5 ? l : null;
	return group && new Set(group.map((a) => String(a.id)));
}

function quantile(xs: number[], q: number): number {
	const s = [...xs].sort((a, b) => a - b);
	const pos = (s.length - 1) * q;
	const lo = Math.floor(pos);
	return s[lo] + (s[Math.ceil(pos)] - s[lo]) * (pos - lo);
}

interface Expected {
	value: number | null;
	n: number;
	p25: number | null;
	p50: number | null;
	p75: number | null;
	rank: number | null;
}

/** One metric of the agency's year beside its peers' reports of that year and the same scope. */
function expected(id: string, metric: string, year: number): Expected {
	const mine = reports.find((r) => r.agency_id === id && Number(r.year) === year)!;
	const peers = peersOf(id)!;
	const ids = new Set(reports.filter((r) => Number(r.year) === year && r.scope === mine.scope && peers.has(String(r.agency_id))).map((r) => r.report_id));
	const rows = metrics.filter((m) => m.metric === metric && ids.has(m.report_id));
	const xs = rows.map((m) => Number(m.value));
	const own = rows.find((m) => m.report_id === mine.report_id);
	const value = own ? Number(own.value) : null;
	const ok = xs.length >= 5;
	return {
		value,
		n: xs.length,
		p25: ok ? quantile(xs, 0.25) : null,
		p50: ok ? quantile(xs, 0.5) : null,
		p75: ok ? quantile(xs, 0.75) : null,
		rank: ok && value !== null ? 1 + xs.filter((x) => x > value).length : null
	};
}

const num = (s: string | null) => (s === null || s === '' ? null : Number(s));

beforeAll(async () => {
	mkdirSync(SHOTS, { recursive: true });
	site = await serveBuildCopy('nianbao-brief-');
	[reports, metrics, agencies, issues] = await Promise.all([table('reports'), table('metrics'), table('agencies'), table('issues')]);
});

afterAll(() => site?.close());

// The rows the profile and the brief show; their values below are computed from the Parquet files.
const KEY = PROFILE_METRICS;

describe('benchmark on the agency profile', () => {
	for (const width of [1280, 390])
		it(`平潭综合实验区市场监督管理局 2024 beside the 县-level own reports: median, P25–P75, n, rank and its move (${width} px)`, async () => {
			const id = idOf('平潭综合实验区市场监督管理局');
			const v = await visit(`/agency?a=${id}&ay=2024`, width);
			await engineReady(v.page);
			const bench = v.page.locator('section[data-ready="true"] [data-testid="benchmark"][data-year="2024"]');
			await bench.waitFor({ timeout: 60_000 });
			expect(await v.page.getByTestId('bench-group').innerText()).toContain('县级机关，共 13 个');
			expect(await v.page.getByTestId('bench-group').innerText()).toContain('「本机关」');
			let ranked = 0;
			for (const metric of KEY) {
				const row = bench.locator(`tr[data-metric="${metric}"]`);
				const want = expected(id, metric, 2024);
				const cell = (col: string, attr = 'data-value') => row.locator(`[data-col="${col}"]`).getAttribute(attr);
				const got = { value: num(await cell('value')), n: Number(await cell('n')), rank: num(await cell('rank')) };
				expect(got, metric).toEqual({ value: want.value, n: want.n, rank: want.rank });
				if (want.p50 === null) expect(await row.locator('[data-col="range"]').count(), metric).toBe(0);
				else {
					expect(num(await cell('p50')), metric).toBeCloseTo(want.p50, 10);
					expect(num(await cell('range', 'data-p25')), metric).toBeCloseTo(want.p25!, 10);
					expect(num(await cell('range', 'data-p75')), metric).toBeCloseTo(want.p75!, 10);
				}
				// the move since 2023, from the two years' ranks computed here
				const before = expected(id, metric, 2023).rank;
				const move = await cell('move', 'data-move');
				if (want.rank === null || before === null) expect(move, metric).toBe('—');
				else expect(move, metric).toBe(before > want.rank ? `▲${before - want.rank}` : before < want.rank ? `▼${want.rank - before}` : '＝');
				if (want.rank !== null) ranked++;
			}
			expect(ranked).toBeGreaterThan(8);
			await bench.scrollIntoViewIfNeeded();
			await v.page.screenshot({ path: join(SHOTS, `benchmark-${width}.png`), fullPage: true });
			expect(v.errors).toEqual([]);
			await v.context.close();
		});

	it('shows 不适用 for a metric the year’s template lacks, and compares an aggregate report only with aggregate ones', async () => {
		const dept = idOf('平潭综合实验区市场监督管理局');
		const v = await visit(`/agency?a=${dept}&ay=2020`);
		await engineReady(v.page);
		const bench = v.page.locator('section[data-ready="true"] [data-testid="benchmark"][data-year="2020"]');
		await bench.waitFor({ timeout: 60_000 });
		// 2020 is printed in the 2019 tables: no fee amounts in them
		expect(reports.find((r) => r.agency_id === dept && Number(r.year) === 2020)?.template).toBe('2019');
		expect(await bench.locator('tr[data-metric="fee_revenue"] [data-col="value"]').innerText()).toBe('不适用');
		expect(await bench.locator('tr[data-metric="fee_revenue"] [data-col="n"]').innerText()).toBe('0');

		// 平潭综合实验区 is a government whose reports sum up its units: only two aggregate reports at 县 level a year, so no band and no rank
		await v.page.selectOption('select[name="agency"]', idOf('平潭综合实验区'));
		const agg = v.page.locator('section[data-ready="true"] [data-testid="benchmark"]');
		await v.page.waitForFunction(() => document.querySelector('[data-testid="bench-group"]')?.textContent?.includes('「汇总」'));
		await agg.waitFor();
		const year = Number(await agg.getAttribute('data-year'));
		const n = expected(idOf('平潭综合实验区'), 'requests_received', year).n;
		expect(n).toBeLessThan(5);
		expect(await agg.locator('tr[data-metric="requests_received"] [data-col="n"]').innerText()).toBe(String(n));
		expect(await agg.locator('[data-col="rank"][data-value=""]').count()).toBe(KEY.length);
		expect(v.errors).toEqual([]);
		await v.context.close();
	});
});

/** A metric of one agency-year from the metrics table; null where the report does not have it. */
function metricOf(id: string, year: number, metric: string): number | null {
	const r = reports.find((x) => x.agency_id === id && Number(x.year) === year);
	const m = r && metrics.find((x) => x.report_id === r.report_id && x.metric === metric);
	return m ? Number(m.value) : null;
}

/** Pages of a PDF Chromium wrote: its page objects (not the /Pages tree). */
function pdfPages(pdf: Buffer): number {
	return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}

/** The brief as Chromium prints it to A4; a PNG of each page beside it when pdftoppm is installed, to look at. */
async function printBrief(page: Page, name: string): Promise<number> {
	const pdf = await page.pdf({ format: 'A4' });
	const file = join(SHOTS, `${name}.pdf`);
	writeFileSync(file, pdf);
	if (spawnSync('pdftoppm', ['-v']).status === 0) spawnSync('pdftoppm', ['-png', '-r', '60', file, join(SHOTS, name)]);
	return pdfPages(pdf);
}

describe('one-page brief', () => {
	it('opens from the profile’s 打印简报 for the year shown, with key figures, outcome mix, cases, checks and source computed from the Parquet files', async () => {
		const id = idOf('平潭综合实验区农业农村局');
		const year = 2023;
		const v = await visit(`/agency?a=${id}&ay=${year}`);
		await engineReady(v.page);
		// not a tab: no link in the navigation, one on the profile
		expect(await v.page.locator('nav.tabs a[href*="brief"]').count()).toBe(0);
		await v.page.getByTestId('brief-link').click();
		await v.page.waitForURL(/\/brief\?/);
		expect(new URL(v.page.url()).searchParams.get('a')).toBe(id);
		expect(new URL(v.page.url()).searchParams.get('ay')).toBe(String(year));
		await v.page.waitForSelector(`[data-view="brief"][data-ready="true"][data-year="${year}"]`, { timeout: 60_000 });
		expect(await v.page.locator('nav.tabs').count()).toBe(0);
		expect(await v.page.getByTestId('brief-agency').innerText()).toBe('平潭综合实验区农业农村局');

		// key figures: this year, last year, peers, rank
		const bench = v.page.locator('[data-testid="benchmark"]');
		for (const metric of KEY) {
			const row = bench.locator(`tr[data-metric="${metric}"]`);
			expect(num(await row.locator('[data-col="value"]').getAttribute('data-value')), metric).toBe(metricOf(id, year, metric));
			const want = expected(id, metric, year);
			expect(num(await row.locator('[data-col="rank"]').getAttribute('data-value')), metric).toBe(want.rank);
			expect(Number(await row.locator('[data-col="n"]').getAttribute('data-value')), metric).toBe(want.n);
			if (want.p50 !== null) expect(num(await row.locator('[data-col="p50"]').getAttribute('data-value')), metric).toBeCloseTo(want.p50, 10);
		}
		const last = metricOf(id, year - 1, 'punishment_decisions')!;
		expect(await bench.locator('tr[data-metric="punishment_decisions"] [data-col="previous"]').innerText()).toBe(last.toLocaleString('zh-CN'));

		// outcome mix: counts and shares of 办理总计
		const processed = metricOf(id, year, 'requests_processed')!;
		for (const outcome of ['outcome_granted', 'outcome_partial', 'outcome_denied']) {
			const row = v.page.locator(`[data-testid="brief-outcomes"] tr[data-outcome="${outcome}"]`);
			const count = metricOf(id, year, outcome) ?? 0;
			expect(await row.locator('[data-col="count"]').innerText(), outcome).toBe(count.toLocaleString('zh-CN'));
			expect(Number(await row.locator('[data-col="share"]').getAttribute('data-value')), outcome).toBeCloseTo(count / processed, 12);
		}

		// reconsideration and litigation
		for (const kind of ['review', 'litigation'])
			expect(await v.page.locator(`[data-testid="brief-cases"] tr[data-case="${kind}"] [data-col="total"]`).innerText()).toBe(
				String(metricOf(id, year, `${kind}_total`))
			);

		// checks: the report's own broken rules apart from the other notes (the carry-over across years)
		const report = reports.find((r) => r.agency_id === id && Number(r.year) === year)!;
		const mine = issues.filter((i) => i.report_id === report.report_id);
		const broken = mine.filter((i) => String(i.code).startsWith('rule_')).length;
		expect(broken).toBeGreaterThan(0);
		const checks = v.page.getByTestId('brief-checks');
		expect(await checks.locator('[data-group="broken"]').getAttribute('data-n')).toBe(String(broken));
		expect(await checks.locator('[data-group="doubt"]').count()).toBe(0);
		expect(await checks.locator('[data-group="other"]').getAttribute('data-n')).toBe(String(mine.length - broken));
		expect(await checks.locator('li[data-issue-code="continuity_carry"]').count()).toBe(1);

		// where the numbers come from
		const manifest = JSON.parse(readFileSync(join(site.data, 'manifest.json'), 'utf8'));
		const source = await v.page.getByTestId('brief-source').innerText();
		expect(source).toContain(String(report.source_file));
		expect(source).toContain(String(report.sha256));
		expect(await v.page.getByTestId('brief-version').innerText()).toContain(manifest.dataset_version);
		if (report.source_url) expect(await v.page.getByTestId('brief-origin').getAttribute('href')).toBe(String(report.source_url));

		await v.page.screenshot({ path: join(SHOTS, 'brief-agri-2023-screen.png'), fullPage: true });
		expect(await printBrief(v.page, 'brief-agri-2023')).toBe(1);
		expect(v.errors).toEqual([]);
		await v.context.close();
	});

	it('prints on one A4 page even for the report with the most issues, and for a government compared with no peers', async () => {
		const shanghai = idOf('上海市人民政府办公厅');
		const most = Math.max(...reports.map((r) => issues.filter((i) => i.report_id === r.report_id).length));
		expect(issues.filter((i) => i.report_id === reports.find((r) => r.agency_id === shanghai)!.report_id).length).toBe(most);
		const v = await visit(`/brief?a=${shanghai}&ay=2019`);
		await engineReady(v.page);
		await v.page.waitForSelector('[data-view="brief"][data-ready="true"]', { timeout: 60_000 });
		// its outcome rows print no totals: no shares, said so, never a 0 % mix
		expect(await v.page.getByTestId('brief-outcomes').innerText()).toContain('不计算占比');
		// the first of its own broken rules are listed, the rest counted; other notes (the prose against the table) are a group of their own
		const own = issues.filter((i) => i.report_id === reports.find((r) => r.agency_id === shanghai)!.report_id && String(i.code).startsWith('rule_')).length;
		const listed = await v.page.locator('[data-testid="brief-checks"] h3[data-group="broken"] + ul li[data-issue-code]').count();
		expect(listed).toBeGreaterThan(0);
		expect(await v.page.getByTestId('brief-checks').innerText()).toContain(`另有 ${own - listed} 条`);
		expect(await printBrief(v.page, 'brief-shanghai-2019')).toBe(1);

		await v.page.goto(`${site.server.origin}/brief?a=${idOf('平潭综合实验区')}`);
		await v.page.waitForSelector('[data-view="brief"][data-ready="true"]', { timeout: 60_000 });
		expect(await v.page.getByTestId('brief-scope').innerText()).toContain('汇总');
		expect(await printBrief(v.page, 'brief-pingtan-latest')).toBe(1);
		expect(v.errors).toEqual([]);
		await v.context.close();
	});

	it('is a prerendered page that asks for an agency when the link names none, and reads at 390 px', async () => {
		expect(existsSync(join(BUILD, 'brief.html'))).toBe(true);
		const v = await visit('/brief', 390);
		await v.page.waitForSelector('[data-view="brief"]');
		await v.page.waitForFunction(() => document.querySelector('[data-view="brief"]')?.textContent?.includes('简报需要一个机关'));
		await v.page.goto(`${site.server.origin}/brief?a=${idOf('平潭综合实验区市场监督管理局')}&ay=2024`);
		await v.page.waitForSelector('[data-view="brief"][data-ready="true"]', { timeout: 60_000 });
		expect(await v.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
		// another year from the brief's own chooser: the brief stays the page, the year goes in the link
		await v.page.selectOption('select[name="brief-year"]', '2023');
		await v.page.waitForSelector('[data-view="brief"][data-ready="true"][data-year="2023"]');
		expect(new URL(v.page.url()).pathname).toBe('/brief');
		expect(new URL(v.page.url()).searchParams.get('ay')).toBe('2023');
		await v.page.screenshot({ path: join(SHOTS, 'brief-390.png'), fullPage: true });
		expect(v.errors).toEqual([]);
		await v.context.close();
	});
});
