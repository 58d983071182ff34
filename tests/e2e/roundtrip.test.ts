import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetTable, serveBuildCopy, type Site } from './harness';

// Every control of every view, set by hand, survives "复制链接" and a fresh browser.

let site: Site;
let ids: string[];
/** The agency with the most reports (its profile has a year to choose). */
let busiest: string;

/** Controls that are actions or local search boxes, not view state. */
const NOT_STATE = ['add-category', 'add-region', 'agency-search', 'agency-filter'];

/** The state of every control on the page, keyed by name (or label and position). */
function controls(page: Page): Promise<Record<string, string>> {
	return page.evaluate((skip) => {
		const out: Record<string, string> = {};
		const main = document.querySelector('main') ?? document.body;
		main.querySelectorAll<HTMLSelectElement | HTMLInputElement | HTMLTextAreaElement>('select, input, textarea').forEach((el, i) => {
			if (skip.includes(el.name)) return;
			out[`${el.tagName} ${el.name || i}`] = el instanceof HTMLInputElement && el.type === 'checkbox' ? String(el.checked) : el.value;
		});
		main.querySelectorAll('[role="radio"], [aria-pressed]').forEach((el, i) => {
			out[`${el.getAttribute('role') ?? 'toggle'} ${i} ${el.textContent?.trim()}`] = el.getAttribute('aria-checked') ?? el.getAttribute('aria-pressed') ?? '';
		});
		out.lang = document.documentElement.lang;
		return out;
	}, NOT_STATE);
}

/** Do something that changes the view, and wait until the address shows it. */
async function act(page: Page, action: () => Promise<unknown>): Promise<void> {
	const before = page.url();
	await action();
	await page.waitForURL((u) => u.href !== before, { timeout: 30_000 });
}

/** Choose, in a select, the first option other than the current one (and not empty). */
async function pickOther(page: Page, name: string, last = false): Promise<void> {
	// after a change of page the select may not be drawn yet
	await page.waitForFunction((n) => (document.querySelector<HTMLSelectElement>(`main select[name="${n}"]`)?.options.length ?? 0) > 1, name, {
		timeout: 30_000
	});
	const select = page.locator(`main select[name="${name}"]`).first();
	const values = await select.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
	const current = await select.inputValue();
	const others = values.filter((v) => v !== '' && v !== current);
	await act(page, () => select.selectOption(last ? others.at(-1)! : others[0]));
}

const clickRadio = (page: Page, text: string) => act(page, () => page.locator('main [role="radio"]', { hasText: text }).first().click());
const showTable = (page: Page) => act(page, () => page.locator('main [data-chart-card] [aria-pressed="false"]').first().click());

async function reopened(page: Page): Promise<Record<string, string>> {
	await page.click('[data-testid="copy-link"]');
	const link = await page.inputValue('[data-testid="share-url"]');
	expect(link.length).toBeLessThan(2000);
	const context = await site.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
	try {
		const fresh = await context.newPage();
		await fresh.goto(link);
		await fresh.waitForSelector('[data-engine="ready"]', { timeout: 90_000 });
		const want = await controls(page);
		// The controls fill in as the data arrives: poll until they match (a failure shows the difference).
		await expect.poll(() => controls(fresh), { timeout: 30_000 }).toEqual(want);
		return want;
	} finally {
		await context.close();
	}
}

async function start(path: string): Promise<Page> {
	const context = await site.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
	await context.grantPermissions(['clipboard-read', 'clipboard-write']);
	const page = await context.newPage();
	await page.goto(site.server.origin + path);
	await page.waitForSelector('[data-engine="ready"]', { timeout: 90_000 });
	return page;
}

