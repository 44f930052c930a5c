"""The moto AWS emulator, plus a small CodeBuild build simulator.

Moto implements the control-plane calls photosky makes, but its CodeBuild runs
nothing: every build is SUCCEEDED on the first look, no log is written and no
image reaches ECR. This wrapper patches moto's CodeBuild backend, in this
process only, so that a build behaves as photosky must expect of a real one:

- StartBuild returns IN_PROGRESS; BatchGetBuilds reports IN_PROGRESS (phase
  BUILD) for the first poll and the final status from the second on, so the
  deployer's poller really polls. With the latency model on (latency.py),
  a build instead spends CodeBuild's phases in AWS's time, and a source zip
  with a prebuilt `bootstrap` builds in seconds where one without compiles
  the handler for minutes.
- When it succeeds, an image manifest is put into moto's ECR repository named
  by the project's REPOSITORY_NAME variable under its IMAGE_TAG, so the
  deployer can read the digest and Lambda (with MOTO_LAMBDA_STUB_ECR=false)
  checks it.
- Log lines are written to CloudWatch Logs under /aws/codebuild/<project>, and
  the build names its log group and stream as CodeBuild does.
- Bucket policies: moto ignores a statement's Condition, so the deployer's
  "deny unless aws:SecureTransport" statement would deny every request. Here
  the emulator stands in for AWS's HTTPS endpoint: a statement conditioned
  only on aws:SecureTransport=false does not apply to its requests (as it
  does not apply to TLS requests on AWS). Other statements are evaluated as
  moto does.
- GetBucketNotificationConfiguration on a bucket with none: moto answers
  `<GetBucketNotificationResponse/>`, which the AWS SDK for Rust refuses to
  parse; AWS answers an empty `<NotificationConfiguration/>`, as here.
  Likewise GetBucketVersioning: moto's `<GetBucketVersioningResponse>`
  root, AWS's (and here) `<VersioningConfiguration>`.
- While the file named by $PHOTOSKY_SIM_FAIL_BUILD exists, builds end FAILED in
  the BUILD phase (with a docker error in the log), so tests can ask for a
  failed build and then clear the request.
- While the file named by $PHOTOSKY_SIM_BUILD_QUOTA exists, StartBuild is
  refused as on a new account whose CodeBuild quota is 0
  (AccountLimitExceededException).
- The file named by $PHOTOSKY_SIM_DENY_BUILDS holds a count: that many next
  builds end FAILED in PROVISIONING with ACCESS_DENIED (CodeBuild could not
  create the log stream), as a build started on a new role's not yet
  propagated policy does; the count goes down with each.
- StartBuild honours idempotencyToken: a resent request within 5 minutes
  gets the first build, not a second.
- StopBuild ends a running build STOPPED (moto alone reports it SUCCEEDED).
- A build's image is for `--platform $IMAGE_PLATFORM` (the buildspec's),
  else the build machine's (ARM_CONTAINER: linux/arm64); its platform is
  recorded for aws_rules.py's launch check. A build that compiles (no
  prebuilt bootstrap) for a platform other than its machine's fails in
  BUILD with "exec format error": Docker cannot RUN the other platform's
  binaries without QEMU.
- UpdateProject (moto has none) changes what it is given of an existing
  project, as AWS documents, and refuses a missing one
  (ResourceNotFoundException).
- CreateBucket applies the tags in its CreateBucketConfiguration, as AWS
  documents (moto ignores them).
- DeleteRestApi on a missing API answers 404 NotFoundException, as AWS
  does (moto: a 500).
- account:ListRegions (moto has no Account API for it) answers AWS's
  regions: the 17 enabled by default, and the opt-in ones as DISABLED,
  filtered by RegionOptStatusContains as AWS documents.
- aws_rules.py keeps rules of AWS's that moto does not (on by default):
  overlapping writes to one REST API conflict, an on-failure destination
  the role may not write is refused, functions can be made Inactive, an
  invitation over a medium the user lacks is refused. RULES.md lists
  them, each with its source and the test that meets it.
- faults.py sits in front of everything: `POST /_photosky/drop?action=A`
  makes the next call of operation A be carried out and its response
  dropped (the connection closed unanswered), as a network can.

- iam.py, with --enforce-iam (or $PHOTOSKY_ENFORCE_IAM=1), authorises every
  request not signed with the admin key pair testing/testing against its
  caller's policies, as AWS does. A build then runs as its project's role:
  one the role may not run (assumed by CodeBuild for this project, its log
  stream written, its source read) fails in PROVISIONING, and one whose
  role may not push to the repository fails in POST_BUILD with ECR's
  "denied: ... is not authorized to perform: ecr:..." in its log.

Usage: python moto_server.py [--port N] [--latency SCALE] [--enforce-iam]. Binds 127.0.0.1
(port 0 = a free one) and prints "listening on PORT" on stdout once it
accepts connections. --latency (or $PHOTOSKY_LATENCY_SCALE) turns on the
latency model at that scale; it can be changed at run time (latency.py).
"""

