/**
 * `@agent-otp/core/pending-decisions`: the owner lookup and the pending-decision list behind
 * `agent-otp pending`, without the rest of core (capture, extraction, webhooks, policies), so
 * the command starts quickly (issue 17, issue 18). The same functions as the package root.
 */
export { type DecisionSubject, listPendingDecisions } from './approvals/decisions.js';
export { ensureDefaultOwner, findOwnerByEmail, type Owner } from './owners/owners.js';
export { riskLine } from './risk/risk-line.js';
