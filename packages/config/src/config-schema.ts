import * as z from 'zod/mini';
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
export const ConfigSchema = z.pipe(
  z
    .object(configVariables)
    .check(
      z.superRefine(checkCoreEnvironment),
      z.superRefine(checkEmailEnvironment),
      z.superRefine(checkNotifyEmailEnvironment),
      z.superRefine(checkLimitsEnvironment),
      z.superRefine(checkTelegramEnvironment),
      z.superRefine(checkWebhooksEnvironment),
      z.superRefine(checkWebPushEnvironment),
    ),
  z.transform((env: ConfigEnvironment) => ({
    ...coreConfig(env),
    ...serverConfig(env),
    ...limitsConfig(env),
    email: emailConfig(env),
    ...notifyEmailConfig(env),
    ...telegramConfig(env),
    ...webhooksConfig(env),
    ...webPushConfig(env, serverConfig(env).publicUrl),
    ...cliSettings(env),
  })),
);

/** Every variable, parsed, before the fragments shape them into a {@link Config}. */
type ConfigEnvironment = z.output<z.ZodMiniObject<typeof configVariables>>;

export type Config = z.output<typeof ConfigSchema>;
