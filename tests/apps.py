"""The small SAM apps several test modules lint, written once so they cannot drift apart.

``ORDERS_*``: one function, ``Orders``, whose handler creates an SDK client on every invocation
(LL110 at ``src/app.py:5:10``) and whose Timeout Lambda refuses (LL205 at ``template.yaml:10:7``).

``TWO_FUNCTIONS_*``: ``Orders`` and ``Billing`` sharing ``src/``. Orders' handler has a name no
handler pattern knows (only the template makes it a handler) and builds a DynamoDB table on every
invocation (LL110 at ``src/app.py:5:13``).
"""

from __future__ import annotations

ORDERS_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
      Timeout: 901
"""

ORDERS_HANDLER = """\
import boto3


def handler(event, context):
    s3 = boto3.client("s3")
    return s3.list_buckets()
"""

ORDERS_CLEAN_HANDLER = """\
import boto3

S3 = boto3.client("s3")


def handler(event, context):
    return S3.list_buckets()
"""

TWO_FUNCTIONS_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.process_order
      Runtime: python3.12
      Timeout: {timeout}
  Billing:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: billing.handler
      Runtime: python3.12
"""

PROCESS_ORDER = """\
import boto3


def process_order(event, context):
    table = boto3.resource("dynamodb").Table("orders")
    return table.get_item(Key={"id": event["id"]})
"""

FIXED_PROCESS_ORDER = """\
import boto3

TABLE = boto3.resource("dynamodb").Table("orders")


def process_order(event, context):
    return TABLE.get_item(Key={"id": event["id"]})
"""

#: ``Resources`` entries of an isolated VPC: two subnets on one route table with no route yet
TWO_SUBNET_VPC = """\
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24}
  SubnetB:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}
  Table:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  AssociationA:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref SubnetA, RouteTableId: !Ref Table}
  AssociationB:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref SubnetB, RouteTableId: !Ref Table}
"""