import argparse
import datetime
import hashlib
import io
import json
import os
import sys
import time
import zipfile

# Lambda must check that the image it is given exists in (moto's) ECR.
os.environ.setdefault("MOTO_LAMBDA_STUB_ECR", "false")

import threading  # noqa: E402

from moto.apigateway import models as apigw_models  # noqa: E402
from moto.apigateway.exceptions import RestAPINotFound  # noqa: E402
from moto.codebuild import models as cb  # noqa: E402
from moto.codebuild import responses as cb_responses  # noqa: E402
from moto.core.exceptions import JsonRESTError  # noqa: E402
from moto.ecr.models import ecr_backends  # noqa: E402
from moto.s3 import models as s3_models  # noqa: E402
from moto.s3 import responses as s3_responses  # noqa: E402
from moto.s3.models import s3_backends  # noqa: E402
from moto.logs.models import logs_backends  # noqa: E402
from moto.server import DomainDispatcherApplication, create_backend_app  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

import aws_rules  # noqa: E402
import faults  # noqa: E402
import iam  # noqa: E402
import latency  # noqa: E402

POLLS_BEFORE_DONE = 1
MODEL = latency.Model(scale=float(os.environ.get("PHOTOSKY_LATENCY_SCALE") or 0))
# The IAM layer (iam.py); main() says whether it enforces.
IAM = iam.Middleware(None, False)
_polls: dict[str, int] = {}
_outcome: dict[str, str] = {}
# Per build: when it started, which kind it is, and the image it pushes
# when it succeeds (pushed at the end, as a real build does).
_started: dict[str, float] = {}
_kind: dict[str, str] = {}
_push: dict[str, tuple] = {}
_push_lock = threading.Lock()
# Builds refused in PROVISIONING, and what CodeBuild said.
_denied: dict[str, str] = {}


def _now_iso() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat()


# StartBuild's environmentVariablesOverride, which moto's backend never sees:
# captured from the request in the same thread.
_request = threading.local()


def _env(project: "cb.CodeBuild") -> dict[str, str]:
    env = project.project_metadata.get("environment") or {}
    values = {v["name"]: v["value"] for v in env.get("environmentVariables", [])}
    for v in getattr(_request, "overrides", None) or []:
        values[v["name"]] = v["value"]
    return values


_original_start_build_response = cb_responses.CodeBuildResponse.start_build


# StartBuild's idempotencyToken (moto ignores it): the same token within 5
# minutes gets the first answer, as CodeBuild documents.
_tokens: dict[str, tuple[float, object]] = {}


