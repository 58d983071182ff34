import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseReport, ReportError } from '../src/lib/report/index';
import { comparable, corpusCases, hasCorpus } from './corpus';

const TEXT_AND_HTML = ['.txt', '.html', '.htm', '.md'];

describe.skipIf(!hasCorpus)('real reports in ../shared/corpus', () => {
	for (const folder of ['reports', 'derived']) {
		for (const c of corpusCases(folder, TEXT_AND_HTML)) {
			it(`${folder}/${c.name} equals its truth file`, () => {
				const parsed = parseReport(readFileSync(c.file), c.name);
				expect(comparable(parsed)).toEqual(comparable(c.truth));
			});
		}
	}

	it('derived/pingtan-gov-2019.txt (cells run together): the cells only the arithmetic decided are inferred, table 二 is ambiguous', () => {
		const c = corpusCases('derived', ['.txt']).find((x) => x.name === 'pingtan-gov-2019.txt');
		expect(c).toBeDefined();
		const parsed = parseReport(readFileSync(c!.file), c!.name);
		const how = (path: string) => parsed.provenance?.[path]?.how;
		// "230 000023": only 23 | 0 | … | 23 keeps the row total; 23 | 0 was decided by it, 0 0 0 0 were printed apart.
		expect(how('requests.new_received.natural')).toBe('inferred');
		expect(how('requests.new_received.commercial')).toBe('inferred');
		expect(how('requests.new_received.research')).toBe('read');
		expect(how('requests.granted.natural')).toBe('read');
		// Table 二 has no arithmetic: "3960181" splits many ways, the layout's favourite is taken and said to be in doubt.
		expect(how('active.licensing.previous_items')).toBe('ambiguous');
		expect(parsed.provenance?.['active.licensing.change'].alternatives).toContain(960);
		expect(how('active.regulations.made')).toBe('read');
		expect(parsed.provenance?.['requests.granted.natural']).toMatchObject({ table: '三', column: 'natural', row: expect.stringContaining('予以公开') });
		const codes = parsed.issues.map((i) => i.code);
		expect(codes).toContain('reading_inferred');
		expect(codes).toContain('reading_ambiguous');
		expect(codes.filter((code) => code.startsWith('rule_'))).toEqual([]);
	});

	for (const c of corpusCases('pre2019', TEXT_AND_HTML)) {
		it(`pre2019/${c.name} is rejected as pre-2019`, () => {
			let error: unknown;
			try {
				parseReport(readFileSync(c.file), c.name);
			} catch (e) {
				error = e;
			}
			expect(error).toBeInstanceOf(ReportError);
			expect((error as ReportError).code).toBe(c.truth._expect_error);
			expect((error as ReportError).message).toContain('no standard tables (pre-2019 format?)');
		});
	}

	it('reports the rules the Shanghai 2019 tables break, per row and column', () => {
		const c = corpusCases('reports', ['.html']).find((x) => x.name === 'shanghai-gov-office-2019.html')!;
		const parsed = parseReport(readFileSync(c.file), c.name);
		const rowTotals = parsed.issues.filter((i) => i.code === 'rule_row_total').map((i) => i.where?.row);
		expect(rowTotals).toEqual([
			'granted',
			'partially_granted',
			'denied_state_secret',
			'denied_internal_affairs',
			'denied_process_info',
			'denied_query_matter',
			'unable_not_held',
			'unable_needs_creation',
			'unable_unclear',
			'rejected_complaint',
			'rejected_duplicate'
		]);
		const outcomes = parsed.issues.filter((i) => i.code === 'rule_outcomes');
		expect(outcomes).toHaveLength(1);
		expect(outcomes[0]).toMatchObject({ where: { column: 'total' }, expected: 0, actual: 805 });
	});

	it('places the kewei markdown rows that lost their labels by the template’s row sequence, and marks them inferred', () => {
		const c = corpusCases('derived', ['.md'])[0];
		const parsed = parseReport(readFileSync(c.file), c.name);
		expect(parsed.issues.filter((i) => i.code === 'row_by_order')).toEqual([]);
		const inferred = parsed.issues.filter((i) => i.code === 'reading_inferred').map((i) => i.where?.row);
		expect(inferred).toHaveLength(9);
		const hows = Object.entries(parsed.provenance ?? {}).filter(([, p]) => p.how !== 'read');
		expect(hows.every(([path, p]) => p.how === 'inferred' && inferred.includes(path.split('.')[1]))).toBe(true);
		expect(hows).toHaveLength(9 * 7);
		// The blank 总计 of 四、结转下年度 is the document's own: read as printed, so the broken balance is the report's.
		expect(parsed.issues.map((i) => i.code)).toContain('rule_balance');
	});
});
