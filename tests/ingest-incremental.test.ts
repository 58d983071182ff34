import { DuckDBInstance } from '@duckdb/node-api';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TABLE_NAMES, type Manifest } from '../src/lib/dataset/columns';
import { cachePath } from '../src/cli/ingest/index';
import { generateRecord } from '../src/lib/synthetic/record';
import { generateReport } from '../src/lib/synthetic/index';
import { runCli } from './helpers/cli';
import { readParquet } from './helpers/parquet';

/**
 * A run that adds or changes a few reports (issue 16): only the agencies they
 * touch get their rows built again, the others' rows come from the row store
 * of the last run, and the dataset is the one a cold run over the same files
 * writes, row for row in the same order.
 */

const work = mkdtempSync(join(tmpdir(), 'nianbao-incremental-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const manifestOf = (out: string): Manifest => JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
const rowsDir = (out: string) => cachePath(out).replace(/\.jsonl$/, '.rows');

function record(agency: number, year: number, seed = 0) {
	return { ...generateRecord(agency * 13 + year + seed, { year }), agency: `增量市第${agency + 1}局` };
}

/** Every table of two datasets compared in DuckDB, row by row in file order: the rows only in one of them, per table. */
async function differences(a: string, b: string): Promise<Record<string, number[]>> {
	const instance = await DuckDBInstance.create(':memory:');
	const conn = await instance.connect();
	const [ma, mb] = [manifestOf(a), manifestOf(b)];
	const out: Record<string, number[]> = {};
	try {
		for (const t of TABLE_NAMES) {
			const numbered = (dir: string, m: Manifest) =>
				`(SELECT row_number() OVER () AS n, * FROM read_parquet([${m.files[t].map((f) => `'${join(dir, f)}'`).join(', ')}]))`;
			const reader = await conn.runAndReadAll(
				`SELECT (SELECT count(*) FROM ${numbered(a, ma)}), (SELECT count(*) FROM ${numbered(b, mb)}),
				 (SELECT count(*) FROM (SELECT * FROM ${numbered(a, ma)} EXCEPT ALL SELECT * FROM ${numbered(b, mb)})),
				 (SELECT count(*) FROM (SELECT * FROM ${numbered(b, mb)} EXCEPT ALL SELECT * FROM ${numbered(a, ma)}))`
			);
			out[t] = reader.getRows()[0].map(Number);
		}
	} finally {
		conn.closeSync();
		instance.closeSync();
	}
	return out;
}

/** What a manifest says but the time it was written. */
const content = (m: Manifest) => ({ ...m, built_at: null });

/** The reused / built agencies a run reports. */
function rowCounts(stderr: string): [number, number] {
	const m = /数据行 rows：(\d+) 个机关沿用上次的，(\d+) 个机关重新生成/.exec(stderr);
	if (!m) throw new Error(`no row counts in: ${stderr}`);
	return [Number(m[1]), Number(m[2])];
}

/** The zip's parts a run copied and deflated. */
function zipParts(stderr: string): [number, number] {
	const m = /CSV 压缩包 zip：(\d+) 段沿用上次的，(\d+) 段重新压缩/.exec(stderr);
	if (!m) throw new Error(`no zip parts in: ${stderr}`);
	return [Number(m[1]), Number(m[2])];
}

const HAS_UNZIP = spawnSync('unzip', ['-v']).status === 0;
if (!HAS_UNZIP) console.log('ingest-incremental.test: `unzip` is not installed; the CSV zips are not compared');

describe('ingest of a few more reports', () => {
	const dir = join(work, 'src');
	mkdirSync(join(dir, 'records'), { recursive: true });
	// 150 bodies × 3 years (enough to build rows on worker threads) and 30 documents, each its own body.
	for (let a = 0; a < 150; a++)
		for (const year of [2020, 2021, 2022]) writeFileSync(join(dir, 'records', `${a}-${year}.json`), JSON.stringify(record(a, year)));
	for (let i = 1; i <= 30; i++) {
		const g = generateReport(i, { format: i % 2 ? 'html' : 'text', noise: 0.2, index: i });
		writeFileSync(join(dir, g.fileName), g.bytes);
	}
	const incremental = join(work, 'incremental');

	it('builds rows only for the agencies that changed, and writes what a cold run writes, row for row', async () => {
		const first = runCli(['ingest', dir, '--out', incremental]);
		expect(first.code, first.stderr).toBe(0);
		expect(rowCounts(first.stderr)).toEqual([0, 180]);

		// Three new bodies, a new year of body 5 (a cross-year check against its 2022), body 7's 2021 changed, body 9's 2020 gone, two new documents.
		for (let a = 150; a < 153; a++) writeFileSync(join(dir, 'records', `${a}-2022.json`), JSON.stringify(record(a, 2022)));
		writeFileSync(join(dir, 'records', '5-2023.json'), JSON.stringify(record(5, 2023)));
		writeFileSync(join(dir, 'records', '7-2021.json'), JSON.stringify(record(7, 2021, 1)));
		unlinkSync(join(dir, 'records', '9-2020.json'));
		for (const i of [31, 32]) {
			const g = generateReport(i, { format: 'text', noise: 0.2, index: i });
			writeFileSync(join(dir, g.fileName), g.bytes);
		}
		const more = runCli(['ingest', dir, '--out', incremental]);
		expect(more.code, more.stderr).toBe(0);
		expect(more.stderr).toContain('7 个待解析');
		expect(rowCounts(more.stderr)).toEqual([177, 8]);

		const cold = join(work, 'cold');
		const c = runCli(['ingest', dir, '--out', cold]);
		expect(c.code, c.stderr).toBe(0);
		expect(rowCounts(c.stderr)).toEqual([0, 185]);
		const diff = await differences(incremental, cold);
		for (const t of TABLE_NAMES) {
			const [n, m, onlyA, onlyB] = diff[t];
			expect(n, t).toBe(m);
			expect([onlyA, onlyB], t).toEqual([0, 0]);
		}
		expect(diff.reports[0]).toBe(485);
		expect(content(manifestOf(incremental))).toEqual(content(manifestOf(cold)));
		// The CSV zip: most parts copied from the last run, a few deflated again, and the same CSV as the cold run's.
		const [copied, deflated] = zipParts(more.stderr);
		expect(deflated).toBeGreaterThan(0);
		expect(copied).toBeGreaterThan(deflated);
		expect(zipParts(c.stderr)).toEqual([0, copied + deflated]);
		if (HAS_UNZIP)
			for (const t of TABLE_NAMES) {
				const csv = (dir: string) => spawnSync('unzip', ['-p', join(dir, manifestOf(dir).csv_zip!), `${t}.csv`], { maxBuffer: 1 << 28 }).stdout;
				expect(Buffer.compare(csv(incremental), csv(cold)), t).toBe(0);
			}
		// The same summary, cross-year checks included (body 5's new year against its 2022, whose rows came from the store), but for where and how long.
		const summary = (stdout: string) => stdout.replace(/→ .*\n/, '');
		expect(summary(more.stdout)).toBe(summary(c.stdout));
	}, 600_000);

	it('a store cut short: reported, those agencies built again, the same dataset', async () => {
		const before = manifestOf(incremental);
		const chunk = readdirSync(rowsDir(incremental)).find((f) => f.startsWith('chunk-'))!;
		truncateSync(join(rowsDir(incremental), chunk, 'facts.csv'), 1000);
		// Forget that the dataset is already written, so it is written again.
		unlinkSync(cachePath(incremental).replace(/\.jsonl$/, '.dataset.json'));
		const again = runCli(['ingest', dir, '--out', incremental]);
		expect(again.code, again.stderr).toBe(0);
		expect(again.stderr).toMatch(/数据行存储中 \d+ 个机关的数据行已丢失/);
		const [reused, built] = rowCounts(again.stderr);
		expect(built).toBeGreaterThan(0);
		expect(reused + built).toBe(185);
		const after = manifestOf(incremental);
		expect(content(after)).toEqual(content(before));
		// And whole again: the next rewrite takes every agency from the store.
		unlinkSync(cachePath(incremental).replace(/\.jsonl$/, '.dataset.json'));
		const whole = runCli(['ingest', dir, '--out', incremental]);
		expect(rowCounts(whole.stderr)).toEqual([185, 0]);
		expect(whole.stderr).not.toMatch(/丢失|损坏|无法/);
		// One chunk of rows (the one part's) and the index: nothing left of earlier runs, no copy of the zip's parts (they are read from the zip).
		expect(
			readdirSync(rowsDir(incremental))
				.map((f) => f.replace(/-[0-9a-f]{8}$/, ''))
				.sort()
		).toEqual(['chunk', 'rows-index.jsonl']);
	}, 300_000);

	it('the last CSV zip changed since it was written: said, every zip part deflated again, the same CSV', async () => {
		const before = manifestOf(incremental);
		const zip = join(incremental, before.csv_zip!);
		const csv = (t: string) => spawnSync('unzip', ['-p', zip, `${t}.csv`], { maxBuffer: 1 << 28 }).stdout;
		const want = HAS_UNZIP ? TABLE_NAMES.map(csv) : [];
		// Its parts were copied from it last time; now it is not the file that was written (another time).
		const copied = runCli(['ingest', dir, '--out', incremental]);
		expect(copied.stderr).toMatch(/未改变，不再重写/);
		utimesSync(zip, new Date(2001, 0, 1), new Date(2001, 0, 1));
		unlinkSync(cachePath(incremental).replace(/\.jsonl$/, '.dataset.json'));
		const again = runCli(['ingest', dir, '--out', incremental]);
		expect(again.code, again.stderr).toBe(0);
		expect(again.stderr).toContain('上次的 CSV 压缩包已不在或已改变，全部分段重新压缩');
		const [reused, deflated] = zipParts(again.stderr);
		expect([reused, deflated > 0]).toEqual([0, true]);
		expect(content(manifestOf(incremental))).toEqual(content(before));
		if (HAS_UNZIP) TABLE_NAMES.forEach((t, i) => expect(Buffer.compare(csv(t), want[i]), t).toBe(0));
		// And the next rewrite copies every part from the zip just written.
		unlinkSync(cachePath(incremental).replace(/\.jsonl$/, '.dataset.json'));
		const next = runCli(['ingest', dir, '--out', incremental]);
		expect(zipParts(next.stderr)).toEqual([deflated, 0]);
		if (HAS_UNZIP) TABLE_NAMES.forEach((t, i) => expect(Buffer.compare(csv(t), want[i]), t).toBe(0));
	}, 300_000);

	it('a broken index: reported, every agency built again, the same dataset', async () => {
		const before = manifestOf(incremental);
		writeFileSync(
			join(rowsDir(incremental), 'rows-index.jsonl'),
			readFileSync(join(rowsDir(incremental), 'rows-index.jsonl'), 'utf8').replace(/\n\["/, '\n{"')
		);
		unlinkSync(cachePath(incremental).replace(/\.jsonl$/, '.dataset.json'));
		const again = runCli(['ingest', dir, '--out', incremental]);
		expect(again.code, again.stderr).toBe(0);
		expect(again.stderr).toMatch(/数据行存储的索引有 1 行损坏/);
		expect(rowCounts(again.stderr)).toEqual([184, 1]);
		expect(content(manifestOf(incremental))).toEqual(content(before));
	}, 300_000);

	it('a file renamed and an agency given an override: their rows built again from the files (said), none parsed by a worker, the dataset a cold run writes', async () => {
		const src = join(work, 'renamed');
		mkdirSync(join(src, 'records'), { recursive: true });
		for (let a = 0; a < 10; a++) for (const year of [2021, 2022]) writeFileSync(join(src, 'records', `${a}-${year}.json`), JSON.stringify(record(a, year)));
		for (let i = 1; i <= 4; i++) {
			const g = generateReport(i, { format: i % 2 ? 'html' : 'text', noise: 0.2, index: i });
			writeFileSync(join(src, g.fileName), g.bytes);
		}
		const out = join(work, 'renamed-out');
		const first = runCli(['ingest', src, '--out', out]);
		expect(first.code, first.stderr).toBe(0);
		expect(first.stderr).not.toContain('份报告的数据行在缓存中不可用');

		// Each report's cached rows name its file and carry its agency's override: a new name or override is not what they say.
		const doc = readdirSync(src).find((f) => f.endsWith('.txt'))!;
		writeFileSync(join(src, `renamed-${doc}`), readFileSync(join(src, doc)));
		unlinkSync(join(src, doc));
		writeFileSync(join(src, 'records', 'r-3-2021.json'), readFileSync(join(src, 'records', '3-2021.json')));
		unlinkSync(join(src, 'records', '3-2021.json'));
		writeFileSync(join(src, 'agencies.csv'), `name,code\n${record(6, 2021).agency},110105\n`);
		const again = runCli(['ingest', src, '--out', out]);
		expect(again.code, again.stderr).toBe(0);
		expect(again.stderr).toContain('0 个待解析');
		// The two renamed files' reports and the two of the agency with the override.
		expect(again.stderr).toContain('4 份报告的数据行在缓存中不可用');

		const cold = join(work, 'renamed-cold');
		const c = runCli(['ingest', src, '--out', cold]);
		expect(c.code, c.stderr).toBe(0);
		const diff = await differences(out, cold);
		for (const t of TABLE_NAMES) expect(diff[t].slice(2), t).toEqual([0, 0]);
		expect(content(manifestOf(out))).toEqual(content(manifestOf(cold)));
		const named = await readParquet(
			manifestOf(out).files.reports.map((f) => join(out, f)),
			"SELECT source_file FROM t WHERE source_file LIKE '%/renamed-%' OR source_file LIKE '%/r-3-2021.json'"
		);
		expect(named).toHaveLength(2);
	}, 600_000);
});
