/**
 * robots.txt (RFC 9309): groups by user-agent, Allow/Disallow with `*` and
 * `$`, the longest matching rule wins and Allow wins a tie.
 */

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

/** Does a robots pattern match this path (with query)? */
export function patternMatches(pattern: string, path: string): boolean {
	const anchored = pattern.endsWith('$');
	const body = anchored ? pattern.slice(0, -1) : pattern;
	const re = body
		.split('*')
		.map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
		.join('.*');
	return new RegExp(`^${re}${anchored ? '$' : ''}`).test(path);
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
