"""Agent OTP for Python: request one verification code or permission, decrypt it locally.

>>> from agent_otp import AgentOTPClient, generate_key_pair, export_public_key
"""

__version__ = "0.1.0"

from .async_client import AsyncAgentOTPClient
from .client import AgentOTPClient
from .crypto import (
    KeyPair,
    decrypt_otp_payload,
    export_private_key,
    export_public_key,
    generate_key_pair,
    import_private_key,
    key_fingerprint,
    open_otp_payload,
)
from .errors import (
    AgentOTPError,
    AuthenticationError,
    DecryptionError,
    NetworkError,
    OTPAlreadyConsumedError,
    OTPApprovalDeniedError,
    OTPCancelledError,
    OTPExpiredError,
    OTPNotFoundError,
    OTPNotReadyError,
    PermissionTokenError,
    RateLimitError,
    ScopeViolationError,
    ServerError,
    ValidationError,
    WebhookSignatureError,
)
from .models import (
    Decision,
    OTPConsumeResult,
    OTPFilter,
    OTPPayloadMetadata,
    OTPRequest,
    PendingApprovalInfo,
    PermissionRequest,
    UseTokenResult,
    VerifyTokenResult,
)
from .tool import AgentOTPTool, otp_tool
from .webhooks import verify_webhook_signature, webhook_signature

__all__ = [
    "AgentOTPClient",
    "AsyncAgentOTPClient",
    "AgentOTPTool",
    "otp_tool",
    "KeyPair",
    "generate_key_pair",
    "export_public_key",
    "export_private_key",
    "import_private_key",
    "key_fingerprint",
    "decrypt_otp_payload",
    "open_otp_payload",
    "verify_webhook_signature",
    "webhook_signature",
    "AgentOTPError",
    "AuthenticationError",
    "ValidationError",
    "RateLimitError",
    "OTPNotFoundError",
    "OTPExpiredError",
    "OTPAlreadyConsumedError",
    "OTPApprovalDeniedError",
    "OTPCancelledError",
    "OTPNotReadyError",
    "DecryptionError",
    "NetworkError",
    "ServerError",
    "PermissionTokenError",
    "ScopeViolationError",
    "WebhookSignatureError",
    "Decision",
    "OTPConsumeResult",
    "OTPFilter",
    "OTPPayloadMetadata",
    "OTPRequest",
    "PendingApprovalInfo",
    "PermissionRequest",
    "UseTokenResult",
    "VerifyTokenResult",
]
