import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetTable, openPage, serveBuildCopy, type Site } from './harness';

// The SQL console reaches no other host. A canary HTTP server on another
// loopback address (127.0.0.2) answers every request with CSV and records
// it; every spelling of a URL in the console, typed or arriving in a share
// link, must leave it untouched and end in an error, while queries over the
// loaded tables (and one loaded on demand) still work.

let site: Site;
let canary: Server;
let CANARY = '';
/** Every request the canary received. */
const hits: string[] = [];
let counts: Record<'agencies' | 'facts', number>;

beforeAll(async () => {
	site = await serveBuildCopy('nianbao-egress-');
	counts = { agencies: (await datasetTable(site.data, 'agencies')).length, facts: (await datasetTable(site.data, 'facts')).length };
	canary = createServer((req, res) => {
		hits.push(`${req.method} ${req.url}`);
		// Everything a browser needs to hand the body to the page, were it ever asked.
		res.setHeader('Access-Control-Allow-Origin', '*');
		res.setHeader('Access-Control-Allow-Headers', '*');
		res.setHeader('Content-Type', 'text/csv');
		res.end('secret,value\ncanary,1\n');
	});
	await new Promise<void>((resolve) => canary.listen(0, '127.0.0.2', resolve));
	CANARY = `http://127.0.0.2:${(canary.address() as AddressInfo).port}`;
});

afterAll(async () => {
	await site?.close();
	await new Promise((resolve) => canary?.close(resolve));
});

/**
 * Statements that would read from (or write to) the canary, and how each
 * must end: 'locked' — DuckDB refuses it (file and network access are off);
 * 'rejected' — the console's read-only check refuses it first; 'error' —
 * DuckDB fails otherwise (a function of an extension the page does not load).
 */
function spellings(): [sql: string, ends: 'locked' | 'rejected' | 'error'][] {
	const url = `${CANARY}/data.csv`;
	return [
		[`SELECT * FROM read_csv('${url}')`, 'locked'],
		[`select * from READ_CSV_AUTO ( ['${url}'] )`, 'locked'],
		[`SELECT * FROM read_text('${url}')`, 'locked'],
		[`SELECT * FROM read_blob('${url}')`, 'locked'],
		[`SELECT * FROM '${url}'`, 'locked'],
		[`SELECT * FROM "${url}"`, 'locked'],
		[`SELECT * FROM glob('${CANARY}/*.csv')`, 'locked'],
		[`SELECT * FROM sniff_csv('${url}')`, 'locked'],
		[`DESCRIBE SELECT * FROM '${url}'`, 'locked'],
		[`SHOW SELECT * FROM read_csv('${url}')`, 'locked'],
		[`EXPLAIN SELECT * FROM read_text('${url}')`, 'locked'],
		[`EXPLAIN ANALYZE SELECT * FROM read_csv('${url}')`, 'locked'],
		[`WITH x AS (SELECT * FROM read_text('${url}')) SELECT * FROM x`, 'locked'],
		[`SELECT (SELECT content FROM read_text('${url}')) AS c`, 'locked'],
		[`SELECT * FROM query('SELECT * FROM read_text(''${url}'')')`, 'locked'],
		[`SELECT * FROM read_parquet('${CANARY}/data.parquet')`, 'error'],
		[`SELECT * FROM read_json('${CANARY}/data.json')`, 'error'],
		[`PRAGMA table_info('${url}')`, 'error'],
		// DuckDB's other read-only forms pass the console's check: the engine itself refuses the URL
		[`SUMMARIZE SELECT * FROM '${url}'`, 'locked'],
		[`FROM '${url}'`, 'locked'],
		[`FROM read_csv('${url}') SELECT *`, 'locked'],
		[`PIVOT (SELECT * FROM read_csv('${url}')) ON a`, 'locked'],
		[`VALUES ((SELECT content FROM read_text('${url}')))`, 'locked'],
		[`DESCRIBE '${url}'`, 'rejected'],
		[`INSTALL httpfs FROM '${CANARY}'`, 'rejected'],
		['LOAD httpfs', 'rejected'],
		[`LOAD '${CANARY}/httpfs.duckdb_extension.wasm'`, 'rejected'],
		[`ATTACH '${CANARY}/other.db' AS other`, 'rejected'],
		[`COPY (SELECT 1 AS a) TO '${CANARY}/out.csv'`, 'rejected'],
		[`SET custom_extension_repository = '${CANARY}'`, 'rejected']
	];
}

const engineReady = (page: Page) => page.waitForSelector('[data-engine="ready"]', { timeout: 60_000 });
const STATUS = '[data-testid="sql-status"]';
const ENDED = `${STATUS}:not([data-state="running"])`;

