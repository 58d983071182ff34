/**
 * The generator's whole-report PDFs (src/lib/synthetic/pdf-report.ts) through
 * the real PDF path (pdf.js → adapters/pdf → mapping), against the
 * generator's truth: table 三 with wrapped labels, rows of zeros printed
 * blank, a run of rows whose numbers stand a row off their labels (its end
 * row sometimes printed blank), the table broken across pages with its
 * header printed again or not, and table 四 in one piece or as three small
 * tables.
 */
import { describe, expect, it } from 'vitest';
import { registerDocumentAdapters } from '../src/lib/report/adapters/index';
import { parseReportFile, type ParsedReport } from '../src/lib/report/index';
import { CASE_GROUPS } from '../src/lib/report/schema';
import { generatePdfReport } from '../src/lib/synthetic/pdf-report';
import { mismatches } from './helpers/mismatches';

registerDocumentAdapters();

/** pdf.js reads a generated report in ~0.1 s on a quiet core; the count keeps the file well inside the suite's limit under load. */
const COUNT = 80;

describe('the generator’s PDFs at volume', () => {
	it(`${COUNT} reports: no wrong number marked read or inferred, none refused, the layouts covered`, async () => {
		let exact = 0;
		let flagged = 0;
		const silent: string[] = [];
		const refused: string[] = [];
		const seen = { slid: 0, slidBlankEnd: 0, blankRows: 0, split: 0, headerRepeated: 0, smallCaseTables: 0, smallExact: 0 };
		for (let seed = 1; seed <= COUNT; seed++) {
			const g = generatePdfReport(seed, { template: seed % 2 ? '2019' : '2021' });
			let r: ParsedReport;
			try {
				r = await parseReportFile(g.bytes, g.fileName);
			} catch (e) {
				refused.push(`${seed}: ${(e as Error).message}`);
				continue;
			}
			const wrong = mismatches(r, g.record);
			silent.push(...wrong.filter((p) => r.provenance?.[p]?.how !== 'ambiguous').map((p) => `${seed}:${p}:${r.provenance?.[p]?.how}`));
			if (wrong.length === 0) exact++;
			else flagged++;
			// Our doubt is never the agency's arithmetic.
			if (wrong.length > 0) expect(r.issues.filter((i) => i.code.startsWith('rule_'))).toEqual([]);
			const { layout } = g;
			if (layout.slid > 0) seen.slid++;
			if (layout.slidBlankEnd) seen.slidBlankEnd++;
			if (layout.blankRows > 0) seen.blankRows++;
			if (layout.split) seen.split++;
			if (layout.headerRepeated) seen.headerRepeated++;
			if (layout.smallCaseTables) {
				seen.smallCaseTables++;
				if (!wrong.some((p) => CASE_GROUPS.some((group) => p.startsWith(`${group}.`)))) seen.smallExact++;
			}
		}
		console.log(
			`generated PDFs, ${COUNT} reports: ${exact} exact, ${flagged} with every wrong cell ambiguous, ${refused.length} refused; ` +
				`slid runs ${seen.slid} (end row blank ${seen.slidBlankEnd}), rows printed blank in ${seen.blankRows}, table 三 across pages ${seen.split} ` +
				`(header again ${seen.headerRepeated}), table 四 as three tables ${seen.smallCaseTables} (${seen.smallExact} of them read exactly)`
		);
		expect(silent).toEqual([]);
		expect(refused).toEqual([]);
		expect(exact).toBeGreaterThan(COUNT * 0.8);
		// The layouts the test is for were printed, and table 四 as three small tables is read.
		expect(seen.slid).toBeGreaterThan(COUNT / 4);
		expect(seen.slidBlankEnd).toBeGreaterThan(0);
		expect(seen.blankRows).toBeGreaterThan(COUNT / 2);
		expect(seen.split).toBeGreaterThan(COUNT / 2);
		expect(seen.headerRepeated).toBeGreaterThan(0);
		expect(seen.smallCaseTables).toBeGreaterThan(COUNT / 4);
		expect(seen.smallExact).toBeGreaterThan(seen.smallCaseTables * 0.8);
	});
});
