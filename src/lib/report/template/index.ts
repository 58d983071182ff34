import { ACTIVE_LAYOUT, type ActiveRowKey, type Template } from '../schema';
import type { TemplateDescriptor } from './types';
import { Y2019 } from './y2019';
import { Y2021 } from './y2021';

export type { ActiveBlock, ActiveLayout, TemplateDescriptor } from './types';

/** Every template the parser knows, newest first: where nothing tells them apart, the newest is taken. */
export const TEMPLATES: readonly TemplateDescriptor[] = [Y2021, Y2019];

export function templateOf(id: Template): TemplateDescriptor {
	const t = TEMPLATES.find((d) => d.id === id);
	if (!t) throw new Error(`no descriptor for template ${id}`);
	return t;
}

/** A table 二 row's fields in print order (schema.ts ACTIVE_LAYOUT), or undefined when the template has no such row. */
export function activeFields(id: Template, row: ActiveRowKey): readonly string[] | undefined {
	const layout: Partial<Record<ActiveRowKey, readonly string[]>> = ACTIVE_LAYOUT[id];
	return layout[row];
}

/** Value cells of one table 二 row on the grid: each field where its cell starts, null where a merged cell extends. */
export type GridRow = readonly (string | null)[];

function gridRow(fields: readonly string[], spans: readonly number[]): GridRow {
	return fields.flatMap((field, i) => [field, ...new Array<null>(spans[i] - 1).fill(null)]);
}

/**
 * Table 二 of each template on its grid. Text copied from such a table keeps
 * one field per grid column, so a blank value and a merged cell look alike;
 * this tells them apart.
 */
export const ACTIVE_GRIDS: Record<Template, Partial<Record<ActiveRowKey, GridRow>>> = Object.fromEntries(
	TEMPLATES.map((t) => [
		t.id,
		Object.fromEntries(t.active.blocks.flatMap((b) => b.rows.map((row) => [row, gridRow(activeFields(t.id, row) ?? [], b.valueSpans)])))
	])
) as Record<Template, Partial<Record<ActiveRowKey, GridRow>>>;

/** Number of values in table 四's one row of values. */
export function casesWidth(t: TemplateDescriptor): number {
	return t.cases.groups.length * t.cases.fields.length;
}
