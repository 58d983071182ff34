import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../src/lib/dataset/columns';
import { cachePath } from '../src/cli/ingest/index';
import { parseAll } from '../src/cli/ingest/pool';
import type { ReadOutcome } from '../src/cli/ingest/read';
import { lockOut } from '../src/cli/ingest/out-lock';
import { validateRecord } from '../src/lib/report/validate';
import { generateReport } from '../src/lib/synthetic/index';
import { runCli, startCli } from './helpers/cli';

/** Faults a run must survive (issue 13): each ends as one named line, never as a dead run or a lost dataset. */

const work = mkdtempSync(join(tmpdir(), 'nianbao-faults-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function manifestOf(out: string): Manifest {
	return JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
}

function reportText(seed: number): { name: string; text: string } {
	const g = generateReport(seed, { format: 'text', index: seed });
	return { name: g.fileName, text: new TextDecoder().decode(g.bytes) };
}

describe('the parser pool', () => {
	// A stand-in for the parse worker: it answers, hangs, crashes or runs out of memory by file name.
	const fake = join(work, 'fake-worker.mjs');
	writeFileSync(
		fake,
		`import { parentPort } from 'node:worker_threads';
parentPort.on('message', ({ id, path }) => {
	if (path.includes('hang')) return;
	if (path.includes('crash')) process.exit(3);
	if (path.includes('oom')) { const keep = []; for (;;) keep.push(new Array(1e6).fill(path)); }
	parentPort.postMessage({ id, outcome: { ok: true, entries: [] } });
});`
	);

	it('turns a file that hangs, crashes its worker or exhausts its memory into one failed file, and goes on', async () => {
		const names = ['a.txt', 'hang.txt', 'b.txt', 'crash.txt', 'c.txt', 'oom.txt', 'd.txt'];
		const outcomes = new Map<number, ReadOutcome[]>();
		await parseAll(
			names.map((path) => ({ path, kind: 'document' })),
			2,
			{ fileMs: 10_000, heapMb: 64 },
			(i, o) => outcomes.set(i, [...(outcomes.get(i) ?? []), o]),
			pathToFileURL(fake)
		);
		// every file answered exactly once
		expect([...outcomes.keys()].sort()).toEqual(names.map((_, i) => i));
		for (const list of outcomes.values()) expect(list).toHaveLength(1);
		const reason = (name: string) => {
			const o = outcomes.get(names.indexOf(name))![0];
			return o.ok ? 'ok' : o.reason;
		};
		for (const ok of ['a.txt', 'b.txt', 'c.txt', 'd.txt']) expect(reason(ok)).toBe('ok');
		expect(reason('hang.txt')).toContain('时间限制');
		expect(reason('crash.txt')).toContain('解析线程意外退出');
		expect(reason('oom.txt')).toContain('内存');
	});

	it('blames the file that did it when two were in flight on one worker', async () => {
		// One worker gets the next file ahead; this one answers out of order, so the hang is still unanswered when the next file kills it.
		const names = ['hang.txt', 'oom.txt', 'a.txt', 'crash.txt', 'b.txt'];
		const outcomes = new Map<number, ReadOutcome[]>();
		await parseAll(
			names.map((path) => ({ path, kind: 'document' })),
			1,
			{ fileMs: 10_000, heapMb: 64 },
			(i, o) => outcomes.set(i, [...(outcomes.get(i) ?? []), o]),
			pathToFileURL(fake)
		);
		for (const list of outcomes.values()) expect(list).toHaveLength(1);
		const reason = (name: string) => {
			const o = outcomes.get(names.indexOf(name))![0];
			return o.ok ? 'ok' : o.reason;
		};
		expect(reason('hang.txt')).toContain('时间限制');
		expect(reason('oom.txt')).toContain('内存');
		expect(reason('crash.txt')).toContain('解析线程意外退出');
		expect(reason('a.txt')).toBe('ok');
		expect(reason('b.txt')).toBe('ok');
	});
});

describe('ingest under faults', () => {
	it('keeps the complete copy of a duplicate, not the cut-off one, and says why', () => {
		const dir = join(work, 'dup');
		mkdirSync(dir, { recursive: true });
		const { text } = reportText(7);
		// The cut-off copy sorts first by name and has no broken rule (its rules could not be checked).
		writeFileSync(join(dir, 'a-cut.txt'), text.slice(0, text.indexOf('三、')));
		writeFileSync(join(dir, 'b-full.txt'), text);
		const out = join(work, 'dup-data');
		const r = runCli(['ingest', dir, '--out', out, '--quiet']);
		expect(r.code, r.stderr).toBe(0);
		const [d] = manifestOf(out).duplicates;
		expect(d.kept).toContain('b-full.txt');
		expect(d.dropped).toContain('a-cut.txt');
		expect(d.reason).toContain('缺 0 张表，舍弃的缺 2 张');
	});

	it('lets one ingest at a time write a folder: the second is told who holds it; a killed run’s lock is taken over', async () => {
		const out = join(work, 'locked');
		mkdirSync(out, { recursive: true });
		const held = await lockOut(out);
		expect(held.ok).toBe(true);
		const second = await lockOut(out);
		expect(second.ok).toBe(false);
		if (!second.ok) expect(second.message).toContain(`进程 ${process.pid}`);

		const dir = join(work, 'locked-src');
		mkdirSync(dir, { recursive: true });
		const { name, text } = reportText(3);
		writeFileSync(join(dir, name), text);
		const blocked = runCli(['ingest', dir, '--out', out, '--quiet']);
		expect(blocked.code).toBe(1);
		expect(blocked.stderr).toContain('正由另一个 ingest 写入');
		if (held.ok) await held.release();

		// A run killed while it holds the lock leaves it behind; the next run takes it over.
		const child = startCli(['ingest', dir, '--out', out, '--jobs', '1']);
		await new Promise<void>((resolve) => {
			child.stderr.on('data', (d) => {
				if (String(d).includes('待解析')) child.kill('SIGKILL');
			});
			child.on('exit', () => resolve());
		});
		const next = runCli(['ingest', dir, '--out', out, '--quiet']);
		expect(next.code, next.stderr).toBe(0);
		expect(manifestOf(out).counts.reports).toBe(1);
	});

	it('follows a symlinked folder once, and lists loops and dangling links as skipped', () => {
		const dir = join(work, 'links');
		mkdirSync(join(dir, 'real'), { recursive: true });
		const { name, text } = reportText(5);
		writeFileSync(join(dir, 'real', name), text);
		const other = join(work, 'elsewhere');
		mkdirSync(other, { recursive: true });
		const second = reportText(6);
		writeFileSync(join(other, second.name), second.text);
		symlinkSync(other, join(dir, 'linked'));
		symlinkSync(join(dir, 'real'), join(dir, 'real', 'loop'));
		symlinkSync(join(dir, 'nowhere.txt'), join(dir, 'dangling.txt'));
		const out = join(work, 'links-data');
		const r = runCli(['ingest', dir, '--out', out]);
		expect(r.code, r.stderr).toBe(0);
		const m = manifestOf(out);
		expect(m.counts.reports).toBe(2);
		expect(m.skipped.some((s) => s.includes('loop') && s.includes('已读过的目录'))).toBe(true);
		expect(m.skipped.some((s) => s.includes('dangling.txt') && s.includes('不存在'))).toBe(true);
		expect(r.stdout).toContain('dangling.txt');
	});

	it('never prints a file name’s control characters raw', () => {
		const dir = join(work, 'names');
		mkdirSync(dir, { recursive: true });
		const { text } = reportText(8);
		writeFileSync(join(dir, 'ok.txt'), text);
		writeFileSync(join(dir, 'evil\u001b[2J\u0007.json'), '{"broken": \u001b[31m');
		const out = join(work, 'names-data');
		const r = runCli(['ingest', dir, '--out', out]);
		expect(r.code, r.stderr).toBe(0);
		expect(r.stdout + r.stderr).not.toMatch(/[\u001b\u0007]/);
		expect(r.stdout).toContain('evil\\x1b[2J\\x07.json');
	});

	it('reports a broken cache and still finishes the run', () => {
		const dir = join(work, 'cache');
		mkdirSync(dir, { recursive: true });
		const { name, text } = reportText(9);
		writeFileSync(join(dir, name), text);
		const out = join(work, 'cache-data');
		expect(runCli(['ingest', dir, '--out', out, '--quiet']).code).toBe(0);
		const cache = cachePath(out);
		writeFileSync(cache, 'not json\n' + readFileSync(cache, 'utf8'));
		const again = runCli(['ingest', dir, '--out', out]);
		expect(again.code, again.stderr).toBe(0);
		expect(again.stderr).toContain('行损坏');
	});

	it('reports a lost cache store, parses those files again and writes the same dataset', () => {
		const dir = join(work, 'store');
		mkdirSync(dir, { recursive: true });
		for (const seed of [11, 12, 13]) {
			const { name, text } = reportText(seed);
			writeFileSync(join(dir, name), text);
		}
		const out = join(work, 'store-data');
		expect(runCli(['ingest', dir, '--out', out, '--quiet']).code).toBe(0);
		const before = manifestOf(out);
		const cacheDir = join(cachePath(out), '..');
		const stores = readdirSync(cacheDir).filter((f) => f.startsWith(basename(cachePath(out), '.jsonl')) && f.endsWith('.outcomes'));
		expect(stores).toHaveLength(1);
		rmSync(join(cacheDir, stores[0]));
		rmSync(join(out, before.files.facts[0]));
		const again = runCli(['ingest', dir, '--out', out]);
		expect(again.code, again.stderr).toBe(0);
		expect(again.stderr).toContain('3 个解析结果已丢失');
		expect(again.stderr).toContain('3 个待解析');
		const after = manifestOf(out);
		expect(after.dataset_version).toBe(before.dataset_version);
		expect(after.counts).toEqual(before.counts);
		expect(existsSync(join(out, after.files.facts[0]))).toBe(true);
	});

	it('leaves an unchanged dataset as it is, and writes it again when only its manifest would change', () => {
		const dir = join(work, 'unchanged');
		mkdirSync(dir, { recursive: true });
		for (const seed of [21, 22]) {
			const { name, text } = reportText(seed);
			writeFileSync(join(dir, name), text);
		}
		const out = join(work, 'unchanged-data');
		expect(runCli(['ingest', dir, '--out', out, '--quiet']).code).toBe(0);
		const manifest = readFileSync(join(out, 'manifest.json'), 'utf8');
		const again = runCli(['ingest', dir, '--out', out]);
		expect(again.code, again.stderr).toBe(0);
		expect(again.stderr).toContain('未改变，不再重写');
		expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toBe(manifest);
		// A skipped file changes only the manifest, and that is enough to write it again.
		writeFileSync(join(dir, 'notes.bin'), 'x');
		const third = runCli(['ingest', dir, '--out', out]);
		expect(third.stderr).not.toContain('不再重写');
		expect(manifestOf(out).skipped).toHaveLength(1);
	});
});

describe('the record contract on every number', () => {
	const base = JSON.parse(JSON.stringify({ ...generateReport(2, { format: 'text', index: 2 }).record }));
	const withCell = (v: unknown) => {
		const r = JSON.parse(JSON.stringify(base));
		r.requests.new_received.natural = v;
		return r;
	};
	it('accepts whole non-negative counts and refuses negative, fractional, unsafe and non-finite ones', () => {
		expect(validateRecord(withCell(5))).toEqual([]);
		for (const bad of [-5, 3.5, 2 ** 53, Infinity, '5', undefined])
			expect(validateRecord(withCell(bad)).join(), String(bad)).toContain('requests.new_received.natural');
	});

	it('accepts null in a cell (the document printed no number the column can hold; the parse issue names it), not a missing cell', () => {
		expect(validateRecord(withCell(null))).toEqual([]);
		const missing = withCell(5);
		delete missing.requests.new_received.natural;
		expect(validateRecord(missing).join()).toContain('requests.new_received.natural: 缺少');
	});
});
