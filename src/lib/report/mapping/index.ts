import type { ReportDocument } from '../document';
import type { Provenance, Readings } from '../provenance';
import type { ActiveTable, CaseCells, ReportIssue, RequestCells, RequestRow, Template } from '../schema';
import { mapActive } from './active';
import { mapCases } from './cases';
import { detectTemplate } from './detect';
import { provenanceOf } from './provenance';
import { placeOrphans } from './orphans';
import { slideFromBlank } from './slides';
import { decideCaseParts } from './decide';
import { proseClaims, type ProseClaim } from '../prose';
import { mapRequests } from './requests';
import type { Tally } from './rows';
import { segmentTables } from './segment';
import { orientTables } from './transpose';

/**
 * The template mapping: a document's rows → the three standard tables.
 * segment.ts sorts rows into tables, detect.ts picks the template from what
 * table 二 shows, and active.ts, requests.ts and cases.ts read each table's
 * values as the template (template/) lays them out. Knows reports, nothing
 * about formats.
 */

export { missingRequestRows } from './requests';

export interface MappedTables {
	template: Template;
	active: ActiveTable;
	requests: Record<RequestRow, RequestCells | null>;
	review: CaseCells | null;
	litigation_direct: CaseCells | null;
	litigation_after_review: CaseCells | null;
	issues: ReportIssue[];
	found: { active: boolean; requests: boolean; cases: boolean };
	/** Every value cell read was blank: a copy of the empty template. */
	allBlank: boolean;
	/** How each cell was read, and where it stands. */
	provenance: Provenance;
}

/**
 * Read the three standard tables from a document's rows. Template from table
 * 二's headers and rows (never the year); rows by label meaning; numbers as
 * printed. Problems go into `issues`; nothing is corrected.
 */
export function mapTables(doc: ReportDocument, readings?: Readings): MappedTables {
	// A table 三 printed transposed is turned to the template's orientation first (or left out, said so).
	const oriented = orientTables(doc.tables);
	const seg = segmentTables(oriented.tables === doc.tables ? doc : { ...doc, tables: oriented.tables });
	// Rows held by order (no label) say nothing of the template's （六）: only labelled rows vote.
	const labelled = seg.requestsPlaced.every((p) => p.labelled)
		? seg.requests
		: new Map([...seg.requests].filter(([key]) => seg.requestsPlaced.some((p) => p.key === key && p.labelled)));
	const { template, issues: templateIssues } = detectTemplate({ ...seg, requests: labelled });
	const issues = [...oriented.issues, ...seg.issues, ...templateIssues];
	// The prose's claims, read once and only where a reading needs a witness.
	let claims: ProseClaim[] | undefined;
	const claimsOf = () => (claims ??= proseClaims(doc.lines));
	// Rows of numbers whose labels moved away are placed once the template is known.
	const placement = placeOrphans(seg.requestsPlaced, seg.requests, template.id, claimsOf);
	issues.push(...placement.issues);
	// A label alone may start a run of labels slid a line off their numbers whose last row was printed blank: the rules say.
	const slid = slideFromBlank(seg.requests, new Map([...(readings ?? []), ...placement.readings]), claimsOf);
	issues.push(...slid.issues);
	// Table 四's small tables without a title of their own: only the prose can say which is which.
	const parts = seg.caseParts && decideCaseParts(seg.caseParts.rows, seg.caseParts.byOrder, claimsOf);
	if (parts) issues.push(...parts.issues);
	const casesRow = parts?.row ?? seg.cases;
	const cellReadings: Readings = new Map([...(readings ?? []), ...placement.readings, ...slid.readings, ...(parts?.readings ?? [])]);
	const tally: Tally = { cells: 0, blank: 0 };
	const active = mapActive(template, seg.active, seg.activeFieldOrders, tally, issues);
	const requests = mapRequests(seg.requests, tally, issues, cellReadings);
	const cases = mapCases(template, casesRow, seg.casesHeaderSeen, seg.requests.size > 0, tally, issues);
	const provenance = provenanceOf({
		template: template.id,
		active,
		activeRows: seg.active,
		requests,
		requestRows: seg.requests,
		cases,
		casesRow,
		issues,
		readings: cellReadings
	});
	return {
		template: template.id,
		active,
		requests,
		review: cases.review,
		litigation_direct: cases.litigation_direct,
		litigation_after_review: cases.litigation_after_review,
		issues,
		found: { active: seg.active.size > 0, requests: seg.requests.size > 0, cases: !!seg.cases },
		allBlank: tally.cells > 0 && tally.cells === tally.blank,
		provenance
	};
}
