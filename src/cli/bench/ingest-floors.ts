import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parseReport } from '../../lib/report/index';
import { generateReport } from '../../lib/synthetic/index';
import { cachePath } from '../ingest/cache';
import { cpuSeconds, type Pair } from './measure';

/**
 * Ingest figures (wall clock, all cores) and their floors, per round:
 *
 * - cold (fresh output and cache) against parsing alone, on one core in this
 *   process, times the number of cores; and the same per CPU second (GNU
 *   time's user + sys of the ingest against this process's CPU for the
 *   parse), which a loaded machine leaves comparable;
 * - warm (nothing changed) against reading and hashing every file;
 * - 1% more files against the cold run;
 * - peak RSS of the cold run (whole process, workers included), per report.
 */

const TIME = '/usr/bin/time';

function generate(dir: string, from: number, to: number): void {
	mkdirSync(dir, { recursive: true });
	for (let i = from; i <= to; i++) {
		const g = generateReport(i, { format: i % 2 ? 'html' : 'text', noise: 0.2, index: i });
		writeFileSync(join(dir, g.fileName), g.bytes);
	}
}

/** One ingest run: seconds and, where GNU time is there, peak RSS in bytes and CPU seconds (user + sys, workers included). */
function ingest(src: string, out: string): { seconds: number; rss: number | null; cpu: number | null } {
	const args = ['--import', 'tsx', 'src/cli/main.ts', 'ingest', src, '--out', out, '--quiet'];
	const timed = existsSync(TIME);
	const t0 = performance.now();
	const r = timed
		? spawnSync(TIME, ['-f', 'maxrss-kb %M cpu-s %U %S', process.execPath, ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' })
		: spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
	const seconds = (performance.now() - t0) / 1000;
	if (r.status !== 0) throw new Error(`ingest failed (${r.status}): ${r.stderr.slice(-2000)}`);
	const kb = /maxrss-kb (\d+)/.exec(r.stderr);
	const cpu = /cpu-s ([\d.]+) ([\d.]+)/.exec(r.stderr);
	return { seconds, rss: kb ? Number(kb[1]) * 1024 : null, cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : null };
}

function removeCache(out: string): void {
	const index = cachePath(out);
	const stem = basename(index, '.jsonl');
	if (!existsSync(dirname(index))) return;
	for (const f of readdirSync(dirname(index))) if (f.startsWith(stem)) rmSync(join(dirname(index), f), { recursive: true, force: true });
}

/** Reading and sha256 of every file, as ingest does it (16 at a time). */
async function readAndHash(files: string[]): Promise<number> {
	const t0 = performance.now();
	let next = 0;
	const lane = async () => {
		for (let i = next++; i < files.length; i = next++)
			createHash('sha256')
				.update(await readFile(files[i]))
				.digest('hex');
	};
	await Promise.all(Array.from({ length: 16 }, lane));
	return (performance.now() - t0) / 1000;
}

/** Parsing alone, one core: reports per second over a sample of the files, by wall clock and per CPU second of this process. */
function parseOnly(files: string[]): { wall: number; cpu: number } {
	const sample = files.filter((_, i) => i % Math.max(1, Math.floor(files.length / 1000)) === 0).map((f) => ({ bytes: readFileSync(f), name: f }));
	const t0 = performance.now();
	const c0 = cpuSeconds();
	for (const x of sample) parseReport(x.bytes, x.name);
	const cpu = cpuSeconds() - c0;
	return { wall: sample.length / ((performance.now() - t0) / 1000), cpu: sample.length / cpu };
}

export async function ingestPairs(count: number, rounds: number, log: (s: string) => void): Promise<{ pairs: Pair[]; notes: string[] }> {
	const cores = availableParallelism();
	const work = mkdtempSync(join(tmpdir(), 'nianbao-bench-'));
	const extraCount = Math.max(1, Math.round(count / 100));
	const cold: Pair = {
		what: `ingest ${count.toLocaleString('en')} generated reports, cold`,
		unit: '/s',
		figure: [],
		floorWhat: `parse only × ${cores} cores`,
		floor: [],
		higherIsBetter: true,
		target: '≥ 0.7'
	};
	// The same by CPU time (ingest's user + sys, workers and DuckDB included, against parsing's): other jobs on a shared machine barely move it.
	const coldCpu: Pair = {
		what: `ingest ${count.toLocaleString('en')} generated reports, cold, per CPU second`,
		unit: '/CPU s',
		figure: [],
		floorWhat: 'parse only, per CPU second',
		floor: [],
		higherIsBetter: true,
		target: '≥ 0.7'
	};
	const warm: Pair = {
		what: 'ingest again, nothing changed',
		unit: 's',
		figure: [],
		floorWhat: 'read + sha256 of every file',
		floor: [],
		higherIsBetter: false,
		target: '≤ 3×'
	};
	const more: Pair = {
		what: `ingest with 1% more reports (${extraCount.toLocaleString('en')})`,
		unit: 's',
		figure: [],
		floorWhat: 'the cold run',
		floor: [],
		higherIsBetter: false,
		target: '≈ 0.01 + rewrite'
	};
	const memory: Pair = {
		what: 'ingest cold, peak RSS per report',
		unit: 'KB',
		figure: [],
		floorWhat: '—',
		floor: [],
		higherIsBetter: false,
		target: '< 2 GB at 1M'
	};
	const notes: string[] = [];
	try {
		const src = join(work, 'reports');
		const extra = join(work, 'extra');
		log(`bench: generating ${count} + ${extraCount} reports in ${work}`);
		generate(src, 1, count);
		generate(extra, count + 1, count + extraCount);
		const files = readdirSync(src).map((f) => join(src, f));
		for (let r = 0; r < rounds; r++) {
			log(`bench: ingest round ${r + 1}/${rounds}`);
			const out = join(work, `out-${r}`);
			removeCache(out);
			const floor = parseOnly(files);
			cold.floor.push(floor.wall * cores);
			const c = ingest(src, out);
			cold.figure.push(count / c.seconds);
			if (c.cpu !== null) {
				coldCpu.floor.push(floor.cpu);
				coldCpu.figure.push(count / c.cpu);
			}
			if (c.rss !== null) memory.figure.push(c.rss / 1024 / count);
			warm.floor.push(await readAndHash(files));
			const w = ingest(src, out);
			warm.figure.push(w.seconds);
			const added = readdirSync(extra);
			for (const f of added) copyFileSync(join(extra, f), join(src, f));
			const m = ingest(src, out);
			more.figure.push(m.seconds);
			more.floor.push(c.seconds);
			const mib = (x: { rss: number | null }) => (x.rss === null ? '—' : `${(x.rss / 1048576).toFixed(0)} MiB`);
			const cpu = (x: { cpu: number | null }) => (x.cpu === null ? '—' : `${x.cpu.toFixed(1)} s`);
			notes.push(
				`round ${r + 1}, ${count.toLocaleString('en')} reports: peak RSS cold ${mib(c)}, warm ${mib(w)}, 1% more ${mib(m)}; CPU (user + sys) cold ${cpu(c)}, warm ${cpu(w)}, 1% more ${cpu(m)}; load average ${loadavg()[0].toFixed(1)}`
			);
			for (const f of added) rmSync(join(src, f));
			removeCache(out);
			rmSync(out, { recursive: true, force: true });
		}
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
	return { pairs: [cold, coldCpu, warm, more, memory], notes };
}
