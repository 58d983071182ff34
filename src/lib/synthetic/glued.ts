/**
 * A report as page-to-text dumps keep it: every table row's cells run together
 * behind its label ("行政许可3960181"), a stray space after some cells (a cell
 * padded with &nbsp; in the page), the tables and often the whole body on one
 * line. Labels come from labels.ts, the generator's own vocabulary.
 */
import { ACTIVE_LAYOUT, CASE_FIELDS, CASE_GROUPS, REQUEST_ROWS, APPLICANT_COLUMNS, type CompleteRecord } from '../report/schema';
import {
	ACTIVE_BLOCK_HEADERS,
	ACTIVE_ROW_VARIANTS,
	CASES_HEADER_TEXT,
	NUMBER_STYLES,
	OUTCOMES_GROUP_TEXT,
	REQUEST_ROW_VARIANTS,
	REQUESTS_HEADER_TEXT
} from './labels';
import { resolveNoise } from './noise';
import { reportOutline } from './outline';
import type { Rng } from './random';

/** How often a cell is followed by a stray space. */
const SPACE_AFTER = 0.15;

function runOf(values: readonly string[], rng: Rng): string {
	return values.map((v, i) => (i < values.length - 1 && rng.chance(SPACE_AFTER) ? `${v} ` : v)).join('');
}

function valueText(field: string, value: number, rng: Rng, plus: boolean): string {
	if (field === 'amount_yuan') return rng.chance(0.5) ? `${value}元` : String(value);
	if (field === 'change' && value > 0 && plus) return `+${value}`;
	return String(value);
}

function activeText(record: CompleteRecord, rng: Rng): string {
	if (!record.active) return '';
	const layout: Record<string, readonly string[]> = ACTIVE_LAYOUT[record.template];
	const plus = rng.chance(0.3);
	let out = '';
	for (const block of ACTIVE_BLOCK_HEADERS[record.template]) {
		out += `${block.item}信息内容${block.fields}`;
		for (const row of block.rows) {
			const cells = record.active[row];
			if (!cells) continue;
			const label = rng.pick(ACTIVE_ROW_VARIANTS[record.template][row] ?? [row]);
			out +=
				label +
				runOf(
					layout[row].map((f) => valueText(f, cells[f], rng, plus)),
					rng
				);
		}
	}
	return out;
}

function requestsText(record: CompleteRecord, rng: Rng): string {
	const style = rng.pick(NUMBER_STYLES);
	let out = REQUESTS_HEADER_TEXT;
	let group: string | undefined;
	let n = 0;
	for (const row of REQUEST_ROWS) {
		const cells = record.requests[row];
		if (!cells) continue;
		const variant = REQUEST_ROW_VARIANTS[row];
		if (row === 'granted') out += OUTCOMES_GROUP_TEXT;
		if (variant.group !== group) {
			group = variant.group;
			n = 0;
			if (group) out += group;
		}
		n++;
		out += rng.pick(variant.words).replace('{n}', `${n}${style}`);
		out += runOf(
			APPLICANT_COLUMNS.map((c) => String(cells[c])),
			rng
		);
	}
	return out;
}

function casesText(record: CompleteRecord, rng: Rng): string {
	const values = CASE_GROUPS.flatMap((g) => CASE_FIELDS.map((f) => String(record[g]?.[f] ?? 0)));
	return CASES_HEADER_TEXT + runOf(values, rng);
}

/** The report as a run-together text dump. */
export function renderGlued(record: CompleteRecord, rng: Rng): string {
	const outline = reportOutline(record, rng, resolveNoise(0));
	const tables = [activeText(record, rng), requestsText(record, rng), casesText(record, rng)];
	let t = 0;
	const body = outline.blocks.map((b) => (b.kind === 'table' ? tables[t++] : b.text));
	const oneLine = rng.chance(0.6);
	return [outline.title, outline.dateLine, outline.notice, oneLine ? body.join('') : body.join('\n'), ''].join('\n');
}
