"""AWS's rules that moto does not keep, kept in front of it (on by default).

Moto accepts much that AWS refuses; a deployer tested only on moto breaks
on its first real account. Each rule here is AWS's behaviour as its own
documentation (or a peer's issue thread) gives it, not a fault: RULES.md
beside this file lists them with their sources and the tests that meet
them. This WSGI layer sits between the fault layer and the latency model
(moto_server.py):

- API Gateway: writes to one REST API do not overlap. A write (any method
  but GET under /restapis/<id>) takes WRITE_SECONDS while it holds the API;
  another write to the same API meanwhile is answered `409
  ConflictException: Unable to complete operation due to concurrent
  modification. Please try again later.`
- Lambda: PutFunctionEventInvokeConfig with an S3 bucket as its on-failure
  destination is refused unless the execution role's inline policies
  allow s3:PutObject on the records' prefix in that bucket and an
  unconditioned s3:ListBucket on the bucket (Lambda's check carries no
  request context such as s3:prefix, so a conditioned grant does not
  apply).
- Lambda: `POST /_photosky/rules?inactive=1` makes every function that
  exists now Inactive, as AWS does to a function idle for weeks. An
  Inactive function says so in GetFunction and GetFunctionConfiguration
  until it is updated or invoked; an invoke of it fails (and wakes it).
- Cognito: AdminCreateUser that would send the invitation over a medium
  the user has no attribute for (SMS, the default, without phone_number;
  EMAIL without email) is refused.
- S3: PutBucketNotificationConfiguration with a Lambda destination is
  refused (InvalidArgument, "Unable to validate the following destination
  configurations") unless the function's resource policy lets
  s3.amazonaws.com invoke it with this bucket as aws:SourceArn and this
  account as aws:SourceAccount.
- S3: a conditional write (PutObject with If-None-Match or If-Match) to a
  key while another conditional write to it is under way is answered
  `409 ConditionalRequestConflict`, which S3 documents as "retry".

- Lambda: an image runs on one architecture. The build simulator records
  each image's platform (IMAGE_PLATFORMS); a function whose
  `Architectures` is not its image's cannot start: its invoke answers
  Lambda's launch error (`Runtime.InvalidEntrypoint`, "exec format
  error"), and `GET /_photosky/rules` lists it under `launch_errors`.
  UpdateFunctionCode's `Architectures` is applied (moto ignores it).
- CodeBuild: a curated image runs only in its environment type: an
  `aws/codebuild/*aarch64*` image outside ARM_CONTAINER, or another curated
  image in ARM_CONTAINER, is refused by CreateProject and UpdateProject
  (InvalidInputException, "AWS CodeBuild curated image ... is not
  supported for projects with environment type ...").

`GET /_photosky/rules` says how often each rule refused a call (`refused`),
which functions are Inactive and which cannot start (`launch_errors`). `POST /_photosky/rules?conflicts=N` makes
the next N API Gateway writes meet another writer's (answered with the
conflict), `?s3_conflicts=N` the next N S3 conditional writes, so a test
can see them retried.
"""

import io
import json
import re
import threading
import time
from urllib.parse import parse_qs, unquote

from iam_policy import ALLOW, document, evaluate
from latency import _action, _json_error, _service, forward

# How long an API Gateway write holds its REST API here: long enough that
# writes sent at once overlap, as they do on AWS (where each takes 0.2-0.5 s).
WRITE_SECONDS = 0.05

REST_API_PATH = re.compile(r"^/restapis/([^/]+)(/.*)?$")
INVOKE_CONFIG_PATH = re.compile(r"^/2019-09-25/functions/([^/]+)/event-invoke-config/?$")
INVOKE_PATH = re.compile(r"^/2015-03-31/functions/([^/]+)/invocations/?$")

# Where Lambda writes an S3 on-failure record: aws/lambda/async/<function>/...
FAILED_RECORDS_PREFIX = "aws/lambda/async/"

