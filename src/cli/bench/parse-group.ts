/**
 * One group of parse figures (parse-floors.ts), measured in this fresh
 * process and printed as JSON on stdout: `parse-group.ts GROUP ROUNDS SECONDS`.
 */
import { PARSE_GROUPS, groupPairs, type ParseGroup } from './parse-floors';

const [group, rounds, seconds] = process.argv.slice(2);
if (!PARSE_GROUPS.includes(group as ParseGroup)) {
	process.stderr.write(`parse-group: unknown group ${group} (one of ${PARSE_GROUPS.join(', ')})\n`);
	process.exit(2);
}
const pairs = await groupPairs(group as ParseGroup, Number(rounds), Number(seconds), (s) => process.stderr.write(s + '\n'));
process.stdout.write(JSON.stringify(pairs));
