/**
 * `@agent-otp/shared/stored-values`: what the database layer and the core modules on a quick
 * command's path use at run time (the zod-free shapes of stored JSON columns, the constants,
 * AppError, the request lines), without the package root, which constructs every schema of
 * the relay and the public contract. `agent-otp pending` starts quickly because nothing on its
 * path imports the root, nor zod (issue 17, issue 18).
 */
export * from '@orrisai/agent-otp-contract/stored-values';
export * from './app-error.js';
export * from './request-lines.js';
