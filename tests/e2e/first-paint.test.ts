import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVALUATED_MARK, HYDRATE_MARK } from '../../src/hooks.client';
import { openPage, serveBuildCopy, type Site } from './harness';

// The overview's first paint (issue 16.4): its CSS comes in the HTML, the app's code waits for the first paint,
// and what starts below the first screen is laid out only near it. None of that may move what the reader
// already sees, or leave a part of the page undrawn when they reach it. Speed itself is measured by
// `npm run bench:dashboard`, not here.

let site: Site;

beforeAll(async () => {
	site = await serveBuildCopy('nianbao-first-paint-');
}, 600_000);

afterAll(async () => {
	await site?.close();
});

interface Watched {
	fcp: number;
	/** When the app's code was first evaluated, and when hydration began. */
	evaluated: number;
	hydrate: number;
	/** The first chart's drawing (its visible SVG) in the first frame that held it, and now. */
	first: { x: number; y: number; width: number; height: number } | null;
	now: { x: number; y: number; width: number; height: number };
	/** Each layout shift's sources: are they inside the engine's status line? */
	shifts: { value: number; inStatus: boolean[] }[];
	blocking: string[];
	/** When each of the app's modules was requested. */
	modules: { name: string; start: number }[];
}

/** Before the first byte: note the first chart's box in the first frame that holds it, and every layout shift. */
function watch() {
	const drawing = () => [...document.querySelectorAll('[data-chart="requests"] > svg')].map((s) => s.getBoundingClientRect()).find((r) => r.width > 0) ?? null;
	Object.assign(window, { __drawing: drawing });
	const w = window as unknown as { __first: DOMRect | null; __shifts: { value: number; inStatus: boolean[] }[] };
	w.__first = null;
	w.__shifts = [];
	new MutationObserver((_, observer) => {
		const chart = document.querySelector('[data-chart="requests"] svg');
		if (!chart) return;
		observer.disconnect();
		// At 390 px the first drawing parsed can be the hidden 1280 px one: wait for the first frame whose drawing shows.
		const look = () => {
			w.__first = drawing();
			if (!w.__first) requestAnimationFrame(look);
		};
		requestAnimationFrame(look);
	}).observe(document, { childList: true, subtree: true });
	new PerformanceObserver((list) => {
		for (const e of list.getEntries() as unknown as { value: number; sources: { node?: Node }[] }[])
			w.__shifts.push({
				value: e.value,
				inStatus: e.sources.map((s) => {
					const el = s.node?.nodeType === Node.TEXT_NODE ? s.node.parentElement : (s.node as Element | undefined);
					return !!el?.closest('[data-engine]');
				})
			});
	}).observe({ type: 'layout-shift', buffered: true });
}

