import { accessLog, markStaticFile } from './access-log.js';
import { assertEveryRouteDeclared, plainRoute } from './declare-route.js';
import type { ServerServices } from './env.js';
import { httpMetrics } from './metrics/http-metrics.js';
import { createErrorHandler, errorResponse } from './middleware/errors.js';
import { readHeadersFromNode } from './middleware/node-request.js';
import { refuseWhileShuttingDown, requireJsonBody } from './middleware/request-guards.js';
import { responseHeaders } from './middleware/response-headers.js';
import { createRouter } from './openapi-app.js';
import { openApiDocument, registerSecuritySchemes } from './openapi-document.js';
import { registerCaptureMessage } from './routes/capture/capture-message.js';
import { registerDeliver } from './routes/capture/deliver.js';
import { registerHoldMessage } from './routes/capture/hold-message.js';
import { registerListCaptureRequests } from './routes/capture/list-capture-requests.js';
import { registerReportUnclear } from './routes/capture/report-unclear.js';
import { registerEmailDecision } from './routes/email/email-decision.js';
import { dashboardHandler } from './routes/meta/dashboard.js';
import { registerDocs } from './routes/meta/docs.js';
import { guideHandler } from './routes/meta/guide.js';
import { registerHealth } from './routes/meta/health.js';
import { registerMetrics } from './routes/meta/metrics.js';
import { registerCancelOtp } from './routes/otp/cancel-otp.js';
import { registerConsumeOtp } from './routes/otp/consume-otp.js';
import { registerCreateOtp } from './routes/otp/create-otp.js';
import { registerGetOtp } from './routes/otp/get-otp.js';
import { registerOtpEvents } from './routes/otp/otp-events.js';
import { registerOwnerActivity } from './routes/owner/activity.js';
import { registerOwnerAgents } from './routes/owner/agents.js';
import { registerApprovalEvents } from './routes/owner/approval-events.js';
import { registerApprovalStepUp } from './routes/owner/approval-step-up.js';
import { registerOwnerApprovals } from './routes/owner/approvals.js';
import { registerOwnerAudit } from './routes/owner/audit.js';
import { registerOwnerHeldMessages } from './routes/owner/held-messages.js';
import { registerOwnerGmailConnect } from './routes/owner/mailbox-gmail.js';
import { registerOwnerMailboxPresets } from './routes/owner/mailbox-presets.js';
import { registerOwnerMailboxes } from './routes/owner/mailboxes.js';
import { registerOwnerCapture } from './routes/owner/owner-capture.js';
import { registerOwnerPolicies } from './routes/owner/policies.js';
import { registerOwnerPushSubscriptions } from './routes/owner/push-subscriptions.js';
import { registerOwnerRequests } from './routes/owner/requests.js';
import { registerOwnerRiskRules } from './routes/owner/risk-rules.js';
import { registerOwnerSources } from './routes/owner/sources.js';
import { registerOwnerTelegramSettings } from './routes/owner/telegram-settings.js';
import { registerOwnerWebhooks } from './routes/owner/webhooks.js';
import { registerGetPermission } from './routes/permissions/get-permission.js';
import { registerRequestPermission } from './routes/permissions/request-permission.js';
import { registerUsePermission } from './routes/permissions/use-permission.js';
import { registerAccountPasskeys } from './routes/session/account-passkeys.js';
import { registerAccountSecurity } from './routes/session/account-security.js';
import { registerPasskeySignIn } from './routes/session/passkey-sign-in.js';
import { registerSession } from './routes/session/session.js';
import { registerSetup } from './routes/session/setup.js';
import { registerSmsWebhooks } from './routes/sms/sms-webhooks.js';
import { registerTelegramWebhook } from './routes/telegram/telegram-webhook.js';

/**
 * The HTTP application: agent, capture and owner APIs, the OpenAPI document at
 * `/openapi.json` and its reference page at `/docs`.
 *
 * @example
 * const app = createApp(services);
 * const res = await app.request('/healthz');
 */
