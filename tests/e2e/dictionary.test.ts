import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRICS } from '../../src/lib/catalog/metrics';
import { TABLES, TABLE_NAMES, type Manifest } from '../../src/lib/dataset/columns';
import { openPage, parquetRows, ROOT, serveBuildCopy, type Site } from './harness';

// The whole dataset, documented, and the original one click away: the data
// dictionary against columns.ts and the catalog, the download links against
// the files in static/data, and the profile's source links against the
// corpus's own truth files and records (read here from disk, not from the app).

const SHOTS = join(ROOT, 'test-results');
const DATA = join(ROOT, 'static/data');
const CORPUS = join(ROOT, '..', 'shared', 'corpus');
const manifest = JSON.parse(readFileSync(join(DATA, 'manifest.json'), 'utf8')) as Manifest;
let site: Site;
let agencies: Record<string, unknown>[];

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const visit = (path: string, width = 1280) => openPage(site.browser, site.server.origin + path, width);
const engineReady = (page: Page) => page.waitForSelector('[data-engine="ready"]', { timeout: 60_000 });
const idOf = (name: string) => String(agencies.find((a) => a.name === name)?.id);
/** The first web address in a `_source` note, read here by its own pattern. */
const urlOf = (note: string) => /https?:\/\/[^\s)]+/.exec(note)?.[0] ?? null;

beforeAll(async () => {
	mkdirSync(SHOTS, { recursive: true });
	site = await serveBuildCopy('nianbao-dictionary-');
	agencies = await parquetRows(readFileSync(join(DATA, manifest.files.agencies[0])));
});

afterAll(() => site?.close());

describe('the data dictionary', () => {
	it('lists every column of every table with its type and a meaning, and every metric with its formula and templates', async () => {
		const v = await visit('/dictionary');
		await v.page.waitForSelector('[data-view="dictionary"]');
		expect(await v.page.title()).toBe('年报看板 · 数据字典');
		for (const table of TABLE_NAMES) {
			const rows = v.page.locator(`[data-table="${table}"] tbody tr`);
			expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-column'))), table).toEqual(TABLES[table].map(([c]) => `${table}.${c}`));
			const cells = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => (c.textContent ?? '').trim())));
			TABLES[table].forEach(([name, type, nullable], i) => {
				const [col, t, n, meaning] = cells[i];
				expect([col, t, n], `${table}.${name}`).toEqual([name, type, nullable === 'null' ? '是' : '']);
				expect(meaning.length, `${table}.${name} has a meaning`).toBeGreaterThan(3);
			});
			expect(await v.page.locator(`[data-table="${table}"]`).innerText()).toContain(`本版本 ${manifest.counts[table].toLocaleString('zh-CN')} 行`);
		}
		const metricRows = v.page.locator('tr[data-metric]');
		expect(await metricRows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-metric')))).toEqual(METRICS.map((m) => m.id));
		for (const m of METRICS) {
			const row = v.page.locator(`tr[data-metric="${m.id}"]`);
			expect(await row.locator('[data-formula]').innerText(), m.id).toContain(m.formula);
			expect(await row.locator('[data-templates]').getAttribute('data-templates'), m.id).toBe(m.templates.join(' '));
			expect(await row.innerText(), m.id).toContain(m.zh);
		}
		// A metric column of report_metrics points to its catalog entry.
		expect(await v.page.locator('tr[data-column="report_metrics.fee_revenue"] a').getAttribute('href')).toBe('#metric-fee_revenue');
		await v.page.screenshot({ path: join(SHOTS, 'dictionary-1280.png'), fullPage: true });

		// The language switch keeps the page (it is not one of the tabs).
		await v.page.getByRole('button', { name: 'Switch to English' }).click();
		await v.page.waitForFunction(() => new URLSearchParams(location.search).get('lang') === 'en');
		expect(new URL(v.page.url()).pathname).toBe('/dictionary');
		expect(await v.page.locator('#dict-title').innerText()).toBe('Data dictionary');
		expect(v.errors).toEqual([]);
		await v.context.close();
	});

	it('reads at 390 px without the page scrolling sideways', async () => {
		const v = await visit('/dictionary', 390);
		await v.page.waitForSelector('[data-view="dictionary"]');
		expect(await v.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
		await v.page.screenshot({ path: join(SHOTS, 'dictionary-390.png'), fullPage: false });
		await v.context.close();
	});
});

