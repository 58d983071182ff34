/** Why the data could not be loaded: a code, the file, and what went wrong. */
export type LoadErrorCode = 'manifest_missing' | 'manifest_invalid' | 'manifest_version' | 'file_missing' | 'file_corrupt' | 'file_columns' | 'engine_failed';

export class LoadError extends Error {
	constructor(
		readonly code: LoadErrorCode,
		readonly file: string | null,
		readonly detail: string
	) {
		super(`${code}${file ? ` (${file})` : ''}: ${detail}`);
		this.name = 'LoadError';
	}
}

export function messageOf(e: unknown): string {
	return e instanceof Error ? e.message : String(e);
}
