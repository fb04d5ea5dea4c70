"""Hooks for test/gateway/schemathesis.test.ts (loaded through SCHEMATHESIS_HOOKS)."""
import hashlib
import json
import re

import schemathesis

KEY = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    """
    Ties a generated Idempotency-Key to the body it is sent with. Drawn from the key's pattern, the
    same short key ("0") comes with different bodies, which the gateway rightly refuses with 422
    idempotency_conflict (GatewayServer.test.ts covers that answer). Keyed by the body as well, a
    repeat is still a repeat (200), and a schema-valid order is only refused for what it says.
    Keys that break the pattern are left as they are: those are the negative cases.
    """
    headers = case.headers or {}
    for name, value in headers.items():
        if name.lower() == "idempotency-key" and isinstance(value, str) and KEY.fullmatch(value):
            digest = hashlib.sha256(json.dumps(case.body, sort_keys=True, default=str).encode()).hexdigest()[:16]
            headers[name] = f"{value[:111]}-{digest}"
