/**
 * Text for a terminal line. File names, URLs and excerpts of broken files
 * come from outside: their control characters (C0, DEL, C1, line and
 * paragraph separators, bidi overrides) are shown as escapes, so no file can
 * move the cursor, recolour or rewrite the terminal.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function printable(s: string): string {
	return s.replace(CONTROL, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : `\\u{${c.codePointAt(0)!.toString(16)}}`));
}
