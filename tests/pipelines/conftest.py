"""The real servers of the connector tests (PostgreSQL, SFTP, S3) for pipelines that read and export."""

from tests.connectors.conftest import only_localhost, postgres_server, s3_server, sftp_server, unique  # noqa: F401