beforeAll(async () => {
	site = await serveBuildCopy('nianbao-roundtrip-');
	ids = (await datasetTable(site.data, 'agencies', ['id'])).map((r) => String(r.id)).sort();
	const count = new Map<string, number>();
	for (const r of await datasetTable(site.data, 'report_metrics', ['agency_id'])) count.set(String(r.agency_id), (count.get(String(r.agency_id)) ?? 0) + 1);
	busiest = [...count].sort((a, b) => b[1] - a[1])[0][0];
});

afterAll(() => site?.close());

describe('every control round-trips through the link', () => {
	it('overview: years, level, category, search, a chart shown as a table, the per-agency average, English', async () => {
		const page = await start('/');
		await showTable(page);
		await page.click('main [data-testid="research-filters"] summary');
		await act(page, () => page.check('main input[name="avg"]'));
		expect(new URL(page.url()).searchParams.get('avg')).toBe('1');
		await pickOther(page, 'from');
		await pickOther(page, 'level');
		await pickOther(page, 'cat');
		await act(page, () => page.locator('main input[name="q"]').fill('局'));
		await act(page, () => page.click('header .actions button:not(.primary)'));
		expect(new URL(page.url()).searchParams.get('tbl')).toBe('requests');
		const state = await reopened(page);
		expect(state.lang).toBe('en');
		await page.context().close();
	});

	it('overview: province, city, the year range, what totals add up, and every research option', async () => {
		const page = await start('/');
		await pickOther(page, 'prov');
		await pickOther(page, 'city');
		await pickOther(page, 'to', true);
		await pickOther(page, 'sum');
		await page.click('main [data-testid="research-filters"] summary');
		await act(page, () => page.check('main input[name="skip-flagged"]'));
		await act(page, () => page.check('main input[name="skip-uncertain"]'));
		await act(page, () => page.fill('main input[name="minn"]', '20').then(() => page.press('main input[name="minn"]', 'Enter')));
		await act(page, () => page.check('main input[name="log"]'));
		const state = await reopened(page);
		expect([state['SELECT prov'], state['SELECT city'], state['SELECT sum'], state['INPUT minn']]).toEqual([
			expect.stringMatching(/\S/),
			expect.stringMatching(/\S/),
			'aggregate',
			'20'
		]);
		expect([state['INPUT skip-flagged'], state['INPUT skip-uncertain'], state['INPUT log']]).toEqual(['true', 'true', 'true']);
		await page.context().close();
	});

	it('compare: small multiples and the rank chart, with the research options', async () => {
		const page = await start(`/compare?ag=${ids[0]},${ids[1]},${ids[2]}`);
		await act(page, () => page.click('main [data-chart-kind="multiples"]'));
		await page.click('main [data-testid="research-filters"] summary');
		await act(page, () => page.check('main input[name="skip-flagged"]'));
		await act(page, () => page.fill('main input[name="minn"]', '5').then(() => page.press('main input[name="minn"]', 'Enter')));
		const state = await reopened(page);
		expect([state['INPUT skip-flagged'], state['INPUT minn']]).toEqual(['true', '5']);
		expect(new URL(page.url()).searchParams.get('chart')).toBe('multiples');
		await act(page, () => page.click('main [data-chart-kind="bump"]'));
		await reopened(page);
		expect(new URL(page.url()).searchParams.get('chart')).toBe('bump');
		await page.context().close();
	});

	it('compare: metric, log scale, chart kind, peer band and its reference agency, ranking year', async () => {
		const page = await start(`/compare?ag=${ids[0]},${ids[1]},${ids[2]}&m=requests_received`);
		await pickOther(page, 'metric');
		await act(page, () => page.click('main [data-scale="log"]'));
		await act(page, () => page.check('main input[name="peers"]'));
		await pickOther(page, 'peer-ref', true);
		await clickRadio(page, '条形');
		await pickOther(page, 'year');
		const state = await reopened(page);
		expect(state['SELECT peer-ref']).toBe(ids[2]);
		expect(new URL(page.url()).searchParams.get('log')).toBe('1');
		await page.context().close();
	});

	it('outcomes: per agency, a drill-down, a table', async () => {
		const page = await start('/outcomes');
		await act(page, () => page.click('main [data-by="agency"]'));
		await act(page, () => page.click('main [data-drill-pick="denied"]'));
		await showTable(page);
		await reopened(page);
		await page.context().close();
	});

	it("agency profile: the agency and its report year, apart from Compare's ranking year", async () => {
		const page = await start(`/compare?ag=${ids[0]},${busiest}&chart=bars`);
		await pickOther(page, 'year');
		const rankYear = await page.inputValue('main select[name="year"]');
		await act(page, () => page.click('#tab-agency'));
		await act(page, () => page.selectOption('main select[name="agency"]', busiest));
		await pickOther(page, 'table-year');
		await showTable(page);
		const state = await reopened(page);
		expect(state['SELECT table-year']).toBeTruthy();
		await act(page, () => page.click('#tab-compare'));
		expect(await page.inputValue('main select[name="year"]')).toBe(rankYear);
		await page.context().close();
	});

	it("核对: the government and its year, apart from Compare's ranking year", async () => {
		const page = await start(`/compare?ag=${ids[0]},${busiest}&chart=bars`);
		await pickOther(page, 'year');
		const rankYear = await page.inputValue('main select[name="year"]');
		await act(page, () => page.click('#tab-reconcile'));
		await page.waitForSelector('main [data-year][aria-checked="false"]', { timeout: 60_000 });
		await act(page, () => page.click('main [data-year][aria-checked="false"]'));
		expect(new URL(page.url()).searchParams.get('year')).toBe(rankYear);
		await reopened(page);
		await act(page, () => page.click('#tab-compare'));
		expect(await page.inputValue('main select[name="year"]')).toBe(rankYear);
		await page.context().close();
	});

	it('data: the console query', async () => {
		const page = await start('/data');
		await page.fill('[data-testid="sql-input"]', 'SELECT year, count(*) AS 报告数 FROM reports GROUP BY year -- 各年报告数');
		await act(page, () => page.click('[data-testid="sql-run"]'));
		await reopened(page);
		await page.context().close();
	});

	it('a link naming an agency the sender uploaded says so', async () => {
		const page = await start(`/compare?ag=${ids[0]},u0a1b2c3d&up=u0a1b2c3d`);
		const text = await page.textContent('[data-testid="notices"]');
		expect(text).toContain('此链接包含发送者上传的报告，当前数据中没有');
		await page.context().close();
	});
});