def start_build_response(self):
    token = self._get_param("idempotencyToken")
    if token and token in _tokens and time.time() - _tokens[token][0] < 300:
        return _tokens[token][1]
    _request.overrides = self._get_param("environmentVariablesOverride")
    _request.source = self._get_param("sourceLocationOverride")
    try:
        answer = _original_start_build_response(self)
        if token:
            _tokens[token] = (time.time(), answer)
        return answer
    finally:
        _request.overrides = None
        _request.source = None


# UpdateProject's request fields and where moto keeps each.
_UPDATABLE = {
    "description": "description", "source": "source", "artifacts": "artifacts",
    "environment": "environment", "serviceRole": "serviceRole", "cache": "cache",
    "timeoutInMinutes": "timeoutInMinutes", "queuedTimeoutInMinutes": "queuedTimeoutInMinutes",
    "logsConfig": "logsConfig", "vpcConfig": "vpcConfig", "sourceVersion": "sourceVersion",
}


def update_project_response(self):
    from moto.codebuild.exceptions import ResourceNotFoundException
    from moto.core.responses import ActionResult

    name = self._get_param("name")
    project = self.codebuild_backend.codebuild_projects.get(name)
    if project is None:
        raise ResourceNotFoundException(f"Failed to call UpdateProject, reason: Project {name} not found")
    _check_build_machine("UpdateProject", self._get_param("environment"))
    for field, key in _UPDATABLE.items():
        value = self._get_param(field)
        if value is not None:
            project.project_metadata[key] = value
    project.project_metadata["lastModifiedDate"] = time.time()
    return ActionResult({"project": project.project_metadata})


def _check_build_machine(operation: str, environment) -> None:
    from moto.codebuild.exceptions import InvalidInputException

    why = aws_rules.build_machine_refusal(operation, environment or {})
    if why:
        raise InvalidInputException(why)


_original_create_project_response = cb_responses.CodeBuildResponse.create_project


def create_project_response(self):
    _check_build_machine("CreateProject", self._get_param("environment"))
    return _original_create_project_response(self)


def _platforms(project: "cb.CodeBuild", env: dict) -> tuple[str, str]:
    """(the build machine's platform, the image's): ARM_CONTAINER machines
    are linux/arm64; the image's is the buildspec's `--platform
    $IMAGE_PLATFORM`, else the machine's."""
    kind = (project.project_metadata.get("environment") or {}).get("type", "")
    machine = "linux/arm64" if kind.startswith("ARM") else "linux/amd64"
    return machine, env.get("IMAGE_PLATFORM") or machine


def _build_kind(account: str, project: "cb.CodeBuild") -> str:
    """`prebuilt` when the source zip carries a bootstrap binary, else `compile`."""
    location = getattr(_request, "source", None) or (project.project_metadata.get("source") or {}).get("location", "")
    bucket, _, key = location.partition("/")
    try:
        obj = s3_backends[account]["aws"].get_object(bucket, key)
        names = zipfile.ZipFile(io.BytesIO(obj.value)).namelist() if obj else []
    except (KeyError, zipfile.BadZipFile):
        names = []
    return "prebuilt" if any(n.rsplit("/", 1)[-1] == "bootstrap" for n in names) else "compile"


def _log(account: str, region: str, group: str, stream: str, lines: list[str]) -> None:
    logs = logs_backends[account][region]
    if group not in logs.groups:
        logs.create_log_group(group, {})
    if stream not in logs.groups[group].streams:
        logs.create_log_stream(group, stream)
    base = int(time.time() * 1000)
    events = [{"timestamp": base + i, "message": line} for i, line in enumerate(lines)]
    logs.put_log_events(group, stream, events)


_original_start_build = cb.CodeBuildBackend.start_build


def _take_denial() -> bool:
    """One of the ACCESS_DENIED builds asked for by $PHOTOSKY_SIM_DENY_BUILDS."""
    path = os.environ.get("PHOTOSKY_SIM_DENY_BUILDS")
    try:
        with open(path) as f:
            left = int(f.read().strip() or 0)
    except (TypeError, OSError, ValueError):
        return False
    if left <= 0:
        return False
    with open(path, "w") as f:
        f.write(str(left - 1))
    return True


