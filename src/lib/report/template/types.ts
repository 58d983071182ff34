import type { ActiveRowKey, CaseField, CaseGroup, Template } from '../schema';

/**
 * One report template's tables as data: what it prints, how its cells span the
 * grid, and what tells it apart from the others. The record's keys come from
 * schema.ts (the record shape); a descriptor says how a template lays them out
 * on paper. The mapping (mapping/) reads every template through these
 * descriptors, so a new template or a province's variant is a new descriptor
 * in template/ plus its entry in template/index.ts.
 */
export interface TemplateDescriptor {
	id: Template;
	/**
	 * What identifies the template in table 二, never the year
	 * (report-format.md §1): header phrases only it prints (a strong vote
	 * each) and rows only it has (a weak vote each).
	 */
	markers: { headers: RegExp; rows: readonly ActiveRowKey[] };
	active: ActiveLayout;
	/** Table 三's （六）其他处理: one row, or the three numbered sub-rows. */
	requests: { other: 'single' | 'split' };
	/** Table 四: one row of values, each group's fields side by side. */
	cases: { groups: readonly CaseGroup[]; fields: readonly CaseField[] };
}

/**
 * Table 二: stacked blocks on a grid `width` columns wide (the label column
 * included). The fields of each row are schema.ts ACTIVE_LAYOUT's, in print
 * order; the spans say how many grid columns each field's cell covers.
 */
export interface ActiveLayout {
	width: number;
	blocks: readonly ActiveBlock[];
	/** Where the template's printed row label differs from schema.ts ACTIVE_ROW_LABELS. */
	rowText: Partial<Record<ActiveRowKey, string>>;
	/** Where the template's printed field header differs from schema.ts ACTIVE_FIELD_LABELS. */
	headerText: Readonly<Record<string, string>>;
}

export interface ActiveBlock {
	/** The 条例 第二十条 item the block is headed by, e.g. （一）. */
	item: string;
	rows: readonly ActiveRowKey[];
	/** Column spans of the header's field cells and of each data row's value cells (they differ in 2019). */
	headerSpans: readonly number[];
	valueSpans: readonly number[];
}
