import type { Activity, ActivityQuery } from '@agent-otp/shared';
import { api } from './api.js';

// The activity operation (issue 15), typed by its route's schemas like the rest in
// operations.ts (types only: no zod in the bundle).

/** A query string whose names are the activity query's, so a renamed parameter fails to compile. */
export type ActivityQueryText = { [K in keyof ActivityQuery]?: string };

/**
 * The owner's activity, named by its operationId.
 *
 * @example
 * const activity = await activityOperations.getOwnerActivity({ days: '14' });
 */
export const activityOperations = {
  getOwnerActivity: (query: ActivityQueryText) => {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
    const text = params.toString();
    return api(text ? `/activity?${text}` : '/activity') as Promise<Activity>;
  },
};