def _build_role_refuses(account, region, project, group, stream, repo):
    """What the project's service role may not do of what a build does, as
    ("setup", message) or ("push", log line), or None. With IAM enforced
    (iam.py), a build runs as its role: CodeBuild assumes it (its trust
    policy must let codebuild.amazonaws.com, with aws:SourceAccount and
    aws:SourceArn of the project), writes the log stream, reads the
    source, and the buildspec logs in to ECR and pushes the image."""
    if not IAM.enforced:
        return None
    from moto.iam.models import iam_backends

    from iam_policy import ALLOW, evaluate

    role_arn = project.service_role
    try:
        role = iam_backends[account]["aws"].get_role_by_arn(role_arn)
    except Exception:
        return ("setup", f"CLIENT_ERROR: CodeBuild is not authorized to perform: sts:AssumeRole on {role_arn}")
    trust = {"aws:sourceaccount": account, "aws:sourcearn": project.arn}
    if evaluate([role.assume_role_policy_document], "sts:AssumeRole", None, trust,
                {"Service": ["codebuild.amazonaws.com"]}) != ALLOW:
        return ("setup", f"CLIENT_ERROR: CodeBuild is not authorized to perform: sts:AssumeRole on {role_arn}")
    policies = list(role.policies.values())
    session = f"arn:aws:sts::{account}:assumed-role/{role.name}/AWSCodeBuild-{stream}"

    def refused(action, resource):
        if evaluate(policies, action, resource, {"aws:securetransport": "true"}) == ALLOW:
            return None
        return f"User: {session} is not authorized to perform: {action} on resource: {resource}"

    log_stream = f"arn:aws:logs:{region}:{account}:log-group:{group}:log-stream:{stream}"
    for action in ("logs:CreateLogStream", "logs:PutLogEvents"):
        why = refused(action, log_stream)
        if why:
            return ("setup", f"ACCESS_DENIED: Service role {role_arn} does not allow AWS CodeBuild to create "
                             f"Amazon CloudWatch Logs log streams. Error message: {why}")
    source = (project.project_metadata.get("source") or {}).get("location", "")
    why = refused("s3:GetObject", f"arn:aws:s3:::{source}")
    if why:
        return ("setup", f"CLIENT_ERROR: AccessDenied: {why} for primary source {source}")
    repo_arn = f"arn:aws:ecr:{region}:{account}:repository/{repo}"
    pushes = [("ecr:GetAuthorizationToken", "*")] + [
        (a, repo_arn)
        for a in ("ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart",
                  "ecr:CompleteLayerUpload", "ecr:PutImage")
    ]
    for action, resource in pushes:
        why = refused(action, resource)
        if why:
            return ("push", f"denied: {why}")
    return None


