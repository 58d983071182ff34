import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricOf } from '$lib/db/aggregate';
import { heightFor, PRERENDER_WIDTHS } from '$lib/charts/plots';
import { formatValue } from '$lib/ui/format';
import { metricLabel } from '$lib/ui/i18n';
import { datasetTable, ROOT, serveBuildCopy, type Row, type Site } from './harness';

// The overview's first charts are in the prerendered HTML (issue 16.4): drawn
// at build time by the same Plot builders, so they show before any script
// runs, and the page's own Plot then draws over them without a jump. Expected
// numbers come from the Parquet files, never from the page's SQL.

const SHOTS = join(ROOT, 'test-results');
const CHARTS = [
	'requests',
	'outcomes',
	'rates',
	'cases',
	'licensing_decisions',
	'punishment_decisions',
	'coercion_decisions',
	'fee_revenue',
	'normative_documents_issued'
];
const LINES: Record<string, string[]> = { requests: ['requests_received', 'requests_processed'], punishment_decisions: ['punishment_decisions'] };

let site: Site;
let reports: Row[];
let metrics: Row[];

/** Σ of a count metric per year over the own reports (the overview's default scope) that print it. */
function sums(metric: string): Map<number, number> {
	const own = new Map(reports.filter((r) => r.scope === 'own').map((r) => [r.report_id, Number(r.year)]));
	const out = new Map<number, number>();
	for (const m of metrics) {
		const year = own.get(m.report_id);
		if (m.metric === metric && year !== undefined && m.value !== null) out.set(year, (out.get(year) ?? 0) + Number(m.value));
	}
	return out;
}

/**
 * A fresh context. At 2 device pixels per CSS pixel, as phones and most laptops: on a 1:1 screen Plot
 * moves its lines half a pixel to land on whole pixels, which the build cannot know, so the page's
 * drawing there sits 0.5 px from the prerendered one.
 */
async function open(path: string, width: number, javaScriptEnabled: boolean) {
	const context = await site.browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: 2, locale: 'zh-CN', javaScriptEnabled });
	const page = await context.newPage();
	const problems: string[] = [];
	page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
	page.on('console', (m) => {
		if (m.type() === 'error' || /hydration/i.test(m.text())) problems.push(`${m.type()}: ${m.text()}`);
	});
	await page.goto(site.server.origin + path);
	return { context, page, problems };
}

interface Drawn {
	/** The drawing shown (the prerender holds a wide and a narrow one). */
	width: number;
	box: { width: number; height: number };
	/** Every aria-label in drawing order: the points' and bars' numbers, the marks' names. */
	labels: string[];
	/** Element names in drawing order, and the numbers of their geometry. */
	tags: string[];
	numbers: number[][];
	flags: number;
	mixed: string[];
	/** The dots of one chart: aria-label and y of the centre; the y axis: tick value and y. */
	dots: { label: string; y: number }[];
	ticks: { value: number; y: number }[];
}

/** The visible drawing of each chart, as the page shows it. */
function drawings(page: Page): Promise<Record<string, Drawn>> {
	return page.evaluate(() => {
		const out: Record<string, unknown> = {};
		const numbers = (v: string) => (v.match(/-?\d+(\.\d+)?(e-?\d+)?/g) ?? []).map(Number);
		const translateY = (el: Element) => Number(/translate\([^,]+,([^)]+)\)/.exec(el.getAttribute('transform') ?? '')?.[1] ?? NaN);
		for (const host of document.querySelectorAll('[data-chart]')) {
			const svg = [...host.querySelectorAll(':scope > svg')].find((s) => getComputedStyle(s).display !== 'none')!;
			// Plot's <style> aside: the prerendered page holds one for all its drawings, the page's Plot one per chart
			const all = [svg, ...svg.querySelectorAll('*')].filter((e) => e.tagName !== 'style');
			const box = svg.getBoundingClientRect();
			out[host.getAttribute('data-chart')!] = {
				width: Number(svg.getAttribute('width')),
				box: { width: Math.round(box.width), height: Math.round(box.height) },
				labels: all.map((e) => e.getAttribute('aria-label')).filter((x): x is string => x !== null),
				tags: all.map((e) => e.tagName),
				numbers: all.map((e) => ['d', 'transform', 'x', 'y', 'x1', 'x2', 'y1', 'y2', 'width', 'height'].flatMap((a) => numbers(e.getAttribute(a) ?? ''))),
				flags: svg.querySelectorAll('.flag-mark > *').length,
				mixed: [...svg.querySelectorAll('[data-mixed]')].map((e) => e.getAttribute('data-mixed')!),
				dots: [...svg.querySelectorAll('g[aria-label="dot"] > path')].map((e) => ({ label: e.getAttribute('aria-label') ?? '', y: translateY(e) })),
				ticks: [...svg.querySelectorAll('g[aria-label="y-axis tick label"] text')].map((e) => ({
					value: Number(e.textContent!.replace(/,/g, '')),
					y: translateY(e)
				}))
			};
		}
		return out as Record<string, Drawn>;
	});
}

beforeAll(async () => {
	mkdirSync(SHOTS, { recursive: true });
	site = await serveBuildCopy('nianbao-prerender-');
	[reports, metrics] = await Promise.all([datasetTable(site.data, 'reports'), datasetTable(site.data, 'metrics')]);
}, 600_000);

afterAll(() => site?.close());

