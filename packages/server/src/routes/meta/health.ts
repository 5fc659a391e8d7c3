import { checkDatabase } from '@agent-otp/db';
import { plainRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';

/** `/healthz`: 200 when the database answers, 503 otherwise or while shutting down. */
export function registerHealth(app: Router, services: ServerServices) {
  plainRoute(app, services, { method: 'get', path: '/healthz', credential: 'public' }, async (c) => {
    if (services.shutdownSignal.aborted) return c.json({ status: 'shutting_down' }, 503);
    const health = await checkDatabase(services.ctx.database);
    if (!health.ok) return c.json({ status: 'database_unavailable' }, 503);
    return c.json({ status: 'ok', database: health.dialect }, 200);
  });
}
