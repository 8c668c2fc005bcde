# lambdalint: file-ignore[LL110] this module is being replaced by src/orders; do not fix here
import boto3


def handler(event, context):
    s3 = boto3.client("s3")
    sns = boto3.client("sns")
    s3.put_object(Bucket=event["bucket"], Key=event["key"], Body=b"")
    sns.publish(TopicArn=event["topic"], Message="stored")
    return {"ok": True}
