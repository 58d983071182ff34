import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { registerDocumentAdapters } from '../../lib/report/adapters/index';
import { readSource, type SourceKind } from './read';

/** One file per message: read, parse or validate, answer with the outcome. */
registerDocumentAdapters();
parentPort!.on('message', async (task: { id: number; path: string; kind: SourceKind }) => {
	try {
		const bytes = await readFile(task.path);
		parentPort!.postMessage({ id: task.id, outcome: await readSource(bytes, task.path, task.kind) });
	} catch (e) {
		parentPort!.postMessage({ id: task.id, outcome: { ok: false, reason: `无法读取：${e instanceof Error ? e.message : String(e)}` } });
	}
});
