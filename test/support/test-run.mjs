/**
 * `npm test`: the two type checks and jest at once, failing when any of them fails.
 *
 * The type checks take about 20 s of one core; run before jest, they left the other core idle and
 * added their whole time to the run. Beside jest they share the two cores with it. Their output
 * is held until jest is done, so it is not interleaved with jest's. Arguments go to jest
 * (`npm test -- test/unit`).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = (name) => fileURLToPath(import.meta.resolve(`../../node_modules/.bin/${name}`));

function run(command, args, { quiet }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    if (quiet) {
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
    }
    child.on('close', (code, signal) =>
      resolve({ name: [command.split('/').pop(), ...args].join(' '), code: code ?? 1, signal, output }),
    );
  });
}

const typeChecks = [
  run(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'], { quiet: true }),
  run(bin('tsc'), ['--noEmit', '-p', 'web/tsconfig.json'], { quiet: true }),
];
const jest = await run(bin('jest'), process.argv.slice(2), { quiet: false });
let failed = jest.code !== 0;
for (const check of await Promise.all(typeChecks)) {
  if (check.code === 0) continue;
  failed = true;
  process.stderr.write(`\n${check.name} failed:\n${check.output}`);
}
process.exit(failed ? 1 : 0);
