#!/usr/bin/env node
import { runFetch } from './fetch';
import { runGenerate } from './generate';
import { runIngest } from './ingest';
import { runParse } from './parse';

const USAGE = `年报看板 Nianbao CLI

  parse [--json] FILE...          parse reports (text, HTML, PDF, Word .docx) into the normalized record
  ingest DIR... [--out static/data] [--strict] [--jobs N]
                                  parse a folder of reports (and *.json records) into the dashboard's dataset
  fetch URL... [--out reports] [--since YEAR] [--max N] [--refresh] [--rate S] [--max-bytes N] [--timeout S]
                                  collect reports from the government sites named (and nothing else)
  generate --count N --out DIR [--seed S] [--format F[,F…]|mixed|all] [--encoding utf-8|gbk|mixed] [--noise 0..1]
                                  write synthetic reports and their truth JSON; layouts text, html, markdown,
                                  glued, wrapped, displaced (generate --help says what each looks like)
`;

async function main(argv: string[]): Promise<number> {
	const [command, ...args] = argv;
	switch (command) {
		case 'parse':
			return runParse(args);
		case 'ingest':
			return runIngest(args);
		case 'generate':
			return runGenerate(args);
		case 'fetch':
			return runFetch(args);
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
