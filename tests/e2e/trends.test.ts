import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MATERIAL_SHIFT, metricOf } from '../../src/lib/db/aggregate';
import { formatValue } from '../../src/lib/ui/format';
import { metricLabel } from '../../src/lib/ui/i18n';
import { csvRows, datasetTable, downloaded, openPage, ROOT, type Row, serveBuildCopy, type Site } from './harness';

// The overview's table 二 trends (licensing, penalties, coercion, fees,
// normative documents) and the researchers' filters, in headless Chromium.
// Every expected number is computed here from the Parquet files: the
// `metrics` table (ingest's per-report values, from the catalog) and
// `reports` (scope, status, template), never from the page's SQL.

const SHOTS = join(ROOT, 'test-results');
let site: Site;
let reports: Row[];
let metrics: Row[];

const TRENDS = ['licensing_decisions', 'punishment_decisions', 'coercion_decisions', 'fee_revenue', 'normative_documents_issued'];

const table = datasetTable;

const visit = (path: string, width = 1280) => openPage(site.browser, site.server.origin + path, width);

/** A downloaded CSV as rows of cells (BOM dropped; quoted cells unquoted). */
async function csvOf(page: Page, card: string): Promise<string[][]> {
	return csvRows((await downloaded(page, () => page.locator(`[data-chart-card="${card}"] [data-export="csv"]`).click())).bytes);
}

interface Expect {
	value: number | null;
	/** Reports in the sum scope that print the metric. */
	n: number;
}

/** Σ of a metric per year over the reports of one scope that pass `keep`, from the Parquet rows; null where none prints it. */
function expected(metric: string, scope: string, keep: (r: Row) => boolean = () => true): Map<number, Expect> {
	const inScope = new Map(reports.filter((r) => r.scope === scope && keep(r)).map((r) => [r.report_id, Number(r.year)]));
	const out = new Map<number, Expect>();
	for (const y of new Set(reports.map((r) => Number(r.year)))) out.set(y, { value: null, n: 0 });
	for (const m of metrics) {
		const year = inScope.get(m.report_id);
		if (m.metric !== metric || year === undefined) continue;
		const e = out.get(year)!;
		e.value = (e.value ?? 0) + Number(m.value);
		e.n++;
	}
	return out;
}

function checkCsv(rows: string[][], metric: string, want: Map<number, Expect>) {
	const [header, ...body] = rows;
	expect(header[0]).toBe('年份');
	expect(body.map((r) => Number(r[0]))).toEqual([...want.keys()].sort());
	for (const r of body) {
		const w = want.get(Number(r[0]))!;
		if (w.value === null) expect(r[1], `${metric} ${r[0]}`).toBe('');
		else expect(Number(r[1]), `${metric} ${r[0]}`).toBeCloseTo(w.value, 6);
		// the reports that print it, in their own column
		expect(Number(r[2]), `${metric} ${r[0]} n`).toBe(w.n);
	}
}

beforeAll(async () => {
	mkdirSync(SHOTS, { recursive: true });
	site = await serveBuildCopy('nianbao-trends-');
	[reports, metrics] = await Promise.all([table(site.data, 'reports'), table(site.data, 'metrics')]);
}, 600_000);

afterAll(() => site?.close());

