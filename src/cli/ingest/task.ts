import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { registerDocumentAdapters } from '../../lib/report/adapters/index';
import { quality } from './choice';
import { readSource, type PackedOutcome, type SourceKind } from './read';

/**
 * One file per message: read, parse or validate, answer with the outcome
 * already serialized (the main thread stores the text as it is) and the
 * light summary the main thread keeps in memory.
 */
registerDocumentAdapters();
parentPort!.on('message', async (task: { id: number; path: string; kind: SourceKind }) => {
	let outcome: PackedOutcome;
	try {
		const read = await readSource(await readFile(task.path), task.path, task.kind);
		outcome = read.ok
			? {
					ok: true,
					json: JSON.stringify(read.entries),
					summaries: read.entries.map((e) => ({ agency: e.record.agency, year: e.record.year, line: e.line, quality: quality(e.record, e.issues) }))
				}
			: read;
	} catch (e) {
		outcome = { ok: false, reason: `无法读取：${e instanceof Error ? e.message : String(e)}` };
	}
	parentPort!.postMessage({ id: task.id, outcome });
});
