import type { CaptureSourceKind } from '@agent-otp/shared';
import { contentMatches, senderIdentity, senderMatches } from './sender.js';
import { senderTier, senderTierRank } from './sender-specificity.js';

/** One incoming message, as a capture path sees it before extraction. */
export interface IncomingMessage {
  source: CaptureSourceKind;
  from: string;
  subject?: string | undefined;
  text?: string | undefined;
  html?: string | undefined;
  receivedAt: Date;
}

/** The parts of an open request that matching needs (as capture sources receive them). */
export interface MatchableRequest {
  id: string;
  /** Requests of different agents that match equally well are never decided by the relay. */
  agentId: string;
  sources: readonly CaptureSourceKind[];
  senderPattern: string | null;
  contentPattern: string | null;
  createdAt: string;
  /** Messages received before this instant cannot serve the request (creation − look-back). */
  notBefore: string;
  expiresAt: string;
}

/** The visible text of a message for content patterns (subject, text, or HTML stripped). */
export type TextOf = (message: IncomingMessage) => string;

/**
 * Where one message should go.
 *
 * - `deliver`: the best-matching requests all belong to one agent. `ranked` lists them oldest
 *   first, then every less specific match (most specific tier first, oldest first within a
 *   tier), so a caller whose first choice cannot take the code can try the next.
 * - `ambiguous`: requests of two or more agents match equally well (listed oldest first); the
 *   owner decides. `fallback` are the less specific matches, for when none of them can take it.
 * - `none`: nothing matches.
 */
export type RoutingDecision<R> =
  | { kind: 'deliver'; ranked: R[] }
  | { kind: 'ambiguous'; requests: R[]; fallback: R[] }
  | { kind: 'none' };

const byAge = (a: MatchableRequest, b: MatchableRequest) =>
  a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);

/**
 * Whether one request accepts this message: source kind, time window, sender pattern (on
 * the parsed address) and content pattern.
 *
 * @example
 * requestMatchesMessage(request, message, visibleTextOf); // true
 */
export function requestMatchesMessage(
  request: MatchableRequest,
  message: IncomingMessage,
  textOf: TextOf,
): boolean {
  const identity = senderIdentity(message.source, message.from);
  return identity !== null && matchesParsedMessage(request, message, identity, textOf);
}

/** {@link requestMatchesMessage} with the sender already parsed (once per message, not per request). */
function matchesParsedMessage(
  request: MatchableRequest,
  message: IncomingMessage,
  identity: string,
  textOf: TextOf,
): boolean {
  const receivedAt = message.receivedAt.toISOString();
  if (!request.sources.includes(message.source)) return false;
  if (receivedAt < request.notBefore || receivedAt > request.expiresAt) return false;
  if (!senderMatches(request.senderPattern, identity)) return false;
  return !request.contentPattern || contentMatches(request.contentPattern, textOf(message));
}

/**
 * `textOf` computed at most once: a capture path that routes one message several times
 * (after a candidate could not take it) reads its HTML once.
 *
 * @example
 * const textOf = textOnce(visibleTextOf);
 */
export function textOnce(textOf: TextOf): TextOf {
  let text: string | undefined;
  return (message) => {
    text ??= textOf(message);
    return text;
  };
}

/**
 * Decides which request a message serves: the most specific matching request (exact sender,
 * then domain glob, then subdomain glob, then any other glob, then "any sender"); among
 * requests of one agent in that tier, the oldest. When the best tier holds requests of
 * different agents the decision is `ambiguous`: the relay does not guess. Shared by every
 * capture path (server-side, email connector, phone app).
 *
 * @example
 * const decision = routeMessage(openRequests, message, visibleTextOf);
 * if (decision.kind === 'deliver') await deliver(decision.ranked[0]);
 */
export function routeMessage<R extends MatchableRequest>(
  requests: readonly R[],
  message: IncomingMessage,
  textOf: TextOf,
): RoutingDecision<R> {
  const identity = senderIdentity(message.source, message.from);
  if (identity === null) return { kind: 'none' };
  const cachedText = textOnce(textOf);
  const matching = requests
    .filter((request) => matchesParsedMessage(request, message, identity, cachedText))
    .map((request) => ({ request, rank: senderTierRank(senderTier(request.senderPattern)) }))
    .sort((a, b) => b.rank - a.rank || byAge(a.request, b.request));
  const best = matching[0];
  if (!best) return { kind: 'none' };
  const top = matching.filter((m) => m.rank === best.rank).map((m) => m.request);
  const rest = matching.filter((m) => m.rank !== best.rank).map((m) => m.request);
  if (new Set(top.map((request) => request.agentId)).size > 1)
    return { kind: 'ambiguous', requests: top, fallback: rest };
  return { kind: 'deliver', ranked: [...top, ...rest] };
}