# The platform of each image the build simulator pushed, by digest
# ("sha256:..." -> "linux/arm64"), written by moto_server.py.
IMAGE_PLATFORMS: dict[str, str] = {}
# Lambda's name for each platform's architecture.
LAMBDA_ARCH = {"linux/arm64": "arm64", "linux/amd64": "x86_64"}


def build_machine_refusal(operation: str, environment: dict) -> str | None:
    """CodeBuild's answer to a project whose curated image is not of its
    environment type (aws/copilot-cli#3110 and aws/aws-cdk#35368 quote it
    for UpdateProject and CreateProject), or None."""
    image, kind = environment.get("image", ""), environment.get("type", "")
    if not image.startswith("aws/codebuild/"):
        return None
    arm_image = "aarch64" in image
    arm_machine = kind in ("ARM_CONTAINER", "ARM_LAMBDA_CONTAINER")
    if arm_image == arm_machine:
        return None
    return (
        f"Failed to call {operation}, reason: AWS CodeBuild curated image {image} is not supported "
        f"for projects with environment type {kind} and compute type {environment.get('computeType')}"
    )


def _functions():
    """(account, function) for every function moto has, in every account
    and region."""
    from moto.awslambda.models import lambda_backends

    for account, regions in list(lambda_backends.items()):
        for backend in list(regions.values()):
            for fn in backend.list_functions():
                yield account, fn


def launch_errors() -> dict[str, str]:
    """Each function whose image was built for another architecture than
    its own, and why it cannot start."""
    out = {}
    for _, fn in _functions():
        uri = (fn.code or {}).get("ImageUri", "")
        platform = IMAGE_PLATFORMS.get(uri.rpartition("@")[2])
        arch = (fn.architectures or ["x86_64"])[0]
        if platform and LAMBDA_ARCH.get(platform) != arch:
            out[fn.function_name] = f"image for {platform}, function {arch}"
    return out


def _rest_error(code: str, message: str, status: str):
    body = json.dumps({"message": message}).encode()
    return status, [("Content-Type", "application/json"), ("x-amzn-ErrorType", code)], body


def allows_without_context(policies: list, action: str, resource: str) -> bool:
    """Whether `policies` allow `action` on `resource` to a check that
    carries no request context (iam_policy.py evaluates): a statement with
    a Condition does not apply at all, whatever its operator."""
    unconditioned = []
    for policy in policies:
        statements = document(policy).get("Statement", [])
        if isinstance(statements, dict):
            statements = [statements]
        unconditioned.append({"Statement": [st for st in statements if not st.get("Condition")]})
    return evaluate(unconditioned, action, resource, {}) == ALLOW


