import type { ReportDocument } from '../document';
import {
	ACTIVE_ROW_LABELS,
	APPLICANT_COLUMNS,
	CASE_FIELDS,
	CASE_GROUPS,
	type ActiveRowKey,
	type ApplicantColumn,
	type CaseField,
	type CaseGroup,
	type ReportIssue
} from '../schema';
import { TEMPLATES } from '../template/index';
import { ACTIVE_TABLE_HEADER, ACTIVE_TABLE_TITLE, CASES_TABLE_START, REQUESTS_FIRST_ROW, REQUESTS_HEADER_ROW, REQUESTS_TABLE_START } from '../template/labels';
import { activeRowOf, headerFieldOrder } from './active';
import { caseGroupOf, combineCaseParts, isBlankValuesRow, isCasePartRow, isCasesRow } from './cases';
import type { TemplateEvidence } from './detect';
import { isFullRow } from './cells';
import { requestReader, type PlacedRow } from './requests';
import { isBlank, MAX_LABEL, rowsOf, type RowView } from './rows';
import {
	absentColumns,
	applicantOrder,
	caseFieldOrder,
	caseGroupOrder,
	inGroupOrder,
	isTemplateOrder,
	reorderValues,
	trimBlankEnds,
	type Printed
} from './columns';

/**
 * A document's rows, in order, sorted into the three tables: where each
 * table starts (from short header rows), which rows belong to it, and what
 * its header rows say about the template. The tables' own readers
 * (active.ts, requests.ts, cases.ts) say what a row is.
 */

export interface Segments extends TemplateEvidence {
	/** Field order of the table 二 header row above each row. */
	activeFieldOrders: Map<ActiveRowKey, string[]>;
	cases?: RowView;
	/** Table 三's full rows in document order, labelled or not (orphans.ts places the ones without labels). */
	requestsPlaced: PlacedRow[];
	/** Table 四's header was seen (so a missing row of values is worth a word). */
	casesHeaderSeen: boolean;
	/** Table 四 printed as three small tables: each one's row of values, and the groups whose table had no title of its own (placed in template order). */
	caseParts?: { rows: Map<CaseGroup, RowView>; byOrder: CaseGroup[] };
	issues: ReportIssue[];
}

type Phase = 'none' | 'active' | 'requests' | 'cases';

const CASE_ORDER: readonly CaseGroup[] = CASE_GROUPS;

/** Values in a row that table 三 never prints (seven, and a few cells an extractor pushed in) but table 四's row does (fifteen). */
const CASES_ROW_MIN = 12;

/** Outside table 二, only a terse label ("行政许可") is taken as a table 二 row, not a sentence. */
const MAX_LOOSE_ACTIVE_LABEL = 12;

/** Table 二 header rows that carry any template's marker. */
function isMarkerHeader(label: string): boolean {
	return TEMPLATES.some((t) => t.markers.headers.test(label));
}

