import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePdf } from '../../src/lib/synthetic/pdf-writer';
import { datasetTable, downloaded, type Opened, openPage, parquetRows, ROOT, type Row, serveBuildCopy, type Site } from './harness';

// The researcher features in headless Chromium: outcomes, peers, ranks,
// template marks, the SQL console, uploads and chart exports.

const SHOTS = join(ROOT, 'test-results');
const CORPUS = join(ROOT, '../shared/corpus/reports');
const hasCorpus = existsSync(join(CORPUS, 'zhoukou-police-2023.txt')) && existsSync(join(CORPUS, 'hongze-gov-2024.pdf'));
if (!hasCorpus) console.warn(`research.test.ts: ${CORPUS} is absent; the upload tests with real reports are skipped`);

let manifest: { dataset_version: string; files: Record<string, string> };
const table = (name: string) => datasetTable(site.data, name);

let site: Site;
let agencies: Row[];
let reports: Row[];
let metrics: Row[];

interface Visit extends Opened {
	requests: { method: string; url: string; at: number }[];
}

/** A fresh page on `path`, recording every request it makes and when. */
async function visit(path: string, width = 1280): Promise<Visit> {
	const requests: Visit['requests'] = [];
	const opened = await openPage(site.browser, site.server.origin + path, width, {
		consoleErrors: true,
		prepare: (context) => {
			context.on('request', (r) => requests.push({ method: r.method(), url: r.url(), at: Date.now() }));
		}
	});
	return { ...opened, requests };
}

const engineReady = (page: Page) => page.waitForSelector('[data-engine="ready"]', { timeout: 60_000 });
const sum = (rows: Row[]) => rows.reduce((a, r) => a + Number(r.value), 0);
const metricRows = (metric: string, pred: (r: Row) => boolean = () => true) => metrics.filter((m) => m.metric === metric && pred(m));
const idOf = (name: string) => String(agencies.find((a) => a.name === name)?.id);

beforeAll(async () => {
	mkdirSync(SHOTS, { recursive: true });
	site = await serveBuildCopy('nianbao-research-');
	manifest = JSON.parse(readFileSync(join(site.data, 'manifest.json'), 'utf8'));
	agencies = await table('agencies');
	reports = await table('reports');
	metrics = await table('metrics');
});

afterAll(() => site?.close());

