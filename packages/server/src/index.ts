export { type App, createApp } from './app.js';
export { openAuditKey } from './audit-key.js';
export { type OpenCoreContextOptions, openCoreContext } from './core-context.js';
export { type CredentialRotation, rotateCredentialKey } from './credential-rotation.js';
export type { AppEnv, ServerServices } from './env.js';
export { createLogger, type Logger } from './logger.js';
export { RateLimiter } from './middleware/rate-limit.js';
export { type RunningServer, startServer } from './serve.js';
export { type CreateServicesOptions, createServices, type RunningServices } from './services.js';
