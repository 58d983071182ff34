import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRows, datasetTable, downloaded, openPage, ROOT, type Row, serveBuildCopy, type Site } from './harness';

// Charts a leader can read at a glance (issue 14, items 6–9): labels that
// neither overlap nor lose what tells agencies apart, n beside every share
// and rate, exports that carry their legend and scope, and pages that fit a
// phone. Expected numbers come from the Parquet files the page loads.

const SHOTS = join(ROOT, 'test-results');
let site: Site;
const table = (name: string) => datasetTable(site.data, name);

let agencies: Row[];
let reports: Row[];
/** One row per report, every count a column. */
let rm: Row[];
/** The harmonized metrics, rates included: a rate's row exists where the report has it. */
let metrics: Row[];
let all: string;

const OUTCOMES = ['outcome_granted', 'outcome_partial', 'outcome_denied', 'outcome_unable', 'outcome_not_processed', 'outcome_other'];
/** SMALL_N of src/lib/charts/plots.ts: below it a share or rate is drawn pale. */
const SMALL_N = 10;

const visit = (path: string, width = 1280) => openPage(site.browser, site.server.origin + path, width);

/** Wait for a view's chart card to be drawn from DuckDB's answer. */
async function drawn(page: Page, view: string, chart: string, inner = 'svg'): Promise<void> {
	await page.waitForSelector(`[data-view="${view}"][data-ready="true"][data-busy="false"] [data-chart="${chart}"] ${inner}`, { timeout: 90_000 });
}

interface Box {
	x: number;
	y: number;
	width: number;
	height: number;
	text: string;
}
const boxes = (page: Page, selector: string): Promise<Box[]> =>
	page.locator(selector).evaluateAll((els) =>
		els.map((e) => {
			const r = e.getBoundingClientRect();
			// Text: its em box, where the glyphs' ink lies (the line box adds the CJK font's ascent and descent).
			const size = e instanceof SVGTextElement ? parseFloat(getComputedStyle(e).fontSize) : r.height;
			return { x: r.x, y: r.y + (r.height - size) / 2, width: r.width, height: size, text: e.textContent ?? '' };
		})
	);
