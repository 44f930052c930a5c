"""A user pool on the emulator, as `photosky up` makes one, for the browser
test: the pool (e-mail sign-in, passwords of 12 or more), its app client
(USER_PASSWORD_AUTH and refresh), one user with a one-time password, and
the environment `photosky-handler serve` then needs to check its tokens.

    user_pool.py ENDPOINT REGION EMAIL

Prints one JSON line: {"env": {USER_POOL_...}, "password": "<one-time>"}.
"""

import json
import sys
import urllib.request

import boto3


def main() -> None:
    endpoint, region, email = sys.argv[1:4]
    idp = boto3.client(
        "cognito-idp",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    pool = idp.create_user_pool(
        PoolName="photosky-browser",
        UsernameAttributes=["email"],
        AdminCreateUserConfig={"AllowAdminCreateUserOnly": True},
        # As photosky's: length only (its SDK sends the other rules as false).
        Policies={"PasswordPolicy": {
            "MinimumLength": 12, "RequireUppercase": False, "RequireLowercase": False,
            "RequireNumbers": False, "RequireSymbols": False}},
    )["UserPool"]["Id"]
    client = idp.create_user_pool_client(
        UserPoolId=pool,
        ClientName="photosky-browser",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    password = "one-time-Passw0rd!"
    idp.admin_create_user(
        UserPoolId=pool,
        Username=email,
        TemporaryPassword=password,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": email}],
    )
    with urllib.request.urlopen(f"{endpoint}/{pool}/.well-known/jwks.json") as r:
        jwks = r.read().decode()
    env = {
        "USER_POOL_ISSUER": f"https://cognito-idp.{region}.amazonaws.com/{pool}",
        "USER_POOL_CLIENT_ID": client,
        "USER_POOL_JWKS": jwks,
        # The page signs in at the emulator, not at AWS.
        "USER_POOL_ENDPOINT": endpoint,
    }
    print(json.dumps({"env": env, "password": password}))


if __name__ == "__main__":
    main()