describe('办理结果 outcomes view', () => {
	it('shows outcome shares per year and drills down into the reasons for “unable to provide”', async () => {
		const v = await visit('/?tab=outcomes');
		await v.page.waitForSelector('[data-view="outcomes"][data-ready="true"][data-busy="false"] [data-chart="outcome-shares"] svg', { timeout: 60_000 });
		// shares per year = each outcome ÷ the six outcomes' sum, from the Parquet rows
		const outcomes = ['outcome_granted', 'outcome_partial', 'outcome_denied', 'outcome_unable', 'outcome_not_processed', 'outcome_other'];
		const year = 2023;
		// Own reports whose outcome rows add up to 办理总计 (the catalog's PARTS_RULE), as the overview's rates.
		const value = (id: unknown, metric: string) => Number(metrics.find((m) => m.report_id === id && m.metric === metric)?.value ?? 0);
		const counted = new Set(
			reports
				.filter((r) => r.scope === 'own' && Number(r.year) === year)
				.map((r) => r.report_id)
				.filter((id) => Math.abs(outcomes.reduce((a, m) => a + value(id, m), 0) - value(id, 'requests_processed')) < 0.5)
		);
		const inYear = (r: Row) => Number(r.year) === year && counted.has(r.report_id);
		const total = outcomes.reduce((a, m) => a + sum(metricRows(m, inYear)), 0);
		await v.page.getByRole('button', { name: '数据表', exact: true }).first().click();
		const row = v.page.locator(`[data-testid="outcome-table"] tr[data-bar="${year}"]`);
		expect(Number(await row.locator('td[data-total]').getAttribute('data-total'))).toBe(total);
		const granted = sum(metricRows('outcome_granted', inYear));
		expect(Number(await row.locator('td[data-part="outcome_granted"]').getAttribute('data-value'))).toBe(granted);
		expect(await row.locator('td[data-part="outcome_granted"]').innerText()).toContain(`${((granted / total) * 100).toFixed(1)}%`);
		await v.page.getByRole('button', { name: '图表', exact: true }).first().click();

		// drill down from the legend: 无法提供 → its three reasons
		await v.page.click('[data-chart-card="outcome-shares"] [data-drill="unable"]');
		await v.page.waitForFunction(() => new URLSearchParams(location.search).get('drill') === 'unable');
		await v.page.waitForSelector('[data-chart="outcome-drill"] svg [aria-label="bar"] rect');
		const card = v.page.locator('[data-chart-card="outcome-drill"]');
		expect(await card.locator('h3').innerText()).toContain('无法提供的理由');
		const reasons = ['reason_unable_not_held', 'reason_unable_needs_creation', 'reason_unable_unclear'];
		const unable = reasons.map((m) => sum(metricRows(m, inYear)));
		await card.getByRole('button', { name: '数据表', exact: true }).click();
		const drillRow = card.locator(`[data-testid="drill-table"] tr[data-bar="${year}"]`);
		expect(Number(await drillRow.locator('td[data-total]').getAttribute('data-total'))).toBe(unable.reduce((a, b) => a + b, 0));
		for (const [i, m] of reasons.entries()) expect(Number(await drillRow.locator(`td[data-part="${m}"]`).getAttribute('data-value'))).toBe(unable[i]);
		await card.getByRole('button', { name: '图表', exact: true }).click();
		await v.page.waitForSelector('[data-chart="outcome-drill"] svg');
		// the applicant mix is there too
		await v.page.waitForSelector('[data-chart="applicant-shares"] svg [aria-label="bar"] rect');
		await v.page.screenshot({ path: join(SHOTS, 'outcomes-by-year-drill.png'), fullPage: true });

		// per agency: one bar per agency with outcomes in scope
		await v.page.click('[data-by="agency"]');
		await v.page.waitForFunction(() => new URLSearchParams(location.search).get('by') === 'agency');
		await v.page.waitForSelector('[data-view="outcomes"][data-busy="false"] [data-chart="outcome-shares"] svg');
		// An agency's bar: its reports whose outcome rows add up to 办理总计 (PARTS_RULE), with any outcome.
		const balanced = (id: unknown) => Math.abs(outcomes.reduce((a, m) => a + value(id, m), 0) - value(id, 'requests_processed')) < 0.5;
		const withOutcomes = new Set(
			metrics.filter((m) => outcomes.includes(String(m.metric)) && Number(m.value) > 0 && balanced(m.report_id)).map((m) => m.agency_id)
		);
		expect(await v.page.locator('[data-chart="outcome-shares"] svg [aria-label="y-axis tick label"] text').count()).toBe(withOutcomes.size);
		await v.page.screenshot({ path: join(SHOTS, 'outcomes-by-agency.png'), fullPage: true });
		expect(v.errors).toEqual([]);
		await v.context.close();
	});
});

