import { sql } from 'kysely';
import type { ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';

/** `/healthz`: 200 when the database answers, 503 otherwise or while shutting down. */
export function registerHealth(app: Router, services: ServerServices) {
  app.get('/healthz', async (c) => {
    if (services.shutdownSignal.aborted) return c.json({ status: 'shutting_down' }, 503);
    try {
      await sql`select 1`.execute(services.ctx.database.db);
      return c.json({ status: 'ok', database: services.ctx.database.dialect }, 200);
    } catch {
      return c.json({ status: 'database_unavailable' }, 503);
    }
  });
}
