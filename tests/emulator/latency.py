"""A latency model for the emulator: AWS's time, at a scale.

Moto answers every call at once and trusts every new role at once; AWS does
neither. With the model on (a scale > 0), this WSGI middleware in front of
moto makes the emulator keep AWS's time, multiplied by the scale (0.05 turns
a 2-minute deploy into 6 s), from the figures in aws_latency.json:

- every call takes its modelled time (moto's own time counts towards it);
- a role is refused, with AWS's own error, for a while after CreateRole or
  PutRolePolicy: by Lambda's CreateFunction ("cannot be assumed by Lambda")
  and CodeBuild's CreateProject ("not authorized to perform:
  sts:AssumeRole");
- S3 answers a new bucket's configuration calls (policy, CORS, public access
  block, encryption, tags, lifecycle) with OperationAborted for a moment
  after CreateBucket;
- S3 refuses a bucket notification to a function ("Unable to validate the
  following destination configurations") until the function's last
  AddPermission has propagated;
- a new function is Pending before Active, an updated one InProgress before
  Successful (GetFunction and GetFunctionConfiguration say so);
- a CodeBuild build spends each phase's time (build_phases below, used by
  moto_server.py's build simulator); a source zip that carries a prebuilt
  `bootstrap` only assembles an image, any other compiles the handler.

Off by default (scale 0): the test suite stays fast. `GET /_photosky/latency`
says the scale, `POST /_photosky/latency?scale=S` changes it at run time, and
`?provisioning=SECONDS` sets CodeBuild's PROVISIONING (AWS seconds; the
model's default is the fastest reported figure).
Propagation refusals are counted there too (`refusals`), so a benchmark can
say how many it met.
"""

import io
import json
import os
import re
import threading
import time
from urllib.parse import parse_qs

MODEL_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "aws_latency.json")


def _seconds(entry):
    return entry["seconds"] if isinstance(entry, dict) else entry


class Model:
    def __init__(self, path=MODEL_FILE, scale=0.0):
        with open(path) as f:
            self.data = json.load(f)
        # A test may model a slower propagation than the typical figure
        # (AWS documents "several minutes"): {"role_for_codebuild": 20}.
        for name, seconds in json.loads(os.environ.get("PHOTOSKY_LATENCY_WINDOWS") or "{}").items():
            self.data["propagation"][name] = {"seconds": seconds, "source": "set by the test"}
        self.scale = scale
        # CodeBuild's PROVISIONING in AWS seconds, when a benchmark asks
        # for one of the reported figures rather than the fastest.
        self.provisioning: float | None = None
        self.lock = threading.Lock()
        # When each role last changed, each function was last granted a
        # permission, created or updated: the clocks of the refusals.
        self.role_changed: dict[str, float] = {}
        self.permission_added: dict[str, float] = {}
        self.function_created: dict[str, float] = {}
        self.function_updated: dict[str, float] = {}
        self.bucket_created: dict[str, float] = {}
        self.refusals: dict[str, int] = {}

    @property
    def on(self) -> bool:
        return self.scale > 0

    def wait(self, seconds: float) -> float:
        """Real seconds for `seconds` of AWS time."""
        return seconds * self.scale

    def call_seconds(self, service: str, action: str) -> float:
        calls = self.data["calls"]
        for key in (f"{service} {action}", service, "default"):
            if key in calls:
                return _seconds(calls[key])
        return 0.0

    def window(self, name: str) -> float:
        return self.wait(_seconds(self.data["propagation"][name]))

    def lambda_window(self, name: str) -> float:
        return self.wait(_seconds(self.data["lambda"][name]))

    def build_phases(self, kind: str) -> list[tuple[str, float]]:
        """(phase, real seconds) in CodeBuild's order, for `compile` or `prebuilt`."""
        out = []
        for phase, entry in self.data["codebuild"]["phases"].items():
            s = entry["seconds"]
            if phase == "PROVISIONING" and self.provisioning is not None:
                s = self.provisioning
            out.append((phase, self.wait(s[kind] if isinstance(s, dict) else s)))
        return out

    def young(self, clock: dict[str, float], name: str, window: float) -> bool:
        with self.lock:
            at = clock.get(name)
        return at is not None and time.monotonic() - at < window

    def mark(self, clock: dict[str, float], name: str) -> None:
        with self.lock:
            clock[name] = time.monotonic()

    def refused(self, what: str) -> None:
        with self.lock:
            self.refusals[what] = self.refusals.get(what, 0) + 1


