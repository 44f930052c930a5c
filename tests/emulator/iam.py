"""IAM enforced (moto_server.py --enforce-iam, or $PHOTOSKY_ENFORCE_IAM=1).

Moto can authenticate callers (INITIAL_NO_AUTH_ACTION_COUNT), but it
authorises most services against the resource `*`, which no scoped statement
matches, and it has no request context for conditions: as it is, it would
refuse a least-privilege policy and prove nothing. This WSGI layer builds on
its identities instead (IAM users and their access keys, roles assumed
through STS, their inline and attached policies: moto's
access_control.create_access_key finds them) and authorises each request as
AWS does:

- The caller is found by the access key of the request's signature (the
  Authorization header, a presigned URL's X-Amz-Credential, or a browser
  form upload's x-amz-credential field) and, for an assumed role, its
  session token. The signature itself is not checked again (moto's check
  fails API Gateway and Lambda requests; see shared notes). The key pair
  `testing`/`testing` stands for the account's root and is not checked:
  tests set up and inspect with it.
- Each request becomes the IAM actions it needs, on the real resource ARNs
  of the Service Authorization Reference (CreateFunction is also
  iam:PassRole on its role, a CopyObject also s3:GetObject on its source),
  with the condition keys AWS gives them: s3:prefix, aws:SecureTransport
  (true: this endpoint stands in for AWS's HTTPS one), iam:PassedToService,
  aws:ResourceTag/<key> (the resource's tags, where the service supports
  the key), aws:RequestTag/<key> and aws:TagKeys.
- Each action is evaluated over the caller's identity policies, and for S3
  the bucket's policy too (iam_policy.py): an explicit Deny wins, then an
  Allow, else denied. A request this layer cannot put into actions is
  refused too, so that nothing a policy never granted slips through.
- A refused request is answered as its service answers AccessDenied, with
  AWS's message ("User: ARN is not authorized to perform: ACTION on
  resource: ARN because no identity-based policy allows the ACTION
  action"); an unknown access key as its service answers that.

Unsigned requests pass only where AWS takes them: CORS preflights and
Cognito's public user operations (sign-in) and keys. An unsigned S3 request
is refused (no bucket of ours is public).

`POST /_photosky/iam/user` with `{"name": N, "policy": {...}}` makes an IAM
user holding that inline policy and answers its access key pair;
`POST /_photosky/iam/role` with `{"name": N, "policy": {...}}` makes a role
Lambda may assume holding that policy and answers a session's credentials
(the handler's tests run its code so); `POST /_photosky/iam/expire` with
`{"AccessKeyId": K}` ends that session now, and a request with it is
answered ExpiredToken, as AWS answers one past its expiry;
`GET /_photosky/iam` answers whether IAM is enforced and every refusal so
far (principal, action, resource), so a test can say what was missing.
"""

import io
import json
import os
import re
import threading
from urllib.parse import parse_qs, unquote

from iam_policy import ALLOW, DENY, evaluate

ADMIN_KEY = "testing"
# $PHOTOSKY_IAM_LOG names a file where every allowed action is appended
# ("principal action resource"): what a policy is proven to need.
USAGE_LOG = os.environ.get("PHOTOSKY_IAM_LOG")
ACCOUNT = "123456789012"

CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/[^/]+/([^/]+)/([^/]+)/")
# Cognito's operations that take no AWS credentials (a user's own tokens).
COGNITO_PUBLIC = {
    "InitiateAuth", "RespondToAuthChallenge", "GetUser", "GlobalSignOut", "RevokeToken",
    "ChangePassword", "ForgotPassword", "ConfirmForgotPassword", "SignUp", "ConfirmSignUp",
    "GetTokensFromRefreshToken",
}
S3_BUCKET_PUT = {
    "policy": "PutBucketPolicy", "cors": "PutBucketCORS", "publicAccessBlock": "PutBucketPublicAccessBlock",
    "encryption": "PutEncryptionConfiguration", "tagging": "PutBucketTagging",
    "lifecycle": "PutLifecycleConfiguration", "versioning": "PutBucketVersioning",
    "notification": "PutBucketNotification", "ownershipControls": "PutBucketOwnershipControls",
    "acl": "PutBucketAcl",
}
S3_BUCKET_GET = {
    "policy": "GetBucketPolicy", "cors": "GetBucketCORS", "publicAccessBlock": "GetBucketPublicAccessBlock",
    "encryption": "GetEncryptionConfiguration", "tagging": "GetBucketTagging",
    "lifecycle": "GetLifecycleConfiguration", "versioning": "GetBucketVersioning",
    "notification": "GetBucketNotification", "ownershipControls": "GetBucketOwnershipControls",
    "acl": "GetBucketAcl", "location": "GetBucketLocation", "versions": "ListBucketVersions",
    "uploads": "ListBucketMultipartUploads",
}
S3_BUCKET_DELETE = {
    "policy": "DeleteBucketPolicy", "cors": "PutBucketCORS", "tagging": "PutBucketTagging",
    "lifecycle": "PutLifecycleConfiguration", "publicAccessBlock": "PutBucketPublicAccessBlock",
    "encryption": "PutEncryptionConfiguration",
}
LAMBDA_FUNCTION = re.compile(r"^/[^/]+/functions/([^/]+)(/.*)?$")
LAMBDA_TAGS = re.compile(r"^/[^/]+/tags/(.+)$")
LAMBDA_OPERATIONS = {
    ("GET", ""): "GetFunction",
    ("DELETE", ""): "DeleteFunction",
    ("GET", "/configuration"): "GetFunctionConfiguration",
    ("PUT", "/configuration"): "UpdateFunctionConfiguration",
    ("PUT", "/code"): "UpdateFunctionCode",
    ("GET", "/policy"): "GetPolicy",
    ("POST", "/policy"): "AddPermission",
    ("DELETE", "/policy/*"): "RemovePermission",
    ("POST", "/invocations"): "InvokeFunction",
    ("PUT", "/event-invoke-config"): "PutFunctionEventInvokeConfig",
    ("POST", "/event-invoke-config"): "UpdateFunctionEventInvokeConfig",
    ("GET", "/event-invoke-config"): "GetFunctionEventInvokeConfig",
    ("DELETE", "/event-invoke-config"): "DeleteFunctionEventInvokeConfig",
    ("PUT", "/concurrency"): "PutFunctionConcurrency",
    ("GET", "/concurrency"): "GetFunctionConcurrency",
    ("DELETE", "/concurrency"): "DeleteFunctionConcurrency",
    ("GET", "/versions"): "ListVersionsByFunction",
    ("GET", "/url"): "GetFunctionUrlConfig",
}


class Check:
    """One action on one resource, with its request context."""

    def __init__(self, action, resource, context=None, tags_of=None, then=None):
        self.action, self.resource = action, resource
        # What AWS does once this check passes (a repository policy that
        # Lambda adds), for lambda_pulls_granted.
        self.then = then
        self.context = {k.lower(): v for k, v in (context or {}).items()}
        self.context.setdefault("aws:securetransport", "true")
        # The ARN whose tags are aws:ResourceTag/..., looked up on demand.
        self.tags_of = tags_of

    def get(self, key, default=None):
        if key in self.context:
            return self.context[key]
        if key.startswith("aws:resourcetag/") and self.tags_of:
            tags = {k.lower(): v for k, v in resource_tags(self.tags_of).items()}
            return tags.get(key.split("/", 1)[1], default)
        return default


class Unmapped(Exception):
    """A request this layer cannot put into IAM actions."""


def request_tags(tags: dict) -> dict:
    context = {f"aws:RequestTag/{k}": v for k, v in tags.items()}
    if tags:
        context["aws:TagKeys"] = list(tags)
    return context


def _tag_map(tags) -> dict:
    """{k: v} from the shapes AWS APIs use: a map, or a list of
    {Key, Value} / {key, value}."""
    if isinstance(tags, dict):
        return {k: (v.get("Value") if isinstance(v, dict) else v) for k, v in tags.items()}
    out = {}
    for t in tags or []:
        out[t.get("Key", t.get("key"))] = t.get("Value", t.get("value", ""))
    return out


def resource_tags(arn: str) -> dict:
    """The tags of the resource `arn` in moto, where its service supports
    aws:ResourceTag ({} if it has none, or is gone)."""
    parts = arn.split(":", 5)
    service, region, account, rest = parts[2], parts[3], parts[4], parts[5]
    try:
        if service == "iam" and rest.startswith("role/"):
            from moto.iam.models import iam_backends

            return _tag_map(iam_backends[account]["aws"].get_role(rest.rsplit("/", 1)[-1]).tags)
        if service == "lambda":
            from moto.awslambda.models import lambda_backends

            return _tag_map(lambda_backends[account][region].get_function(rest.split(":")[1]).tags)
        if service == "ecr":
            from moto.ecr.models import ecr_backends

            return _tag_map(ecr_backends[account][region].list_tags_for_resource(arn).get("tags"))
        if service == "codebuild":
            from moto.codebuild.models import codebuild_backends

            project = codebuild_backends[account][region].codebuild_projects[rest.split("/", 1)[1]]
            return _tag_map(project.tags or project.project_metadata.get("tags"))
        if service == "logs":
            from moto.logs.models import logs_backends

            name = rest.split(":", 1)[1].split(":log-stream:")[0]
            return _tag_map(logs_backends[account][region].list_tags_log_group(name))
        if service == "cognito-idp":
            from moto.cognitoidp.models import cognitoidp_backends

            pool = cognitoidp_backends[account][region].user_pools[rest.split("/", 1)[1]]
            return _tag_map(pool.extended_config.get("UserPoolTags"))
    except Exception:
        return {}
    return {}