def start_build(self, project_name, source_version=None, artifact_override=None):
    quota_flag = os.environ.get("PHOTOSKY_SIM_BUILD_QUOTA")
    if quota_flag and os.path.exists(quota_flag):
        raise JsonRESTError(
            "AccountLimitExceededException", "Cannot have more than 0 builds in queue for the account"
        )
    meta = _original_start_build(self, project_name, source_version, artifact_override)
    project = self.codebuild_projects[project_name]
    env = _env(project)
    # The build's own environment, overrides applied, as BatchGetBuilds
    # reports it on AWS (moto reports none).
    meta["environment"] = dict(
        meta.get("environment") or {},
        environmentVariables=[{"name": k, "value": v, "type": "PLAINTEXT"} for k, v in env.items()],
    )
    build_id = meta["id"]
    stream = build_id.split(":", 1)[1]
    group = f"/aws/codebuild/{project_name}"
    fail_flag = os.environ.get("PHOTOSKY_SIM_FAIL_BUILD")
    failed = bool(fail_flag) and os.path.exists(fail_flag)
    tag = env.get("IMAGE_TAG", "latest")
    repo = env.get("REPOSITORY_NAME", "")
    machine, platform = _platforms(project, env)
    kind = _build_kind(self.account_id, project)
    lines = [
        f"[Container] Running command docker build --provenance=false --platform {platform} -t image .",
        f"[Container] building {repo}:{tag} for {platform} on {machine}",
    ]
    refused = _build_role_refuses(self.account_id, self.region_name, project, group, stream, repo)
    if refused and refused[0] == "push":
        lines += [
            f"[Container] pushing {repo}:{tag}",
            refused[1],
            "[Container] Command did not exit successfully docker push exit status 1",
            "[Container] Phase complete: POST_BUILD State: FAILED",
        ]
        _outcome[build_id] = "FAILED"
    elif refused:
        lines = []
        _outcome[build_id] = "FAILED"
        _denied[build_id] = refused[1]
    elif _take_denial():
        # CodeBuild could not even create the log stream: no log lines.
        lines = []
        _outcome[build_id] = "FAILED"
        _denied[build_id] = (
            f"ACCESS_DENIED: Service role {project.service_role} does not allow AWS CodeBuild to create "
            f"Amazon CloudWatch Logs log streams for build {meta['arn']}. Error message: User is not "
            f"authorized to perform: logs:CreateLogStream on resource: {group}:log-stream:{stream}"
        )
    elif kind == "compile" and platform != machine:
        # The handler's Dockerfile RUNs the compiler: a foreign platform's
        # binaries do not execute without QEMU registered, which CodeBuild's
        # images do not do (Docker, "Multi-platform builds": emulation or a
        # native machine).
        lines += [
            "exec /bin/sh: exec format error",
            f"error: failed to solve: process \"/bin/sh -c dnf install -y gcc\" did not complete successfully: exit code: 1 (a {platform} image built on {machine})",
            "[Container] Command did not exit successfully docker build exit status 1",
            "[Container] Phase complete: BUILD State: FAILED",
        ]
        _outcome[build_id] = "FAILED"
    elif failed:
        lines += [
            "error: failed to solve: process \"/bin/sh -c cargo build --release\" did not complete successfully: exit code: 101",
            "[Container] Command did not exit successfully docker build exit status 1",
            "[Container] Phase complete: BUILD State: FAILED",
        ]
        _outcome[build_id] = "FAILED"
    else:
        # A manifest that moto's Lambda accepts as an image: mediaType and layers.
        manifest = json.dumps(
            {
                "schemaVersion": 2,
                "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                "config": {
                    "mediaType": "application/vnd.docker.container.image.v1+json",
                    "size": 1,
                    "digest": "sha256:" + hashlib.sha256(tag.encode()).hexdigest(),
                },
                "layers": [
                    {
                        "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                        "size": 1,
                        "digest": "sha256:" + hashlib.sha256(build_id.encode()).hexdigest(),
                    }
                ],
            }
        )
        _push[build_id] = (self.account_id, self.region_name, repo, manifest, tag, platform)
        lines += [
            f"[Container] pushed {repo}:{tag}",
            "[Container] Phase complete: POST_BUILD State: SUCCEEDED",
        ]
        _outcome[build_id] = "SUCCEEDED"
    if lines:
        _log(self.account_id, self.region_name, group, stream, lines)
    _polls[build_id] = 0
    _started[build_id] = time.monotonic()
    _kind[build_id] = kind
    meta["logs"] = {
        "groupName": group,
        "streamName": stream,
        "deepLink": f"https://console.aws.amazon.com/cloudwatch/home?region={self.region_name}#logEvent:group={group};stream={stream}",
        "cloudWatchLogs": {"status": "ENABLED"},
        "s3Logs": {"status": "DISABLED", "encryptionDisabled": False},
    }
    return meta


