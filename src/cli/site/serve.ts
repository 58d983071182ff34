/**
 * `npm run dashboard` after the build: serve build/ (or the folder given) as
 * the dashboard server does (server.ts).
 *
 *   tsx src/cli/site/serve.ts [DIR] [--host 127.0.0.1] [--port 4173]
 */
import { siteHandler, siteServer } from './server';

function arg(name: string, fallback: string): string {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? process.argv[i + 1] : fallback;
}

const dir = process.argv.slice(2).find((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--')) ?? 'build';
const host = arg('host', '127.0.0.1');
const port = Number(arg('port', '4173'));
siteServer(siteHandler(dir)).listen(port, host, () =>
	process.stdout.write(`年报看板 Nianbao: http://${host}:${port}/ (serving ${dir}, precompressed copies when present)\n`)
);
