import { error } from '@sveltejs/kit';
import { DATA_DIR } from '$lib/server/data-dir';
import { buildAnswers } from '$lib/server/answers';
import type { AnswerShard } from '$lib/db/answers';
import type { EntryGenerator, RequestHandler } from './$types';

// The build's answer files (lib/server/answers.ts), written at prerender
// beside the pages: build/answers/<file>.
export const prerender = true;

let built: Promise<Map<string, AnswerShard>> | null = null;
const answers = () => (built ??= buildAnswers(DATA_DIR));

export const entries: EntryGenerator = async () => [...(await answers()).keys()].map((file) => ({ file }));

export const GET: RequestHandler = async ({ params }) => {
	const shard = (await answers()).get(params.file);
	if (!shard) error(404, `no answer file ${params.file}`);
	return new Response(JSON.stringify(shard), { headers: { 'content-type': 'application/json' } });
};