def batch_get_builds(self, ids):
    out = []
    for history in self.build_metadata_history.values():
        for build in history:
            build_id = build["id"]
            if build_id not in ids:
                continue
            n = _polls.get(build_id, POLLS_BEFORE_DONE)
            _polls[build_id] = n + 1
            phase = _modelled_phase(build_id) if MODEL.on else None
            if phase is not None or (not MODEL.on and n < POLLS_BEFORE_DONE):
                build["currentPhase"] = phase or "BUILD"
                build["buildStatus"] = "IN_PROGRESS"
                build["phases"] = [
                    {"phaseType": "SUBMITTED", "phaseStatus": "SUCCEEDED"},
                    {"phaseType": phase or "BUILD"},
                ]
            else:
                status = _outcome.get(build_id, "SUCCEEDED")
                with _push_lock:
                    pushed = _push.pop(build_id, None) if status == "SUCCEEDED" else None
                if pushed:
                    account, region, repo, manifest, tag, platform = pushed
                    ecr = ecr_backends[account][region]
                    try:
                        ecr.put_image(repo, manifest, tag)
                    except Exception as e:
                        # Already there (a poll racing this one): as wanted.
                        if type(e).__name__ != "ImageAlreadyExistsException":
                            raise
                    for image in ecr.repositories[repo].images:
                        if image.image_manifest == manifest:
                            aws_rules.IMAGE_PLATFORMS[image.get_image_digest()] = platform
                build["currentPhase"] = "COMPLETED"
                build["buildStatus"] = status
                build["buildComplete"] = True
                build["endTime"] = _now_iso()
                build_phase = {"phaseType": "BUILD", "phaseStatus": status}
                if build_id in _denied:
                    build_phase = {
                        "phaseType": "PROVISIONING",
                        "phaseStatus": "FAILED",
                        "contexts": [{"statusCode": "ACCESS_DENIED", "message": _denied[build_id]}],
                    }
                elif status == "FAILED":
                    build_phase["contexts"] = [
                        {
                            "statusCode": "COMMAND_EXECUTION_ERROR",
                            "message": "Error while executing command: docker build. Reason: exit status 1",
                        }
                    ]
                build["phases"] = [
                    {"phaseType": "SUBMITTED", "phaseStatus": "SUCCEEDED"},
                    build_phase,
                    {"phaseType": "COMPLETED"},
                ]
            out.append(build)
    return out


def stop_build(self, build_id):
    """A stopped build ends STOPPED at once, and pushes nothing."""
    _outcome[build_id] = "STOPPED"
    _push.pop(build_id, None)
    _polls[build_id] = POLLS_BEFORE_DONE
    _started[build_id] = float("-inf")
    for history in self.build_metadata_history.values():
        for build in history:
            if build["id"] == build_id:
                return build
    return None


def _modelled_phase(build_id: str):
    """The phase a build is in by now, or None once it has ended."""
    elapsed = time.monotonic() - _started.get(build_id, 0)
    for phase, seconds in MODEL.build_phases(_kind.get(build_id, "compile")):
        if elapsed < seconds:
            return phase
        elapsed -= seconds
    return None


def _insecure_transport_only(statement: dict) -> bool:
    cond = statement.get("Condition") or {}
    return cond == {"Bool": {"aws:SecureTransport": "false"}}


def get_permission(self, action, resource):
    from moto.iam.access_control import IAMPolicy, PermissionResult

    if self.policy is None:
        return PermissionResult.NEUTRAL
    policy = json.loads(self.policy.decode())
    statements = policy.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    policy["Statement"] = [s for s in statements if not _insecure_transport_only(s)]
    return IAMPolicy(json.dumps(policy)).is_action_permitted(action, resource)


s3_models.FakeBucket.get_permission = get_permission

_original_get_bucket_notification = s3_responses.S3Response.get_bucket_notification


