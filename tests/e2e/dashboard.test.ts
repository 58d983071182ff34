import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BUILD, datasetTable, openPage, serve, serveBuildCopy, type Opened, type Row, type Site, type StaticServer } from './harness';
import { describeAgency } from '../../src/lib/agencies/index';
import { PART_TABLES, START_INDEX, START_TABLES, partFile, startFile } from '../../src/lib/db/start';
import { TABLE_NAMES } from '../../src/lib/dataset/columns';

// The dashboard in headless Chromium, served from build/ on 127.0.0.1.

const SHOTS = join(process.cwd(), 'test-results');
const DATA = join(process.cwd(), 'static/data');

interface Manifest {
	dataset_version: string;
	files: Record<string, string[]>;
}
const manifest: Manifest = JSON.parse(readFileSync(join(DATA, 'manifest.json'), 'utf8'));

const table = (name: string) => datasetTable(DATA, name);

let site: Site;
/** Expected numbers, straight from the Parquet rows (not through the app's code). */
let expected: { lastYear: number; received: number; grantRate: number; agencies: number; reports: number; township: { agencies: number; reports: number } };
let agencies: Row[];
let reports: Row[];
let metrics: Row[];
let issues: Row[];
const idOf = (name: string) => String(agencies.find((a) => a.name === name)?.id);

interface Visit extends Opened {
	requests: string[];
}

/** A fresh page on `path` that may use the clipboard, recording every request it makes; `slowWasmMs` holds the engine's download back. */
async function visit(path: string, opts: { width?: number; origin?: string; slowWasmMs?: number } = {}): Promise<Visit> {
	const requests: string[] = [];
	const opened = await openPage(site.browser, (opts.origin ?? site.server.origin) + path, opts.width, {
		consoleErrors: true,
		prepare: async (context) => {
			await context.grantPermissions(['clipboard-read', 'clipboard-write']);
			context.on('request', (r) => requests.push(r.url()));
			if (opts.slowWasmMs)
				await context.route('**/*.wasm', async (route) => {
					await new Promise((r) => setTimeout(r, opts.slowWasmMs));
					await route.continue();
				});
		}
	});
	return { ...opened, requests };
}

const engineReady = (page: Page) => page.waitForSelector('[data-engine="ready"]', { timeout: 60_000 });
const kpi = (page: Page, id: string) => page.locator(`[data-kpi="${id}"] .kpi-value`);

beforeAll(async () => {
	mkdirSync(SHOTS, { recursive: true });
	site = await serveBuildCopy('nianbao-dashboard-');
	metrics = await table('metrics');
	reports = await table('reports');
	agencies = await table('agencies');
	issues = await table('issues');
	const township = new Set(agencies.filter((a) => a.level === '乡').map((a) => a.id));
	const lastYear = Math.max(...reports.map((r) => Number(r.year)));
	// Totals add up the bodies' own reports (scope 'own'): never an aggregate report beside its units.
	const ownReports = reports.filter((r) => r.scope === 'own');
	const own = new Set(ownReports.map((r) => r.report_id));
	const rows = (metric: string) => metrics.filter((m) => m.metric === metric && Number(m.year) === lastYear && own.has(m.report_id));
	const withRate = new Set(rows('grant_rate').map((m) => m.report_id));
	const sum = (metric: string) =>
		rows(metric)
			.filter((m) => withRate.has(m.report_id))
			.reduce((a, m) => a + Number(m.value), 0);
	expected = {
		lastYear,
		received: rows('requests_received').reduce((a, m) => a + Number(m.value), 0),
		grantRate: sum('outcome_granted') / sum('requests_processed'),
		agencies: new Set(ownReports.map((r) => r.agency_id)).size,
		reports: ownReports.length,
		// level 乡 from 2022 on: the filters the test sets
		township: { agencies: township.size, reports: reports.filter((r) => township.has(r.agency_id) && Number(r.year) >= 2022).length }
	};
});

afterAll(() => site?.close());

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