export function segmentTables(doc: ReportDocument): Segments {
	const issues: ReportIssue[] = [];
	const active = new Map<ActiveRowKey, RowView>();
	const activeRows: ActiveRowKey[] = [];
	const headers: string[] = [];
	const activeFieldOrders = new Map<ActiveRowKey, string[]>();
	// Label lines standing alone may be rows printed blank, except in markdown, where they are words moved off their pipe rows.
	const requests = requestReader(issues, { labelLines: !doc.tables.some((t) => t.pipes) });
	let activeFieldOrder: string[] | undefined;
	let cases: RowView | undefined;
	let casesHeaderSeen = false;
	let blankCases = false;
	let phase: Phase = 'none';
	// Table 四 printed as three small tables: each one's title, and its row of five values.
	let caseTitle: CaseGroup | undefined;
	const caseParts = new Map<CaseGroup, RowView>();
	const byOrder: CaseGroup[] = [];
	// Column orders the tables' header rows print (columns.ts): table 三's from the header rows before its first row of
	// numbers (again where a header is printed again), table 四's from its latest header row.
	let requestHeaders: RowView[] | undefined;
	let applicants: Printed<ApplicantColumn>[] | undefined;
	let caseFields: CaseField[] | undefined;
	let caseFieldsConflict = false;
	// Table 四's header rows: the order of its three groups side by side.
	const caseHeaders: RowView[] = [];
	const inCaseOrder = (row: RowView, groups: number): RowView => {
		if (caseFieldsConflict) return { ...row, columnsUnplaced: true };
		let values: string[] | undefined = row.values;
		if (caseFields && !isTemplateOrder(caseFields, CASE_FIELDS)) values = reorderValues(row, caseFields, CASE_FIELDS, groups);
		const order = groups === CASE_GROUPS.length ? caseGroupOrder(caseHeaders) : undefined;
		if (values && order && !isTemplateOrder(order, CASE_GROUPS))
			values = inGroupOrder(row.exact ? trimBlankEnds(values, CASE_FIELDS.length * groups) : values, order);
		if (values === row.values) return row;
		return values ? { ...row, values } : { ...row, columnsUnplaced: true };
	};

	for (const row of rowsOf(doc.tables)) {
		if (row.footer) continue;
		const { label } = row;
		const short = label.length > 0 && label.length <= MAX_LABEL;
		// Numbers in the row, or at least cells after the label (blank = 0 in a table row).
		const hasNumbers = row.values.some((v) => !isBlank(v));
		const hasCells = row.values.length > 0;
		// A text line of tabs only (cells all blank, no label) counts only as table 四's row of values;
		// anywhere else it is the empty line it looks like, as it always was.
		if (!row.exact && !label && !hasNumbers && !(phase === 'cases' && !cases)) continue;
		if (short && !hasNumbers && phase !== 'requests') caseTitle = caseGroupOf(label) ?? caseTitle;

		// Table 四's header rows (and the one that starts it), asked once: every short row of a CMS page's layout tables comes here.
		const casesStart = short && !hasNumbers && CASES_TABLE_START.test(label);
		if (casesStart || (short && !hasNumbers && phase === 'cases')) {
			caseHeaders.push(row);
			const fields = caseFieldOrder(row);
			if (fields.order) [caseFields, caseFieldsConflict] = [fields.order, false];
			else if (fields.conflict) caseFieldsConflict = true;
		}

		// Where are we? Table starts are recognised from short header rows only,
		// so a prose paragraph listing the six sections does not move the phase.
		if (short && !hasNumbers) {
			if (casesStart && phase !== 'cases') {
				if (phase === 'requests') requests.close();
				phase = 'cases';
				casesHeaderSeen = true;
				continue;
			}
			if (REQUESTS_TABLE_START.test(label)) {
				phase = 'requests';
				requests.open();
				requestHeaders = [row];
				continue;
			}
			if (ACTIVE_TABLE_HEADER.test(label) || (ACTIVE_TABLE_TITLE.test(label) && phase === 'none')) phase = 'active';
		}

		if (phase === 'active' || phase === 'none') {
			const activeKey = short ? activeRowOf(row) : undefined;
			if (activeKey && (hasNumbers || (hasCells && phase === 'active')) && (phase === 'active' || row.label.length <= MAX_LOOSE_ACTIVE_LABEL)) {
				phase = 'active';
				if (active.has(activeKey)) {
					issues.push({
						code: 'row_duplicate',
						severity: 'warning',
						message: `表二「${ACTIVE_ROW_LABELS[activeKey]}」出现两次，取第一次`,
						where: { table: '二', row: activeKey }
					});
				} else {
					active.set(activeKey, row);
					if (activeFieldOrder) activeFieldOrders.set(activeKey, activeFieldOrder);
				}
				activeRows.push(activeKey);
				continue;
			}
			if (short && !hasNumbers) {
				if (isMarkerHeader(label)) {
					headers.push(label);
					activeFieldOrder = headerFieldOrder(row);
				}
				continue;
			}
		}

		// Table 三 may follow table 二 without a recognisable header row.
		if (phase !== 'requests' && phase !== 'cases' && short && hasNumbers && REQUESTS_FIRST_ROW.test(label)) {
			phase = 'requests';
			requests.open();
		}

		if (phase === 'requests') {
			if (short && CASES_TABLE_START.test(label)) {
				requests.close();
				phase = 'cases';
				casesHeaderSeen = true;
				continue;
			}
			// Past 结转 (a markdown table 三 may go on there), a row shaped as table 四's whose header was lost: table 三 is over.
			const casesShaped = !row.label && ((row.values.length >= CASES_ROW_MIN && isCasesRow(row)) || (isCasePartRow(row) && !isFullRow(row)));
			if (!(casesShaped && requests.rows.has('carried_forward'))) {
				if (!hasNumbers && REQUESTS_HEADER_ROW.test(label)) (requestHeaders ??= []).push(row);
				else if (requestHeaders && hasNumbers) {
					// A header that names the seven columns sets their order; one that does not (a partial header printed again) keeps it.
					const order = applicantOrder(requestHeaders);
					if (order) applicants = isTemplateOrder(order, APPLICANT_COLUMNS) ? undefined : order;
					requestHeaders = undefined;
				}
				let view = row;
				if (applicants && hasCells) {
					const values = reorderValues(row, applicants, APPLICANT_COLUMNS);
					const absent = absentColumns(applicants, APPLICANT_COLUMNS);
					view = values ? { ...row, values } : { ...row, columnsUnplaced: true };
					if (absent.length > 0) view.absent = absent;
				}
				if (requests.read(view)) phase = 'none';
				continue;
			}
			requests.close();
			phase = 'cases';
		}

		if (phase === 'cases' && !cases && isCasesRow(row)) {
			cases = inCaseOrder(row, CASE_GROUPS.length);
			// A row of blanks may be an empty spacer above the values: taken as zeros unless a row with numbers follows.
			if (isBlankValuesRow(row)) blankCases = true;
			else phase = 'none';
		} else if (phase === 'cases' && blankCases && isCasesRow(row) && !isBlankValuesRow(row)) {
			cases = inCaseOrder(row, CASE_GROUPS.length);
			blankCases = false;
			phase = 'none';
		} else if (phase === 'cases' && !cases && isCasePartRow(row)) {
			const titled = caseTitle && !caseParts.has(caseTitle) ? caseTitle : undefined;
			const group = titled ?? CASE_ORDER.find((g) => !caseParts.has(g)) ?? 'review';
			if (!titled) byOrder.push(group);
			caseParts.set(group, inCaseOrder(row, 1));
			if (caseParts.size === CASE_ORDER.length) {
				cases = combineCaseParts(caseParts);
				phase = 'none';
			}
		}
	}
	if (phase === 'requests') requests.close();
	return {
		headers,
		activeRows,
		active,
		activeFieldOrders,
		requests: requests.rows,
		requestsPlaced: requests.placed,
		cases,
		casesHeaderSeen,
		...(caseParts.size === CASE_ORDER.length ? { caseParts: { rows: caseParts, byOrder } } : {}),
		issues
	};
}
