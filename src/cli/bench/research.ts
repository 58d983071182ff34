/**
 * Researcher-features benchmark: the built site in headless Chromium on the
 * bundled data.
 *
 *   npm run bench:research [-- --runs 5]
 *
 * 1. SQL console: each query run `runs` times on the console's own DuckDB
 *    connection; the time the console reports (DuckDB + Arrow → rows) and the
 *    time from the click to the table on screen.
 * 2. Upload: every report of ../shared/corpus/reports parsed in the page's
 *    Web Worker, one at a time; the worker's parse time and drop → added to
 *    the session's tables. The first file of a fresh page also pays for
 *    starting the worker (and pdf.js, for the first PDF).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ensureBuild, launch, ROOT, serve } from './browser';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const CORPUS = join(ROOT, '../shared/corpus/reports');

const QUERIES: { label: string; sql: string }[] = [
	{ label: 'reports per year and template (GROUP BY on reports)', sql: 'SELECT year, template, count(*) AS n FROM reports GROUP BY ALL ORDER BY ALL' },
	{
		label: 'grant rate of every agency-year (metrics ⋈ agencies)',
		sql: "SELECT a.name, m.year, m.value FROM metrics m JOIN agencies a ON a.id = m.agency_id WHERE m.metric = 'grant_rate' ORDER BY 1, 2"
	},
	{
		label: 'sum of every fact per table, row and column (all facts)',
		sql: 'SELECT table_no, row_key, column_key, sum(value) AS total FROM facts GROUP BY ALL ORDER BY ALL'
	},
	{
		label: 'rank within year (window function over metrics)',
		sql: "SELECT agency_id, year, value, rank() OVER (PARTITION BY year ORDER BY value DESC) AS r FROM metrics WHERE metric = 'requests_received' ORDER BY year, r"
	},
	{ label: 'every row of facts to the page (SELECT *)', sql: 'SELECT * FROM facts' }
];

const median = (xs: number[]) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x: number) => (x >= 100 ? `${Math.round(x)} ms` : `${x.toFixed(1)} ms`);

async function runQuery(page: Page, sql: string): Promise<{ console: number; wall: number; rows: number }> {
	await page.fill('[data-testid="sql-input"]', sql);
	const t0 = Date.now();
	await page.click('[data-testid="sql-run"]');
	const status = page.locator('[data-testid="sql-status"][data-state="done"]');
	await page.waitForFunction(
		() =>
			document.querySelector('[data-view="data"]')?.getAttribute('data-running') === 'false' &&
			!!document.querySelector('[data-testid="sql-status"][data-state="done"]'),
		null,
		{ timeout: 120_000 }
	);
	const wall = Date.now() - t0;
	return { console: Number(await status.getAttribute('data-ms')), wall, rows: Number(await status.getAttribute('data-rows')) };
}

/** Upload one file `times` times into a fresh page: the worker's parse time and drop → in the data, each time. */
async function uploadTimes(browser: Browser, origin: string, file: string, times: number): Promise<{ parse: number; total: number }[]> {
	const ctx = await browser.newContext();
	await ctx.addInitScript('globalThis.__name = (f) => f');
	const page = await ctx.newPage();
	await page.goto(origin + '/?tab=upload');
	await page.waitForSelector('[data-engine="ready"]', { timeout: 120_000 });
	const out = [];
	for (let i = 0; i < times; i++) {
		await page.setInputFiles('input[name=report-files]', join(CORPUS, file));
		await page.waitForFunction((n) => document.querySelectorAll('[data-upload][data-status="added"], [data-upload][data-status="failed"]').length > n, i, {
			timeout: 120_000
		});
		const item = page.locator('[data-upload]').first(); // newest first
		out.push({ parse: Number(await item.locator('[data-parse-ms]').getAttribute('data-parse-ms')), total: Number(await item.getAttribute('data-total-ms')) });
	}
	await ctx.close();
	return out;
}

async function main() {
	ensureBuild();
	const server = await serve();
	const browser = await launch();
	const uploads = (file: string, times: number) => uploadTimes(browser, server.origin, file, times);
	const out: string[] = [];
	try {
		// --- SQL console
		const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		await context.addInitScript('globalThis.__name = (f) => f');
		const page = await context.newPage();
		await page.goto(server.origin + '/?tab=data');
		await page.waitForSelector('[data-engine="ready"]', { timeout: 120_000 });
		// The first query also opens the console's connection and its views.
		const first = await runQuery(page, 'SELECT 1');
		out.push(
			`SQL console, bundled data, headless Chromium, ${RUNS} runs per query after one warm-up (first query of the page, opening the console connection and its views: ${ms(first.wall)}).`,
			'',
			'| Query | Rows | Console time, median | Click → table, median | Console time, runs |',
			'|---|---:|---:|---:|---|'
		);
		for (const q of QUERIES) {
			await runQuery(page, q.sql);
			const runs = [];
			for (let i = 0; i < RUNS; i++) runs.push(await runQuery(page, q.sql));
			out.push(
				`| ${q.label} | ${runs[0].rows} | ${ms(median(runs.map((r) => r.console)))} | ${ms(median(runs.map((r) => r.wall)))} | ${runs.map((r) => ms(r.console)).join(' / ')} |`
			);
			process.stderr.write(`${q.label}: ${ms(median(runs.map((r) => r.console)))}\n`);
		}
		// Cancelling: from the click on 取消 to the console saying so.
		const cancels: number[] = [];
		for (let i = 0; i < RUNS; i++) {
			await page.fill('[data-testid="sql-input"]', 'SELECT sum(hash(range)) FROM range(10000000000)');
			await page.click('[data-testid="sql-run"]');
			await page.waitForTimeout(500);
			const t0 = Date.now();
			await page.click('[data-testid="sql-cancel"]');
			await page.waitForSelector('[data-testid="sql-status"][data-state="cancelled"]', { timeout: 60_000 });
			cancels.push(Date.now() - t0);
		}
		out.push('', `Cancel a running query (click → “查询已取消”): median ${ms(median(cancels))} (${cancels.map(ms).join(' / ')}).`);
		await context.close();

		// --- Upload: parse in the worker
		if (!existsSync(CORPUS)) out.push('', `Upload: ${CORPUS} is absent, skipped.`);
		else {
			const files = readdirSync(CORPUS)
				.filter((f) => !f.endsWith('.json'))
				.sort();
			const rows: string[] = [];
			for (const file of files) {
				// cold: the first file of a fresh page; warm: later ones in one page (after one warm-up)
				const [cold] = await uploads(file, 1);
				const warm = (await uploads(file, RUNS + 1)).slice(1);
				const kb = Math.round(statSync(join(CORPUS, file)).size / 1024);
				rows.push(
					`| ${file} (${kb} KB) | ${ms(cold.parse)} | ${ms(cold.total)} | ${ms(median(warm.map((w) => w.parse)))} | ${ms(median(warm.map((w) => w.total)))} |`
				);
				process.stderr.write(`${file}: parse ${ms(median(warm.map((w) => w.parse)))}\n`);
			}
			out.push(
				'',
				`Upload: each report of ../shared/corpus/reports parsed in the page's Web Worker; cold = first file of a fresh page (worker, and pdf.js for a PDF, start), warm = median of ${RUNS} more in one page.`,
				'',
				'| Report | Cold: parse in worker | Cold: drop → in the data | Warm: parse in worker | Warm: drop → in the data |',
				'|---|---:|---:|---:|---:|',
				...rows
			);
		}
	} finally {
		await browser.close();
		await server.close();
	}
	console.log(out.join('\n'));
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