/** Press 运行 and wait for this run's outcome (a marker query first, so an earlier outcome is never taken for it). */
let step = 0;
async function run(page: Page, sql: string): Promise<{ state: string; text: string }> {
	const marker = ++step;
	await page.fill('[data-testid="sql-input"]', `SELECT ${marker} AS step`);
	await page.click('[data-testid="sql-run"]');
	await page.waitForFunction((n) => document.querySelector('[data-testid="sql-result"] tbody td')?.textContent === String(n), marker, { timeout: 60_000 });
	await page.fill('[data-testid="sql-input"]', sql);
	await page.click('[data-testid="sql-run"]');
	// ended, and not the marker's outcome any more
	await page.waitForFunction(
		(n) => {
			const s = document.querySelector('[data-testid="sql-status"]');
			if (!s || s.getAttribute('data-state') === 'running') return false;
			return s.getAttribute('data-state') !== 'done' || document.querySelector('[data-testid="sql-result"] tbody td')?.textContent !== String(n);
		},
		marker,
		{ timeout: 60_000 }
	);
	const status = page.locator(STATUS);
	return { state: (await status.getAttribute('data-state')) ?? '', text: await status.innerText() };
}

/** The first cell of a query that must succeed. */
async function value(page: Page, sql: string): Promise<string> {
	const r = await run(page, sql);
	expect(r.state, `${sql}: ${r.text}`).toBe('done');
	return page.locator('[data-testid="sql-result"] tbody td').first().innerText();
}

function expectEnd(sql: string, got: { state: string; text: string }, ends: 'locked' | 'rejected' | 'error'): void {
	if (ends === 'rejected') expect(got.state, sql).toBe('rejected');
	else expect(got.state, `${sql}: ${got.text}`).toBe('error');
	if (ends === 'locked') expect(got.text, sql).toContain('disabled by configuration');
}

/** After the engine is ready, one frame and a task: long enough for anything the page would start by itself. */
const settle = (page: Page) => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));

describe('数据 SQL console reaches no other host', () => {
	it('the canary answers the browser (so a request would be seen)', async () => {
		const context = await site.browser.newContext();
		const page = await context.newPage();
		await page.goto(site.server.origin + '/?tab=data');
		expect(await page.evaluate((u) => fetch(u).then((r) => r.text()), `${CANARY}/control`)).toContain('canary');
		expect(hits).toEqual(['GET /control']);
		hits.length = 0;
		await context.close();
	});

	it('typed in the console: every spelling of the canary’s URL ends in an error and sends nothing', async () => {
		const { context, page, errors } = await openPage(site.browser, site.server.origin + '/?tab=data');
		await engineReady(page);
		for (const [sql, ends] of spellings()) expectEnd(sql, await run(page, sql), ends);
		expect(hits).toEqual([]);
		// the data is all there, a table loaded on demand included
		expect(Number(await value(page, 'SELECT count(*) AS n FROM agencies'))).toBe(counts.agencies);
		expect(Number(await value(page, 'SELECT count(*) AS n FROM facts'))).toBe(counts.facts);
		expect(Number(await value(page, 'SELECT count(*) AS n FROM facts f JOIN reports r USING (report_id)'))).toBe(counts.facts);
		expect(hits).toEqual([]);
		expect(errors).toEqual([]);
		await context.close();
	});

	it('from a share link: the query is shown, not run, and pressing 运行 sends nothing either', async () => {
		const context = await site.browser.newContext({ locale: 'zh-CN' });
		const page = await context.newPage();
		// the spellings the issue names, and some the read-only check stops first (each spelling's own refusal is the test above)
		const named = [
			'read_csv(',
			'read_text(',
			"FROM 'http",
			'read_parquet(',
			'DESCRIBE SELECT',
			'SHOW SELECT',
			'EXPLAIN SELECT',
			'query(',
			'INSTALL',
			'LOAD httpfs',
			'ATTACH',
			'COPY'
		];
		const links = spellings().filter(([sql]) => named.some((n) => sql.includes(n)));
		expect(links.length).toBeGreaterThanOrEqual(named.length);
		for (const [sql, ends] of links) {
			await page.goto(`${site.server.origin}/?tab=data&sql=${encodeURIComponent(sql)}`);
			await engineReady(page);
			await settle(page);
			expect(await page.inputValue('[data-testid="sql-input"]')).toBe(sql);
			expect(await page.locator(STATUS).count(), sql).toBe(0);
			expect(hits, sql).toEqual([]);
			await page.click('[data-testid="sql-run"]');
			await page.locator(`${ENDED}`).waitFor({ timeout: 60_000 });
			const status = page.locator(STATUS);
			expectEnd(sql, { state: (await status.getAttribute('data-state')) ?? '', text: await status.innerText() }, ends);
		}
		expect(hits).toEqual([]);
		// a link with a plain query is shown the same way, and runs when asked
		await page.goto(`${site.server.origin}/?tab=data&sql=${encodeURIComponent('SELECT count(*) AS n FROM agencies')}`);
		await engineReady(page);
		await settle(page);
		expect(await page.locator(STATUS).count()).toBe(0);
		await page.click('[data-testid="sql-run"]');
		await page.waitForSelector(`${STATUS}[data-state="done"]`, { timeout: 60_000 });
		expect(Number(await page.locator('[data-testid="sql-result"] tbody td').first().innerText())).toBe(counts.agencies);
		await context.close();
	}, 600_000);
});