describe('the overview paints first, then hydrates', () => {
	it('holds its CSS in the HTML: no stylesheet request blocks the first paint', () => {
		const html = readFileSync(join(site.tmp, 'site', 'index.html'), 'utf8');
		const css = html.slice(html.indexOf('<style>'), html.indexOf('</style>'));
		expect(css).toContain('.chart-card');
		// SvelteKit still names the inlined files, disabled, so the client does not load them again
		const links = html.match(/<link[^>]*rel="stylesheet"[^>]*>/g) ?? [];
		expect(links.length).toBeGreaterThan(0);
		for (const link of links) expect(link, link).toMatch(/ disabled /);
		// nor does a module preload start before the first paint: the start script adds them after it (first-paint.ts)
		expect(html).not.toMatch(/<link[^>]*modulepreload/);
		expect(html).toMatch(/window\.nianbaoFirstPaint\.then\(\(\) => \(\["[^"]+\.js"/);
	});

	for (const width of [1280, 390]) {
		it(`evaluates its code and hydrates after the first paint, and nothing but the engine's status moves, at ${width} px`, async () => {
			const v = await openPage(site.browser, site.server.origin + '/', width, {
				consoleErrors: true,
				prepare: async (c) => {
					await c.addInitScript(watch);
				}
			});
			await v.page.waitForSelector('[data-engine="ready"]', { timeout: 120_000 });
			await v.page.waitForFunction(() => Number(document.querySelector('[data-chart="requests"]')?.getAttribute('data-rendered')) > 0);
			const got: Watched = await v.page.evaluate(
				([mark, evaluated]) => {
					const w = window as unknown as { __first: DOMRect | null; __shifts: { value: number; inStatus: boolean[] }[]; __drawing: () => DOMRect | null };
					// to the pixel: the page draws at whole pixels what the build scaled (prerender.test.ts)
					const box = (r: DOMRect | null) => (r ? { x: Math.round(r.x), y: Math.round(r.y), width: Math.round(r.width), height: Math.round(r.height) } : null);
					return {
						fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
						evaluated: performance.getEntriesByName(evaluated)[0]?.startTime ?? NaN,
						hydrate: performance.getEntriesByName(mark)[0]?.startTime ?? NaN,
						first: box(w.__first),
						now: box(w.__drawing())!,
						shifts: w.__shifts,
						// renderBlockingStatus: Chromium's, not yet in TypeScript's DOM types
						blocking: (performance.getEntriesByType('resource') as (PerformanceResourceTiming & { renderBlockingStatus?: string })[])
							.filter((r) => r.renderBlockingStatus === 'blocking')
							.map((r) => r.name),
						modules: performance
							.getEntriesByType('resource')
							.filter((r) => /\/_app\/immutable\/.*\.js$/.test(r.name))
							.map((r) => ({ name: r.name, start: r.startTime }))
					};
				},
				[HYDRATE_MARK, EVALUATED_MARK]
			);
			expect(got.blocking).toEqual([]);
			expect(got.fcp).toBeGreaterThan(0);
			// the prerendered page was painted before the app's code was evaluated, and so before hydration began
			expect(got.evaluated).toBeGreaterThanOrEqual(got.fcp);
			expect(got.hydrate).toBeGreaterThanOrEqual(got.evaluated);
			// nor were its modules requested before it: their requests and compilation competed with the first frame
			expect(got.modules.length).toBeGreaterThan(0);
			for (const m of got.modules) expect(m.start, m.name).toBeGreaterThanOrEqual(got.fcp);
			// the first chart's drawing is where it was first painted, at its size, once the page has drawn over it
			expect(got.first).not.toBeNull();
			expect(got.now, JSON.stringify(got)).toEqual(got.first);
			// the only shifts are the status line's own text growing as the engine starts
			for (const s of got.shifts) expect(s.inStatus.every(Boolean), JSON.stringify(s)).toBe(true);
			expect(v.errors).toEqual([]);
			await v.context.close();
		});
	}

	it('leaves a prerendered chart card far below the first screen out of the first frame, and contains no live chart', async () => {
		// Before any script (as in the first frame): at 390 px the fourth card is screens below the tiles.
		const context = await site.browser.newContext({ viewport: { width: 390, height: 900 }, javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(site.server.origin + '/');
		const title = (id: string) =>
			page.evaluate((sel) => document.querySelector(sel)!.checkVisibility({ contentVisibilityAuto: true }), `[data-chart-card="${id}"] h3`);
		expect(await title('cases')).toBe(false);
		await page.locator('[data-chart-card="cases"]').scrollIntoViewIfNeeded();
		// (polled from here: waitForFunction needs the page's own scripts, off in this context)
		await expect.poll(() => title('cases'), { timeout: 10_000 }).toBe(true);
		await context.close();
		// Once the page's Plot has drawn every chart, no card is contained any more: a tooltip at a card's edge is not clipped.
		const v = await openPage(site.browser, site.server.origin + '/', 390, { consoleErrors: true });
		await v.page.waitForSelector('[data-engine="ready"]', { timeout: 120_000 });
		await v.page.waitForFunction(() => [...document.querySelectorAll('[data-chart]')].every((c) => Number(c.getAttribute('data-rendered')) > 0));
		const contained = await v.page.evaluate(() =>
			[...document.querySelectorAll('[data-chart-card]')].map((c) => `${c.getAttribute('data-chart-card')}: ${getComputedStyle(c).contentVisibility}`)
		);
		expect(contained.length).toBeGreaterThan(4);
		for (const c of contained) expect(c).toMatch(/: visible$/);
		expect(v.errors).toEqual([]);
		await v.context.close();
	});

	it('draws what starts below the first screen once the reader reaches it', async () => {
		const v = await openPage(site.browser, site.server.origin + '/', 1280, { consoleErrors: true });
		await v.page.waitForSelector('[data-engine="ready"]', { timeout: 120_000 });
		/** Is the part's last text laid out and drawn (not skipped by content-visibility)? */
		const drawn = (part: string) =>
			v.page.evaluate(
				(sel) => [...document.querySelector(sel)!.querySelectorAll('h2, h3, td, p')].at(-1)!.checkVisibility({ contentVisibilityAuto: true }),
				part
			);
		// far below a 900 px screen (the trends start within Chromium's margin of it, and are drawn at once there)
		expect(await drawn('section.matrix')).toBe(false);
		expect(await drawn('footer.about')).toBe(false);
		for (const part of ['[data-testid="table2-trends"]', 'section.matrix', 'footer.about']) {
			await v.page.locator(part).scrollIntoViewIfNeeded();
			await v.page.waitForFunction(
				(sel) => [...document.querySelector(sel)!.querySelectorAll('h2, h3, td, p')].at(-1)!.checkVisibility({ contentVisibilityAuto: true }),
				part,
				{ timeout: 10_000 }
			);
			// laid out at its own height, not the placeholder's
			const heights = await v.page.evaluate((sel) => {
				const el = document.querySelector<HTMLElement>(sel)!;
				const shown = el.getBoundingClientRect().height;
				el.style.contentVisibility = 'visible';
				const full = el.getBoundingClientRect().height;
				el.style.contentVisibility = '';
				return { shown, full };
			}, part);
			expect(heights.shown, part).toBe(heights.full);
		}
		await v.page.locator('section.matrix').screenshot({ path: join(process.cwd(), 'test-results', 'first-paint-matrix.png') });
		expect(v.errors).toEqual([]);
		await v.context.close();
	});
});