class Middleware:
    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.busy: set[str] = set()
        self.conflicts_armed = 0
        self.s3_conflicts_armed = 0
        self.writing: set[str] = set()
        self.inactive: set[str] = set()
        self.refused: dict[str, int] = {}

    def refuse(self, rule: str, answer):
        with self.lock:
            self.refused[rule] = self.refused.get(rule, 0) + 1
        return answer

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/_photosky/rules":
            return self.control(environ, start_response)
        service = _service(environ)
        method = environ["REQUEST_METHOD"]
        # Only the JSON calls' bodies are read (and put back): an upload may
        # come chunked, with no length, and must reach moto untouched.
        body = b""
        length = environ.get("CONTENT_LENGTH")
        notification = service == "s3" and method == "PUT" and environ.get("QUERY_STRING", "").startswith("notification")
        if length and (service in ("lambda", "cognito-idp") or notification):
            body = environ["wsgi.input"].read(int(length))
            environ["wsgi.input"] = io.BytesIO(body)
        answer = None
        if service == "apigateway" and method != "GET" and REST_API_PATH.match(path):
            answer = self.api_gateway_write(environ, REST_API_PATH.match(path).group(1))
        elif service == "lambda":
            answer = self.lambda_call(environ, method, path, body)
        elif service == "cognito-idp" and _action(service, environ, body) == "AdminCreateUser":
            answer = self.admin_create_user(body)
        elif notification:
            answer = self.check_notification(path, body)
        elif service == "s3" and method == "PUT" and (
            environ.get("HTTP_IF_NONE_MATCH") or environ.get("HTTP_IF_MATCH")
        ):
            answer = self.s3_conditional_write(environ, path)
        if answer is None:
            # No rule is concerned: moto answers as it is (a browser's form
            # upload to S3 is stored empty when its response is collected).
            return self.app(environ, start_response)
        status, headers, payload = answer
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(payload))))
        start_response(status, headers)
        return [payload]

    def control(self, environ, start_response):
        query = parse_qs(environ.get("QUERY_STRING", ""))
        if environ["REQUEST_METHOD"] == "POST":
            with self.lock:
                if "conflicts" in query:
                    self.conflicts_armed = int(query["conflicts"][0])
                if "s3_conflicts" in query:
                    self.s3_conflicts_armed = int(query["s3_conflicts"][0])
            if query.get("inactive") == ["1"]:
                self.make_inactive(environ)
        with self.lock:
            doc = {"refused": self.refused, "inactive": sorted(self.inactive)}
        doc["launch_errors"] = launch_errors()
        body = json.dumps(doc).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    # --- API Gateway -------------------------------------------------------
    # "Unable to complete operation due to concurrent modification": the
    # Terraform AWS provider retries every API Gateway v1 call on it
    # (terraform-provider-aws #16439, #776; #27027 for CreateAuthorizer).

    def api_gateway_write(self, environ, api_id):
        conflict = _rest_error(
            "ConflictException",
            "Unable to complete operation due to concurrent modification. Please try again later.",
            "409 Conflict",
        )
        return self.one_writer(environ, "conflicts_armed", self.busy, api_id, "apigateway_concurrent_modification", conflict)

    def one_writer(self, environ, armed_field, held, key, rule, conflict):
        """Forward a write that holds `key` (in `held`) for WRITE_SECONDS; one
        that finds it held, or meets an armed conflict (`armed_field`), is
        answered `conflict`."""
        with self.lock:
            armed = getattr(self, armed_field) > 0
            if armed:
                setattr(self, armed_field, getattr(self, armed_field) - 1)
            overlapping = key in held
            if not armed and not overlapping:
                held.add(key)
        if armed or overlapping:
            return self.refuse(rule, conflict)
        try:
            answer = forward(self.app, environ)
            time.sleep(WRITE_SECONDS)
            return answer
        finally:
            with self.lock:
                held.discard(key)

    # --- S3 ----------------------------------------------------------------
    # "If there's a conflict ... S3 returns a 409 ConditionalRequestConflict
    # response. In this case, retry the request." (S3 user guide, "How to
    # prevent object overwrites with conditional writes").

    def s3_conditional_write(self, environ, key):
        conflict = (
            "409 Conflict",
            [("Content-Type", "application/xml")],
            b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>ConditionalRequestConflict</Code>'
            b"<Message>A conflicting operation occurred. If using PutObject, you can retry the request."
            b"</Message></Error>",
        )
        return self.one_writer(environ, "s3_conflicts_armed", self.writing, key, "s3_conditional_write_conflict", conflict)

    # --- Lambda ------------------------------------------------------------

    def lambda_call(self, environ, method, path, body):
        m = INVOKE_CONFIG_PATH.match(path)
        if m and method in ("PUT", "POST"):
            return self.check_destination(unquote(m.group(1)), body)
        m = INVOKE_PATH.match(path)
        if m and method == "POST":
            name = _function_name(unquote(m.group(1)))
            with self.lock:
                was = name in self.inactive
                self.inactive.discard(name)
            why = launch_errors().get(name)
            if why and not was:
                # The image's entrypoint is a binary for the other
                # architecture: "IMAGE Launch error: fork/exec
                # /lambda-entrypoint.sh: exec format error"
                # (aws/aws-lambda-base-images#26).
                payload = json.dumps({
                    "errorType": "Runtime.InvalidEntrypoint",
                    "errorMessage": f"Error: fork/exec /lambda-entrypoint.sh: exec format error ({why})",
                }).encode()
                return self.refuse("lambda_architecture_launch", (
                    "200 OK",
                    [("Content-Type", "application/json"), ("X-Amz-Function-Error", "Unhandled")],
                    payload,
                ))
            if was:
                # "When you try to invoke a function that is inactive, the
                # invocation fails and Lambda sets the function to pending
                # state until the function resources are recreated."
                return self.refuse(
                    "lambda_inactive_invoke",
                    _lambda_error(
                        "ResourceConflictException",
                        "The operation cannot be performed at this time. The function is currently in the following state: Inactive",
                        "409 Conflict",
                    ),
                )
            return None
        action = _action("lambda", environ, body)
        name = _function_name(unquote((re.match(r"^/2015-03-31/functions/([^/]+)", path) or [None, ""])[1]))
        if action in ("UpdateFunctionCode", "UpdateFunctionConfiguration"):
            answer = forward(self.app, environ)
            if answer[0].startswith("2"):
                with self.lock:
                    self.inactive.discard(name)
                if action == "UpdateFunctionCode":
                    answer = self.apply_architectures(name, body, answer)
            return answer
        if action in ("GetFunction", "GetFunctionConfiguration"):
            with self.lock:
                inactive = name in self.inactive
            if not inactive:
                return None
            status, headers, payload = forward(self.app, environ)
            if status.startswith("2"):
                doc = json.loads(payload)
                config = doc.get("Configuration", doc) if action == "GetFunction" else doc
                config.update(
                    State="Inactive",
                    StateReason="The function is inactive because it has not been invoked for a while.",
                    StateReasonCode="Idle",
                )
                payload = json.dumps(doc).encode()
            return status, headers, payload
        return None

    def apply_architectures(self, name, body, answer):
        """UpdateFunctionCode's `Architectures` (Lambda API reference:
        "The instruction set architecture that the function supports"),
        which moto drops: applied to the function and its answer."""
        wanted = (json.loads(body or b"{}") or {}).get("Architectures")
        if not wanted:
            return answer
        for _, fn in _functions():
            if fn.function_name == name:
                fn.architectures = wanted
        status, headers, payload = answer
        doc = json.loads(payload)
        doc["Architectures"] = wanted
        return status, headers, json.dumps(doc).encode()

    def make_inactive(self, environ):
        names = {fn.function_name for _, fn in _functions()}
        with self.lock:
            self.inactive |= names

    def check_destination(self, function, body):
        """Lambda's check of an S3 on-failure destination ("Capturing records
        of Lambda asynchronous invocations", Lambda developer guide): the
        execution role must allow s3:PutObject and s3:ListBucket on it."""
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            return None
        destination = ((request.get("DestinationConfig") or {}).get("OnFailure") or {}).get("Destination") or ""
        if not destination.startswith("arn:aws:s3:::"):
            return None
        bucket = destination.split(":::", 1)[1]
        role_arn, policies = _role_policies(_function_name(function))
        if role_arn is None:
            return None
        name = _function_name(function).rsplit(":", 1)[-1]
        record = f"arn:aws:s3:::{bucket}/{FAILED_RECORDS_PREFIX}{name}/record.json"
        missing = []
        if not allows_without_context(policies, "s3:PutObject", record):
            missing.append("s3:PutObject")
        if not allows_without_context(policies, "s3:ListBucket", f"arn:aws:s3:::{bucket}"):
            missing.append("s3:ListBucket")
        if not missing:
            return None
        return self.refuse(
            "lambda_destination_permissions",
            _lambda_error(
                "InvalidParameterValueException",
                f"The function execution role does not have permissions to call {' and '.join(missing)} on {destination}",
                "400 Bad Request",
            ),
        )

    # --- Cognito -----------------------------------------------------------
    # AdminCreateUser's DesiredDeliveryMediums: "The default value is SMS"
    # (Cognito API reference); a user with no phone number gets nothing.

    def check_notification(self, path, body):
        """S3 validates each Lambda destination of a notification: the
        function's resource policy must let s3.amazonaws.com invoke it for
        this bucket (aws:SourceArn) of this account (aws:SourceAccount),
        else `400 InvalidArgument: Unable to validate the following
        destination configurations`."""
        import xmltodict

        bucket = path.strip("/").split("/")[0]
        try:
            config = xmltodict.parse(body or b"<x/>").get("NotificationConfiguration") or {}
        except Exception:
            return None
        targets = config.get("CloudFunctionConfiguration") or []
        if isinstance(targets, dict):
            targets = [targets]
        for target in targets:
            arn = target.get("CloudFunction", "")
            policy = _function_policy(arn)
            context = {"aws:sourcearn": f"arn:aws:s3:::{bucket}", "aws:sourceaccount": arn.split(":")[4]}
            allowed = policy and evaluate([policy], "lambda:InvokeFunction", arn, context,
                                          {"Service": ["s3.amazonaws.com"]}) == ALLOW
            if not allowed:
                message = "Unable to validate the following destination configurations"
                xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidArgument</Code>'
                       f"<Message>{message}</Message><ArgumentName1>{arn}</ArgumentName1>"
                       f"<ArgumentValue1>Not authorized to invoke function [{arn}]</ArgumentValue1></Error>")
                return self.refuse("s3_notification_unvalidated",
                                   ("400 Bad Request", [("Content-Type", "application/xml")], xml.encode()))
        return None

    def admin_create_user(self, body):
        request = json.loads(body or b"{}")
        if request.get("MessageAction") == "SUPPRESS":
            return None
        attributes = {a.get("Name") for a in request.get("UserAttributes") or []}
        for medium in request.get("DesiredDeliveryMediums") or ["SMS"]:
            needs = {"SMS": "phone_number", "EMAIL": "email"}.get(medium)
            if needs and needs not in attributes:
                return self.refuse(
                    "cognito_delivery_medium",
                    _json_error(
                        "InvalidParameterException",
                        f"The invitation cannot be sent by {medium}: the user has no {needs} attribute "
                        "(DesiredDeliveryMediums defaults to SMS)",
                    ),
                )
        return None


