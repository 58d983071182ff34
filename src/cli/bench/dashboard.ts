/**
 * Dashboard benchmark: the built site in headless Chromium, cold each run
 * (fresh browser context, empty cache), on the bundled data and on generated
 * datasets of 10,000 and 100,000 reports.
 *
 *   npm run bench:dashboard [-- --runs 3] [--sizes bundled,10000,100000] [--timeout 180] [--link-timeout 60] [--fresh] [--no-links | --links-only]
 *   npm run bench:dashboard -- --site DIR [--site DIR2 …]   # sites already built (e.g. of an older commit), their runs interleaved
 *
 * Generated datasets (src/cli/bench/data.ts) are kept in
 * node_modules/.cache/nianbao/bench/<N>/ and rebuilt when the dataset schema
 * changes or with --fresh; the site is built against each into a folder
 * beside it (NIANBAO_STATIC / NIANBAO_BUILD), so build/ and static/ stay the
 * bundled ones.
 *
 * Prints a markdown table: first chart (the prerendered drawing shown)
 * beside its floor (a static page holding the same SVG, measured the same
 * way, interleaved), the page's own Plot drawing over it, DuckDB ready,
 * filter change → redrawn chart, an agency profile (facts read on demand),
 * and the bytes the server sent.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import type { Manifest } from '../../lib/dataset/columns';
import { DATASET_SCHEMA_VERSION } from '../../lib/dataset/tables';
import { BUILD, ROOT, ensureBuild, launch, serve } from './browser';
import { CHART_SHOWN, CHART_SHOWN_SCRIPT, measureFloor, writeDuckdbFloor, writeStaticFloor } from './floors';
import { THROTTLE, floorMs, measureLinks, pickLinkAgencies, storedAgencyIds, UNSTORED, type LinkAgencies, type LinkTimes } from './links';

function arg(name: string, fallback: string): string {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? process.argv[i + 1] : fallback;
}
const RUNS = Number(arg('runs', '3'));
const SIZES = arg('sizes', 'bundled,10000,100000').split(',');
const TIMEOUT_MS = Number(arg('timeout', '180')) * 1000;
/** A shared link not drawn within this is recorded as not drawn; the cold open waits as long for DuckDB before the warm one. */
const LINK_TIMEOUT_MS = Number(arg('link-timeout', '60')) * 1000;
const FRESH = process.argv.includes('--fresh');
/** Skip the throttled shared links (minutes per dataset) when only the start figures are wanted. */
const LINKS = !process.argv.includes('--no-links');
/** The throttled shared links only. */
const LINKS_ONLY = process.argv.includes('--links-only');
const SITES = process.argv.flatMap((a, i) => (a === '--site' ? [process.argv[i + 1]] : []));
const CACHE = join(ROOT, 'node_modules', '.cache', 'nianbao', 'bench');
const LEVELS = ['县', '乡', '市', ''];

interface Site {
	label: string;
	dir: string;
	reports: number;
	buildSeconds: number | null;
	htmlBytes: number;
	/** Agencies with a report every year, for the profile and the links: with stored answers, and without (beyond the build's cap). */
	agencies: LinkAgencies;
}

interface Run {
	/** The first paint holding a chart's SVG (floors.ts CHART_SHOWN_SCRIPT; the static-page floor is measured the same way). */
	firstChart: number;
	/** The page's own Plot drew the first chart (over the prerendered one). */
	chartDrawn: number;
	/** Engine marks: start tables fetched and decoded; DuckDB-WASM compiled and open (both run at once). */
	dataDecoded: number;
	duckdbOpen: number;
	engineReady: number;
	filter: number[];
	profile: number;
	js: number;
	wasm: number;
	dataAtReady: number;
	dataTotal: number;
	html: number;
	/** The first chart's SVG as drawn (the static-page floor shows it). */
	svg: string | null;
	/** Floors, measured right after this run (floors.ts). */
	duckdbAlone: number;
	staticPage: number;
	error?: string;
}

const median = (xs: number[]) => {
	const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
	if (!s.length) return NaN;
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x: number) => (Number.isFinite(x) ? (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`) : '—');
const times = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '—');
/** A link's time, or that it was not drawn within the link timeout. */
const drawnIn = (t: LinkTimes, open: 'cold' | 'warm') => (t.notDrawn.includes(open) ? `not drawn in ${LINK_TIMEOUT_MS / 1000} s` : ms(t[open]));
const size = (x: number) => (!Number.isFinite(x) ? '—' : x >= 1048576 ? `${(x / 1048576).toFixed(1)} MB` : `${(x / 1024).toFixed(0)} KB`);

function run(cmd: string, args: string[], env: Record<string, string> = {}): void {
	const r = spawnSync(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26 });
	if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout?.slice(-3000)}\n${r.stderr?.slice(-3000)}`);
}