describe('peer benchmark, ranks and template marks', () => {
	/** quantile_cont: linear interpolation between the closest ranks. */
	const quantile = (xs: number[], q: number) => {
		const s = [...xs].sort((a, b) => a - b);
		const pos = (s.length - 1) * q;
		return s[Math.floor(pos)] + (s[Math.ceil(pos)] - s[Math.floor(pos)]) * (pos - Math.floor(pos));
	};

	it('draws the P25–P75 band of the same-level bodies behind the lines, with the group size, when the category group is too small', async () => {
		const transport = idOf('平潭综合实验区交通与建设局');
		const police = idOf('平潭综合实验区公安局');
		const level = agencies.find((a) => a.id === transport)!.level;
		const levelGroup = agencies.filter((a) => a.level === level);
		expect(levelGroup.length).toBeGreaterThanOrEqual(5);
		expect(agencies.filter((a) => a.level === level && a.category === '交通').length).toBeLessThan(5);

		const v = await visit(`/?tab=compare&ag=${transport},${police}&m=grant_rate&peers=1`);
		const note = v.page.locator('[data-testid="peer-note"]');
		await note.waitFor({ timeout: 60_000 });
		expect(await note.getAttribute('data-basis')).toBe('level');
		expect(Number(await note.getAttribute('data-size'))).toBe(levelGroup.length);
		expect(await note.innerText()).toContain(`县级机关，共 ${levelGroup.length} 个`);
		expect(await note.innerText()).toContain('少于 5 个，改按同层级比较');
		await v.page.waitForSelector('[data-chart="compare"] svg g.peer-band path');
		await v.page.waitForSelector('[data-chart="compare"] svg g.peer-median path');

		expect(await note.locator('[data-testid="peer-scope"]').innerText()).toContain('只比较「本机关」口径的报告');

		// the median row of the table, year by year, from the Parquet rows: the peers' reports of the sum scope only (own by default)
		const ids = new Set(levelGroup.map((a) => a.id));
		const scopeOf = new Map(reports.map((r) => [r.report_id, r.scope]));
		const checkMedians = async (page: Page, sum: string) => {
			for (const year of [2022, 2023, 2024]) {
				const xs = metricRows('grant_rate', (m) => Number(m.year) === year && ids.has(m.agency_id) && scopeOf.get(m.report_id) === sum).map((m) =>
					Number(m.value)
				);
				const n = await page.locator(`tr[data-peer="n"] td[data-year="${year}"]`).innerText();
				expect(Number(n)).toBe(xs.length);
				const median = Number(await page.locator(`tr[data-peer="p50"] td[data-year="${year}"]`).getAttribute('data-value'));
				if (xs.length >= 5) expect(median).toBeCloseTo(quantile(xs, 0.5), 9);
			}
		};
		await checkMedians(v.page, 'own');
		await v.page.screenshot({ path: join(SHOTS, 'compare-peer-band.png'), fullPage: true });
		expect(v.errors).toEqual([]);
		await v.context.close();

		// the overview's 合计口径 set to aggregate: the band compares the peers' aggregate reports instead
		const agg = await visit(`/?tab=compare&ag=${transport},${police}&m=grant_rate&peers=1&sum=aggregate`);
		const scopeLine = agg.page.locator('[data-testid="peer-scope"]');
		await scopeLine.waitFor({ timeout: 60_000 });
		expect(await scopeLine.innerText()).toContain('只比较「汇总」口径的报告');
		await agg.page.waitForSelector('tr[data-peer="n"]');
		await checkMedians(agg.page, 'aggregate');
		expect(agg.errors).toEqual([]);
		await agg.context.close();
	});

	it('says so and draws no band when the peer group is too small', async () => {
		const city = agencies.find((a) => a.level === '市')!;
		expect(agencies.filter((a) => a.level === '市').length).toBeLessThan(5);
		const v = await visit(`/?tab=compare&ag=${city.id}&m=grant_rate&peers=1`);
		const note = v.page.locator('[data-testid="peer-note"]');
		await note.waitFor({ timeout: 60_000 });
		expect(await note.getAttribute('data-basis')).toBe('none');
		expect(await note.innerText()).toContain('不画基准带');
		await v.page.waitForSelector('[data-chart="compare"] svg');
		expect(await v.page.locator('[data-chart="compare"] svg g.peer-band path').count()).toBe(0);
		await v.context.close();
	});

	it('ranks a category over the years in a bump chart', async () => {
		const ids = agencies
			.filter((a) => a.level === '县' && String(a.name).startsWith('平潭'))
			.map((a) => String(a.id))
			.slice(0, 6);
		const v = await visit(`/?tab=compare&ag=${ids.join(',')}&m=requests_received&chart=bump`);
		await v.page.waitForSelector(
			'[data-view="compare"][data-busy="false"] [data-chart="compare"] svg [aria-label="dot"] circle, [data-chart="compare"] svg [aria-label="dot"] path',
			{ timeout: 60_000 }
		);
		// one dot per agency-year with a value; rank 1 = the largest value
		const ranked = metricRows('requests_received', (m) => ids.includes(String(m.agency_id)));
		const dots = await v.page.locator('[data-chart="compare"] svg [aria-label="dot"] > *').count();
		expect(dots).toBe(ranked.length);
		const ticks = await v.page.locator('[data-chart="compare"] svg [aria-label="y-axis tick label"] text').allTextContents();
		expect(ticks[0]).toBe('1');
		const { data } = await v.page.evaluate(() => ({ data: document.querySelector('[data-chart-card="compare"] h3')?.textContent }));
		expect(data).toContain('排名变化');
		await v.page.screenshot({ path: join(SHOTS, 'compare-bump.png'), fullPage: true });
		expect(v.errors).toEqual([]);
		await v.context.close();
	});

	it('shades the years that mix templates on charts over many bodies, marks one body’s own switch, and notes a metric that exists in one template only', async () => {
		// the years whose summed (own) reports use both templates, from the Parquet rows, as runs of neighbouring years
		const years = [...new Set(reports.map((r) => Number(r.year)))].sort((a, b) => a - b);
		const mixedYears = years.filter((y) => new Set(reports.filter((r) => r.scope === 'own' && Number(r.year) === y).map((r) => r.template)).size > 1);
		expect(mixedYears.length).toBeGreaterThan(0);
		const spans: string[] = [];
		for (const [i, y] of mixedYears.entries()) {
			if (i > 0 && years.indexOf(y) === years.indexOf(mixedYears[i - 1]) + 1) spans[spans.length - 1] = `${spans.at(-1)!.split('-')[0]}-${y}`;
			else spans.push(`${y}-${y}`);
		}
		const v = await visit('/');
		// The page's own drawing (data-rendered > 0): before it, the prerendered HTML holds one drawing per card width, each with its marks.
		const live = '[data-chart="requests"]:not([data-rendered="0"])';
		await v.page.waitForSelector(`${live} svg [aria-label="template-mix"] [data-mixed]`, { state: 'attached' });
		const marked = await v.page.locator(`${live} svg [data-mixed]`).evaluateAll((els) => els.map((e) => e.getAttribute('data-mixed')));
		expect(marked).toEqual(spans);
		// no pile of dashed rules: agencies switched in different years
		expect(await v.page.locator('[data-chart="requests"] svg [data-break]').count()).toBe(0);
		const note = (await v.page.locator('[data-chart-card="requests"] [data-testid="chart-note"]').allInnerTexts()).join('\n');
		expect(note).toContain('两种表格格式并存');
		for (const y of mixedYears) {
			const own = reports.filter((r) => r.scope === 'own' && Number(r.year) === y);
			const n = (t: string) => own.filter((r) => r.template === t).length;
			expect(note).toContain(`${y} 年 2019 格式 ${n('2019')} 份、2021 格式 ${n('2021')} 份`);
		}
		await v.context.close();

		// one agency: its own switch only, and fee revenue's definition note
		const pingtan = idOf('平潭综合实验区');
		const own = reports.filter((r) => r.agency_id === pingtan).sort((a, b) => Number(a.year) - Number(b.year));
		const switchAt = own.findIndex((r, i) => i > 0 && r.template !== own[i - 1].template);
		const w = await visit(`/?tab=compare&ag=${pingtan}&m=fee_revenue`);
		await w.page.waitForSelector('[data-view="compare"][data-busy="false"] [data-chart="compare"] svg [aria-label="template-change"] [data-break]', {
			timeout: 60_000,
			state: 'attached'
		});
		expect(await w.page.locator('[data-chart="compare"] [data-break]').getAttribute('data-break')).toBe(`${own[switchAt - 1].year}-${own[switchAt].year}`);
		const notes = await w.page.locator('[data-chart-card="compare"] [data-testid="chart-note"]').allInnerTexts();
		expect(notes.join('\n')).toContain('只在 2021 格式的表格中有');
		await w.context.close();
	});
});

