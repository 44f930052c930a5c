"""IAM policy evaluation as AWS documents it, for the emulator's enforcement
(iam.py) and its rules (aws_rules.py, the build simulator).

Moto's own evaluator (moto/iam/access_control.py) denies when an Allow
statement's condition does not match, knows only StringEquals, and has no
request context; this one follows "Policy evaluation logic" in the IAM user
guide:

- an explicit Deny in any policy wins, then any Allow, else the request is
  implicitly denied;
- a statement applies when its Action (or NotAction), Resource (or
  NotResource), Principal (resource and trust policies) and every
  Condition match;
- Action matching ignores case, Resource matching does not; `*` and `?`
  are wildcards in both;
- condition operators: String*, Arn*, Bool, Null, Numeric* with the
  IfExists suffix and the ForAnyValue:/ForAllValues: set prefixes. A key
  missing from the request context fails a positive operator and passes a
  negated one (StringNotEquals, ArnNotLike, ...); IfExists passes either.
"""

import json
import re

ALLOW, DENY, NONE = "allow", "deny", "none"


def document(policy) -> dict:
    """A policy document from what moto stores (JSON text, URL-encoded or
    not, a dict, or a managed Policy object)."""
    from urllib.parse import unquote

    if hasattr(policy, "versions"):
        policy = next(v.document for v in policy.versions if v.is_default)
    if isinstance(policy, dict) and "policy_document" in policy:
        policy = policy["policy_document"]
    if isinstance(policy, str):
        text = policy.strip()
        if not text.startswith("{"):
            text = unquote(text)
        return json.loads(text)
    return policy


def _list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _glob(pattern: str, value: str, ignore_case: bool = False) -> bool:
    if ignore_case:
        pattern, value = pattern.lower(), value.lower()
    # fnmatch would treat [ ] as a set; IAM knows only * and ?.
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.DOTALL) is not None


def _arn_like(pattern: str, value: str) -> bool:
    # Each of the six colon-separated parts is matched on its own.
    p, v = pattern.split(":", 5), value.split(":", 5)
    return len(p) == len(v) == 6 and all(_glob(a, b) for a, b in zip(p, v))


def _number(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


_OPERATORS = {
    "StringEquals": lambda c, v: c == v,
    "StringEqualsIgnoreCase": lambda c, v: c.lower() == v.lower(),
    "StringLike": lambda c, v: _glob(c, v),
    "ArnEquals": lambda c, v: c == v,
    "ArnLike": _arn_like,
    "Bool": lambda c, v: c.lower() == v.lower(),
    "NumericEquals": lambda c, v: _number(c) is not None and _number(c) == _number(v),
    "NumericLessThan": lambda c, v: None not in (_number(c), _number(v)) and _number(v) < _number(c),
    "NumericLessThanEquals": lambda c, v: None not in (_number(c), _number(v)) and _number(v) <= _number(c),
    "NumericGreaterThan": lambda c, v: None not in (_number(c), _number(v)) and _number(v) > _number(c),
    "NumericGreaterThanEquals": lambda c, v: None not in (_number(c), _number(v)) and _number(v) >= _number(c),
}
_NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
    "NumericNotEquals": "NumericEquals",
}


class UnknownOperator(Exception):
    pass


def _text(value) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def condition_holds(operator: str, key: str, expected, context) -> bool:
    """One operator on one key. `context` maps lower-cased keys to a string
    or a list of strings (a multivalued key such as aws:TagKeys)."""
    expected = [_text(e) for e in _list(expected)]
    actual = context.get(key.lower())
    if operator == "Null":
        return ("true" in expected) == (actual is None)
    set_op = None
    if ":" in operator:
        set_op, operator = operator.split(":", 1)
    if_exists = operator.endswith("IfExists")
    operator = operator.removesuffix("IfExists")
    if actual is None:
        if if_exists:
            return True
        # ForAllValues over no values holds; a negated operator holds.
        return set_op == "ForAllValues" or (operator in _NEGATED and set_op is None)
    negated = operator in _NEGATED
    test = _OPERATORS.get(_NEGATED.get(operator, operator))
    if test is None:
        raise UnknownOperator(operator)
    values = [_text(a) for a in _list(actual)]

    def one(v):
        hit = any(test(e, v) for e in expected)
        return not hit if negated else hit

    if set_op == "ForAllValues":
        return all(one(v) for v in values)
    return any(one(v) for v in values) if set_op == "ForAnyValue" or len(values) == 1 else all(one(v) for v in values)


def conditions_hold(conditions: dict, context) -> bool:
    return all(
        condition_holds(operator, key, expected, context)
        for operator, keys in (conditions or {}).items()
        for key, expected in keys.items()
    )


def principal_matches(statement: dict, principal: dict) -> bool:
    """`principal`: {"AWS": [arns the caller counts as]} or {"Service": [..]}."""
    if "Principal" not in statement and "NotPrincipal" not in statement:
        return True  # an identity policy
    if statement.get("Principal") == "*":
        return True
    wanted = statement.get("Principal") or {}
    for kind, values in wanted.items():
        for value in _list(values):
            if value == "*" and kind == "AWS":
                return True
            if value in principal.get(kind, []):
                return True
    return False


def statement_applies(st: dict, action: str, resource: str | None, context, principal=None) -> bool:
    if "NotAction" in st:
        if any(_glob(a, action, True) for a in _list(st["NotAction"])):
            return False
    elif not any(_glob(a, action, True) for a in _list(st.get("Action"))):
        return False
    if resource is not None:
        if "NotResource" in st:
            if any(_glob(r, resource) for r in _list(st["NotResource"])):
                return False
        elif "Resource" in st and not any(_glob(r, resource) for r in _list(st["Resource"])):
            return False
    if principal is not None and not principal_matches(st, principal):
        return False
    return conditions_hold(st.get("Condition"), context)


def evaluate(policies, action: str, resource: str | None, context, principal=None) -> str:
    """ALLOW, DENY (explicit) or NONE (no statement allows) over `policies`."""
    decision = NONE
    for policy in policies:
        for st in _list(document(policy).get("Statement")):
            if not statement_applies(st, action, resource, context, principal):
                continue
            if st.get("Effect") == "Deny":
                return DENY
            if st.get("Effect") == "Allow":
                decision = ALLOW
    return decision

