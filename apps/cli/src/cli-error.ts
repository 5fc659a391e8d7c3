/**
 * A failure to show the user as one line, without a stack trace. `code` is a relay error
 * code (NOT_FOUND, CONFLICT, …) or one of the CLI's own (see exit-codes.ts); it picks the
 * exit status and is the `code` of the JSON error. Its own module, free of the relay's
 * packages, so that registering commands and reporting usage errors stays cheap.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly code: string = 'CLI_ERROR',
  ) {
    super(message);
  }
}
