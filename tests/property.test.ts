import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateReport, NOISE_KINDS } from '../src/lib/synthetic/index';
import { parseReport } from '../src/lib/report/index';
import { comparable } from './corpus';

/**
 * Render a random consistent record as a document (text, markdown or HTML;
 * UTF-8 or GBK; either template; with noise), parse it back, and get the same
 * record — and, since generated records are consistent, no broken rule.
 */
describe('generate → parse round trip', () => {
	const options = fc.record({
		seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
		format: fc.constantFrom('text' as const, 'markdown' as const, 'html' as const),
		encoding: fc.constantFrom('utf-8' as const, 'gbk' as const),
		bom: fc.boolean(),
		template: fc.constantFrom('2019' as const, '2021' as const),
		noise: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.6, noNaN: true }), fc.constantFrom(...NOISE_KINDS).map((k) => ({ [k]: 0.7 })))
	});

	it('parses every generated report back to its record', () => {
		fc.assert(
			fc.property(options, (o) => {
				const g = generateReport(o.seed, { ...o, bom: o.encoding === 'utf-8' && o.bom });
				const parsed = parseReport(g.bytes, g.fileName);
				expect(comparable(parsed)).toEqual(comparable(g.record));
				expect(parsed.issues.filter((i) => i.code.startsWith('rule_'))).toEqual([]);
			}),
			{ numRuns: 400 }
		);
	});
});
