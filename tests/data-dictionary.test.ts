import { describe, expect, it } from 'vitest';
import { METRIC_BY_ID } from '../src/lib/catalog/metrics';
import { STORED_METRICS, TABLES, TABLE_DOCS, TABLE_NAMES } from '../src/lib/dataset/columns';

// The data dictionary (/dictionary) is generated from TABLE_DOCS: every column documented, nothing documented that is no column.
describe('TABLE_DOCS', () => {
	it('has a meaning in both languages for every column but report_metrics’ metric columns, which the catalog describes', () => {
		for (const table of TABLE_NAMES) {
			const docs = TABLE_DOCS[table];
			expect(docs.about.zh && docs.about.en, table).toBeTruthy();
			const columns = TABLES[table].map(([c]) => c);
			const metricColumns = table === 'report_metrics' ? new Set(STORED_METRICS) : new Set<string>();
			expect(Object.keys(docs.columns).sort(), table).toEqual(columns.filter((c) => !metricColumns.has(c)).sort());
			for (const [c, m] of Object.entries(docs.columns)) expect(m.zh.length > 1 && m.en.length > 1, `${table}.${c}`).toBe(true);
			for (const c of metricColumns) expect(METRIC_BY_ID.has(c), c).toBe(true);
		}
	});
});
