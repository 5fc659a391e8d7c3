import { MAILBOX_PRESETS, MailboxPresetsResponseSchema } from '@agent-otp/shared';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';

const presetsRoute = declareRoute({
  method: 'get',
  path: '/api/v1/mailboxes/presets',
  operationId: 'listMailboxPresets',
  tags: ['Owner'],
  summary: 'IMAP servers of common providers, with the password each of them accepts',
  description:
    'The IMAP host, port and TLS mode of Gmail, Outlook/Office 365, iCloud, Fastmail and Yahoo, what each expects as the login, how to create the app password it needs, and the provider’s help page (text, for the owner to open).',
  credential: 'owner',
  responses: {
    200: {
      description: 'The presets, in the order the dashboard offers them.',
      content: { 'application/json': { schema: MailboxPresetsResponseSchema } },
    },
  },
});

/** The dashboard's "Add mailbox" preset picker; the same data the CLI's `mailbox:add --preset` reads. */
export function registerOwnerMailboxPresets(app: Router, services: ServerServices) {
  openapiRoute(app, services, presetsRoute, (c) =>
    c.json({ presets: [...MAILBOX_PRESETS], gmailConnect: services.gmailConnect !== undefined }, 200),
  );
}
