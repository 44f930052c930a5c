"""Is the deployer policy no broader than the tests need?

Usage: python policy_used.py POLICY.json USAGE_LOG

USAGE_LOG is what the emulator wrote to $PHOTOSKY_IAM_LOG during a full test
run (iam.py: one "principal action resource" line per allowed action). Every
action the policy grants must have been used by the IAM user holding it
(photosky-deployer) at least once; one that never was is granted for
nothing, and this exits 1 naming it. Run by `./dev test` after the
deployer's tests, when they run whole.
"""

import json
import sys


def main() -> int:
    policy_path, log_path = sys.argv[1], sys.argv[2]
    policy = json.load(open(policy_path))
    granted = set()
    for st in policy["Statement"]:
        actions = st["Action"]
        granted |= {actions} if isinstance(actions, str) else set(actions)
    used = set()
    for line in open(log_path):
        principal, action, _resource = line.split(" ", 2)
        if principal.endswith(":user/photosky-deployer"):
            used.add(action)
    unused = sorted(granted - used)
    if unused:
        print(f"{policy_path} grants what no test used: {', '.join(unused)}", file=sys.stderr)
        return 1
    print(f"every one of the {len(granted)} actions {policy_path} grants was used by a test")
    return 0


if __name__ == "__main__":
    sys.exit(main())
