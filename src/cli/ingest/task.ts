import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { AgencyOverride } from '../../lib/agencies/index';
import { TABLE_NAMES } from '../../lib/dataset/columns';
import type { Origin } from '../../lib/dataset/origin';
import { registerDocumentAdapters } from '../../lib/report/adapters/index';
import { quality, type Summary } from './choice';
import { readSource, type EntryPart, type PackedOutcome, type SourceKind } from './read';
import { contextKey, reportEntry } from './rows';

/**
 * One file per message: read, parse or validate, and build each report's
 * rows (rows.ts) while its record is in memory. The rows go to the main
 * thread as bytes, moved, not copied, in parts of a few MB (a JSON Lines
 * file of many records never makes one huge message), then the light
 * summaries the main thread keeps in memory.
 */
export interface ParseTask {
	id: number;
	path: string;
	kind: SourceKind;
	/** The file as the manifest names it. */
	rel: string;
	/** Its content's sha256, hex: the rows carry it. */
	sha256: string;
	origin?: Origin;
}

const FACTS = TABLE_NAMES.indexOf('facts');

/** Bytes of rows per message. */
const PART_BYTES = 4 << 20;

/** Entries end to end, in a plain ArrayBuffer (moved to the main thread cheaply: rows.ts reportEntry says why). */
function concat(list: Uint8Array[], size: number): Uint8Array {
	const out = new Uint8Array(new ArrayBuffer(size));
	let at = 0;
	for (const b of list) {
		out.set(b, at);
		at += b.length;
	}
	return out;
}

registerDocumentAdapters();
const overrides = new Map<string, AgencyOverride>((workerData as { overrides?: [string, AgencyOverride][] } | null)?.overrides ?? []);

async function handle(task: ParseTask): Promise<void> {
	let outcome: PackedOutcome;
	try {
		const read = await readSource(readFileSync(task.path), task.path, task.kind);
		if (read.ok) {
			const summaries: Summary[] = [];
			let part: Uint8Array[] = [];
			let sizes: number[] = [];
			let bytes = 0;
			/** The entries so far, as one part: sent now, or with the answer (`outcome`) when they are the last. */
			const send = (outcome?: PackedOutcome) => {
				const joined = part.length === 1 ? part[0] : concat(part, bytes);
				const message: { id: number; part: EntryPart; outcome?: PackedOutcome } = { id: task.id, part: { bytes: joined, sizes }, outcome };
				parentPort!.postMessage(message, [joined.buffer as ArrayBuffer]);
				part = [];
				sizes = [];
				bytes = 0;
			};
			for (const e of read.entries) {
				const ctx = { sourceFile: e.line ? `${task.rel}#${e.line}` : task.rel, kind: task.kind, sha256: task.sha256, origin: task.origin };
				const entry = reportEntry(e, ctx, overrides);
				part.push(entry.bytes);
				sizes.push(entry.bytes.length);
				bytes += entry.bytes.length;
				summaries.push({
					agency: e.record.agency,
					year: e.record.year,
					line: e.line,
					quality: quality(e.record, e.issues, entry.rows[FACTS]),
					ctx: Buffer.from(contextKey(ctx, overrides.get(e.record.agency))).toString('base64')
				});
				if (bytes >= PART_BYTES) send();
			}
			// One message for a file whose rows fit in one part (nearly every file).
			if (part.length) return send({ ok: true, summaries });
			outcome = { ok: true, summaries };
		} else outcome = read;
	} catch (e) {
		outcome = { ok: false, reason: `无法读取：${e instanceof Error ? e.message : String(e)}` };
	}
	parentPort!.postMessage({ id: task.id, outcome });
}

// The pool sends a file ahead; they are parsed one after another, in order, so
// the pool's time budget always runs for the file being parsed.
let queue = Promise.resolve();
parentPort!.on('message', (task: ParseTask) => {
	queue = queue.then(() => handle(task));
});
