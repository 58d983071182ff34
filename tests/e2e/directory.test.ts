import { join } from 'node:path';
import type { Browser, BrowserContext, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetTable, ensureBuild, launch, serve, type Row, type StaticServer } from './harness';

// The agency list is not inlined in the pages (at a million reports it was 4.5 MB of every page): it is the directory
// file, read when a page needs names. A link naming agencies names them before DuckDB is ready; search finds names in
// it; an id it does not hold (a stale link's) is reported, and a directory that cannot be read is said so.

const DATA = join(process.cwd(), 'static', 'data');
const DIRECTORY = '/directory/agencies.json';
let server: StaticServer;
let browser: Browser;
let agencies: Row[];
const byCodepoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

beforeAll(async () => {
	ensureBuild();
	server = await serve();
	browser = await launch();
	agencies = (await datasetTable(DATA, 'agencies')).sort((a, b) => byCodepoint(String(a.name), String(b.name)) || byCodepoint(String(a.id), String(b.id)));
});

afterAll(async () => {
	await browser?.close();
	await server?.close();
});

const fresh = () => browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });

/** Holds DuckDB's WebAssembly back: the engine cannot be ready, so what shows comes from the page and its files. */
async function holdWasm(context: BrowserContext): Promise<void> {
	await context.route('**/*.wasm', () => {});
}

/** Paths the page requested. */
function requests(context: BrowserContext): string[] {
	const seen: string[] = [];
	context.on('request', (r) => seen.push(new URL(r.url()).pathname));
	return seen;
}

describe('the agency directory', () => {
	it('is not in the pages: the overview never reads it; a link naming agencies does, and names them before DuckDB', async () => {
		// The page's inlined data holds counts of agencies (the overview's), never a list of them (it was `agencies:{ids:[…`).
		for (const path of ['/', '/compare', '/agency']) {
			const html = await (await fetch(`${server.origin}${path}`)).text();
			expect(html, path).toMatch(/agencies:\d/);
			expect(html, path).not.toMatch(/agencies:\s*[[{]/);
		}
		const names = agencies.map((a) => String(a.name));

		const context = await fresh();
		await holdWasm(context);
		const seen = requests(context);
		const page = await context.newPage();
		await page.goto(server.origin + '/');
		await page.waitForSelector('[data-mounted="true"]');
		await page.waitForTimeout(300);
		expect(seen).not.toContain(DIRECTORY);

		const [a, b] = [agencies[3], agencies[7]];
		await page.goto(`${server.origin}/compare?ag=${a.id},${b.id}`);
		await page.waitForSelector('[data-testid="chips"] li');
		// The names came from the shards listing these ids (the whole list follows for the picker, after the chart).
		const firstRead = seen.find((p) => p.startsWith('/directory/'));
		expect(firstRead).toMatch(/^\/directory\/ids-\d+\.json$/);
		expect(await page.getAttribute('[data-engine]', 'data-engine')).not.toBe('ready');
		expect(await page.locator('[data-testid="chips"] li a').allTextContents()).toEqual([String(a.name), String(b.name)]);

		await page.goto(`${server.origin}/agency?a=${b.id}`);
		await page.waitForSelector('#agency-name');
		expect(await page.textContent('#agency-name')).toBe(String(b.name));
		// The picker lists every agency of the directory, by name.
		await page.waitForSelector('[data-directory]', { state: 'detached' });
		expect(await page.locator('select[name=agency] option').allTextContents()).toEqual(['—', ...names]);
		expect(await page.getAttribute('[data-engine]', 'data-engine')).not.toBe('ready');
		await context.close();
	});

	it('answers a search by any part of a name, as the Parquet file’s names hold it', async () => {
		const context = await fresh();
		const page = await context.newPage();
		await page.goto(server.origin + '/compare');
		const part = '公安';
		const want = agencies.filter((a) => String(a.name).includes(part)).map((a) => `＋ ${a.name}`);
		expect(want.length).toBeGreaterThan(1);
		await page.fill('input[name=agency-search]', part);
		await page.waitForFunction(() => document.querySelectorAll('.matches li button').length > 0);
		expect(await page.locator('.matches li button').allTextContents()).toEqual(want.slice(0, 12));
		await page.fill('input[name=agency-search]', '没有这样的机关名称');
		expect(await page.textContent('.matches li')).toContain('没有匹配的机关');
		await context.close();
	});

	it('reports an id it does not hold (a stale link’s) and keeps the ones it does', async () => {
		const context = await fresh();
		const page = await context.newPage();
		const stale = 'a0123456789abcdef';
		const known = agencies[2];
		await page.goto(`${server.origin}/compare?ag=${stale},${known.id}`);
		await page.waitForSelector('[data-notice="unknown_agency"]');
		expect(await page.textContent('[data-notice="unknown_agency"]')).toContain(stale);
		expect(await page.locator('[data-testid="chips"] li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-agency')))).toEqual([String(known.id)]);

		await page.goto(`${server.origin}/agency?a=${stale}`);
		await page.waitForSelector('[data-notice="unknown_agency"]');
		await context.close();
	});

	it('says so when the directory cannot be read, and still opens the link’s agencies by id', async () => {
		const context = await fresh();
		await context.route(`**${DIRECTORY}`, (route: Route) => route.fulfill({ status: 503, body: 'unavailable' }));
		const page = await context.newPage();
		const a = agencies[5];
		await page.goto(`${server.origin}/agency?a=${a.id}`);
		await page.waitForSelector('[data-directory="failed"]');
		expect(await page.textContent('[data-directory="failed"]')).toContain('机关名录读取失败');
		expect(await page.textContent('[data-directory="failed"]')).toContain('503');
		// Taken as sent: the profile opens (DuckDB names it once ready).
		await page.waitForSelector('[data-view="agency"][data-ready="true"]', { timeout: 120_000 });
		expect(await page.locator('[data-notice="unknown_agency"]').count()).toBe(0);
		await context.close();
	});
});