describe('table 二 trends on the overview', () => {
	it('draws one chart per metric from the prerendered numbers, each year the sum of the own reports', async () => {
		const v = await visit('/');
		// the charts are in the prerendered HTML: wait for the page to be live before pressing its buttons
		await v.page.waitForSelector('[data-mounted="true"] [data-testid="table2-trends"] [data-chart-card="fee_revenue"] svg');
		for (const id of TRENDS) {
			await v.page.waitForSelector(`[data-chart-card="${id}"] svg`);
			checkCsv(await csvOf(v.page, id), id, expected(id, 'own'));
		}
		// Fees exist only in the 2021 tables: the years whose reports are all in the 2019 template are 不适用, never 0.
		const fees = expected('fee_revenue', 'own');
		const only2019 = [...fees.keys()].filter((y) => reports.filter((r) => Number(r.year) === y && r.scope === 'own').every((r) => r.template === '2019'));
		expect(only2019.length).toBeGreaterThan(0);
		for (const y of only2019) expect(fees.get(y)!.value).toBeNull();
		const notes = await v.page.locator('[data-chart-card="fee_revenue"] [data-testid="chart-note"]').allInnerTexts();
		expect(notes.join('\n')).toContain('没有金额');
		expect((await v.page.locator('[data-chart-card="punishment_decisions"] [data-testid="chart-note"]').allInnerTexts()).join('\n')).toContain(
			'2019 格式表二按事项统计'
		);
		await v.page.locator('[data-testid="table2-trends"]').screenshot({ path: join(SHOTS, 'trends-table2.png') });
		expect(v.errors).toEqual([]);
		await v.context.close();
	});

	it('shows 不适用 in the table for the 2019-template years and adds up the aggregate reports with sum=aggregate', async () => {
		const v = await visit('/?sum=aggregate&tbl=fee_revenue');
		await v.page.waitForSelector('[data-view="overview"][data-source="duckdb"][data-busy="false"]', { timeout: 120_000 });
		const rows = v.page.locator('[data-chart-card="fee_revenue"] table tbody tr');
		const want = expected('fee_revenue', 'aggregate');
		await expect.poll(() => rows.count()).toBe(want.size);
		for (const [year, w] of want) {
			const cell = await rows
				.filter({ has: v.page.locator(`th:text-is("${year}")`) })
				.locator('td')
				.first()
				.innerText();
			if (w.value === null) expect(cell).toBe('不适用');
			else expect(cell).not.toBe('不适用');
		}
		for (const id of TRENDS.filter((x) => x !== 'fee_revenue')) checkCsv(await csvOf(v.page, id), id, expected(id, 'aggregate'));
		checkCsv(await csvOf(v.page, 'fee_revenue'), 'fee_revenue', want);
		expect(v.errors).toEqual([]);
		await v.context.close();
	});
});

const FLAGGED = ['broken_rules', 'read_problems'];
const isFlaggedRow = (r: Row) => FLAGGED.includes(String(r.status));
const valueOf = (reportId: unknown, metric: string) => metrics.find((m) => m.report_id === reportId && m.metric === metric);
/** Years whose own-scope sum of `metric` the flagged reports move by MATERIAL_SHIFT or more (▲ on the overview), from the Parquet rows. */
function materialPoints(metric: string): number {
	const all = expected(metric, 'own');
	const clean = expected(metric, 'own', (r) => !isFlaggedRow(r));
	let n = 0;
	for (const [year, w] of all) {
		const flaggedHere = reports.some((r) => r.scope === 'own' && Number(r.year) === year && isFlaggedRow(r) && valueOf(r.report_id, metric));
		if (!flaggedHere || w.value === null) continue;
		const shift = clean.get(year)!.n === 0 ? 1 : w.value === 0 ? 0 : (w.value - clean.get(year)!.value!) / w.value;
		if (Math.abs(shift) >= MATERIAL_SHIFT) n++;
	}
	return n;
}
const lastYear = () => Math.max(...reports.map((r) => Number(r.year)));
const kpi = (page: Page, id: string) => page.locator(`[data-kpi="${id}"] .kpi-value`).getAttribute('data-value');

/** grant_rate pooled over one year's own reports that pass `keep`, each with n (办理总计) ≥ minN. */
function grantRate(year: number, keep: (r: Row) => boolean, minN: number): number {
	let n = 0;
	let d = 0;
	for (const r of reports.filter((r) => r.scope === 'own' && Number(r.year) === year && keep(r))) {
		if (!valueOf(r.report_id, 'grant_rate')) continue;
		const den = Number(valueOf(r.report_id, 'requests_processed')!.value);
		if (den < minN) continue;
		n += Number(valueOf(r.report_id, 'outcome_granted')?.value ?? 0);
		d += den;
	}
	return n / d;
}

