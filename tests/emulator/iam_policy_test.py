"""The emulator's IAM evaluator (iam_policy.py) against the cases AWS's IAM
user guide gives ("Policy evaluation logic", "Condition operators",
"Single-valued vs. multivalued context keys"). Every test of the deployer
trusts this evaluator to say what AWS would; run by `./dev test`:

    python tests/emulator/iam_policy_test.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from iam_policy import ALLOW, DENY, NONE, evaluate  # noqa: E402

FN = "arn:aws:lambda:eu-west-1:123456789012:function:photosky-abc123"


def policy(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(action, resource, condition=None, **extra):
    st = {"Effect": "Allow", "Action": action, "Resource": resource, **extra}
    if condition:
        st["Condition"] = condition
    return st


CASES = [
    # (what, policies, action, resource, context, principal, expected)
    ("an allow allows", [policy(allow("lambda:GetFunction", FN))], "lambda:GetFunction", FN, {}, None, ALLOW),
    ("nothing allows: implicit deny", [policy(allow("lambda:GetFunction", FN))],
     "lambda:DeleteFunction", FN, {}, None, NONE),
    ("an explicit deny wins over an allow, in any policy",
     [policy(allow("lambda:*", "*")), policy({"Effect": "Deny", "Action": "lambda:DeleteFunction", "Resource": "*"})],
     "lambda:DeleteFunction", FN, {}, None, DENY),
    ("an allow whose condition does not hold allows nothing (it does not deny)",
     [policy(allow("lambda:DeleteFunction", FN, {"StringEquals": {"aws:ResourceTag/photosky-stack": "x"}}),
             allow("lambda:DeleteFunction", FN))],
     "lambda:DeleteFunction", FN, {"aws:resourcetag/photosky-stack": "y"}, None, ALLOW),
    ("actions match without regard to case", [policy(allow("LAMBDA:getfunction", FN))],
     "lambda:GetFunction", FN, {}, None, ALLOW),
    ("resources match with regard to case", [policy(allow("lambda:GetFunction", FN.upper()))],
     "lambda:GetFunction", FN, {}, None, NONE),
    ("* spans slashes in a resource", [policy(allow("iam:PassRole", "arn:aws:iam::*:role/*-function"))],
     "iam:PassRole", "arn:aws:iam::123456789012:role/photosky/a-function", {}, None, ALLOW),
    ("? is one character", [policy(allow("s3:GetObject", "arn:aws:s3:::b/?.jpg"))],
     "s3:GetObject", "arn:aws:s3:::b/ab.jpg", {}, None, NONE),
    ("NotAction does not allow what it names", [policy({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})],
     "iam:CreateRole", "*", {}, None, NONE),
    ("NotResource allows everything else",
     [policy({"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"})],
     "s3:GetObject", "arn:aws:s3:::open/x", {}, None, ALLOW),
    ("a missing key fails a positive operator",
     [policy(allow("s3:ListBucket", "*", {"StringLike": {"s3:prefix": "uploads/*"}}))],
     "s3:ListBucket", "arn:aws:s3:::b", {}, None, NONE),
    ("a missing key passes a negated operator",
     [policy(allow("s3:ListBucket", "*", {"StringNotEquals": {"s3:prefix": "private/"}}))],
     "s3:ListBucket", "arn:aws:s3:::b", {}, None, ALLOW),
    ("IfExists passes a missing key",
     [policy(allow("s3:ListBucket", "*", {"StringEqualsIfExists": {"s3:prefix": "uploads/"}}))],
     "s3:ListBucket", "arn:aws:s3:::b", {}, None, ALLOW),
    ("IfExists still tests a present key",
     [policy(allow("s3:ListBucket", "*", {"StringEqualsIfExists": {"s3:prefix": "uploads/"}}))],
     "s3:ListBucket", "arn:aws:s3:::b", {"s3:prefix": "other/"}, None, NONE),
    ("Null false: the tag must be there",
     [policy(allow("lambda:DeleteFunction", FN, {"Null": {"aws:ResourceTag/photosky-stack": "false"}}))],
     "lambda:DeleteFunction", FN, {}, None, NONE),
    ("Null false holds when it is there (keys ignore case)",
     [policy(allow("lambda:DeleteFunction", FN, {"Null": {"aws:ResourceTag/photosky-stack": "false"}}))],
     "lambda:DeleteFunction", FN, {"aws:resourcetag/photosky-stack": "p"}, None, ALLOW),
    ("Bool compares true and false as text",
     [policy({"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": False}}}),
      policy(allow("s3:GetObject", "*"))],
     "s3:GetObject", "arn:aws:s3:::b/k", {"aws:securetransport": "true"}, None, ALLOW),
    ("every condition block must hold (AND), any value of one (OR)",
     [policy(allow("iam:PassRole", "*", {"StringEquals": {"iam:PassedToService": ["lambda.amazonaws.com",
                                                                                   "codebuild.amazonaws.com"]}}))],
     "iam:PassRole", "arn:aws:iam::1:role/r", {"iam:passedtoservice": "codebuild.amazonaws.com"}, None, ALLOW),
    ("a role passed to another service is refused",
     [policy(allow("iam:PassRole", "*", {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}))],
     "iam:PassRole", "arn:aws:iam::1:role/r", {"iam:passedtoservice": "ec2.amazonaws.com"}, None, NONE),
    ("ArnLike matches part by part",
     [policy(allow("lambda:InvokeFunction", FN, {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::photosky-*-source"}}))],
     "lambda:InvokeFunction", FN, {"aws:sourcearn": "arn:aws:s3:::photosky-abc123-source"}, None, ALLOW),
    ("ArnLike refuses another bucket",
     [policy(allow("lambda:InvokeFunction", FN, {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::photosky-*-source"}}))],
     "lambda:InvokeFunction", FN, {"aws:sourcearn": "arn:aws:s3:::elsewhere"}, None, NONE),
    ("ForAllValues over no values holds",
     [policy(allow("ecr:TagResource", "*", {"ForAllValues:StringEquals": {"aws:TagKeys": ["photosky-stack"]}}))],
     "ecr:TagResource", "*", {}, None, ALLOW),
    ("ForAllValues refuses a key outside the set",
     [policy(allow("ecr:TagResource", "*", {"ForAllValues:StringEquals": {"aws:TagKeys": ["photosky-stack"]}}))],
     "ecr:TagResource", "*", {"aws:tagkeys": ["photosky-stack", "owner"]}, None, NONE),
    ("ForAnyValue needs one value in the set",
     [policy(allow("ecr:TagResource", "*", {"ForAnyValue:StringEquals": {"aws:TagKeys": ["photosky-stack"]}}))],
     "ecr:TagResource", "*", {"aws:tagkeys": ["owner", "photosky-stack"]}, None, ALLOW),
    ("ForAnyValue over no values fails",
     [policy(allow("ecr:TagResource", "*", {"ForAnyValue:StringEquals": {"aws:TagKeys": ["photosky-stack"]}}))],
     "ecr:TagResource", "*", {}, None, NONE),
    ("a resource policy names its principal: a service",
     [policy({"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction",
              "Resource": FN})],
     "lambda:InvokeFunction", FN, {}, {"Service": ["s3.amazonaws.com"]}, ALLOW),
    ("a resource policy refuses another principal",
     [policy({"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction",
              "Resource": FN})],
     "lambda:InvokeFunction", FN, {}, {"Service": ["sns.amazonaws.com"]}, NONE),
    ("a trust policy (no Resource) with the confused-deputy conditions",
     [policy({"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole",
              "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"},
                            "ArnLike": {"aws:SourceArn": "arn:aws:codebuild:eu-west-1:123456789012:project/p"}}})],
     "sts:AssumeRole", None,
     {"aws:sourceaccount": "123456789012", "aws:sourcearn": "arn:aws:codebuild:eu-west-1:123456789012:project/other"},
     {"Service": ["codebuild.amazonaws.com"]}, NONE),
]


def main() -> int:
    failed = 0
    for what, policies, action, resource, context, principal, expected in CASES:
        got = evaluate(policies, action, resource, context, principal)
        ok = got == expected
        failed += not ok
        print(f"{'ok' if ok else 'FAILED'}     {what}" + ("" if ok else f": {got}, not {expected}"))
    print(f"{len(CASES) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
