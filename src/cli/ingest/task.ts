import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { registerDocumentAdapters } from '../../lib/report/adapters/index';
import { factProvenance } from '../../lib/dataset/tables';
import { quality } from './choice';
import { readSource, type PackedOutcome, type SourceKind } from './read';

/**
 * One file per message: read, parse or validate, answer with the outcome
 * already serialized as UTF-8 (the main thread stores the bytes as they are)
 * and the light summary the main thread keeps in memory.
 */
interface Task {
	id: number;
	path: string;
	kind: SourceKind;
}

registerDocumentAdapters();
async function handle(task: Task): Promise<void> {
	let outcome: PackedOutcome;
	try {
		const read = await readSource(readFileSync(task.path), task.path, task.kind);
		outcome = read.ok
			? {
					ok: true,
					// Only what the dataset keeps of the provenance: the cache's text is a fifth shorter, and so is parsing it back.
					// One line per entry: a JSON Lines file's records are read back one at a time.
					bytes: encoder.encode(read.entries.map((e) => JSON.stringify(e.provenance ? { ...e, provenance: factProvenance(e.provenance) } : e) + '\n').join('')),
					summaries: read.entries.map((e) => ({ agency: e.record.agency, year: e.record.year, line: e.line, quality: quality(e.record, e.issues) }))
				}
			: read;
	} catch (e) {
		outcome = { ok: false, reason: `无法读取：${e instanceof Error ? e.message : String(e)}` };
	}
	// The bytes are moved to the main thread, which stores them as they are.
	parentPort!.postMessage({ id: task.id, outcome }, outcome.ok ? [outcome.bytes.buffer as ArrayBuffer] : []);
}

const encoder = new TextEncoder();

// The pool sends a file ahead; they are parsed one after another, in order, so
// the pool's time budget always runs for the file being parsed.
let queue = Promise.resolve();
parentPort!.on('message', (task: Task) => {
	queue = queue.then(() => handle(task));
});
