import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateReport, NOISE_KINDS, statedCells } from '../src/lib/synthetic/index';
import { parseReport } from '../src/lib/report/index';
import type { ReportRecord } from '../src/lib/report/schema';
import { comparable } from './corpus';
import { mismatches } from './helpers/mismatches';

/**
 * fast-check's seed, printed so a failure in CI can be replayed:
 * NIANBAO_PROPERTY_SEED=<n> runs that seed, NIANBAO_PROPERTY_SEED=random a new one.
 * Unset, the seed is fixed, as the fuzz test's is: CI must say the same of the same
 * code. Wander with =random by hand (a loop of runs) and fix what it finds.
 */
const envSeed = process.env.NIANBAO_PROPERTY_SEED;
const SEED = envSeed === 'random' ? Math.floor(Math.random() * 2 ** 31) : envSeed ? Number(envSeed) : 20261207;
if (!Number.isSafeInteger(SEED)) throw new Error(`NIANBAO_PROPERTY_SEED must be an integer or "random", got ${envSeed}`);
console.log(`property seed ${SEED} (replay: NIANBAO_PROPERTY_SEED=${SEED} npx vitest run tests/property.test.ts)`);

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
		noise: fc.oneof(
			fc.constant(0),
			fc.double({ min: 0, max: 0.6, noNaN: true }),
			fc.constantFrom(...NOISE_KINDS).map((k) => ({ [k]: 0.7 }))
		)
	});

	it('parses every generated report back to its record', () => {
		fc.assert(
			fc.property(options, (o) => {
				const g = generateReport(o.seed, { ...o, bom: o.encoding === 'utf-8' && o.bom });
				const parsed = parseReport(g.bytes, g.fileName);
				expect(comparable(parsed)).toEqual(comparable(g.record));
				expect(parsed.issues.filter((i) => i.code.startsWith('rule_'))).toEqual([]);
			}),
			{ numRuns: 400, seed: SEED }
		);
	});
});

describe('layouts the grammar decides (run-together cells; wrapped labels, split pages, table 四 as three tables; markdown with cells pulled out of their rows): never a silent wrong number', () => {
	/** A seed, a template and one of the layouts the grammar must decide; both properties below draw from it. */
	const decidedLayouts = fc.tuple(
		fc.integer({ min: 1, max: 2 ** 31 - 1 }),
		fc.constantFrom('2019' as const, '2021' as const),
		fc.constantFrom('glued' as const, 'wrapped' as const, 'displaced' as const)
	);
	const generatedAndParsed = (seed: number, template: '2019' | '2021', format: 'glued' | 'wrapped' | 'displaced') => {
		const g = generateReport(seed, { format, template });
		return { g, parsed: parseReport(g.bytes, g.fileName) };
	};

	it('every cell that differs from the generator’s truth is marked ambiguous or inferred', () => {
		let exact = 0;
		fc.assert(
			fc.property(decidedLayouts, ([seed, template, format]) => {
				const { g, parsed } = generatedAndParsed(seed, template, format);
				const silent = mismatches(parsed, g.record).filter((path) => {
					const how = parsed.provenance?.[path]?.how;
					return how !== 'ambiguous' && how !== 'inferred';
				});
				expect(silent).toEqual([]);
				if (mismatches(parsed, g.record).length === 0) exact++;
				// A report whose reading is in doubt says so in its issues, as 解析存疑, not as the agency's arithmetic.
				if (Object.values(parsed.provenance ?? {}).some((p) => p.how !== 'read'))
					expect(parsed.issues.some((i) => i.code === 'reading_ambiguous' || i.code === 'reading_inferred')).toBe(true);
			}),
			{ numRuns: 3000, seed: SEED }
		);
		// Wrapped labels are put back together, rows without labels are placed, and the arithmetic decides many run-together reports outright.
		expect(exact).toBeGreaterThan(1500);
	});

	it('a cell the prose states comes back exact, never ambiguous: the prose is a witness where the arithmetic leaves a choice', () => {
		let decided = 0;
		let suitsByProse = 0;
		let placedByProse = 0;
		fc.assert(
			fc.property(decidedLayouts, ([seed, template, format]) => {
				const { g, parsed } = generatedAndParsed(seed, template, format);
				for (const [path] of statedCells(g.record).filter((cells) => cells.length === 1)) {
					const p = parsed.provenance?.[path];
					expect({ path, value: cellAt(parsed, path), how: p?.how === 'ambiguous' ? 'ambiguous' : 'decided' }).toEqual({
						path,
						value: cellAt(g.record, path),
						how: 'decided'
					});
					if (p?.reason) decided++;
					if (p?.reason && path.startsWith('litigation_')) suitsByProse++;
					// A row of numbers without its label that the column rules could put in more than one row (orphans.ts).
					if (p?.reason && format === 'displaced' && path.startsWith('requests.')) placedByProse++;
				}
			}),
			{ numRuns: 1500, seed: SEED }
		);
		// The prose, not the arithmetic, decided some of them: table 二 has no arithmetic at all, two small tables
		// both titled 行政诉讼 have the same arithmetic, and neither have two outcome rows a row without its label may go in.
		expect(decided).toBeGreaterThan(100);
		expect(suitsByProse).toBeGreaterThan(0);
		expect(placedByProse).toBeGreaterThan(0);
	});
});

/** A record's cell by its provenance path. */
function cellAt(r: ReportRecord, path: string): unknown {
	return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), r);
}
