export { type Config, ConfigSchema } from './config-schema.js';
export { ConfigError, loadConfig } from './load-config.js';
export { loadEnvironmentConfig } from './load-environment-config.js';
