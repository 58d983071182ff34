/**
 * Text from outside on our terminal: a website's titles, URLs and messages,
 * file names and excerpts of broken files. Any of them can carry escape
 * sequences (colours, cursor moves, a rewritten title bar): shown escaped,
 * never raw. Used by fetch and ingest alike.
 */

/**
 * C0 and C1 controls, DEL, line and paragraph separators, and the bidi
 * controls that reorder what a line appears to say.
 */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `\x1b[31m` → the six visible characters `\x1b[31m`. */
export function escapeControls(s: string): string {
	return s.replace(CONTROLS, (ch) => {
		const code = ch.charCodeAt(0);
		return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
	});
}