describe('数据 SQL console', () => {
	it('runs a query on read-only views, downloads it as CSV (BOM, header, rows) and Parquet, and shares it as a link', async () => {
		const v = await visit('/?tab=data');
		await engineReady(v.page);
		const sql = 'SELECT year, count(*) AS reports FROM reports GROUP BY year ORDER BY year';
		await v.page.fill('[data-testid="sql-input"]', sql);
		await v.page.click('[data-testid="sql-run"]');
		const status = v.page.locator('[data-testid="sql-status"][data-state="done"]');
		await status.waitFor({ timeout: 30_000 });
		const years = [...new Set(reports.map((r) => Number(r.year)))].sort();
		const counts = years.map((y) => reports.filter((r) => Number(r.year) === y).length);
		expect(Number(await status.getAttribute('data-rows'))).toBe(years.length);
		expect(await v.page.locator('[data-testid="sql-result"] tbody tr').count()).toBe(years.length);

		const csv = await downloaded(v.page, () => v.page.click('[data-testid="sql-csv"]'));
		expect(csv.name).toMatch(/\.csv$/);
		expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM
		const lines = csv.bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
		expect(lines[0]).toBe('year,reports');
		expect(lines.slice(1)).toEqual(years.map((y, i) => `${y},${counts[i]}`));

		const pq = await downloaded(v.page, () => v.page.click('[data-testid="sql-parquet"]'));
		expect(pq.bytes.subarray(0, 4).toString()).toBe('PAR1');
		const back = await parquetRows(pq.bytes);
		expect(back.map((r) => [Number(r.year), Number(r.reports)])).toEqual(years.map((y, i) => [y, counts[i]]));

		// the query is in the link, packed (z=, sql-link.ts); opening it shows it, and it runs when 运行 is pressed
		await v.page.waitForFunction(() => new URLSearchParams(location.search).has('z') && !new URLSearchParams(location.search).has('sql'));
		const link = new URL(v.page.url());
		await v.page.screenshot({ path: join(SHOTS, 'sql-console.png'), fullPage: true });
		expect(v.errors).toEqual([]);
		await v.context.close();
		const w = await visit(link.pathname + link.search);
		await engineReady(w.page);
		expect(await w.page.inputValue('[data-testid="sql-input"]')).toBe(sql);
		await w.page.click('[data-testid="sql-run"]');
		await w.page.waitForSelector('[data-testid="sql-status"][data-state="done"]', { timeout: 60_000 });
		expect(await w.page.locator('[data-testid="sql-result"] tbody tr').count()).toBe(years.length);
		await w.context.close();
	});

	it('refuses statements that write, and the data survives them', async () => {
		const v = await visit('/?tab=data');
		await engineReady(v.page);
		for (const [sql, code] of [
			['DROP TABLE reports', 'not_read_only'],
			['SELECT 1; DELETE FROM reports', 'multiple'],
			['WITH x AS (SELECT 1) INSERT INTO reports SELECT * FROM reports', 'not_read_only']
		]) {
			await v.page.fill('[data-testid="sql-input"]', sql);
			await v.page.click('[data-testid="sql-run"]');
			await v.page.waitForSelector(`[data-testid="sql-status"][data-state="rejected"][data-code="${code}"]`);
		}
		expect(await v.page.locator('[data-testid="sql-status"]').innerText()).toContain('只读控制台不运行 INSERT');
		await v.page.fill('[data-testid="sql-input"]', 'SELECT count(*) AS n FROM reports');
		await v.page.click('[data-testid="sql-run"]');
		await v.page.waitForSelector('[data-testid="sql-status"][data-state="done"]');
		expect(await v.page.locator('[data-testid="sql-result"] tbody td').first().innerText()).toBe(String(reports.length));
		await v.context.close();
	});

	it('runs the read-only forms researchers use (FROM first, VALUES, SUMMARIZE, PIVOT), lists each view once, and its help names report_metrics', async () => {
		const v = await visit('/data');
		await engineReady(v.page);
		expect(await v.page.locator('[data-view="data"]').innerText()).toContain('report_metrics');
		const run = async (sql: string) => {
			await v.page.fill('[data-testid="sql-input"]', sql);
			await v.page.click('[data-testid="sql-run"]');
			const status = v.page.locator('[data-testid="sql-status"]:not([data-state="running"])');
			await status.waitFor({ timeout: 60_000 });
			expect(`${sql} → ${await status.getAttribute('data-state')}`).toBe(`${sql} → done`);
			const head = await v.page.locator('[data-testid="sql-result"] thead th').allInnerTexts();
			const body = await v.page
				.locator('[data-testid="sql-result"] tbody tr')
				.evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent!.trim())));
			return body.map((cells) => Object.fromEntries(head.map((h, i) => [h.trim(), cells[i]])));
		};
		const years = [...new Set(reports.map((r) => String(r.year)))].sort();
		expect((await run('FROM report_metrics SELECT DISTINCT year ORDER BY year')).map((r) => r.year)).toEqual(years);
		expect(await run("VALUES (1, '年报')")).toHaveLength(1);
		expect((await run('SUMMARIZE report_metrics')).map((r) => r.column_name)).toContain('requests_received');
		const pivot = await run('PIVOT (FROM report_metrics SELECT year) ON year USING count(*)');
		expect(Object.keys(pivot[0]).sort()).toEqual(years);
		expect(years.map((y) => Number(pivot[0][y]))).toEqual(years.map((y) => reports.filter((r) => String(r.year) === y).length));
		// SHOW TABLES: each view once (the console once listed every name twice).
		const names = (await run('SHOW TABLES')).map((r) => r.name);
		expect(names).toEqual([...new Set(names)]);
		expect(names).toEqual(expect.arrayContaining(['report_metrics', 'reports', 'agencies', 'facts', 'metrics', 'issues']));
		expect(v.errors).toEqual([]);
		await v.context.close();
	});

	it('cancels a long query and stays usable', async () => {
		const v = await visit('/?tab=data');
		await engineReady(v.page);
		await v.page.fill('[data-testid="sql-input"]', 'SELECT sum(hash(range)) AS h FROM range(10000000000)');
		await v.page.click('[data-testid="sql-run"]');
		await v.page.waitForSelector('[data-testid="sql-status"][data-state="running"]');
		await v.page.waitForTimeout(1000);
		// still running after a second: it is slow, not finished
		expect(await v.page.getAttribute('[data-view="data"]', 'data-running')).toBe('true');
		// the page answers while DuckDB works in its worker
		const t0 = Date.now();
		expect(await v.page.evaluate(() => 1 + 1)).toBe(2);
		expect(Date.now() - t0).toBeLessThan(1000);
		await v.page.click('[data-testid="sql-cancel"]');
		const cancelled = v.page.locator('[data-testid="sql-status"][data-state="cancelled"]');
		await cancelled.waitFor({ timeout: 10_000 });
		expect(Date.now() - t0).toBeLessThan(10_000);
		expect(await cancelled.innerText()).toContain('查询已取消');
		await v.page.screenshot({ path: join(SHOTS, 'sql-cancelled.png') });
		await v.page.fill('[data-testid="sql-input"]', 'SELECT 42 AS answer');
		await v.page.click('[data-testid="sql-run"]');
		await v.page.waitForSelector('[data-testid="sql-status"][data-state="done"]');
		expect(await v.page.locator('[data-testid="sql-result"] tbody td').first().innerText()).toBe('42');
		expect(v.errors).toEqual([]);
		await v.context.close();
	});
});

