import { DATA_DIR } from '$lib/server/data-dir';
import { buildAnswers } from '$lib/server/answers';
import { prerenderedFiles } from '$lib/server/prerendered-files';
import type { EntryGenerator, RequestHandler } from './$types';

// The build's answer files (lib/server/answers.ts), written at prerender
// beside the pages: build/answers/<file>.
export const prerender = true;

const answers = prerenderedFiles(
	'answer',
	() => buildAnswers(DATA_DIR),
	(_, shard) => new Response(JSON.stringify(shard), { headers: { 'content-type': 'application/json' } })
);

export const entries: EntryGenerator = answers.entries;
export const GET: RequestHandler = answers.GET;
