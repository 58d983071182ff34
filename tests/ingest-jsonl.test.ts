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
 * A JSON Lines file of many records: the cache keeps each record's entry (its
 * rows) on its own and gives back one record's, so writing the dataset reads
 * each record once, not the whole file once per agency (quadratic in the
 * file's records, noticed at scale); its worker sends them in parts, so the
 * file's rows never make one message.
 */

const work = mkdtempSync(join(tmpdir(), 'nianbao-jsonl-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const summary = (agency: string, line: number): Summary => ({
	agency,
	year: 2022,
	line,
	quality: { missingTables: 0, readProblems: 0, numbers: 1, broken: 0 },
	ctx: Buffer.alloc(16, line).toString('base64')
});
const utf8 = (texts: string[]) => new TextEncoder().encode(texts.join(''));
const part = (texts: string[]) => ({ bytes: utf8(texts), sizes: texts.map((t) => Buffer.byteLength(t)) });
const digest = (n: number) => new Uint8Array(DIGEST_BYTES).fill(n);

describe('the cache, one entry at a time', () => {
	it('gives back each entry of a file of many by itself, after a save and a load too, and in memory when the store is gone', async () => {
		const path = join(work, 'cache', 'ingest-test.jsonl');
		const warnings: string[] = [];
		const cache = new OutcomeCache(path, 'p1', (s) => warnings.push(s));
		await cache.load();
		// Three entries of different lengths, with non-ASCII text (offsets are bytes, not characters), in two parts with
		// another file's entry stored between them (two workers answer at once): each entry is placed on its own.
		const texts = ['甲\n"a",1\n', 'bb,2\n', '丙丁戊\n"c"\n'];
		const many = cache.slot(digest(1));
		const one = cache.slot(digest(2));
		cache.stage(0, part(texts.slice(0, 2)));
		cache.stage(1, part(['single\n']));
		cache.put(one, { ok: true, summaries: [summary('单一机关', 0)] }, 1);
		cache.stage(0, part(texts.slice(2)));
		cache.put(many, { ok: true, summaries: texts.map((_, i) => summary(`机关${i}`, i + 1)) }, 0);
		const [first, count] = cache.rows(many);
		expect(count).toBe(3);
		const entries = (c: OutcomeCache, slot: number) => {
			const [f, n] = c.rows(slot);
			return Array.from({ length: n }, (_, k) => c.readEntry(slot, f + k)?.toString('utf8'));
		};
		expect(entries(cache, many)).toEqual(texts);
		expect(entries(cache, one)).toEqual(['single\n']);
		expect(Buffer.from(cache.summaries.ctxOf(first + 2))).toEqual(Buffer.alloc(16, 3));
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
		expect(Buffer.from(again.summaries.ctxOf(again.rows(slotMany)[0] + 2))).toEqual(Buffer.alloc(16, 3));
		expect(entries(again, again.slot(digest(2)))).toEqual(['single\n']);
		await again.save(Uint8Array.from([1, 1]));
		expect(warnings).toEqual([]);

		// Sizes that do not place every entry: that line is broken (said), its file parsed again.
		writeFileSync(
			path,
			index.replace(/"sizes":\[(\d+),/, (_, n) => `"sizes":[${n},1,`)
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
		held.stage(7, part(texts));
		held.put(slot, { ok: true, summaries: texts.map((_, i) => summary(`机关${i}`, i + 1)) }, 7);
		expect(entries(held, slot)).toEqual(texts);

		// A task sent again (its worker died with it): what was staged for it before is void.
		const again2 = held.slot(digest(6));
		held.stage(8, part(texts));
		held.unstage(8);
		held.stage(8, part(texts.slice(1)));
		held.put(again2, { ok: true, summaries: texts.slice(1).map((_, i) => summary(`机关${i}`, i + 1)) }, 8);
		expect(entries(held, again2)).toEqual(texts.slice(1));

		// An answer out of step with itself (a bug): that file fails with the reason, nothing is stored for it.
		const odd = held.slot(digest(4));
		held.stage(9, part(texts.slice(0, 2)));
		held.put(odd, { ok: true, summaries: texts.map((_, i) => summary(`机关${i}`, i + 1)) }, 9);
		expect(held.failure(odd)).toMatch(/2 条记录，3 条摘要/);
		const cut = held.slot(digest(5));
		held.stage(10, { bytes: utf8(texts), sizes: [1] });
		held.put(cut, { ok: true, summaries: [summary('机关', 1)] }, 10);
		expect(held.failure(cut)).toMatch(/解析线程的结果有误/);
	});
});

describe('ingest of one JSON Lines file of many records', () => {
	// 420 bodies × 3 years: about 35 MB of rows, sent by the worker in several parts.
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