class Caller:
    def __init__(self, arn, policies, principal):
        self.arn, self.policies, self.principal = arn, policies, principal


def find_caller(key: str, token: str | None) -> Caller | None:
    """The IAM user or assumed role whose access key `key` is, or None."""
    from moto.iam.access_control import CreateAccessKeyFailure, create_access_key
    from moto.iam.models import get_account_id_from

    account = get_account_id_from(key)
    headers = {"X-Amz-Security-Token": token} if token else {}
    try:
        who = create_access_key(account, "aws", key, headers)
    except CreateAccessKeyFailure:
        return None
    try:
        policies = who.collect_policies()
    except Exception:
        # A session of a role that is gone (or was never made here, as
        # moto's AssumeRole allows): a caller allowed nothing.
        policies = []
    arn = who.arn
    aws = [arn, f"arn:aws:iam::{account}:root", account]
    if ":assumed-role/" in arn:
        role = arn.split(":assumed-role/")[1].split("/")[0]
        from moto.iam.models import iam_backends

        try:
            aws.append(iam_backends[account]["aws"].get_role(role).arn)
        except Exception:
            pass
    return Caller(arn, policies, {"AWS": aws})


def _session(key: str):
    """The STS session (an assumed role) whose access key `key` is."""
    from moto.sts.models import sts_backends

    for account in list(sts_backends):
        for session in list(sts_backends[account]["aws"].assumed_roles):
            if session.access_key_id == key:
                return session
    return None


def _expired(key: str) -> bool:
    import datetime

    session = _session(key)
    if session is None:
        return False
    now = datetime.datetime.now(datetime.timezone.utc)
    expiration = session.expiration
    if expiration.tzinfo is None:
        expiration = expiration.replace(tzinfo=datetime.timezone.utc)
    return expiration <= now


def _account_of(caller: Caller) -> str:
    return caller.arn.split(":")[4]


