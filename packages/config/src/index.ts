export { type Config, ConfigSchema } from './config-schema.js';
export type { GmailConfig, ImapConfig } from './fragments/email.js';
export { ConfigError, loadConfig } from './load-config.js';
export { loadEnvironmentConfig } from './load-environment-config.js';
