/**
 * Dashboard benchmark: the built site in headless Chromium on the bundled
 * data, cold each run (fresh browser context, empty cache).
 *
 *   npm run bench:dashboard [-- --runs 5]
 *
 * Prints a markdown table: first contentful paint, first chart (the
 * prerendered numbers drawn by Plot), DuckDB ready, filter change → redrawn
 * chart, and the JS + WASM bytes the server sent.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BUILD, ensureBuild, launch, serve } from '../../tests/e2e/harness';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
const LEVELS = ['县', '乡', '市', ''];

interface Run {
	fcp: number;
	firstChart: number;
	engineReady: number;
	filter: number[];
	js: number;
	wasm: number;
	data: number;
	other: number;
}

const median = (xs: number[]) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x: number) => `${Math.round(x)} ms`;
const kb = (x: number) => (x >= 1048576 ? `${(x / 1048576).toFixed(1)} MB` : `${(x / 1024).toFixed(0)} KB`);

async function main() {
	ensureBuild();
	const browser = await launch();
	const runs: Run[] = [];
	const gzipped = new Map<string, number>();
	try {
		for (let i = 0; i < RUNS; i++) {
			const server = await serve();
			const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
			// tsx (esbuild keepNames) wraps functions in __name(); give the page a no-op one for page.evaluate.
			await context.addInitScript('globalThis.__name = (f) => f');
			const page = await context.newPage();
			await page.goto(server.origin + '/');
			await page.waitForSelector('[data-engine="ready"]', { timeout: 120_000 });
			const marks = await page.evaluate(() => {
				const at = (name: string) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
				return { fcp: at('first-contentful-paint'), firstChart: at('nianbao:first-chart'), engineReady: at('nianbao:engine-ready') };
			});
			const filter: number[] = [];
			for (const level of LEVELS) {
				// One change of the 层级 filter: from the change event to the requests chart redrawn with DuckDB's answer.
				const elapsed = await page.evaluate(async (value) => {
					const chart = document.querySelector('[data-chart="requests"]')!;
					const before = chart.getAttribute('data-rendered');
					const select = document.querySelector<HTMLSelectElement>('select[name=level]')!;
					const done = new Promise<number>((resolve) => {
						const check = () => {
							const c = document.querySelector('[data-chart="requests"]');
							const view = document.querySelector('[data-view="overview"]');
							if (c && c.getAttribute('data-rendered') !== before && view?.getAttribute('data-busy') === 'false') {
								observer.disconnect();
								resolve(performance.now());
							}
						};
						const observer = new MutationObserver(check);
						observer.observe(document.body, { attributes: true, subtree: true, childList: true });
					});
					const t0 = performance.now();
					select.value = value;
					select.dispatchEvent(new Event('change', { bubbles: true }));
					return (await done) - t0;
				}, level);
				filter.push(elapsed);
			}
			let js = 0;
			let wasm = 0;
			let data = 0;
			let other = 0;
			for (const [path, bytes] of server.sent) {
				if (path.endsWith('.js')) js += bytes;
				else if (path.endsWith('.wasm')) wasm += bytes;
				else if (path.startsWith('/data/')) data += bytes;
				else other += bytes;
				if ((path.endsWith('.js') || path.endsWith('.wasm')) && !gzipped.has(path)) {
					const file = join(BUILD, decodeURIComponent(path));
					if (statSync(file, { throwIfNoEntry: false })?.isFile()) gzipped.set(path, gzipSync(readFileSync(file), { level: 6 }).length);
				}
			}
			runs.push({ ...marks, filter, js, wasm, data, other });
			await context.close();
			await server.close();
			process.stderr.write(`run ${i + 1}/${RUNS}: first chart ${ms(marks.firstChart)}, DuckDB ready ${ms(marks.engineReady)}\n`);
		}
	} finally {
		await browser.close();
	}

	const col = (f: (r: Run) => number) => runs.map(f);
	const row = (label: string, values: number[], fmt: (x: number) => string) => `| ${label} | ${fmt(median(values))} | ${values.map(fmt).join(' / ')} |`;
	const gzJs = [...gzipped].filter(([p]) => p.endsWith('.js')).reduce((a, [, b]) => a + b, 0);
	const gzWasm = [...gzipped].filter(([p]) => p.endsWith('.wasm')).reduce((a, [, b]) => a + b, 0);
	const lines = [
		`Dashboard, bundled data, headless Chromium, ${RUNS} cold runs (fresh context each), served from build/ on 127.0.0.1 without compression.`,
		'',
		'| Measure | Median | Runs |',
		'|---|---|---|',
		row('First contentful paint', col((r) => r.fcp), ms),
		row('Cold load → first chart (prerendered numbers)', col((r) => r.firstChart), ms),
		row('Cold load → DuckDB ready (tables loaded)', col((r) => r.engineReady), ms),
		row(`Filter change → chart redrawn (median of ${LEVELS.length} per run)`, col((r) => median(r.filter)), ms),
		row('JS transferred', col((r) => r.js), kb),
		row('WASM transferred', col((r) => r.wasm), kb),
		row('JS + WASM transferred', col((r) => r.js + r.wasm), kb),
		row('Data (manifest + Parquet) transferred', col((r) => r.data), kb),
		'',
		`With gzip -6 the same JS would be ${kb(gzJs)} and the WASM ${kb(gzWasm)} (${kb(gzJs + gzWasm)} together).`
	];
	console.log(lines.join('\n'));
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