class Middleware:
    def __init__(self, app, enforced: bool):
        self.app = app
        self.enforced = enforced
        self.lock = threading.Lock()
        self.refusals: list[dict] = []

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/_photosky/iam"):
            return self.control(environ, start_response)
        if not self.enforced or path.startswith(("/_photosky/", "/moto-api")):
            return self.app(environ, start_response)
        if environ["REQUEST_METHOD"] == "OPTIONS":
            return self.app(environ, start_response)
        body = self._body(environ)
        key, region, service, token = self._credentials(environ, body)
        if key == ADMIN_KEY:
            return self.app(environ, start_response)
        if key is None:
            return self.anonymous(environ, start_response, service)
        if _expired(key):
            return self._answer(start_response, _expired_token(service))
        caller = find_caller(key, token)
        if caller is None:
            return self._answer(start_response, _invalid_key(service))
        try:
            checks = describe(service, environ, body, region, _account_of(caller))
        except Unmapped as e:
            return self._answer(start_response, self.refuse(service, caller, str(e), "*", unmapped=True))
        for check in checks:
            if not self.allowed(caller, check):
                return self._answer(start_response, self.refuse(service, caller, check.action, check.resource))
        for check in checks:
            if check.then:
                lambda_pulls_granted(**check.then)
        if USAGE_LOG:
            with self.lock, open(USAGE_LOG, "a") as log:
                log.writelines(f"{caller.arn} {c.action} {c.resource}\n" for c in checks)
        return self.app(environ, start_response)

    def allowed(self, caller: Caller, check: Check) -> bool:
        decision = evaluate(caller.policies, check.action, check.resource, check)
        if decision == DENY:
            return False
        if check.action.startswith("s3:"):
            bucket_policy = _bucket_policy(check.resource)
            if bucket_policy:
                by_bucket = evaluate([bucket_policy], check.action, check.resource, check, caller.principal)
                if by_bucket == DENY:
                    return False
                decision = ALLOW if by_bucket == ALLOW else decision
        return decision == ALLOW

    def refuse(self, service, caller, action, resource, unmapped=False):
        with self.lock:
            self.refusals.append({"principal": caller.arn, "action": action, "resource": resource})
        if unmapped:
            message = f"the emulator does not know which IAM action {action} is (tests/emulator/iam.py)"
        else:
            message = (
                f"User: {caller.arn} is not authorized to perform: {action} on resource: {resource} "
                f"because no identity-based policy allows the {action} action"
            )
        return _access_denied(service, message)

    def anonymous(self, environ, start_response, service):
        """An unsigned request (`service` as its shape tells): S3 refuses it
        (nothing of ours is public); the rest pass as AWS takes them."""
        if service == "s3":
            return self._answer(start_response, _access_denied("s3", "Access Denied"))
        return self.app(environ, start_response)

    @staticmethod
    def _answer(start_response, answer):
        status, headers, payload = answer
        start_response(status, headers + [("Content-Length", str(len(payload)))])
        return [payload]

    @staticmethod
    def _body(environ) -> bytes:
        # A PUT to S3 may be a large upload, sent chunked: left alone. Every
        # other body here is a small API request, read and put back.
        method = environ["REQUEST_METHOD"]
        length = environ.get("CONTENT_LENGTH")
        auth = environ.get("HTTP_AUTHORIZATION", "")
        is_s3 = "/s3/aws4_request" in auth or "X-Amz-Credential" in environ.get("QUERY_STRING", "")
        if not length or (is_s3 and method != "POST") or (not auth and method != "POST"):
            return b""
        body = environ["wsgi.input"].read(int(length))
        environ["wsgi.input"] = io.BytesIO(body)
        return body

    @staticmethod
    def _credentials(environ, body):
        """(access key, region, service, session token) of the request."""
        m = CREDENTIAL.search(environ.get("HTTP_AUTHORIZATION", ""))
        token = environ.get("HTTP_X_AMZ_SECURITY_TOKEN")
        if not m:
            query = parse_qs(environ.get("QUERY_STRING", ""))
            cred = (query.get("X-Amz-Credential") or [""])[0]
            if cred:
                m = re.match(r"([^/]+)/[^/]+/([^/]+)/([^/]+)/", cred)
                token = (query.get("X-Amz-Security-Token") or [None])[0]
        if not m and environ["REQUEST_METHOD"] == "POST" and body:
            fields = _form_fields(environ, body)
            cred = fields.get("x-amz-credential", "")
            m = re.match(r"([^/]+)/[^/]+/([^/]+)/([^/]+)/", cred)
            token = fields.get("x-amz-security-token")
        if not m:
            return None, None, _unsigned_service(environ, body), None
        return m.group(1), m.group(2), m.group(3), token

    def control(self, environ, start_response):
        if environ["REQUEST_METHOD"] == "POST" and environ["PATH_INFO"] == "/_photosky/iam/user":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            request = json.loads(environ["wsgi.input"].read(length))
            answer = make_user(request["name"], request["policy"])
        elif environ["REQUEST_METHOD"] == "POST" and environ["PATH_INFO"] == "/_photosky/iam/expire":
            # A session's time is up now (AWS's shortest is 15 minutes).
            import datetime

            length = int(environ.get("CONTENT_LENGTH") or 0)
            session = _session(json.loads(environ["wsgi.input"].read(length))["AccessKeyId"])
            if session is not None:
                session.expiration = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=1)
            answer = {"expired": session is not None}
        elif environ["REQUEST_METHOD"] == "POST" and environ["PATH_INFO"] == "/_photosky/iam/role":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            request = json.loads(environ["wsgi.input"].read(length))
            answer = make_role_session(request["name"], request["policy"], request.get("service", "lambda.amazonaws.com"))
        else:
            with self.lock:
                answer = {"enforced": self.enforced, "refusals": list(self.refusals)}
        payload = json.dumps(answer).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
        return [payload]


def make_user(name: str, policy) -> dict:
    """An IAM user holding `policy` inline, and its access key pair."""
    from moto.iam.models import iam_backends

    iam = iam_backends[ACCOUNT]["aws"]
    iam.create_user(region_name="us-east-1", user_name=name, path="/", tags=None)
    text = policy if isinstance(policy, str) else json.dumps(policy)
    iam.put_user_policy(name, "photosky", text)
    key = iam.create_access_key(name)
    return {"AccessKeyId": key.access_key_id, "SecretAccessKey": key.secret_access_key,
            "Arn": f"arn:aws:iam::{ACCOUNT}:user/{name}"}


def make_role_session(name: str, policy, service: str) -> dict:
    """A role that `service` may assume, holding `policy` inline, and a
    session of it (as the service would get): its credentials."""
    from moto.iam.models import iam_backends
    from moto.sts.models import sts_backends

    iam = iam_backends[ACCOUNT]["aws"]
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]}
    role = iam.create_role(name, json.dumps(trust), "/photosky/", None, "", [], None)
    iam.put_role_policy(name, "photosky", policy if isinstance(policy, str) else json.dumps(policy))
    session = sts_backends[ACCOUNT]["aws"].assume_role("us-east-1", name, role.arn, None, 3600, None)
    return {"AccessKeyId": session.access_key_id, "SecretAccessKey": session.secret_access_key,
            "SessionToken": session.session_token, "Arn": session.arn}


