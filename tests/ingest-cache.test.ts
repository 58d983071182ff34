import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../src/lib/dataset/columns';
import { cachePath } from '../src/cli/ingest/index';
import { generateReport } from '../src/lib/synthetic/index';
import { runCli } from './helpers/cli';
import { readParquet } from './helpers/parquet';

/**
 * The ingest cache (issue 16): whatever happens to it, the run finishes with
 * the same dataset, says on stderr what it lost, and the next run is warm
 * again. Never a failed run, never a silently cold one.
 */

const work = mkdtempSync(join(tmpdir(), 'nianbao-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const manifestOf = (out: string): Manifest => JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
const facts = (out: string) =>
	readParquet(
		manifestOf(out).files.facts.map((f) => join(out, f)),
		'SELECT * FROM t ORDER BY ALL'
	);

/** Four generated reports in their own folder, ingested once: the folder, the output and what was written. */
async function ingested(name: string) {
	const dir = join(work, name);
	mkdirSync(dir, { recursive: true });
	for (const seed of [31, 32, 33, 34]) {
		const g = generateReport(seed, { format: seed % 2 ? 'html' : 'text', index: seed });
		writeFileSync(join(dir, g.fileName), g.bytes);
	}
	const out = join(work, `${name}-data`);
	const first = runCli(['ingest', dir, '--out', out]);
	expect(first.code, first.stderr).toBe(0);
	expect(first.stderr).toContain('4 个待解析');
	return { dir, out, manifest: manifestOf(out), facts: await facts(out) };
}

/** The store file(s) beside the index. */
function stores(out: string): string[] {
	const index = cachePath(out);
	return readdirSync(dirname(index))
		.filter((f) => f.startsWith(basename(index, '.jsonl')) && f.endsWith('.outcomes'))
		.map((f) => join(dirname(index), f));
}

/** The next run is warm: nothing parsed, nothing reported. */
function expectWarm(dir: string, out: string) {
	const warm = runCli(['ingest', dir, '--out', out]);
	expect(warm.code, warm.stderr).toBe(0);
	expect(warm.stderr).toContain('0 个待解析');
	expect(warm.stderr).not.toMatch(/损坏|丢失|无法|找不到/);
}

describe('the ingest cache, when something happens to it', () => {
	it('a broken index line: reported, that file parsed again, the same dataset, and warm again after', async () => {
		const { dir, out, manifest, facts: before } = await ingested('broken');
		const index = cachePath(out);
		const lines = readFileSync(index, 'utf8').split('\n');
		// The header names the store; the second line is one file's entry.
		lines[1] = lines[1].slice(0, 20);
		writeFileSync(index, lines.join('\n'));
		rmSync(join(out, manifest.files.facts[0]));
		const again = runCli(['ingest', dir, '--out', out]);
		expect(again.code, again.stderr).toBe(0);
		expect(again.stderr).toContain('有 1 行损坏');
		expect(again.stderr).toContain('1 个待解析');
		expect(manifestOf(out).dataset_version).toBe(manifest.dataset_version);
		expect(await facts(out)).toEqual(before);
		expectWarm(dir, out);
	});

	it('the index gone while the dataset is there: said, every file parsed, and warm again after', async () => {
		const { dir, out, manifest } = await ingested('missing');
		rmSync(cachePath(out));
		const again = runCli(['ingest', dir, '--out', out]);
		expect(again.code, again.stderr).toBe(0);
		expect(again.stderr).toContain('找不到缓存');
		expect(again.stderr).toContain('4 个待解析');
		expect(manifestOf(out).dataset_version).toBe(manifest.dataset_version);
		expectWarm(dir, out);
	});

	it('the store cut short: the entries past its end reported lost and parsed again, the same rows written', async () => {
		const { dir, out, manifest, facts: before } = await ingested('cut');
		const [store] = stores(out);
		// Cut one byte into the second entry: the first survives, the other three are lost.
		const starts = readFileSync(cachePath(out), 'utf8')
			.split('\n')
			.filter((l) => l.includes('"hash"'))
			.map((l) => (JSON.parse(l) as { entry: { at: number[] } }).entry.at[0])
			.sort((a, b) => a - b);
		expect(starts).toHaveLength(4);
		truncateSync(store, starts[1] + 1);
		rmSync(join(out, manifest.files.facts[0]));
		const again = runCli(['ingest', dir, '--out', out]);
		expect(again.code, again.stderr).toBe(0);
		expect(again.stderr).toContain('缓存中 3 个解析结果已丢失');
		expect(again.stderr).toContain('3 个待解析');
		expect(await facts(out)).toEqual(before);
		expectWarm(dir, out);
	});

	it('an index that cannot be read or written (a folder in its place): both said, the run still writes the dataset', async () => {
		const { dir, out, manifest, facts: before } = await ingested('unwritable');
		const index = cachePath(out);
		rmSync(index);
		mkdirSync(index);
		rmSync(join(out, manifest.files.facts[0]));
		const again = runCli(['ingest', dir, '--out', out]);
		expect(again.code, again.stderr).toBe(0);
		expect(again.stderr).toContain('无法读取，全部文件重新解析');
		expect(again.stderr).toContain('无法写入，下次运行将重新解析');
		expect(again.stderr).not.toMatch(/\n\s+at /);
		expect(await facts(out)).toEqual(before);
		rmSync(index, { recursive: true });
	});
});
