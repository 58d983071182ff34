/**
 * Where a report came from: the page it was published on, when `fetch`
 * downloaded it, and the free-text note a hand-made record or truth file
 * carries (`_source`). One definition for ingest (what goes into `reports`)
 * and the page (what may become a link).
 */
export interface Origin {
	/** An http(s) URL, or null: nothing else ever becomes a link. */
	url: string | null;
	/** When fetch downloaded the file (ISO 8601), from fetch-manifest.jsonl. */
	fetchedAt: string | null;
	/** The source note as written (`_source`), when there is one. */
	note: string | null;
}

/** Longest note kept: a note is a sentence or two, not a document. */
const NOTE_MAX = 1000;

/** The URL as a link may carry it: absolute http: or https: only (never javascript:, data:, file: or a relative path), else null. */
export function webUrl(text: string | null | undefined): string | null {
	if (typeof text !== 'string' || !text.trim()) return null;
	try {
		const u = new URL(text.trim());
		return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
	} catch {
		return null;
	}
}

/**
 * The first web address in a free-text note — in the corpus, the published
 * page a record was transcribed from ("… archived from https://…)"). The
 * address ends at whitespace, a closing bracket, a quote or CJK punctuation.
 */
export function urlInNote(note: string): string | null {
	for (const m of note.matchAll(/https?:\/\/[^\s()（）'"<>，。；、]+/g)) {
		const url = webUrl(m[0].replace(/[.,;:]+$/, ''));
		if (url) return url;
	}
	return null;
}

/** A record's or truth file's `_source` note → its origin (no fetch date: nobody recorded one). */
export function originOfNote(note: unknown): Origin | null {
	if (typeof note !== 'string' || !note.trim()) return null;
	const text = [...note.trim()].slice(0, NOTE_MAX).join('');
	return { url: urlInNote(text), fetchedAt: null, note: text };
}