def _bucket_policy(resource: str):
    if not resource.startswith("arn:aws:s3:::"):
        return None
    from moto.s3.models import s3_backends

    bucket = resource.split(":::", 1)[1].split("/", 1)[0]
    try:
        policy = s3_backends[ACCOUNT]["aws"].get_bucket(bucket).policy
    except Exception:
        return None
    if not policy:
        return None
    try:
        return json.loads(policy)
    except ValueError:
        return None


def _form_fields(environ, body: bytes) -> dict:
    """The text fields of a multipart/form-data body (a browser upload)."""
    ctype = environ.get("CONTENT_TYPE", "")
    m = re.search(r"boundary=\"?([^\";]+)", ctype)
    if "multipart/form-data" not in ctype or not m:
        return {}
    fields = {}
    for part in body.split(b"--" + m.group(1).encode()):
        head, _, value = part.partition(b"\r\n\r\n")
        name = re.search(rb'name="([^"]+)"', head)
        if name and b"filename=" not in head:
            fields[name.group(1).decode().lower()] = value.rsplit(b"\r\n", 1)[0].decode(errors="replace")
    return fields


def _unsigned_service(environ, body) -> str:
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target.startswith("AWSCognitoIdentityProviderService."):
        return "cognito-idp"
    if "/.well-known/jwks.json" in environ.get("PATH_INFO", ""):
        return "cognito-idp"
    if environ["REQUEST_METHOD"] == "POST" and b"x-amz-credential" in body.lower():
        return "s3"
    if "X-Amz-Credential" in environ.get("QUERY_STRING", "") or not target:
        return "s3"
    return ""


# --- requests as IAM actions --------------------------------------------------

def describe(service: str, environ, body: bytes, region: str, account: str) -> list[Check]:
    """The IAM actions (with resources and context) that a request needs."""
    if service == "sts":
        return _sts(_query_params(body, environ), account)
    if service == "iam":
        return _iam(_query_params(body, environ), account)
    if service == "s3":
        return _s3(environ, body, region, account)
    if service == "lambda":
        return _lambda(environ, body, region, account)
    if service == "apigateway":
        path = unquote(environ.get("PATH_INFO", "")).rstrip("/") or "/"
        return [Check(f"apigateway:{environ['REQUEST_METHOD']}", f"arn:aws:apigateway:{region}::{path}")]
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    operation = target.rsplit(".", 1)[-1]
    request = json.loads(body or b"{}") if body else {}
    if service == "account" or environ.get("PATH_INFO") == "/listRegions":
        return [Check("account:ListRegions", "*")]
    handler = {"ecr": _ecr, "codebuild": _codebuild, "logs": _logs, "cognito-idp": _cognito}.get(service)
    if handler is None or not operation:
        raise Unmapped(f"{service} {environ['REQUEST_METHOD']} {environ.get('PATH_INFO')}")
    return handler(operation, request, region, account)


def _query_params(body: bytes, environ) -> dict:
    params = parse_qs(body.decode(errors="replace")) if body else {}
    params.update(parse_qs(environ.get("QUERY_STRING", "")))
    return {k: v[0] for k, v in params.items()}


def _sts(p: dict, account: str) -> list[Check]:
    action = p.get("Action", "")
    if action == "GetCallerIdentity":
        return []  # AWS: "No permissions are required to perform this operation."
    if action == "AssumeRole":
        return [Check("sts:AssumeRole", p.get("RoleArn", ""))]
    raise Unmapped(f"sts {action}")


def _role_arn(account: str, name: str, path: str | None = None) -> str:
    if path is None:
        from moto.iam.models import iam_backends

        try:
            path = iam_backends[account]["aws"].get_role(name).path
        except Exception:
            path = "/"
    return f"arn:aws:iam::{account}:role{path}{name}"


def _iam(p: dict, account: str) -> list[Check]:
    action = p.get("Action", "")
    if action in ("ListRoles", "ListPolicies", "ListUsers"):
        return [Check(f"iam:{action}", "*")]
    name = p.get("RoleName")
    if name is None:
        raise Unmapped(f"iam {action}")
    if action == "CreateRole":
        arn = _role_arn(account, name, p.get("Path") or "/")
        tags = {p[k]: p.get(k.replace(".Key", ".Value"), "") for k in p if re.fullmatch(r"Tags\.member\.\d+\.Key", k)}
        return [Check("iam:CreateRole", arn, request_tags(tags))]
    arn = _role_arn(account, name)
    context = {}
    if action == "TagRole":
        context = request_tags({p[k]: p.get(k.replace(".Key", ".Value"), "") for k in p if re.fullmatch(r"Tags\.member\.\d+\.Key", k)})
    return [Check(f"iam:{action}", arn, context, tags_of=arn)]


def _pass_role(role_arn: str, service: str) -> Check:
    return Check("iam:PassRole", role_arn, {"iam:PassedToService": service}, tags_of=role_arn)


