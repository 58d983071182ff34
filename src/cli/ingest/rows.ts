import { readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { AgencyOverride } from '../../lib/agencies/index';
import { CONTINUITY_CODE } from '../../lib/dataset/continuity';
import { TABLE_NAMES, type TableName } from '../../lib/dataset/columns';
import type { Origin } from '../../lib/dataset/origin';
import { originOfNote } from '../../lib/dataset/origin';
import { buildTables, type DatasetEntry } from '../../lib/dataset/tables';
import { registerDocumentAdapters } from '../../lib/report/adapters/index';
import { csvLines, rowOrder } from './csv-rows';
import { readSource, type ReadEntry, type SourceKind } from './read';
import { crc32 } from './zip';

/**
 * The rows of whole agencies, built from their reports' cached entries and
 * serialized as the dataset writer's CSV lines, on worker threads: the write
 * phase was one thread's work (parsing the cached JSON, buildTables, the CSV
 * text) while the other cores idled. Each agency's lines come back as their
 * own segment, so the next run can reuse them when nothing of the agency
 * changed (row-store.ts).
 */

/** One report of a job. */
export interface JobReport {
	/** Where its entry (the cache store's JSON text of one ReadEntry) is in the job's bytes; `at` < 0: lost, parse the file again. */
	at: number;
	length: number;
	/** Which of the file's entries (a JSON Lines file has many). */
	entry: number;
	sourceFile: string;
	sha256: string;
	kind: SourceKind;
	origin?: Origin;
	/** The file itself, parsed again when its entries are lost (it parsed before, so it must again). */
	path: string;
	rel: string;
}

/** Reports of whole agencies, in report id order; `groups`: how many reports each agency has, in order. */
export interface BuildJob {
	reports: JobReport[];
	groups: number[];
	bytes: Uint8Array;
}

/** One agency's rows: per table (TABLE_NAMES order) its row count and the byte length of its lines. */
export interface BuiltGroup {
	rows: number[];
	lengths: number[];
	/** CRC-32 of its lines, per table: the CSV zip's parts are checked without the main thread reading every byte (zip-parts.ts). */
	crc: number[];
	clean: number;
	/** Messages of the cross-year checks (continuity), in order. */
	across: string[];
}

/** Per table (TABLE_NAMES order) the lines of every agency of the job, one after another. */
export interface BuildResult {
	parts: Uint8Array[];
	groups: BuiltGroup[];
	/** Reports whose cached entries were lost and were parsed again. */
	reread: number;
}

const encoder = new TextEncoder();

/** Builds a job's rows; the same function on a worker and, for a few reports, on the main thread. */
export async function buildJob(job: BuildJob, overrides: Map<string, AgencyOverride>): Promise<BuildResult> {
	const decoder = new TextDecoder();
	// Files parsed again (their cache entries lost), once each however many of their entries the job has.
	const reparsed = new Map<string, ReadEntry[]>();
	let reread = 0;
	const entryOf = async (r: JobReport): Promise<ReadEntry> => {
		if (r.at >= 0) return JSON.parse(decoder.decode(job.bytes.subarray(r.at, r.at + r.length))) as ReadEntry;
		reread++;
		let entries = reparsed.get(r.path);
		if (!entries) {
			registerDocumentAdapters();
			const outcome = await readSource(await readFile(r.path), r.path, r.kind);
			if (!outcome.ok) throw new Error(`${r.rel}：缓存丢失后重新解析失败（${outcome.reason}）`);
			reparsed.set(r.path, (entries = outcome.entries));
		}
		return entries[r.entry];
	};
	const text: string[][] = TABLE_NAMES.map(() => []);
	const groups: BuiltGroup[] = [];
	let at = 0;
	for (const size of job.groups) {
		const batch: DatasetEntry[] = [];
		for (const r of job.reports.slice(at, at + size)) {
			const { record, issues, provenance, scope, source } = await entryOf(r);
			const origin = r.origin ?? originOfNote(source) ?? undefined;
			batch.push({ record, issues, provenance, scope, origin, sourceFile: r.sourceFile, sha256: r.sha256, kind: r.kind });
		}
		at += size;
		const tables = buildTables(batch, overrides);
		const group: BuiltGroup = {
			rows: [],
			lengths: [],
			crc: [],
			clean: tables.reports.filter((x) => x.status === 'clean').length,
			across: tables.issues.filter((i) => i.code === CONTINUITY_CODE).map((i) => i.message)
		};
		TABLE_NAMES.forEach((name, t) => {
			const list = tables[name] as unknown as Record<string, unknown>[];
			const lines = csvLines(name, [...list].sort(rowOrder(name)));
			text[t].push(lines);
			group.rows.push(list.length);
			group.lengths.push(Buffer.byteLength(lines));
		});
		groups.push(group);
	}
	const parts = text.map((t) => encoder.encode(t.join('')));
	parts.forEach((bytes, t) => {
		let at = 0;
		for (const g of groups) g.crc.push(crc32(bytes.subarray(at, (at += g.lengths[t]))));
	});
	return { parts, groups, reread };
}

const WORKER_URL = new URL('./rows-worker.mjs', import.meta.url);

/**
 * Worker threads that build jobs, answering each job's promise. The code is
 * the project's own over records already parsed and validated, so a failure
 * is a bug: it fails the run (the previous dataset stays), never a report.
 */
export class RowBuilders {
	private readonly workers: { worker: Worker; busy: number }[] = [];
	private readonly waiting = new Map<number, { resolve: (r: BuildResult) => void; reject: (e: Error) => void }>();
	private next = 0;
	private failure: Error | null = null;

	constructor(count: number, overrides: Map<string, AgencyOverride>) {
		for (let i = 0; i < count; i++) {
			const worker = new Worker(WORKER_URL, { workerData: { overrides: [...overrides] } });
			const slot = { worker, busy: 0 };
			worker.on('message', (m: { id: number; result?: BuildResult; error?: string }) => {
				slot.busy--;
				const w = this.waiting.get(m.id);
				this.waiting.delete(m.id);
				if (m.result) w?.resolve(m.result);
				else w?.reject(new Error(`生成数据行的线程出错：${m.error} (row builder failed)`));
			});
			const fail = (e: Error) => {
				this.failure ??= new Error(`生成数据行的线程意外退出：${e.message} (row builder died)`);
				for (const w of this.waiting.values()) w.reject(this.failure);
				this.waiting.clear();
			};
			worker.on('error', fail);
			worker.on('exit', (code) => {
				if (this.waiting.size) fail(new Error(`exit code ${code}`));
			});
			this.workers.push(slot);
		}
	}

	/** Runs `job` on the least busy worker; its bytes are moved there, not copied. */
	run(job: BuildJob): Promise<BuildResult> {
		if (this.failure) return Promise.reject(this.failure);
		const slot = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
		const id = this.next++;
		slot.busy++;
		return new Promise((resolve, reject) => {
			this.waiting.set(id, { resolve, reject });
			slot.worker.postMessage({ id, job }, [job.bytes.buffer as ArrayBuffer]);
		});
	}

	async close(): Promise<void> {
		await Promise.all(this.workers.map((w) => w.worker.terminate()));
	}
}

/** An empty set of parts, to add lines to. */
export function emptyCounts(): Record<TableName, number> {
	return Object.fromEntries(TABLE_NAMES.map((t) => [t, 0])) as Record<TableName, number>;
}
