"""The built Lambda binary driven through the Lambda Runtime API by
cargo-lambda (`cargo lambda watch --only-lambda-apis` emulates the Lambda
service, `cargo lambda invoke` sends events), with S3 on the moto emulator,
IAM enforced: the binary runs with a session of the execution role photosky
writes (tests/function-role.json), as Lambda gives a function its role's.
Nobody here wrote either side of that API: this checks the function speaks
it. The binary is the artifact photosky ships (./dev bootstrap: release,
glibc 2.34, built by cargo-zigbuild), started here as Lambda starts
/var/runtime/bootstrap, not a debug build cargo-lambda makes itself. The
arm64 binary runs here under qemu-user (Debian's `qemu-user`, with the
arm64 glibc of `libc6-arm64-cross`), the same checks.

Run by ./dev test: python lambda_runtime.py PATH-TO-BOOTSTRAP (needs
cargo-lambda and moto in .venv, on PATH). Prints one line per check and
"N passed, N failed".
"""

import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import boto3

HANDLER = Path(__file__).resolve().parent.parent
ROOT = HANDLER.parent
# The buckets of the stack the tests stand for: the function role in
# tests/function-role.json is written for them.
SOURCE, DEST = "photosky-tests0-source", "photosky-tests0-thumbnails"
# A phone photo: stored landscape, shown portrait (EXIF Orientation 6).
PHOTO = ROOT / "tests/photos/seeding-orientation6.jpg"
# The same as an iPhone writes it: HEIC (HEVC grid tiles, turned by irot),
# decoded by the libheif and libde265 linked into the binary.
HEIC = ROOT / "tests/photos/seeding-orientation6.heic"
# Where Debian's libc6-arm64-cross puts the arm64 glibc, for qemu-aarch64 -L.
ARM64_SYSROOT = "/usr/aarch64-linux-gnu"
results: list[tuple[str, bool, str]] = []