describe('the overview drawn into the prerendered HTML', () => {
	it('shows every first chart with JavaScript off, each point at its number from the Parquet files', async () => {
		const v = await open('/', 1280, false);
		const drawn = await drawings(v.page);
		expect(Object.keys(drawn).sort()).toEqual([...CHARTS].sort());
		for (const [id, ids] of Object.entries(LINES)) {
			const d = drawn[id];
			expect(d.width, id).toBe(PRERENDER_WIDTHS.wide);
			// the y axis as drawn: value = a + b·y, from its first and last tick
			const [t0, t1] = [d.ticks[0], d.ticks.at(-1)!];
			const valueAt = (y: number) => t0.value + ((y - t0.y) * (t1.value - t0.value)) / (t1.y - t0.y);
			const perPixel = Math.abs((t1.value - t0.value) / (t1.y - t0.y));
			for (const metric of ids) {
				const label = metricLabel(metricOf(metric), 'zh');
				const want = sums(metric);
				expect(want.size, metric).toBeGreaterThan(0);
				for (const [year, value] of want) {
					const dot = d.dots.find((p) => p.label.startsWith(`${year} ${label}：`));
					expect(dot, `${id} ${metric} ${year}`).toBeDefined();
					expect(dot!.label.split('\n')[0]).toBe(`${year} ${label}：${formatValue(value, 'count', 'zh')}`);
					expect(Math.abs(valueAt(dot!.y) - value), `${metric} ${year} drawn at ${valueAt(dot!.y)}`).toBeLessThanOrEqual(perPixel);
				}
			}
		}
		// the bundled data has flagged reports that move points and years that mix templates: both are drawn
		expect(drawn.requests.flags).toBeGreaterThan(0);
		expect(drawn.requests.mixed.length).toBeGreaterThan(0);
		expect(drawn.outcomes.mixed).toEqual(drawn.requests.mixed);
		// Plot's <style> comes once in the page, not once per drawing, and its rules still reach every drawing
		const styled = await v.page.evaluate(() => ({
			sheets: document.querySelectorAll('[data-chart] > svg > style').length,
			drawings: [...document.querySelectorAll('[data-chart] > svg')].map((svg) => ({
				maxWidth: getComputedStyle(svg).maxWidth,
				text: getComputedStyle(svg.querySelector('text')!).whiteSpace
			}))
		}));
		expect(styled.sheets).toBe(1);
		expect(styled.drawings).toHaveLength(2 * CHARTS.length);
		for (const d of styled.drawings) expect(d).toEqual({ maxWidth: '100%', text: 'pre' });
		await v.page.screenshot({ path: join(SHOTS, 'prerender-nojs-1280.png') });
		expect(v.problems).toEqual([]);
		await v.context.close();
	});

	for (const width of [1280, 390]) {
		it(`hydrates to the same drawing, in the same place, at ${width} px`, async () => {
			const off = await open('/', width, false);
			const before = await drawings(off.page);
			// their text, not innerText: Chromium's innerText of a part not yet laid out (content-visibility) is empty
			const legends = await off.page.locator('[data-chart-card] .legend').allTextContents();
			await off.context.close();

			const on = await open('/', width, true);
			await on.page.waitForSelector('[data-engine="ready"]', { timeout: 120_000 });
			await on.page.waitForFunction(() => [...document.querySelectorAll('[data-chart]')].every((c) => Number(c.getAttribute('data-rendered')) > 0));
			const after = await drawings(on.page);
			for (const id of CHARTS) {
				const [a, b] = [before[id], after[id]];
				// the card's plot is as wide as the drawing the prerender chose, and the page draws at that width
				expect(a.width, id).toBe(width === 1280 ? PRERENDER_WIDTHS.wide : PRERENDER_WIDTHS.narrow);
				expect(b.width, id).toBe(a.width);
				expect(b.box, id).toEqual(a.box);
				expect(b.box.height, id).toBe(heightFor(b.width));
				expect(b.labels, id).toEqual(a.labels);
				expect(b.tags, id).toEqual(a.tags);
				// the prerender writes positions to a hundredth of a pixel
				expect(b.numbers.map((ns) => ns.length)).toEqual(a.numbers.map((ns) => ns.length));
				const off = b.numbers.flatMap((ns, i) => ns.map((n, j) => Math.abs(n - a.numbers[i][j])));
				expect(Math.max(0, ...off), id).toBeLessThanOrEqual(0.006);
				expect(b.flags, id).toBe(a.flags);
				expect(b.mixed, id).toEqual(a.mixed);
			}
			expect(await on.page.locator('[data-chart-card] .legend').allTextContents()).toEqual(legends);
			await on.page.screenshot({ path: join(SHOTS, `prerender-js-${width}.png`) });
			expect(on.problems).toEqual([]);
			await on.context.close();
		});
	}

	it('never empties a chart between the prerendered drawing and the page drawing over it', async () => {
		const context = await site.browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 2 });
		// From the first byte: note any moment a chart holds no drawing.
		await context.addInitScript(() => {
			const w = window as unknown as { __emptied: string[] };
			w.__emptied = [];
			const drawn = new Set<string>();
			new MutationObserver(() => {
				for (const c of document.querySelectorAll('[data-chart]')) {
					const id = c.getAttribute('data-chart')!;
					if (c.querySelector('svg')) drawn.add(id);
					else if (drawn.has(id)) w.__emptied.push(id);
				}
				// a chart card that left the page (the app started over) empties its chart too
				for (const id of drawn) if (!document.querySelector(`[data-chart="${id}"] svg`) && !w.__emptied.includes(id)) w.__emptied.push(id);
			}).observe(document, { childList: true, subtree: true });
		});
		const page = await context.newPage();
		await page.goto(site.server.origin + '/');
		await page.waitForSelector('[data-engine="ready"]', { timeout: 120_000 });
		await page.waitForFunction(() => [...document.querySelectorAll('[data-chart]')].every((c) => Number(c.getAttribute('data-rendered')) > 0));
		expect(await page.evaluate(() => (window as unknown as { __emptied: string[] }).__emptied)).toEqual([]);
		await context.close();
	});
});
