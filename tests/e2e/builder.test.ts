import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRows, datasetTable, downloaded, openPage, parquetRows, ROOT, type Row, serveBuildCopy, type Site } from './harness';

// The table builder in headless Chromium: metrics × agencies × years chosen
// in the page, every cell and total against values computed here from the
// Parquet files (the metrics table ingest wrote, summed by hand), the order,
// the CSV and Parquet downloads, and the link reopened in a fresh browser.

const SHOTS = join(ROOT, 'test-results');
let site: Site;
let reports: Row[];
let metrics: Row[];
let agencies: Row[];

const table = (name: string) => datasetTable(site.data, name);

const visit = (path: string, width = 1280) => openPage(site.browser, site.server.origin + path, width, { consoleErrors: true });
const engineReady = (page: Page) => page.waitForSelector('[data-engine="ready"]', { timeout: 60_000 });
const settled = (page: Page) =>
	page.waitForSelector('[data-view="builder"][data-ready="true"][data-busy="false"] [data-testid="built-table"]', { timeout: 60_000 });
const param = (page: Page, k: string) => new URL(page.url()).searchParams.get(k);
// The choice: four metrics (a count, a pooled rate, an amount only the 2021 tables have, a count of table 二),
// both police bureaus (a whole category) and the 平潭 zone government, whose aggregate reports the totals must skip.
const CHOSEN = ['requests_received', 'grant_rate', 'punishment_decisions', 'fee_revenue'] as const;
const LABELS: Record<string, string> = {
	requests_received: '本年新收申请',
	grant_rate: '公开率',
	punishment_decisions: '行政处罚决定',
	fee_revenue: '行政事业性收费金额'
};
const FROM = 2019;
const TO = 2024;

let picked: string[];
let shown: Row[];
const valueOf = (reportId: unknown, metric: string): number | null => {
	const m = metrics.find((x) => x.report_id === reportId && x.metric === metric);
	return m ? Number(m.value) : null;
};
const templateHas = (r: Row, metric: string) => metric !== 'fee_revenue' || r.template === '2021';
/** Σ of a count over the own reports shown (all years, or one); a rate: Σ granted ÷ Σ processed over the own reports that have it. */
function total(metric: string, year?: number): number | null {
	const own = shown.filter((r) => r.scope === 'own' && (year === undefined || Number(r.year) === year));
	if (metric === 'grant_rate') {
		const rated = own.filter((r) => valueOf(r.report_id, 'grant_rate') !== null);
		const d = rated.reduce((a, r) => a + valueOf(r.report_id, 'requests_processed')!, 0);
		return d ? rated.reduce((a, r) => a + valueOf(r.report_id, 'outcome_granted')!, 0) / d : null;
	}
	const vs = own.map((r) => valueOf(r.report_id, metric)).filter((v): v is number => v !== null);
	return vs.length ? vs.reduce((a, v) => a + v, 0) : null;
}

beforeAll(async () => {
	mkdirSync(SHOTS, { recursive: true });
	site = await serveBuildCopy('nianbao-builder-');
	[reports, metrics, agencies] = await Promise.all([table('reports'), table('metrics'), table('agencies')]);
	picked = agencies.filter((a) => a.category === '公安' || a.name === '平潭综合实验区').map((a) => String(a.id));
	shown = reports.filter((r) => picked.includes(String(r.agency_id)) && Number(r.year) >= FROM && Number(r.year) <= TO);
});

afterAll(() => site?.close());

