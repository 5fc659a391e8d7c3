"""Authenticated JSON calls to the relay with error mapping and per-call retry policy,
for the sync and the async client (mirrors transport.ts)."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from typing import Any, Callable, Optional, TypeVar, Union

import httpx

from . import __version__
from ._error_mapping import error_from_response, parse_retry_after
from ._retry import (
    RetryPolicy,
    backoff_delay,
    failed_before_sending,
    should_retry_status,
)
from .errors import AgentOTPError, NetworkError, RateLimitError, ServerError

T = TypeVar("T")
Parse = Callable[[Any], T]


@dataclass
class _Outcome:
    value: Any = None
    error: Optional[AgentOTPError] = None
    retryable: bool = False
    retry_after: Optional[float] = None


@dataclass(frozen=True)
class TransportConfig:
    base_url: str
    api_key: str
    max_retries: int
    #: Longest one attempt may take, on top of any long-poll wait it asked the relay for.
    timeout: float

    def __repr__(self) -> str:  # never print the API key
        return f"TransportConfig(base_url={self.base_url!r}, max_retries={self.max_retries})"


def _headers(config: TransportConfig, has_body: bool) -> dict:
    headers = {
        "authorization": f"Bearer {config.api_key}",
        "accept": "application/json",
        "user-agent": f"agent-otp-python/{__version__}",
    }
    if has_body:
        headers["content-type"] = "application/json"
    return headers


def _failure(
    config: TransportConfig, method: str, path: str, policy: RetryPolicy, error: Exception, timeout: float
) -> _Outcome:
    timed_out = isinstance(error, httpx.TimeoutException) and not isinstance(error, httpx.ConnectTimeout)
    if timed_out:
        failure = NetworkError(f"{method} {path} got no answer within {timeout:g} s", code="TIMEOUT")
    else:
        failure = NetworkError(f"could not reach {config.base_url}: {type(error).__name__}: {error}")
    failure.__cause__ = error
    return _Outcome(
        error=failure,
        retryable=policy == "idempotent" or (not timed_out and failed_before_sending(error)),
    )


def _answer(response: httpx.Response, policy: RetryPolicy, parse: Parse[Any]) -> _Outcome:
    if not response.is_success:
        error = error_from_response(response)
        retry_after = (
            error.retry_after
            if isinstance(error, RateLimitError)
            else parse_retry_after(response.headers.get("retry-after"))
        )
        return _Outcome(
            error=error, retryable=should_retry_status(response.status_code, policy), retry_after=retry_after
        )
    request_id = response.headers.get("x-request-id")
    try:
        body = json.loads(response.content.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as cause:
        # The relay already acted; a repeat of a create or consume could not help: never retried.
        error = ServerError(
            f"the server answered {response.status_code} with a body that is not JSON",
            code="INVALID_RESPONSE",
            status=response.status_code,
            request_id=request_id,
        )
        error.__cause__ = cause
        return _Outcome(error=error)
    try:
        return _Outcome(value=parse(body))
    except ServerError as error:
        error.status, error.request_id = response.status_code, request_id
        return _Outcome(error=error)


def _next_delay(outcome: _Outcome, attempt: int, max_retries: int, budget_end: float) -> float:
    """Seconds to sleep before the next attempt, or raises the attempt's error. Only the
    relay's own pause (``Retry-After``) is held against the caller's budget: sitting out a
    minute for a call that must answer in thirty seconds only delays the same failure."""
    assert outcome.error is not None
    if not outcome.retryable or attempt >= max_retries:
        raise outcome.error
    delay = backoff_delay(attempt, outcome.retry_after)
    if outcome.retry_after is not None and time.monotonic() + delay > budget_end:
        raise outcome.error
    return delay


class SyncTransport:
    def __init__(self, config: TransportConfig, http: Optional[httpx.Client] = None) -> None:
        self.config = config
        self._http = http or httpx.Client()

    def close(self) -> None:
        self._http.close()

    def send(
        self,
        method: str,
        path: str,
        parse: Parse[T],
        *,
        policy: RetryPolicy,
        body: Any = None,
        wait_seconds: int = 0,
        deadline: Optional[float] = None,
    ) -> T:
        # The caller's time budget: a wait's deadline, else one attempt's timeout.
        budget_end = deadline if deadline is not None else time.monotonic() + self.config.timeout
        for attempt in range(self.config.max_retries + 1):
            outcome = self._attempt(method, path, parse, policy, body, wait_seconds)
            if outcome.error is None:
                return outcome.value  # type: ignore[no-any-return]
            time.sleep(_next_delay(outcome, attempt, self.config.max_retries, budget_end))
        raise AssertionError("unreachable")

    def _attempt(
        self, method: str, path: str, parse: Parse[Any], policy: RetryPolicy, body: Any, wait_seconds: int
    ) -> _Outcome:
        timeout = self.config.timeout + wait_seconds
        try:
            response = self._http.request(
                method,
                f"{self.config.base_url}{path}",
                headers=_headers(self.config, body is not None),
                content=None if body is None else json.dumps(body).encode("utf-8"),
                timeout=timeout,
            )
        except httpx.TransportError as error:
            return _failure(self.config, method, path, policy, error, timeout)
        return _answer(response, policy, parse)


class AsyncTransport:
    def __init__(self, config: TransportConfig, http: Optional[httpx.AsyncClient] = None) -> None:
        self.config = config
        self._http = http or httpx.AsyncClient()

    async def close(self) -> None:
        await self._http.aclose()

    async def send(
        self,
        method: str,
        path: str,
        parse: Parse[T],
        *,
        policy: RetryPolicy,
        body: Any = None,
        wait_seconds: int = 0,
        deadline: Optional[float] = None,
    ) -> T:
        budget_end = deadline if deadline is not None else time.monotonic() + self.config.timeout
        for attempt in range(self.config.max_retries + 1):
            outcome = await self._attempt(method, path, parse, policy, body, wait_seconds)
            if outcome.error is None:
                return outcome.value  # type: ignore[no-any-return]
            await asyncio.sleep(_next_delay(outcome, attempt, self.config.max_retries, budget_end))
        raise AssertionError("unreachable")

    async def _attempt(
        self, method: str, path: str, parse: Parse[Any], policy: RetryPolicy, body: Any, wait_seconds: int
    ) -> _Outcome:
        timeout = self.config.timeout + wait_seconds
        try:
            response = await self._http.request(
                method,
                f"{self.config.base_url}{path}",
                headers=_headers(self.config, body is not None),
                content=None if body is None else json.dumps(body).encode("utf-8"),
                timeout=timeout,
            )
        except httpx.TransportError as error:
            return _failure(self.config, method, path, policy, error, timeout)
        return _answer(response, policy, parse)


Transport = Union[SyncTransport, AsyncTransport]
