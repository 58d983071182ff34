import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { registerDocumentAdapters } from '../../lib/report/adapters/index';
import { factProvenance } from '../../lib/dataset/tables';
import { quality } from './choice';
import { readSource, type PackedOutcome, type SourceKind } from './read';

/**
 * One file per message: read, parse or validate, answer with the outcome
 * already serialized (the main thread stores the text as it is) and the
 * light summary the main thread keeps in memory.
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
					json: JSON.stringify(read.entries.map((e) => (e.provenance ? { ...e, provenance: factProvenance(e.provenance) } : e))),
					summaries: read.entries.map((e) => ({ agency: e.record.agency, year: e.record.year, line: e.line, quality: quality(e.record, e.issues) }))
				}
			: read;
	} catch (e) {
		outcome = { ok: false, reason: `无法读取：${e instanceof Error ? e.message : String(e)}` };
	}
	parentPort!.postMessage({ id: task.id, outcome });
}

// The pool sends a file ahead; they are parsed one after another, in order, so
// the pool's time budget always runs for the file being parsed.
let queue = Promise.resolve();
parentPort!.on('message', (task: Task) => {
	queue = queue.then(() => handle(task));
});
