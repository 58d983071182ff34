import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetTable, openPage, ROOT, serveBuildCopy, type Row, type Site } from './harness';

// Numbers a leader can quote, in headless Chromium: the sum scope switch, the
// reconciliation view on 平潭, and the profile's scope and warnings.

const SHOTS = join(ROOT, 'test-results');
let site: Site;
let reports: Row[];
let metrics: Row[];
let agencies: Row[];

const table = (name: string) => datasetTable(site.data, name);

const visit = (path: string, width = 1280) => openPage(site.browser, site.server.origin + path, width);
const engineReady = (page: Page) => page.waitForSelector('[data-engine="ready"]', { timeout: 60_000 });
const idOf = (name: string) => String(agencies.find((a) => a.name === name)?.id);
/** Σ of a metric over one year's reports of one scope, from the Parquet rows. */
function sumOf(metric: string, year: number, scope: string): number {
	const ids = new Set(reports.filter((r) => r.scope === scope && Number(r.year) === year).map((r) => r.report_id));
	return metrics.filter((m) => m.metric === metric && ids.has(m.report_id)).reduce((a, m) => a + Number(m.value), 0);
}

beforeAll(async () => {
	mkdirSync(SHOTS, { recursive: true });
	site = await serveBuildCopy('nianbao-scope-');
	[reports, metrics, agencies] = await Promise.all([table('reports'), table('metrics'), table('agencies')]);
});

afterAll(() => site?.close());

describe('what a total adds up', () => {
	it('adds the own reports by default, says so, and switches to the aggregate reports with the choice in the link', async () => {
		const v = await visit('/');
		await v.page.waitForSelector('[data-kpi="requests_received"]');
		const lastYear = Math.max(...reports.map((r) => Number(r.year)));
		const received = (page: Page) => page.locator('[data-kpi="requests_received"] .kpi-value').getAttribute('data-value');
		expect(Number(await received(v.page))).toBe(sumOf('requests_received', lastYear, 'own'));
		const words = await v.page.getByTestId('sum-words').innerText();
		expect(words).toContain('只加各机关本级');
		expect(words).toContain(`${reports.filter((r) => r.scope === 'aggregate').length} 份汇总报告`);
		expect(await v.page.locator('[data-kpi="requests_received"] [data-testid="kpi-n"]').innerText()).toMatch(/份本级报告之和/);
		expect(await v.page.locator('[data-kpi="grant_rate"] [data-testid="kpi-n"]').innerText()).toMatch(/\d+ 份报告、\d+ 件/);
		await v.page.screenshot({ path: join(SHOTS, 'overview-sum-own.png'), fullPage: true });

		await engineReady(v.page);
		await v.page.selectOption('[data-testid="sum-switch"]', 'aggregate');
		await v.page.waitForFunction(() => new URLSearchParams(location.search).get('sum') === 'aggregate');
		await v.page.waitForSelector('[data-view="overview"][data-busy="false"][data-source="duckdb"]');
		await v.page.waitForFunction(
			(want) => document.querySelector('[data-kpi="requests_received"] .kpi-value')?.getAttribute('data-value') === String(want),
			sumOf('requests_received', lastYear, 'aggregate')
		);
		expect(await v.page.getByTestId('sum-words').innerText()).toContain('只加政府的汇总报告');
		const link = v.page.url();
		await v.context.close();

		// The share link reopens the aggregate totals.
		const w = await visit(new URL(link).pathname + new URL(link).search, 390);
		await engineReady(w.page);
		await w.page.waitForSelector('[data-view="overview"][data-busy="false"][data-source="duckdb"]');
		expect(await w.page.locator('[data-testid="sum-switch"]').inputValue()).toBe('aggregate');
		expect(Number(await received(w.page))).toBe(sumOf('requests_received', lastYear, 'aggregate'));
		await w.page.screenshot({ path: join(SHOTS, 'overview-sum-aggregate-390.png'), fullPage: true });
		expect([...v.errors, ...w.errors]).toEqual([]);
		await w.context.close();
	});
});

