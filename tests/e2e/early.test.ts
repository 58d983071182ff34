import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetTable, holdWasm, serveBuildCopy, type Site } from './harness';

// A shared link draws before DuckDB-WASM is ready, from stored answers of the view's own queries (the build's answer
// files, or this browser's cache of DuckDB's earlier answers), and DuckDB then draws exactly the same numbers.

let site: Site;
let agencies: string[];

beforeAll(async () => {
	site = await serveBuildCopy('nianbao-early-');
	// Two agencies with the most reports (from the Parquet files, not the app).
	const rows = await datasetTable(site.data, 'report_metrics');
	const count = new Map<string, number>();
	for (const r of rows) count.set(String(r.agency_id), (count.get(String(r.agency_id)) ?? 0) + 1);
	agencies = [...count].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => id);
});

afterAll(() => site?.close());

/** The drawn numbers of every chart (its SVG's texts and titles) and table of the view, in order. */
async function drawn(page: Page): Promise<string[]> {
	return page.$$eval('[data-view] [data-chart] svg, [data-view] table', (els) =>
		els.map((e) => [...e.querySelectorAll('text, title, th, td')].map((t) => t.textContent?.trim() ?? '').join('|'))
	);
}

async function early(page: Page, path: string): Promise<string[]> {
	await page.goto(site.server.origin + path);
	await page.waitForSelector('[data-view][data-early="true"] [data-chart] svg', { timeout: 60_000 });
	expect(await page.getAttribute('[data-engine]', 'data-engine')).not.toBe('ready');
	return drawn(page);
}

async function live(page: Page): Promise<string[]> {
	await page.waitForSelector('[data-engine="ready"]', { timeout: 120_000 });
	await page.waitForSelector('[data-view][data-early="false"]:not([data-busy="true"]) [data-chart] svg', { timeout: 60_000 });
	return drawn(page);
}

const fresh = () => site.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });

describe('a shared link before DuckDB is ready', () => {
	const links = () => [
		{ label: 'Compare, two agencies', path: `/compare?ag=${agencies[0]},${agencies[1]}` },
		{ label: 'Compare, a rate, bars', path: `/compare?ag=${agencies[1]},${agencies[2]}&m=grant_rate&chart=bars` },
		{ label: 'Outcomes by agency', path: '/outcomes?by=agency' },
		{ label: 'Outcomes by year', path: '/outcomes' },
		{ label: 'Agency profile', path: `/agency?a=${agencies[0]}` }
	];

	it('draws from the build’s answers, and DuckDB then draws the same numbers (fresh context each)', async () => {
		for (const { label, path } of links()) {
			const context = await fresh();
			const wasm = await holdWasm(context);
			const page = await context.newPage();
			const before = await early(page, path);
			expect(before.length, label).toBeGreaterThan(0);
			expect(before.join(''), label).toMatch(/\d/);
			wasm.release();
			// DuckDB may add parts that have no stored answer (the profile's printed tables, its benchmark) after them.
			expect((await live(page)).slice(0, before.length), label).toEqual(before);
			await context.close();
		}
	});

	it('the profile shows the reports the dataset holds for the agency', async () => {
		const rows = (await datasetTable(site.data, 'report_metrics')).filter((r) => r.agency_id === agencies[0]);
		const context = await fresh();
		await holdWasm(context);
		const page = await context.newPage();
		await early(page, `/agency?a=${agencies[0]}`);
		expect(await page.locator('.head .meta').innerText()).toContain(`${rows.length}`);
		await context.close();
	});

	it('the profile’s printed tables and issues draw from the build’s detail answers before DuckDB, as DuckDB alone draws them', async () => {
		const path = `/agency?a=${agencies[0]}`;
		const printed = (page: Page) =>
			page.$eval('[data-view="agency"][data-ready="true"]', (view) =>
				[...view.querySelectorAll('section.printed table, section.printed ~ *')].map((e) => (e as HTMLElement).innerText.replace(/\s+/g, ' ').trim())
			);
		const context = await fresh();
		await holdWasm(context);
		const page = await context.newPage();
		await page.goto(site.server.origin + path);
		await page.waitForSelector('[data-view="agency"][data-ready="true"] section.printed table', { timeout: 60_000 });
		expect(await page.getAttribute('[data-engine]', 'data-engine')).not.toBe('ready');
		const before = await printed(page);
		expect(before.join(''), 'cells').toMatch(/\d/);
		await context.close();
		// DuckDB alone: the build's answer files are not served, so every number is DuckDB-WASM's.
		const alone = await fresh();
		await alone.route('**/answers/**', (r) => r.abort());
		const duck = await alone.newPage();
		await duck.goto(site.server.origin + path);
		await duck.waitForSelector('[data-engine="ready"]', { timeout: 120_000 });
		await duck.waitForSelector('[data-view="agency"][data-ready="true"] section.printed table', { timeout: 60_000 });
		expect(await printed(duck)).toEqual(before);
		await alone.close();
	});

	it('a link opened again draws from this browser’s cache of DuckDB’s answers, whatever its state', async () => {
		// A state the build does not answer: a year range and a least n.
		const path = `/compare?ag=${agencies[0]},${agencies[2]}&from=2021&minn=5&m=grant_rate`;
		const context = await fresh();
		const first = await context.newPage();
		await first.goto(site.server.origin + path);
		const truth = await live(first);
		await first.close();
		const wasm = await holdWasm(context);
		const again = await context.newPage();
		expect(await early(again, path)).toEqual(truth);
		wasm.release();
		expect(await live(again)).toEqual(truth);
		await context.close();
	});

	it('a state with no stored answer waits for DuckDB rather than drawing anything else', async () => {
		const context = await fresh();
		const wasm = await holdWasm(context);
		const page = await context.newPage();
		const answerFile = page.waitForResponse((r) => r.url().includes('/answers/agencies-'));
		await page.goto(site.server.origin + `/compare?ag=${agencies[0]},${agencies[1]}&from=2022&skip=flagged`);
		await page.waitForSelector('[data-view="compare"] [role="status"]');
		// Give stored answers every chance: the build's file arrives and is read, and no chart appears.
		await (await answerFile).finished();
		for (let i = 0; i < 5; i++) await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
		expect(await page.$('[data-view="compare"] [data-chart] svg')).toBeNull();
		wasm.release();
		await live(page);
		await context.close();
	});
});