def _service(environ) -> str:
    # Credential=AKID/20261201/eu-west-1/iam/aws4_request
    m = re.search(r"Credential=[^/]+/[^/]+/[^/]+/([^/]+)/", environ.get("HTTP_AUTHORIZATION", ""))
    return m.group(1) if m else ""


def _json_error(code: str, message: str, status: str = "400 Bad Request"):
    body = json.dumps({"__type": code, "message": message}).encode()
    return status, [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-ErrorType", code)], body


def _s3_error(code: str, message: str, status: str = "400 Bad Request"):
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>'.encode()
    return status, [("Content-Type", "application/xml")], body


FUNCTION_PATH = re.compile(r"^/2015-03-31/functions/([^/]+)(/.*)?$")


def _action(service: str, environ, body: bytes) -> str:
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target:
        return target.rsplit(".", 1)[-1]
    if service in ("iam", "sts"):
        return (parse_qs(body.decode(errors="replace")).get("Action") or [""])[0]
    method, path, query = environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", "")
    if service == "lambda":
        if path.rstrip("/") == "/2015-03-31/functions" and method == "POST":
            return "CreateFunction"
        m = FUNCTION_PATH.match(path)
        if m:
            rest = m.group(2) or ""
            return {
                ("GET", ""): "GetFunction",
                ("GET", "/configuration"): "GetFunctionConfiguration",
                ("PUT", "/configuration"): "UpdateFunctionConfiguration",
                ("PUT", "/code"): "UpdateFunctionCode",
                ("POST", "/policy"): "AddPermission",
            }.get((method, rest), "")
    if service == "s3":
        parts = [p for p in path.split("/") if p]
        if method == "PUT" and len(parts) == 1 and "notification" in query:
            return "PutBucketNotificationConfiguration"
        if method == "PUT" and len(parts) == 1 and not query:
            return "CreateBucket"
        configs = ("policy", "cors", "publicAccessBlock", "encryption", "tagging", "lifecycle")
        if method == "PUT" and len(parts) == 1 and query.split("=")[0] in configs:
            return "PutBucketConfiguration"
    if service == "apigateway" and method == "POST" and path.endswith("/deployments"):
        return "CreateDeployment"
    if service == "apigateway" and method == "POST" and path.rstrip("/") == "/restapis":
        return "CreateRestApi"
    if service == "apigateway" and method == "POST" and re.fullmatch(r"/restapis/[^/]+/authorizers/?", path):
        return "CreateAuthorizer"
    if service == "apigateway" and method == "DELETE" and re.fullmatch(r"/restapis/[^/]+/?", path):
        return "DeleteRestApi"
    return ""


def forward(app, environ):
    """Call the WSGI `app`: (status, headers, body)."""
    captured = {}

    def capture(status, headers, exc_info=None):
        captured["status"], captured["headers"] = status, headers
        return lambda data: None

    result = app(environ, capture)
    try:
        payload = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return captured["status"], list(captured["headers"]), payload


def _role_name(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]


class Middleware:
    """The latency model in front of moto's WSGI application."""

    def __init__(self, app, model: Model):
        self.app = app
        self.model = model

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == "/_photosky/latency":
            return self.control(environ, start_response)
        if not self.model.on:
            return self.app(environ, start_response)
        started = time.monotonic()
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        service = _service(environ)
        action = _action(service, environ, body)
        answer = self.refusal(service, action, environ, body)
        if answer is None:
            answer = self.forward(environ)
            if answer[0].startswith("2"):
                self.observe(service, action, environ, body)
                answer = self.rewrite(action, environ, answer)
        status, headers, payload = answer
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(payload))))
        remaining = self.model.wait(self.model.call_seconds(service, action)) - (time.monotonic() - started)
        if remaining > 0:
            time.sleep(remaining)
        start_response(status, headers)
        return [payload]

    def control(self, environ, start_response):
        if environ["REQUEST_METHOD"] == "POST":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            if "scale" in query:
                self.model.scale = max(0.0, float(query["scale"][0]))
            if "provisioning" in query:
                self.model.provisioning = float(query["provisioning"][0])
        body = json.dumps({
            "scale": self.model.scale,
            "provisioning": self.model.provisioning,
            "refusals": self.model.refusals,
        }).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    def forward(self, environ):
        return forward(self.app, environ)

    def refusal(self, service, action, environ, body):
        m = self.model
        if service == "lambda" and action == "CreateFunction":
            role = _role_name(json.loads(body or b"{}").get("Role", ""))
            if m.young(m.role_changed, role, m.window("role_for_lambda")):
                m.refused("role_for_lambda")
                return _json_error(
                    "InvalidParameterValueException",
                    "The role defined for the function cannot be assumed by Lambda.",
                )
        if service == "codebuild" and action == "CreateProject":
            role_arn = json.loads(body or b"{}").get("serviceRole", "")
            if m.young(m.role_changed, _role_name(role_arn), m.window("role_for_codebuild")):
                m.refused("role_for_codebuild")
                return _json_error(
                    "InvalidInputException",
                    f"CodeBuild is not authorized to perform: sts:AssumeRole on {role_arn}",
                )
        if service == "s3" and action == "PutBucketConfiguration":
            bucket = environ.get("PATH_INFO", "").strip("/")
            if m.young(m.bucket_created, bucket, m.window("bucket_configuration")):
                m.refused("bucket_configuration")
                return _s3_error(
                    "OperationAborted",
                    "A conflicting conditional operation is currently in progress against this resource. Please try again.",
                    "409 Conflict",
                )
        if service == "s3" and action == "PutBucketNotificationConfiguration":
            for arn in re.findall(rb"<CloudFunction>([^<]+)</CloudFunction>", body):
                function = arn.decode().rsplit(":", 1)[-1]
                if m.young(m.permission_added, function, m.window("permission_for_s3")):
                    m.refused("permission_for_s3")
                    return _s3_error(
                        "InvalidArgument", "Unable to validate the following destination configurations"
                    )
        return None

    def observe(self, service, action, environ, body):
        m = self.model
        if service == "s3" and action == "CreateBucket":
            m.mark(m.bucket_created, environ.get("PATH_INFO", "").strip("/"))
        if service == "iam" and action in ("CreateRole", "PutRolePolicy"):
            role = (parse_qs(body.decode(errors="replace")).get("RoleName") or [""])[0]
            m.mark(m.role_changed, role)
        if service == "lambda":
            match = FUNCTION_PATH.match(environ.get("PATH_INFO", ""))
            name = match.group(1) if match else ""
            if action == "CreateFunction":
                m.mark(m.function_created, json.loads(body or b"{}").get("FunctionName", ""))
            elif action in ("UpdateFunctionCode", "UpdateFunctionConfiguration"):
                m.mark(m.function_updated, name)
            elif action == "AddPermission":
                m.mark(m.permission_added, name)

    def rewrite(self, action, environ, answer):
        """A function still being created or updated says so."""
        if action not in ("GetFunction", "GetFunctionConfiguration"):
            return answer
        status, headers, payload = answer
        m = self.model
        doc = json.loads(payload)
        config = doc.get("Configuration", doc) if action == "GetFunction" else doc
        name = config.get("FunctionName", "")
        if m.young(m.function_created, name, m.lambda_window("pending_after_create")):
            config.update(State="Pending", StateReason="The function is being created.", StateReasonCode="Creating")
        elif m.young(m.function_updated, name, m.lambda_window("in_progress_after_update")):
            config.update(
                LastUpdateStatus="InProgress",
                LastUpdateStatusReason="The function is being updated.",
                LastUpdateStatusReasonCode="Updating",
            )
        return status, headers, json.dumps(doc).encode()
