import { OTHER_SPLIT_ROWS, type ActiveRowKey, type ReportIssue, type RequestRow } from '../schema';
import { activeFields, TEMPLATES, type TemplateDescriptor } from '../template/index';
import { isBlank, type RowView } from './rows';

/**
 * Which template a document uses: table 二 decides (report-format.md §1),
 * never the year; table 三's （六） only breaks a tie.
 */

/** What the segmenter saw that speaks for one template or another. */
export interface TemplateEvidence {
	/** Labels of table 二's header rows that carry a template marker. */
	headers: string[];
	/** Every table 二 row read, repeats included. */
	activeRows: ActiveRowKey[];
	active: Map<ActiveRowKey, RowView>;
	requests: Map<RequestRow, RowView>;
}

/**
 * The one table 二 row every template has and each prints with its own
 * number of value cells: how many values it holds is a vote.
 */
const SHAPE_ROW: ActiveRowKey = 'licensing';

const HEADER_VOTE = 2;
const ROW_VOTE = 1;
const WIDE_ROW_VOTE = 1;
/** A lone value in text may also be a wide row with blanks lost, so it counts less. */
const NARROW_ROW_VOTE = 0.5;

function votesFor(t: TemplateDescriptor, e: TemplateEvidence): number {
	let votes = 0;
	for (const label of e.headers) if (t.markers.headers.test(label)) votes += HEADER_VOTE;
	for (const row of e.activeRows) if (t.markers.rows.includes(row)) votes += ROW_VOTE;
	const shape = e.active.get(SHAPE_ROW);
	if (shape) {
		const fields = activeFields(t.id, SHAPE_ROW)?.length ?? 0;
		const nonBlank = shape.values.filter((v) => !isBlank(v)).length;
		if (nonBlank >= 2) {
			if (fields >= 2) votes += WIDE_ROW_VOTE;
		} else if (!shape.exact && fields === 1) votes += NARROW_ROW_VOTE;
	}
	return votes;
}

export function detectTemplate(e: TemplateEvidence): { template: TemplateDescriptor; issues: ReportIssue[] } {
	const issues: ReportIssue[] = [];
	const votes = TEMPLATES.map((t) => ({ t, votes: votesFor(t, e) }));
	const top = Math.max(...votes.map((v) => v.votes));
	const leaders = votes.filter((v) => v.votes === top).map((v) => v.t);
	const hasSplitOther = OTHER_SPLIT_ROWS.some((r) => e.requests.has(r));
	const singleOther = e.requests.has('other') && !hasSplitOther;
	const form = singleOther ? 'single' : 'split';
	const template = leaders.length === 1 ? leaders[0] : (leaders.find((t) => t.requests.other === form) ?? leaders[0]);

	const voted = votes.filter((v) => v.votes > 0).map((v) => v.t.id);
	if (e.active.size > 0 && voted.length > 1) {
		issues.push({
			code: 'template_mixed',
			severity: 'warning',
			message: `表二同时出现 ${voted.sort().join(' 与 ')} 格式的表头，按多数取 ${template.id} 格式`,
			where: { table: '二' }
		});
	}
	if (e.active.size > 0 && template.requests.other === 'split' && singleOther) {
		const single = TEMPLATES.filter((t) => t.requests.other === 'single').map((t) => t.id);
		issues.push({
			code: 'template_mixed',
			severity: 'info',
			message: `表二为 ${template.id} 格式，但表三「（六）其他处理」只有一行（${single.join('/')} 格式），记入 other`,
			where: { table: '三', row: 'other' }
		});
	}
	return { template, issues };
}