describe('导入 upload', () => {
	it.skipIf(!hasCorpus)(
		'parses real reports in the worker (no request leaves the page), replaces the same agency-year, and a new agency joins the compare view',
		async () => {
			// a copy of a real report under another agency's name: a body the data does not have
			const renamed = join(site.tmp, 'zhoukou-transport-2023.txt');
			writeFileSync(
				renamed,
				readFileSync(join(CORPUS, 'zhoukou-police-2023.txt'), 'utf8').replaceAll('周口市公安局', '周口市交通运输局').replaceAll('市公安局', '市交通运输局')
			);
			const v = await visit('/?tab=upload');
			await engineReady(v.page);
			const before = v.requests.length;
			await v.page.setInputFiles('input[name=report-files]', [join(CORPUS, 'zhoukou-police-2023.txt'), join(CORPUS, 'hongze-gov-2024.pdf'), renamed]);
			await v.page.waitForFunction(() => document.querySelectorAll('[data-upload][data-status="added"]').length === 3, null, { timeout: 60_000 });
			// nothing was sent anywhere: only the worker's own code and pdf.js data files, fetched from this site, and the
			// dataset's own parts of agencies and report_metrics (read in full before rows are added: db/start.ts)
			const during = v.requests.slice(before);
			expect(during.filter((r) => r.method !== 'GET')).toEqual([]);
			expect(during.filter((r) => !r.url.startsWith(site.server.origin + '/'))).toEqual([]);
			expect(
				during
					.map((r) => new URL(r.url).pathname)
					.filter((p) => !p.startsWith('/_app/immutable/') && !p.startsWith('/pdfjs/') && !/^\/start\/(agencies|report_metrics)-\d+\.parquet$/.test(p))
			).toEqual([]);

			const item = (name: string) => v.page.locator(`[data-upload="${name}"]`);
			expect(await item('zhoukou-police-2023.txt').locator('[data-testid="replaced"]').innerText()).toContain('reports/zhoukou-police-2023.txt');
			expect(await item('zhoukou-police-2023.txt').locator('[data-testid="checks-ok"]').count()).toBe(1);
			expect(await item('hongze-gov-2024.pdf').innerText()).toContain('淮安市洪泽区人民政府');
			expect(await item('hongze-gov-2024.pdf').locator('[data-testid="replaced"]').innerText()).toContain('reports/hongze-gov-2024.pdf');
			expect(await item('zhoukou-transport-2023.txt').innerText()).toContain('新机关');
			expect(Number(await item('hongze-gov-2024.pdf').locator('[data-parse-ms]').getAttribute('data-parse-ms'))).toBeGreaterThan(0);
			await v.page.screenshot({ path: join(SHOTS, 'upload-reports.png'), fullPage: true });

			// the new agency in the compare view, with the uploaded report's numbers (grant rate 4 ÷ 15)
			await item('zhoukou-transport-2023.txt').locator('[data-testid="open-compare"]').click();
			await v.page.waitForSelector('[data-view="compare"][data-busy="false"] [data-testid="compare-table"]', { timeout: 30_000 });
			expect(await v.page.locator('[data-testid="chips"]').innerText()).toContain('周口市交通运输局');
			const cell = await v.page.locator('[data-testid="compare-table"] tbody tr').first().locator('td[data-year="2023"]').innerText();
			expect(cell.trim()).toBe(`${((4 / 15) * 100).toFixed(1)}%`);
			// it can be found by name like any other agency
			await v.page.fill('input[name=agency-search]', '周口');
			expect(await v.page.locator('.matches').innerText()).toContain('周口市公安局');
			await v.page.screenshot({ path: join(SHOTS, 'upload-in-compare.png'), fullPage: true });

			// and in the SQL console's views
			await v.page.click('#tab-data');
			await v.page.fill('[data-testid="sql-input"]', "SELECT source_file FROM reports WHERE agency LIKE '周口市%' ORDER BY agency");
			await v.page.click('[data-testid="sql-run"]');
			await v.page.waitForSelector('[data-testid="sql-status"][data-state="done"]');
			expect(await v.page.locator('[data-testid="sql-result"] tbody').innerText()).toContain('上传：zhoukou-transport-2023.txt');
			expect(v.errors).toEqual([]);
			await v.context.close();
		}
	);

	it('shows a clear error for an empty file, an image and a PDF without tables (read with the CMaps the app serves)', async () => {
		const empty = join(site.tmp, 'empty.txt');
		writeFileSync(empty, '');
		const png = join(site.tmp, 'scan.png');
		// a real PNG: signature, IHDR of a 1×1 image, IEND
		writeFileSync(
			png,
			Buffer.from(
				'89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4c70000000049454e44ae426082',
				'hex'
			)
		);
		const v = await visit('/?tab=upload');
		await v.page.waitForSelector('[data-mounted="true"]');
		await v.page.setInputFiles('input[name=report-files]', [empty, png]);
		await v.page.waitForFunction(() => document.querySelectorAll('[data-upload][data-status="failed"]').length === 2, null, { timeout: 60_000 });
		const err = (name: string) => v.page.locator(`[data-upload="${name}"] [role="alert"]`);
		expect(await err('empty.txt').getAttribute('data-error-code')).toBe('empty');
		expect(await err('empty.txt').innerText()).toContain('文件为空');
		expect(await err('scan.png').getAttribute('data-error-code')).toBe('binary');
		expect(await err('scan.png').innerText()).toContain('图片文件');

		// A PDF whose Chinese font is not embedded (UniGB-UCS2-H): pdf.js reads the CMap the app serves under
		// /pdfjs/cmaps/ and finds the text, which has no tables: the parser says so (not "no text layer").
		const cjk = join(site.tmp, 'no-tables.pdf');
		writeFileSync(
			cjk,
			writePdf({
				title: '测试县交通运输局2023年政府信息公开工作年度报告',
				pages: [
					{
						texts: [
							{ x: 100, y: 760, text: '测试县交通运输局2023年政府信息公开工作年度报告', size: 16 },
							{ x: 72, y: 720, text: '一、总体情况', size: 12 },
							{ x: 72, y: 700, text: '本机关认真贯彻落实《中华人民共和国政府信息公开条例》。', size: 12 }
						]
					}
				]
			})
		);
		const before = v.requests.length;
		await v.page.setInputFiles('input[name=report-files]', cjk);
		await v.page.waitForSelector('[data-upload="no-tables.pdf"][data-status="failed"]', { timeout: 60_000 });
		expect(await err('no-tables.pdf').getAttribute('data-error-code')).toBe('no_tables');
		expect(await err('no-tables.pdf').innerText()).toContain('找不到三张标准表格');
		const fetched = v.requests.slice(before).map((r) => new URL(r.url).pathname);
		expect(fetched).toContain('/pdfjs/cmaps/UniGB-UCS2-H.bcmap');
		await v.page.screenshot({ path: join(SHOTS, 'upload-errors.png'), fullPage: true });
		expect(v.errors).toEqual([]);
		await v.context.close();
	});
});

