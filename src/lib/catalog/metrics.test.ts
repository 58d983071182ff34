import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportRecord } from '$lib/report/schema';
import { METRICS, METRIC_BY_ID, OUTCOME_METRICS, partsOf, shortLabel } from './metrics';

const FIXTURES = join(process.cwd(), 'tests/fixtures');
const records: ReportRecord[] = readdirSync(FIXTURES)
	// broken-totals breaks the sums on purpose
	.filter((f) => f.endsWith('.expected.json') && !f.startsWith('broken-'))
	.map((f) => JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')) as ReportRecord);

describe('metric parts', () => {
	it('names only count metrics of the catalog as parents and parts', () => {
		for (const m of METRICS.filter((x) => x.parent)) {
			expect(METRIC_BY_ID.get(m.parent!)?.unit, m.id).toBe('count');
			expect(m.unit, m.id).toBe('count');
		}
	});

	it('lists table 三’s six outcome groups, in print order, as the parts of 办理总计', () => {
		expect(OUTCOME_METRICS).toEqual(['outcome_granted', 'outcome_partial', 'outcome_denied', 'outcome_unable', 'outcome_not_processed', 'outcome_other']);
	});

	it('parts add up to their parent on every consistent fixture report', () => {
		let checked = 0;
		for (const r of records)
			for (const parent of ['review_total', 'litigation_total', 'outcome_denied', 'outcome_unable', 'outcome_not_processed', 'requests_received']) {
				const total = METRIC_BY_ID.get(parent)!.compute(r);
				if (total === null) continue;
				const parts = partsOf(parent).map((m) => m.compute(r) ?? 0);
				expect(
					parts.reduce((a, v) => a + v, 0),
					`${r.agency} ${r.year} ${parent}`
				).toBe(total);
				checked++;
			}
		expect(checked).toBeGreaterThan(records.length);
	});

	it('gives a short label where the whole is named, the full label otherwise', () => {
		expect(shortLabel(METRIC_BY_ID.get('reason_unable_not_held')!, 'zh')).toBe('1.本机关不掌握相关政府信息');
		expect(shortLabel(METRIC_BY_ID.get('reason_unable_not_held')!, 'en')).toBe('information not held');
		expect(shortLabel(METRIC_BY_ID.get('applicants_natural')!, 'en')).toBe('natural persons');
		expect(shortLabel(METRIC_BY_ID.get('review_maintained')!, 'zh')).toBe('结果维持');
		expect(shortLabel(METRIC_BY_ID.get('outcome_granted')!, 'zh')).toBe('予以公开');
	});
});