describe('keyboard and the about box', () => {
	it('arrow keys move along a role="radio" group and choose', async () => {
		const page = await start('/outcomes');
		const byYear = page.locator('main [data-by="year"]');
		await byYear.focus();
		await act(page, () => page.keyboard.press('ArrowRight'));
		expect(await page.getAttribute('main [data-by="agency"]', 'aria-checked')).toBe('true');
		expect(await page.evaluate(() => document.activeElement?.getAttribute('data-by'))).toBe('agency');
		await act(page, () => page.keyboard.press('ArrowLeft'));
		expect(await byYear.getAttribute('aria-checked')).toBe('true');
		await page.context().close();
	});

	it('关于数据 counts the uploaded report, its file and its new agency', async () => {
		const page = await start('/upload');
		const numbers = async () => (await page.textContent('[data-testid="about-counts"]'))!.match(/\d+/g)!.map(Number);
		const [files, reports, , , agencies] = await numbers();
		await page.setInputFiles('input[name=report-files]', join(process.cwd(), 'tests/fixtures/tabs-2021.txt'));
		await page.waitForSelector('[data-upload][data-status="added"]', { timeout: 60_000 });
		const after = await numbers();
		expect([after[0], after[1], after[4]]).toEqual([files + 1, reports + 1, agencies + 1]);
		expect(await page.textContent('[data-testid="about-uploads"]')).toContain('1 个文件');
		await page.context().close();
	});
});
