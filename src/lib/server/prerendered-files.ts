import { error } from '@sveltejs/kit';

/**
 * The files a `[file]` endpoint writes at prerender, derived from the dataset
 * once, on first use: `entries` (which files to write) and every `GET` share
 * that one build. An unknown name is a 404 that says which kind of file it is.
 */
export function prerenderedFiles<T>(what: string, build: () => Promise<Map<string, T>>, respond: (file: string, value: T) => Response) {
	let built: Promise<Map<string, T>> | null = null;
	const files = () => (built ??= build());
	return {
		entries: async () => [...(await files()).keys()].map((file) => ({ file })),
		GET: async ({ params }: { params: { file: string } }) => {
			const value = (await files()).get(params.file);
			if (value === undefined) error(404, `no ${what} file ${params.file}`);
			return respond(params.file, value);
		}
	};
}