function manifestOf(dataDir: string): Manifest | null {
	try {
		return JSON.parse(readFileSync(join(dataDir, 'manifest.json'), 'utf8'));
	} catch {
		return null;
	}
}

/**
 * Agencies that reported in every year of the dataset (the profile's
 * subject, the compared pair): two whose answers the site's build stored,
 * and two it did not, if any.
 */
async function fullAgencies(dataDir: string, siteDir: string): Promise<LinkAgencies> {
	const { parquetReadObjects } = await import('hyparquet');
	const m = manifestOf(dataDir)!;
	const rows: { agency_id: string; year: number }[] = [];
	for (const name of m.files.report_metrics) {
		const b = readFileSync(join(dataDir, name));
		const file = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
		for (const r of await parquetReadObjects({ file, columns: ['agency_id', 'year'] })) rows.push(r as (typeof rows)[number]);
	}
	const years = new Set(rows.map((r) => r.year));
	const count = new Map<string, number>();
	for (const r of rows) count.set(r.agency_id, (count.get(r.agency_id) ?? 0) + 1);
	const full = [...count]
		.filter(([, n]) => n === years.size)
		.map(([id]) => id)
		.sort();
	return pickLinkAgencies(full, storedAgencyIds(siteDir));
}

async function bundledSite(): Promise<Site> {
	const t0 = performance.now();
	const index = join(BUILD, 'index.html');
	const before = existsSync(index) ? statSync(index).mtimeMs : 0;
	ensureBuild();
	const rebuilt = statSync(index).mtimeMs !== before;
	const data = join(ROOT, 'static', 'data');
	return {
		label: 'bundled',
		dir: BUILD,
		reports: manifestOf(data)!.counts.reports,
		buildSeconds: rebuilt ? (performance.now() - t0) / 1000 : null,
		htmlBytes: statSync(index).size,
		agencies: await fullAgencies(data, BUILD)
	};
}

/** A site built elsewhere, measured as it is. */
async function prebuiltSite(dir: string): Promise<Site> {
	const data = join(dir, 'data');
	const m = manifestOf(data);
	const schema = m?.schema_version;
	// A site built from an older dataset lists one file per table where this bench reads a list of parts.
	if (schema !== DATASET_SCHEMA_VERSION)
		throw new Error(
			`${data}/manifest.json: dataset schema ${schema ?? 'missing'}, this bench reads ${DATASET_SCHEMA_VERSION}: ingest it again and rebuild the site`
		);
	return {
		label: dir,
		dir,
		reports: m!.counts.reports,
		buildSeconds: null,
		htmlBytes: statSync(join(dir, 'index.html')).size,
		agencies: await fullAgencies(data, dir)
	};
}

