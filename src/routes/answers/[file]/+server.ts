import { error } from '@sveltejs/kit';
import { join, resolve } from 'node:path';
import { buildAnswers } from '$lib/server/answers';
import type { AnswerShard } from '$lib/db/answers';
import type { EntryGenerator, RequestHandler } from './$types';

// The build's answer files (lib/server/answers.ts), written at prerender
// beside the pages: build/answers/<file>.
export const prerender = true;

// The dataset the layout's snapshot reads (see +layout.server.ts).
const DATA = join(resolve(process.env.NIANBAO_STATIC || 'static'), 'data');

let built: Promise<Map<string, AnswerShard>> | null = null;
const answers = () => (built ??= buildAnswers(DATA));

export const entries: EntryGenerator = async () => [...(await answers()).keys()].map((file) => ({ file }));

export const GET: RequestHandler = async ({ params }) => {
	const shard = (await answers()).get(params.file);
	if (!shard) error(404, `no answer file ${params.file}`);
	return new Response(JSON.stringify(shard), { headers: { 'content-type': 'application/json' } });
};
