export { type Config, ConfigSchema, configVariables } from './config-schema.js';
export {
  type ConfigEntry,
  defaultOf,
  describeConfig,
  type EnvironmentLayers,
  mergeLayers,
  type ValueSource,
} from './describe-config.js';
export { readDotenvFile } from './dotenv-file.js';
export { ConfigError, loadConfig, type ResolvedConfig, resolveConfig } from './load-config.js';
export {
  describeEnvironmentConfig,
  type EnvironmentConfigReport,
  loadEnvironmentConfig,
} from './load-environment-config.js';
export { FILE_SECRET_VARIABLES, SECRET_FILE_VARIABLES, SECRET_VARIABLES } from './secret-files.js';