describe('dashboard in Chromium', () => {
	it('prerenders the default overview: numbers in the HTML, chart drawn before DuckDB is ready', async () => {
		const html = await (await fetch(site.server.origin + '/')).text();
		expect(html).toContain(`data-kpi="requests_received"`);
		expect(html).toContain(`data-value="${expected.received}"`);
		expect(html).toContain(pct(expected.grantRate));
		expect(html).toContain('关于数据');

		// Hold the wasm back so "before DuckDB" cannot be a race we happen to win.
		const v = await visit('/', { slowWasmMs: 4000 });
		await v.page.waitForSelector('[data-chart="requests"] svg', { timeout: 15_000 });
		expect(await v.page.getAttribute('[data-engine]', 'data-engine')).not.toBe('ready');
		expect(await v.page.getAttribute('[data-view="overview"]', 'data-source')).toBe('prerender');
		await v.page.screenshot({ path: join(SHOTS, 'overview-before-duckdb.png'), fullPage: true });
		expect((await kpi(v.page, 'requests_received').textContent())?.trim()).toBe(expected.received.toLocaleString('zh-CN'));
		expect((await kpi(v.page, 'grant_rate').textContent())?.trim()).toBe(pct(expected.grantRate));
		await engineReady(v.page);
		expect(v.errors).toEqual([]);
		await v.context.close();
	});

	it('starts DuckDB from bundled files only: no request leaves 127.0.0.1', async () => {
		const v = await visit('/');
		await engineReady(v.page);
		// an interaction that queries DuckDB
		await v.page.selectOption('select[name=level]', '县');
		await v.page.waitForSelector('[data-view="overview"][data-source="duckdb"][data-busy="false"]');
		const outside = v.requests.filter((u) => !u.startsWith(site.server.origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:'));
		expect(outside).toEqual([]);
		expect(v.requests.some((u) => u.endsWith('.wasm'))).toBe(true);
		// the tables read on demand from the dataset's files, checked at start, once each; agencies and report_metrics come from the build's parts
		expect(v.requests.filter((u) => u.includes('/data/') && u.endsWith('.parquet'))).toHaveLength(
			TABLE_NAMES.filter((t) => !(PART_TABLES as readonly string[]).includes(t)).reduce((n, t) => n + manifest.files[t].length, 0)
		);
		// the start tables, then the first part of each part table (the report matrix), once each
		const start = v.requests.filter((u) => u.includes('/start/')).map((u) => u.slice(u.indexOf('/start/') + 7));
		expect(start.sort()).toEqual([START_INDEX, ...START_TABLES.map(startFile), ...PART_TABLES.map((t) => partFile(t, 0))].sort());
		expect(v.errors).toEqual([]);
		await v.context.close();
	});

	it('changing filters re-queries, redraws the chart and writes the URL', async () => {
		const v = await visit('/');
		await engineReady(v.page);
		const before = Number(await v.page.getAttribute('[data-chart="requests"]', 'data-rendered'));
		await v.page.selectOption('select[name=from]', '2022');
		await v.page.waitForFunction(() => new URLSearchParams(location.search).get('from') === '2022');
		await v.page.waitForSelector('[data-view="overview"][data-source="duckdb"][data-busy="false"]');
		await v.page.waitForFunction((n) => Number(document.querySelector('[data-chart="requests"]')?.getAttribute('data-rendered')) > n, before);
		const ticks = await v.page.locator('[data-chart="requests"] svg [aria-label="x-axis tick label"] text').allTextContents();
		expect(ticks).toEqual(['2022', '2023', '2024', '2025']);
		expect(await v.page.textContent('[data-testid="scope"]')).toContain('2022–2025');
		expect(new URL(v.page.url()).searchParams.get('v')).toBe(manifest.dataset_version);

		await v.page.selectOption('select[name=level]', '乡');
		await v.page.waitForFunction(() => new URLSearchParams(location.search).get('level') === '乡');
		await v.page.waitForSelector('[data-view="overview"][data-busy="false"]');
		const scope = await v.page.textContent('[data-testid="scope"]');
		expect(scope).toMatch(new RegExp(`^${expected.township.agencies} 个机关 · ${expected.township.reports} 份报告`));
		await v.page.screenshot({ path: join(SHOTS, 'overview-filtered.png'), fullPage: true });
		expect(v.errors).toEqual([]);
		await v.context.close();
	});

	it('a copied link reopens the same view', async () => {
		const v = await visit('/');
		await engineReady(v.page);
		await v.page.selectOption('select[name=cat]', '人民政府');
		await v.page.fill('input[name=q]', '平潭');
		await v.page.waitForFunction(() => new URLSearchParams(location.search).get('q') === '平潭');
		await v.page.waitForSelector('[data-view="overview"][data-busy="false"]');
		await v.page.click('[data-testid="copy-link"]');
		const link = await v.page.inputValue('[data-testid="share-url"]');
		expect(await v.page.evaluate(() => navigator.clipboard.readText())).toBe(link);
		const url = new URL(link);
		expect(url.searchParams.get('cat')).toBe('人民政府');
		expect(url.searchParams.get('v')).toBe(manifest.dataset_version);
		const scope = await v.page.textContent('[data-testid="scope"]');
		const received = await kpi(v.page, 'requests_received').textContent();
		await v.context.close();

		const w = await visit(url.pathname + url.search);
		await w.page.waitForSelector('[data-view="overview"][data-source="duckdb"][data-busy="false"]', { timeout: 60_000 });
		expect(await w.page.inputValue('select[name=cat]')).toBe('人民政府');
		expect(await w.page.inputValue('input[name=q]')).toBe('平潭');
		expect(await w.page.textContent('[data-testid="scope"]')).toBe(scope);
		expect(await kpi(w.page, 'requests_received').textContent()).toBe(received);
		expect(await w.page.locator('[data-testid="stale-banner"]').count()).toBe(0);
		expect(w.errors).toEqual([]);
		await w.context.close();
	});

	it('a link from an older dataset says so and offers the current numbers', async () => {
		const v = await visit('/?from=2022&v=0123456789ab');
		const banner = v.page.locator('[data-testid="stale-banner"]');
		await banner.waitFor();
		expect(await banner.textContent()).toContain('0123456789ab');
		expect(await banner.textContent()).toContain(manifest.dataset_version);
		await v.page.waitForSelector('[data-view="overview"][data-source="duckdb"][data-busy="false"]', { timeout: 60_000 });
		await v.page.screenshot({ path: join(SHOTS, 'stale-link.png') });
		await banner.getByRole('button', { name: '改用当前数据的链接' }).click();
		await v.page.waitForFunction((ver) => new URLSearchParams(location.search).get('v') === ver, manifest.dataset_version);
		expect(await banner.count()).toBe(0);
		expect(new URL(v.page.url()).searchParams.get('from')).toBe('2022');
		expect(v.errors).toEqual([]);
		await v.context.close();
	});

	it('unknown and malformed parameters are reported, never a crash', async () => {
		const v = await visit(
			`/?tab=nope&m=no_such_metric&ag=zzz,${describeAgency('平潭综合实验区').id}&from=1999&level=%E6%98%9F&xyz=%3Cscript%3Ealert(1)%3C/script%3E`
		);
		const notices = v.page.locator('[data-testid="notices"]');
		await notices.waitFor();
		const codes = await notices.locator('[data-notice]').evaluateAll((els) => els.map((e) => e.getAttribute('data-notice')));
		expect(codes).toEqual(expect.arrayContaining(['unknown_param', 'unknown_tab', 'unknown_metric', 'unknown_agency', 'bad_year', 'unknown_value']));
		const text = await notices.textContent();
		expect(text).toContain('<script>alert(1)</script>'); // shown as text
		expect(await v.page.locator('script:text("alert(1)")').count()).toBe(0);
		await v.page.waitForSelector('[data-view="overview"] [data-chart="requests"] svg');
		await v.page.screenshot({ path: join(SHOTS, 'unknown-params.png') });
		expect(v.errors).toEqual([]);
		await v.context.close();
	});

	it('tabs are links to the pages, and work from the keyboard', async () => {
		const v = await visit('/');
		await v.page.waitForSelector('[data-mounted="true"]');
		expect(await v.page.getAttribute('#tab-compare', 'href')).toMatch(/^\/compare(\?|$)/);
		await v.page.focus('#tab-overview');
		await v.page.keyboard.press('ArrowRight');
		await v.page.waitForFunction(() => location.pathname === '/compare');
		expect(await v.page.evaluate(() => document.activeElement?.id)).toBe('tab-compare');
		await v.page.keyboard.press('End');
		await v.page.waitForFunction(() => location.pathname === '/builder'); // the last tab
		await v.page.keyboard.press('Home');
		await v.page.waitForFunction(() => location.pathname === '/');
		expect(await v.page.getAttribute('#tab-overview', 'aria-current')).toBe('page');
		// Tab + Enter follows a link like any other
		await v.page.focus('#tab-outcomes');
		await v.page.keyboard.press('Enter');
		await v.page.waitForSelector('[data-view="outcomes"]');
		expect(new URL(v.page.url()).pathname).toBe('/outcomes');
		expect(await v.page.getAttribute('#tab-outcomes', 'aria-current')).toBe('page');
		expect(v.errors).toEqual([]);
		await v.context.close();
	});

	it('every view is a page of its own, prerendered, that a link opens directly', async () => {
		for (const [path, view] of [
			['/compare', 'compare'],
			['/outcomes', 'outcomes'],
			['/agency', 'agency'],
			['/data', 'data'],
			['/upload', 'upload'],
			['/builder', 'builder']
		]) {
			const res = await fetch(`${site.server.origin}${path}`);
			expect(res.status, path).toBe(200);
			expect(await res.text(), path).toContain(`data-view="${view}"`);
		}
		// added in the picker's order: by name, then id
		const police = agencies
			.filter((a) => a.category === '公安')
			.sort((a, b) => (String(a.name) < String(b.name) ? -1 : String(a.name) > String(b.name) ? 1 : String(a.id) < String(b.id) ? -1 : 1))
			.map((a) => String(a.id));
		const v = await visit(`/compare?ag=${police.join(',')}&m=requests_received&chart=bars`);
		await v.page.waitForSelector('[data-view="compare"][data-busy="false"] [data-chart="compare"] svg', { timeout: 60_000 });
		expect(await v.page.getAttribute('#tab-compare', 'aria-current')).toBe('page');
		expect(await v.page.locator('[data-testid="chips"] li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-agency')))).toEqual(police);
		expect(await v.page.inputValue('select[name=metric]')).toBe('requests_received');
		expect(v.errors).toEqual([]);
		await v.context.close();

		// the layout's banners and notices on any page
		const w = await visit('/outcomes?by=agency&v=0123456789ab&nope=1');
		await w.page.locator('[data-testid="stale-banner"]').waitFor();
		expect(await w.page.locator('[data-testid="notices"] [data-notice="unknown_param"]').count()).toBe(1);
		await w.page.waitForSelector('[data-view="outcomes"][data-busy="false"] [data-chart="outcome-shares"] svg', { timeout: 60_000 });
		expect(await w.page.getAttribute('[data-by="agency"]', 'aria-checked')).toBe('true');
		expect(w.errors).toEqual([]);
		await w.context.close();
	});

	it('an old ?tab= link opens the page of its view, with the same state, for every view', async () => {
		const id = String(agencies[0].id);
		const cases: [string, string, string][] = [
			['overview', '', '/'],
			['compare', `&ag=${id}&chart=bars`, `/compare?ag=${id}&chart=bars`],
			['outcomes', '&by=agency&drill=unable', '/outcomes?by=agency&drill=unable'],
			['agency', `&a=${id}`, `/agency?a=${id}`],
			['data', '&sql=SELECT%201', '/data?sql=SELECT+1'],
			['upload', '&lang=en', '/upload?lang=en']
		];
		// a page opened without a redirect: the history a replaced entry keeps
		const plain = await visit('/');
		await plain.page.waitForSelector('[data-mounted="true"]');
		const entries = await plain.page.evaluate(() => history.length);
		await plain.context.close();
		for (const [tab, rest, expected] of cases) {
			const v = await visit(`/?tab=${tab}${rest}&v=${manifest.dataset_version}`);
			await v.page.waitForSelector(`[data-mounted="true"] [data-view="${tab}"]`, { timeout: 60_000 });
			const url = new URL(v.page.url());
			expect(url.pathname + url.search, tab).toBe(`${expected}${expected.includes('?') ? '&' : '?'}v=${manifest.dataset_version}`);
			expect(await v.page.getAttribute(`#tab-${tab}`, 'aria-current'), tab).toBe('page');
			// replaced, not pushed: Back leaves the site rather than returning to the old link
			expect(await v.page.evaluate(() => history.length), tab).toBe(entries);
			expect(await v.page.locator('[data-testid="notices"]').count(), tab).toBe(0);
			expect(v.errors, tab).toEqual([]);
			await v.context.close();
		}
	});

	it('fits a 390 px phone screen', async () => {
		const v = await visit('/', { width: 390 });
		await v.page.waitForSelector('[data-chart="requests"] svg');
		await engineReady(v.page);
		const overflow = await v.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		expect(overflow).toBeLessThanOrEqual(0);
		await v.page.screenshot({ path: join(SHOTS, 'overview-390.png'), fullPage: true });
		await v.context.close();
	});

	describe('broken data', () => {
		let dir: string;
		let broken: StaticServer;
		beforeAll(async () => {
			dir = mkdtempSync(join(tmpdir(), 'nianbao-broken-'));
			cpSync(BUILD, dir, { recursive: true });
		});
		// Each test breaks one file of a whole dataset: the file an earlier test broke would otherwise race it for the error shown.
		beforeEach(() => {
			rmSync(join(dir, 'data'), { recursive: true, force: true });
			cpSync(join(BUILD, 'data'), join(dir, 'data'), { recursive: true });
		});
		afterAll(async () => {
			await broken?.close();
			rmSync(dir, { recursive: true, force: true });
		});

		it('a corrupt Parquet file gives an error page naming it', async () => {
			const file = manifest.files.facts[0];
			writeFileSync(join(dir, 'data', file), 'PAR1 this is not parquet at all PAR1');
			broken = await serve(dir);
			const v = await visit('/', { origin: broken.origin });
			await v.page.waitForSelector('[data-engine="error"]', { timeout: 60_000 });
			const alert = v.page.locator('[data-error]');
			expect(await alert.getAttribute('data-error')).toBe('file_corrupt');
			expect(await alert.textContent()).toContain(`数据文件 ${file} 已损坏`);
			await v.page.screenshot({ path: join(SHOTS, 'error-corrupt.png') });
			await v.context.close();
			await broken.close();
		});

		it('a missing Parquet file gives an error page naming it', async () => {
			const file = manifest.files.metrics[0];
			rmSync(join(dir, 'data', file));
			broken = await serve(dir);
			const v = await visit('/', { origin: broken.origin });
			await v.page.waitForSelector('[data-engine="error"]', { timeout: 60_000 });
			const alert = v.page.locator('[data-error]');
			expect(await alert.getAttribute('data-error')).toMatch(/file_missing|file_corrupt/);
			expect(await alert.textContent()).toContain(file);
			await v.context.close();
			await broken.close();
		});

		it('a dataset written by an older ingest (one file per table) is named as such, not as damaged', async () => {
			const old = { ...manifest, schema_version: 7, files: Object.fromEntries(Object.entries(manifest.files).map(([t, parts]) => [t, parts[0]])) };
			for (const f of ['manifest.json', 'manifest.json.br', 'manifest.json.gz']) rmSync(join(dir, 'data', f), { force: true });
			writeFileSync(join(dir, 'data', 'manifest.json'), JSON.stringify(old));
			broken = await serve(dir);
			const v = await visit('/', { origin: broken.origin });
			await v.page.waitForSelector('[data-engine="error"]', { timeout: 60_000 });
			const alert = v.page.locator('[data-error]');
			expect(await alert.getAttribute('data-error')).toBe('manifest_version');
			expect(await alert.textContent()).toContain('由另一版本的 ingest 写成');
			await v.page.screenshot({ path: join(SHOTS, 'error-old-manifest.png') });
			await v.context.close();
		});
	});
});

