"""A hub in an S3-compatible bucket (AWS S3, MinIO, Ceph ...) through boto3.

Credentials come only from boto3's standard sources (environment, shared config/profile, instance
role); Rolecall never stores them. Publishing is a create-only conditional put (``If-None-Match: *``):
the bucket refuses to overwrite an existing batch (HTTP 412). Media are sent with an
``x-amz-checksum-sha256`` so the service checks the bytes on arrival, and their size is checked with a
HEAD afterwards. (moto, used in the tests, honours If-None-Match but does not check the checksum; the
receiving station hashes every media file it downloads, so a damaged object is still caught there.)

Fallback for services that ignore ``If-None-Match`` on PUT (older MinIO/Ceph): batch names carry the
publishing station's id and sequence, only that station writes them, and a station never runs two syncs
at once (a lock in its data dir) — so nothing else can overwrite them; the guarantee then rests on that,
and every batch is still verified (hash + HMAC + name) when read.
"""
from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from store.sync.errors import HubError, HubUnreachable, SyncError
from store.sync.hub import (CHUNK, BlobTooLarge, ByteProgress, HashingWriter, Hub, MediaMismatch, file_sha256,
                            media_name)


def _boto():
    try:
        import boto3  # noqa: PLC0415
        from botocore.config import Config  # noqa: PLC0415
    except ImportError as exc:  # pragma: no cover - boto3 is a dependency
        raise SyncError("S3 hubs need boto3 (pip install boto3).") from exc
    return boto3, Config