def check(name: str, ok: bool, detail: str = "") -> None:
    results.append((name, ok, detail))
    print(f"{'ok    ' if ok else 'FAILED'} {name}{'  ' + detail if detail and not ok else ''}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def jpeg_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a JPEG's SOF marker."""
    i = 2
    while i < len(data):
        marker, length = data[i + 1], int.from_bytes(data[i + 2 : i + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2):
            return int.from_bytes(data[i + 7 : i + 9], "big"), int.from_bytes(data[i + 5 : i + 7], "big")
        i += 2 + length
    raise ValueError("no SOF")


def answer_of(r: subprocess.CompletedProcess) -> dict:
    """The function's JSON answer to an invocation, {} if it gave none."""
    try:
        return json.loads(r.stdout)
    except ValueError:
        return {}


def s3_record(bucket: str, key: str, size: int) -> dict:
    return {
        "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "eu-west-1",
        "eventTime": "2026-11-22T10:00:00.000Z", "eventName": "ObjectCreated:Put",
        "userIdentity": {"principalId": "AWS:EXAMPLE"},
        "requestParameters": {"sourceIPAddress": "203.0.113.9"},
        "responseElements": {"x-amz-request-id": "1", "x-amz-id-2": "2"},
        "s3": {
            "s3SchemaVersion": "1.0", "configurationId": "photosky-thumbnails",
            "bucket": {"name": bucket, "ownerIdentity": {"principalId": "X"}, "arn": f"arn:aws:s3:::{bucket}"},
            "object": {"key": urllib.parse.quote_plus(key, safe="/"), "size": size, "eTag": "0", "sequencer": "0"},
        },
    }


def command(bootstrap: str) -> list[str]:
    """How to start `bootstrap` here: itself, or an arm64 binary on another
    machine under qemu-aarch64 with the arm64 glibc."""
    with open(bootstrap, "rb") as f:
        machine = int.from_bytes(f.read(20)[18:20], "little")
    if machine != 183 or platform.machine() in ("aarch64", "arm64"):
        return [bootstrap]
    qemu = shutil.which("qemu-aarch64")
    if not qemu or not os.path.exists(f"{ARM64_SYSROOT}/lib/ld-linux-aarch64.so.1"):
        sys.exit("an arm64 binary needs qemu-aarch64 and the arm64 glibc here: "
                 "sudo apt-get install qemu-user libc6-arm64-cross")
    return [qemu, "-L", ARM64_SYSROOT, bootstrap]


def main(bootstrap: str) -> int:
    print(f"{bootstrap}, started as: {' '.join(command(bootstrap))}")
    tmp = Path(tempfile.mkdtemp())
    moto = subprocess.Popen(
        [sys.executable, str(ROOT / "tests/emulator/moto_server.py"), "--port", "0", "--enforce-iam"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    endpoint = f"http://127.0.0.1:{moto.stdout.readline().split()[-1]}"
    # The function runs as its execution role (the role photosky writes,
    # handler/tests/function-role.json), with the credentials Lambda gives
    # a function; the test sets up and looks as the account's root.
    request = json.dumps({"name": "photosky-tests0-function",
                          "policy": json.loads((HANDLER / "tests/function-role.json").read_text())})
    with urllib.request.urlopen(urllib.request.Request(
            f"{endpoint}/_photosky/iam/role", data=request.encode(), method="POST")) as answer:
        role = json.loads(answer.read())
    creds = {"AWS_ACCESS_KEY_ID": role["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": role["SecretAccessKey"],
             "AWS_SESSION_TOKEN": role["SessionToken"], "AWS_REGION": "eu-west-1"}
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-1",
                      aws_access_key_id="testing", aws_secret_access_key="testing")
    for b in (SOURCE, DEST):
        s3.create_bucket(Bucket=b, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    photo = PHOTO.read_bytes()
    s3.put_object(Bucket=SOURCE, Key="uploads/phone photo+1.jpg", Body=photo)
    s3.put_object(Bucket=SOURCE, Key="uploads/broken.png", Body=b"\x89PNG\r\n\x1a\n broken")
    event = {"Records": [s3_record(SOURCE, "uploads/phone photo+1.jpg", len(photo)), s3_record(SOURCE, "uploads/broken.png", 17)]}
    (tmp / "s3.json").write_text(json.dumps(event))

    port = free_port()
    # The Runtime API alone; the function is the shipped binary, given the
    # environment Lambda gives a custom runtime (cargo-lambda prints these
    # for --only-lambda-apis; `_` is the one function it then serves).
    watch = subprocess.Popen(
        ["cargo", "lambda", "watch", "--only-lambda-apis", "-A", "127.0.0.1", "-P", str(port)],
        cwd=HANDLER, stdout=open(tmp / "watch.log", "w"), stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    function = subprocess.Popen(
        command(bootstrap),
        env=dict(creds, AWS_ENDPOINT_URL=endpoint, SOURCE_BUCKET=SOURCE, DEST_BUCKET=DEST,
                 AWS_CONFIG_FILE="/nonexistent", AWS_SHARED_CREDENTIALS_FILE="/nonexistent",
                 PATH=os.environ["PATH"], AWS_LAMBDA_FUNCTION_NAME="_", AWS_LAMBDA_FUNCTION_VERSION="1",
                 AWS_LAMBDA_FUNCTION_MEMORY_SIZE="1024", AWS_LAMBDA_RUNTIME_API=f"http://127.0.0.1:{port}/.rt"),
        stdout=open(tmp / "function.log", "w"), stderr=subprocess.STDOUT,
    )

    def invoke(data_file: Path) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["cargo", "lambda", "invoke", "_", "-A", "127.0.0.1", "-P", str(port),
             "--data-file", str(data_file), "--output-format", "json"],
            cwd=HANDLER, capture_output=True, text=True, timeout=600,
        )

    try:
        while True:
            r = invoke(tmp / "s3.json")
            if r.returncode == 0 or time.time() > deadline or "onnection refused" not in r.stderr + r.stdout:
                break
            time.sleep(2)
        check("S3 event invocation succeeds", r.returncode == 0, r.stdout + r.stderr)
        answer = answer_of(r)
        check("the function reports 2 records, 1 thumbnailed", answer == {"records": 2, "thumbnailed": 1}, r.stdout)
        for size, want in ((1024, (768, 1024)), (256, (192, 256))):
            key = f"{size}/phone photo+1.jpg.jpg"
            try:
                obj = s3.get_object(Bucket=DEST, Key=key)
                got = jpeg_size(obj["Body"].read())
                check(f"{key} is a portrait JPEG {want}", got == want and obj["ContentType"] == "image/jpeg", str(got))
            except Exception as e:  # noqa: BLE001
                check(f"{key} exists", False, repr(e))
        keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=DEST).get("Contents", []))
        thumbs = [k for k in keys if k.split("/", 1)[0].isdigit()]
        check("the broken upload made no thumbnail", len(thumbs) == 2, str(keys))
        placed = [k.rsplit("/", 1)[1] for k in keys if k.startswith("timeline/")]
        check("only the photo is on the timeline", placed == ["phone photo+1.jpg"], str(keys))
        check(
            "the broken upload is remembered as one (failed/<id>/<etag>)",
            [k.rsplit("/", 1)[0] for k in keys if k.startswith("failed/")] == ["failed/broken.png"],
            str(keys),
        )
        uploads = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=SOURCE).get("Contents", []))
        check("the broken upload is not kept in the upload bucket", uploads == ["uploads/phone photo+1.jpg"], str(uploads))

        # The photo API: API Gateway REST proxy events, as documented.
        def api(method: str, path: str, query: dict | None = None) -> dict:
            event = json.loads((HANDLER / "tests/events/apigw-rest-proxy.json").read_text())
            event.update(httpMethod=method, path=path, pathParameters={"proxy": urllib.parse.unquote(path[1:])},
                         queryStringParameters=query,
                         multiValueQueryStringParameters={k: [v] for k, v in query.items()} if query else None)
            (tmp / "api.json").write_text(json.dumps(event))
            r = invoke(tmp / "api.json")
            try:
                return json.loads(r.stdout)
            except ValueError:
                return {"statusCode": None, "body": r.stdout + r.stderr}

        page = api("GET", "/")
        check("GET / answers the gallery page", page.get("statusCode") == 200
              and "<title>PhotoSky</title>" in page.get("body", ""), str(page)[:300])
        listing = api("GET", "/list-images")
        ids = [i["id"] for i in json.loads(listing.get("body") or "{}").get("images", [])]
        check("GET /list-images lists the photo, not the broken upload", listing.get("statusCode") == 200
              and ids == ["phone photo+1.jpg"], str(listing)[:300])
        view = api("GET", "/phone%20photo%2B1.jpg", {"preview": "1"})
        url = json.loads(view.get("body") or "{}").get("url", "")
        check("GET /{id}?preview=1 with an encoded id gives the thumbnail's URL",
              view.get("statusCode") == 200 and f"/{DEST}/256/phone%20photo%2B1.jpg.jpg" in url, str(view)[:300])

        heic = HEIC.read_bytes()
        s3.put_object(Bucket=SOURCE, Key="uploads/IMG_0002.HEIC", Body=heic)
        (tmp / "heic.json").write_text(json.dumps({"Records": [s3_record(SOURCE, "uploads/IMG_0002.HEIC", len(heic))]}))
        r = invoke(tmp / "heic.json")
        answer = answer_of(r)
        check("a HEIC upload is thumbnailed", r.returncode == 0 and answer == {"records": 1, "thumbnailed": 1},
              r.stdout + r.stderr)
        try:
            got = jpeg_size(s3.get_object(Bucket=DEST, Key="1024/IMG_0002.HEIC.jpg")["Body"].read())
            check("its 1024 px thumbnail is upright (768x1024)", got == (768, 1024), str(got))
        except Exception as e:  # noqa: BLE001
            check("its 1024 px thumbnail exists", False, repr(e))

        # S3 unreachable: the invocation must fail, so Lambda would retry.
        moto.terminate()
        moto.wait()
        r = invoke(tmp / "s3.json")
        failed = r.returncode != 0 and "will be retried" in (r.stdout + r.stderr)
        check("a transient S3 failure fails the invocation", failed, r.stdout + r.stderr)
    finally:
        function.terminate()
        watch.terminate()
        try:
            watch.wait(timeout=20)
        except subprocess.TimeoutExpired:
            watch.kill()
        if moto.poll() is None:
            moto.terminate()
    if any(not ok for _, ok, _ in results):
        print((tmp / "watch.log").read_text()[-2000:])
        print((tmp / "function.log").read_text()[-2000:])
    passed = sum(ok for _, ok, _ in results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: lambda_runtime.py PATH-TO-BOOTSTRAP (./dev bootstrap prints it)")
    sys.exit(main(sys.argv[1]))