describe('reconciliation view', () => {
	for (const width of [1280, 390])
		it(`sets 平潭综合实验区's report beside the sum of its units, with the gap and the missing units (${width} px)`, async () => {
			const v = await visit('/reconcile?year=2023', width);
			await engineReady(v.page);
			await v.page.waitForSelector('[data-view="reconcile"][data-ready="true"] [data-testid="reconcile-table"]');
			expect(await v.page.locator('select[name="government"] option:checked').innerText()).toBe('平潭综合实验区');
			const row = v.page.locator('[data-testid="reconcile-table"] tr[data-metric="requests_received"]');
			const zone = reports.find((r) => r.agency === '平潭综合实验区' && Number(r.year) === 2023)!.report_id;
			const printed = Number(metrics.find((m) => m.report_id === zone && m.metric === 'requests_received')!.value);
			const unitIds = new Set(
				reports.filter((r) => r.scope === 'own' && Number(r.year) === 2023 && String(r.agency).startsWith('平潭综合实验区')).map((r) => r.report_id)
			);
			const units = metrics.filter((m) => m.metric === 'requests_received' && unitIds.has(m.report_id)).reduce((a, m) => a + Number(m.value), 0);
			expect(await row.locator('[data-col="printed"]').innerText()).toBe(printed.toLocaleString('zh-CN'));
			expect(await row.locator('[data-col="units"]').innerText()).toBe(units.toLocaleString('zh-CN'));
			expect((await row.locator('[data-col="gap"]').innerText()).replace('+', '')).toBe((printed - units).toLocaleString('zh-CN'));
			expect(await v.page.getByTestId('missing-units').innerText()).toContain('平潭综合实验区公安局');
			expect(await v.page.getByTestId('unit-rule').textContent()).toContain('同属一个行政区');
			await v.page.screenshot({ path: join(SHOTS, `reconcile-${width}.png`), fullPage: true });
			// Another year from the year buttons, in the URL as 核对's own year (a link's `year` is Compare's ranking year).
			await v.page.click('[data-year="2024"]');
			await v.page.waitForFunction(() => new URLSearchParams(location.search).get('ry') === '2024');
			await v.page.waitForFunction(() => document.querySelector('[data-metric="fee_revenue"] [data-col="printed"]')?.textContent?.includes('18,651'));
			expect(v.errors).toEqual([]);
			await v.context.close();
		});
});

describe('the agency profile', () => {
	it('淮安市洪泽区人民政府: scope shown, table 四 totals its results do not add up to carry the ⚠, no rate from them, no stray ⚠ on （六）', async () => {
		const v = await visit(`/agency?a=${idOf('淮安市洪泽区人民政府')}&year=2023`);
		await engineReady(v.page);
		await v.page.waitForSelector('[data-view="agency"][data-ready="true"] [data-testid="key-metrics"]');
		const cell = (metric: string, year: number) => v.page.locator(`[data-testid="key-metrics"] tr[data-metric="${metric}"] td[data-year="${year}"]`);
		// 2023 prints 行政复议 总计 0 beside results 10 + 1: the total is flagged, the correction rate is not computed from it.
		expect(await cell('review_total', 2023).locator('[data-testid="parts-differ"]').count()).toBe(1);
		expect(await cell('litigation_total', 2023).locator('[data-testid="parts-differ"]').count()).toBe(1);
		expect((await cell('review_correction_rate', 2023).innerText()).trim()).not.toMatch(/%/);
		expect(await cell('review_total', 2024).locator('[data-testid="parts-differ"]').count()).toBe(0);
		expect(await v.page.locator('[data-chart-card="agency-litigation"]').innerText()).toContain('各项之和与总计不符');
		expect(await v.page.getByTestId('report-scope').innerText()).toContain('汇总');
		await v.page.screenshot({ path: join(SHOTS, 'agency-hongze-2023.png'), fullPage: true });

		// 2024 keeps its rules: no cell of its printed tables carries a ⚠.
		await v.page.selectOption('select[name="table-year"]', '2024');
		await v.page.waitForSelector('[data-table-year="2024"]');
		expect(await v.page.locator('[data-table-year="2024"] td[data-issue]').count()).toBe(0);
		expect(await v.page.locator('tr[data-report-year="2024"]').innerText()).toContain('✓');
		expect(v.errors).toEqual([]);
		await v.context.close();
	});

	it('lists the cross-year carry-over mismatch of 平潭综合实验区农业农村局 2022 → 2023 among its issues', async () => {
		const v = await visit(`/agency?a=${idOf('平潭综合实验区农业农村局')}&year=2023`, 390);
		await engineReady(v.page);
		await v.page.waitForSelector('[data-view="agency"][data-ready="true"]');
		const item = v.page.locator('li[data-issue-code="continuity_carry"]');
		await item.first().waitFor();
		expect(await item.count()).toBe(1);
		expect(await item.innerText()).toContain('2022 年报告“四、结转下年度继续办理”总计为 0');
		await v.page.screenshot({ path: join(SHOTS, 'agency-agri-390.png'), fullPage: true });
		await v.context.close();
	});
});
