"""ddblint.model.boto3_resources against boto3's own resource models and injected methods."""

from __future__ import annotations

from ddblint.model.boto3_resources import (
    SERVICE_RESOURCE,
    SubResource,
    action_operation,
    identifier_parameters,
    identifiers,
    injected_parameters,
    resource_exists,
    subresource,
)


def test_constructors_and_sub_resources() -> None:
    assert subresource("dynamodb", SERVICE_RESOURCE, "Table") == SubResource("Table", (("Name", None),))
    assert subresource("s3", SERVICE_RESOURCE, "Object") == SubResource("Object", (("BucketName", None), ("Key", None)))
    assert subresource("s3", "Bucket", "Object") == SubResource("Object", (("BucketName", "Name"), ("Key", None)))
    assert subresource("sqs", SERVICE_RESOURCE, "Queue") == SubResource("Queue", (("Url", None),))
    assert subresource("dynamodb", "Table", "put_item") is None
    assert subresource("dynamodb", SERVICE_RESOURCE, "Bucket") is None


def test_identifiers_and_the_parameters_they_fill() -> None:
    assert identifiers("s3", "Object") == ("BucketName", "Key")
    assert identifier_parameters("dynamodb", "Table") == (("TableName", "Name"),)
    assert identifier_parameters("s3", "Object") == (("Bucket", "BucketName"), ("Key", "Key"))
    assert identifier_parameters("sqs", "Queue") == (("QueueUrl", "Url"),)
    assert identifier_parameters("sns", "Topic") == (("TopicArn", "Arn"),)


def test_action_operation() -> None:
    assert action_operation("dynamodb", "Table", "update_item") == "UpdateItem"
    assert action_operation("dynamodb", "Table", "reload") == "DescribeTable"
    assert action_operation("s3", "Object", "get") == "GetObject"
    assert action_operation("dynamodb", SERVICE_RESOURCE, "batch_get_item") == "BatchGetItem"
    assert action_operation("dynamodb", "Table", "batch_writer") is None  # injected in code, not in the model
    assert action_operation("kinesis", SERVICE_RESOURCE, "put_record") is None  # no resource model


def test_resource_exists() -> None:
    assert resource_exists("dynamodb", SERVICE_RESOURCE)
    assert resource_exists("s3", "Bucket")
    assert not resource_exists("dynamodb", "Bucket")
    assert not resource_exists("kinesis", SERVICE_RESOURCE)


def test_injected_parameters_from_boto3() -> None:
    assert injected_parameters("s3", "upload_file")[:3] == ("Filename", "Bucket", "Key")
    assert injected_parameters("s3", "download_file")[:3] == ("Bucket", "Key", "Filename")
    assert injected_parameters("s3", "upload_file", "Bucket")[:2] == ("Filename", "Key")
    assert injected_parameters("s3", "download_fileobj", "Object")[:1] == ("Fileobj",)
    assert injected_parameters("s3", "upload_file", "ObjectSummary") is None
    assert injected_parameters("s3", "logging") is None
    assert injected_parameters("sqs", "upload_file") is None
