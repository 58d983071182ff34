import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** ../shared/corpus beside the project, when this machine has it. */
export const CORPUS = resolve(process.cwd(), '..', 'shared', 'corpus');
export const hasCorpus = existsSync(CORPUS);

if (!hasCorpus) console.log(`note: ${CORPUS} is absent; the real-report tests are skipped`);

export interface CorpusCase {
	name: string;
	file: string;
	truth: Record<string, unknown>;
}

/** Every document in a corpus folder with its *.truth.json, documents of the given extensions only. */
export function corpusCases(folder: string, extensions: string[]): CorpusCase[] {
	const dir = join(CORPUS, folder);
	if (!existsSync(dir)) return [];
	return readdirSync(dir)
		.filter((f) => !f.endsWith('.json') && extensions.some((e) => f.endsWith(e)))
		.sort()
		.map((f) => ({
			name: f,
			file: join(dir, f),
			truth: JSON.parse(readFileSync(join(dir, f.replace(/\.[^.]+$/, '.truth.json')), 'utf8'))
		}));
}

/** A record without metadata keys (`_…`) and the parse-only keys `file`, `issues` and `provenance`. */
export function comparable(record: object): Record<string, unknown> {
	return Object.fromEntries(Object.entries(record).filter(([k]) => !k.startsWith('_') && k !== 'file' && k !== 'issues' && k !== 'provenance'));
}