/** Every row's cells and every total against the Parquet files. */
async function checkTable(page: Page) {
	const rows = page.locator('[data-testid="built-table"] tbody tr');
	expect(await rows.count()).toBe(shown.length);
	for (const r of shown) {
		const tr = page.locator(`[data-testid="built-table"] tbody tr[data-row="${r.report_id}"]`);
		expect(await tr.getAttribute('data-year')).toBe(String(r.year));
		for (const m of CHOSEN) {
			const td = tr.locator(`td[data-col="${m}"]`);
			const want = valueOf(r.report_id, m);
			if (!templateHas(r, m)) {
				expect(await td.getAttribute('data-kind'), `${r.agency} ${r.year} ${m}`).toBe('na');
				expect(await td.innerText()).toBe('不适用');
			} else if (want === null) expect(await td.getAttribute('data-value'), `${r.agency} ${r.year} ${m}`).toBe('');
			else expect(Number(await td.getAttribute('data-value')), `${r.agency} ${r.year} ${m}`).toBeCloseTo(want, 9);
		}
	}
	for (const m of CHOSEN) {
		const td = page.locator(`[data-testid="table-total"] td[data-total="${m}"]`);
		const want = total(m);
		if (want === null) expect(await td.getAttribute('data-value'), m).toBe('');
		else expect(Number(await td.getAttribute('data-value')), m).toBeCloseTo(want, 9);
	}
}

