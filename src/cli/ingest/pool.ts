import { Worker } from 'node:worker_threads';
import type { Failure, ReadOutcome, SourceKind } from './read';

/**
 * Worker threads that parse one file at a time. A file must never take the
 * run down with it: each task has a time budget, and each worker a heap cap,
 * so a pathological file (a zip bomb, HTML nested a million deep, a
 * 20,000-page PDF) ends as one failed file with its reason while a fresh
 * worker takes the next file.
 */

export interface PoolTask {
	path: string;
	kind: SourceKind;
}

export interface PoolLimits {
	/** Wall-clock budget per file, ms. */
	fileMs: number;
	/** Old-generation heap of one worker, MiB. */
	heapMb: number;
}

/** Real reports parse in well under a second; 60 pages of PDF in a few. */
export const DEFAULT_LIMITS: PoolLimits = { fileMs: 60_000, heapMb: 1024 };

const WORKER_URL = new URL('./worker.mjs', import.meta.url);

function seconds(ms: number): string {
	return `${Math.round(ms / 100) / 10} s`;
}

/** Parses `tasks` on `jobs` workers; `onDone` gets every task's outcome (the worker's answer, or a failure) exactly once. */
export async function parseAll<T extends { ok: boolean } = ReadOutcome>(
	tasks: readonly PoolTask[],
	jobs: number,
	limits: PoolLimits,
	onDone: (i: number, outcome: T | Failure) => void,
	workerUrl: URL = WORKER_URL
): Promise<void> {
	if (tasks.length === 0) return;
	let next = 0;
	let finished = 0;
	const live = new Set<Worker>();

	await new Promise<void>((resolveAll) => {
		const settle = (id: number, outcome: T | Failure) => {
			onDone(id, outcome);
			if (++finished === tasks.length) resolveAll();
		};

		/** One worker; when it has to be killed (budget, crash), another replaces it. */
		const spawn = () => {
			if (next >= tasks.length) return;
			const w = new Worker(workerUrl, { resourceLimits: { maxOldGenerationSizeMb: limits.heapMb } });
			live.add(w);
			let current: number | null = null;
			let timer: NodeJS.Timeout | null = null;
			let gone = false;

			const retire = (reason: string | null) => {
				if (gone) return;
				gone = true;
				if (timer) clearTimeout(timer);
				live.delete(w);
				void w.terminate();
				if (current !== null && reason !== null) {
					const id = current;
					current = null;
					settle(id, { ok: false, reason });
				}
				spawn();
			};

			const start = () => {
				if (next >= tasks.length) {
					current = null;
					gone = true;
					live.delete(w);
					void w.terminate();
					return;
				}
				current = next++;
				w.postMessage({ id: current, path: tasks[current].path, kind: tasks[current].kind });
				timer = setTimeout(() => retire(`超过每个文件的时间限制 ${seconds(limits.fileMs)}，已放弃 (time budget exceeded)`), limits.fileMs);
			};

			w.on('message', (m: { id: number; outcome: T }) => {
				if (gone || m.id !== current) return;
				if (timer) clearTimeout(timer);
				current = null;
				settle(m.id, m.outcome);
				start();
			});
			w.on('error', (e: Error & { code?: string }) => {
				const memory = e.code === 'ERR_WORKER_OUT_OF_MEMORY';
				retire(
					memory
						? `解析时内存超过 ${limits.heapMb} MiB 上限，已放弃（压缩炸弹或异常巨大的文件？） (memory limit exceeded)`
						: `解析线程意外退出：${e.message} (parser worker crashed)`
				);
			});
			w.on('exit', (code) => retire(`解析线程意外退出（代码 ${code}） (parser worker exited)`));
			start();
		};

		for (let k = 0; k < Math.min(jobs, tasks.length); k++) spawn();
	}).finally(() => Promise.all([...live].map((w) => w.terminate())));
}