describe('researchers’ filters', () => {
	it('leave flagged reports out, pool rates over n ≥ minn, draw lines on a log scale — set by hand, kept in the link, reopened as sent', async () => {
		const v = await visit('/');
		await v.page.waitForSelector('[data-engine="ready"]', { timeout: 120_000 });
		await v.page.locator('[data-testid="research-filters"] summary').click();
		await v.page.locator('input[name="skip-flagged"]').check();
		await v.page.waitForFunction(() => new URLSearchParams(location.search).get('skip') === 'flagged');
		await v.page.locator('[data-testid="research-minn"]').fill('30');
		await v.page.locator('[data-testid="research-minn"]').press('Enter');
		await v.page.waitForFunction(() => new URLSearchParams(location.search).get('minn') === '30');
		await v.page.locator('input[name="log"]').check();
		await v.page.waitForFunction(() => new URLSearchParams(location.search).get('log') === '1');
		const link = v.page.url();
		await v.context.close();

		const w = await visit(link.slice(site.server.origin.length));
		await w.page.waitForSelector('[data-view="overview"][data-source="duckdb"][data-busy="false"]', { timeout: 120_000 });
		const year = lastYear();
		const kept = (r: Row) => !isFlaggedRow(r);
		const received = reports
			.filter((r) => r.scope === 'own' && Number(r.year) === year && kept(r))
			.reduce((a, r) => a + Number(valueOf(r.report_id, 'requests_received')?.value ?? 0), 0);
		await expect.poll(() => kpi(w.page, 'requests_received')).toBe(String(received));
		expect(Number(await kpi(w.page, 'grant_rate'))).toBeCloseTo(grantRate(year, kept, 30), 12);
		// not the unfiltered numbers: the filters changed something
		expect(grantRate(year, kept, 30)).not.toBeCloseTo(
			grantRate(year, () => true, 0),
			6
		);
		expect(await w.page.locator('input[name="skip-flagged"]').isChecked()).toBe(true);
		expect(await w.page.locator('input[name="log"]').isChecked()).toBe(true);
		expect(await w.page.locator('[data-testid="research-minn"]').inputValue()).toBe('30');
		expect(await w.page.getByTestId('research-words').innerText()).toContain('比率只计 n ≥ 30 的报告');
		// nothing flagged is left, so no ▲ and no flagged count
		expect(await w.page.getByTestId('scope').innerText()).not.toContain('勾稽');
		expect((await w.page.locator('[data-chart-card="punishment_decisions"] [data-testid="chart-note"]').allInnerTexts()).join('\n')).toContain('对数纵轴');
		// the penalty chart's CSV holds the kept reports' sums
		const want = expected('punishment_decisions', 'own', kept);
		checkCsv(await csvOf(w.page, 'punishment_decisions'), 'punishment_decisions', want);
		await w.page.screenshot({ path: join(SHOTS, 'trends-research-filters.png'), fullPage: true });
		expect(w.errors).toEqual([]);
		await w.context.close();
	});

	it('hold in Compare: a flagged report is shown as left out, and the same filters are offered there', async () => {
		const flagged = reports.find((r) => isFlaggedRow(r) && valueOf(r.report_id, 'requests_received'))!;
		const id = String(flagged.agency_id);
		const cell = (page: Page) => page.locator(`[data-testid="compare-table"] tr[data-agency="${id}"] td[data-year="${flagged.year}"]`).innerText();
		const v = await visit(`/compare?ag=${id}&m=requests_received`);
		await v.page.waitForSelector('[data-testid="compare-table"]', { timeout: 120_000 });
		expect((await cell(v.page)).replace(/[,\s⚠]/g, '')).toBe(String(Number(valueOf(flagged.report_id, 'requests_received')!.value)));
		await v.page.locator('[data-testid="research-filters"] summary').click();
		await v.page.locator('input[name="skip-flagged"]').check();
		// The first table may come from the build's stored answers; the filtered one waits for DuckDB.
		await expect.poll(() => cell(v.page), { timeout: 120_000 }).toBe('已排除');
		expect(v.errors).toEqual([]);
		await v.context.close();
	});
});

describe('the overview lines as a per-agency average (avg=1)', () => {
	it('draws each year’s total ÷ the agencies that reported it, states that n, and keeps the switch in the link', async () => {
		const v = await visit('/?avg=1');
		await v.page.waitForSelector('[data-mounted="true"] [data-chart-card="requests"] svg');
		// the switch shows as set, under the researchers' options
		expect(await v.page.isChecked('input[name="avg"]')).toBe(true);
		for (const [card, ids] of [
			['requests', ['requests_received', 'requests_processed']],
			['punishment_decisions', ['punishment_decisions']]
		] as const) {
			expect(await v.page.textContent(`[data-chart-card="${card}"] h3`)).toContain('（每机关平均）');
			expect((await v.page.locator(`[data-chart-card="${card}"] [data-testid="chart-note"]`).allInnerTexts()).join('\n')).toContain('报送该项的机关数 n');
			const [header, ...rows] = await csvOf(v.page, card);
			for (const [i, id] of ids.entries()) {
				const label = metricLabel(metricOf(id), 'zh');
				expect(header[1 + i]).toBe(`${label}（每机关平均）`);
				const nAt = header.indexOf(`有“${label}”的报告`);
				expect(nAt, `${id}: its n has a column`).toBeGreaterThan(0);
				const want = expected(id, 'own');
				for (const r of rows) {
					const w = want.get(Number(r[0]))!;
					expect(Number(r[nAt]), `${id} ${r[0]} n`).toBe(w.n);
					if (w.value === null) expect(r[1 + i]).toBe('');
					else expect(Number(r[1 + i]), `${id} ${r[0]}`).toBeCloseTo(w.value / w.n, 9);
				}
				// each point's tooltip (and aria-label) gives the total and n it divides
				const [year, w] = [...want].filter(([, e]) => e.value !== null).at(-1)!;
				const dot = await v.page
					.locator(`[data-chart-card="${card}"] svg g[aria-label="dot"] > path[aria-label^="${year} ${label}（每机关平均）："]`)
					.getAttribute('aria-label');
				expect(dot).toContain(`合计 ${formatValue(w.value!, metricOf(id).unit, 'zh')} ÷ ${w.n} 个报送机关`);
			}
		}
		// rates are per request already: unchanged
		expect(await v.page.textContent('[data-chart-card="rates"] h3')).not.toContain('每机关平均');
		await v.page.locator('[data-chart-card="requests"]').screenshot({ path: join(SHOTS, 'trends-per-agency.png') });
		// off again: the link drops it and the titles say totals
		await v.page.uncheck('input[name="avg"]');
		await v.page.waitForFunction(() => !new URLSearchParams(location.search).has('avg'));
		expect(await v.page.textContent('[data-chart-card="requests"] h3')).not.toContain('每机关平均');
		expect(v.errors).toEqual([]);
		await v.context.close();
	});
});