/** Two boxes overlap by more than half a pixel. */
const overlap = (a: Box, b: Box) => a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;
function expectApart(list: Box[]): void {
	for (let i = 0; i < list.length; i++)
		for (let j = i + 1; j < list.length; j++) expect(overlap(list[i], list[j]), `"${list[i].text}" overlaps "${list[j].text}"`).toBe(false);
}
function expectInside(list: Box[], frame: Box): void {
	for (const b of list) {
		expect(b.x, `"${b.text}" starts left of its chart`).toBeGreaterThanOrEqual(frame.x - 0.5);
		expect(b.x + b.width, `"${b.text}" is cut off on the right`).toBeLessThanOrEqual(frame.x + frame.width + 0.5);
	}
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const nameOf = (id: unknown) => String(agencies.find((a) => a.id === id)?.name);
const report = (id: unknown, year: number) => rm.find((r) => r.agency_id === id && Number(r.year) === year);
const latestYear = () => Math.max(...rm.map((r) => Number(r.year)));

beforeAll(async () => {
	mkdirSync(SHOTS, { recursive: true });
	site = await serveBuildCopy('nianbao-legibility-');
	agencies = await table('agencies');
	reports = await table('reports');
	rm = await table('report_metrics');
	metrics = await table('metrics');
	all = agencies.map((a) => String(a.id)).join(',');
});

afterAll(() => site?.close());

describe('scale and labels', () => {
	for (const width of [1280, 390])
		it(`the bump chart labels every line once, without overlaps, inside the chart (${width} px)`, async () => {
			const v = await visit(`/compare?ag=${all}&m=requests_received&chart=bump`, width);
			await drawn(v.page, 'compare', 'compare', '[aria-label="end-labels"] text');
			const ranked = new Set(rm.filter((r) => r.requests_received !== null).map((r) => r.agency_id));
			const labels = await boxes(v.page, '[data-chart="compare"] svg [aria-label="end-labels"] text');
			expect(labels).toHaveLength(ranked.size);
			expectApart(labels);
			const [frame] = await boxes(v.page, '[data-chart="compare"] > svg');
			expectInside(labels, frame);
			await v.page.locator('[data-chart-card="compare"]').screenshot({ path: join(SHOTS, `legibility-bump-${width}.png`) });
			expect(v.errors).toEqual([]);
			await v.context.close();
		});

	it('ranked-bar labels drop the prefix agencies share, keeping the end that tells them apart', async () => {
		const v = await visit(`/compare?ag=${all}&m=requests_received&chart=bars`);
		await drawn(v.page, 'compare', 'compare', '[aria-label="bar"] rect');
		const year = latestYear();
		const shown = rm.filter((r) => Number(r.year) === year && r.requests_received !== null).map((r) => nameOf(r.agency_id));
		const labels = (await boxes(v.page, '[data-chart="compare"] svg [aria-label="y-axis tick label"] text')).map((b) => b.text);
		expect(labels).toHaveLength(shown.length);
		expect(new Set(labels).size).toBe(labels.length);
		for (const l of labels)
			expect(
				shown.some((n) => n === l || (l.startsWith('…') && n.endsWith(l.slice(1)))),
				l
			).toBe(true);
		// the longest name of the bundled data keeps its end
		expect(labels.some((l) => l.endsWith('综合执法与应急管理局'))).toBe(true);
		await v.context.close();
	});

	it('the tick labels and the axis label of rate and share charts stay apart (no "100%" on "% →")', async () => {
		for (const [path, view, chart] of [
			['/outcomes?by=agency', 'outcomes', 'outcome-shares'],
			[`/compare?ag=${all}&m=grant_rate&chart=bars`, 'compare', 'compare']
		]) {
			const v = await visit(path);
			await drawn(v.page, view, chart, '[aria-label="bar"] rect');
			const axis = await boxes(v.page, `[data-chart="${chart}"] svg [aria-label^="x-axis"] text`);
			expect(axis.length).toBeGreaterThan(2);
			expectApart(axis);
			const [frame] = await boxes(v.page, `[data-chart="${chart}"] > svg`);
			expectInside(axis, frame);
			await v.context.close();
		}
	});

	it('a log scale for counts keeps small bodies readable beside a large one, and stays in the link', async () => {
		const v = await visit(`/compare?ag=${all}&m=requests_received`);
		await drawn(v.page, 'compare', 'compare', '[aria-label="line"]');
		await v.page.click('[data-testid="scale"] [data-scale="log"]');
		await v.page.waitForFunction(() => new URLSearchParams(location.search).get('log') === '1');
		await drawn(v.page, 'compare', 'compare', '[aria-label="line"]');
		const max = Math.max(...rm.map((r) => num(r.requests_received) ?? 0));
		const ticks = (await boxes(v.page, '[data-chart="compare"] svg [aria-label="y-axis tick label"] text')).map((b) => Number(b.text.replace(/,/g, '')));
		// 0, then powers of ten (or 1-2-5 steps) up to the first at or above the largest value
		expect(ticks[0]).toBe(0);
		expect(ticks).toContain(1);
		expect(ticks).toContain(10);
		expect(ticks.at(-1)).toBeGreaterThanOrEqual(max);
		expect(ticks.at(-1)! / 10).toBeLessThan(max);
		const notes = await v.page.locator('[data-chart-card="compare"] [data-testid="chart-note"]').allTextContents();
		expect(notes.join(' ')).toContain('对数纵轴');
		await v.page.locator('[data-chart-card="compare"]').screenshot({ path: join(SHOTS, 'legibility-log.png') });
		expect(v.errors).toEqual([]);
		await v.context.close();
	});
});

describe('shares and rates carry their n', () => {
	it('every outcome bar per agency shows its n; bars under SMALL_N requests are pale', async () => {
		const v = await visit('/outcomes?by=agency');
		await drawn(v.page, 'outcomes', 'outcome-shares', '[aria-label="bar"] rect');
		// an agency's n: the outcomes of its reports whose outcome rows add up to 办理总计 (PARTS_RULE)
		const balanced = (r: Row) =>
			r.requests_processed !== null && Math.abs(OUTCOMES.reduce((a, m) => a + (num(r[m]) ?? 0), 0) - Number(r.requests_processed)) < 0.5;
		const n = new Map<unknown, number>();
		for (const r of rm.filter(balanced)) n.set(r.agency_id, (n.get(r.agency_id) ?? 0) + OUTCOMES.reduce((a, m) => a + (num(r[m]) ?? 0), 0));
		const expected = [...n.values()].filter((x) => x > 0).sort((a, b) => b - a);
		const texts = (await boxes(v.page, '[data-chart="outcome-shares"] svg .bar-n text')).map((b) => b.text);
		const ticks = await v.page.locator('[data-chart="outcome-shares"] svg [aria-label="y-axis tick label"] text').count();
		expect(texts).toHaveLength(ticks);
		expect(texts.map((t) => Number(t.replace(/^n=/, '').replace(/,/g, ''))).sort((a, b) => b - a)).toEqual(expected.slice(0, ticks));
		// pale bars: one per agency under SMALL_N (its stacked parts share one y)
		const pale = await v.page
			.locator('[data-chart="outcome-shares"] svg .small-n rect')
			.evaluateAll((els) => new Set(els.map((e) => e.getAttribute('y'))).size);
		expect(pale).toBe(expected.filter((x) => x < SMALL_N).length);
		expect(pale).toBeGreaterThan(0); // the bundled data has such agencies: the check is not empty
		expect(await v.page.textContent('[data-chart-card="outcome-shares"] [data-testid="small-n-note"]')).toContain(`不足 ${SMALL_N} 件`);
		await v.context.close();
	});

	it('rate bars write n beside each value; an agency with 1 request is no full-confidence bar', async () => {
		const year = latestYear();
		const v = await visit(`/compare?ag=${all}&m=grant_rate&chart=bars`);
		await drawn(v.page, 'compare', 'compare', '[aria-label="bar"] rect');
		// n: 办理总计 of each report that has the rate (a row of the metrics table)
		const has = new Set(metrics.filter((m) => m.metric === 'grant_rate' && Number(m.year) === year).map((m) => m.report_id));
		const ns = rm.filter((r) => has.has(r.report_id)).map((r) => Number(r.requests_processed));
		const texts = (await boxes(v.page, '[data-chart="compare"] svg [aria-label="text"] text')).map((b) => b.text);
		expect(texts.map((t) => Number(/n=([\d,]+)/.exec(t)?.[1].replace(/,/g, ''))).sort((a, b) => a - b)).toEqual([...ns].sort((a, b) => a - b));
		const small = ns.filter((x) => x < SMALL_N).length;
		expect(small).toBeGreaterThan(0);
		expect(await v.page.locator('[data-chart="compare"] svg .small-n rect').count()).toBe(small);
		await v.context.close();
	});
});

describe('exports carry their context', () => {
	it('the SVG of a chart with ▲ marks and template marks carries their legend and the notes', async () => {
		const v = await visit(`/compare?ag=${all}&m=requests_received`);
		await drawn(v.page, 'compare', 'compare', '[aria-label="line"]');
		expect(await v.page.locator('[data-chart="compare"] svg .flag-mark > *').count()).toBeGreaterThan(0);
		// many agencies: the years that mix templates are shaded once (a rule per agency's switch piled up)
		expect(await v.page.locator('[data-chart="compare"] svg [data-mixed]').count()).toBeGreaterThan(0);
		const svg = (await downloaded(v.page, () => v.page.locator('[data-chart-card="compare"] [data-export="svg"]').click())).bytes.toString('utf8');
		expect(svg).toContain('含表格不满足勾稽关系的报告');
		expect(svg).toContain('两种表格格式并存的年份');
		// past eight series the colours repeat: the stamped legend (before the chart itself) tells them apart by dash, as the lines are drawn
		const legend = svg.slice(0, svg.indexOf('<svg', 1));
		expect(agencies.length).toBeGreaterThan(8);
		expect(legend).toContain('stroke-dasharray="6 3"');
		const note = await v.page.locator('[data-chart-card="compare"] [data-testid="chart-note"]').first().textContent();
		expect(svg).toContain(note!.trim().slice(0, 12));
		writeFileSync(join(SHOTS, 'legibility-export-lines.svg'), svg);
		await v.context.close();
		// one agency that switched templates: its own dashed rule, explained in the image
		const switched = agencies.map((a) => String(a.id)).find((id) => new Set(reports.filter((r) => r.agency_id === id).map((r) => r.template)).size > 1)!;
		const w = await visit(`/compare?ag=${switched}&m=requests_received`);
		await drawn(w.page, 'compare', 'compare', '[aria-label="line"]');
		expect(await w.page.locator('[data-chart="compare"] svg [data-break]').count()).toBe(1);
		const one = (await downloaded(w.page, () => w.page.locator('[data-chart-card="compare"] [data-export="svg"]').click())).bytes.toString('utf8');
		expect(one).toContain('表格格式改变处');
		await w.context.close();
	});

	it('the English ranked-bar image states its agencies and year, not "All agencies, all years"', async () => {
		const year = 2024;
		// four agencies with a report that year, one of them breaking a rule of its own (its bar carries a ⚠)
		const that = reports.filter((r) => Number(r.year) === year);
		const broken = String(that.find((r) => r.status === 'broken_rules')!.agency_id);
		const ids = [broken, ...that.map((r) => String(r.agency_id)).filter((id) => id !== broken)].slice(0, 4);
		const v = await visit(`/compare?ag=${ids.join(',')}&m=requests_received&chart=bars&year=${year}&lang=en`);
		await drawn(v.page, 'compare', 'compare', '[aria-label="bar"] rect');
		const card = v.page.locator('[data-chart-card="compare"]');
		const svg = (await downloaded(v.page, () => card.locator('[data-export="svg"]').click())).bytes.toString('utf8');
		expect(svg).not.toContain('All agencies, all years');
		expect(svg).toContain('4 agencies:');
		expect(svg).toContain(`year ${year}`);
		for (const id of ids) expect(svg).toContain(nameOf(id));
		// a ⚠ beside a value is explained in the image too
		expect(svg).toMatch(/\d ⚠</);
		expect(svg).toContain('includes a report whose tables break a consistency rule');
		const png = await downloaded(v.page, () => card.locator('[data-export="png"]').click());
		expect([...png.bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
		writeFileSync(join(SHOTS, 'legibility-export-bars-en.png'), png.bytes);
		await v.context.close();
	});

	it('the Compare CSV has the broken rules of each report; the ranked bars’ CSV holds only their year', async () => {
		const v = await visit(`/compare?ag=${all}&m=requests_received`);
		await drawn(v.page, 'compare', 'compare', '[aria-label="line"]');
		const card = v.page.locator('[data-chart-card="compare"]');
		const [head, ...rows] = csvRows((await downloaded(v.page, () => card.locator('[data-export="csv"]').click())).bytes);
		const col = (name: string) => head.indexOf(name);
		expect(col('勾稽不符')).toBeGreaterThan(0);
		const years = [...new Set(rm.map((r) => Number(r.year)))];
		expect(rows).toHaveLength(agencies.length * years.length);
		let broken = 0;
		for (const r of rows) {
			const rep = reports.find((x) => x.agency_id === r[col('agency_id')] && Number(x.year) === Number(r[col('年份')]));
			expect(r[col('勾稽不符')], `${r[0]} ${r[2]}`).toBe(rep ? String(rep.broken_rules) : '');
			if (rep && Number(rep.broken_rules) > 0) broken++;
		}
		expect(broken).toBeGreaterThan(0);

		const year = 2024;
		await v.page.goto(`${site.server.origin}/compare?ag=${all}&m=requests_received&chart=bars&year=${year}`);
		await drawn(v.page, 'compare', 'compare', '[aria-label="bar"] rect');
		expect(await card.locator('h3').textContent()).toContain(`· ${year}`);
		const [barHead, ...barRows] = csvRows((await downloaded(v.page, () => card.locator('[data-export="csv"]').click())).bytes);
		expect(barRows).toHaveLength(agencies.length);
		for (const r of barRows) expect(r[barHead.indexOf('年份')]).toBe(String(year));
		for (const r of barRows) expect(num(r[barHead.indexOf('本年新收申请')] || null)).toBe(num(report(r[1], year)?.requests_received ?? null));
		await v.context.close();
	});
});

describe('phone screens and wide tables', () => {
	for (const lang of ['zh', 'en'])
		it(`outcomes by year at 390 px: the template marks' labels (→2021, 格式混合) stay clear of the n above each bar (${lang})`, async () => {
			// own reports mix templates in 2020–2022 (a grey band); the governments' aggregate reports switch once (a rule)
			for (const [query, kind] of [
				['', 'template-mix'],
				['sum=aggregate', 'template-change']
			]) {
				const v = await visit(`/outcomes?${[query, lang === 'en' ? 'lang=en' : ''].filter(Boolean).join('&')}`, 390);
				for (const chart of ['outcome-shares']) {
					await drawn(v.page, 'outcomes', chart, '[aria-label="bar"] rect');
					const marks = await boxes(v.page, `[data-chart="${chart}"] svg [aria-label="${kind}"] text`);
					const ns = await boxes(v.page, `[data-chart="${chart}"] svg .bar-n text`);
					expect(marks.length, `${query} ${chart}: a labelled ${kind}`).toBeGreaterThan(0);
					expect(ns.length, `${query} ${chart}`).toBeGreaterThan(1);
					// a clear line between them: at least 2 px from the lowest mark label to the highest n
					for (const m of marks)
						for (const n of ns) expect(n.y - (m.y + m.height), `"${m.text}" and "${n.text}" (${query} ${chart})`).toBeGreaterThanOrEqual(2);
					expectApart([...marks, ...ns]);
					const [frame] = await boxes(v.page, `[data-chart="${chart}"] > svg`);
					expectInside([...marks, ...ns], frame);
				}
				await v.page
					.locator('[data-chart-card="outcome-shares"]')
					.screenshot({ path: join(SHOTS, `legibility-outcomes-marks-390-${lang}${query ? '-aggregate' : ''}.png`) });
				expect(v.errors).toEqual([]);
				await v.context.close();
			}
		});

	for (const width of [1280, 390])
		it(`a national-size headline figure shows whole in its tile, on one line, with no digit cut off or wrapped (${width} px)`, async () => {
			const v = await visit('/', width);
			await v.page.waitForSelector('[data-view="overview"][data-busy="false"] [data-kpi="fee_revenue"] .kpi-value');
			// A million reports' totals (dash1m saw 740,566,72… cut off): the tiles' own markup, with figures of that size.
			const fits = await v.page.evaluate(() => {
				const put = (kpi: string, html: string, chars: number) => {
					const el = document.querySelector<HTMLElement>(`[data-kpi="${kpi}"] .kpi-value`)!;
					el.innerHTML = html;
					el.style.setProperty('--chars', String(chars));
					return el;
				};
				const fee = put('fee_revenue', '<span>740,566,720.55</span><small> 万元</small>', 14);
				const req = put('requests_received', '<span>12,345,678</span>', 10);
				const small = document.querySelector<HTMLElement>('[data-kpi="grant_rate"] .kpi-value')!;
				return [fee, req].map((el) => {
					const figure = el.querySelector('span')!.getBoundingClientRect();
					const tile = el.closest('.kpi')!.getBoundingClientRect();
					const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || parseFloat(getComputedStyle(el).fontSize) * 1.3;
					return {
						inside: figure.left >= tile.left && figure.right <= tile.right,
						oneLine: figure.height < lineHeight * 1.5,
						shrunk: parseFloat(getComputedStyle(el).fontSize) < parseFloat(getComputedStyle(small).fontSize)
					};
				});
			});
			expect(fits).toEqual([
				{ inside: true, oneLine: true, shrunk: true },
				{ inside: true, oneLine: true, shrunk: true }
			]);
			await v.context.close();
		});

	it('English outcomes with a drill-down fit 390 px: no sideways page scroll', async () => {
		const v = await visit('/outcomes?by=agency&drill=denied&lang=en', 390);
		await drawn(v.page, 'outcomes', 'outcome-drill', '[aria-label="bar"] rect');
		expect(await v.page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
		await v.page.screenshot({ path: join(SHOTS, 'legibility-outcomes-en-390.png'), fullPage: true });
		await v.context.close();
	});

	it('at 390 px the Compare table keeps "0.00 万元" on one line, and its last column can be scrolled into view', async () => {
		const v = await visit(`/compare?ag=${all}&m=fee_revenue`, 390);
		await drawn(v.page, 'compare', 'compare', '[aria-label="line"]');
		const wrapped = await v.page.locator('[data-testid="compare-table"] td').evaluateAll((tds) =>
			tds
				.filter((td) => {
					const range = document.createRange();
					range.selectNodeContents(td);
					return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1;
				})
				.map((td) => td.textContent)
		);
		expect(wrapped).toEqual([]);
		expect(await v.page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
		const wrap = v.page.locator('[data-testid="compare-table-wrap"]');
		await v.page.waitForSelector('[data-testid="table-scrolls"]');
		await wrap.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
		await v.page.waitForSelector('[data-testid="table-scrolls"]', { state: 'detached' });
		const [frame] = await boxes(v.page, '[data-testid="compare-table-wrap"]');
		const last = (await boxes(v.page, '[data-testid="compare-table"] thead th')).at(-1)!;
		expect(last.x + last.width).toBeLessThanOrEqual(frame.x + frame.width + 1);
		await v.context.close();
	});

	it('at 1280 px a Compare table wider than its card says it scrolls sideways', async () => {
		const v = await visit(`/compare?ag=${all}&m=requests_received`);
		await drawn(v.page, 'compare', 'compare', '[aria-label="line"]');
		const scrolls = await v.page.locator('[data-testid="compare-table-wrap"]').evaluate((el) => el.scrollWidth > el.clientWidth);
		expect(scrolls).toBe(true);
		expect(await v.page.isVisible('[data-testid="table-scrolls"]')).toBe(true);
		await v.page.locator('.ranking').screenshot({ path: join(SHOTS, 'legibility-table-1280.png') });
		await v.context.close();
	});
});
