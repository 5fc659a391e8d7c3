import { CommanderError } from 'commander';
import { classifyFailure } from './exit-codes.js';
import { buildProgram } from './program.js';

// Under --json a failure is one JSON object on stderr, so Commander's own text is held back.
const json = process.argv.includes('--json');

const program = buildProgram({ json });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const failure = classifyFailure(error);
  process.exitCode = failure.exitCode;
  if (failure.exitCode !== 0) {
    if (json)
      process.stderr.write(
        `${JSON.stringify({ error: { code: failure.code, message: failure.message } })}\n`,
      );
    // Commander already printed its own usage errors.
    else if (!(error instanceof CommanderError)) process.stderr.write(`agent-otp: ${failure.message}\n`);
  }
}
