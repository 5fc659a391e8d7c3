import { approvalUrl, type DecisionSubject, decideRequest, getDecisionSubject } from '@agent-otp/core';
import { findOwner } from '@agent-otp/db';
import { AppError } from '@agent-otp/shared';
import type { Context } from 'hono';
import { plainRoute } from '../../declare-route.js';
import { needsDashboard } from '../../email-notifications/decision-facts.js';
import {
  type DecisionLink,
  decisionLinkKey,
  verifyDecisionLink,
} from '../../email-notifications/decision-link-token.js';
import { confirmationPage, messagePage } from '../../email-notifications/decision-page.js';
import type { AppEnv, ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';

/** A form with one token field; anything bigger is not ours. */
const MAX_FORM_BYTES = 2048;

type PageResponse = { html: string; status: 200 | 400 | 403 | 404 | 409 | 410 };

/**
 * The pages behind notification email links (issue 15). `GET /email-decision/<token>` only
 * shows the facts and a button; `POST /email-decision` with the token in the form body
 * decides, through the same core function as the dashboard, with actor channel `email`.
 * The token is the credential (no cookie is involved, so there is no session to ride);
 * a POST from another site's page is still refused by its Origin / Sec-Fetch-Site.
 */
export function registerEmailDecision(app: Router, services: ServerServices): void {
  const { ctx } = services;
  const key = decisionLinkKey(ctx.auditKey.secret);
  const publicOrigin = new URL(ctx.publicUrl).origin;
  const dashboardLink = (id: string) => ({ href: approvalUrl(ctx, id), label: 'Open it in the dashboard' });

  /** The request a token may act on now, or the page that says why it may not. */
  async function resolve(
    token: string,
  ): Promise<{ link: DecisionLink; subject: DecisionSubject } | PageResponse> {
    const check = verifyDecisionLink(key, token, ctx.clock.now());
    if (!check.ok) {
      if (check.reason === 'expired')
        return {
          status: 410,
          html: messagePage(
            'This link has expired',
            'Links in notification emails work until their request expires.',
            check.link ? dashboardLink(check.link.requestId) : undefined,
          ),
        };
      return {
        status: 404,
        html: messagePage(
          'This link is not valid',
          'Check that the whole link was copied, or decide in the dashboard.',
        ),
      };
    }
    const subject = await getDecisionSubject(ctx, check.link.ownerId, check.link.requestId);
    if (!subject)
      return { status: 404, html: messagePage('This request no longer exists', 'Nothing was changed.') };
    if (!subject.pending) return alreadyDecided(subject);
    if (needsDashboard(subject))
      return {
        status: 403,
        html: messagePage(
          'Decide this request in the dashboard',
          'It is high risk, so email links cannot decide it.',
          dashboardLink(subject.id),
        ),
      };
    return { link: check.link, subject };
  }

  function alreadyDecided(subject: DecisionSubject): PageResponse {
    const outcome = subject.decision
      ? `${subject.decision.outcome} (${subject.decision.channel})`
      : subject.status.replaceAll('_', ' ');
    return {
      status: 409,
      html: messagePage(
        'This request is no longer waiting',
        `It is ${outcome}; this link cannot change it.`,
        dashboardLink(subject.id),
      ),
    };
  }

  const send = (c: Context<AppEnv>, page: PageResponse) => {
    c.header('Cache-Control', 'no-store');
    return c.html(page.html, page.status);
  };

  plainRoute(
    app,
    services,
    { method: 'get', path: '/email-decision/:token', credential: 'public' },
    async (c) => {
      const token = c.req.param('token') ?? '';
      const resolved = await resolve(token);
      if ('html' in resolved) return send(c, resolved);
      return send(c, { status: 200, html: confirmationPage(resolved.subject, resolved.link.outcome, token) });
    },
  );

  plainRoute(
    app,
    services,
    { method: 'post', path: '/email-decision', credential: 'public', maxBodyBytes: MAX_FORM_BYTES },
    async (c) => {
      const origin = c.req.header('origin');
      const site = c.req.header('sec-fetch-site');
      if (
        (origin !== undefined && origin !== publicOrigin && origin !== new URL(c.req.url).origin) ||
        site === 'cross-site'
      )
        return send(c, {
          status: 403,
          html: messagePage('Refused', 'This form can only be sent from its own page.'),
        });
      const type = c.req.header('content-type') ?? '';
      if (!type.startsWith('application/x-www-form-urlencoded'))
        return send(c, {
          status: 400,
          html: messagePage('Bad request', 'token: send the confirmation form.'),
        });
      const form = await c.req.parseBody();
      const token = form.token;
      if (typeof token !== 'string' || token.length === 0)
        return send(c, { status: 400, html: messagePage('Bad request', 'token: missing from the form.') });
      const resolved = await resolve(token);
      if ('html' in resolved) return send(c, resolved);
      const { link } = resolved;
      const owner = await findOwner(ctx.database.db, link.ownerId);
      if (!owner)
        return send(c, {
          status: 404,
          html: messagePage('This link is not valid', 'Its owner no longer exists.'),
        });
      try {
        await decideRequest(ctx, {
          id: link.requestId,
          ownerId: link.ownerId,
          outcome: link.outcome,
          actor: { type: 'owner', id: owner.id, label: owner.email, channel: 'email' },
        });
      } catch (error) {
        // Decided on another channel (or expired) between the check and now: the first decision won.
        if (!(error instanceof AppError)) throw error;
        const now = await getDecisionSubject(ctx, link.ownerId, link.requestId);
        if (now && !now.pending) return send(c, alreadyDecided(now));
        throw error;
      }
      services.logger.info(
        { requestId: link.requestId, outcome: link.outcome },
        'email: owner decided through a link',
      );
      return send(
        c,
        link.outcome === 'approved'
          ? {
              status: 200,
              html: messagePage('Approved', 'The agent can go on.', dashboardLink(link.requestId)),
            }
          : {
              status: 200,
              html: messagePage('Denied', 'The agent has been told.', dashboardLink(link.requestId)),
            },
      );
    },
  );
}
