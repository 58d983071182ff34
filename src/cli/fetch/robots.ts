/**
 * robots.txt (RFC 9309): groups by user-agent, Allow/Disallow with `*` and
 * `$`, the longest matching rule wins and Allow wins a tie.
 */

/**
 * How much of a robots.txt is read. RFC 9309 §2.5 asks crawlers to parse at
 * least 500 KiB; a larger file is read this far and its complete lines used.
 */
export const ROBOTS_MAX_BYTES = 512 * 1024;

export interface RobotsRule {
	allow: boolean;
	/** As written, non-ASCII percent-encoded so it compares with URL paths. */
	pattern: string;
}

export interface RobotsGroup {
	/** Lower-cased user-agent tokens of the group. */
	agents: string[];
	rules: RobotsRule[];
	/** Seconds, if the group asks for one. */
	crawlDelay?: number;
}

/** The rules that apply to one crawler on one site. */
export interface RobotsPolicy {
	rules: RobotsRule[];
	crawlDelay?: number;
	/** Why everything is disallowed, when the file could not be read (RFC 9309 §2.3.1.4). */
	unreachable?: string;
}

export const ALLOW_ALL: RobotsPolicy = { rules: [] };

export function disallowAll(reason: string): RobotsPolicy {
	return { rules: [{ allow: false, pattern: '/' }], unreachable: reason };
}

/** Percent-encode what a URL path would encode, leaving existing escapes alone. */
function encodePattern(p: string): string {
	return p.replace(/[^\x21-\x7e]/gu, (ch) => encodeURIComponent(ch));
}

/** The text of a robots.txt; when it was cut at the size limit, only its complete lines (a cut rule could say something else). */
export function robotsText(bytes: Uint8Array, truncated: boolean): string {
	const end = truncated ? Math.max(bytes.lastIndexOf(0x0a), bytes.lastIndexOf(0x0d)) + 1 : bytes.length;
	return new TextDecoder('utf-8').decode(bytes.subarray(0, end));
}

export function parseRobots(text: string): RobotsGroup[] {
	const groups: RobotsGroup[] = [];
	let current: RobotsGroup | null = null;
	let lastWasAgent = false;
	for (const raw of text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/)) {
		const line = raw.replace(/#.*$/, '').trim();
		const m = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
		if (!m) continue;
		const key = m[1].toLowerCase();
		const value = m[2].trim();
		if (key === 'user-agent') {
			if (!current || !lastWasAgent) {
				current = { agents: [], rules: [] };
				groups.push(current);
			}
			current.agents.push(value.toLowerCase());
			lastWasAgent = true;
			continue;
		}
		lastWasAgent = false;
		if (!current) continue; // rules before any user-agent line belong to no group
		if (key === 'allow' || key === 'disallow') {
			// An empty Disallow allows everything: it is no rule at all.
			if (value) current.rules.push({ allow: key === 'allow', pattern: encodePattern(value) });
		} else if (key === 'crawl-delay') {
			const n = Number(value);
			if (Number.isFinite(n) && n >= 0) current.crawlDelay = n;
		}
	}
	return groups;
}

/**
 * The groups naming our product token (case-insensitive, e.g. `Nianbao`),
 * merged; otherwise the `*` groups; otherwise no rules.
 */
export function policyFor(groups: RobotsGroup[], productToken: string): RobotsPolicy {
	const token = productToken.toLowerCase();
	const named = groups.filter((g) => g.agents.some((a) => a !== '*' && (a === token || a.split('/')[0] === token)));
	const chosen = named.length ? named : groups.filter((g) => g.agents.includes('*'));
	const delays = chosen.map((g) => g.crawlDelay).filter((d): d is number => d !== undefined);
	return { rules: chosen.flatMap((g) => g.rules), crawlDelay: delays.length ? Math.max(...delays) : undefined };
}

/**
 * Does a robots pattern match this path (with query)? `*` is any run of
 * characters and a final `$` anchors the end. Without backtracking: each
 * literal piece between stars is found at its leftmost place after the
 * previous one (leftmost is never worse for a later piece to fit), and an
 * anchored last piece must end the path. A regex would backtrack
 * exponentially on `/*a*a*a…*b` — a hostile site's way to freeze the crawler.
 */
export function patternMatches(pattern: string, path: string): boolean {
	const anchored = pattern.endsWith('$');
	const pieces = (anchored ? pattern.slice(0, -1) : pattern).split('*');
	const first = pieces[0];
	if (pieces.length === 1) return anchored ? path === first : path.startsWith(first);
	if (!path.startsWith(first)) return false;
	let at = first.length;
	for (const piece of pieces.slice(1, -1)) {
		const found = path.indexOf(piece, at);
		if (found < 0) return false;
		at = found + piece.length;
	}
	const last = pieces[pieces.length - 1];
	if (anchored) return path.length - last.length >= at && path.endsWith(last);
	return path.indexOf(last, at) >= 0;
}

export interface RobotsVerdict {
	allowed: boolean;
	/** The rule that decided, e.g. "Disallow: /private/". */
	rule?: string;
}

export function checkRobots(policy: RobotsPolicy, url: URL): RobotsVerdict {
	const path = url.pathname + url.search;
	if (url.pathname === '/robots.txt') return { allowed: true };
	let best: RobotsRule | undefined;
	for (const r of policy.rules) {
		if (!patternMatches(r.pattern, path)) continue;
		if (!best || r.pattern.length > best.pattern.length || (r.pattern.length === best.pattern.length && r.allow && !best.allow)) best = r;
	}
	if (!best) return { allowed: true };
	return { allowed: best.allow, rule: `${best.allow ? 'Allow' : 'Disallow'}: ${decodeSafe(best.pattern)}` };
}

function decodeSafe(s: string): string {
	try {
		return decodeURIComponent(s);
	} catch {
		return s;
	}
}
