import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, ROOT, serveBuildCopy, type Site } from './harness';
import { describeAgency } from '../../src/lib/agencies/index';
import { reportId } from '../../src/lib/dataset/tables';
import { parseReport } from '../../src/lib/report/index';
import { generateReport } from '../../src/lib/synthetic/index';

// The prose as a witness, as a user sees it: a run-together report whose
// 总体情况 decided a split shows that reading among its 解析存疑 notes, with
// the sentence that decided it, in the upload results.

let site: Site;

beforeAll(async () => {
	site = await serveBuildCopy('nianbao-prose-');
});

afterAll(() => site?.close());

/** The first generated run-together report where the prose alone decided some cell, and that cell's provenance. */
function decidedByProse() {
	for (let seed = 1; seed < 500; seed++) {
		const g = generateReport(seed, { format: 'glued', template: '2021' });
		const parsed = parseReport(g.bytes, g.fileName);
		const hits = Object.values(parsed.provenance ?? {}).flatMap((p) => (p.reason ? [p.reason] : []));
		if (hits.length) return { g, decided: hits.length, reason: hits.sort()[0] };
	}
	throw new Error('no generated report whose prose decided a cell');
}

describe('the prose as a witness in the dashboard', () => {
	it('a reading the prose decided is a 解析存疑 note quoting the sentence, never a broken rule', async () => {
		const { g, decided, reason } = decidedByProse();
		// The sentence quoted, as the parser saw it (no spaces).
		const sentence = /“([^”]+)”/.exec(reason)![1];
		const file = join(site.tmp, 'prose-decided.txt');
		writeFileSync(file, g.text);
		for (const width of [1280, 390]) {
			const { context, page, errors } = await openPage(site.browser, site.server.origin + '/upload', width);
			await page.waitForSelector('[data-engine="ready"]', { timeout: 60_000 });
			await page.setInputFiles('input[name=report-files]', [file]);
			await page.waitForSelector('[data-upload="prose-decided.txt"][data-status="added"]', { timeout: 60_000 });
			const item = page.locator('[data-upload="prose-decided.txt"]');
			const summary = item.locator('[data-testid="checks"] summary');
			expect(await summary.innerText()).toContain('解析存疑');
			expect(await summary.innerText()).toContain('报告自身勾稽不符 0 处');
			await summary.click();
			const notes = item.locator('li[data-issue-code^="reading_"]', { hasText: '报告正文' });
			expect(await notes.count()).toBeGreaterThan(0);
			expect(await notes.first().innerText()).toContain(sentence.slice(0, 12));
			await page.screenshot({ path: join(ROOT, 'test-results', `prose-witness-upload-${width}.png`), fullPage: true });
			if (width === 1280) {
				// The uploaded report's facts keep the sentence, as ingest's do: the SQL console finds it in facts.reason.
				await page.click('#tab-data');
				await page.fill(
					'[data-testid="sql-input"]',
					`SELECT count(*) AS n, min(reason) AS reason FROM facts WHERE reason IS NOT NULL AND report_id = '${reportId(describeAgency(g.record.agency).id, g.record.year)}'`
				);
				await page.click('[data-testid="sql-run"]');
				await page.waitForSelector('[data-testid="sql-status"][data-state="done"]', { timeout: 60_000 });
				const cells = await page.locator('[data-testid="sql-result"] tbody td').allInnerTexts();
				expect(cells).toEqual([String(decided), reason]);
			}
			expect(errors).toEqual([]);
			await context.close();
		}
	});
});
