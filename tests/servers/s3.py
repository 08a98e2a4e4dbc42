"""A throwaway S3-compatible server (moto) that really checks credentials."""

from __future__ import annotations

import json
import shutil
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.servers._process import HOST, HTTPEmulator, ServerProcess, temp_root

REGION = "eu-west-1"
_READ_WRITE = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
}


@dataclass(frozen=True)
class Keys:
    access_key_id: str
    secret_access_key: str


@dataclass
class S3Server(HTTPEmulator):
    """A running server: `admin` may do anything on S3, `nobody` is a valid user with no permission."""

    admin: Keys
    nobody: Keys
    region: str = REGION

    def client(self):  # -> botocore S3 client as `admin`
        import boto3

        return boto3.client(
            "s3", endpoint_url=self.endpoint_url, region_name=self.region,
            aws_access_key_id=self.admin.access_key_id, aws_secret_access_key=self.admin.secret_access_key,
        )


def _iam_user(iam, name: str, policy_arn: str | None) -> Keys:
    iam.create_user(UserName=name)
    if policy_arn:
        iam.attach_user_policy(UserName=name, PolicyArn=policy_arn)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return Keys(key["AccessKeyId"], key["SecretAccessKey"])


def start() -> S3Server:
    """Run `moto_server` on a free port, create two IAM users, then turn credential checks on."""
    import boto3

    root, port = temp_root("dataplane-s3-")
    moto = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or shutil.which("moto_server")
    process = ServerProcess("moto_server", [moto or "moto_server", "-H", HOST, "-p", str(port)], root / "moto.log")
    process.wait_for_port(port, deadline=30)
    # moto lets this many requests through unauthenticated, then enforces IAM: exactly the set-up calls below.
    urllib.request.urlopen(urllib.request.Request(
        f"http://{HOST}:{port}/moto-api/reset-auth", data=b"6", headers={"Content-Type": "text/plain"},
    ), timeout=10).read()
    iam = boto3.client("iam", endpoint_url=f"http://{HOST}:{port}", region_name="us-east-1",
                       aws_access_key_id="setup", aws_secret_access_key="setup")
    policy = iam.create_policy(PolicyName="s3-all", PolicyDocument=json.dumps(_READ_WRITE))["Policy"]["Arn"]
    admin = _iam_user(iam, "admin", policy)
    nobody = _iam_user(iam, "nobody", None)
    return S3Server(process, port, root, admin, nobody)
