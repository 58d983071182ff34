import { describe, expect, it } from 'vitest';
import { labelKey } from '../src/lib/report/normalize';
import { ACTIVE_FIELD_LABELS, ACTIVE_LAYOUT } from '../src/lib/report/schema';
import { ACTIVE_GRIDS, activeFields, casesWidth, TEMPLATES, templateOf } from '../src/lib/report/template/index';

describe('template descriptors', () => {
	it('derive table 二 on the grid: each field where its cell starts, null under a merged cell', () => {
		expect(ACTIVE_GRIDS['2019']).toEqual({
			regulations: ['made', 'published', null, 'total_public'],
			normative_documents: ['made', 'published', null, 'total_public'],
			licensing: ['previous_items', null, 'change', 'decisions'],
			other_services: ['previous_items', null, 'change', 'decisions'],
			punishment: ['previous_items', null, 'change', 'decisions'],
			coercion: ['previous_items', null, 'change', 'decisions'],
			fees: ['previous_items', null, 'change', null],
			procurement: ['projects', null, 'amount_yuan', null]
		});
		expect(ACTIVE_GRIDS['2021']).toEqual({
			regulations: ['issued', 'repealed', 'in_force'],
			normative_documents: ['issued', 'repealed', 'in_force'],
			licensing: ['decisions', null, null],
			punishment: ['decisions', null, null],
			coercion: ['decisions', null, null],
			fees: ['amount_10k_yuan', null, null]
		});
	});

	it('span the full grid width in every header and data row of table 二', () => {
		for (const t of TEMPLATES) {
			for (const block of t.active.blocks) {
				const fields = activeFields(t.id, block.rows[0]) ?? [];
				expect(block.headerSpans).toHaveLength(fields.length);
				expect(block.valueSpans).toHaveLength(fields.length);
				const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
				expect(sum(block.headerSpans), `${t.id} ${block.item}`).toBe(t.active.width - 1);
				expect(sum(block.valueSpans), `${t.id} ${block.item}`).toBe(t.active.width - 1);
			}
		}
	});

	it('have header markers that match their own printed headers and no other template’s', () => {
		for (const t of TEMPLATES) {
			const printed = t.active.blocks.flatMap((b) =>
				(activeFields(t.id, b.rows[0]) ?? []).map((f) => labelKey(t.active.headerText[f] ?? ACTIVE_FIELD_LABELS[f]))
			);
			expect(
				printed.some((h) => t.markers.headers.test(h)),
				t.id
			).toBe(true);
			for (const other of TEMPLATES.filter((o) => o !== t))
				expect(
					printed.filter((h) => other.markers.headers.test(h)),
					`${t.id} headers under ${other.id}'s markers`
				).toEqual([]);
		}
	});

	it('name marker rows that only their own template has', () => {
		for (const t of TEMPLATES)
			for (const row of t.markers.rows) {
				expect(Object.keys(ACTIVE_LAYOUT[t.id])).toContain(row);
				for (const other of TEMPLATES.filter((o) => o !== t)) expect(activeFields(other.id, row)).toBeUndefined();
			}
	});

	it('give table 四 fifteen values in both templates, and one of each form of （六）', () => {
		expect(TEMPLATES.map(casesWidth)).toEqual([15, 15]);
		expect(templateOf('2019').requests.other).toBe('single');
		expect(templateOf('2021').requests.other).toBe('split');
	});
});
