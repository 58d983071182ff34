import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OutcomeCache } from '../src/cli/ingest/cache';
import { DIGEST_BYTES } from '../src/cli/ingest/columns';
import type { Summary } from '../src/cli/ingest/choice';
import type { Manifest, TableName } from '../src/lib/dataset/columns';
import { generateRecord } from '../src/lib/synthetic/record';
import { runCli } from './helpers/cli';
import { readParquet } from './helpers/parquet';

/**
 * A JSON Lines file of many records: the cache keeps each record's entry as
 * its own line and gives back one record's text, so writing the dataset reads
 * each record once, not the whole file once per job of rows (quadratic in
 * the file's records, noticed at scale).
 */

const work = mkdtempSync(join(tmpdir(), 'nianbao-jsonl-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const summary = (agency: string, line: number): Summary => ({
	agency,
	year: 2022,
	line,
	quality: { missingTables: 0, readProblems: 0, numbers: 1, broken: 0 }
});
const lines = (texts: string[]) => new TextEncoder().encode(texts.map((t) => t + '\n').join(''));
const digest = (n: number) => new Uint8Array(DIGEST_BYTES).fill(n);

describe('the cache, one entry at a time', () => {
	it('gives back each entry of a file of many by itself, after a save and a load too, and in memory when the store is gone', async () => {
		const path = join(work, 'cache', 'ingest-test.jsonl');
		const warnings: string[] = [];
		const cache = new OutcomeCache(path, 'p1', (s) => warnings.push(s));
		await cache.load();
		// Three entries of different lengths, with non-ASCII text (offsets are bytes, not characters).
		const texts = [JSON.stringify({ a: '甲' }), JSON.stringify({ b: 'bb', n: [1, 2] }), JSON.stringify({ c: '丙丁戊' })];
		const many = cache.slot(digest(1));
		cache.put(many, { ok: true, bytes: lines(texts), summaries: texts.map((_, i) => summary(`机关${i}`, i + 1)) });
		const one = cache.slot(digest(2));
		cache.put(one, { ok: true, bytes: lines([JSON.stringify({ single: true })]), summaries: [summary('单一机关', 0)] });
		const [first, count] = cache.rows(many);
		expect(count).toBe(3);
		const entries = (c: OutcomeCache, slot: number) => {
			const [f, n] = c.rows(slot);
			return Array.from({ length: n }, (_, k) => c.readEntry(slot, f + k)?.toString('utf8'));
		};
		expect(entries(cache, many)).toEqual(texts);
		expect(entries(cache, one)).toEqual([JSON.stringify({ single: true })]);
		// A row of another slot is not this slot's.
		expect(cache.readEntry(one, first)).toBeUndefined();
		await cache.save(Uint8Array.from([1, 1]));

		const index = readFileSync(path, 'utf8');
		expect(index).toContain(`"sizes":[${texts.map((t) => Buffer.byteLength(t)).join(',')}]`);
		const again = new OutcomeCache(path, 'p1', (s) => warnings.push(s));
		await again.load();
		const slotMany = again.slot(digest(1));
		expect(again.has(slotMany)).toBe(true);
		expect(entries(again, slotMany)).toEqual(texts);
		expect(entries(again, again.slot(digest(2)))).toEqual([JSON.stringify({ single: true })]);
		await again.save(Uint8Array.from([1, 1]));
		expect(warnings).toEqual([]);

		// Sizes that do not fill the entry's text: that line is broken (said), its file parsed again.
		writeFileSync(
			path,
			index.replace(/"sizes":\[(\d+),/, (_, n) => `"sizes":[${Number(n) + 1},`)
		);
		const broken = new OutcomeCache(path, 'p1', (s) => warnings.push(s));
		await broken.load();
		expect(broken.has(broken.slot(digest(1)))).toBe(false);
		expect(broken.has(broken.slot(digest(2)))).toBe(true);
		expect(warnings.join('\n')).toContain('有 1 行损坏');
		await broken.save(Uint8Array.from([1, 1]));

		// A store that cannot be written: entries are held in memory for the run, each still given back alone.
		writeFileSync(join(work, 'not-a-folder'), '');
		const unavailable: string[] = [];
		const held = new OutcomeCache(join(work, 'not-a-folder', 'held.jsonl'), 'p1', (s) => unavailable.push(s));
		await held.load();
		expect(unavailable.join('\n')).toContain('缓存存储无法打开');
		const slot = held.slot(digest(3));
		held.put(slot, { ok: true, bytes: lines(texts), summaries: texts.map((_, i) => summary(`机关${i}`, i + 1)) });
		expect(entries(held, slot)).toEqual(texts);

		// An answer out of step with itself (a bug): that file fails with the reason, nothing is stored for it.
		const odd = held.slot(digest(4));
		held.put(odd, { ok: true, bytes: lines(texts.slice(0, 2)), summaries: texts.map((_, i) => summary(`机关${i}`, i + 1)) });
		expect(held.failure(odd)).toMatch(/2 条记录，3 条摘要/);
		const cut = held.slot(digest(5));
		held.put(cut, { ok: true, bytes: new TextEncoder().encode(texts[0]), summaries: [summary('机关', 1)] });
		expect(held.failure(cut)).toMatch(/解析线程的结果有误/);
	});
});

describe('ingest of one JSON Lines file of many records', () => {
	// 420 bodies × 3 years: rows built on worker threads in several jobs, each job holding records of the one file.
	const records = Array.from({ length: 420 }, (_, a) =>
		[2020, 2021, 2022].map((year) => ({ ...generateRecord(a * 7 + year, { year }), agency: `行列市第${a + 1}局` }))
	).flat();
	const manifestOf = (out: string): Manifest => JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
	const rows = (out: string, t: TableName, sql = 'SELECT * FROM t') =>
		readParquet(
			manifestOf(out).files[t].map((f) => join(out, f)),
			sql
		);

	it('writes the rows the same records give as one file each', async () => {
		const lines = join(work, 'lines');
		mkdirSync(lines, { recursive: true });
		writeFileSync(join(lines, 'all.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
		const single = join(work, 'single');
		mkdirSync(single, { recursive: true });
		records.forEach((r, i) => writeFileSync(join(single, `r${String(i).padStart(4, '0')}.json`), JSON.stringify(r)));

		const a = runCli(['ingest', lines, '--out', join(work, 'out-lines'), '--no-csv-zip']);
		expect(a.code, a.stderr).toBe(0);
		expect(a.stderr).toContain('1 个待解析');
		const b = runCli(['ingest', single, '--out', join(work, 'out-single'), '--no-csv-zip']);
		expect(b.code, b.stderr).toBe(0);
		expect(manifestOf(join(work, 'out-lines')).counts.reports).toBe(1260);
		for (const t of ['facts', 'metrics', 'issues', 'report_metrics', 'agencies'] as const)
			expect(await rows(join(work, 'out-lines'), t), t).toEqual(await rows(join(work, 'out-single'), t));
		const reports = (out: string) => rows(out, 'reports', 'SELECT * EXCLUDE (source_file, sha256) FROM t');
		expect(await reports(join(work, 'out-lines'))).toEqual(await reports(join(work, 'out-single')));
		// Each report names its own line of the one file.
		const named = await rows(join(work, 'out-lines'), 'reports', "SELECT count(DISTINCT source_file) AS n FROM t WHERE source_file LIKE '%all.jsonl#%'");
		expect(named[0].n).toBe(1260);

		// Warm: nothing parsed, the same dataset kept.
		const warm = runCli(['ingest', lines, '--out', join(work, 'out-lines'), '--no-csv-zip']);
		expect(warm.code, warm.stderr).toBe(0);
		expect(warm.stderr).toContain('0 个待解析');
	}, 600_000);
});
