import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UNCERTAIN_READING } from '$lib/dataset/columns';
import { checkGroups, isBrokenRule } from '$lib/profile/model';
import { parseReport } from '$lib/report/index';
import { generateReport } from '$lib/synthetic/index';
import { hasIssueLabel, issueLabel } from './i18n';

/**
 * Every issue code the parser (src/lib/report) or the dataset build (src/lib/dataset) can emit has a label in
 * Chinese and English: the codes are collected from the sources, so a new code without a label fails here.
 */

const ROOTS = ['src/lib/report', 'src/lib/dataset'];

function sources(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
		e.isDirectory() ? sources(join(dir, e.name)) : /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [join(dir, e.name)] : []
	);
}

/** Codes written as `code: 'x'`, `code: a ? 'x' : 'y'`, or `code: NAME` with `NAME = 'x'` declared in the same sources. */
function emittedCodes(): Set<string> {
	const texts = ROOTS.flatMap(sources).map((f) => readFileSync(f, 'utf-8'));
	const constants = new Map<string, string>();
	for (const text of texts) for (const m of text.matchAll(/\b([A-Z][A-Z_]*)\s*=\s*'([a-z][a-z_]*)'/g)) constants.set(m[1], m[2]);
	const codes = new Set<string>();
	for (const text of texts)
		for (const m of text.matchAll(/\bcode:\s*([^,\n}]+)/g)) {
			const expression = m[1];
			for (const literal of expression.matchAll(/'([a-z][a-z_]*)'/g)) codes.add(literal[1]);
			for (const name of expression.matchAll(/\b[A-Z][A-Z_]*\b/g)) if (constants.has(name[0])) codes.add(constants.get(name[0])!);
		}
	return codes;
}

describe('issue codes and their labels', () => {
	const codes = emittedCodes();

	it('finds the codes (the scan itself works): the four rules, the doubts, and the newer cell codes among them', () => {
		for (const code of [
			'rule_balance',
			'rule_outcomes',
			'rule_row_total',
			'rule_case_total',
			'reading_rule',
			'reading_ambiguous',
			'prose_table',
			'continuity_carry'
		])
			expect(codes, code).toContain(code);
		for (const code of ['approximate', 'column_missing', 'footnote_mark', 'cell_unreadable', 'chinese_numeral', 'table_transposed'])
			expect(codes, code).toContain(code);
		expect(codes.size).toBeGreaterThan(20);
	});

	it('every code the parser or the dataset can emit has a label in zh and in en', () => {
		const missing = [...codes].filter((c) => !hasIssueLabel(c));
		expect(missing).toEqual([]);
		for (const code of codes)
			for (const lang of ['zh', 'en'] as const) {
				const label = issueLabel(code, lang);
				expect(label.trim(), `${code} ${lang}`).not.toBe('');
				expect(label, `${code} ${lang}`).not.toBe(code);
			}
	});

	it('the codes a parse actually emits are among those found (approximate counts, numerals, unreadable cells, a missing table)', () => {
		const html = generateReport(7, { format: 'html', htmlStyle: 'plain' })
			.text.replace(/>(\d*[1-9]\d*)</, '>约$1<')
			.replace(/>(\d*[1-9]\d*)</, '>十二<')
			.replace(/>(\d*[1-9]\d*)</, '>5左右<');
		const parsed = parseReport(new TextEncoder().encode(html), 'labels.html');
		const seen = new Set(parsed.issues.map((i) => i.code));
		expect(seen.size).toBeGreaterThan(0);
		for (const code of ['approximate', 'chinese_numeral', 'cell_unreadable']) expect(seen, code).toContain(code);
		for (const code of seen) expect(codes, code).toContain(code);
	});

	it('a label says 勾稽不符 exactly for the report’s own broken rules and 解析存疑 exactly for our doubt; an approximation is neither', () => {
		for (const code of codes) {
			expect(issueLabel(code, 'zh').startsWith('勾稽不符'), code).toBe(isBrokenRule(code));
			expect(issueLabel(code, 'zh').startsWith('解析存疑'), code).toBe(UNCERTAIN_READING.has(code));
		}
		// 约12 is the agency's own number, read as printed: not our doubt (解析存疑), and no rule of the report's arithmetic fails by it.
		const row = {
			report_id: 'r',
			year: 2023,
			code: 'approximate',
			severity: 'warning',
			message: '',
			table_no: '三',
			row_key: null,
			column_key: null,
			expected: null,
			actual: null
		};
		const groups = checkGroups([row]);
		expect([groups.broken.length, groups.doubt.length, groups.other.length]).toEqual([0, 0, 1]);
	});
});