class S3Hub(Hub):
    def __init__(self, bucket: str, prefix: str = "", endpoint_url: str | None = None, client=None):
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.endpoint_url = endpoint_url
        self.location = f"s3://{bucket}/{self.prefix}".rstrip("/")
        if client is None:
            boto3, Config = _boto()
            client = boto3.session.Session().client(
                "s3", endpoint_url=endpoint_url or None,
                config=Config(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=5,
                              read_timeout=30))
        self.client = client

    @classmethod
    def from_url(cls, url: str, endpoint_url: str | None = None) -> "S3Hub":
        rest = url[len("s3://"):]
        bucket, _, prefix = rest.partition("/")
        if not bucket:
            raise SyncError(f"'{url}' has no bucket; write it as s3://bucket/prefix.")
        return cls(bucket, prefix, endpoint_url)

    def _key(self, name: str) -> str:
        return self.prefix + name

    def _call(self, what: str, fn, *args, **kwargs):
        from botocore.exceptions import (BotoCoreError, ClientError, EndpointConnectionError,  # noqa: PLC0415
                                         NoCredentialsError)
        try:
            return fn(*args, **kwargs)
        except NoCredentialsError as exc:
            raise HubError("No AWS credentials found for the S3 hub. Set them the usual way "
                           "(AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or ~/.aws).") from exc
        except EndpointConnectionError as exc:
            raise HubUnreachable(f"The S3 hub is not reachable ({exc}). Check the network and the "
                                 "endpoint URL.") from exc
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in ("NoSuchKey", "404", "NotFound"):
                raise FileNotFoundError(what) from exc
            if code == "NoSuchBucket":
                raise HubUnreachable(f"The bucket '{self.bucket}' does not exist.") from exc
            if code in ("AccessDenied", "403", "InvalidAccessKeyId", "SignatureDoesNotMatch"):
                raise HubError(f"The S3 hub refused access ({code}) while {what}; check the "
                               "credentials and the bucket policy.") from exc
            raise HubError(f"The S3 hub failed while {what}: {code or exc}") from exc
        except BotoCoreError as exc:
            raise HubUnreachable(f"The S3 hub is not reachable ({exc}).") from exc

    # -- blobs -------------------------------------------------------------------------------------
    def list(self, prefix: str) -> list[str]:
        out: list[str] = []
        paginator = self.client.get_paginator("list_objects_v2")

        def walk():
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self._key(prefix)):
                for item in page.get("Contents", []):
                    out.append(item["Key"][len(self.prefix):])
        self._call("listing", walk)
        return sorted(out)

    def get(self, name: str, max_bytes: int | None = None) -> bytes:
        response = self._call(f"reading {name}", self.client.get_object, Bucket=self.bucket,
                              Key=self._key(name))
        if max_bytes is not None:
            size = int(response.get("ContentLength") or 0)
            if size > max_bytes:
                response["Body"].close()
                raise BlobTooLarge(name, size)
            return self._call(f"reading {name}", response["Body"].read, max_bytes + 1)
        return self._call(f"reading {name}", response["Body"].read)

    def exists(self, name: str) -> bool:
        try:
            self._call(f"checking {name}", self.client.head_object, Bucket=self.bucket, Key=self._key(name))
            return True
        except FileNotFoundError:
            return False

    def put_if_absent(self, name: str, data: bytes) -> bool:
        from botocore.exceptions import ClientError  # noqa: PLC0415
        digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._key(name), Body=data, IfNoneMatch="*",
                                   ChecksumSHA256=digest)
            return True
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if code in ("PreconditionFailed", "ConditionalRequestConflict") or status in (409, 412):
                return False
            return self._call(f"publishing {name}", _raise, exc)
        except Exception as exc:  # noqa: BLE001 - connection problems get their plain message
            return self._call(f"publishing {name}", _raise, exc)

    # -- media -------------------------------------------------------------------------------------
    def media_size(self, sha256: str) -> int | None:
        try:
            head = self._call("checking media", self.client.head_object, Bucket=self.bucket,
                              Key=self._key(media_name(sha256)))
        except FileNotFoundError:
            return None
        return int(head["ContentLength"])

    def put_media(self, sha256: str, source: Path, size: int, progress: ByteProgress | None = None) -> None:
        if not source.exists():
            raise MediaMismatch(f"{source} is missing on this station")
        if file_sha256(source) != sha256 or source.stat().st_size != size:
            raise MediaMismatch(f"{source} does not match its recorded hash (damaged or changed since "
                                "it was recorded)")
        key = self._key(media_name(sha256))
        digest = base64.b64encode(bytes.fromhex(sha256)).decode()
        with open(source, "rb") as body:
            if size <= 64 * CHUNK:
                self._call("uploading media", self.client.put_object, Bucket=self.bucket, Key=key,
                           Body=body, ChecksumSHA256=digest)
                if progress:
                    progress(size)
            else:
                self._call("uploading media", self.client.upload_fileobj, body, self.bucket, key,
                           ExtraArgs={"ChecksumAlgorithm": "SHA256"}, Callback=progress)
        stored = self.media_size(sha256)
        if stored != size:
            raise MediaMismatch(f"the hub holds {stored} bytes of media {sha256[:12]}…, expected {size}")

    def fetch_media(self, sha256: str, dest: Path, progress: ByteProgress | None = None) -> None:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".sync-part")
        response = self._call("downloading media", self.client.get_object, Bucket=self.bucket,
                              Key=self._key(media_name(sha256)))
        try:
            with open(tmp, "wb") as dst:
                writer = HashingWriter(dst, progress)
                stream = response["Body"]
                while True:
                    chunk = self._call("downloading media", stream.read, CHUNK)
                    if not chunk:
                        break
                    writer.write(chunk)
                dst.flush()
            if writer.hash.hexdigest() != sha256:
                raise MediaMismatch(f"the hub's copy of media {sha256[:12]}… is damaged or truncated")
            tmp.replace(dest)
        except OSError as exc:
            from store.sync.errors import os_error  # noqa: PLC0415
            raise os_error(exc, "saving media") from exc
        finally:
            tmp.unlink(missing_ok=True)

    def close(self) -> None:
        try:
            self.client.close()
        except Exception:  # noqa: BLE001
            pass


def _raise(exc: BaseException):
    raise exc
