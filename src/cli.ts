/**
 * rangekeeper's command line. Each sub-command lives in its own module under src/cli/ and is
 * loaded only when asked for, so `rangekeeper keys list` does not pay for starting ethers or ccxt.
 */
import { commands } from './cli/commands.js';
import { describeFailure } from './cli/failure.js';

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return ['usage: rangekeeper <command> [options]', '', 'commands:', ...lines, '', 'Run `rangekeeper <command> --help` for its options.'].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    console.error(`rangekeeper: unknown command "${name}"; usage: rangekeeper <command> [options], commands: ${Object.keys(commands).join(', ')}`);
    return 2;
  }
  try {
    const mod = await command.load();
    return await mod.run(rest);
  } catch (err) {
    // the one error boundary: one line, exit 2 (usage) or 1 (runtime), no stack trace
    const failure = describeFailure(err);
    const hint = failure.exitCode === 2 ? ` (see rangekeeper ${name} --help)` : '';
    console.error(`rangekeeper ${name}: ${failure.line}${hint}`);
    if (process.env['RANGEKEEPER_DEBUG'] === '1') console.error(err);
    return failure.exitCode;
  }
}

const code = await main(process.argv.slice(2));
if (code !== 0) process.exitCode = code;