def _lambda(environ, body, region, account) -> list[Check]:
    method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "").rstrip("/")
    request = json.loads(body or b"{}") if body and method in ("POST", "PUT") else {}
    def fn_arn(name):
        name = unquote(name)
        if name.startswith("arn:"):
            name = name.split(":")[6]
        return f"arn:aws:lambda:{region}:{account}:function:{name.split(':')[0]}"
    m = LAMBDA_TAGS.match(path)
    if m:
        arn = unquote(m.group(1))
        action = {"GET": "ListTags", "POST": "TagResource", "DELETE": "UntagResource"}[method]
        context = request_tags(request.get("Tags") or {}) if method == "POST" else {}
        return [Check(f"lambda:{action}", fn_arn(arn), context, tags_of=fn_arn(arn))]
    if re.fullmatch(r"/[^/]+/functions", path):
        if method == "GET":
            return [Check("lambda:ListFunctions", "*")]
        arn = fn_arn(request.get("FunctionName", ""))
        checks = [Check("lambda:CreateFunction", arn, request_tags(request.get("Tags") or {}))]
        if request.get("Role"):
            checks.append(_pass_role(request["Role"], "lambda.amazonaws.com"))
        return checks + _image_repository(request.get("Code", {}).get("ImageUri"))
    m = LAMBDA_FUNCTION.match(path)
    if not m:
        raise Unmapped(f"lambda {method} {path}")
    rest = m.group(2) or ""
    if rest.startswith("/policy/"):
        rest = "/policy/*"
    operation = LAMBDA_OPERATIONS.get((method, rest))
    if operation is None:
        raise Unmapped(f"lambda {method} {path}")
    arn = fn_arn(m.group(1))
    checks = [Check(f"lambda:{operation}", arn, tags_of=arn)]
    if operation == "UpdateFunctionConfiguration" and request.get("Role"):
        checks.append(_pass_role(request["Role"], "lambda.amazonaws.com"))
    if operation == "UpdateFunctionCode":
        checks += _image_repository(request.get("ImageUri"))
    return checks


LAMBDA_PULLS = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]


def _image_repository(image_uri: str | None) -> list[Check]:
    """A function made (or updated) from an image of this account's ECR:
    Lambda pulls it under the repository's policy, and when that does not
    allow Lambda's pulls, adds a statement that does, which it can only do
    if the caller may ecr:GetRepositoryPolicy and ecr:SetRepositoryPolicy
    (Lambda developer guide, "Create a Lambda function using a container
    image", Amazon ECR permissions). Here, as there, the statement is added
    (lambda_pulls_granted) once the request is let through."""
    m = re.match(r"^(\d{12})\.dkr\.ecr\.([^.]+)\.amazonaws\.com/([^:@]+)", image_uri or "")
    if not m:
        return []
    account, region, name = m.groups()
    arn = f"arn:aws:ecr:{region}:{account}:repository/{name}"
    if _lambda_may_pull(account, region, name, arn):
        return []
    grant = {"account": account, "region": region, "name": name}
    return [Check("ecr:GetRepositoryPolicy", arn, tags_of=arn),
            Check("ecr:SetRepositoryPolicy", arn, tags_of=arn, then=grant)]


def _lambda_may_pull(account, region, name, arn) -> bool:
    from moto.ecr.models import ecr_backends

    try:
        policy = ecr_backends[account][region].get_repository_policy(None, name)["policyText"]
    except Exception:
        return False
    principal = {"Service": ["lambda.amazonaws.com"]}
    return all(evaluate([policy], a, arn, {}, principal) == ALLOW for a in LAMBDA_PULLS)


def lambda_pulls_granted(account, region, name) -> None:
    from moto.ecr.models import ecr_backends

    statement = {"Sid": "LambdaECRImageRetrievalPolicy", "Effect": "Allow",
                 "Principal": {"Service": "lambda.amazonaws.com"}, "Action": LAMBDA_PULLS}
    backend = ecr_backends[account][region]
    try:
        policy = json.loads(backend.get_repository_policy(None, name)["policyText"])
    except Exception:
        policy = {"Version": "2012-10-17", "Statement": []}
    policy["Statement"].append(statement)
    backend.set_repository_policy(None, name, json.dumps(policy))