describe('▲ on the overview lines', () => {
	it('marks only the points whose flagged reports move them by 5% or more, and says by how much', async () => {
		const v = await visit('/?tbl=punishment_decisions');
		await v.page.waitForSelector('[data-chart-card="punishment_decisions"] table');
		const all = expected('punishment_decisions', 'own');
		const clean = expected('punishment_decisions', 'own', (r) => !isFlaggedRow(r));
		let material = 0;
		for (const [year, w] of all) {
			const row = v.page.locator('[data-chart-card="punishment_decisions"] table tbody tr').filter({ has: v.page.locator(`th:text-is("${year}")`) });
			const shift = await row.locator('td[data-shift]').last().getAttribute('data-shift');
			const flaggedHere = reports.some((r) => r.scope === 'own' && Number(r.year) === year && isFlaggedRow(r) && valueOf(r.report_id, 'punishment_decisions'));
			if (!flaggedHere || w.value === null) {
				expect(shift, String(year)).toBe('');
				continue;
			}
			const want = clean.get(year)!.n === 0 ? 1 : w.value === 0 ? 0 : (w.value - clean.get(year)!.value!) / w.value;
			expect(Number(shift), String(year)).toBeCloseTo(want, 9);
			if (Math.abs(want) >= 0.05) material++;
		}
		// the chart: as many ▲ as material points (Plot draws them as one group with the flag's black stroke)
		await v.page.locator('[data-chart-card="punishment_decisions"] button:text-is("图表")').click();
		await v.page.waitForSelector('[data-chart-card="punishment_decisions"] svg');
		expect(await v.page.locator('[data-chart-card="punishment_decisions"] svg g[aria-label="dot"][stroke="#000000"] path').count()).toBe(material);
		expect(material).toBe(materialPoints('punishment_decisions'));
		await v.context.close();
	});

	it('says what ▲ means, with the 5% rule, only under a chart that draws one — on the page and in the exported image', async () => {
		const pct = `${MATERIAL_SHIFT * 100}%`;
		for (const [lang, words] of [
			['zh', `变动 ≥ ${pct}`],
			['en', `by ≥ ${pct}`]
		] as const) {
			const v = await visit(`/?lang=${lang}`);
			await v.page.waitForSelector('[data-view="overview"][data-busy="false"]', { timeout: 120_000 });
			const seen = { with: 0, without: 0 };
			for (const id of TRENDS) {
				const card = v.page.locator(`[data-chart-card="${id}"]`);
				await card.locator(`[data-chart="${id}"] svg`).first().waitFor();
				const material = materialPoints(id);
				const note = card.locator('.flag-note');
				expect(await note.count(), id).toBe(material > 0 ? 1 : 0);
				if (material > 0) {
					seen.with++;
					expect(await note.innerText()).toContain(words);
					const svg = await downloaded(v.page, () => card.locator('[data-export="svg"]').click());
					expect(svg.bytes.toString('utf8'), id).toContain(words);
				} else seen.without++;
			}
			// the bundled data has trends of both kinds, so both branches ran
			expect(seen.with).toBeGreaterThan(0);
			expect(seen.without).toBeGreaterThan(0);
			expect(v.errors).toEqual([]);
			await v.context.close();
		}
	});
});
