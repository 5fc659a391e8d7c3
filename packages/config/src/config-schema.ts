import { z } from 'zod';
import { cliEnvironment, cliSettings } from './fragments/cli.js';
import { checkCoreEnvironment, coreConfig, coreEnvironment } from './fragments/core.js';
import { checkEmailEnvironment, emailConfig, emailEnvironment } from './fragments/email.js';
import { checkLimitsEnvironment, limitsConfig, limitsEnvironment } from './fragments/limits.js';
import {
  checkNotifyEmailEnvironment,
  notifyEmailConfig,
  notifyEmailEnvironment,
} from './fragments/notify-email.js';
import { serverConfig, serverEnvironment } from './fragments/server.js';
import { checkTelegramEnvironment, telegramConfig, telegramEnvironment } from './fragments/telegram.js';
import { checkWebPushEnvironment, webPushConfig, webPushEnvironment } from './fragments/web-push.js';
import { checkWebhooksEnvironment, webhooksConfig, webhooksEnvironment } from './fragments/webhooks.js';

/** Every variable the configuration knows, by name, with its own parser (and default). */
export const configVariables = {
  ...coreEnvironment,
  ...serverEnvironment,
  ...limitsEnvironment,
  ...emailEnvironment,
  ...notifyEmailEnvironment,
  ...telegramEnvironment,
  ...webhooksEnvironment,
  ...webPushEnvironment,
  ...cliEnvironment,
};

/**
 * Every setting of every process (the server, the CLI, the standalone connectors), composed
 * from one fragment per package: its variables, its cross-checks, its parsed shape. A bad
 * value stops start-up with a message naming the variable. Nothing else in the code base
 * reads `process.env` (a lint rule holds that line).
 */
export const ConfigSchema = z
  .object(configVariables)
  .superRefine(checkCoreEnvironment)
  .superRefine(checkEmailEnvironment)
  .superRefine(checkNotifyEmailEnvironment)
  .superRefine(checkLimitsEnvironment)
  .superRefine(checkTelegramEnvironment)
  .superRefine(checkWebhooksEnvironment)
  .superRefine(checkWebPushEnvironment)
  .transform((env) => ({
    ...coreConfig(env),
    ...serverConfig(env),
    ...limitsConfig(env),
    email: emailConfig(env),
    ...notifyEmailConfig(env),
    ...telegramConfig(env),
    ...webhooksConfig(env),
    ...webPushConfig(env, serverConfig(env).publicUrl),
    ...cliSettings(env),
  }));

export type Config = z.infer<typeof ConfigSchema>;