describe('the dataset download, linked from 关于数据', () => {
	it('links the dictionary, every Parquet file and the CSV zip; each link answers 200 with the file’s bytes', async () => {
		const v = await visit('/');
		await engineReady(v.page);
		await v.page.getByTestId('downloads-details').locator('summary').click();
		const links = await v.page
			.locator('[data-testid="downloads"] a[data-download]')
			.evaluateAll((as) =>
				as.map((a) => ({ what: a.getAttribute('data-download'), href: (a as HTMLAnchorElement).href, download: a.getAttribute('download') }))
			);
		const want = [{ what: 'csv-zip', file: manifest.csv_zip! }, ...TABLE_NAMES.flatMap((t) => manifest.files[t].map((file) => ({ what: t, file })))];
		expect(manifest.csv_zip).toMatch(/^dataset-[0-9a-f]+\.csv\.zip$/);
		expect(links.map((l) => [l.what, l.download])).toEqual(want.map((w) => [w.what, w.file]));
		for (const [i, l] of links.entries()) {
			const res = await fetch(l.href);
			expect(res.status, l.href).toBe(200);
			const body = new Uint8Array(await res.arrayBuffer());
			expect(sha256(body), l.href).toBe(sha256(readFileSync(join(DATA, want[i].file))));
		}
		// The zip is a zip: its local header signature, and the CSV names inside.
		const zip = readFileSync(join(DATA, manifest.csv_zip!));
		expect(zip.readUInt32LE(0)).toBe(0x04034b50);
		for (const t of TABLE_NAMES) expect(zip.includes(Buffer.from(`${t}.csv`)), t).toBe(true);

		const dict = v.page.getByTestId('dictionary-link');
		await dict.click();
		await v.page.waitForSelector('[data-view="dictionary"]');
		expect(new URL(v.page.url()).pathname).toBe('/dictionary');
		expect(v.errors).toEqual([]);
		await v.context.close();
	});
});

describe.skipIf(!existsSync(CORPUS))('the original report, one click away from the profile', () => {
	it('a parsed document: the link is the page its truth file names, and the hash is the file’s own', async () => {
		const truth = JSON.parse(readFileSync(join(CORPUS, 'reports', 'shuyang-fgj-2023.truth.json'), 'utf8')) as { _source: string };
		const url = urlOf(truth._source);
		expect(url).toMatch(/^http:\/\/www\.shuyang\.gov\.cn\//);
		const v = await visit(`/agency?a=${idOf('沭阳县发展和改革局')}`);
		await engineReady(v.page);
		await v.page.waitForSelector('[data-view="agency"][data-ready="true"] [data-testid="report-origin"]');
		const link = v.page.getByTestId('source-link');
		expect(await link.getAttribute('href')).toBe(url);
		expect(await link.getAttribute('rel')).toContain('noopener');
		expect(await v.page.locator('tr[data-report-year="2023"] [data-testid="origin-link"]').getAttribute('href')).toBe(url);
		expect(await v.page.getByTestId('source-sha256').innerText()).toBe(sha256(readFileSync(join(CORPUS, 'reports', 'shuyang-fgj-2023.html'))));
		expect(await v.page.getByTestId('source-note').innerText()).toBe(truth._source);
		await v.page.getByTestId('report-origin').screenshot({ path: join(SHOTS, 'origin-shuyang.png') });
		expect(v.errors).toEqual([]);
		await v.context.close();
	});

	it('hand-checked records: each year links the page its record’s _source names', async () => {
		const v = await visit(`/agency?a=${idOf('平潭综合实验区农业农村局')}`, 390);
		await engineReady(v.page);
		await v.page.waitForSelector('[data-view="agency"][data-ready="true"] tr[data-report-year="2019"]');
		for (let year = 2019; year <= 2025; year++) {
			const record = JSON.parse(readFileSync(join(CORPUS, 'records', 'pingtan', `agri-${year}.json`), 'utf8')) as { _source: string };
			const url = urlOf(record._source);
			expect(url, String(year)).toMatch(/^https:\/\/www\.pingtan\.gov\.cn\//);
			expect(await v.page.locator(`tr[data-report-year="${year}"] [data-testid="origin-link"]`).getAttribute('href'), String(year)).toBe(url);
		}
		await v.context.close();
	});

	it('a report whose source names no web address: no link, the note instead', async () => {
		const truth = JSON.parse(readFileSync(join(CORPUS, 'reports', 'shanghai-gov-office-2019.truth.json'), 'utf8')) as { _source: string };
		expect(urlOf(truth._source)).toBeNull();
		const v = await visit(`/agency?a=${idOf('上海市人民政府办公厅')}`);
		await engineReady(v.page);
		await v.page.waitForSelector('[data-view="agency"][data-ready="true"] [data-testid="report-origin"]');
		expect(await v.page.getByTestId('source-link').count()).toBe(0);
		expect(await v.page.locator('[data-testid="origin-link"]').count()).toBe(0);
		expect(await v.page.getByTestId('report-origin').innerText()).toContain('未记录发布网址');
		expect(await v.page.getByTestId('source-note').innerText()).toBe(truth._source);
		await v.context.close();
	});
});