describe('compare and agency views', () => {
	const metricValue = (agencyId: string, metric: string, year: number) =>
		metrics.find((m) => m.agency_id === agencyId && m.metric === metric && Number(m.year) === year)?.value as number | undefined;

	it('builds a comparison from name search and a whole category, ranks it, and the link reproduces it', async () => {
		const v = await visit('/?tab=compare');
		await engineReady(v.page);
		await v.page.fill('input[name=agency-search]', '财政');
		await v.page.press('input[name=agency-search]', 'Enter');
		await v.page.waitForFunction(() => (new URLSearchParams(location.search).get('ag') ?? '').length > 0);
		await v.page.selectOption('select[name=add-category]', '公安');
		await v.page.getByRole('button', { name: '添加' }).first().click();
		// added in the picker's order: by name, then id
		const police = agencies
			.filter((a) => a.category === '公安')
			.sort((a, b) => (String(a.name) < String(b.name) ? -1 : String(a.name) > String(b.name) ? 1 : String(a.id) < String(b.id) ? -1 : 1))
			.map((a) => String(a.id));
		const finance = idOf('平潭综合实验区财政金融局');
		await v.page.waitForFunction((n) => (new URLSearchParams(location.search).get('ag') ?? '').split(',').length === n, 1 + police.length);
		expect(new URL(v.page.url()).searchParams.get('ag')).toBe([finance, ...police].join(','));

		await v.page.getByRole('radio', { name: '比率' }).click();
		await v.page.waitForFunction(() => new URLSearchParams(location.search).get('m') === null); // grant_rate is the default rate
		await v.page.selectOption('select[name=metric]', 'not_held_rate');
		await v.page.click('[data-chart-kind="bars"]');
		await v.page.selectOption('select[name=year]', '2022');
		await v.page.waitForFunction(() => new URLSearchParams(location.search).get('year') === '2022');
		await v.page.waitForSelector('[data-view="compare"][data-busy="false"] [data-chart="compare"] svg');

		// ranks follow the values of the ranking year, straight from the Parquet rows
		const ids = [finance, ...police];
		const values = ids.map((id) => ({ id, v: metricValue(id, 'not_held_rate', 2022) })).filter((x): x is { id: string; v: number } => x.v !== undefined);
		values.sort((a, b) => b.v - a.v);
		const order = await v.page.locator('[data-testid="compare-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-agency')));
		expect(order.slice(0, values.length)).toEqual(values.map((x) => x.id));
		expect(await v.page.locator('[data-chart="compare"] svg [aria-label="bar"] rect').count()).toBe(values.length);

		// sort by name, then copy the link
		await v.page.getByRole('button', { name: '机关 · 按此列排序' }).click();
		await v.page.waitForFunction(() => new URLSearchParams(location.search).get('sort') === 'name');
		await v.page.screenshot({ path: join(SHOTS, 'compare-bars.png'), fullPage: true });
		const tableText = await v.page.locator('[data-testid="compare-table"]').innerText();
		await v.page.click('[data-testid="copy-link"]');
		const link = new URL(await v.page.inputValue('[data-testid="share-url"]'));
		// the link names the page, not a tab
		expect(link.pathname).toBe('/compare');
		expect(link.searchParams.has('tab')).toBe(false);
		await v.context.close();

		const w = await visit(link.pathname + link.search);
		await w.page.waitForSelector('[data-view="compare"][data-busy="false"] [data-chart="compare"] svg', { timeout: 60_000 });
		expect(await w.page.getAttribute('#tab-compare', 'aria-current')).toBe('page');
		expect(await w.page.inputValue('select[name=metric]')).toBe('not_held_rate');
		expect(await w.page.inputValue('select[name=year]')).toBe('2022');
		expect(await w.page.getAttribute('[data-chart-kind="bars"]', 'aria-checked')).toBe('true');
		expect(await w.page.locator('[data-testid="chips"] li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-agency')))).toEqual(ids);
		expect(await w.page.locator('[data-testid="compare-table"]').innerText()).toBe(tableText);
		expect(w.errors).toEqual([]);
		await w.context.close();
	});

	it('shows 不适用, never 0, where a report’s template lacks the metric', async () => {
		const pingtan = idOf('平潭综合实验区');
		const v = await visit(`/?tab=compare&ag=${pingtan}&m=fee_revenue`);
		await v.page.waitForSelector('[data-view="compare"][data-busy="false"] [data-testid="compare-table"]', { timeout: 60_000 });
		const templateOf = (year: number) => reports.find((r) => r.agency_id === pingtan && Number(r.year) === year)?.template;
		for (const year of [2019, 2020, 2022]) {
			const cell = await v.page.locator(`[data-testid="compare-table"] tr[data-agency="${pingtan}"] td[data-year="${year}"]`).innerText();
			if (templateOf(year) === '2019') expect(cell.trim()).toBe('不适用');
			else expect(cell).toContain('万元');
		}
		await v.context.close();
	});

	it('profiles one agency: every year, broken rules with their places, the printed tables and the source file', async () => {
		const id = idOf('平潭综合实验区海坛片区管理局');
		const own = reports.filter((r) => r.agency_id === id).sort((a, b) => Number(a.year) - Number(b.year));
		const broken = own.find((r) => r.status === 'broken_rules')!;
		const v = await visit(`/?tab=agency&a=${id}&year=${broken.year}`);
		await v.page.waitForSelector('[data-view="agency"][data-ready="true"]', { timeout: 60_000 });
		await v.page.waitForSelector('[data-chart="agency-outcomes"] svg');
		expect(await v.page.textContent('#agency-name')).toBe('平潭综合实验区海坛片区管理局');
		const rows = v.page.locator('table.reports tbody tr');
		expect(await rows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-report-year'), tr.getAttribute('data-status')]))).toEqual(
			own.map((r) => [String(r.year), r.status])
		);
		expect(await v.page.textContent('[data-testid="source-file"]')).toBe(broken.source_file);
		const ownIssues = issues.filter((i) => own.some((r) => r.report_id === i.report_id));
		expect(await v.page.locator('[data-testid="issues"] li').count()).toBe(ownIssues.length);
		const firstIssue = ownIssues.find((i) => i.report_id === broken.report_id)!;
		expect(await v.page.locator('[data-testid="issues"]').innerText()).toContain(String(firstIssue.message));
		// the broken year's printed table 三 marks the cells its broken rules are about
		expect(await v.page.locator('table[data-table="三"] td[data-issue]').count()).toBeGreaterThan(0);
		// fee revenue: 不适用 in 2019-template years
		for (const r of own) {
			const cell = (await v.page.locator(`[data-testid="key-metrics"] tr[data-metric="fee_revenue"] td[data-year="${r.year}"]`).innerText()).trim();
			if (r.template === '2019') expect(cell).toBe('不适用');
			else expect(cell).not.toBe('不适用');
		}
		await v.page.screenshot({ path: join(SHOTS, 'agency-profile.png'), fullPage: true });
		expect(v.errors).toEqual([]);
		await v.context.close();
	});

	it('switches to English and keeps it in the link', async () => {
		const v = await visit('/?tab=agency');
		await v.page.waitForSelector('[data-mounted="true"]');
		await v.page.getByRole('button', { name: 'Switch to English' }).click();
		await v.page.waitForFunction(() => new URLSearchParams(location.search).get('lang') === 'en');
		expect(await v.page.textContent('#tab-agency')).toBe('Agency');
		expect(await v.page.getAttribute('html', 'lang')).toBe('en');
		await v.context.close();
	});
});
