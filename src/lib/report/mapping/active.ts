import { labelKey } from '../normalize';
import { roundTo, type CellValue } from '../numbers';
import { ACTIVE_LAYOUT, ACTIVE_ROW_LABELS, emptyActive, type ActiveRowKey, type ActiveTable, type ReportIssue } from '../schema';
import { ACTIVE_GRIDS, activeFields, type TemplateDescriptor } from '../template/index';
import { ACTIVE_FIELD_PATTERNS, ACTIVE_ROW_PATTERNS } from '../template/labels';
import { fit, readValue, shapeIssue, type RowView, type Tally } from './rows';

/** Table 二 (主动公开): which row a label names, a header row's field order, and the rows' values. */

function stripParens(s: string): string {
	return s.replace(/[（(][^（()）]*[)）]/g, '');
}

/** The table 二 row a short label names (parentheticals removed), if any. */
export function activeRowOf(row: RowView): ActiveRowKey | undefined {
	const key = labelKey(stripParens(row.printed));
	return ACTIVE_ROW_PATTERNS.find(([, re]) => re.test(key))?.[0];
}

/** The fields a header row names, in the order it prints them. */
export function headerFieldOrder(row: RowView): string[] {
	const order: string[] = [];
	for (const part of row.labelCells) {
		const key = labelKey(part);
		const hit = ACTIVE_FIELD_PATTERNS.find(([, re]) => re.test(key));
		if (hit && !order.includes(hit[0])) order.push(hit[0]);
	}
	return order;
}

/**
 * Table 二's rows as read → the record's table for the template. A row the
 * template does not have is reported and left out; a header row's field
 * order is followed when it names exactly the row's fields.
 */
export function mapActive(
	template: TemplateDescriptor,
	rows: Map<ActiveRowKey, RowView>,
	fieldOrders: Map<ActiveRowKey, string[]>,
	tally: Tally,
	issues: ReportIssue[]
): ActiveTable {
	const id = template.id;
	const active = emptyActive(id);
	for (const [key, row] of rows) {
		const fields = activeFields(id, key);
		if (!fields) {
			issues.push({
				code: 'template_mixed',
				severity: 'warning',
				message: `表二「${ACTIVE_ROW_LABELS[key]}」不属于 ${id} 格式，已忽略`,
				where: { table: '二', row: key }
			});
			continue;
		}
		const { cells, problem } = fit(row.values, fields.length, row.exact, ACTIVE_GRIDS[id][key]);
		if (problem) issues.push(shapeIssue('二', key, ACTIVE_ROW_LABELS[key], problem, row, fields.length));
		const order = fieldOrders.get(key);
		const useOrder = order && order.length === fields.length && fields.every((f) => order.includes(f)) ? order : fields;
		const out: Record<string, number | null> = {};
		for (const f of fields) out[f] = 0;
		useOrder.forEach((field, i) => {
			const v = readValue(cells[i], tally, issues, '二', key, field);
			out[field] = activeValue(field, v, issues, key);
		});
		active[key] = out;
	}
	for (const key of Object.keys(ACTIVE_LAYOUT[id])) {
		if (active[key] === null && rows.size > 0)
			issues.push({
				code: 'row_missing',
				severity: 'warning',
				message: `表二缺少「${ACTIVE_ROW_LABELS[key as ActiveRowKey]}」行`,
				where: { table: '二', row: key }
			});
	}
	return active;
}

/** Fee and procurement amounts follow the unit the cell states. */
function activeValue(field: string, v: CellValue, issues: ReportIssue[], row: ActiveRowKey): number | null {
	if (v.value === null) return null;
	if (field === 'amount_yuan' && v.note === 'unit_wan') return roundTo(v.value * 10000, 2);
	if (field === 'amount_10k_yuan' && v.note === 'unit_yuan') {
		issues.push({
			code: 'unit_converted',
			severity: 'info',
			message: `表二「${ACTIVE_ROW_LABELS[row]}」金额单元格写明“元”，已换算为万元`,
			where: { table: '二', row, column: field }
		});
		return roundTo(v.value / 10000, 6);
	}
	return v.value;
}
