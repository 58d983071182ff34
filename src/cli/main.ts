#!/usr/bin/env node
import { runParse } from './parse';

const USAGE = `年报看板 Nianbao CLI

  parse [--json] FILE...          parse reports (text, HTML) into the normalized record
  generate --count N --out DIR    write synthetic reports and their truth JSON
`;

async function main(argv: string[]): Promise<number> {
	const [command, ...args] = argv;
	switch (command) {
		case 'parse':
			return runParse(args);
		case undefined:
		case '-h':
		case '--help':
		case 'help':
			process.stdout.write(USAGE);
			return command ? 0 : 2;
		default:
			process.stderr.write(`unknown command: ${command}\n${USAGE}`);
			return 2;
	}
}

// EPIPE (e.g. `| head`) is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
	if (e.code === 'EPIPE') process.exit(0);
});

main(process.argv.slice(2)).then(
	(code) => {
		process.exitCode = code;
	},
	(e: unknown) => {
		process.stderr.write(`nianbao: ${e instanceof Error ? e.message : String(e)}\n`);
		process.exitCode = 1;
	}
);
