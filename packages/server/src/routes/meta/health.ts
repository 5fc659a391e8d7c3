import { checkDatabase } from '@agent-otp/db';
import { plainRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import { noStore } from '../../middleware/response-headers.js';
import type { Router } from '../../openapi-app.js';

/**
 * `/healthz`: liveness only. 200 while this process serves HTTP, 503 once it is shutting
 * down; it never queries the database, so an orchestrator does not restart a healthy relay
 * because PostgreSQL restarted (a restart would not fix that).
 * `/readyz`: whether this instance can do its whole job right now: the database answers and
 * every configured connector (IMAP, Gmail, Telegram) is serving; 503 names what is not.
 */
export function registerHealth(app: Router, services: ServerServices) {
  plainRoute(app, services, { method: 'get', path: '/healthz', credential: 'public' }, (c) => {
    noStore(c);
    if (services.shutdownSignal.aborted) return c.json({ status: 'shutting_down' }, 503);
    return c.json({ status: 'ok' }, 200);
  });

  plainRoute(app, services, { method: 'get', path: '/readyz', credential: 'public' }, async (c) => {
    const health = await checkDatabase(services.ctx.database);
    const connectors = Object.fromEntries(services.connectors.all());
    const notReady = [
      ...(services.shutdownSignal.aborted ? ['shutting_down'] : []),
      ...(health.ok ? [] : ['database']),
      ...services.connectors.notReady().map(({ name }) => name),
    ];
    const body = {
      status: notReady.length === 0 ? 'ready' : 'not_ready',
      database: health.ok ? 'ok' : health.reason,
      connectors,
      ...(notReady.length === 0 ? {} : { notReady }),
    };
    noStore(c);
    return c.json(body, notReady.length === 0 ? 200 : 503);
  });
}