def get_bucket_notification(self):
    if not self.backend.get_bucket_notification_configuration(self.bucket_name):
        body = '<?xml version="1.0" encoding="UTF-8"?>\n<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>'
        return 200, {"Content-Type": "application/xml"}, body
    return _original_get_bucket_notification(self)


s3_responses.S3Response.get_bucket_notification = get_bucket_notification


def get_bucket_versioning(self):
    status = self.backend.get_bucket_versioning(self.bucket_name)
    inner = f"<Status>{status}</Status>" if status else ""
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">{inner}</VersioningConfiguration>'
    return 200, {"Content-Type": "application/xml"}, body


s3_responses.S3Response.get_bucket_versioning = get_bucket_versioning

_original_bucket_put = s3_responses.S3Response._bucket_response_put


def _create_bucket_tags(body: bytes) -> dict:
    import xmltodict

    try:
        config = xmltodict.parse(body).get("CreateBucketConfiguration") or {}
    except Exception:
        return {}
    tags = (config.get("Tags") or {}).get("Tag") or []
    if isinstance(tags, dict):
        tags = [tags]
    return {t["Key"]: t.get("Value") or "" for t in tags}


def bucket_response_put(self, request, bucket_name, querystring):
    new = not querystring and bucket_name not in self.backend.buckets
    result = _original_bucket_put(self, request, bucket_name, querystring)
    if new and self.body and bucket_name in self.backend.buckets:
        tags = _create_bucket_tags(self.body)
        if tags:
            self.backend.put_bucket_tagging(bucket_name, tags)
    return result


s3_responses.S3Response._bucket_response_put = bucket_response_put


def delete_rest_api(self, function_id):
    if function_id not in self.apis:
        raise RestAPINotFound()
    return self.apis.pop(function_id)


apigw_models.APIGatewayBackend.delete_rest_api = delete_rest_api
cb_responses.CodeBuildResponse.start_build = start_build_response
cb_responses.CodeBuildResponse.update_project = update_project_response
cb_responses.CodeBuildResponse.create_project = create_project_response
cb.CodeBuildBackend.start_build = start_build
cb.CodeBuildBackend.batch_get_builds = batch_get_builds
cb.CodeBuildBackend.stop_build = stop_build


# AWS's commercial regions: enabled by default, or opt-in (not enabled here).
DEFAULT_REGIONS = [
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1",
    "ap-southeast-2", "ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2",
    "eu-west-3", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
]
OPT_IN_REGIONS = ["af-south-1", "ap-east-1", "ap-south-2", "eu-south-1", "me-south-1"]


class AccountRegions:
    """POST /listRegions of the Account API (signed for service `account`)."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != "/listRegions" or latency._service(environ) != "account":
            return self.app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        request = json.loads(environ["wsgi.input"].read(length) or b"{}") if length else {}
        regions = [{"RegionName": r, "RegionOptStatus": "ENABLED_BY_DEFAULT"} for r in DEFAULT_REGIONS]
        regions += [{"RegionName": r, "RegionOptStatus": "DISABLED"} for r in OPT_IN_REGIONS]
        wanted = request.get("RegionOptStatusContains")
        if wanted:
            regions = [r for r in regions if r["RegionOptStatus"] in wanted]
        body = json.dumps({"Regions": regions}).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=None, metavar="SCALE")
    parser.add_argument("--enforce-iam", action="store_true", help="authorise every request as AWS does (iam.py)")
    args = parser.parse_args()
    IAM.enforced = args.enforce_iam or os.environ.get("PHOTOSKY_ENFORCE_IAM") == "1"
    IAM.app = aws_rules.Middleware(AccountRegions(DomainDispatcherApplication(create_backend_app)))
    if args.latency is not None:
        MODEL.scale = args.latency
    app = faults.Middleware(
        latency.Middleware(
            IAM,
            MODEL,
        )
    )
    server = make_server("127.0.0.1", args.port, app, threaded=True)
    print(f"listening on {server.port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
