"""The synchronous client: request a verification code, wait for it, read it once."""

from __future__ import annotations

import time
from typing import Any, Callable, Dict, Mapping, Optional, Union

import httpx
from cryptography.hazmat.primitives.asymmetric import rsa

from . import _calls as calls
from ._transport import SyncTransport
from .crypto import open_otp_payload
from .errors import AgentOTPError, OTPCancelledError, RateLimitError
from .models import (
    OTPConsumeResult,
    OTPRequest,
    PendingApprovalInfo,
    PermissionRequest,
    UseTokenResult,
    VerifyTokenResult,
)

OnPendingApproval = Callable[[PendingApprovalInfo], Any]


class AgentOTPClient:
    """The Agent OTP client (synchronous; see :class:`AsyncAgentOTPClient` for asyncio).

    Retries: status reads, long-polls, cancel and verify are retried on network errors,
    timeouts, 429 and 5xx (exponential backoff with jitter, ``Retry-After`` honoured).
    ``request_otp`` (create), ``consume_otp``, ``request_permission`` and ``use_token`` are
    retried only when the relay certainly did not act (429, 503, or a connection that failed
    before sending): a consume whose answer was lost must not be repeated, because the relay
    erased the code when it sent it.

    ``api_key`` defaults to ``AGENT_OTP_API_KEY``; ``base_url`` to ``AGENT_OTP_URL``, else
    ``http://localhost:8787``. ``timeout`` is the longest one HTTP attempt may take (seconds),
    on top of any long-poll wait.
    """

    def __init__(
        self,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        *,
        max_retries: int = calls.DEFAULT_MAX_RETRIES,
        timeout: float = calls.DEFAULT_TIMEOUT_SECONDS,
        http_client: Optional[httpx.Client] = None,
    ) -> None:
        config = calls.transport_config(api_key, base_url, max_retries, timeout)
        self.base_url = config.base_url
        self._transport = SyncTransport(config, http_client)

    def __repr__(self) -> str:
        return f"AgentOTPClient(base_url={self.base_url!r})"

    def close(self) -> None:
        """Closes the connection pool."""
        self._transport.close()

    def __enter__(self) -> "AgentOTPClient":
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()

    def request_otp(
        self,
        reason: str,
        public_key: Union[str, rsa.RSAPublicKey, Mapping[str, Any]],
        *,
        expected_sender: Optional[str] = None,
        filter: Optional[Mapping[str, Any]] = None,
        ttl: Optional[int] = None,
        webhook_url: Optional[str] = None,
        wait_for_otp: bool = False,
        timeout: Optional[float] = None,
        on_pending_approval: Optional[OnPendingApproval] = None,
    ) -> OTPRequest:
        """Asks the owner for one verification code. Returns the created request at once, or
        with ``wait_for_otp=True`` waits (long-poll, up to ``timeout`` seconds, default 120)
        and returns it with status ``otp_received``, ``denied``, ``expired`` or ``cancelled``,
        or on timeout the last status seen. Denied and expired are results, not errors.

        ``filter`` is a dict: ``sources`` (``["sms", "email"]``), ``sender_pattern``,
        ``content_pattern``. ``webhook_url``: the relay also POSTs each status change there,
        signed with the agent's webhook secret (check it with :func:`verify_webhook_signature`).
        """
        calls.check_timeout(timeout)
        body = calls.create_otp_body(reason, public_key, expected_sender, filter, ttl, webhook_url)
        created = self._transport.send("POST", "/api/v1/otp", calls.parse_otp_request, policy="at-most-once", body=body)
        if wait_for_otp:
            return self._wait(created.id, timeout, on_pending_approval, created)
        if on_pending_approval and created.status == "pending_approval":
            on_pending_approval(calls.otp_pending_info(created))
        return created

    def get_otp_status(self, request_id: str, wait: int = 0, *, _deadline: Optional[float] = None) -> OTPRequest:
        """Reads a request's status. With ``wait`` (seconds, ≤ 60) the relay holds the call
        until the status changes, the code arrives, or ``wait`` passes (long-poll)."""
        calls.check_wait(wait)
        path = calls.otp_path(request_id, f"?wait={wait}" if wait > 0 else "")
        return self._transport.send(
            "GET", path, calls.parse_otp_request, policy="idempotent", wait_seconds=wait, deadline=_deadline
        )

    def wait_for_otp(
        self,
        request_id: str,
        timeout: Optional[float] = None,
        on_pending_approval: Optional[OnPendingApproval] = None,
    ) -> OTPRequest:
        """Waits (long-poll in chunks of ≤ 30 s) until the request has a code or has ended;
        on timeout (default 120 s) returns the last status seen."""
        calls.otp_path(request_id)
        calls.check_timeout(timeout)
        return self._wait(request_id, timeout, on_pending_approval, None)

    def consume_otp(self, request_id: str, private_key: rsa.RSAPrivateKey) -> OTPConsumeResult:
        """Takes the code (once: the relay erases it as it hands it out) and decrypts it
        locally. A payload made for another request raises :class:`DecryptionError`. Never
        retried once the call may have reached the relay."""
        path = calls.otp_path(request_id, "/consume")
        calls.check_decryption_key(private_key)
        consumed = self._transport.send("POST", path, calls.parse_consume, policy="at-most-once")
        return open_otp_payload(consumed.encrypted_payload, private_key, request_id)

    def cancel_otp_request(self, request_id: str) -> None:
        """Cancels an open request; any code it held is erased. Cancelling an already
        cancelled request succeeds; a consumed, denied or expired one raises."""
        try:
            self._transport.send("DELETE", calls.otp_path(request_id), calls.parse_otp_request, policy="idempotent")
        except OTPCancelledError:
            # A retried cancel may find its own first attempt already succeeded.
            return

    def request_permission(
        self,
        action: str,
        resource: str,
        *,
        scope: Optional[Mapping[str, Any]] = None,
        context: Optional[Mapping[str, Any]] = None,
        ttl: Optional[int] = None,
        webhook_url: Optional[str] = None,
        wait_for_approval: bool = False,
        timeout: Optional[float] = None,
        on_pending_approval: Optional[OnPendingApproval] = None,
    ) -> PermissionRequest:
        """Asks for a one-time permission. Policies may decide at once; otherwise the owner
        decides, and with ``wait_for_approval=True`` the call waits (long-poll) until they do
        or the request expires (or ``timeout`` seconds pass). The token appears in exactly
        one result: keep it."""
        calls.check_timeout(timeout)
        body = calls.create_permission_body(action, resource, scope, context, ttl, webhook_url)
        created = self._transport.send(
            "POST", "/api/v1/permissions/request", calls.parse_permission, policy="at-most-once", body=body
        )
        if created.status == "pending_approval" and on_pending_approval:
            on_pending_approval(calls.permission_pending_info(created))
        if not wait_for_approval:
            return created
        deadline = calls.permission_deadline(created, timeout)
        last = created
        while last.status == "pending_approval":
            if time.monotonic() >= deadline:
                return last
            try:
                last = self.get_permission(last.id, calls.permission_chunk(last, deadline), _deadline=deadline)
            except RateLimitError as error:
                if time.monotonic() + error.retry_after >= deadline:
                    raise
                time.sleep(error.retry_after)
            except AgentOTPError:
                if time.monotonic() >= deadline:
                    return last
                raise
        return last

    def get_permission(self, request_id: str, wait: int = 0, *, _deadline: Optional[float] = None) -> PermissionRequest:
        """Reads a permission request; ``wait`` (seconds, ≤ 60) long-polls for the decision.
        The first read after approval carries the token."""
        calls.check_wait(wait)
        path = calls.permission_path(request_id, f"?wait={wait}" if wait > 0 else "")
        return self._transport.send(
            "GET", path, calls.parse_permission, policy="idempotent", wait_seconds=wait, deadline=_deadline
        )

    def cancel_permission(self, request_id: str) -> None:
        """Withdraws a permission request: a pending one is never decided, an approved one
        loses its token and every use left. Cancelling an already cancelled request succeeds;
        a denied, expired or spent one raises."""
        try:
            self._transport.send(
                "DELETE", calls.permission_path(request_id), calls.parse_permission, policy="idempotent"
            )
        except OTPCancelledError:
            # A retried cancel may find its own first attempt already succeeded.
            return

    def verify_token(self, request_id: str, token: Optional[str]) -> VerifyTokenResult:
        """Checks a permission token without spending it."""
        body = {"token": calls.check_token(token)}
        return self._transport.send(
            "POST", calls.permission_path(request_id, "/verify"), calls.parse_verify, policy="idempotent", body=body
        )

    def use_token(
        self, request_id: str, token: Optional[str], action_details: Optional[Dict[str, Any]] = None
    ) -> UseTokenResult:
        """Spends one use of a permission token; ``action_details`` are checked against the
        granted scope (report every field it constrains) and kept in the audit log."""
        body: Dict[str, Any] = {"token": calls.check_token(token)}
        if action_details is not None:
            body["actionDetails"] = action_details
        return self._transport.send(
            "POST", calls.permission_path(request_id, "/use"), calls.parse_use, policy="at-most-once", body=body
        )

    def _wait(
        self,
        request_id: str,
        timeout: Optional[float],
        on_pending_approval: Optional[OnPendingApproval],
        initial: Optional[OTPRequest],
    ) -> OTPRequest:
        deadline = time.monotonic() + (calls.DEFAULT_WAIT_SECONDS if timeout is None else timeout)
        # The first read ignores the deadline: whatever the timeout, there is a status to return.
        last = initial or self.get_otp_status(request_id)
        notified = False
        while True:
            if not notified and on_pending_approval and last.status == "pending_approval":
                notified = True
                on_pending_approval(calls.otp_pending_info(last))
            if calls.is_settled(last) or time.monotonic() >= deadline:
                return last
            started = time.monotonic()
            try:
                current = self.get_otp_status(request_id, calls.next_chunk(deadline), _deadline=deadline)
            except RateLimitError as error:
                # Too many open waits on this key (or requests): honoured while it fits the wait.
                if time.monotonic() + error.retry_after >= deadline:
                    raise
                time.sleep(error.retry_after)
                continue
            except AgentOTPError:
                if time.monotonic() >= deadline:
                    return last
                raise
            time.sleep(calls.early_return_pause(started, last, current, deadline))
            last = current
