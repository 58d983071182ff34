import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveBuildCopy, type Site } from './harness';

// Shared links: served precompressed and cached, compact, and refused with a page that says why.

const SHOTS = join(process.cwd(), 'test-results');
let site: Site;

async function open(context: BrowserContext, path: string): Promise<Page> {
	const page = await context.newPage();
	await page.goto(site.server.origin + path);
	return page;
}
const engineReady = (page: Page) => page.waitForSelector('[data-engine="ready"]', { timeout: 90_000 });
const fresh = () => site.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
const wasmBytes = () => [...site.server.sent].filter(([p]) => p.endsWith('.wasm')).reduce((a, [, b]) => a + b, 0);

/** About 2,000 characters of SQL with a Chinese comment: 17,931 characters as percent-encoded text. */
function longQuery(): string {
	const lines = ['-- 各机关历年依申请公开的收件数与公开比例，按年份排列，便于对比'];
	for (let y = 2019; lines.join('\n').length < 2000; y++)
		lines.push(`SELECT '${y}' AS 年份, count(*) AS 报告数, sum(requests_new) AS 收件 FROM report_metrics WHERE year = ${2019 + (y % 7)}`);
	return lines.join('\nUNION ALL\n');
}

beforeAll(async () => {
	mkdirSync(SHOTS, { recursive: true });
	site = await serveBuildCopy('nianbao-links-');
});

afterAll(() => site?.close());

describe('assets', () => {
	it('are sent precompressed with their type, hashed ones cached for good, ranges of the file itself', async () => {
		const html = await (await fetch(site.server.origin + '/')).text();
		const page = await fetch(site.server.origin + '/', { headers: { 'accept-encoding': 'br' } });
		expect(page.headers.get('content-encoding')).toBe('br');
		expect(page.headers.get('cache-control')).toBe('no-cache');
		const context = await fresh();
		const wasm: string[] = [];
		context.on('request', (r) => {
			if (r.url().endsWith('.wasm')) wasm.push(r.url());
		});
		await engineReady(await open(context, '/'));
		await context.close();
		expect(wasm).toHaveLength(1);
		const res = await fetch(wasm[0], { headers: { 'accept-encoding': 'gzip, br' } });
		expect(res.headers.get('content-encoding')).toBe('br');
		expect(res.headers.get('content-type')).toBe('application/wasm');
		expect(res.headers.get('cache-control')).toContain('immutable');
		await res.arrayBuffer();
		const gz = await fetch(wasm[0], { headers: { 'accept-encoding': 'gzip' } });
		expect(gz.headers.get('content-encoding')).toBe('gzip');
		await gz.arrayBuffer();
		const data = html.match(/data\/[\w-]+\.parquet/)?.[0] ?? 'data/manifest.json';
		const range = await fetch(`${site.server.origin}/${data}`, { headers: { 'accept-encoding': 'gzip, br', range: 'bytes=0-3' } });
		expect(range.status).toBe(206);
		expect(range.headers.get('content-encoding')).toBeNull();
		expect((await range.arrayBuffer()).byteLength).toBe(4);
	});

	it('a second link opens without fetching the WebAssembly again', async () => {
		const context = await fresh();
		await engineReady(await open(context, '/outcomes'));
		const first = wasmBytes();
		expect(first).toBeGreaterThan(0);
		await engineReady(await open(context, '/agency'));
		expect(wasmBytes()).toBe(first);
		await context.close();
	});
});

describe('link length', () => {
	it('a 2,000-character query with a Chinese comment makes a link under 2,000 characters that reopens it', async () => {
		const sql = longQuery();
		const context = await fresh();
		await context.grantPermissions(['clipboard-read', 'clipboard-write']);
		const page = await open(context, '/data');
		await engineReady(page);
		await page.fill('[data-testid="sql-input"]', sql);
		await page.click('[data-testid="sql-run"]');
		await page.waitForURL(/[?&]z=/, { timeout: 30_000 });
		await page.click('[data-testid="copy-link"]');
		const link = await page.inputValue('[data-testid="share-url"]');
		await context.close();
		expect(link.length).toBeLessThan(2000);
		expect(new URL(link).searchParams.has('sql')).toBe(false);

		const other = await fresh();
		const reopened = await other.newPage();
		await reopened.goto(link);
		await reopened.waitForFunction((want) => document.querySelector<HTMLTextAreaElement>('[data-testid="sql-input"]')?.value === want, sql, {
			timeout: 30_000
		});
		await other.close();
	});

	it('a link of an earlier release, with the SQL as text, still opens', async () => {
		const context = await fresh();
		const page = await open(context, `/data?sql=${encodeURIComponent('SELECT 42 AS 答案')}`);
		await page.waitForFunction(() => document.querySelector<HTMLTextAreaElement>('[data-testid="sql-input"]')?.value === 'SELECT 42 AS 答案', undefined, {
			timeout: 30_000
		});
		await context.close();
	});

	it('a query that would make the link too long stays out of it, and the page says so', async () => {
		// Text that does not compress: 3,900 characters of a pseudo-random sequence.
		let x = 7;
		const noise = Array.from({ length: 3900 }, () => ((x = (x * 1103515245 + 12345) % 2147483648), 'abcdefghijklmnopqrstuvwxyz0123456789'[x % 36])).join('');
		const context = await fresh();
		const page = await open(context, '/data');
		await engineReady(page);
		await page.fill('[data-testid="sql-input"]', `SELECT '${noise}' AS s`);
		await page.click('[data-testid="sql-run"]');
		await page.waitForSelector('[data-testid="link-too-long"]', { timeout: 30_000 });
		expect(await page.textContent('[data-testid="link-too-long"]')).toContain('2,000');
		expect(page.url().length).toBeLessThan(2000);
		expect(new URL(page.url()).searchParams.has('z')).toBe(false);
		await page.waitForSelector('[data-testid="sql-status"]:not([data-state="running"])');
		expect(await page.textContent('main')).not.toContain('查询已写入地址栏');
		await page.screenshot({ path: join(SHOTS, 'link-too-long.png') });
		await context.close();
	});

	it('a link too long for the server gets a page saying what happened (HTTP 431)', async () => {
		const context = await fresh();
		const page = await context.newPage();
		const res = await page.goto(`${site.server.origin}/compare?q=${'长'.repeat(20_000)}`);
		expect(res?.status()).toBe(431);
		expect(await page.textContent('h1')).toContain('链接太长');
		expect(await page.textContent('body')).toContain('HTTP 431');
		await page.screenshot({ path: join(SHOTS, 'link-431.png') });
		await context.close();
	});
});