export function createApp(services: ServerServices) {
  const app = createRouter();

  // Headers are read from Node's parsed request, not through WHATWG Headers (node-request.ts).
  app.use('*', readHeadersFromNode);
  // The request ID, security headers and `Cache-Control: no-store` under /api/, all set before
  // the handler answers (see response-headers.ts for why that order matters).
  app.use('*', responseHeaders());
  app.use('*', accessLog(services.logger));
  if (services.metrics) app.use('*', httpMetrics(services.metrics.collector));
  app.use('/api/*', refuseWhileShuttingDown(services.shutdownSignal));
  // SMS providers post forms (Twilio, forwarders); each SMS route checks the type it takes.
  app.use('/api/*', (c, next) => (c.req.path.startsWith('/api/v1/sms/') ? next() : requireJsonBody(c, next)));
  // Body limits are declared per route (declare-route.ts: 64 KiB unless the route says more).

  // No credential middleware by path: each route declares the credential it takes
  // (declare-route.ts), and a route registered without a declaration stops start-up below.
  registerCreateOtp(app, services);
  registerGetOtp(app, services);
  registerOtpEvents(app, services);
  registerConsumeOtp(app, services);
  registerCancelOtp(app, services);
  registerRequestPermission(app, services);
  registerGetPermission(app, services);
  registerUsePermission(app, services);
  registerListCaptureRequests(app, services);
  registerDeliver(app, services);
  registerCaptureMessage(app, services);
  registerHoldMessage(app, services);
  registerReportUnclear(app, services);
  registerOwnerRequests(app, services);
  registerOwnerAgents(app, services);
  registerOwnerSources(app, services);
  // Before the mailbox routes, which would otherwise take `presets` for a mailbox ID.
  registerOwnerMailboxPresets(app, services);
  registerOwnerGmailConnect(app, services);
  registerOwnerAudit(app, services);
  registerOwnerActivity(app, services);
  registerOwnerCapture(app, services);
  registerOwnerHeldMessages(app, services);
  registerOwnerPolicies(app, services);
  registerOwnerRiskRules(app, services);
  // The event stream before `/approvals/{id}`, which would otherwise take `events` for an ID.
  registerApprovalEvents(app, services);
  registerOwnerApprovals(app, services);
  registerApprovalStepUp(app, services);
  registerOwnerTelegramSettings(app, services);
  registerOwnerPushSubscriptions(app, services);
  registerOwnerWebhooks(app, services);
  registerOwnerMailboxes(app, services);
  registerSession(app, services);
  registerPasskeySignIn(app, services);
  registerAccountPasskeys(app, services);
  registerAccountSecurity(app, services);
  registerSetup(app, services);
  registerTelegramWebhook(app, services);
  registerEmailDecision(app, services);
  registerSmsWebhooks(app, services);
  registerHealth(app, services);
  // Opt-in (METRICS_ENABLED); without it `/metrics` is a reserved path, so a JSON 404.
  if (services.metrics) registerMetrics(app, services, services.metrics.collector, services.metrics.token);
  registerDocs(app, services);
  registerSecuritySchemes(app);
  plainRoute(app, services, { method: 'get', path: '/openapi.json', credential: 'public' }, (c) =>
    c.json(openApiDocument(app)),
  );
  assertEveryRouteDeclared(app);

  // The dashboard answers page paths no route claimed, so it can never shadow an API route.
  // It is public (static files and the app shell; every API call it makes is a declared route).
  // The guide (`/guide`, built docs) is public static files too; the dashboard never answers there.
  const dashboard = dashboardHandler(services);
  const guide = guideHandler(services);
  app.notFound(async (c) => {
    const page = (await guide(c)) ?? (await dashboard(c));
    if (!page) return errorResponse(c, 'NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`);
    markStaticFile(c);
    return page;
  });
  app.onError(createErrorHandler(services.logger));
  return app;
}

export type App = ReturnType<typeof createApp>;
