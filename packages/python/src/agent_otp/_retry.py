"""When to try a request again (mirrors retry.ts).

- ``idempotent`` (status reads, long-polls, cancel, verify): repeating cannot lose anything,
  so network failures, timeouts, 429 and 5xx are retried.
- ``at-most-once`` (create, consume, use): once the request may have reached the relay, a
  repeat could create a second request or find a code already handed to a lost response.
  Retried only when the relay certainly did not act: 429 and 503, and connection failures
  before a byte was sent.
"""

from __future__ import annotations

import random
from typing import Literal, Optional

import httpx

RetryPolicy = Literal["idempotent", "at-most-once"]

_RETRYABLE_IDEMPOTENT = frozenset({429, 500, 502, 503, 504})
_RETRYABLE_AT_MOST_ONCE = frozenset({429, 503})
_BASE_DELAY = 0.25
_MAX_DELAY = 8.0


def should_retry_status(status: int, policy: RetryPolicy) -> bool:
    return status in (_RETRYABLE_IDEMPOTENT if policy == "idempotent" else _RETRYABLE_AT_MOST_ONCE)


def failed_before_sending(error: Exception) -> bool:
    """Whether an httpx failure certainly happened before the request was sent: the
    connection was refused, the name did not resolve, or connecting timed out."""
    return isinstance(error, (httpx.ConnectError, httpx.ConnectTimeout))


def backoff_delay(attempt: int, retry_after: Optional[float] = None) -> float:
    """Seconds before retry ``attempt`` (0-based): the relay's ``Retry-After`` when it gave
    one, else exponential with jitter in the upper half."""
    if retry_after is not None:
        return max(0.0, retry_after)
    ceiling = min(_MAX_DELAY, _BASE_DELAY * 2**attempt)
    return ceiling / 2 + random.random() * (ceiling / 2)