def _s3(environ, body, region, account) -> list[Check]:
    method = environ["REQUEST_METHOD"]
    path = unquote(environ.get("PATH_INFO", ""))
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    bucket, _, key = path.lstrip("/").partition("/")
    if not bucket:
        if method == "GET":
            return [Check("s3:ListAllMyBuckets", "*")]
        raise Unmapped(f"s3 {method} /")
    bucket_arn = f"arn:aws:s3:::{bucket}"
    version = "versionId" in query
    if not key:
        sub = next((q for q in query if q in S3_BUCKET_PUT or q in S3_BUCKET_GET or q == "delete"), None)
        if method == "POST" and sub == "delete":
            return _s3_delete_objects(bucket_arn, body)
        if method == "POST":
            fields = _form_fields(environ, body)
            return [Check("s3:PutObject", f"{bucket_arn}/{fields.get('key', '')}")]
        if method == "PUT":
            return [Check("s3:" + (S3_BUCKET_PUT[sub] if sub else "CreateBucket"), bucket_arn)]
        if method in ("GET", "HEAD"):
            if sub and sub in S3_BUCKET_GET:
                return [Check("s3:" + S3_BUCKET_GET[sub], bucket_arn)]
            context = {}
            if "prefix" in query:
                context["s3:prefix"] = query["prefix"][0]
            return [Check("s3:ListBucket", bucket_arn, context)]
        if method == "DELETE":
            return [Check("s3:" + (S3_BUCKET_DELETE.get(sub, "") if sub else "DeleteBucket"), bucket_arn)]
        raise Unmapped(f"s3 {method} {path}")
    object_arn = f"{bucket_arn}/{key}"
    if "tagging" in query:
        action = {"GET": "GetObjectTagging", "PUT": "PutObjectTagging", "DELETE": "DeleteObjectTagging"}[method]
        return [Check(f"s3:{action}{'Version' if version and method != 'PUT' else ''}", object_arn)]
    if method in ("GET", "HEAD"):
        return [Check("s3:GetObjectVersion" if version else "s3:GetObject", object_arn)]
    if method == "DELETE":
        if "uploadId" in query:
            return [Check("s3:AbortMultipartUpload", object_arn)]
        return [Check("s3:DeleteObjectVersion" if version else "s3:DeleteObject", object_arn)]
    if method in ("PUT", "POST"):
        checks = [Check("s3:PutObject", object_arn)]
        source = environ.get("HTTP_X_AMZ_COPY_SOURCE")
        if source:
            src, _, src_version = unquote(source).lstrip("/").partition("?versionId=")
            checks.append(Check("s3:GetObjectVersion" if src_version else "s3:GetObject", f"arn:aws:s3:::{src}"))
        return checks
    raise Unmapped(f"s3 {method} {path}")


def _s3_delete_objects(bucket_arn: str, body: bytes) -> list[Check]:
    import xmltodict

    request = xmltodict.parse(body or b"<Delete/>").get("Delete") or {}
    objects = request.get("Object") or []
    if isinstance(objects, dict):
        objects = [objects]
    return [
        Check("s3:DeleteObjectVersion" if o.get("VersionId") else "s3:DeleteObject", f"{bucket_arn}/{o.get('Key', '')}")
        for o in objects
    ]


def _ecr(operation, request, region, account) -> list[Check]:
    def repo(name):
        return f"arn:aws:ecr:{region}:{account}:repository/{name}"
    if operation == "GetAuthorizationToken":
        return [Check("ecr:GetAuthorizationToken", "*")]
    if operation in ("TagResource", "ListTagsForResource", "UntagResource"):
        arn = request.get("resourceArn", "")
        context = request_tags(_tag_map(request.get("tags"))) if operation == "TagResource" else {}
        return [Check(f"ecr:{operation}", arn, context, tags_of=arn)]
    if operation == "DescribeRepositories" and not request.get("repositoryNames"):
        return [Check("ecr:DescribeRepositories", repo("*"))]
    if operation == "DescribeRepositories":
        return [Check("ecr:DescribeRepositories", repo(n), tags_of=repo(n)) for n in request["repositoryNames"]]
    name = request.get("repositoryName")
    if not name:
        raise Unmapped(f"ecr {operation}")
    if operation == "CreateRepository":
        return [Check("ecr:CreateRepository", repo(name), request_tags(_tag_map(request.get("tags"))))]
    return [Check(f"ecr:{operation}", repo(name), tags_of=repo(name))]


def _codebuild(operation, request, region, account) -> list[Check]:
    def project(name):
        if name.startswith("arn:"):
            name = name.split("/", 1)[1]
        return f"arn:aws:codebuild:{region}:{account}:project/{name.split(':')[0]}"
    if operation in ("ListProjects", "ListBuilds", "ListCuratedEnvironmentImages"):
        return [Check(f"codebuild:{operation}", "*")]
    if operation == "BatchGetProjects":
        return [Check(f"codebuild:{operation}", project(n), tags_of=project(n)) for n in request.get("names", [])]
    if operation == "BatchGetBuilds":
        return [Check(f"codebuild:{operation}", project(i), tags_of=project(i)) for i in request.get("ids", [])]
    if operation == "StopBuild":
        return [Check("codebuild:StopBuild", project(request.get("id", "")), tags_of=project(request.get("id", "")))]
    name = request.get("projectName") or request.get("name")
    if not name:
        raise Unmapped(f"codebuild {operation}")
    if operation in ("CreateProject", "UpdateProject"):
        checks = [Check(f"codebuild:{operation}", project(name), request_tags(_tag_map(request.get("tags"))),
                        tags_of=project(name) if operation == "UpdateProject" else None)]
        if request.get("serviceRole"):
            checks.append(_pass_role(request["serviceRole"], "codebuild.amazonaws.com"))
        return checks
    return [Check(f"codebuild:{operation}", project(name), tags_of=project(name))]