def _function_name(name_or_arn: str) -> str:
    # arn:aws:lambda:region:account:function:name[:qualifier]
    if name_or_arn.startswith("arn:"):
        return name_or_arn.split(":")[6]
    return name_or_arn.split(":")[0]


def _role_policies(function: str):
    """The execution role of `function` and its inline policy documents."""
    from moto.iam.models import iam_backends

    for account, fn in _functions():
        if fn.function_name != function:
            continue
        iam = iam_backends[account]["global"]
        role_name = fn.role.rsplit("/", 1)[-1]
        try:
            role = iam.get_role(role_name)
        except Exception:
            return fn.role, []
        return fn.role, [document(d) for d in role.policies.values()]
    return None, []


def _function_policy(arn: str):
    """The resource policy of the function `arn` in moto, or None."""
    from moto.awslambda.models import lambda_backends

    parts = arn.split(":")
    if len(parts) < 7:
        return None
    try:
        answer = json.loads(lambda_backends[parts[4]][parts[3]].get_policy(parts[6], None))
        return json.loads(answer["Policy"]) if "Policy" in answer else answer
    except Exception:
        return None


def _lambda_error(code: str, message: str, status: str):
    body = json.dumps({"Type": "User", "message": message}).encode()
    return status, [("Content-Type", "application/json"), ("x-amzn-ErrorType", code)], body
