import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseReport, ReportError } from '../src/lib/report/index';
import { comparable, corpusCases, hasCorpus } from './corpus';

const TEXT_AND_HTML = ['.txt', '.html', '.htm', '.md'];

describe.skipIf(!hasCorpus)('real reports in ../shared/corpus', () => {
	for (const folder of ['reports', 'derived']) {
		// pingtan-gov-2019.txt has its table cells run together: flagged below, not compared.
		for (const c of corpusCases(folder, TEXT_AND_HTML).filter((x) => x.name !== 'pingtan-gov-2019.txt')) {
			it(`${folder}/${c.name} equals its truth file`, () => {
				const parsed = parseReport(readFileSync(c.file), c.name);
				expect(comparable(parsed)).toEqual(comparable(c.truth));
			});
		}
	}

	it('derived/pingtan-gov-2019.txt (cells run together) is flagged, not guessed', () => {
		const c = corpusCases('derived', ['.txt']).find((x) => x.name === 'pingtan-gov-2019.txt');
		expect(c).toBeDefined();
		expect(() => parseReport(readFileSync(c!.file), c!.name)).toThrowError(/连成了一串/);
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

	it('flags the truncated kewei markdown rows it matched by order', () => {
		const c = corpusCases('derived', ['.md'])[0];
		const parsed = parseReport(readFileSync(c.file), c.name);
		expect(parsed.issues.filter((i) => i.code === 'row_by_order').length).toBeGreaterThan(5);
		expect(parsed.issues.map((i) => i.code)).toContain('rule_balance');
	});
});