describe('chart exports', () => {
	it('every chart offers its data as CSV and itself as PNG and SVG with title, filters, source, version and date', async () => {
		const v = await visit('/?level=%E5%8E%BF');
		await v.page.waitForSelector('[data-view="overview"][data-source="duckdb"][data-busy="false"] [data-chart="requests"] svg', { timeout: 60_000 });
		const card = v.page.locator('[data-chart-card="requests"]');

		const csv = await downloaded(v.page, () => card.locator('[data-export="csv"]').click());
		expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const lines = csv.bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
		// With each metric's shift by the reports that break their own arithmetic (the ▲ rule's measure).
		expect(lines[0]).toBe('年份,本年新收申请,办理总计,报告数,勾稽不符,本年新收申请：自身不符报告的影响,办理总计：自身不符报告的影响');
		const county = new Set(agencies.filter((a) => a.level === '县').map((a) => a.id));
		const first = Math.min(...reports.filter((r) => county.has(r.agency_id)).map((r) => Number(r.year)));
		// The totals add up the bodies' own reports (the aggregate ones contain them).
		const own = new Set(reports.filter((r) => r.scope === 'own').map((r) => r.report_id));
		const received = sum(metricRows('requests_received', (m) => county.has(m.agency_id) && Number(m.year) === first && own.has(m.report_id)));
		expect(lines[1].split(',').slice(0, 2)).toEqual([String(first), String(received)]);

		const svg = await downloaded(v.page, () => card.locator('[data-export="svg"]').click());
		expect(svg.name).toMatch(/\.svg$/);
		const text = svg.bytes.toString('utf8');
		expect(text.startsWith('<svg')).toBe(true);
		expect(text).toContain('申请数量'); // the title
		expect(text).toContain(`数据版本 ${manifest.dataset_version}`);
		expect(text).toContain('层级 县'); // the filters
		expect(text).toContain(`导出于 ${new Date().toISOString().slice(0, 10)}`);
		expect(text).toContain('本年新收申请'); // the legend
		writeFileSync(join(SHOTS, 'export-requests.svg'), svg.bytes);

		const png = await downloaded(v.page, () => card.locator('[data-export="png"]').click());
		expect(png.name).toMatch(/\.png$/);
		expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
		const width = png.bytes.readUInt32BE(16);
		const height = png.bytes.readUInt32BE(20);
		expect(width).toBeGreaterThan(600); // drawn at 2×
		expect(height).toBeGreaterThan(400);
		expect(png.bytes.length).toBeGreaterThan(20_000);
		writeFileSync(join(SHOTS, 'export-requests.png'), png.bytes);

		// small multiples export as one image too
		const ids = agencies
			.filter((a) => a.level === '县')
			.map((a) => a.id)
			.slice(0, 4);
		await v.page.goto(`${site.server.origin}/?tab=compare&ag=${ids.join(',')}&chart=multiples`);
		await v.page.waitForSelector('[data-view="compare"][data-busy="false"] [data-chart="compare"] figure svg', { timeout: 60_000 });
		const multi = await downloaded(v.page, () => v.page.locator('[data-chart-card="compare"] [data-export="png"]').click());
		expect([...multi.bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
		writeFileSync(join(SHOTS, 'export-multiples.png'), multi.bytes);
		expect(v.errors).toEqual([]);
		await v.context.close();
	});
});