def _logs(operation, request, region, account) -> list[Check]:
    def group(name):
        return f"arn:aws:logs:{region}:{account}:log-group:{name}"
    if operation == "DescribeLogGroups":
        return [Check("logs:DescribeLogGroups", group("*"))]
    if operation in ("TagResource", "ListTagsForResource", "UntagResource"):
        arn = request.get("resourceArn", "").removesuffix(":*")
        return [Check(f"logs:{operation}", arn, request_tags(request.get("tags") or {}), tags_of=arn)]
    name = request.get("logGroupName")
    if not name:
        raise Unmapped(f"logs {operation}")
    arn = group(name)
    stream = request.get("logStreamName")
    if stream and operation in ("GetLogEvents", "CreateLogStream", "PutLogEvents"):
        return [Check(f"logs:{operation}", f"{arn}:log-stream:{stream}", tags_of=arn)]
    if operation == "CreateLogGroup":
        return [Check("logs:CreateLogGroup", arn, request_tags(request.get("tags") or {}))]
    return [Check(f"logs:{operation}", arn, tags_of=arn)]


def _cognito(operation, request, region, account) -> list[Check]:
    if operation in ("CreateUserPool", "ListUserPools"):
        return [Check(f"cognito-idp:{operation}", "*", request_tags(request.get("UserPoolTags") or {}))]
    if operation in ("TagResource", "ListTagsForResource", "UntagResource"):
        arn = request.get("ResourceArn", "")
        return [Check(f"cognito-idp:{operation}", arn, request_tags(request.get("Tags") or {}), tags_of=arn)]
    pool = request.get("UserPoolId")
    if not pool:
        raise Unmapped(f"cognito-idp {operation}")
    arn = f"arn:aws:cognito-idp:{region}:{account}:userpool/{pool}"
    return [Check(f"cognito-idp:{operation}", arn, tags_of=arn)]


# --- how each service says no ----------------------------------------------------

def _access_denied(service: str, message: str):
    if service == "s3":
        return _xml_error("403 Forbidden", "AccessDenied", message, s3=True)
    if service in ("iam", "sts"):
        return _xml_error("403 Forbidden", "AccessDenied", message)
    if service in ("lambda", "apigateway", "account"):
        payload = {"Type": "User", "Message": message} if service == "lambda" else {"message": message}
        return _json_error("403 Forbidden", "AccessDeniedException", payload)
    return _json_error("400 Bad Request", "AccessDeniedException", {"__type": "AccessDeniedException", "message": message})


def _invalid_key(service: str):
    message = "The security token included in the request is invalid."
    if service == "s3":
        return _xml_error("403 Forbidden", "InvalidAccessKeyId",
                          "The AWS Access Key Id you provided does not exist in our records.", s3=True)
    if service in ("iam", "sts"):
        return _xml_error("403 Forbidden", "InvalidClientTokenId", message)
    if service in ("lambda", "apigateway"):
        return _json_error("403 Forbidden", "UnrecognizedClientException", {"message": message})
    return _json_error("400 Bad Request", "UnrecognizedClientException",
                       {"__type": "UnrecognizedClientException", "message": message})


def _expired_token(service: str):
    message = "The security token included in the request is expired"
    if service in ("iam", "sts", "s3"):
        return _xml_error("403 Forbidden", "ExpiredToken", message, s3=service == "s3")
    if service in ("lambda", "apigateway"):
        return _json_error("403 Forbidden", "ExpiredTokenException", {"message": message})
    return _json_error("400 Bad Request", "ExpiredTokenException",
                       {"__type": "ExpiredTokenException", "message": message})


def _xml_error(status, code, message, s3=False):
    from xml.sax.saxutils import escape

    if s3:
        body = f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{escape(message)}</Message></Error>'
    else:
        body = (f'<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type>'
                f"<Code>{code}</Code><Message>{escape(message)}</Message></Error><RequestId>0</RequestId></ErrorResponse>")
    return status, [("Content-Type", "text/xml")], body.encode()


def _json_error(status, code, payload):
    return status, [("Content-Type", "application/json"), ("x-amzn-ErrorType", code)], json.dumps(payload).encode()
