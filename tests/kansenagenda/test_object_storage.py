"""With ``DJANGO_S3_BUCKET`` set, files live in an S3-compatible object store, not on the machine's disk.

The store here is moto's S3 server on a free local port (the compose file uses MinIO); the storage settings
are the ones ``kansenagenda/settings.py`` builds from the environment, read in a separate process, so the
test exercises the real configuration and not a copy of it.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import boto3
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from moto.server import ThreadedMotoServer

from funding import letters
from funding.models import Decision
from regions import services as region_services
from regions.models import ImportJob
from tests.factories import make_user
from tests.funding.factories import approved_decision, give_mandate
from tests.helpers import changed_kwb

pytestmark = pytest.mark.django_db

BUCKET = "kansenagenda-test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def storage_settings_from_env(env: dict[str, str]) -> dict:
    """``settings.STORAGES["default"]`` as a production process with ``env`` builds it."""
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.STORAGES['default']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "kansenagenda.settings", **env},
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def s3_server():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def object_store(s3_server, tmp_path):
    """The default storage is the object store; MEDIA_ROOT is an empty folder that must stay empty."""
    env = {
        "DJANGO_S3_BUCKET": BUCKET,
        "DJANGO_S3_ENDPOINT_URL": s3_server,
        "DJANGO_S3_ACCESS_KEY_ID": "test-access-key",
        "DJANGO_S3_SECRET_ACCESS_KEY": "test-secret-key",
    }
    default = storage_settings_from_env(env)
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="test-access-key",
        aws_secret_access_key="test-secret-key",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    media = tmp_path / "media"
    media.mkdir()
    with override_settings(STORAGES={**settings.STORAGES, "default": default}, MEDIA_ROOT=media):
        yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)
    assert list(media.iterdir()) == [], "a file was written to the local disk"


def keys(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_the_environment_selects_the_object_store(s3_server):
    default = storage_settings_from_env({"DJANGO_S3_BUCKET": BUCKET, "DJANGO_S3_ENDPOINT_URL": s3_server})
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"]["bucket_name"] == BUCKET
    # Private objects: every file is served through a view that checks the reader's rights.
    assert default["OPTIONS"]["default_acl"] == "private"
    assert default["OPTIONS"]["file_overwrite"] is False


def test_without_a_bucket_files_stay_on_the_file_system():
    default = storage_settings_from_env({"DJANGO_S3_BUCKET": ""})
    assert default["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_an_uploaded_data_file_waits_in_the_object_store_for_the_worker(client, object_store):
    steward = make_user("steward", role="data_steward")
    client.force_login(steward)
    data = changed_kwb()

    response = client.post(
        "/regios/importeren/", {"source": "cbs-85618-kwb-2023", "file": SimpleUploadedFile("kwb.csv", data)}
    )
    assert response.status_code == 200
    stored = keys(object_store)
    assert len(stored) == 1 and stored[0].startswith("imports/")

    client.post("/regios/importeren/", {"token": response.context["token"]})
    job = ImportJob.objects.get()
    region_services.import_job_run(job_id=job.pk)  # what a worker on another machine does
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert keys(object_store) == []  # the worker removes the file once it is imported


def test_a_decision_letter_is_written_to_and_served_from_the_object_store(coalition, alice, chair, object_store):
    proposer = make_user("proposer", role="rijk_official")
    approver = make_user("approver", role="rijk_official")
    give_mandate(approver)
    decision = approved_decision(coalition, alice, chair, proposer, approver)

    assert letters.make_letter(decision.pk) is True
    decision = Decision.objects.get(pk=decision.pk)
    assert keys(object_store) == [decision.letter.name]
    body = b"".join(letters.letter_response(decision).streaming_content)
    assert body.startswith(b"%PDF")
