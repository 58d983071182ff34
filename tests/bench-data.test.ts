import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeScaleDataset } from '../src/cli/bench/data';
import { TABLE_NAMES, type Manifest, type TableName } from '../src/lib/dataset/columns';
import { readParquet } from './helpers/parquet';

// bench:data writes its scale datasets in parts as ingest does (parts.ts):
// whole agencies per part, in report id order, the same rows as in one part.

const dir = mkdtempSync(join(tmpdir(), 'nianbao-bench-data-'));
let one: Manifest;
let three: Manifest;

beforeAll(async () => {
	one = await writeScaleDataset(2100, join(dir, 'one'), 3, () => {}, 10_000);
	three = await writeScaleDataset(2100, join(dir, 'three'), 3, () => {}, 700);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rowsOf = async (m: Manifest, sub: string, table: TableName, part: number) => readParquet(join(dir, sub, m.files[table][part]));

describe('bench:data parts', () => {
	it('cuts the reports into parts of about partReports, every table in the same parts', () => {
		for (const t of TABLE_NAMES) expect(one.files[t]).toHaveLength(1);
		for (const t of TABLE_NAMES) expect(three.files[t]).toHaveLength(3);
		expect(three.counts.reports).toBe(2100);
	});

	it('holds whole agencies in each part, in report id order, and the same rows as one part', async () => {
		const seen = new Set<string>();
		let last = '';
		for (let p = 0; p < 3; p++) {
			const reports = await rowsOf(three, 'three', 'reports', p);
			expect(reports.length).toBeGreaterThan(500);
			expect(reports.length).toBeLessThan(900);
			const agencies = new Set(reports.map((r) => String(r.agency_id)));
			// No agency of this part was in an earlier one, and the part's agencies table holds exactly its agencies.
			for (const a of agencies) expect(seen.has(a)).toBe(false);
			for (const a of agencies) seen.add(a);
			expect(new Set((await rowsOf(three, 'three', 'agencies', p)).map((r) => String(r.id)))).toEqual(agencies);
			const ids = reports.map((r) => String(r.report_id));
			expect(ids[0] > last).toBe(true);
			expect([...ids].sort()).toEqual(ids);
			last = ids.at(-1)!;
		}
		// The same rows as the one part (native DuckDB: the rows differ in neither direction).
		for (const t of TABLE_NAMES) {
			const whole = `read_parquet('${join(dir, 'one', one.files[t][0])}')`;
			const [d] = await readParquet(
				three.files[t].map((f) => join(dir, 'three', f)),
				`SELECT (SELECT count(*) FROM t) AS n, (SELECT count(*) FROM ${whole}) AS m,
					(SELECT count(*) FROM (SELECT * FROM t EXCEPT ALL SELECT * FROM ${whole})) AS extra,
					(SELECT count(*) FROM (SELECT * FROM ${whole} EXCEPT ALL SELECT * FROM t)) AS missing`
			);
			expect(d, t).toEqual({ n: d.m, m: d.m, extra: 0, missing: 0 });
			expect(d.m, t).toBeGreaterThan(0);
		}
	});
});
