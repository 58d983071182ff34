import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { ROOT, serve } from './browser';

/**
 * The dashboard's floors, served from the same site folder by the same
 * server as the dashboard itself, so a figure and its floor differ only in
 * what the page does:
 *
 * - DuckDB alone: a page that starts the site's own DuckDB-WASM files (worker
 *   and wasm, the steps Engine.start takes) with no data and runs one query.
 *   "DuckDB ready" cannot beat it.
 * - A static page: the first chart's SVG, as the dashboard drew it, in a page
 *   with nothing else. "First chart" cannot beat it. Both are timed one way
 *   (CHART_SHOWN_SCRIPT): from navigation to the first paint that can show a
 *   chart's SVG, the later of the first contentful paint and the first frame
 *   after the SVG is in the document, whether the HTML brought it (the
 *   prerendered overview, the floor) or a script drew it.
 *
 * Pages are written under `__floor/` of the site folder (build output, never
 * committed) before the server that sends them starts.
 */

export const FLOOR_DIR = '__floor';

/** The site's DuckDB worker and wasm, as built (hashed names). */
function duckdbAssets(site: string): { worker: string; wasm: string } {
	const dir = join(site, '_app', 'immutable', 'assets');
	const files = readdirSync(dir);
	const find = (re: RegExp) => {
		const f = files.find((x) => re.test(x));
		if (!f) throw new Error(`bench floors: no file like ${re} in ${dir}`);
		return `/_app/immutable/assets/${f}`;
	};
	return { worker: find(/^duckdb-browser-eh\.worker\.[\w-]+\.js$/), wasm: find(/^duckdb-eh\.[\w-]+\.wasm$/) };
}

/** Write the DuckDB-alone page (bundled by esbuild from the same package the site uses) into the site. */
export async function writeDuckdbFloor(site: string): Promise<void> {
	const { build } = await import('esbuild');
	const { worker, wasm } = duckdbAssets(site);
	// As Engine.start: instantiate, open, connect, the offline settings; then one query, so the engine answers.
	const entry = `
		import * as duckdb from '@duckdb/duckdb-wasm';
		const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), new Worker(${JSON.stringify(worker)}));
		await db.instantiate(${JSON.stringify(wasm)}, null);
		await db.open({ query: { castBigIntToDouble: true } });
		const conn = await db.connect();
		await conn.query('SET autoinstall_known_extensions = false');
		await conn.query('SET autoload_known_extensions = false');
		await conn.query('SELECT 42');
		performance.mark('floor:duckdb-ready');
		document.body.dataset.floor = 'ready';
	`;
	const out = await build({
		stdin: { contents: entry, resolveDir: ROOT, loader: 'js' },
		bundle: true,
		format: 'esm',
		write: false,
		minify: true,
		logLevel: 'silent'
	});
	mkdirSync(join(site, FLOOR_DIR), { recursive: true });
	writeFileSync(join(site, FLOOR_DIR, 'duckdb.js'), out.outputFiles[0].contents);
	writeFileSync(
		join(site, FLOOR_DIR, 'duckdb.html'),
		'<!doctype html><html><head><meta charset="utf-8"><title>floor: DuckDB alone</title><script type="module" src="duckdb.js"></script></head><body></body></html>\n'
	);
}

/** An init script (installed before the page's first byte): marks CHART_SHOWN. */
export const CHART_SHOWN_SCRIPT = `(() => {
	let frame = null;
	let fcp = null;
	const done = () => {
		if (frame !== null && fcp !== null) performance.mark('nianbao:chart-shown', { startTime: Math.max(frame, fcp) });
	};
	new PerformanceObserver((list, observer) => {
		const e = list.getEntriesByName('first-contentful-paint')[0];
		if (!e) return;
		observer.disconnect();
		fcp = e.startTime;
		done();
	}).observe({ type: 'paint', buffered: true });
	new MutationObserver((_, observer) => {
		if (!document.querySelector('[data-chart] svg')) return;
		observer.disconnect();
		requestAnimationFrame(() => {
			frame = performance.now();
			done();
		});
	}).observe(document, { childList: true, subtree: true });
})();`;

export const CHART_SHOWN = 'nianbao:chart-shown';

/** Write the static page holding `svg` (the dashboard's first chart), where CHART_SHOWN_SCRIPT finds it. */
export function writeStaticFloor(site: string, svg: string): void {
	mkdirSync(join(site, FLOOR_DIR), { recursive: true });
	writeFileSync(
		join(site, FLOOR_DIR, 'static.html'),
		`<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>floor: static page</title></head><body><div data-chart="floor">${svg}</div></body></html>\n`
	);
}

/** One cold open (fresh context) of a floor page: ms from navigation start to the mark. */
export async function measureFloor(browser: Browser, site: string, page: 'duckdb' | 'static', timeoutMs: number): Promise<number> {
	const server = await serve(site);
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	// tsx (esbuild keepNames) wraps functions in __name(); the page needs a no-op one for evaluate.
	await context.addInitScript('globalThis.__name = (f) => f');
	if (page === 'static') await context.addInitScript(CHART_SHOWN_SCRIPT);
	try {
		const p = await context.newPage();
		const mark = page === 'duckdb' ? 'floor:duckdb-ready' : CHART_SHOWN;
		await p.goto(`${server.origin}/${FLOOR_DIR}/${page}.html`);
		await p.waitForFunction((m) => performance.getEntriesByName(m).length > 0, mark, { timeout: timeoutMs });
		return await p.evaluate((m) => performance.getEntriesByName(m)[0].startTime, mark);
	} finally {
		await context.close();
		await server.close();
	}
}