async function generatedSite(count: number): Promise<Site> {
	const root = join(CACHE, String(count));
	const data = join(root, 'static', 'data');
	const m = manifestOf(data);
	if (FRESH || !m || m.schema_version !== DATASET_SCHEMA_VERSION || m.counts.reports !== count) {
		rmSync(root, { recursive: true, force: true });
		const t0 = performance.now();
		process.stderr.write(`bench: generating ${count} reports…\n`);
		run('npx', ['tsx', 'src/cli/bench/data.ts', '--count', String(count), '--out', data]);
		process.stderr.write(`bench: generated in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
	}
	const out = join(root, 'build');
	rmSync(out, { recursive: true, force: true });
	const t0 = performance.now();
	process.stderr.write(`bench: building the site against ${count} reports…\n`);
	run('npx', ['vite', 'build'], { NIANBAO_STATIC: join(root, 'static'), NIANBAO_BUILD: out });
	const buildSeconds = (performance.now() - t0) / 1000;
	return {
		label: count.toLocaleString('en'),
		dir: out,
		reports: count,
		buildSeconds,
		htmlBytes: statSync(join(out, 'index.html')).size,
		agencies: await fullAgencies(data, out)
	};
}

async function measure(browser: Browser, site: Site): Promise<Run> {
	const server = await serve(site.dir);
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	// tsx (esbuild keepNames) wraps functions in __name(); give the page a no-op one for page.evaluate.
	await context.addInitScript('globalThis.__name = (f) => f');
	await context.addInitScript(CHART_SHOWN_SCRIPT);
	const r: Run = {
		firstChart: NaN,
		chartDrawn: NaN,
		dataDecoded: NaN,
		duckdbOpen: NaN,
		engineReady: NaN,
		filter: [],
		profile: NaN,
		js: 0,
		wasm: 0,
		dataAtReady: NaN,
		dataTotal: 0,
		html: 0,
		svg: null,
		duckdbAlone: NaN,
		staticPage: NaN
	};
	const bytes = (test: (path: string) => boolean) => [...server.sent].filter(([p]) => test(p)).reduce((a, [, b]) => a + b, 0);
	// The dataset's files and the build's start data (db/start.ts).
	const isData = (p: string) => p.startsWith('/data/') || p.startsWith('/start/');
	try {
		const page = await context.newPage();
		await page.goto(server.origin + '/');
		await page.waitForSelector('[data-engine="ready"], [data-engine="error"]', { timeout: TIMEOUT_MS });
		const marks = await page.evaluate((CHART_SHOWN) => {
			const at = (name: string) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
			return {
				firstChart: at(CHART_SHOWN),
				chartDrawn: at('nianbao:chart-drawn'),
				dataDecoded: at('nianbao:data-decoded'),
				duckdbOpen: at('nianbao:duckdb-open'),
				engineReady: at('nianbao:engine-ready'),
				now: performance.now()
			};
		}, CHART_SHOWN);
		const { now, ...at } = marks;
		Object.assign(r, at);
		r.svg = await page.evaluate(() => document.querySelector('[data-chart] svg')?.outerHTML ?? null);
		if ((await page.getAttribute('[data-engine]', 'data-engine')) === 'error')
			throw new Error(`engine error after ${ms(now)}: ${(await page.textContent('[data-error]'))?.replace(/\s+/g, ' ').trim().slice(-120)}`);
		r.dataAtReady = bytes(isData);
		for (const level of LEVELS) {
			// One change of the 层级 filter: from the change event to the requests chart redrawn with DuckDB's answer.
			const elapsed = await page.evaluate(async (value) => {
				// (none after a filter that left no report)
				const before = document.querySelector('[data-chart="requests"]')?.getAttribute('data-rendered') ?? null;
				const select = document.querySelector<HTMLSelectElement>('select[name=level]')!;
				const done = new Promise<number>((resolve) => {
					const check = () => {
						const c = document.querySelector('[data-chart="requests"]');
						const view = document.querySelector('[data-view="overview"]');
						// redrawn; or, where the filter leaves no report (市 on the bundled data: aggregate reports only), the charts gone
						if (view?.getAttribute('data-busy') === 'false' && (c ? c.getAttribute('data-rendered') !== before : view.querySelector('[data-testid="scope"]'))) {
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
			r.filter.push(elapsed);
		}
		// The agency tab: reports, facts and issues of one agency, read on demand.
		// Through the app's own navigation, as a click on an agency link of the overview.
		const t0 = await page.evaluate(() => performance.now());
		await page.evaluate(async (href) => {
			const a = document.createElement('a');
			a.href = href;
			document.body.append(a);
			a.click();
			a.remove();
		}, `/agency?a=${site.agencies.stored[0]}`);
		await page.waitForSelector('[data-view="agency"][data-ready="true"] table[data-table="三"]', { timeout: TIMEOUT_MS });
		r.profile = (await page.evaluate(() => performance.now())) - t0;
	} catch (e) {
		r.error = e instanceof Error ? e.message.split('\n')[0] : String(e);
	} finally {
		r.js = bytes((p) => p.endsWith('.js'));
		r.wasm = bytes((p) => p.endsWith('.wasm'));
		r.dataTotal = bytes(isData);
		r.html = bytes((p) => p === '/' || p.endsWith('.html'));
		await context.close();
		await server.close();
	}
	return r;
}

function gzipped(dir: string): { wasm: number } {
	const out = { wasm: 0 };
	const walk = (d: string) => {
		for (const e of readdirSync(d, { withFileTypes: true })) {
			const p = join(d, e.name);
			if (e.isDirectory()) walk(p);
			else if (e.name.endsWith('.wasm')) out.wasm += gzipSync(readFileSync(p), { level: 6 }).length;
		}
	};
	walk(join(dir, '_app'));
	return out;
}

async function main() {
	const sites: Site[] = [];
	if (SITES.length) for (const dir of SITES) sites.push(await prebuiltSite(dir));
	else for (const s of SIZES) sites.push(s === 'bundled' ? await bundledSite() : await generatedSite(Number(s)));
	const browser = await launch();
	const results = new Map<Site, Run[]>();
	const links = new Map<Site, LinkTimes[][]>();
	for (const site of sites) {
		results.set(site, []);
		links.set(site, []);
	}
	// Run i of every site, then run i + 1 of every site (A, B, A, B …): a load that changes during the bench then falls on each site alike.
	try {
		if (!LINKS_ONLY) for (const site of sites) await writeDuckdbFloor(site.dir);
		for (let i = 0; i < (LINKS_ONLY ? 0 : RUNS); i++) {
			for (const site of sites) {
				const r = await measure(browser, site);
				// Its floors right after it (interleaved: a machine that slows down slows both).
				r.duckdbAlone = await measureFloor(browser, site.dir, 'duckdb', TIMEOUT_MS).catch(() => NaN);
				if (r.svg) {
					writeStaticFloor(site.dir, r.svg);
					r.staticPage = await measureFloor(browser, site.dir, 'static', TIMEOUT_MS).catch(() => NaN);
				}
				results.get(site)!.push(r);
				process.stderr.write(
					`${site.label} run ${i + 1}/${RUNS}: first chart ${ms(r.firstChart)} (static page ${ms(r.staticPage)}), drawn by the page ${ms(r.chartDrawn)}, DuckDB ready ${ms(r.engineReady)} (alone ${ms(r.duckdbAlone)}), filter ${ms(median(r.filter))}, profile ${ms(r.profile)}${r.error ? `, ERROR ${r.error}` : ''}\n`
				);
			}
		}
		for (let i = 0; i < (LINKS ? RUNS : 0); i++) {
			for (const site of sites) {
				const times = await measureLinks(browser, site.dir, site.agencies, { drawMs: LINK_TIMEOUT_MS, settleMs: LINK_TIMEOUT_MS });
				links.get(site)!.push(times);
				process.stderr.write(
					`${site.label} links run ${i + 1}/${RUNS}: ${times.map((t) => `${t.label} ${drawnIn(t, 'cold')} (${t.coldBy}) / ${drawnIn(t, 'warm')} (${t.warmBy})${t.error ? ` ERROR ${t.error}` : ''}`).join(', ')}\n`
				);
			}
		}
	} finally {
		await browser.close();
	}

	const cell = <T>(runs: T[], f: (r: T) => number, fmt: (x: number) => string) => {
		const xs = runs.map(f).filter(Number.isFinite);
		if (!xs.length) return '—';
		const lo = Math.min(...xs);
		const hi = Math.max(...xs);
		return xs.length > 1 && fmt(lo) !== fmt(hi) ? `${fmt(median(xs))} (${fmt(lo)}–${fmt(hi)})` : fmt(median(xs));
	};
	const row = (label: string, f: (r: Run) => number, fmt: (x: number) => string) =>
		`| ${label} | ${sites.map((s) => cell(results.get(s)!, f, fmt)).join(' | ')} |`;
	const gz = gzipped(sites[0].dir);
	const lines = LINKS_ONLY
		? []
		: [
				`Dashboard in headless Chromium, ${RUNS} cold runs per dataset (fresh context each; median, and range), served on 127.0.0.1 without compression.`,
				'',
				`| Measure | ${sites.map((s) => `${s.label} (${s.reports.toLocaleString('en')} reports)`).join(' | ')} |`,
				`|---|${sites.map(() => '---').join('|')}|`,
				row('Cold load → first chart shown (the prerendered drawing)', (r) => r.firstChart, ms),
				row('  floor: a static page holding the same SVG, measured the same way', (r) => r.staticPage, ms),
				row('  ratio to the floor (per run; target ≤ 2×)', (r) => r.firstChart / r.staticPage, times),
				row("Cold load → the page's own Plot drew it (hydrated)", (r) => r.chartDrawn, ms),
				row('Cold load → DuckDB ready (start tables loaded)', (r) => r.engineReady, ms),
				row('  floor: DuckDB-WASM started alone, no data', (r) => r.duckdbAlone, ms),
				row('  ratio to the floor (per run; target ≤ 1.5× at 100k, ≤ 2× at 1M)', (r) => r.engineReady / r.duckdbAlone, times),
				row('  of which: start tables fetched and decoded (at)', (r) => r.dataDecoded, ms),
				row('  of which: DuckDB-WASM compiled and open (at, in parallel)', (r) => r.duckdbOpen, ms),
				row(`Filter change → chart redrawn (median of ${LEVELS.length} per run; target ≤ 300 ms)`, (r) => median(r.filter), ms),
				row('Agency profile opened → tables drawn (facts read on demand; target ≤ 1 s)', (r) => r.profile, ms),
				row('JS transferred', (r) => r.js, size),
				row('WASM transferred', (r) => r.wasm, size),
				row('JS + WASM transferred', (r) => r.js + r.wasm, size),
				row('HTML transferred (with the inlined snapshot)', (r) => r.html, size),
				row('Data transferred until DuckDB ready', (r) => r.dataAtReady, size),
				row('Data transferred after the profile', (r) => r.dataTotal, size),
				`| Site build (vite build, prerender) | ${sites.map((s) => (s.buildSeconds === null ? 'reused' : `${s.buildSeconds.toFixed(0)} s`)).join(' | ')} |`,
				'',
				`With gzip -6 the WASM would be ${size(gz.wasm)}.`
			];
	// One row per link and measure; a cell per site: median (range), and the bytes sent until drawn.
	// What drew the chart in those runs (DrawnBy): prerendered numbers, stored answers or DuckDB.
	// Rows by link label: a site whose build stored every agency has no row for agencies without stored answers.
	const linkRow = (
		link: string,
		label: string,
		f: (t: LinkTimes) => number,
		bytes: (t: LinkTimes) => number,
		by?: (t: LinkTimes) => string | null,
		open?: 'cold' | 'warm'
	) =>
		`| ${label} | ${sites
			.map((s) => {
				const runs = links
					.get(s)!
					.map((run) => run.find((t) => t.label === link))
					.filter((t) => t !== undefined);
				if (!runs.length) return '— (every agency stored)';
				const drawn = by ? [...new Set(runs.map(by).filter((x) => x))].join('/') : '';
				const missed = open ? runs.filter((t) => t.notDrawn.includes(open)).length : 0;
				const late = missed ? `; ${missed} of ${runs.length} not drawn in ${LINK_TIMEOUT_MS / 1000} s` : '';
				return `${cell(runs, f, ms)} (${size(median(runs.map(bytes)))})${drawn ? ` · ${drawn}` : ''}${late}`;
			})
			.join(' | ')} |`;
	if (LINKS)
		lines.push(
			'',
			`Shared links over a throttled network (CDP: ${THROTTLE.mbitPerSecond} Mbit/s, ${THROTTLE.latencyMs} ms latency), served precompressed: navigation → first chart drawn, (in brackets) the bytes sent until then, and what drew it (prerendered numbers, stored answers of the views' queries, or DuckDB). Cold: fresh context; warm: the same link again in a new tab of that context. Floor: one round trip plus those bytes at ${THROTTLE.mbitPerSecond} Mbit/s. The links name agencies whose answers the build stored; where it stored only some (MAX_STORED_AGENCIES), the rows marked${UNSTORED} name two of the others, whose views wait for DuckDB.`,
			'',
			`| Link | ${sites.map((s) => s.label).join(' | ')} |`,
			`|---|${sites.map(() => '---').join('|')}|`,
			...[...new Set(sites.flatMap((s) => links.get(s)!.flatMap((run) => run.map((t) => t.label))))].flatMap((l) => [
				linkRow(
					l,
					`${l} — cold`,
					(t) => t.cold,
					(t) => t.coldBytes,
					(t) => t.coldBy,
					'cold'
				),
				linkRow(
					l,
					`${l} — cold floor`,
					(t) => floorMs(t.coldBytes),
					(t) => t.coldBytes
				),
				linkRow(
					l,
					`${l} — warm`,
					(t) => t.warm,
					(t) => t.warmBytes,
					(t) => t.warmBy,
					'warm'
				)
			])
		);
	const errors = sites.flatMap((s) => [
		...results
			.get(s)!
			.filter((r) => r.error)
			.map((r) => `- ${s.label}: ${r.error}`),
		...links
			.get(s)!
			.flat()
			.filter((t) => t.error)
			.map((t) => `- ${s.label} ${t.label}: ${t.error}`)
	]);
	if (errors.length) lines.push('', 'Errors:', ...errors);
	console.log(lines.join('\n'));
}

main().catch((e) => {
	console.error(`bench:dashboard: ${e instanceof Error ? e.message : String(e)}`);
	process.exit(1);
});
