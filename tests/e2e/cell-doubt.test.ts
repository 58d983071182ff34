import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, ROOT, serveBuildCopy, type Site } from './harness';
import { parseReport } from '../../src/lib/report/index';
import { REQUEST_ROW_LABELS, APPLICANT_LABELS, type ApplicantColumn, type RequestRow } from '../../src/lib/report/schema';
import { generateReport } from '../../src/lib/synthetic/index';

// A cell the parser inferred says how and why in the agency profile: on hover
// (the cell's title) and on a tap (a note under the table), for touch screens
// that have no hover. The report is a generated markdown table whose labels an
// extractor printed a row off their numbers, uploaded into the dashboard; the
// prose decided which row one row of numbers belongs to.

let site: Site;

beforeAll(async () => {
	site = await serveBuildCopy('nianbao-cell-doubt-');
});

afterAll(() => site?.close());

/** The first generated displaced report with a cell of table 三 placed off its printed label and decided by the prose. */
function movedByProse() {
	for (let seed = 1; seed < 1000; seed++) {
		const g = generateReport(seed, { format: 'displaced', template: '2021' });
		const parsed = parseReport(g.bytes, g.fileName);
		for (const [path, p] of Object.entries(parsed.provenance ?? {})) {
			if (p.how !== 'inferred' || !p.reason || !p.row.startsWith('（数字印在') || p.table !== '三') continue;
			const [, row, column] = path.split('.') as [string, RequestRow, ApplicantColumn];
			const requests = g.record.requests as unknown as Record<string, Record<string, number | null>>;
			const value = requests[row][column];
			if (value === null || value === undefined) continue;
			return { g, row, column, printed: p.row, reason: p.reason, value };
		}
	}
	throw new Error('no generated displaced report with a row placed by the prose');
}

/** Upload the report and open its agency's profile at the report's year: the printed table 三 with its doubted cells. */
async function profileOf(page: Page, file: string, name: string, year: number) {
	await page.waitForSelector('[data-engine="ready"]', { timeout: 60_000 });
	await page.setInputFiles('input[name=report-files]', [file]);
	await page.waitForSelector(`[data-upload="${name}"][data-status="added"]`, { timeout: 60_000 });
	await page.locator(`[data-upload="${name}"]`).getByText('机关页').click();
	await page.waitForSelector(`[data-report-year="${year}"]`, { timeout: 60_000 });
	await page
		.locator(`[data-report-year="${year}"]`)
		.getByRole('button', { name: new RegExp(String(year)) })
		.click();
	await page.waitForSelector('table[data-table="三"] td[data-how="inferred"]', { timeout: 60_000 });
}

describe('a doubted cell of the profile says how and why', () => {
	it('on hover (title) and on a tap (the note under table 三): inferred, the row it was printed on, and the sentence that decided it', async () => {
		const c = movedByProse();
		const name = 'moved-by-prose.md';
		const file = join(site.tmp, name);
		writeFileSync(file, c.g.bytes);
		const key = `${c.row}|${c.column}`;
		const sentence = /“([^”]+)”/.exec(c.reason)![1];
		const place = `表三 · ${REQUEST_ROW_LABELS[c.row]} · ${APPLICANT_LABELS[c.column]}`;

		for (const width of [1280, 390]) {
			// 390 px: a phone, with touch and no hover; the note must open on a tap.
			const touch = width === 390;
			const opened = touch
				? await (async () => {
						const context = await site.browser.newContext({ viewport: { width, height: 800 }, locale: 'zh-CN', hasTouch: true, isMobile: true });
						const page = await context.newPage();
						const errors: string[] = [];
						page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
						await page.goto(site.server.origin + '/upload');
						return { context, page, errors };
					})()
				: await openPage(site.browser, site.server.origin + '/upload', width);
			const { context, page, errors } = opened;
			await profileOf(page, file, name, c.g.record.year);

			const cell = page.locator(`table[data-table="三"] td[data-cell="${key}"]`);
			expect(await cell.getAttribute('data-how')).toBe('inferred');
			// The number is the generator's truth: the prose put the row's numbers where they belong.
			expect((await cell.innerText()).replace(/[\s≈,]/g, '').startsWith(String(c.value))).toBe(true);
			// Hover: the title names how, the printed row and the sentence.
			const title = (await cell.getAttribute('title')) ?? '';
			expect(title).toContain('推断（inferred）');
			expect(title).toContain(`文档中的行：${c.printed}`);
			expect(title).toContain(`依据：${c.reason}`);
			if (!touch) {
				await cell.hover();
				await page.screenshot({ path: join(ROOT, 'test-results', `cell-doubt-hover-${width}.png`) });
			}

			// Tap (or click): the note under table 三 says the same, in words the page shows.
			const note = page
				.locator('table[data-table="三"]')
				.locator('xpath=ancestor::div[contains(@class,"table-wrap")]/following-sibling::div[@data-testid="doubt-note"]');
			expect(await note.innerText()).toContain('点按带 ≈ 的数字');
			const button = cell.locator('button.doubt-cell');
			if (touch) await button.tap();
			else await button.click();
			await page.waitForSelector(`[data-testid="doubt-note"][data-cell="${key}"]`, { timeout: 10_000 });
			expect(await button.getAttribute('aria-expanded')).toBe('true');
			const text = await note.innerText();
			expect(text).toContain(place);
			expect(text).toContain('由报告正文所述选定');
			expect(text).toContain(c.printed);
			expect(text).toContain(sentence);
			await note.scrollIntoViewIfNeeded();
			await page.screenshot({ path: join(ROOT, 'test-results', `cell-doubt-note-${width}.png`) });
			// Nothing is wider than the phone's screen.
			if (touch) expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

			// A second tap closes it.
			if (touch) await button.tap();
			else await button.click();
			await page.waitForSelector('[data-testid="doubt-note"]:not([data-cell])', { timeout: 10_000 });
			expect(errors).toEqual([]);
			await context.close();
		}
	});
});