describe('table builder', () => {
	it('builds metrics × agencies × years, totals one scope, sorts, downloads CSV and Parquet, and reopens from its link', async () => {
		expect(shown.some((r) => r.scope === 'aggregate')).toBe(true);
		expect(shown.some((r) => r.template === '2019') && shown.some((r) => r.template === '2021')).toBe(true);

		const v = await visit('/builder');
		await engineReady(v.page);
		await settled(v.page);
		// Metrics: two more, one default less (groups open on click).
		await v.page.locator('details[data-group="active"] summary').click();
		await v.page.check('input[name="metric"][value="punishment_decisions"]');
		await v.page.waitForFunction(() => new URLSearchParams(location.search).get('bm')?.includes('punishment_decisions'));
		await v.page.check('input[name="metric"][value="fee_revenue"]');
		for (const off of ['requests_processed', 'review_total', 'litigation_total']) {
			await v.page.uncheck(`input[name="metric"][value="${off}"]`);
			await v.page.waitForFunction((id) => !new URLSearchParams(location.search).get('bm')?.includes(id), off);
		}
		expect(param(v.page, 'bm')).toBe(CHOSEN.join(','));
		// Agencies: a whole category, and one by name.
		await v.page.selectOption('select[name="add-category"]', '公安');
		await v.page.locator('.add-group:has(select[name="add-category"]) button').click();
		await v.page.fill('input[name="agency-search"]', '平潭综合实验区');
		await v.page.press('input[name="agency-search"]', 'Enter');
		await v.page.waitForFunction((n) => (new URLSearchParams(location.search).get('ag') ?? '').split(',').length === n, picked.length);
		expect(new Set(param(v.page, 'ag')!.split(','))).toEqual(new Set(picked));
		// Years.
		await v.page.selectOption('select[name="from"]', String(FROM));
		await v.page.selectOption('select[name="to"]', String(TO));
		await v.page.waitForFunction((to) => new URLSearchParams(location.search).get('to') === String(to), TO);
		await v.page.waitForFunction(
			(n) => document.querySelectorAll('[data-view="builder"][data-busy="false"] [data-testid="built-table"] tbody tr').length === n,
			shown.length
		);
		await settled(v.page);
		await checkTable(v.page);
		// The total says what it adds up: own reports only, the zone's aggregate ones left out.
		const own = shown.filter((r) => r.scope === 'own').length;
		expect(await v.page.locator('[data-testid="table-total"] th').innerText()).toBe(`合计（${own} 份本级报告之和）`);
		expect(await v.page.getByTestId('table-sum-words').innerText()).toContain(`${shown.filter((r) => r.scope === 'aggregate').length} 份汇总报告`);
		expect(await v.page.locator('tr.outside').count()).toBe(shown.filter((r) => r.scope !== 'own').length);
		// The notes: the marks, the rate rule, and the fee amounts that only the 2021 tables have.
		const notes = await v.page.getByTestId('table-notes').innerText();
		expect(notes).toContain('比率与占比 = Σ分子 ÷ Σ分母');
		expect(notes).toContain('“行政事业性收费金额”只在 2021 格式的表格中有');

		// Sort by the grant rate, largest first, rows without one last.
		await v.page.click('button[data-sort="grant_rate"]');
		await v.page.waitForFunction(
			() => new URLSearchParams(location.search).get('bs') === 'grant_rate' && new URLSearchParams(location.search).get('bd') === 'desc'
		);
		const order = await v.page
			.locator('[data-testid="built-table"] tbody td[data-col="grant_rate"]')
			.evaluateAll((tds) => tds.map((td) => td.getAttribute('data-value')));
		const numbers = order.filter((x) => x !== '').map(Number);
		expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
		expect(order.slice(numbers.length).every((x) => x === '')).toBe(true);
		await v.page.screenshot({ path: join(SHOTS, 'builder-1280.png'), fullPage: true });

		// CSV: BOM, the catalog's names, the rows in the shown order, 不适用 where the template lacks it, the totals row last.
		const csv = await downloaded(v.page, () => v.page.click('[data-testid="table-csv"]'));
		expect(csv.name).toMatch(/\.csv$/);
		const text = csv.bytes.toString('utf8');
		expect(text.startsWith('\ufeff')).toBe(true);
		const lines = csvRows(text.slice(1));
		expect(lines[0]).toEqual(['机关', 'agency_id', '年份', '表格格式', '统计范围', '勾稽状态', ...CHOSEN.map((m) => LABELS[m])]);
		expect(lines.length).toBe(1 + shown.length + 1);
		const ids = await v.page.locator('[data-testid="built-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-row')));
		lines.slice(1, -1).forEach((line, i) => {
			const r = shown.find((x) => x.report_id === ids[i])!;
			expect(line.slice(0, 4)).toEqual([String(agencies.find((a) => a.id === r.agency_id)!.name), String(r.agency_id), String(r.year), String(r.template)]);
			CHOSEN.forEach((m, j) => {
				const cell = line[6 + j];
				const want = valueOf(r.report_id, m);
				if (!templateHas(r, m)) expect(cell).toBe('不适用');
				else if (want === null) expect(cell).toBe('');
				else expect(Number(cell)).toBeCloseTo(want, 9);
			});
		});
		const last = lines.at(-1)!;
		expect(last[0]).toBe(`合计（${own} 份本级报告之和）`);
		CHOSEN.forEach((m, j) => expect(Number(last[6 + j])).toBeCloseTo(total(m) ?? NaN, 9));

		// Parquet: the reports' rows (no totals row), numbers as numbers, 不适用 as null.
		const pq = await downloaded(v.page, () => v.page.click('[data-testid="table-parquet"]'));
		const prow = await parquetRows(pq.bytes);
		expect(prow.length).toBe(shown.length);
		for (const p of prow) {
			const r = shown.find((x) => x.report_id !== undefined && String(x.agency_id) === p.agency_id && Number(x.year) === Number(p['年份']))!;
			for (const m of CHOSEN) {
				const want = templateHas(r, m) ? valueOf(r.report_id, m) : null;
				if (want === null) expect(p[LABELS[m]]).toBeNull();
				else expect(p[LABELS[m]]).toBeCloseTo(want, 9);
			}
		}

		// The share link: every choice in it, under the app's cap.
		await v.page.click('[data-testid="copy-link"]');
		const link = await v.page.getByTestId('share-url').inputValue();
		expect(link.length).toBeLessThan(2000);
		expect(v.errors).toEqual([]);
		await v.context.close();

		// A fresh browser at 390 px opens the same table, in the same order.
		const w = await visit(new URL(link).pathname + new URL(link).search, 390);
		await engineReady(w.page);
		await settled(w.page);
		await checkTable(w.page);
		expect(await w.page.locator('[data-testid="built-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-row')))).toEqual(ids);
		expect(await w.page.locator('input[name="metric"]:checked').evaluateAll((xs) => xs.map((x) => (x as HTMLInputElement).value))).toEqual([...CHOSEN]);
		expect(await w.page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
		await w.page.screenshot({ path: join(SHOTS, 'builder-390.png'), fullPage: true });

		// The pivot: a row per agency, a column per metric and year, totals per year.
		await w.page.click('[data-layout="pivot"]');
		await w.page.waitForFunction(() => new URLSearchParams(location.search).get('piv') === '1');
		await w.page.waitForSelector('[data-testid="built-table"][data-layout="pivot"]');
		expect(await w.page.locator('[data-testid="built-table"] tbody tr').count()).toBe(picked.length);
		let notApplicable = 0;
		for (let y = FROM; y <= TO; y++)
			for (const m of CHOSEN) {
				const td = w.page.locator(`[data-testid="table-total"] td[data-total="${m}@${y}"]`);
				const want = total(m, y);
				const ownThatYear = shown.filter((r) => Number(r.year) === y && r.scope === 'own');
				if (m === 'fee_revenue' && ownThatYear.length && ownThatYear.every((r) => r.template === '2019')) {
					expect(await td.innerText(), `${m} ${y}`).toBe('不适用');
					notApplicable++;
				} else if (want === null) expect(await td.getAttribute('data-value'), `${m} ${y}`).toBe('');
				else expect(Number(await td.getAttribute('data-value')), `${m} ${y}`).toBeCloseTo(want, 9);
			}
		expect(notApplicable).toBeGreaterThan(0);
		const zone = String(agencies.find((a) => a.name === '平潭综合实验区')!.id);
		const zone2023 = shown.find((r) => r.agency_id === zone && Number(r.year) === 2023)!;
		expect(Number(await w.page.locator(`tr[data-row="${zone}"] td[data-col="requests_received@2023"]`).getAttribute('data-value'))).toBe(
			valueOf(zone2023.report_id, 'requests_received')
		);
		await w.page.screenshot({ path: join(SHOTS, 'builder-pivot-390.png'), fullPage: true });
		expect(w.errors).toEqual([]);
		await w.context.close();
	});

	it('adds up the aggregate reports instead when the link asks, and keeps every 不适用 out of the sum', async () => {
		const zone = String(agencies.find((a) => a.name === '平潭综合实验区')!.id);
		const v = await visit(`/builder?ag=${zone}&sum=aggregate&bm=requests_received,fee_revenue&piv=1`);
		await engineReady(v.page);
		await settled(v.page);
		const zoneReports = reports.filter((r) => r.agency_id === zone && r.scope === 'aggregate');
		for (const r of zoneReports) {
			const td = v.page.locator(`[data-testid="table-total"] td[data-total="requests_received@${r.year}"]`);
			expect(Number(await td.getAttribute('data-value'))).toBe(valueOf(r.report_id, 'requests_received'));
			const fee = v.page.locator(`[data-testid="table-total"] td[data-total="fee_revenue@${r.year}"]`);
			if (r.template === '2019') expect(await fee.innerText()).toBe('不适用');
		}
		expect(v.errors).toEqual([]);
		await v.context.close();
	});

	it('names the CSV columns in English from the catalog when the page is in English', async () => {
		const zone = String(agencies.find((a) => a.name === '平潭综合实验区')!.id);
		const v = await visit(`/builder?lang=en&ag=${zone}&bm=requests_received,fee_revenue&bs=year`);
		await engineReady(v.page);
		await settled(v.page);
		const csv = await downloaded(v.page, () => v.page.click('[data-testid="table-csv"]'));
		const lines = csvRows(csv.bytes.toString('utf8').slice(1));
		expect(lines[0]).toEqual(['Agency', 'agency_id', 'Year', 'Template', 'Scope', 'Checks', 'New requests received', 'Fee revenue']);
		const zoneReports = reports.filter((r) => r.agency_id === zone).sort((a, b) => Number(a.year) - Number(b.year));
		expect(lines.slice(1, -1).map((l) => [l[2], l[4], l[7]])).toEqual(
			zoneReports.map((r) => [String(r.year), 'aggregate', r.template === '2019' ? 'n/a' : String(valueOf(r.report_id, 'fee_revenue'))])
		);
		expect(lines.at(-1)![0]).toBe('Total (sum of 0 own reports)');
		expect(v.errors).toEqual([]);
		await v.context.close();
	});
});
