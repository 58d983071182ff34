import { Worker } from 'node:worker_threads';
import type { Failure, ReadOutcome, SourceKind } from './read';

/**
 * Worker threads that parse one file at a time. A file must never take the
 * run down with it: each task has a time budget, and each worker a heap cap,
 * so a pathological file (a zip bomb, HTML nested a million deep, a
 * 20,000-page PDF) ends as one failed file with its reason while a fresh
 * worker takes the next file. Each worker has a second file queued; when a
 * worker dies (or runs out of time) with two, both run again alone, so the
 * reason always goes to the file that caused it (a hang may then cost two
 * budgets).
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

/**
 * The order to parse files in: PDFs last, the rest as they are. Once pdf.js
 * (its legacy build, which installs core-js polyfills) has loaded in a
 * worker, that worker parses other formats about 40% slower for the rest of
 * its life (measured on text; putting the replaced builtins back does not
 * undo it), so no other file comes after a PDF on the same worker.
 */
export function parseOrder(tasks: readonly PoolTask[]): number[] {
	const pdf = (i: number) => (tasks[i].kind === 'document' && /\.pdf$/i.test(tasks[i].path) ? 1 : 0);
	return tasks.map((_, i) => i).sort((x, y) => pdf(x) - pdf(y) || x - y);
}

/**
 * Tasks sent ahead to each worker: the next file is already there when one is
 * done, so a worker never waits for the main thread (a quarter of its time
 * when it got one file per round trip).
 */
const PIPELINE = 2;

function seconds(ms: number): string {
	return `${Math.round(ms / 100) / 10} s`;
}

/** What else a pool can do: data for its workers, and the parts a worker sends ahead of a task's answer. */
export interface PoolHooks<P> {
	workerData?: unknown;
	/** A task is sent to a worker (again, after a worker died with it: its earlier parts are void). */
	onStart?: (i: number) => void;
	/** A part of task `i`'s answer, sent before the answer (the last one may come with it). */
	onPart?: (i: number, part: P) => void;
}

/**
 * Parses `tasks` on `jobs` workers; `onDone` gets every task's outcome (the
 * worker's answer, or a failure) exactly once. A task is posted with its
 * fields and `id`; a worker answers `{ id, outcome }`, after any number of
 * `{ id, part }` (the last part may come in the answer's message).
 */
export async function parseAll<T extends { ok: boolean } = ReadOutcome, P = never>(
	tasks: readonly PoolTask[],
	jobs: number,
	limits: PoolLimits,
	onDone: (i: number, outcome: T | Failure) => void,
	workerUrl: URL = WORKER_URL,
	hooks: PoolHooks<P> = {}
): Promise<void> {
	if (tasks.length === 0) return;
	let next = 0;
	let finished = 0;
	const live = new Set<Worker>();
	/**
	 * Tasks that were in flight on a worker that died or ran out of time with
	 * more than one: which of them did it is not known, so each runs again
	 * alone on a worker, where a death is its own.
	 */
	const suspects: number[] = [];
	const pending = () => suspects.length > 0 || next < tasks.length;

	await new Promise<void>((resolveAll) => {
		const settle = (id: number, outcome: T | Failure) => {
			onDone(id, outcome);
			if (++finished === tasks.length) resolveAll();
		};

		/** One worker; when it has to be killed (budget, crash), another replaces it. */
		const spawn = () => {
			if (!pending()) return;
			const w = new Worker(workerUrl, { resourceLimits: { maxOldGenerationSizeMb: limits.heapMb }, workerData: hooks.workerData });
			live.add(w);
			// Sent and not answered, oldest first; the worker works through them in order.
			const inflight: number[] = [];
			let timer: NodeJS.Timeout | null = null;
			let gone = false;

			const retire = (reason: string) => {
				if (gone) return;
				gone = true;
				if (timer) clearTimeout(timer);
				live.delete(w);
				void w.terminate();
				if (inflight.length === 1) settle(inflight[0], { ok: false, reason });
				else suspects.push(...inflight);
				inflight.length = 0;
				spawn();
			};

			/** The budget runs for the task the worker is on: the oldest unanswered one. */
			const arm = () => {
				if (timer) clearTimeout(timer);
				timer = inflight.length
					? setTimeout(() => retire(`超过每个文件的时间限制 ${seconds(limits.fileMs)}，已放弃 (time budget exceeded)`), limits.fileMs)
					: null;
			};

			const fill = () => {
				// A suspect goes alone to a worker with nothing in flight; while one waits, the others drain.
				if (suspects.length) {
					if (inflight.length === 0) send(suspects.shift()!);
				} else while (inflight.length < PIPELINE && next < tasks.length) send(next++);
				if (inflight.length === 0) {
					gone = true;
					live.delete(w);
					void w.terminate();
				}
			};
			const send = (id: number) => {
				inflight.push(id);
				hooks.onStart?.(id);
				w.postMessage({ ...tasks[id], id });
			};

			w.on('message', (m: { id: number; outcome?: T; part?: P }) => {
				const at = inflight.indexOf(m.id);
				if (gone || at < 0) return;
				if (m.part !== undefined) hooks.onPart?.(m.id, m.part);
				if (m.outcome === undefined) return;
				inflight.splice(at, 1);
				settle(m.id, m.outcome);
				fill();
				if (at === 0) arm();
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
			// The budget is the file's, not the worker's start-up: on a loaded machine starting a thread can take seconds.
			w.once('online', arm);
			fill();
		};

		for (let k = 0; k < Math.min(jobs, tasks.length); k++) spawn();
	}).finally(() => Promise.all([...live].map((w) => w.terminate())));
}
