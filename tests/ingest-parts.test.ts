import { DuckDBInstance } from '@duckdb/node-api';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TABLE_LAYOUT, TABLE_NAMES, type Manifest } from '../src/lib/dataset/columns';
import { EXTRA_PARTS } from '../src/cli/ingest/parts';
import { cachePath } from '../src/cli/ingest/cache';
import { NodeRunner } from '../src/lib/server/duckdb-runner';
import { generateRecord } from '../src/lib/synthetic/record';
import { runCli } from './helpers/cli';

/**
 * The dataset in Parquet parts (issue 16.1): a run that adds reports writes
 * a part for them and leaves every other part's files as they were (same
 * names, bytes and mtimes); a run that changes an agency rewrites only the
 * part that held it; the parts stay few (the compaction rule); the rows are
 * those a cold run over the same files writes; and a run that dies after
 * writing its parts but before its manifest leaves the previous dataset whole.
 */

const HAS_UNZIP = spawnSync('unzip', ['-v']).status === 0;
if (!HAS_UNZIP) console.log('ingest-parts.test: `unzip` is not installed; the CSV zips are not compared');

const work = mkdtempSync(join(tmpdir(), 'nianbao-parts-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Reports per part in these tests: 40 bodies × 3 years make 3 parts. */
const PART = 50;
const manifestOf = (out: string): Manifest => JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
const ingest = (dir: string, out: string) => runCli(['ingest', dir, '--out', out, '--part-reports', String(PART)]);

function record(agency: number, year: number, seed = 0) {
	return { ...generateRecord(agency * 17 + year + seed, { year }), agency: `分块市第${agency + 1}局` };
}

/** Every Parquet file of a dataset folder: name → [sha256, mtime]. */
function fingerprints(out: string): Map<string, [string, number]> {
	const m = new Map<string, [string, number]>();
	for (const f of readdirSync(out))
		if (f.endsWith('.parquet'))
			m.set(f, [
				createHash('sha256')
					.update(readFileSync(join(out, f)))
					.digest('hex'),
				statSync(join(out, f)).mtimeMs
			]);
	return m;
}

/** The row store's chunks (one per part written): folder → each file's [size, mtime]. */
function chunks(out: string): Map<string, [number, number][]> {
	const dir = cachePath(out).replace(/\.jsonl$/, '.rows');
	const m = new Map<string, [number, number][]>();
	for (const c of readdirSync(dir))
		if (c.startsWith('chunk-'))
			m.set(
				c,
				TABLE_NAMES.map((t) => {
					const st = statSync(join(dir, c, `${t}.csv`));
					return [st.size, st.mtimeMs];
				})
			);
	return m;
}

/** A SQL list of a table's parts. */
const partsOf = (out: string, t: string, m = manifestOf(out)) => `[${m.files[t as keyof Manifest['files']].map((f) => `'${join(out, f)}'`).join(', ')}]`;

async function query(sql: string): Promise<unknown[][]> {
	const instance = await DuckDBInstance.create(':memory:');
	const conn = await instance.connect();
	try {
		return (await conn.runAndReadAll(sql)).getRows().map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
	} finally {
		conn.closeSync();
		instance.closeSync();
	}
}

/** Per table: rows in a, rows in b, rows only in a, rows only in b (as multisets). */
async function differences(a: string, b: string): Promise<Record<string, number[]>> {
	const out: Record<string, number[]> = {};
	for (const t of TABLE_NAMES) {
		const [x, y] = [`read_parquet(${partsOf(a, t)})`, `read_parquet(${partsOf(b, t)})`];
		out[t] = (
			await query(
				`SELECT (SELECT count(*) FROM ${x}), (SELECT count(*) FROM ${y}), (SELECT count(*) FROM (SELECT * FROM ${x} EXCEPT ALL SELECT * FROM ${y})), (SELECT count(*) FROM (SELECT * FROM ${y} EXCEPT ALL SELECT * FROM ${x}))`
			)
		)[0] as number[];
	}
	return out;
}

/** Each part of every table is in the table's order, every agency's rows are in one part, the same one in every table; returns each part's agencies. */
async function checkParts(out: string): Promise<string[][]> {
	const m = manifestOf(out);
	const n = m.files.reports.length;
	const agencies: string[][] = [];
	for (const t of TABLE_NAMES) {
		expect(m.files[t], t).toHaveLength(n);
		expect(m.bytes![t], t).toHaveLength(n);
		for (const [i, f] of m.files[t].entries()) {
			expect(statSync(join(out, f)).size, f).toBe(m.bytes![t][i]);
			const file = `read_parquet('${join(out, f)}')`;
			const key = t === 'agencies' ? 'id' : t === 'reports' || t === 'report_metrics' ? 'agency_id' : "split_part(report_id, '-', 1)";
			// Out of order: a row whose predecessor (in file order) sorts after it.
			const order = TABLE_LAYOUT[t].order;
			const [[unordered]] = await query(
				`SELECT count(*) FROM (SELECT row_number() OVER () AS n, * FROM ${file}) a JOIN (SELECT row_number() OVER () AS n, * FROM ${file}) b ON b.n = a.n + 1 WHERE (${order
					.split(', ')
					.map((c) => `a.${c}`)
					.join(', ')}) > (${order
					.split(', ')
					.map((c) => `b.${c}`)
					.join(', ')})`
			);
			expect(unordered, f).toBe(0);
			const ids = (await query(`SELECT DISTINCT ${key} FROM ${file} ORDER BY 1`)).map((r) => String(r[0]));
			if (t === 'agencies') agencies.push(ids);
			else if (t !== 'issues' && t !== 'metrics') expect(ids, f).toEqual(agencies[i]);
			else for (const id of ids) expect(agencies[i], f).toContain(id);
		}
	}
	return agencies;
}

describe('the dataset in parts', () => {
	const dir = join(work, 'src');
	mkdirSync(dir, { recursive: true });
	for (let a = 0; a < 40; a++) for (const year of [2020, 2021, 2022]) writeFileSync(join(dir, `${a}-${year}.json`), JSON.stringify(record(a, year)));
	const out = join(work, 'incremental');

	const coldEquals = async (name: string) => {
		const cold = join(work, name);
		const c = ingest(dir, cold);
		expect(c.code, c.stderr).toBe(0);
		expect(c.stderr).toMatch(/0 块沿用/);
		const diff = await differences(out, cold);
		for (const t of TABLE_NAMES) {
			const [n, m, onlyA, onlyB] = diff[t];
			expect(n, t).toBe(m);
			expect(n, t).toBe(manifestOf(cold).counts[t]);
			expect([onlyA, onlyB], t).toEqual([0, 0]);
		}
		const { files: _f, bytes: _b, built_at: _t, ...same } = manifestOf(out);
		const { files: _cf, bytes: _cb, built_at: _ct, ...cold_ } = manifestOf(cold);
		expect(same).toEqual(cold_);
		// The CSV zip holds the same CSV either way (rows in report id order).
		if (HAS_UNZIP)
			for (const t of TABLE_NAMES) {
				const csv = (d: string) => spawnSync('unzip', ['-p', join(d, manifestOf(d).csv_zip!), `${t}.csv`], { maxBuffer: 1 << 28 }).stdout;
				expect(Buffer.compare(csv(out), csv(cold)), t).toBe(0);
			}
		rmSync(cold, { recursive: true, force: true });
	};

	it('a cold run writes parts of about --part-reports reports, each in order, each agency in one', async () => {
		const r = ingest(dir, out);
		expect(r.code, r.stderr).toBe(0);
		const m = manifestOf(out);
		expect(m.counts.reports).toBe(120);
		expect(m.files.facts).toHaveLength(3);
		const agencies = await checkParts(out);
		expect(agencies.flat()).toHaveLength(40);
		expect(new Set(agencies.flat()).size).toBe(40);
		// Every part file is named, nothing else left.
		expect([...fingerprints(out).keys()].sort()).toEqual(Object.values(m.files).flat().sort());
		const runner = await NodeRunner.open(out, ['reports', 'facts']);
		try {
			expect(await runner.query<{ n: number }>({ text: 'SELECT count(*)::INTEGER AS n FROM reports', params: [] })).toEqual([{ n: 120 }]);
		} finally {
			runner.close();
		}
	}, 300_000);

	it('1% more reports of new bodies: one new part, every old part untouched, the rows of a cold run', async () => {
		const before = fingerprints(out);
		const stored = chunks(out);
		expect(stored.size).toBe(3);
		const old = manifestOf(out);
		for (const a of [40, 41]) writeFileSync(join(dir, `${a}-2022.json`), JSON.stringify(record(a, 2022)));
		const r = ingest(dir, out);
		expect(r.code, r.stderr).toBe(0);
		expect(r.stderr).toContain('3 块沿用，1 块写出（2 份报告）');
		const m = manifestOf(out);
		for (const t of TABLE_NAMES) {
			expect(m.files[t].slice(0, 3), t).toEqual(old.files[t]);
			expect(m.files[t], t).toHaveLength(4);
		}
		const after = fingerprints(out);
		for (const [f, print] of before) expect(after.get(f), f).toEqual(print);
		const agencies = await checkParts(out);
		expect(agencies[3]).toHaveLength(2);
		// The row store too: the kept parts' lines stay where they are, not copied; one new chunk holds the new part's.
		const now = chunks(out);
		for (const [c, print] of stored) expect(now.get(c), c).toEqual(print);
		const added = [...now.keys()].filter((c) => !stored.has(c));
		expect(added).toHaveLength(1);
		expect(now.get(added[0])![TABLE_NAMES.indexOf('reports')][0]).toBeLessThan(stored.values().next().value![TABLE_NAMES.indexOf('reports')][0]);
		expect(
			readFileSync(join(cachePath(out).replace(/\.jsonl$/, '.rows'), added[0], 'reports.csv'), 'utf8')
				.split('\n')
				.filter(Boolean)
		).toHaveLength(2);
		await coldEquals('cold-1');
	}, 300_000);

	it('a changed report rewrites only the part that held its body', async () => {
		const before = fingerprints(out);
		const old = manifestOf(out);
		const agencies = await checkParts(out);
		writeFileSync(join(dir, '7-2021.json'), JSON.stringify(record(7, 2021, 1)));
		const r = ingest(dir, out);
		expect(r.code, r.stderr).toBe(0);
		expect(r.stderr).toMatch(/3 块沿用，1 块写出/);
		const m = manifestOf(out);
		const after = fingerprints(out);
		// The part that held body 7 is gone, the others are as they were.
		const gone = old.files.reports.filter((f) => !m.files.reports.includes(f));
		expect(gone).toHaveLength(1);
		const held = old.files.reports.indexOf(gone[0]);
		for (const t of TABLE_NAMES)
			for (const [i, f] of old.files[t].entries()) {
				if (i === held) expect(after.has(f), f).toBe(false);
				else expect(after.get(f), f).toEqual(before.get(f));
			}
		const now = await checkParts(out);
		expect(now.at(-1)).toEqual(agencies[held]);
		await coldEquals('cold-2');
	}, 300_000);

	it('many small runs: the parts stay few, small parts merge with each other', async () => {
		for (let run = 0; run < 6; run++) {
			writeFileSync(join(dir, `${50 + run}-2022.json`), JSON.stringify(record(50 + run, 2022)));
			const r = ingest(dir, out);
			expect(r.code, r.stderr).toBe(0);
			const m = manifestOf(out);
			expect(m.files.facts.length).toBeLessThanOrEqual(Math.ceil(m.counts.reports / PART) + EXTRA_PARTS);
			// Never the big parts rewritten for a small addition: at most the small ones and the new one.
			const [, written] = /(\d+) 块写出（(\d+) 份报告）/.exec(r.stderr)!.slice(1).map(Number);
			expect(written).toBeLessThan(PART);
		}
		await checkParts(out);
		await coldEquals('cold-3');
	}, 600_000);

	it('a run that dies after writing its parts, before its manifest, leaves the previous dataset readable', async () => {
		const old = manifestOf(out);
		const before = fingerprints(out);
		writeFileSync(join(dir, '60-2022.json'), JSON.stringify(record(60, 2022)));
		// The version the new dataset gets (a cold run over the same files), then its sources file blocked by a folder:
		// the run writes its parts, then fails on the step before the manifest.
		const probe = join(work, 'probe');
		expect(ingest(dir, probe).code).toBe(0);
		const version = manifestOf(probe).dataset_version;
		rmSync(probe, { recursive: true, force: true });
		mkdirSync(join(out, `sources-${version}.json`, 'blocked'), { recursive: true });
		const r = ingest(dir, out);
		expect(r.code).not.toBe(0);
		// Its new part is there, unlisted; the manifest and every file it names are as they were.
		const after = fingerprints(out);
		expect(after.size).toBe(before.size + TABLE_NAMES.length);
		expect(manifestOf(out)).toEqual(old);
		for (const [f, print] of before) expect(after.get(f), f).toEqual(print);
		const runner = await NodeRunner.open(out);
		try {
			expect(await runner.query<{ n: number }>({ text: 'SELECT count(*)::INTEGER AS n FROM reports', params: [] })).toEqual([{ n: old.counts.reports }]);
			expect(await runner.query<{ n: number }>({ text: 'SELECT count(*)::INTEGER AS n FROM facts', params: [] })).toEqual([{ n: old.counts.facts }]);
		} finally {
			runner.close();
		}
		// Unblocked, the next run writes the new dataset and removes what no manifest names.
		rmSync(join(out, `sources-${version}.json`), { recursive: true });
		const again = ingest(dir, out);
		expect(again.code, again.stderr).toBe(0);
		expect(manifestOf(out).dataset_version).toBe(version);
		expect([...fingerprints(out).keys()].sort()).toEqual(Object.values(manifestOf(out).files).flat().sort());
		await checkParts(out);
		await coldEquals('cold-4');
	}, 600_000);
});
